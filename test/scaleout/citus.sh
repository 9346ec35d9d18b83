#!/usr/bin/env bash
# Scale-out suite with Citus: rfm on orders distributed by customer_id over
# a Citus coordinator and two workers, checked against a single-node control.
#
#   test/scaleout/citus.sh [HOST PORT]
#
# Runs only where Citus is installed for $PG_CONFIG (citus.so in its
# pkglibdir, citus.control in its sharedir); otherwise prints one `skipped`
# line and `citus: 0 passed, 0 failed` and exits 0. Citus is not packaged in
# Debian, so CI skips it.
#
# Starts three throwaway clusters on loopback (HOST/PORT, which run_all.sh
# passes, are not used) with shared_preload_libraries = 'citus', makes one
# the coordinator and adds the other two as workers, creates rfm on the
# coordinator (Citus creates it on the workers), distributes `orders` by
# customer_id (8 shards) and loads the same generated orders
# (test/scaleout/generate.sql) into it and into a local control table
# `orders_single`. Then checks, each result as text against the single node:
#   - rfm_summary ... GROUP BY customer_id runs whole inside every shard task
#     (EXPLAIN VERBOSE, all tasks), nothing aggregated on the coordinator;
#   - scores, segments, loyalty (window functions on the coordinator over the
#     gathered summaries), frozen cut points (rfm_breaks: gathered, not
#     pushed; an error with coordinator_aggregation_strategy 'disabled');
#   - scoring against frozen cut points and segment rules held in reference
#     tables runs entirely on the workers;
#   - groupings the workers cannot finish (customer_id % 10, a month) go
#     through worker_partial_agg / coord_combine_agg (rfm_summary's text
#     form and combine function);
#   - summaries moved with and without Citus's binary protocol.
# and prints timings against the single node. Ends with
# `citus: N passed, M failed`. KEEP=1 leaves the three clusters running.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=test/lib.sh
source "$here/../lib.sh"

if [[ ! -f $RFM_PKGLIBDIR/citus.so || ! -f $("$PG_CONFIG" --sharedir)/extension/citus.control ]]; then
    echo "citus: skipped (Citus not installed for $PG_CONFIG)"
    rfm_finish citus 0
    exit
fi

SUITE=citus
DB=scaleout
NODES=(coord worker0 worker1)
RFM_EXTRA_CONF="shared_preload_libraries = 'citus'"
# shellcheck source=test/scaleout/common.sh
source "$here/common.sh"
scaleout_start_nodes

# ------------------------------------------------------------------- setup

t0=$(date +%s.%N)
for node in "${NODES[@]}"; do on "$node" -c "CREATE EXTENSION citus"; done
on coord >/dev/null <<SQL
SELECT citus_set_coordinator_host('127.0.0.1', ${N_PORT[coord]});
SELECT citus_add_node('127.0.0.1', ${N_PORT[worker0]});
-- Only on the coordinator: Citus creates it on the workers, worker1 when
-- it is added.
CREATE EXTENSION rfm;
SELECT citus_add_node('127.0.0.1', ${N_PORT[worker1]});
-- A role that can only read (created on the workers by Citus too; LOGIN:
-- Citus connects to the workers as the current role).
CREATE ROLE shop LOGIN;
SQL
on coord -f "$here/generate.sql"
# The R rfm package's default segment rules (README), as a reference table
# (a copy on every worker) and as a local table for the single node.
rules="(1,  ('Champions',          5, 5, 5, 5, 5, 5)),
    (2,  ('Potential Loyalist', 3, 5, 3, 5, 2, 5)),
    (3,  ('Loyal Customers',    2, 4, 2, 4, 2, 4)),
    (4,  ('Promising',          3, 4, 1, 3, 3, 5)),
    (5,  ('New Customers',      4, 5, 1, 3, 1, 5)),
    (6,  ('Can''t Lose Them',   1, 2, 3, 4, 4, 5)),
    (7,  ('At Risk',            1, 2, 2, 5, 4, 5)),
    (8,  ('Need Attention',     1, 3, 3, 5, 3, 5)),
    (9,  ('About To Sleep',     2, 3, 1, 3, 1, 4)),
    (10, ('Lost',               1, 1, 1, 5, 1, 5))"
