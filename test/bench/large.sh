#!/usr/bin/env bash
# The large-shop part of the bench (issue 21): run_bench.sh calls it instead
# of its main part when SCALE >= 50 (make bench SCALE=100: 100M orders, 10M
# customers). The full query list at that size would take hours; this part
# times what a large shop runs nightly, at the scale asked and at a base
# scale (SCALE=10) in the same cluster, at work_mem 4MB and 256MB:
#
#   end_to_end  the README's query: summary, rfm_score(s) OVER (), segment, loyalty
#   history     rfm_history(..., interval '1 day') GROUP BY customer_id, the
#               input of the predictions
#
#   test/bench/large.sh HOST PORT DBNAME OUTDIR SCALE BASE
#
# Each query runs as EXPLAIN (ANALYZE, BUFFERS, TIMING OFF, SUMMARY ON) in a
# session of its own, LARGE_ROUNDS times (default 2; the lower is reported)
# after a warm-up at the base scale only. While it runs, every server process
# is sampled ten times a second for its private memory (RssAnon in
# /proc/PID/status: what the backend itself allocated, not the shared buffers
# it touched); the leader's and each parallel worker's peak are reported.
# Temp bytes written are the plan's "temp written" blocks (BUFFERS counts
# every BufFile of the plan, workers included) times the block size.
#
# Finally the scores of SCALE's customers ranked within work_mem = 4MB
# (external ranking) are compared with the same scores ranked in memory
# (work_mem = 4GB): any difference fails the part.
set -uo pipefail
host=${1:?usage: large.sh HOST PORT DBNAME OUTDIR SCALE BASE}
port=${2:?}
db=${3:?}
out=${4:?}
scale=${5:?}
base=${6:?}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${RFM_BINDIR:=$("${PG_CONFIG:-pg_config}" --bindir)}"
ROUNDS=${LARGE_ROUNDS:-2}
SETTINGS=(256MB 4MB)
QUERIES=(end_to_end history)
mkdir -p "$out"
lpsql() { "$RFM_BINDIR/psql" -X -h "$host" -p "$port" -U "${PGUSER:-postgres}" -d "$db" -v ON_ERROR_STOP=1 "$@"; }

query_sql() {
    case $1 in
        end_to_end) grep -v '^[[:space:]]*--' "$here/queries/extension.sql" ;;
        history) grep -v '^[[:space:]]*--' "$here/queries/history.sql" ;;
    esac
}

# Samples the private memory of every child of the postmaster until killed;
# prints "pid peak_kB what" per process seen.
postmaster_pid=$(lpsql -qAt -c "SELECT pg_postmaster_start_time() IS NOT NULL" >/dev/null &&
    head -n 1 "$(lpsql -qAt -c 'SHOW data_directory')/postmaster.pid")
sample_memory() {
    local leader=$1 pid kb what
    declare -A peak name
    trap 'for pid in "${!peak[@]}"; do echo "$pid ${peak[$pid]} ${name[$pid]}"; done; exit 0' TERM
    while :; do
        for pid in $(cat "/proc/$postmaster_pid/task/$postmaster_pid/children" 2>/dev/null); do
            kb=$(awk '/^RssAnon:/ { print $2 }' "/proc/$pid/status" 2>/dev/null) || continue
            [[ -n $kb ]] || continue
            if [[ -z ${name[$pid]:-} ]]; then
                what=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)
                if [[ $pid == "$leader" ]]; then name[$pid]=leader
                elif [[ $what == *"parallel worker for PID $leader"* ]]; then name[$pid]=worker
                else continue
                fi
            fi
            ((kb > ${peak[$pid]:-0})) && peak[$pid]=$kb
        done
        sleep 0.1
    done
}

