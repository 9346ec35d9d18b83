#!/usr/bin/env bash
# `make bench SCALE=N`: the rfm extension against plain SQL on the same data,
# in a throwaway PostgreSQL cluster. Run as root after `make install`.
#
#   test/bench/run_bench.sh [SCALE [SCALE2]]
#
#   SCALE     orders = SCALE * 1,000,000, customers = SCALE * 100,000 (default 1;
#             fractions such as 0.1 are fine)
#   SCALE2    (env or 2nd argument) also run this scale, in the same cluster,
#             and print the scaling ratios (time at SCALE2 / time at SCALE)
#   ROUNDS    (env) timed rounds after the warm-up round (default 5)
#   BENCH_OUT (env) where logs, plans and results go (default /tmp/rfm-bench-out)
#   KEEP=1    leave the cluster running at the end (see test/lib.sh)
#   FIT_CUSTOMERS (env) customers of the model fits' table (default 1000000;
#             0 skips the fits)
#   SCALE >= 50 runs the large-shop part instead (large.sh), against
#             LARGE_BASE (default 10) in the same cluster
#
# Method: every query is run as EXPLAIN (ANALYZE, TIMING OFF, SUMMARY ON) and
# its "Execution Time" is taken: the whole plan runs, the rows are produced
# and discarded in the server, nothing is sent to or printed by the client,
# and there is no per-node clock overhead (TIMING OFF). One psql session per
# round runs all queries; round 0 is a warm-up and is not counted; the
# medians over ROUNDS rounds are printed, then the ratios the issue asks for.
#
# Honesty check (same run, same data): the extension's recency, frequency,
# monetary, score, segment and loyalty class per customer are compared with
# the tie-aware plain SQL's; any mismatch makes the bench exit non-zero.
# Performance targets are printed as met / MISSED but do not fail the bench.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=test/lib.sh
source "$here/../lib.sh"

SCALE=${1:-${SCALE:-1}}
SCALE2=${2:-${SCALE2:-}}
ROUNDS=${ROUNDS:-5}
BENCH_OUT=${BENCH_OUT:-/tmp/rfm-bench-out}
RFM_DBNAME=rfm_bench
export RFM_DBNAME

is_scale() { [[ $1 =~ ^[0-9]+([.][0-9]+)?$ ]] && awk -v s="$1" 'BEGIN { exit !(s * 100000 >= 1) }'; }
is_scale "$SCALE" || rfm_die "SCALE must be a positive number (got '$SCALE')"
[[ -z $SCALE2 ]] || is_scale "$SCALE2" || rfm_die "SCALE2 must be a positive number (got '$SCALE2')"
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || rfm_die "ROUNDS must be a positive integer (got '$ROUNDS')"
mkdir -p "$BENCH_OUT"

# The timed queries, in the order each round runs them:
#   name | file in queries/ | setting for this query only | description
QUERIES=(
    "count|count||count(*) FROM bench_orders"
    "bare_hash|bare_group_by||bare GROUP BY count/max/sum (planner's choice)"
    "bare_sort|bare_group_by|enable_hashagg = off|bare GROUP BY count/max/sum, enable_hashagg=off"
    "summary_hash|summary||rfm_summary GROUP BY (planner's choice: the fast grouping engine)"
    "summary_scored|summary_scored|max_parallel_workers_per_gather = 0|summary + rfm_score(s) OVER (), serial: RFM WindowAgg on the engine"
    "summary_scored_window|summary_scored|rfm.fast_scoring = off; max_parallel_workers_per_gather = 0|summary + rfm_score(s) OVER (), serial: WindowAgg on the engine"
    "summary_serial|summary|max_parallel_workers_per_gather = 0|rfm_summary GROUP BY, engine, serial plan"
    "summary_parallel|summary|max_parallel_workers_per_gather = 2|rfm_summary GROUP BY, engine, default parallel costs (planner's choice: the parallel engine, RFM Parallel HashAggregate under Gather)"
    "summary_parallel_1w|summary|max_parallel_workers_per_gather = 1|rfm_summary GROUP BY, engine, parallel plan with one worker and the leader"
    "summary_agg|summary|rfm.fast_grouping = off|rfm_summary GROUP BY on the built-in Agg (planner's choice)"
    "summary_agg_serial|summary|rfm.fast_grouping = off; max_parallel_workers_per_gather = 0|rfm_summary GROUP BY, built-in HashAggregate, serial"
    "summary_sort|summary|enable_hashagg = off|rfm_summary GROUP BY, enable_hashagg=off (sort + Agg)"
    "score|score||rfm_score(s) OVER () over materialized summaries"
    "score_4mb|score|work_mem = '4MB'|rfm_score(s) OVER () over materialized summaries, ranked within work_mem = 4MB (external sort past ~60,000 customers)"
    "score_breaks|score_breaks||rfm_breaks + scalar rfm_score(s, breaks) over materialized summaries"
    "plain_score|plain_score||plain SQL: 3 rank() windows over materialized figures"
    "extension|extension||extension end to end (summary+score+segment+loyalty)"
    "extension_window|extension|rfm.fast_scoring = off|extension end to end, WindowAgg instead of RFM WindowAgg"
    "extension_agg|extension|rfm.fast_grouping = off|extension end to end, engine off (built-in Agg)"
    "extension_breaks|extension_breaks||extension end to end, rfm_breaks + scalar scores instead of the window"
    "plain_rank|plain_rank||plain SQL end to end, tie-aware rank()"
    "plain_ntile|plain_ntile||plain SQL end to end, naive ntile(5)"
    "history|history||rfm_history GROUP BY (planner's choice: the engine, RFM History HashAggregate)"
    "history_agg|history|rfm.fast_grouping = off|rfm_history GROUP BY on the built-in Agg"
    "predict|predict||rfm_history + BG/NBD + Gamma-Gamma fits + predictions, end to end (planner's choice)"
    "predict_agg|predict|rfm.fast_grouping = off|prediction end to end, the histories on the built-in Agg"
)