on coord >/dev/null <<SQL
SET citus.shard_count = 8;
CREATE TABLE orders (customer_id int, ordered_at timestamptz, amount numeric(12,2));
SELECT create_distributed_table('orders', 'customer_id');
INSERT INTO orders SELECT * FROM orders_single;

CREATE TABLE segment_rules (priority int PRIMARY KEY, rule rfm_segment_rule);
SELECT create_reference_table('segment_rules');
INSERT INTO segment_rules VALUES $rules;
CREATE TABLE segment_rules_single (priority int PRIMARY KEY, rule rfm_segment_rule);
INSERT INTO segment_rules_single VALUES $rules;

-- Frozen cut points, computed from the distributed summaries.
CREATE TABLE rfm_cuts (b rfm_breaks);
SELECT create_reference_table('rfm_cuts');
INSERT INTO rfm_cuts SELECT rfm_breaks(s) FROM ($(summary_q orders)) per;
CREATE TABLE rfm_cuts_single AS SELECT rfm_breaks(s) AS b FROM ($(summary_q orders_single)) per;

GRANT SELECT ON orders, orders_single, segment_rules, segment_rules_single, rfm_cuts, rfm_cuts_single TO shop;
ANALYZE orders, orders_single, segment_rules, segment_rules_single, rfm_cuts, rfm_cuts_single;
SQL
note "setup (Citus on 3 nodes, generate 200k orders, distribute them, analyze): $(seconds_since "$t0")s"
echo "citus: coordinator :${N_PORT[coord]}, workers :${N_PORT[worker0]} :${N_PORT[worker1]} (127.0.0.1)"

# ------------------------------------------------------------------ checks

citus_version=$(val coord -c "SELECT citus_version()")
note "$citus_version"
note "$(val coord -c "SELECT version()")"
ext_versions() {
    local node
    for node in "${NODES[@]}"; do val "$node" -c "SELECT extversion FROM pg_extension WHERE extname = '$1'"; done | paste -sd' '
}
v=$(val coord -c "SELECT extversion FROM pg_extension WHERE extname = 'citus'")
check "citus on the coordinator and both workers, same version" "$v $v $v" "$(ext_versions citus)"
v=$(val coord -c "SELECT extversion FROM pg_extension WHERE extname = 'rfm'")
check "rfm on all three, same version (created on the coordinator only, worker1 added after)" "$v $v $v" "$(ext_versions rfm)"
check "both workers active in the cluster" 2 "$(val coord -c "SELECT count(*) FROM pg_dist_node WHERE noderole = 'primary' AND isactive AND shouldhaveshards AND groupid <> 0")"

n_orders=$(val coord -c "SELECT count(*) FROM orders_single")
n_customers=$(val coord -c "SELECT count(DISTINCT customer_id) FROM orders_single")
placements=$(val coord -c "SELECT string_agg(n::text, ' ' ORDER BY nodeport) FROM (SELECT nodeport, count(*) AS n FROM citus_shards WHERE table_name = 'orders'::regclass GROUP BY 1) p")
check "orders in 8 shards, 4 on each worker" "4 4" "$placements"
on_workers=$(val coord -c "SELECT sum(result::bigint) FROM run_command_on_shards('orders', 'SELECT count(*) FROM %s')")
check "the shards hold every order once, same rows as the control" \
    "$n_orders 0" \
    "$on_workers $(val coord -c "SELECT count(*) FROM ((SELECT * FROM orders EXCEPT ALL SELECT * FROM orders_single) UNION ALL (SELECT * FROM orders_single EXCEPT ALL SELECT * FROM orders)) d")"
note "$n_orders orders, $n_customers customers"