# run_one SCALE WORK_MEM QUERY ROUND: one timed run in a session of its own;
# appends "scale work_mem query round ms temp_bytes leader_kB worker_max_kB workers"
run_one() {
    local s=$1 wm=$2 q=$3 r=$4 f=$out/run-$1-$2-$3-$4 leader='' sampler client
    {
        echo "SET TimeZone = 'UTC'; SET work_mem = '$wm'; SET application_name = 'rfm-large';"
        echo "EXPLAIN (ANALYZE, BUFFERS, TIMING OFF, SUMMARY ON)"
        query_sql "$q" | sed "s/bench_orders/$(table_of "$s")/g"
        echo ";"
    } >"$f.sql"
    lpsql -qAt -f "$f.sql" >"$f.txt" 2>&1 &
    client=$!
    # the session's pid, once it has connected and set its name
    for _ in $(seq 1 200); do
        leader=$(lpsql -qAt -c "SELECT pid FROM pg_stat_activity WHERE application_name = 'rfm-large' LIMIT 1")
        [[ -n $leader ]] && break
        sleep 0.02
    done
    sample_memory "${leader:-0}" >"$f.mem" &
    sampler=$!
    if ! wait "$client"; then
        kill -TERM "$sampler"
        echo "large: $q failed at SCALE=$s work_mem=$wm, see $f.txt"
        return 1
    fi
    kill -TERM "$sampler"
    wait "$sampler" 2>/dev/null
    awk -v s="$s" -v wm="$wm" -v q="$q" -v r="$r" -v mem="$f.mem" '
        /Execution Time:/ { ms = $3 }
        /temp .*written=/ && !seen { for (i = 1; i <= NF; i++) if ($i ~ /^written=/) { split($i, a, "="); tw = a[2] } seen = 1 }
        END {
            while ((getline line < mem) > 0) {
                split(line, f, " ")
                if (f[3] == "leader") lk = f[2]
                else if (f[3] == "worker") { nw++; if (f[2] > wk) wk = f[2] }
            }
            printf "%s %s %s %s %s %.0f %d %d %d\n", s, wm, q, r, ms, tw * 8192, lk, wk, nw
        }' "$f.txt" >>"$out/runs.txt"
}

table_of() { echo "bench_orders_$(echo "$1" | tr . _)"; }

load_scale() {
    local s=$1 orders customers t
    t=$(table_of "$s")
    orders=$(awk -v s="$s" 'BEGIN { printf "%d", s * 1000000 + 0.5 }')
    customers=$(awk -v s="$s" 'BEGIN { printf "%d", s * 100000 + 0.5 }')
    if [[ $(lpsql -qAt -c "SELECT to_regclass('$t') IS NOT NULL") == t ]]; then
        echo "large: $t already loaded"
        return 0
    fi
    local start=$SECONDS
    lpsql -q -v orders="$orders" -v customers="$customers" -f "$here/generate.sql" || return 1
    lpsql -q -c "ALTER TABLE bench_orders RENAME TO $t" || return 1
    echo "large: SCALE=$s: $orders orders, $customers customers, $(lpsql -qAt -c "SELECT pg_size_pretty(pg_relation_size('$t'))"), generated in $((SECONDS - start)) s"
}

: >"$out/runs.txt"
for s in "$base" "$scale"; do
    load_scale "$s" || { echo "large: loading SCALE=$s failed"; exit 1; }
done
for s in "$base" "$scale"; do
    for wm in "${SETTINGS[@]}"; do
        for q in "${QUERIES[@]}"; do
            [[ $s == "$base" && $wm == "${SETTINGS[0]}" ]] && run_one "$s" "$wm" "$q" 0 && sed -i '$d' "$out/runs.txt"
            for ((r = 1; r <= ROUNDS; r++)); do
                run_one "$s" "$wm" "$q" "$r" || exit 1
                echo "large: SCALE=$s work_mem=$wm $q round $r: $(tail -n 1 "$out/runs.txt" | cut -d' ' -f5) ms (loadavg $(cut -d' ' -f1-3 /proc/loadavg))"
            done
        done
    done
done

