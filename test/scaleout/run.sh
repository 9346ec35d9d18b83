#!/usr/bin/env bash
# Scale-out suite: rfm on orders sharded by customer_id across PostgreSQL
# servers with postgres_fdw, checked against a single-node control.
#
#   test/scaleout/run.sh [HOST PORT]
#
# Starts three throwaway clusters on loopback (a coordinator and two shards;
# HOST/PORT, which run_all.sh passes, are not used), installs rfm on all
# three, creates on the coordinator `orders` hash-partitioned by customer_id
# whose two partitions are postgres_fdw foreign tables on the shards (server
# option extensions 'rfm'), loads the same generated orders into it and into
# a local control table `orders_single`, then checks:
#   - partitionwise aggregation ships rfm_summary to the shards (EXPLAIN
#     VERBOSE: rfm_summary in each shard's Remote SQL, no local Aggregate)
#     and the summaries equal the single-node ones exactly (as text, EXCEPT
#     ALL both ways);
#   - scores, segments, loyalty classes and cut points over the sharded
#     summaries equal the single-node ones;
#   - groupings the shards cannot finish (customer_id % 10, a month) go
#     through partial aggregation + rfm_summary_combine, and are still exact;
#     so is everything with enable_partitionwise_aggregate = off;
#   - rows transferred from the shards (EXPLAIN ANALYZE) = customers, not
#     orders;
#   - without extensions 'rfm' nothing is pushed (the option is what ships);
#   - the coordinator session's TimeZone (not UTC, unlike the shards'
#     postgres_fdw sessions) changes nothing;
#   - summaries shipped in binary (COPY ... FORMAT binary: send/recv) and
#     Citus-style partial states shipped as text (output/input of the state,
#     then the combine function) give the single-node results.
# and prints timings of the sharded run against the single node.
#
# Prints one ok/FAIL line per check, ends with
# `scaleout: N passed, M failed` and exits non-zero if a check failed or the
# suite could not run. KEEP=1 leaves the three clusters running.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=test/lib.sh
source "$here/../lib.sh"

SUITE=scaleout
DB=scaleout
NODES=(coord shard0 shard1)
# shellcheck source=test/scaleout/common.sh
source "$here/common.sh"
scaleout_start_nodes

# ------------------------------------------------------------------- setup

for node in "${NODES[@]}"; do on "$node" -c "CREATE EXTENSION rfm"; done
for i in 0 1; do
    on "shard$i" -c "CREATE TABLE orders_p$i (customer_id int, ordered_at timestamptz, amount numeric(12,2))"
done

t0=$(date +%s.%N)
on coord -f "$here/generate.sql"
on coord <<SQL
CREATE EXTENSION postgres_fdw;
-- async_capable: the Append over the two shards sends both remote queries
-- before waiting for either, so the shards work at the same time.
-- batch_size: the INSERT below ships 1,000 rows per round trip.
CREATE SERVER shard0 FOREIGN DATA WRAPPER postgres_fdw
    OPTIONS (host '127.0.0.1', port '${N_PORT[shard0]}', dbname '$DB',
             extensions 'rfm', async_capable 'true', batch_size '1000');
CREATE SERVER shard1 FOREIGN DATA WRAPPER postgres_fdw
    OPTIONS (host '127.0.0.1', port '${N_PORT[shard1]}', dbname '$DB',
             extensions 'rfm', async_capable 'true', batch_size '1000');
CREATE USER MAPPING FOR postgres SERVER shard0 OPTIONS (user 'postgres');
CREATE USER MAPPING FOR postgres SERVER shard1 OPTIONS (user 'postgres');

CREATE TABLE orders (
    customer_id int,
    ordered_at  timestamptz,
    amount      numeric(12,2)
) PARTITION BY HASH (customer_id);
CREATE FOREIGN TABLE orders_p0 PARTITION OF orders
    FOR VALUES WITH (MODULUS 2, REMAINDER 0) SERVER shard0 OPTIONS (table_name 'orders_p0');
CREATE FOREIGN TABLE orders_p1 PARTITION OF orders
    FOR VALUES WITH (MODULUS 2, REMAINDER 1) SERVER shard1 OPTIONS (table_name 'orders_p1');

