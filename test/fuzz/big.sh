#!/usr/bin/env bash
# 10M identical rows into the aggregate (each time kind and amount type
# once, serial and with parallel workers), 1M identical summaries into the
# window function and rfm_breaks: the exact answer, in bounded time.
# Too slow for pg_regress (a few seconds per 10M), hence its own suite.
#
#   test/fuzz/big.sh HOST PORT
# Prints `big: N passed, M failed`.
set -uo pipefail
host=${1:?usage: big.sh HOST PORT}
port=${2:?usage: big.sh HOST PORT}
# shellcheck source=test/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
export PGHOST=$host PGPORT=$port
db=rfm_big
psql_() { "$RFM_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }
psql_ -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null 2>&1
trap 'psql_ -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1' EXIT
psql_ -d $db -c "CREATE EXTENSION rfm" >/dev/null
n=${BIG_ROWS:-10000000}

# check_query NAME SQL EXPECTED: the query's single value must equal EXPECTED
check_query() {
    local t0=$SECONDS got
    got=$(psql_ -d $db -At -c "SET TimeZone = 'UTC'" -c "$2" 2>&1)
    check "$1 ($((SECONDS - t0)) s)" "$3" "$got"
}
serial="SET max_parallel_workers_per_gather = 0;"
parallel="SET max_parallel_workers_per_gather = 4; SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;"

for mode in serial parallel; do
    set_mode=${!mode}
    check_query "$mode: $n x timestamptz/numeric 19.99" \
        "$set_mode SELECT rfm_summary(timestamptz '2026-01-01 00:00+00', 19.99, timestamptz '2026-11-23 00:00+00')::text FROM generate_series(1, $n)" \
        "(recency=326, frequency=$n, monetary=$((n * 1999 / 100)).00, orders=$n, first=2026-01-01 00:00:00+00, last=2026-01-01 00:00:00+00, as_of=2026-11-23 00:00:00+00)"
    check_query "$mode: $n x date/double precision 19.99, with period" \
        "$set_mode SELECT rfm_summary(date '2026-01-01', 19.99::float8, date '2026-11-23', interval '1 year')::text FROM generate_series(1, $n)" \
        "(recency=326, frequency=$n, monetary=$((n * 1999 / 100)).00, orders=$n, first=2026-01-01, last=2026-01-01, as_of=2026-11-23, since=2025-11-23)"
    check_query "$mode: $n x timestamp/bigint max" \
        "$set_mode SELECT monetary(s) = $n::numeric * 9223372036854775807 AND frequency(s) = $n FROM (SELECT rfm_summary(timestamp '2026-01-01', 9223372036854775807::bigint, timestamp '2026-11-23') s FROM generate_series(1, $n)) x" \
        "t"
    check_query "$mode: $n x date/integer min" \
        "$set_mode SELECT monetary(s) = $n::numeric * -2147483648 FROM (SELECT rfm_summary(date '2026-01-01', (-2147483648)::int, date '2026-11-23') s FROM generate_series(1, $n)) x" \
        "t"
done
# a table, so parallel workers really split it
psql_ -d $db -c "CREATE UNLOGGED TABLE same AS SELECT 1 AS c, timestamptz '2026-01-01 00:00+00' AS t, 19.99::numeric(10,2) AS a FROM generate_series(1, $n); ANALYZE same" >/dev/null
check_query "parallel over a $n-row table equals serial" \
    "$parallel SELECT (SELECT rfm_summary(t, a, timestamptz '2026-11-23 00:00+00')::text FROM same) = (SELECT rfm_summary(t, a, timestamptz '2026-11-23 00:00+00')::text FROM same WHERE c = 1 OFFSET 0)" \
    "t"
m=$((n / 10))
check_query "window over $m identical summaries: all 111" \
    "SELECT count(*) || ' ' || count(DISTINCT sc) || ' ' || min(sc::int) FROM (SELECT rfm_score(s) OVER () sc FROM (SELECT '(frequency=1, monetary=1, orders=1, first=2006-01-02, last=2006-01-02, as_of=2006-12-31)'::rfm_summary s FROM generate_series(1, $m)) x) y" \
    "$m 1 111"
check_query "rfm_breaks over $m identical summaries" \
    "SELECT rfm_breaks(s)::text FROM (SELECT '(frequency=1, monetary=1, orders=1, first=2006-01-02, last=2006-01-02, as_of=2006-12-31)'::rfm_summary s FROM generate_series(1, $m)) x" \
    "R: -infinity, -infinity, -infinity, -infinity; F: infinity, infinity, infinity, infinity; M: infinity, infinity, infinity, infinity"
echo "big: $passed passed, $failed failed"
((failed == 0))