# The report: the lower of the rounds per (scale, work_mem, query).
hmm=$(lpsql -qAt -c "SHOW hash_mem_multiplier")
best() { awk -v s="$1" -v w="$2" -v q="$3" '$1 == s && $2 == w && $3 == q && (b == "" || $5 < b) { b = $5; line = $0 } END { print line }' "$out/runs.txt"; }
echo
echo "large: the lower of $ROUNDS rounds; memory = peak private memory (RssAnon) of the session's backend and of its busiest parallel worker; hash_mem_multiplier $hmm"
printf '%-8s %-7s %-11s %10s %9s %10s %11s %11s %8s\n' scale work_mem query ms ns/order temp_MB leader_MB worker_MB workers
for s in "$base" "$scale"; do
    orders=$(awk -v s="$s" 'BEGIN { printf "%d", s * 1000000 + 0.5 }')
    for wm in "${SETTINGS[@]}"; do
        for q in "${QUERIES[@]}"; do
            read -r _ _ _ _ ms tb lk wk nw <<<"$(best "$s" "$wm" "$q")"
            printf '%-8s %-7s %-11s %10.0f %9.0f %10.1f %11.1f %11.1f %8s\n' "$s" "$wm" "$q" "$ms" \
                "$(awk -v ms="$ms" -v n="$orders" 'BEGIN { print ms * 1e6 / n }')" \
                "$(awk -v b="$tb" 'BEGIN { print b / 1048576 }')" \
                "$(awk -v k="$lk" 'BEGIN { print k / 1024 }')" "$(awk -v k="$wk" 'BEGIN { print k / 1024 }')" "$nw"
            echo "large $s $wm $q ms $ms temp_bytes $tb leader_kb $lk worker_kb $wk workers $nw" >>"$out/results.txt"
        done
    done
done
echo
for wm in "${SETTINGS[@]}"; do
    for q in "${QUERIES[@]}"; do
        a=$(best "$base" "$wm" "$q" | cut -d' ' -f5)
        b=$(best "$scale" "$wm" "$q" | cut -d' ' -f5)
        awk -v a="$a" -v b="$b" -v q="$q" -v wm="$wm" -v s="$scale" -v base="$base" 'BEGIN {
            r = b / a; t = "(info)"
            if (q == "end_to_end" && s / base == 10) t = (r <= 12) ? "target <= 12: met" : "target <= 12: MISSED"
            printf "large: %s at work_mem %s: SCALE=%s / SCALE=%s = %.2f %s\n", q, wm, s, base, r, t }'
    done
done

# Scores of the large scale's customers: ranked within 4MB against in memory.
echo
t=$(table_of "$scale")
diff=$(lpsql -qAt <<SQL
SET TimeZone = 'UTC';
SET client_min_messages = warning;
DROP TABLE IF EXISTS large_summaries;
CREATE TABLE large_summaries AS $(grep -v '^[[:space:]]*--' "$here/queries/summary.sql" | sed "s/bench_orders/$t/g");
SET work_mem = '4MB';
CREATE TEMP TABLE ranked_4mb AS SELECT customer_id, rfm_score(s) OVER () AS score FROM large_summaries;
SET work_mem = '4GB';
CREATE TEMP TABLE ranked_memory AS SELECT customer_id, rfm_score(s) OVER () AS score FROM large_summaries;
SELECT (SELECT count(*) FROM large_summaries),
       (SELECT count(*) FROM (TABLE ranked_4mb EXCEPT ALL TABLE ranked_memory) a)
     + (SELECT count(*) FROM (TABLE ranked_memory EXCEPT ALL TABLE ranked_4mb) b);
SQL
)
read -r n mismatches <<<"${diff//|/ }"
echo "large: scores of $n customers ranked within work_mem = 4MB vs in memory (4GB): $mismatches differ"
echo "large $scale scores $n mismatches $mismatches" >>"$out/results.txt"
[[ -n $n && $mismatches == 0 ]] || { echo "large: FAILED: the external ranking's scores differ"; exit 1; }
