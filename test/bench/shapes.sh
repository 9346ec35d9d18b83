#!/usr/bin/env bash
# The shapes part of the bench (issue 19): each query shape in shapes/ timed
# as the planner chooses, with rfm.fast_grouping = off and with the engine
# forced (rfm.fast_grouping = force; where the engine cannot run the shape,
# that is the planner's Agg again), in one session per round, at work_mem
# 4MB and 256MB, over the order table analyzed and never analyzed.
#
#   test/bench/shapes.sh HOST PORT DBNAME OUTDIR
#
# Needs bench_orders loaded (generate.sql; the issue's numbers are for 5M
# orders / 500k customers: make bench SCALE=5). Creates an index on
# bench_orders(customer_id) (the BI wrapper's case), never-analyzed copies
# and a partitioned copy. SHAPES_ROUNDS (default 3) rounds after a warm-up;
# SHAPES_CONFIGS (default "256MB:analyzed 4MB:analyzed 256MB:fresh
# 4MB:fresh") chooses the configurations, SHAPES_ONLY (names of shapes/,
# space-separated) the shapes. Prints a table of medians (ms),
# the planner's choice over the fastest of the three (target <= 1.2), and
# plain_ntile over the README's two queries as the planner runs them
# (target >= 6).
set -uo pipefail
host=${1:?usage: shapes.sh HOST PORT DBNAME OUTDIR}
port=${2:?}
db=${3:?}
out=${4:?}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${RFM_BINDIR:=$("${PG_CONFIG:-pg_config}" --bindir)}"
ROUNDS=${SHAPES_ROUNDS:-3}
CONFIGS=${SHAPES_CONFIGS:-"256MB:analyzed 4MB:analyzed 256MB:fresh 4MB:fresh"}
read -r -a SHAPES <<<"${SHAPES_ONLY:-summary end_to_end nightly_view loyal_filter bi_limit partitionwise text_key two_keys aggregates_beside}"
mkdir -p "$out"
spsql() { "$RFM_BINDIR/psql" -X -h "$host" -p "$port" -U "${PGUSER:-postgres}" -d "$db" -v ON_ERROR_STOP=1 "$@"; }

echo "shapes: preparing (index on customer_id, never-analyzed and partitioned copies)"
spsql -q <<'SQL'
SET client_min_messages = warning;
CREATE INDEX IF NOT EXISTS bench_orders_customer_id ON bench_orders (customer_id);
ANALYZE bench_orders;
DROP TABLE IF EXISTS bench_orders_fresh, shapes_part, shapes_part_fresh;
CREATE TABLE bench_orders_fresh WITH (autovacuum_enabled = off) AS TABLE bench_orders;
CREATE INDEX ON bench_orders_fresh (customer_id);
CREATE TABLE shapes_part (LIKE bench_orders) PARTITION BY RANGE (ordered_at);
CREATE TABLE shapes_part_1 PARTITION OF shapes_part FOR VALUES FROM (MINVALUE) TO ('2025-06-01');
CREATE TABLE shapes_part_2 PARTITION OF shapes_part FOR VALUES FROM ('2025-06-01') TO ('2026-01-01');
CREATE TABLE shapes_part_3 PARTITION OF shapes_part FOR VALUES FROM ('2026-01-01') TO (MAXVALUE);
INSERT INTO shapes_part SELECT * FROM bench_orders;
ANALYZE shapes_part;
CREATE TABLE shapes_part_fresh (LIKE bench_orders) PARTITION BY RANGE (ordered_at);
CREATE TABLE shapes_part_fresh_1 PARTITION OF shapes_part_fresh FOR VALUES FROM (MINVALUE) TO ('2025-06-01') WITH (autovacuum_enabled = off);
CREATE TABLE shapes_part_fresh_2 PARTITION OF shapes_part_fresh FOR VALUES FROM ('2025-06-01') TO ('2026-01-01') WITH (autovacuum_enabled = off);
CREATE TABLE shapes_part_fresh_3 PARTITION OF shapes_part_fresh FOR VALUES FROM ('2026-01-01') TO (MAXVALUE) WITH (autovacuum_enabled = off);
INSERT INTO shapes_part_fresh SELECT * FROM bench_orders;
SQL

# query NAME CONFIG: the shape's text for the analyzed or fresh tables
query() {
    local t=bench_orders p=shapes_part
    [[ $2 == *fresh ]] && { t=bench_orders_fresh; p=shapes_part_fresh; }
    # the plain SQL reference is the main part's own query, on this table
    if [[ $1 == plain_ntile ]]; then
        grep -v '^--' "$here/queries/plain_ntile.sql" | sed -e "s/\bbench_orders\b/$t/g"
        return
    fi
    grep -v '^--' "$here/shapes/$1.sql" | sed -e "s/__T__/$t/g" -e "s/__P__/$p/g"
}