# Every task of the plan, not only the first.
ALL_TASKS="SET citus.explain_all_tasks = on;"
# The sharded side runs in a TimeZone far from the workers' and from the
# single-node side's: the summaries must not depend on it.
FAR="SET TimeZone = 'Asia/Kolkata';"

# task_queries PLAN REGEX: shard task queries (Query: lines) matching REGEX.
task_queries() { grep -E '^\s*Query: ' <<<"$1" | grep -cE "$2" || true; }
# Shard tasks of the plan's distributed scans: sum of their Task Counts.
task_count() { grep -oE 'Task Count: [0-9]+' <<<"$1" | awk '{ n += $3 } END { print n + 0 }'; }
# Worker ports that ran a task with the aggregate, as "port port".
task_ports() {
    grep -A1 -E '^\s*Query: .*public\.rfm_summary\(' <<<"$1" | grep -oE 'Node: host=[^ ]+ port=[0-9]+' \
        | grep -oE '[0-9]+$' | sort -u | paste -sd' '
}
top_node() { head -n 1 <<<"$1" | sed 's/^ *//'; }
workers="$(printf '%s\n' "${N_PORT[worker0]}" "${N_PORT[worker1]}" | sort | paste -sd' ')"

# 1. The per-customer summary runs whole on the shards.
plan=$(explain "$ALL_TASKS" "$(summary_q orders)")
echo "     # EXPLAIN (VERBOSE, COSTS OFF) $(summary_q orders)   -- first task of 8:"
indent "$(sed -n '1,12p' <<<"$plan")"
check "rfm_summary ... GROUP BY customer_id inside all 8 shard tasks, on both workers" \
    "8 8 $workers" \
    "$(task_count "$plan") $(task_queries "$plan" 'public\.rfm_summary\(.* GROUP BY customer_id$') $(task_ports "$plan")"
check "nothing aggregated on the coordinator (the plan is the Citus scan alone)" \
    "Custom Scan (Citus Adaptive)" "$(top_node "$plan")"
check_same "per-customer summaries: Citus = single node" "$n_customers" "$FAR" "$(summary_q orders)" "$(summary_q orders_single)"
check_same "per-customer summaries without Citus's binary protocol (text): = single node" "$n_customers" \
    "$FAR SET citus.enable_binary_protocol = off;" "$(summary_q orders)" "$(summary_q orders_single)"

plan=$(explain "$ALL_TASKS" "$(period_q orders)")
check "with a period, monetary() and float8 amounts: still in all 8 tasks, nothing on the coordinator" \
    "8 Custom Scan (Citus Adaptive)" "$(task_queries "$plan" 'public\.rfm_summary\(.* GROUP BY customer_id$') $(top_node "$plan")"
check_same "summaries with a period, monetary(), float8 amounts: Citus = single node" "$n_customers" "$FAR" "$(period_q orders)" "$(period_q orders_single)"

# 2. Scores need every customer: window functions on the coordinator over
#    the gathered summaries.
window_q() {
    echo "SELECT customer_id, rfm_summary(ordered_at, amount, $AS_OF) AS s,
       rfm_score(rfm_summary(ordered_at, amount, $AS_OF)) OVER () AS score
FROM $1 GROUP BY customer_id"
}
plan=$(explain "$ALL_TASKS" "$(window_q orders)")
check "rfm_score(rfm_summary(...)) OVER (): summaries in the 8 tasks, the window on the coordinator" \
    "8 0 WindowAgg" \
    "$(task_queries "$plan" 'public\.rfm_summary\(.* GROUP BY customer_id$') $(task_queries "$plan" 'rfm_score') $(top_node "$plan")"