-- Tuple routing sends each row to its shard.
INSERT INTO orders SELECT * FROM orders_single;
SQL
for i in 0 1; do on "shard$i" -c "VACUUM ANALYZE orders_p$i"; done
on coord -c "VACUUM ANALYZE orders_single" -c "ANALYZE orders, orders_p0, orders_p1"
note "setup (generate 200k orders, route them to the shards, analyze): $(seconds_since "$t0")s"

# ------------------------------------------------------------------ checks

echo "scaleout: coordinator :${N_PORT[coord]}, shards :${N_PORT[shard0]} :${N_PORT[shard1]} (127.0.0.1)"

versions=$(for node in "${NODES[@]}"; do val "$node" -c "SELECT extversion FROM pg_extension WHERE extname = 'rfm'"; done | sort -u | paste -sd' ')
check "rfm installed on coordinator and both shards, same version" "$(val coord -c "SELECT extversion FROM pg_extension WHERE extname = 'rfm'")" "$versions"

n_orders=$(val coord -c "SELECT count(*) FROM orders_single")
n_customers=$(val coord -c "SELECT count(DISTINCT customer_id) FROM orders_single")
p0=$(val shard0 -c "SELECT count(*) FROM orders_p0")
p1=$(val shard1 -c "SELECT count(*) FROM orders_p1")
check "the shards hold every order once ($p0 + $p1), same rows as the control" \
    "$n_orders 0" \
    "$((p0 + p1)) $(val coord -c "SELECT count(*) FROM ((SELECT * FROM orders EXCEPT ALL SELECT * FROM orders_single) UNION ALL (SELECT * FROM orders_single EXCEPT ALL SELECT * FROM orders)) d")"
split=$(val coord -c "SELECT count(*) FROM (SELECT customer_id FROM orders_p0 INTERSECT SELECT customer_id FROM orders_p1) x")
check "no customer on both shards" 0 "$split"
note "$n_orders orders, $n_customers customers; shard0 $p0 orders, shard1 $p1 orders"

# Remote SQL lines that run rfm_summary on a shard.
pushed_lines() { grep -E '^\s*Remote SQL: .*public\.rfm_summary\(' <<<"$1" | grep -c 'GROUP BY' || true; }
# Plan nodes that aggregate on the coordinator.
local_aggs() { grep -cE '^\s*(->\s*)?((Partial|Finalize) )?(Hash|Group|Mixed)?Aggregate\b' <<<"$1" || true; }

# The sharded side runs in a TimeZone far from the shards' (postgres_fdw
# sessions run in UTC) and from the single-node side's: the summaries must
# not depend on it.
PW_ON="SET enable_partitionwise_aggregate = on; SET TimeZone = 'Asia/Kolkata';"
PW_OFF="SET enable_partitionwise_aggregate = off; SET TimeZone = 'America/St_Johns';"

# 1. The per-customer summary runs on the shards.
plan=$(explain "$PW_ON" "$(summary_q orders)")
echo "     # EXPLAIN (VERBOSE, COSTS OFF) $(summary_q orders)"
indent "$plan"
check "partitionwise on: rfm_summary in both shards' Remote SQL, grouped there" 2 "$(pushed_lines "$plan")"
check "partitionwise on: no aggregation on the coordinator" 0 "$(local_aggs "$plan")"
check_same "per-customer summaries: sharded = single node" "$n_customers" "$PW_ON" "$(summary_q orders)" "$(summary_q orders_single)"

plan=$(explain "$PW_ON" "$(period_q orders)")
grep -m1 'Remote SQL' <<<"$plan" | sed 's/^ */     # with a period: /'
check "with a period, accessor and float8 amounts: still pushed to both shards" "2 0" "$(pushed_lines "$plan") $(local_aggs "$plan")"
check_same "summaries with a period, monetary(), float8 amounts: sharded = single node" "$n_customers" "$PW_ON" "$(period_q orders)" "$(period_q orders_single)"

# 2. Scores, segments, loyalty and cut points over the sharded summaries.
check_same "scores, segments, loyalty, cut points over sharded summaries = single node" "$n_customers" "$PW_ON" "$(scores_q orders)" "$(scores_q orders_single)"
plan=$(explain "$PW_ON" "$(scores_q orders)")
check "the scoring query still pushes its summaries to both shards" 2 "$(pushed_lines "$plan")"

