#!/usr/bin/env bash
# A session's first rfm query is planned with the fast grouping engine, with
# no preload setting and no superuser (issue 19): the README's nightly
# materialized view, refreshed in a brand-new session as pg_cron would, uses
# the engine.  The plan is read with auto_explain (which the checking session
# preloads; rfm is preloaded nowhere).
#
#   test/first_query/run.sh HOST PORT    Prints `first_query: N passed, M failed`.
set -uo pipefail
host=${1:?usage: run.sh HOST PORT}
port=${2:?usage: run.sh HOST PORT}
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=test/lib.sh
source "$repo/test/lib.sh"
export PGHOST=$host PGPORT=$port
db=rfm_first_query
psql_() { "$RFM_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }

psql_ -d postgres <<SQL
SET client_min_messages = warning;
DROP DATABASE IF EXISTS $db;
DROP ROLE IF EXISTS rfm_shop_owner;
CREATE ROLE rfm_shop_owner LOGIN;
CREATE DATABASE $db OWNER rfm_shop_owner;
SQL

# Everything as the shop's own role, not a superuser: the extension is trusted.
PGUSER=rfm_shop_owner psql_ -d "$db" <<'SQL'
CREATE EXTENSION rfm;
CREATE TABLE orders (customer_id int, ordered_at timestamptz, amount numeric(12,2));
INSERT INTO orders
SELECT i % 3000, timestamptz '2026-11-20 00:00+00' - (i % 700) * interval '1 day', (i % 97) + 1.5
  FROM generate_series(1, 60000) i;
-- a customer whose only order is after as_of: a NULL summary, which the view's WHERE drops
INSERT INTO orders VALUES (5000, now() + interval '10 days', 10);
ANALYZE orders;
CREATE MATERIALIZED VIEW customer_rfm AS
WITH per_customer AS (
    SELECT customer_id,
           rfm_summary(ordered_at, amount, date_trunc('day', now(), 'UTC'), interval '1 year') AS s
    FROM orders
    GROUP BY customer_id
)
SELECT customer_id, s,
       recency(s)                         AS recency_days,
       frequency(s)                       AS orders_last_year,
       monetary(s)                        AS spend_last_year,
       rfm_score(s) OVER ()               AS score,
       rfm_segment(rfm_score(s) OVER ())  AS segment,
       loyalty_class(s)                   AS loyalty
FROM per_customer
WHERE s IS NOT NULL
WITH NO DATA;
CREATE UNIQUE INDEX customer_rfm_customer_id ON customer_rfm (customer_id);
REFRESH MATERIALIZED VIEW customer_rfm;
SQL

# preload settings of the server: rfm must be in none of them
preload=$(psql_ -d "$db" -At -c "SELECT string_agg(name || '=' || setting, ' ') FROM pg_settings WHERE name LIKE '%preload_libraries' AND setting LIKE '%rfm%'")
check "no preload setting names rfm" "" "$preload"

# A brand-new session, the REFRESH its first statement after a look at whether rfm is loaded.
out=$(PGOPTIONS='-c session_preload_libraries=auto_explain -c auto_explain.log_min_duration=0 -c client_min_messages=log' \
      psql_ -d "$db" 2>&1 <<'SQL'
SELECT 'rfm loaded before: ' || (current_setting('rfm.fast_grouping', true) IS NOT NULL);
REFRESH MATERIALIZED VIEW CONCURRENTLY customer_rfm;
SELECT 'rfm loaded after: ' || (current_setting('rfm.fast_grouping', true) IS NOT NULL);
SQL
)
check "rfm not loaded before the first query" "1" "$(grep -c 'rfm loaded before: false' <<<"$out")" "$out"
check "rfm loaded by planning the REFRESH" "1" "$(grep -c 'rfm loaded after: true' <<<"$out")" "$out"
if grep -q 'Custom Scan (RFM .*HashAggregate)' <<<"$out"; then
    ok "the REFRESH's plan groups on the engine"
else
    not_ok "the REFRESH's plan groups on the engine" "$out"
fi
if grep -q 'Filter: (.*IS NOT NULL)' <<<"$out"; then
    ok "WHERE s IS NOT NULL is evaluated on the engine's rows (HAVING)"
else
    not_ok "WHERE s IS NOT NULL is evaluated on the engine's rows (HAVING)" "$out"
fi
# 13-17: the scoring node too; 18 keeps WindowAgg for a statement planned
# before rfm's planner_hook existed (README, Fast grouping)
if ((RFM_PG_MAJOR < 18)); then
    if grep -q 'Custom Scan (RFM WindowAgg)' <<<"$out"; then
        ok "the REFRESH's plan scores on RFM WindowAgg"
    else
        not_ok "the REFRESH's plan scores on RFM WindowAgg" "$out"
    fi
fi

# The view equals its defining query run on the built-in Agg.
diff=$(PGUSER=rfm_shop_owner psql_ -d "$db" -At <<'SQL'
SET rfm.fast_grouping = off;
WITH per_customer AS (
    SELECT customer_id,
           rfm_summary(ordered_at, amount, date_trunc('day', now(), 'UTC'), interval '1 year') AS s
    FROM orders GROUP BY customer_id
), expected AS (
    SELECT customer_id, s::text, rfm_score(s) OVER ()::text AS score, loyalty_class(s)::text AS loyalty
    FROM per_customer WHERE s IS NOT NULL
), got AS (
    SELECT customer_id, s::text, score::text, loyalty::text FROM customer_rfm
)
SELECT (SELECT count(*) FROM got) || ' ' ||
       (SELECT count(*) FROM (TABLE got EXCEPT ALL TABLE expected) x) || ' ' ||
       (SELECT count(*) FROM (TABLE expected EXCEPT ALL TABLE got) x);
SQL
)
check "the view's 3000 rows equal the Agg plan's (rows, only in view, only in Agg)" "3000 0 0" "$diff"

psql_ -d postgres -c "DROP DATABASE $db" -c "DROP ROLE rfm_shop_owner" >/dev/null
echo "first_query: $passed passed, $failed failed"
((failed == 0))