check_same "rfm_score(rfm_summary(...)) OVER () on the distributed table = single node" "$n_customers" "$FAR" "$(window_q orders)" "$(window_q orders_single)"
check_same "scores, segments, loyalty, cut points over the gathered summaries (CTE) = single node" "$n_customers" "$FAR" "$(scores_q orders)" "$(scores_q orders_single)"
plan=$(explain "$ALL_TASKS" "$(scores_q orders)")
check "the CTE's summaries are computed in the 8 shard tasks, and read on the coordinator in binary" "8 1" \
    "$(task_queries "$plan" 'public\.rfm_summary\(.* GROUP BY customer_id$') $(grep -m1 -cE "read_intermediate_result\('[0-9_]+'::text, 'binary'::citus_copy_format\) intermediate_result\(customer_id integer, s public\.rfm_summary" <<<"$plan" || true)"

# 3. Frozen cut points: rfm_breaks has an internal state, which Citus does
#    not ship; it gathers the summaries and aggregates on the coordinator.
breaks_q="SELECT rfm_breaks(s) FROM ($(summary_q orders)) per"
plan=$(explain "$ALL_TASKS" "$breaks_q")
check "rfm_breaks over distributed summaries: summaries in the 8 tasks, rfm_breaks on the coordinator" \
    "8 0 Aggregate" \
    "$(task_queries "$plan" 'public\.rfm_summary\(') $(task_queries "$plan" 'rfm_breaks\(') $(top_node "$plan")"
check "frozen cut points from the distributed summaries = single node's" \
    "$(val coord -c "SELECT b FROM rfm_cuts_single")" "$(val coord -c "SELECT b FROM rfm_cuts")"
err=$(val coord -c "SET citus.coordinator_aggregation_strategy = 'disabled'" -c "$breaks_q" 2>&1 || true)
check "with coordinator_aggregation_strategy 'disabled', rfm_breaks over a distributed table is an error" \
    "ERROR:  unsupported aggregate function rfm_breaks" "$(grep -m1 ERROR <<<"$err")"

# 4. Cut points and segment rules in reference tables: scoring against them
#    needs no other customer, so the whole query runs on the workers.
ref_q() {
    echo "SELECT customer_id, s, rfm_score(s, c.b) AS frozen,
       rfm_segment(rfm_score(s, c.b), ARRAY(SELECT rule FROM $2 ORDER BY priority), 'Others') AS segment
FROM ($(summary_q "$1")) per CROSS JOIN $3 c"
}
plan=$(explain "$ALL_TASKS" "$(ref_q orders segment_rules rfm_cuts)")
echo "     # EXPLAIN (VERBOSE, COSTS OFF) scoring against the reference tables rfm_cuts and segment_rules -- first task's query:"
indent "$(grep -m1 -E '^\s*Query: ' <<<"$plan" | sed 's/^ *//')"
check "frozen scores and rule segments from reference tables: in all 8 tasks, nothing on the coordinator" \
    "8 Custom Scan (Citus Adaptive)" \
    "$(task_queries "$plan" 'rfm_segment\(public\.rfm_score\(.*segment_rules_[0-9]+.*public\.rfm_summary\(.*rfm_cuts_[0-9]+') $(top_node "$plan")"
check_same "frozen scores and rule segments computed on the workers = single node" "$n_customers" "$FAR" \
    "$(ref_q orders segment_rules rfm_cuts)" "$(ref_q orders_single segment_rules_single rfm_cuts_single)"
rules_q() {
    echo "WITH per AS MATERIALIZED ($(summary_q "$1"))
SELECT customer_id, rfm_score(s) OVER () AS score,
       rfm_segment(rfm_score(s) OVER (), ARRAY(SELECT rule FROM $2 ORDER BY priority), 'Others') AS segment
FROM per"
}
check_same "window scores segmented by the reference table's rules = single node" "$n_customers" "$FAR" \
    "$(rules_q orders segment_rules)" "$(rules_q orders_single segment_rules_single)"
frozen_vs_window=$(val coord -c "SELECT count(*) FROM ($(ref_q orders segment_rules rfm_cuts)) f JOIN ($(window_q orders)) w USING (customer_id) WHERE f.frozen IS DISTINCT FROM w.score")
check "scores against the frozen cut points = the window's scores, customer by customer" 0 "$frozen_vs_window"

# 5. Groupings the workers cannot finish: two-phase aggregation, states as
#    text (worker_partial_agg), merged with rfm_summary_combine
#    (coord_combine_agg).
plan=$(explain "$ALL_TASKS" "$(bucket_q orders)")
echo "     # EXPLAIN (VERBOSE, COSTS OFF) $(bucket_q orders)   -- first task of 8:"
indent "$(sed -n '1,15p' <<<"$plan")"
check "GROUP BY customer_id % 10: worker_partial_agg in all 8 tasks, coord_combine_agg on the coordinator" \
    "8 1" \
    "$(task_queries "$plan" 'worker_partial_agg\(.public\.rfm_summary\(') $(grep -cE '^\s*Output: .*coord_combine_agg\(' <<<"$plan" || true)"
check_same "GROUP BY customer_id % 10 via partial states + combine: Citus = single node" 10 "$FAR" "$(bucket_q orders)" "$(bucket_q orders_single)"
n_months=$(val coord -c "SELECT count(*) FROM ($(month_q orders_single)) x")
plan=$(explain "$ALL_TASKS" "$(month_q orders)")
check "GROUP BY month: worker_partial_agg in all 8 tasks" 8 "$(task_queries "$plan" 'worker_partial_agg\(.public\.rfm_summary\(')"
check_same "GROUP BY month via partial states (incl. months after as_of): Citus = single node" "$n_months" "$FAR" "$(month_q orders)" "$(month_q orders_single)"

# 6. A role with only SELECT grants: pushed down and two-phase alike.
AS_SHOP="$FAR SET ROLE shop;"
check_same "as a non-superuser (SET ROLE shop): per-customer summaries = single node" "$n_customers" "$AS_SHOP" "$(summary_q orders)" "$(summary_q orders_single)"
check_same "as a non-superuser: GROUP BY customer_id % 10 via partial states = single node" 10 "$AS_SHOP" "$(bucket_q orders)" "$(bucket_q orders_single)"
check_same "as a non-superuser: frozen scores and rule segments on the workers = single node" "$n_customers" "$AS_SHOP" \
    "$(ref_q orders segment_rules rfm_cuts)" "$(ref_q orders_single segment_rules_single rfm_cuts_single)"

# --------------------------------------------------------- data and timings

received() {
    val coord -c "EXPLAIN (ANALYZE, TIMING OFF, COSTS OFF, SUMMARY OFF) $1" 2>&1 \
        | grep -m1 -oE 'Tuple data received from nodes: .*|ERROR: .*' | sed 's/^Tuple data received from nodes: //'
}
note "data received from the workers (EXPLAIN ANALYZE): per-customer summaries $(received "$(summary_q orders)"), every order row $(received "SELECT * FROM orders")"
# Citus 13.2 cannot EXPLAIN ANALYZE a two-phase custom aggregate: its
# worker_partial_agg returns cstring. Shown, not checked: it is Citus's.
note "EXPLAIN ANALYZE of GROUP BY customer_id % 10: $(received "$(bucket_q orders)")"

create_best_ms coord
ms_single=$(time_q "SET max_parallel_workers_per_gather = 0;" "$(summary_q orders_single)")
ms_citus=$(time_q "" "$(summary_q orders)")
ms_bucket=$(time_q "" "$(bucket_q orders)" 3)
ms_bucket_single=$(time_q "SET max_parallel_workers_per_gather = 0;" "$(bucket_q orders_single)" 3)
cat <<EOF
     # timings on this one machine (3 servers share its CPUs), best of 5 (3 for GROUP BY customer_id % 10), ms:
     #   per-customer summary: single node serial $ms_single, Citus (8 shards, 2 workers) $ms_citus
     #   GROUP BY customer_id % 10: single node serial $ms_bucket_single, Citus (partial states) $ms_bucket
EOF

finished=1