# 3. Groupings the shards cannot finish: partial aggregates + combine.
plan=$(explain "$PW_ON" "$(bucket_q orders)")
echo "     # EXPLAIN (VERBOSE, COSTS OFF) $(bucket_q orders)"
indent "$plan"
combine=$(grep -cE 'Finalize|Partial' <<<"$plan" || true)
if ((combine >= 2)) && [[ $(pushed_lines "$plan") == 0 ]]; then
    ok "GROUP BY customer_id % 10 is not pushed down: Partial + Finalize aggregate (combine path)"
else
    not_ok "GROUP BY customer_id % 10 is not pushed down: Partial + Finalize aggregate (combine path)" "$plan"
fi
check_same "GROUP BY customer_id % 10 via combine: sharded = single node" 10 "$PW_ON" "$(bucket_q orders)" "$(bucket_q orders_single)"
n_months=$(val coord -c "SELECT count(*) FROM ($(month_q orders_single)) x")
plan=$(explain "$PW_ON" "$(month_q orders)")
check "GROUP BY month is not pushed down either (partial aggregates)" 0 "$(pushed_lines "$plan")"
check_same "GROUP BY month via combine (incl. months after as_of): sharded = single node" "$n_months" "$PW_ON" "$(month_q orders)" "$(month_q orders_single)"

# 4. enable_partitionwise_aggregate = off: nothing pushed, still exact.
plan=$(explain "$PW_OFF" "$(summary_q orders)")
check "partitionwise off: rfm_summary not in Remote SQL, aggregated on the coordinator" "0 1" "$(pushed_lines "$plan") $(local_aggs "$plan")"
check_same "partitionwise off: per-customer summaries = single node" "$n_customers" "$PW_OFF" "$(summary_q orders)" "$(summary_q orders_single)"
check_same "partitionwise off: scores, segments, loyalty = single node" "$n_customers" "$PW_OFF" "$(scores_q orders)" "$(scores_q orders_single)"
check_same "partitionwise off: GROUP BY customer_id % 10 = single node" 10 "$PW_OFF" "$(bucket_q orders)" "$(bucket_q orders_single)"

