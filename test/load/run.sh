#!/usr/bin/env bash
# Bounded load test: pgbench mixing rfm scoring queries and order inserts on
# loopback, with zero failed transactions and flat backend memory.
#
#   test/load/run.sh HOST PORT   against a running server (run_all.sh)
#   test/load/run.sh             starts its own throwaway cluster
#
# Settings (environment): LOAD_SECONDS (60), LOAD_CLIENTS (16), LOAD_JOBS (2),
# LOAD_CUSTOMERS (10000), LOAD_ORDERS (100000), LOAD_MEM_ITER (N, 25).
#
# What runs, in the database rfm_load (test/load/setup.sql):
#   pgbench -c 16 -j 2 -T 60 with three scripts, weighted
#     score_range.sql @10  summaries, window scores, segments (grid and custom
#                          rules), loyalty of a block of 100 customers
#     insert.sql      @10  one new order (new customers and refunds included)
#     score_all.sql   @1   the whole base: summaries, rfm_breaks, scores
#                          against them, rfm_grid
#   and, meanwhile, one long-lived session running score_all's query (plus
#   score_range's) 3N times, recording its memory after N, 2N and 3N
#   iterations: sum(total_bytes) of pg_backend_memory_contexts and RssAnon
#   of the backend (/proc/self/status). The pgbench backends' RssAnon is
#   sampled every 2 s in an early and a late window of the run.
#
# Passes when pgbench reports 0 failed transactions and was not aborted,
# every frozen score equals the window score (mismatches = 0), and memory is
# flat: the long-lived backend's context total grows by at most 64 kB from
# N to 2N and from 2N to 3N iterations (in practice: 0 bytes), its RssAnon
# by at most 16 MB per N iterations, and no pgbench backend's RssAnon floor
# (smallest of the samples in a window) grows by more than 16 MB from the
# early to the late window (see rss_limit below for why RSS is loose).
# Ends with `load: N passed, M failed`. Run as root.
set -euo pipefail

# run_all.sh exports its temp dir (owned by postgres); lib.sh resets the
# variable when sourced, so keep it.
given_tmp=${RFM_TMP:-}
# shellcheck source=test/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
start_s=$SECONDS

seconds=${LOAD_SECONDS:-60}
clients=${LOAD_CLIENTS:-16}
jobs=${LOAD_JOBS:-2}
customers=${LOAD_CUSTOMERS:-10000}
orders=${LOAD_ORDERS:-100000}
mem_iter=${LOAD_MEM_ITER:-25}
ctx_limit=$((64 * 1024))      # bytes
# RSS limits are loose on purpose: glibc keeps a query's freed sort/hash
# peak resident (and the orders table, hence that peak, grows during the
# run), which moves RssAnon by several MB with no leak at all; a leak that
# RSS can see at this scale grows without bound. The precise check is the
# memory-context total, which must not move.
rss_limit=16384               # kB, long-lived session, per N iterations
bench_rss_limit=16384         # kB, pgbench backends' floor, early -> late