# One round: every shape under each mode, then the plain SQL reference.
round_script() {
    local config=$1 wm=${1%%:*} shape mode
    echo "SET TimeZone = 'UTC'; SET work_mem = '$wm'; SET enable_partitionwise_aggregate = on;"
    for shape in "${SHAPES[@]}"; do
        for mode in planner off force; do
            case $mode in
                planner) echo "RESET rfm.fast_grouping;" ;;
                *) echo "SET rfm.fast_grouping = $mode;" ;;
            esac
            echo "\\echo MARK $shape $mode"
            echo "EXPLAIN (ANALYZE, TIMING OFF, SUMMARY ON) $(query "$shape" "$config");"
        done
    done
    echo "RESET rfm.fast_grouping;"
    echo "\\echo MARK plain_ntile planner"
    echo "EXPLAIN (ANALYZE, TIMING OFF, SUMMARY ON) $(query plain_ntile "$config");"
}

# shape mode ms top-node, one line per timed query of a round's output
parse() {
    awk '/^MARK / { s = $2; m = $3; top = ""; next }
         top == "" && NF { t = $0; sub(/^ +/, "", t); sub(/  \(cost=.*/, "", t); top = t }
         /Execution Time:/ { printf "%s %s %s %s\n", s, m, $3, top; gsub(/ /, "_", top) }' "$1" |
        awk '{ s = $1; m = $2; ms = $3; $1 = $2 = $3 = ""; sub(/^ +/, ""); gsub(/ /, "_"); print s, m, ms, $0 }'
}

median() { sort -n | awk '{ a[NR] = $1 } END { if (NR) print a[int((NR + 1) / 2)] }'; }

results=$out/shapes.txt
: >"$results"
for config in $CONFIGS; do
    round_script "$config" >"$out/shapes-$config.sql"
    : >"$out/shapes-$config.times"
    for ((r = 0; r <= ROUNDS; r++)); do
        spsql -qAt -f "$out/shapes-$config.sql" >"$out/shapes-$config-round-$r.txt" 2>&1 ||
            { echo "shapes: round failed, see $out/shapes-$config-round-$r.txt"; exit 1; }
        ((r == 0)) || parse "$out/shapes-$config-round-$r.txt" >>"$out/shapes-$config.times"
        echo "shapes: $config round $r/$ROUNDS done (loadavg $(cut -d' ' -f1-3 /proc/loadavg))"
    done
    for shape in "${SHAPES[@]}" plain_ntile; do
        p=$(awk -v s="$shape" '$1 == s && $2 == "planner" { print $3 }' "$out/shapes-$config.times" | median)
        o=$(awk -v s="$shape" '$1 == s && $2 == "off" { print $3 }' "$out/shapes-$config.times" | median)
        f=$(awk -v s="$shape" '$1 == s && $2 == "force" { print $3 }' "$out/shapes-$config.times" | median)
        plan=$(awk -v s="$shape" '$1 == s && $2 == "planner" { print $4 }' "$out/shapes-$config.times" | sort | uniq -c | sort -rn | head -n 1 | awk '{ print $2 }')
        echo "$config $shape ${p:--} ${o:--} ${f:--} $plan" >>"$results"
    done
done

echo
echo "shapes: medians of $ROUNDS rounds, ms; choice/best = planner's time over the fastest of the three"
printf '%-16s %-18s %9s %9s %9s %7s  %s\n' config shape planner off force choice/best "planner's plan (top node)"
while read -r config shape p o f plan; do
    best=$(printf '%s\n%s\n%s\n' "$p" "$o" "$f" | grep -v -- - | sort -n | head -n 1)
    cb=$(awk -v p="$p" -v b="$best" 'BEGIN { if (b > 0 && p != "-") printf "%.2f", p / b; else print "-" }')
    [[ $shape == plain_ntile ]] && { o=-; f=-; cb=-; }
    printf '%-16s %-18s %9s %9s %9s %7s  %s\n' "$config" "$shape" "$p" "$o" "$f" "$cb" "${plan//_/ }"
done <"$results"
echo
for config in $CONFIGS; do
    plain=$(awk -v c="$config" '$1 == c && $2 == "plain_ntile" { print $3 }' "$results")
    for shape in end_to_end nightly_view; do
        p=$(awk -v c="$config" -v s="$shape" '$1 == c && $2 == s { print $3 }' "$results")
        [[ -n $plain && -n $p && $p != - ]] || continue
        awk -v c="$config" -v s="$shape" -v plain="$plain" -v p="$p" 'BEGIN {
            r = plain / p; printf "shapes: %s: plain_ntile / %s = %.2f (target >= 6: %s)\n", c, s, r, ((r >= 6) ? "met" : "MISSED") }'
    done
done