# 5. Rows that travel from the shards: EXPLAIN ANALYZE of the foreign scans.
on coord <<'SQL'
CREATE FUNCTION scaleout_foreign_rows(q text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    p jsonb;
BEGIN
    EXECUTE 'EXPLAIN (ANALYZE, VERBOSE, TIMING OFF, FORMAT JSON) ' || q INTO p;
    RETURN (SELECT sum((n ->> 'Actual Rows')::bigint * (n ->> 'Actual Loops')::bigint)
            FROM jsonb_path_query(p, 'strict $.** ? (@."Node Type" == "Foreign Scan")') AS n);
END
$$;
SQL
rows_on=$(val coord -c "$PW_ON" -c "SELECT scaleout_foreign_rows(\$q\$$(summary_q orders)\$q\$)")
rows_off=$(val coord -c "$PW_OFF" -c "SELECT scaleout_foreign_rows(\$q\$$(summary_q orders)\$q\$)")
rows_bucket=$(val coord -c "$PW_ON" -c "SELECT scaleout_foreign_rows(\$q\$$(bucket_q orders)\$q\$)")
check "pushed down: rows from the shards = customers ($n_customers), not orders" "$n_customers" "$rows_on"
check "partitionwise off: rows from the shards = orders ($n_orders)" "$n_orders" "$rows_off"
note "rows transferred shards -> coordinator: pushed down $rows_on, partitionwise off $rows_off, GROUP BY customer_id % 10 $rows_bucket"
bytes=$(val coord -F ' ' -c "SELECT (SELECT sum(octet_length(customer_id::text) + octet_length(s::text)) FROM ($(summary_q orders_single)) x),
                                    (SELECT sum(octet_length(customer_id::text) + coalesce(octet_length(ordered_at::text), 0) + coalesce(octet_length(amount::text), 0)) FROM orders_single)")
note "payload as text (what postgres_fdw fetches): summaries ${bytes% *} bytes vs raw orders ${bytes#* } bytes"

# 6. The server option extensions 'rfm' is what lets the aggregate travel.
plan=$(val coord <<SQL
BEGIN;
ALTER SERVER shard0 OPTIONS (DROP extensions);
ALTER SERVER shard1 OPTIONS (DROP extensions);
$PW_ON
EXPLAIN (VERBOSE, COSTS OFF) $(summary_q orders);
ROLLBACK;
SQL
)
check "without extensions 'rfm' on the servers, rfm_summary is not shipped" "0" "$(pushed_lines "$plan")"

# 7. Values crossing the wire in binary: each shard's summaries COPYed out
#    with FORMAT binary (rfm_summary_send) and in on the coordinator
#    (rfm_summary_recv), as Citus moves results with its binary protocol.
on coord -c "CREATE TABLE binary_summaries (customer_id int, s rfm_summary)"
for i in 0 1; do
    on "shard$i" -c "COPY ($(summary_q "orders_p$i")) TO STDOUT (FORMAT binary)" \
        | on coord -c "COPY binary_summaries FROM STDIN (FORMAT binary)"
done
check_same "summaries shipped in binary (send/recv) = single node" "$n_customers" "" "SELECT * FROM binary_summaries" "$(summary_q orders_single)"

# 8. Citus-style two-phase aggregation, emulated: each shard returns the
#    un-finalized transition state as text (the state type's output function,
#    what Citus's worker_partial_agg does), the coordinator reads it back
#    (input function), merges with the combine function and finalizes (what
#    coord_combine_agg does). Helper aggregates over the extension's own
#    support functions; the extension itself is untouched.
for node in "${NODES[@]}"; do
    on "$node" <<'SQL'
CREATE AGGREGATE scaleout_partial(timestamptz, numeric, timestamptz, interval) (
    SFUNC = rfm_summary_trans, STYPE = rfm_summary);
CREATE AGGREGATE scaleout_combine(rfm_summary) (
    SFUNC = rfm_summary_combine, STYPE = rfm_summary, FINALFUNC = rfm_summary_final);
SQL
done
on coord -c "CREATE TABLE partial_states (grp text, key text, state text)"
for i in 0 1; do
    on "shard$i" -c "COPY (
        SELECT 'bucket', (customer_id % 10)::text, scaleout_partial(ordered_at, amount, $AS_OF, $PERIOD)::text
        FROM orders_p$i GROUP BY 2
        UNION ALL
        SELECT 'month', date_trunc('month', ordered_at AT TIME ZONE 'UTC')::text, scaleout_partial(ordered_at, amount, $AS_OF, $PERIOD)::text
        FROM orders_p$i GROUP BY 2
        UNION ALL
        SELECT 'customer', customer_id::text, scaleout_partial(ordered_at, amount, $AS_OF, $PERIOD)::text
        FROM orders_p$i GROUP BY 2) TO STDOUT" \
        | on coord -c "COPY partial_states FROM STDIN"
done
# Citus would read every state with the input function; count the states
# that do not read back, or read back as something else.
on coord <<'SQL'
CREATE FUNCTION scaleout_parse(t text) RETURNS rfm_summary LANGUAGE plpgsql AS $$
BEGIN
    RETURN t::rfm_summary;
EXCEPTION WHEN invalid_text_representation THEN
    RETURN NULL;
END
$$;
SQL
roundtrip=$(val coord -F ' ' -c "SELECT count(*) FILTER (WHERE scaleout_parse(state) IS NULL),
       count(*) FILTER (WHERE scaleout_parse(state)::text <> state),
       count(*)
FROM partial_states WHERE state IS NOT NULL")
bad_state=$(val coord -c "SELECT grp || ' ' || key || ': ' || state FROM partial_states WHERE state IS NOT NULL AND scaleout_parse(state) IS NULL ORDER BY 1 LIMIT 1")
check "Citus-style partial states: every state's text reads back (input) and round-trips" \
    "0 0" "${roundtrip% *}" \
    "(states that do not read back, that read back differently) of ${roundtrip##* } states${bad_state:+$'\n'first one that does not read back: $bad_state}"
# The merge itself, leaving out the states that do not read back (they are
# those of groups with no order on or before as_of, which contribute nothing).
citus_q() {
    echo "SELECT grp, key, scaleout_combine(scaleout_parse(state))::text AS s FROM partial_states GROUP BY 1, 2"
}
citus_single_q() {
    echo "SELECT 'bucket' AS grp, (customer_id % 10)::text AS key, rfm_summary(ordered_at, amount, $AS_OF, $PERIOD)::text AS s FROM orders_single GROUP BY 2
UNION ALL
SELECT 'month', date_trunc('month', ordered_at AT TIME ZONE 'UTC')::text, rfm_summary(ordered_at, amount, $AS_OF, $PERIOD)::text FROM orders_single GROUP BY 2
UNION ALL
SELECT 'customer', customer_id::text, rfm_summary(ordered_at, amount, $AS_OF, $PERIOD)::text FROM orders_single GROUP BY 2"
}
n_citus=$(val coord -c "SELECT count(*) FROM ($(citus_single_q)) x")
check_same "Citus-style partial states (text) + combine + final = single node" "$n_citus" "" "$(citus_q)" "$(citus_single_q)"

# ----------------------------------------------------------------- timings
# Best of 5 (3 for the slow ones), on the coordinator, of the per-customer summary (every row
# referenced so no column is optimized away). All on this one machine: the
# three servers share its CPUs, and "network" is loopback.

for node in "${NODES[@]}"; do create_best_ms "$node"; done
ms_single_serial=$(time_q "SET max_parallel_workers_per_gather = 0;" "$(summary_q orders_single)")
ms_single_parallel=$(time_q "SET max_parallel_workers_per_gather = 2;" "$(summary_q orders_single)")
ms_shard0=$(val shard0 -c "SELECT scaleout_best_ms(\$q\$$(summary_q orders_p0)\$q\$, 5)")
ms_shard1=$(val shard1 -c "SELECT scaleout_best_ms(\$q\$$(summary_q orders_p1)\$q\$, 5)")
ms_pushed_async=$(time_q "$PW_ON" "$(summary_q orders)")
on coord -c "ALTER SERVER shard0 OPTIONS (SET async_capable 'false')" -c "ALTER SERVER shard1 OPTIONS (SET async_capable 'false')"
ms_pushed_sync=$(time_q "$PW_ON" "$(summary_q orders)")
on coord -c "ALTER SERVER shard0 OPTIONS (SET async_capable 'true')" -c "ALTER SERVER shard1 OPTIONS (SET async_capable 'true')"
ms_not_pushed=$(time_q "$PW_OFF" "$(summary_q orders)" 3)
# fetch_size: rows per round trip of the foreign scans (default 100).
on coord -c "ALTER SERVER shard0 OPTIONS (ADD fetch_size '10000')" -c "ALTER SERVER shard1 OPTIONS (ADD fetch_size '10000')"
ms_pushed_fetch=$(time_q "$PW_ON" "$(summary_q orders)")
ms_not_pushed_fetch=$(time_q "$PW_OFF" "$(summary_q orders)" 3)
on coord -c "ALTER SERVER shard0 OPTIONS (DROP fetch_size)" -c "ALTER SERVER shard1 OPTIONS (DROP fetch_size)"
ms_bucket=$(time_q "$PW_ON" "$(bucket_q orders)" 3)
ms_bucket_single=$(time_q "" "$(bucket_q orders_single)" 3)
cat <<EOF
     # timings, per-customer summary of $n_orders orders / $n_customers customers, best of 5 (3 for the slow ones), ms:
     #   single node, serial                              $ms_single_serial
     #   single node, parallel (2 workers)                $ms_single_parallel
     #   the same query run locally on shard0 / shard1     $ms_shard0 / $ms_shard1
     #   sharded, pushed down, both shards at once        $ms_pushed_async
     #   sharded, pushed down, one shard after the other  $ms_pushed_sync
     #   sharded, not pushed (partitionwise off)          $ms_not_pushed
     #   with fetch_size 10000: pushed down $ms_pushed_fetch, not pushed $ms_not_pushed_fetch
     #   GROUP BY customer_id % 10: sharded (combine) $ms_bucket, single node $ms_bucket_single
EOF

finished=1