if (($# >= 2)); then
    host=$1
    port=$2
    [[ -n $given_tmp && -d $given_tmp ]] \
        || rfm_die "RFM_TMP (the running cluster's temp dir) not set: run without arguments to get a cluster of its own"
    RFM_TMP=$given_tmp
else
    rfm_cluster_cleanup_trap
    rfm_cluster_start
    host=$RFM_HOST
    port=$RFM_PORT
fi
work=$RFM_TMP/load
rm -rf "$work"
mkdir -p "$work"
cp "$RFM_REPO"/test/load/*.sql "$work/"
chown -R postgres: "$work"
db=rfm_load
psql_db() { rfm_psql -h "$host" -p "$port" -d "$db" -X -v ON_ERROR_STOP=1 "$@"; }

rfm_psql -h "$host" -p "$port" -d postgres -Atq -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
t0=$SECONDS
psql_db -q -v customers="$customers" -v orders="$orders" -f "$work/setup.sql"
echo "load: loaded $orders orders of $customers customers in $((SECONDS - t0)) s"

# The long-lived session's script: N iterations per phase, a memory line
# after each phase.
monitor_sql=$work/monitor.sql
{
    echo "\\set ON_ERROR_STOP on"
    echo "\\pset format unaligned"
    echo "\\pset tuples_only on"
    echo "\\set customers $customers"
    for phase in 1 2 3; do
        for ((i = 0; i < mem_iter; i++)); do
            echo "\\o /dev/null"
            cat "$work/score_all.sql"
            # score_range's block, at a fixed place that moves each time.
            sed -e "s/^\\\\set c .*//" -e "s/:c + 99/$(((i * 97) % (customers - 100) + 1)) + 99/" \
                -e "s/BETWEEN :c/BETWEEN $(((i * 97) % (customers - 100) + 1))/" "$work/score_range.sql"
            echo "\\o"
        done
        # the frozen-vs-window check, once per phase
        cat <<'EOF'
WITH summaries AS (
    SELECT customer_id,
           rfm_summary(ordered_at, amount, timestamptz '2026-11-23 00:00+00', interval '1 year') AS s
    FROM orders
    GROUP BY customer_id
), cuts AS (
    SELECT rfm_breaks(s) AS b FROM summaries
)
SELECT 'MISMATCHES', count(*) FILTER (WHERE score IS DISTINCT FROM frozen)
FROM (SELECT rfm_score(s) OVER () AS score, rfm_score(s, (SELECT b FROM cuts)) AS frozen
      FROM summaries) AS scored;
EOF
        cat <<EOF
SELECT 'MEM', $phase, $((phase * mem_iter)),
       (SELECT sum(total_bytes) FROM pg_backend_memory_contexts),
       (SELECT sum(used_bytes) FROM pg_backend_memory_contexts),
       (SELECT count(*) FROM pg_backend_memory_contexts),
       substring(pg_read_file('/proc/self/status') FROM 'RssAnon:\\s+(\\d+) kB');
EOF
    done
} >"$monitor_sql"
chown postgres: "$monitor_sql"

# How long one iteration takes unloaded, for the record.
t0=$(date +%s.%N)
psql_db -q -o /dev/null -f "$work/score_all.sql"
t1=$(date +%s.%N)
echo "load: one whole-base scoring query takes $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }') s unloaded"

echo "load: pgbench -n -c $clients -j $jobs -T $seconds (loopback $host:$port) while one session runs $((3 * mem_iter)) whole-base scorings"
monitor_out=$work/monitor.out
(psql_db -f "$monitor_sql" >"$monitor_out" 2>&1; echo "monitor exit $?" >>"$monitor_out") &
monitor_pid=$!

bench_out=$work/pgbench.out
bench_start=$(date +%s)
("$RFM_BINDIR/pgbench" -h "$host" -p "$port" -U postgres -n \
    -c "$clients" -j "$jobs" -T "$seconds" -P 10 --failures-detailed \
    -D customers="$customers" \
    -f "$work/score_range.sql@10" -f "$work/insert.sql@10" -f "$work/score_all.sql@1" \
    "$db" >"$bench_out" 2>&1; echo "pgbench exit $?" >>"$bench_out") &
bench_pid=$!

# RssAnon of the pgbench backends, by pid.
sample_rss() {
    local pid
    for pid in $(psql_db -Atq -c "SELECT pid FROM pg_stat_activity WHERE application_name = 'pgbench' ORDER BY pid::text"); do
        awk -v pid="$pid" '/^RssAnon:/ { print pid, $2 }' "/proc/$pid/status" 2>/dev/null || true
    done
}
# A backend's RSS at one instant depends on the query it is in (a whole-base
# scoring holds several MB of sort/hash memory), so each backend's floor is
# taken: its smallest RssAnon over samples every 2 s in an early window
# (25%-45% of the run) and in a late one (70%-90%). A leak raises the floor.
sample_window() {
    local from=$1 to=$2 out=$3 now
    : >"$out.all"
    while :; do
        now=$(($(date +%s) - bench_start))
        ((now >= to)) && break
        if ((now >= from)); then sample_rss >>"$out.all"; fi
        sleep 2
    done
    sort -k1,1 -k2,2n "$out.all" | awk '!seen[$1]++' >"$out"
    echo "load: $(wc -l <"$out.all") samples of $(wc -l <"$out") pgbench backends between $from s and $to s"
}
sample_window $((seconds / 4)) $((seconds * 45 / 100)) "$work/rss.1"
sample_window $((seconds * 7 / 10)) $((seconds * 9 / 10)) "$work/rss.2"

wait "$bench_pid" || true
echo "----- pgbench -----"
cat "$bench_out"
echo "----- end of pgbench -----"

# pgbench: no client aborted, no failed transaction, something was done.
bench_rc=$(sed -n 's/^pgbench exit //p' "$bench_out")
failed_tx=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$bench_out")
done_tx=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$bench_out")
if [[ $bench_rc == 0 && $failed_tx == 0 && ${done_tx:-0} -gt 0 ]] \
    && ! grep -qiE 'aborted|error' "$bench_out"; then
    ok "pgbench: $done_tx transactions, 0 failed, $(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$bench_out") tps"