query_text() { grep -v '^[[:space:]]*--' "$here/queries/$1.sql"; }

bench_psql() { rfm_psql -d "$RFM_DBNAME" -v ON_ERROR_STOP=1 "$@"; }

seconds_since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }

# The script of one round: every query once, under EXPLAIN ANALYZE, each
# preceded by a marker line the parser keys on.
write_round_script() {
    local entry name file setting desc
    local -a settings
    local one
    {
        echo "SET TimeZone = 'UTC';"
        for entry in "${QUERIES[@]}"; do
            IFS='|' read -r name file setting desc <<<"$entry"
            printf '\\echo @@ %s\n' "$name"
            # several settings are separated by ';'
            IFS=';' read -r -a settings <<<"$setting"
            for one in "${settings[@]}"; do echo "SET $one;"; done
            echo "EXPLAIN (ANALYZE, TIMING OFF, SUMMARY ON)"
            query_text "$file"
            echo ";"
            for one in "${settings[@]}"; do one=${one#"${one%%[! ]*}"}; echo "RESET ${one%% =*};"; done
        done
    } >"$1"
}

# "name seconds" per query of a round's output.
parse_times() {
    awk '/^@@ / { q = $2; next }
         /Execution Time:/ { for (i = 1; i <= NF; i++) if ($i == "Time:") printf "%s %.6f\n", q, $(i + 1) / 1000 }' "$1"
}

# One line per query: the plan's node names, top down, and any spill to disk.
plan_shapes() {
    awk '/^@@ / { if (q != "") print q ": " shape spill; q = $2; shape = ""; spill = ""; next }
         /\(cost=/ { line = $0; sub(/^[ ]*(->[ ]*)?/, "", line); sub(/  \(cost=.*/, "", line)
                     shape = shape (shape == "" ? "" : " > ") line; next }
         /Disk:|Disk Usage:/ { spill = " [spills to disk]" }
         /Batches: [0-9]+/ { for (i = 1; i <= NF; i++) if ($i == "Batches:" && $(i + 1) + 0 > 1) spill = " [spills to disk]" }
         END { if (q != "") print q ": " shape spill }' "$1"
}

# "name kB" per query: the memory its plan reports (EXPLAIN ANALYZE), summed
# over nodes and processes: HashAggregate "Memory Usage", the engine's "Peak
# Memory Usage", sorts' "Memory" (work_mem-bounded working memory; WindowAgg
# and CTE tuplestores are not reported by PostgreSQL 15).
plan_memory() {
    awk '/^@@ / { if (q != "") print q, kb + 0; q = $2; kb = 0; next }
         { for (i = 1; i < NF; i++) if ($i ~ /^(Usage|Memory):$/ && $(i + 1) ~ /^[0-9]+(kB)?$/) {
               v = $(i + 1); sub(/kB/, "", v); kb += v } }
         END { if (q != "") print q, kb + 0 }' "$1"
}

# Median over rounds of (time of $2 - time of $3) / time of $3, each pair
# from the same round: what query $2 adds to query $3, relative to it.
paired_overhead() {
    awk -v a="$2" -v b="$3" '$2 == a { ta[$1] = $3 } $2 == b { tb[$1] = $3 }
         END { for (r in ta) if ((r in tb) && tb[r] > 0) print (ta[r] - tb[r]) / tb[r] }' "$1" | median_of
}

median_of() {  # median of the numbers on stdin
    sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) printf "%.3f\n", v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "nan" }'; }
# verdict VALUE OP LIMIT: "met" when VALUE OP LIMIT holds
verdict() { awk -v v="$1" -v l="$3" -v op="$2" 'BEGIN { ok = (op == ">=") ? (v >= l) : (v <= l); print (ok ? "met" : "MISSED") }'; }

declare -A MEDIAN   # MEDIAN[scale,query] = seconds

run_scale() {
    local scale=$1 orders customers out start entry name file setting desc r
    orders=$(awk -v s="$scale" 'BEGIN { printf "%d", s * 1000000 + 0.5 }')
    customers=$(awk -v s="$scale" 'BEGIN { printf "%d", s * 100000 + 0.5 }')
    out=$BENCH_OUT/scale-$scale
    mkdir -p "$out"

    echo
    echo "=== SCALE=$scale: $orders orders, $customers customers; $ROUNDS rounds after a warm-up ==="
    start=$(date +%s.%N)
    bench_psql -q -v orders="$orders" -v customers="$customers" -f "$here/generate.sql"
    echo "bench: generated and vacuumed in $(seconds_since "$start")s"

    # The inputs of the two "scoring alone" queries, materialized once.
    bench_psql -q <<SQL
SET TimeZone = 'UTC';
SET client_min_messages = warning;
DROP TABLE IF EXISTS bench_summaries, bench_figures;
CREATE TABLE bench_summaries AS $(query_text summary);
CREATE TABLE bench_figures AS
    SELECT customer_id, recency(s) AS recency_days, frequency(s) AS frequency, monetary(s) AS monetary
    FROM bench_summaries;
VACUUM (FREEZE, ANALYZE) bench_summaries, bench_figures;
SQL
    bench_psql -qAt -F ' ' >"$out/data.txt" <<'SQL'
SET TimeZone = 'UTC';
WITH c AS (
    SELECT customer_id, count(*) AS n,
           count(*) FILTER (WHERE ordered_at > timestamptz '2026-11-23 00:00+00' - interval '1 year') AS f
    FROM bench_orders GROUP BY customer_id
), top AS (
    SELECT n FROM c ORDER BY n DESC LIMIT (SELECT greatest(1, count(*) / 100) FROM c)
)
SELECT 'orders', sum(n), 'customers', count(*),
       'table', pg_size_pretty(pg_relation_size('bench_orders')),
       'one_order', round(avg((n = 1)::int), 3), 'lapsed_1y', round(avg((f = 0)::int), 3),
       'loyal_1y', round(avg((f >= 10)::int), 3),
       'median_orders', percentile_disc(0.5) WITHIN GROUP (ORDER BY n),
       'p99_orders', percentile_disc(0.99) WITHIN GROUP (ORDER BY n), 'max_orders', max(n),
       'top1pct_share', round((SELECT sum(n) FROM top) / sum(n), 3)
FROM c;
SQL
    echo "bench: data: $(cat "$out/data.txt")"

    write_round_script "$out/round.sql"
    : >"$out/times.txt"
    for ((r = 0; r <= ROUNDS; r++)); do
        start=$(date +%s.%N)
        bench_psql -qAt -f "$out/round.sql" >"$out/round-$r.txt"
        # The load average shows whether something else ran on the machine.
        if ((r == 0)); then
            echo "bench: warm-up round in $(seconds_since "$start")s (loadavg $(cut -d' ' -f1-3 /proc/loadavg))"
        else
            parse_times "$out/round-$r.txt" | sed "s/^/$r /" >>"$out/times.txt"
            echo "bench: round $r/$ROUNDS in $(seconds_since "$start")s (loadavg $(cut -d' ' -f1-3 /proc/loadavg))"
        fi
    done
    plan_shapes "$out/round-1.txt" >"$out/plans.txt"
    plan_memory "$out/round-1.txt" >"$out/memory.txt"

    echo
    printf '%-14s %9s  %s\n' query median_s "(SCALE=$scale; all rounds: $out/times.txt)"
    for entry in "${QUERIES[@]}"; do
        IFS='|' read -r name file setting desc <<<"$entry"
        MEDIAN[$scale,$name]=$(awk -v q="$name" '$2 == q { print $3 }' "$out/times.txt" | median_of)
        printf '%-14s %9s  %s\n' "$name" "${MEDIAN[$scale,$name]}" "$desc"
    done
    echo
    echo "plans (round 1; full EXPLAIN output in $out/round-1.txt):"
    sed 's/^/  /' "$out/plans.txt"
    echo
    echo "memory the plans report (round 1, kB summed over nodes and processes; 0 = none reported):"
    awk '{ printf "  %-18s %9d kB\n", $1, $2 }' "$out/memory.txt"

    local m_bare_best m_sum_best e2e e2e_ntile s_hash s_best sc sc_engine sc_window e2e_breaks eng_agg
    local mem_ratio mem_engine mem_agg par
    m_bare_best=$(printf '%s\n%s\n' "${MEDIAN[$scale,bare_hash]}" "${MEDIAN[$scale,bare_sort]}" | sort -g | head -n 1)
    m_sum_best=$(printf '%s\n%s\n' "${MEDIAN[$scale,summary_hash]}" "${MEDIAN[$scale,summary_sort]}" | sort -g | head -n 1)
    e2e=$(ratio "${MEDIAN[$scale,plain_rank]}" "${MEDIAN[$scale,extension]}")
    e2e_ntile=$(ratio "${MEDIAN[$scale,plain_ntile]}" "${MEDIAN[$scale,extension]}")
    s_hash=$(ratio "${MEDIAN[$scale,summary_hash]}" "${MEDIAN[$scale,bare_hash]}")
    s_best=$(ratio "$m_sum_best" "$m_bare_best")
    sc=$(ratio "${MEDIAN[$scale,score]}" "${MEDIAN[$scale,summary_hash]}")
    sc_engine=$(paired_overhead "$out/times.txt" summary_scored summary_serial)
    sc_window=$(paired_overhead "$out/times.txt" summary_scored_window summary_serial)
    e2e_breaks=$(ratio "${MEDIAN[$scale,plain_rank]}" "${MEDIAN[$scale,extension_breaks]}")
    eng_agg=$(ratio "${MEDIAN[$scale,summary_hash]}" "${MEDIAN[$scale,summary_agg]}")
    # serial against serial: EXPLAIN shows no worker's memory for the engine's partial step
    mem_engine=$(awk '$1 == "summary_serial" { print $2 }' "$out/memory.txt")
    mem_agg=$(awk '$1 == "summary_agg_serial" { print $2 }' "$out/memory.txt")
    mem_ratio=$(ratio "$mem_engine" "$mem_agg")
    echo
    echo "ratios (SCALE=$scale; targets are for SCALE=10):"
    printf '  %-58s %6s  target >= 6    %s\n' "end to end: plain tie-aware / extension" "$e2e" "$(verdict "$e2e" '>=' 6)"
    printf '  %-58s %6s  (info)\n' "end to end: plain tie-aware / extension with breaks" "$e2e_breaks"
    printf '  %-58s %6s  (info)\n' "end to end: plain ntile / extension" "$e2e_ntile"
    printf '  %-58s %6s  target <= 0.35 %s\n' "summary via engine / bare GROUP BY (both planner's choice)" "$s_hash" "$(verdict "$s_hash" '<=' 0.35)"
    printf '  %-58s %6s  (info)\n' "summary via engine / rfm_summary on the built-in Agg" "$eng_agg"
    par=$(ratio "${MEDIAN[$scale,summary_parallel]}" "${MEDIAN[$scale,summary_serial]}")
    printf '  %-58s %6s  target <= 0.70 %s\n' "summary via engine: parallel plan (2 workers) / serial plan" "$par" "$(verdict "$par" '<=' 0.70)"
    printf '  %-58s %6s  (info)\n' "summary via engine: parallel plan (1 worker) / serial plan" \
        "$(ratio "${MEDIAN[$scale,summary_parallel_1w]}" "${MEDIAN[$scale,summary_serial]}")"
    printf '  %-58s %6s  target <= 0.33 %s\n' "memory, serial: engine / HashAggregate ($mem_engine / $mem_agg kB)" "$mem_ratio" "$(verdict "$mem_ratio" '<=' 0.33)"
    printf '  %-58s %6s  (info)\n' "summary best plan / bare GROUP BY best plan" "$s_best"
    printf '  %-58s %6s  target <= 0.10 %s\n' "scoring on the engine (RFM WindowAgg) / summary, paired" "$sc_engine" "$(verdict "$sc_engine" '<=' 0.10)"
    printf '  %-58s %6s  (info)\n' "scoring on the engine with WindowAgg / summary, paired" "$sc_window"
    printf '  %-58s %6s  (info)\n' "end to end: extension with WindowAgg / with RFM WindowAgg" \
        "$(ratio "${MEDIAN[$scale,extension_window]}" "${MEDIAN[$scale,extension]}")"
    printf '  %-58s %6s  (info)\n' "scoring materialized summaries (window) / summary" "$sc"
    printf '  %-58s %6s  (info)\n' "scoring materialized summaries (breaks + scalar) / summary" \
        "$(ratio "${MEDIAN[$scale,score_breaks]}" "${MEDIAN[$scale,summary_hash]}")"
    printf '  %-58s %6s  (info)\n' "scoring: extension window / plain 3 rank() windows" \
        "$(ratio "${MEDIAN[$scale,score]}" "${MEDIAN[$scale,plain_score]}")"
    printf '  %-58s %6s  (info)\n' "bare GROUP BY / count(*)" "$(ratio "${MEDIAN[$scale,bare_hash]}" "${MEDIAN[$scale,count]}")"
    local h_ratio
    h_ratio=$(ratio "${MEDIAN[$scale,history]}" "${MEDIAN[$scale,history_agg]}")
    printf '  %-58s %6s  target <= 0.25 %s\n' "rfm_history via engine / on the built-in Agg" "$h_ratio" "$(verdict "$h_ratio" '<=' 0.25)"
    printf '  %-58s %6s  target <= 3 s  %s\n' "prediction end to end, seconds" "${MEDIAN[$scale,predict]}" "$(verdict "${MEDIAN[$scale,predict]}" '<=' 3)"
    printf '  %-58s %6s  (info)\n' "prediction end to end: engine / built-in Agg" "$(ratio "${MEDIAN[$scale,predict]}" "${MEDIAN[$scale,predict_agg]}")"
    {
        echo "scale $scale ratio e2e_plain_rank_over_extension $e2e"
        echo "scale $scale ratio e2e_plain_ntile_over_extension $e2e_ntile"
        echo "scale $scale ratio summary_over_bare_planner $s_hash"
        echo "scale $scale ratio summary_best_over_bare_best $s_best"
        echo "scale $scale ratio score_over_summary $sc"
        echo "scale $scale ratio scoring_engine_over_summary_paired $sc_engine"
        echo "scale $scale ratio scoring_windowagg_over_summary_paired $sc_window"
        echo "scale $scale ratio e2e_plain_rank_over_extension_breaks $e2e_breaks"
        echo "scale $scale ratio summary_engine_over_agg $eng_agg"
        echo "scale $scale ratio memory_engine_over_serial_hashagg $mem_ratio"
        echo "scale $scale ratio history_engine_over_agg $h_ratio"
        awk -v s="$scale" '{ print "scale " s " memory_kb " $1 " " $2 }' "$out/memory.txt"
        for entry in "${QUERIES[@]}"; do
            IFS='|' read -r name file setting desc <<<"$entry"
            echo "scale $scale median $name ${MEDIAN[$scale,$name]}"
        done
    } >"$out/results.txt"

    check_honesty "$scale" "$customers" "$out"
    check_history "$scale" "$out"
}

# The engine's histories against the built-in Agg's, as text (issue 21).
check_history() {
    local scale=$1 out=$2 line n differ
    line=$(bench_psql -qAt -F ' ' <<SQL
SET TimeZone = 'UTC';
CREATE TEMP TABLE chk_history_engine AS SELECT customer_id, h::text AS h FROM ($(query_text history)) AS x;
SET rfm.fast_grouping = off;
CREATE TEMP TABLE chk_history_agg AS SELECT customer_id, h::text AS h FROM ($(query_text history)) AS x;
SELECT (SELECT count(*) FROM chk_history_engine),
       (SELECT count(*) FROM (TABLE chk_history_engine EXCEPT ALL TABLE chk_history_agg) x)
           + (SELECT count(*) FROM (TABLE chk_history_agg EXCEPT ALL TABLE chk_history_engine) y);
SQL
    )
    read -r n differ <<<"$line"
    echo "  rfm_history engine vs built-in Agg: $n histories, $differ differ (as text, EXCEPT ALL both ways)"
    echo "scale $scale check_history $line" >>"$out/results.txt"
    if [[ $differ != 0 ]]; then
        echo "bench: FAILED: the engine's histories differ from Agg's"
        HONEST=0
    fi
}

# The extension's figures, scores, segments and loyalty classes against the
# tie-aware plain SQL's, customer by customer; the naive ntile version's
# differences are counted for information.
check_honesty() {
    local scale=$1 customers=$2 out=$3 line
    local n missing rfm score segment loyalty nt_score nt_segment breaks engine window
    line=$(bench_psql -qAt -F ' ' <<SQL
SET TimeZone = 'UTC';
CREATE TEMP TABLE chk_ext AS
    SELECT customer_id, recency(s) AS recency_days, frequency(s) AS frequency,
           monetary(s) AS monetary, score::text AS score, segment::text AS segment,
           loyalty::text AS loyalty
    FROM ($(query_text extension)) AS e;
CREATE TEMP TABLE chk_plain AS $(query_text plain_rank);
CREATE TEMP TABLE chk_breaks AS
    SELECT customer_id, score::text AS score, segment::text AS segment FROM ($(query_text extension_breaks)) AS b;
CREATE TEMP TABLE chk_engine AS SELECT customer_id, s::text AS s FROM ($(query_text summary)) AS x;
SET rfm.fast_scoring = off;
CREATE TEMP TABLE chk_window AS
    SELECT customer_id, score::text AS score, segment::text AS segment FROM ($(query_text extension)) AS w;
RESET rfm.fast_scoring;
SET rfm.fast_grouping = off;
CREATE TEMP TABLE chk_agg AS SELECT customer_id, s::text AS s FROM ($(query_text summary)) AS x;
RESET rfm.fast_grouping;
CREATE TEMP TABLE chk_ntile AS $(query_text plain_ntile);
SELECT count(*),
       count(*) FILTER (WHERE e.customer_id IS NULL OR p.customer_id IS NULL),
       count(*) FILTER (WHERE e.recency_days IS DISTINCT FROM p.recency_days
                           OR e.frequency IS DISTINCT FROM p.frequency
                           OR e.monetary IS DISTINCT FROM p.monetary),
       count(*) FILTER (WHERE e.score IS DISTINCT FROM p.score),
       count(*) FILTER (WHERE e.segment IS DISTINCT FROM p.segment),
       count(*) FILTER (WHERE e.loyalty IS DISTINCT FROM p.loyalty),
       count(*) FILTER (WHERE e.score IS DISTINCT FROM t.score),
       count(*) FILTER (WHERE e.segment IS DISTINCT FROM t.segment),
       count(*) FILTER (WHERE e.score IS DISTINCT FROM b.score OR e.segment IS DISTINCT FROM b.segment),
       (SELECT count(*) FROM (TABLE chk_engine EXCEPT ALL TABLE chk_agg) x)
           + (SELECT count(*) FROM (TABLE chk_agg EXCEPT ALL TABLE chk_engine) y),
       count(*) FILTER (WHERE w.customer_id IS NULL OR e.score IS DISTINCT FROM w.score
                           OR e.segment IS DISTINCT FROM w.segment)
FROM chk_ext AS e
FULL JOIN chk_plain AS p USING (customer_id)
LEFT JOIN chk_ntile AS t USING (customer_id)
LEFT JOIN chk_breaks AS b USING (customer_id)
LEFT JOIN chk_window AS w USING (customer_id);
SQL
    )
    read -r n missing rfm score segment loyalty nt_score nt_segment breaks engine window <<<"$line"
    echo
    echo "honesty check (SCALE=$scale): $n customers (expected $customers);" \
        "mismatches extension vs tie-aware plain SQL:" \
        "missing=$missing recency/frequency/monetary=$rfm score=$score segment=$segment loyalty=$loyalty"
    echo "  (info) naive ntile version differs from the tie-aware scores for $nt_score customers" \
        "and in segment for $nt_segment"
    echo "  engine vs built-in Agg: $engine summaries differ (as text, EXCEPT ALL both ways);" \
        "window vs breaks + scalar scoring: $breaks customers differ in score or segment;" \
        "RFM WindowAgg vs WindowAgg: $window"
    echo "scale $scale check $line" >>"$out/results.txt"
    if [[ $n != "$customers" || $missing != 0 || $rfm != 0 || $score != 0 || $segment != 0 || $loyalty != 0 ||
          $breaks != 0 || $engine != 0 || $window != 0 ]]; then
        echo "bench: FAILED: the extension and the plain SQL disagree (see above)"
        HONEST=0
    fi
}

# The model fits over FIT_CUSTOMERS customers' (x, t_x, T) drawn from a
# Pareto/NBD process (generate_fits.sql), each round: a plain-SQL pass over
# the same rows (count and sums: what reading them costs), bgnbd_fit,
# pareto_nbd_fit, mbgnbd_fit and bgbb_fit (weeks as opportunities), serial (a fit's final function runs in one
# process; the scan of the rows could be parallel, the maximization cannot).
run_fits() {
    local customers=$1 out=$BENCH_OUT/fits r start name
    mkdir -p "$out"
    echo
    echo "=== model fits: $customers customers' histories; $ROUNDS rounds after a warm-up ==="
    start=$(date +%s.%N)
    bench_psql -q -v customers="$customers" -f "$here/generate_fits.sql"
    echo "bench: generated and vacuumed in $(seconds_since "$start")s"
    {
        echo "SET max_parallel_workers_per_gather = 0;"
        echo '\echo @@ fit_plain_pass'
        echo "EXPLAIN (ANALYZE, TIMING OFF, SUMMARY ON) SELECT count(*), sum(x), sum(t_x), sum(t) FROM bench_fit;"
        echo '\echo @@ fit_bgnbd'
        echo "EXPLAIN (ANALYZE, TIMING OFF, SUMMARY ON) SELECT bgnbd_fit(x, t_x, t) FROM bench_fit;"
        echo '\echo @@ fit_pareto_nbd'
        echo "EXPLAIN (ANALYZE, TIMING OFF, SUMMARY ON) SELECT pareto_nbd_fit(x, t_x, t) FROM bench_fit;"
        echo '\echo @@ fit_mbgnbd'
        echo "EXPLAIN (ANALYZE, TIMING OFF, SUMMARY ON) SELECT mbgnbd_fit(x, t_x, t) FROM bench_fit;"
        # BG/BB on the same customers with weeks as opportunities (at most one transaction a week)
        echo '\echo @@ fit_bgbb'
        echo "EXPLAIN (ANALYZE, TIMING OFF, SUMMARY ON) SELECT bgbb_fit(least(x, ceil(t_x)), ceil(t_x), ceil(t)) FROM bench_fit;"
    } >"$out/round.sql"
    : >"$out/times.txt"
    for ((r = 0; r <= ROUNDS; r++)); do
        bench_psql -qAt -f "$out/round.sql" >"$out/round-$r.txt"
        ((r == 0)) || parse_times "$out/round-$r.txt" | sed "s/^/$r /" >>"$out/times.txt"
    done
    bench_psql -qAt -c "SELECT 'bench: fitted: BG/NBD ' || bgnbd_fit(x, t_x, t)::text || ', Pareto/NBD ' || pareto_nbd_fit(x, t_x, t)::text || ', MBG/NBD ' || mbgnbd_fit(x, t_x, t)::text || ', BG/BB ' || bgbb_fit(least(x, ceil(t_x)), ceil(t_x), ceil(t))::text FROM bench_fit"
    echo
    printf '%-16s %9s  %s\n' query median_s "(loadavg $(cut -d' ' -f1-3 /proc/loadavg); all rounds: $out/times.txt)"
    for name in fit_plain_pass fit_bgnbd fit_pareto_nbd fit_mbgnbd fit_bgbb; do
        MEDIAN[fits,$name]=$(awk -v q="$name" '$2 == q { print $3 }' "$out/times.txt" | median_of)
        printf '%-16s %9s\n' "$name" "${MEDIAN[fits,$name]}"
    done
    echo "ratios (fit / plain pass over the same rows, medians):"
    printf '  %-40s %6s\n' "bgnbd_fit / plain pass" "$(ratio "${MEDIAN[fits,fit_bgnbd]}" "${MEDIAN[fits,fit_plain_pass]}")"
    printf '  %-40s %6s\n' "pareto_nbd_fit / plain pass" "$(ratio "${MEDIAN[fits,fit_pareto_nbd]}" "${MEDIAN[fits,fit_plain_pass]}")"
    printf '  %-40s %6s\n' "mbgnbd_fit / plain pass" "$(ratio "${MEDIAN[fits,fit_mbgnbd]}" "${MEDIAN[fits,fit_plain_pass]}")"
    printf '  %-40s %6s\n' "bgbb_fit (weeks as opportunities) / plain pass" "$(ratio "${MEDIAN[fits,fit_bgbb]}" "${MEDIAN[fits,fit_plain_pass]}")"
    printf '  %-40s %6s\n' "pareto_nbd_fit / bgnbd_fit" "$(ratio "${MEDIAN[fits,fit_pareto_nbd]}" "${MEDIAN[fits,fit_bgnbd]}")"
    for name in fit_plain_pass fit_bgnbd fit_pareto_nbd fit_mbgnbd fit_bgbb; do
        echo "fits $customers median $name ${MEDIAN[fits,$name]}"
    done >"$out/results.txt"
}

HONEST=1
rfm_cluster_cleanup_trap
rfm_cluster_start

# Server settings of the issue's measurements; shared_buffers needs a restart.
rfm_psql -d postgres -q -v ON_ERROR_STOP=1 <<'SQL'
ALTER SYSTEM SET shared_buffers = '2GB';
ALTER SYSTEM SET work_mem = '256MB';
ALTER SYSTEM SET jit = off;
ALTER SYSTEM SET max_parallel_workers_per_gather = 2;
ALTER SYSTEM SET max_wal_size = '8GB';
-- the fast grouping engine's planner hook is there from a session's first query
ALTER SYSTEM SET session_preload_libraries = 'rfm';
SQL
rfm_as_pg "$RFM_BINDIR/pg_ctl" restart -w -t 120 -D "$RFM_PGDATA" -l "$RFM_TMP/server.log" \
    -o "-p $RFM_PORT" >/dev/null || rfm_die "restart with the bench settings failed"
rfm_psql -d postgres -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE $RFM_DBNAME"
bench_psql -q -c "CREATE EXTENSION rfm"

{
    echo "machine: $(nproc) CPUs, $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)," \
        "$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
    echo "server: $(bench_psql -qAt -c 'SHOW server_version')," \
        "$(bench_psql -qAt -c "SELECT string_agg(name || '=' || setting || coalesce(unit, ''), ', ' ORDER BY name)
            FROM pg_settings WHERE name IN ('shared_buffers', 'work_mem', 'jit',
            'max_parallel_workers_per_gather', 'hash_mem_multiplier')")"
    echo "rfm: $(bench_psql -qAt -c "SELECT extversion FROM pg_extension WHERE extname = 'rfm'")," \
        "git $(git -C "$RFM_REPO" rev-parse --short HEAD 2>/dev/null || echo '?')$([[ -z $(git -C "$RFM_REPO" status --porcelain -- src sql 2>/dev/null) ]] || echo ' (+ uncommitted or untracked changes in src/ or sql/)')"
} | tee "$BENCH_OUT/machine.txt"

# The installed library is shared by everything on this machine: if it is
# replaced while the bench runs, the numbers mix two builds.
lib_sum() { md5sum "$RFM_PKGLIBDIR/rfm.so" 2>/dev/null | cut -c1-12; }
LIB_SUM=$(lib_sum)
echo "rfm.so: $RFM_PKGLIBDIR/rfm.so md5 $LIB_SUM" | tee -a "$BENCH_OUT/machine.txt"

# SCALE >= 50 (make bench SCALE=100): the large-shop part instead (large.sh:
# the nightly queries at SCALE and at LARGE_BASE, default 10, at work_mem
# 4MB and 256MB, with each backend's peak memory and the temp bytes).
if awk -v s="$SCALE" 'BEGIN { exit !(s >= 50) }'; then
    RFM_BINDIR=$RFM_BINDIR "$here/large.sh" "$RFM_HOST" "$RFM_PORT" "$RFM_DBNAME" "$BENCH_OUT/large" \
        "$SCALE" "${LARGE_BASE:-10}" | tee "$BENCH_OUT/large.txt"
    ((PIPESTATUS[0] == 0)) || { echo "bench: the large part FAILED (see $BENCH_OUT/large)"; exit 1; }
    echo "bench: done (results under $BENCH_OUT)"
    exit 0
fi

run_scale "$SCALE"
if [[ -n $SCALE2 ]]; then
    run_scale "$SCALE2"
    echo
    echo "scaling SCALE=$SCALE -> SCALE=$SCALE2 (orders x$(ratio "$SCALE2" "$SCALE")), time ratio of medians:"
    for name in count bare_hash bare_sort summary_hash summary_agg summary_sort score extension extension_breaks plain_rank plain_ntile; do
        printf '  %-14s %6s\n' "$name" "$(ratio "${MEDIAN[$SCALE2,$name]}" "${MEDIAN[$SCALE,$name]}")"
    done
    if [[ $(ratio "$SCALE2" "$SCALE") == "10.00" ]]; then
        echo "  target (1M -> 10M orders): summary and end to end at most ~11x:" \
            "summary $(verdict "$(ratio "${MEDIAN[$SCALE2,summary_hash]}" "${MEDIAN[$SCALE,summary_hash]}")" '<=' 11)," \
            "end to end $(verdict "$(ratio "${MEDIAN[$SCALE2,extension]}" "${MEDIAN[$SCALE,extension]}")" '<=' 11)"
    fi
fi

# The shapes part (issue 19), on the data of the last scale (the issue's
# figures: SCALE=5, 5M orders / 500k customers); SHAPES=0 skips it.
if [[ ${SHAPES:-1} != 0 ]]; then
    echo
    echo "=== shapes (issue 19) on the SCALE=${SCALE2:-$SCALE} data ==="
    RFM_BINDIR=$RFM_BINDIR "$here/shapes.sh" "$RFM_HOST" "$RFM_PORT" "$RFM_DBNAME" "$BENCH_OUT/shapes" ||
        echo "bench: the shapes part failed (see $BENCH_OUT/shapes)"
fi
FIT_CUSTOMERS=${FIT_CUSTOMERS:-1000000}
[[ $FIT_CUSTOMERS =~ ^[0-9]+$ ]] || rfm_die "FIT_CUSTOMERS must be a whole number (got '$FIT_CUSTOMERS')"
((FIT_CUSTOMERS == 0)) || run_fits "$FIT_CUSTOMERS"

if [[ $(lib_sum) != "$LIB_SUM" ]]; then
    echo
    echo "bench: WARNING: $RFM_PKGLIBDIR/rfm.so was replaced during the run (md5 $LIB_SUM -> $(lib_sum));" \
        "the numbers may mix two builds"
fi
echo
if ((HONEST)); then
    echo "bench: done (results under $BENCH_OUT)"
else
    echo "bench: FAILED honesty check (results under $BENCH_OUT)"
    exit 1
fi