else
    not_ok "pgbench: exit ${bench_rc:-?}, failed transactions ${failed_tx:-?}, processed ${done_tx:-?}"
fi

# pgbench backends' memory between the two samples.
read -r n_backends max_growth max_pid first_kb last_kb < <(
    awk 'NR == FNR { a[$1] = $2; next }
         ($1 in a) { n++; g = $2 - a[$1]; if (n == 1 || g > mg) { mg = g; mp = $1; f = a[$1]; l = $2 } }
         END { printf "%d %d %s %d %d\n", n, mg, mp, f, l }' "$work/rss.1" "$work/rss.2")
echo "load: pgbench backends' RssAnon floor, early vs late window:" \
    "$n_backends backends, largest growth $max_growth kB (pid $max_pid: $first_kb -> $last_kb kB)"
join "$work/rss.1" "$work/rss.2" | awk '{ printf "  pid %s: %s kB -> %s kB\n", $1, $2, $3 }'
if ((n_backends >= clients / 2 && max_growth <= bench_rss_limit)); then
    ok "pgbench backends' memory is flat (largest RssAnon floor growth $max_growth kB <= $bench_rss_limit kB)"
else
    not_ok "pgbench backends' memory: $n_backends sampled, largest RssAnon floor growth $max_growth kB (limit $bench_rss_limit kB)"
fi

# The long-lived session.
wait "$monitor_pid" || true
mon_rc=$(sed -n 's/^monitor exit //p' "$monitor_out")
echo "load: long-lived session (exit ${mon_rc:-?}):"
grep -E '^(MEM|MISMATCHES)\|' "$monitor_out" | sed 's/^/  /' || true
echo "  (MEM|phase|iterations|context total bytes|context used bytes|contexts|RssAnon kB)"
if [[ $mon_rc != 0 ]]; then
    not_ok "the long-lived session failed:"
    grep -E 'ERROR|FATAL' "$monitor_out" | head -n 10
fi
mismatch_bad=$(grep -E '^MISMATCHES\|' "$monitor_out" | grep -cvE '^MISMATCHES\|0$' || true)
mismatch_n=$(grep -cE '^MISMATCHES\|' "$monitor_out" || true)
if ((mismatch_n == 3 && mismatch_bad == 0)); then
    ok "frozen scores equal window scores under concurrent inserts (3 checks)"
else
    not_ok "frozen vs window scores: $mismatch_n checks, $mismatch_bad with mismatches"
fi
mapfile -t mem < <(grep -E '^MEM\|' "$monitor_out")
if ((${#mem[@]} == 3)); then
    IFS='|' read -r _ _ n1 ctx1 _ _ rss1 <<<"${mem[0]}"
    IFS='|' read -r _ _ n2 ctx2 _ _ rss2 <<<"${mem[1]}"
    IFS='|' read -r _ _ n3 ctx3 _ _ rss3 <<<"${mem[2]}"
    d_ctx_a=$((ctx2 - ctx1)); d_ctx_b=$((ctx3 - ctx2))
    d_rss_a=$((rss2 - rss1)); d_rss_b=$((rss3 - rss2))
    echo "load: long-lived backend: contexts $ctx1 -> $ctx2 -> $ctx3 bytes ($d_ctx_a, $d_ctx_b)," \
        "RssAnon $rss1 -> $rss2 -> $rss3 kB ($d_rss_a, $d_rss_b) after $n1, $n2, $n3 iterations"
    if ((d_ctx_a <= ctx_limit && d_ctx_b <= ctx_limit)); then
        ok "long-lived backend's memory contexts are flat (growth $d_ctx_a, $d_ctx_b bytes <= $ctx_limit)"
    else
        not_ok "long-lived backend's memory contexts grow: $d_ctx_a, $d_ctx_b bytes per $mem_iter iterations"
    fi
    if ((d_rss_a <= rss_limit && d_rss_b <= rss_limit)); then
        ok "long-lived backend's RssAnon is flat (growth $d_rss_a, $d_rss_b kB <= $rss_limit kB)"
    else
        not_ok "long-lived backend's RssAnon grows: $d_rss_a, $d_rss_b kB per $mem_iter iterations"
    fi
else
    not_ok "long-lived session recorded ${#mem[@]} memory samples, not 3"
    tail -n 20 "$monitor_out"
fi
echo "load: the long-lived session finished $(( $(stat -c %Y "$monitor_out") - bench_start )) s after pgbench started (pgbench ran $seconds s)"

rfm_psql -h "$host" -p "$port" -d postgres -Atq -c "DROP DATABASE IF EXISTS $db" || true
echo "load: took $((SECONDS - start_s)) s"
echo "load: $passed passed, $failed failed"
((failed == 0))
