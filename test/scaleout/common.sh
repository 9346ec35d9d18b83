# shellcheck shell=bash
# Shared by the scale-out suites (run.sh: postgres_fdw, citus.sh: Citus):
# three throwaway clusters side by side, psql helpers, and
# the queries both suites run on the sharded table and on the single-node
# control table orders_single (test/scaleout/generate.sql).
#
# Source it after test/lib.sh with SUITE (the name in the final
# `SUITE: N passed, M failed` line), DB and NODES (coordinator first, named
# coord) set, then call scaleout_start_nodes. KEEP=1 leaves the clusters
# running.

AS_OF="timestamptz '2026-11-23 00:00+00'"
PERIOD="interval '1 year'"

finished=0
declare -A N_TMP=() N_PGDATA=() N_PORT=()

# ok, not_ok, check, note and rfm_finish come from test/lib.sh.
indent() { printf '%s\n' "$1" | sed 's/^/     #   /'; }

# ---------------------------------------------------------------- clusters

stop_node() {
    local tmp=$1 pgdata=$2
    RFM_TMP=$tmp RFM_PGDATA=$pgdata rfm_cluster_stop
    [[ -n $tmp && -d $tmp ]] && rm -rf -- "$tmp"
    return 0
}

scaleout_cleanup() {
    local rc=$? node
    trap - EXIT
    trap '' INT TERM
    if [[ ${KEEP:-0} == 1 ]]; then
        echo
        echo "Clusters kept running (KEEP=1):"
        for node in "${NODES[@]}"; do
            [[ -n ${N_PORT[$node]:-} ]] || continue
            echo "  $node: $RFM_BINDIR/psql -X -h 127.0.0.1 -p ${N_PORT[$node]} -U postgres $DB"
            echo "      stop: runuser -u postgres -- $RFM_BINDIR/pg_ctl stop -D ${N_PGDATA[$node]} -m fast && rm -rf ${N_TMP[$node]}"
        done
    else
        for node in "${NODES[@]}"; do
            if [[ -n ${N_TMP[$node]:-} ]]; then
                stop_node "${N_TMP[$node]}" "${N_PGDATA[$node]}" &
            fi
        done
        wait
    fi
    if [[ -n ${state_dir:-} && -d $state_dir ]]; then
        # Started but never recorded (interrupted while starting): the
        # subshell may still have left its variables.
        for node in "${NODES[@]}"; do
            if [[ -z ${N_TMP[$node]:-} && -f $state_dir/$node.vars ]]; then
                # shellcheck disable=SC1090
                (RFM_TMP=''; source "$state_dir/$node.vars"; [[ -n $RFM_TMP ]] && stop_node "$RFM_TMP" "$RFM_PGDATA")
            fi
        done
        rm -rf -- "$state_dir"
    fi
    if ((!finished)); then
        echo "$SUITE: aborted (status $rc) before all checks ran"
        failed=$((failed + 1))
    fi
    rfm_finish "$SUITE" "$rc" && exit 0
    exit $((rc != 0 ? rc : 1))
}

# Starts every node (RFM_EXTRA_CONF, if set, goes into each postgresql.conf)
# and creates database $DB on each. The clusters start side by side.
# rfm_cluster_start sets its results as shell variables, so each runs in a
# subshell that hands them back in a file, also when it fails half way (the
# cleanup then removes what exists).
scaleout_start_nodes() {
    local node pid start_failed=0
    local -a start_pids=()
    trap scaleout_cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    state_dir=$(mktemp -d /tmp/rfm-scaleout.XXXXXX)
    for node in "${NODES[@]}"; do
        (
            trap 'declare -p RFM_TMP RFM_PGDATA RFM_PORT >"$state_dir/$node.vars"' EXIT
            rfm_cluster_start
        ) >"$state_dir/$node.log" 2>&1 &
        start_pids+=($!)
    done
    for pid in "${start_pids[@]}"; do wait "$pid" || start_failed=1; done
    for node in "${NODES[@]}"; do
        sed "s/^/     # $node: /" "$state_dir/$node.log"
        RFM_TMP='' RFM_PGDATA='' RFM_PORT=''
        # shellcheck disable=SC1090
        [[ -f $state_dir/$node.vars ]] && source "$state_dir/$node.vars"
        if [[ -n $RFM_TMP ]]; then
            N_TMP[$node]=$RFM_TMP
            N_PGDATA[$node]=$RFM_PGDATA
            N_PORT[$node]=$RFM_PORT
        fi
    done
    RFM_TMP='' RFM_PGDATA=''
    ((start_failed == 0)) || rfm_die "a cluster did not start; see above"
    for node in "${NODES[@]}"; do
        "$RFM_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -h "${N_TMP[$node]}" -p "${N_PORT[$node]}" \
            -U postgres -d postgres -c "CREATE DATABASE $DB"
    done
}

# psql as the caller to NODE's database; stops on the first error.
on() {
    local node=$1
    shift
    "$RFM_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -h "${N_TMP[$node]}" -p "${N_PORT[$node]}" \
        -U postgres -d "$DB" "$@"
}
# One value (unaligned, tuples only) from a script on stdin or -c.
val() {
    local node=$1
    shift
    on "$node" -At "$@"
}
seconds_since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }

# ----------------------------------------------------------------- queries
# Each a function of the table it reads.

summary_q() {
    echo "SELECT customer_id, rfm_summary(ordered_at, amount, $AS_OF) AS s FROM $1 GROUP BY customer_id"
}
period_q() {
    echo "SELECT customer_id, rfm_summary(ordered_at, amount, $AS_OF, $PERIOD) AS s,
       monetary(rfm_summary(ordered_at, amount, $AS_OF, $PERIOD)) AS m,
       rfm_summary(ordered_at, amount::float8, $AS_OF, $PERIOD) AS s_float
FROM $1 GROUP BY customer_id"
}
scores_q() {
    echo "WITH per AS MATERIALIZED ($(period_q "$1")),
cuts AS (SELECT rfm_breaks(s) AS b FROM per)
SELECT customer_id, s,
       rfm_score(s) OVER () AS score,
       rfm_score(s, 3) OVER () AS score3,
       rfm_segment(rfm_score(s) OVER ()) AS segment,
       loyalty_class(s) AS loyalty,
       loyalty_class(s, 5) AS loyalty5,
       rfm_score(s, cuts.b) AS frozen,
       cuts.b::text AS cuts
FROM per, cuts"
}
bucket_q() {
    echo "SELECT customer_id % 10 AS bucket, rfm_summary(ordered_at, amount, $AS_OF, $PERIOD) AS s FROM $1 GROUP BY 1"
}
month_q() {
    echo "SELECT date_trunc('month', ordered_at AT TIME ZONE 'UTC') AS month, rfm_summary(ordered_at, amount, $AS_OF) AS s, count(*) AS n FROM $1 GROUP BY 1"
}

# explain SETTINGS QUERY: EXPLAIN (VERBOSE, COSTS OFF) on the coordinator.
explain() {
    val coord <<SQL
$1
EXPLAIN (VERBOSE, COSTS OFF) $2
SQL
}

# same SETTINGS SHARDED_QUERY SINGLE_QUERY: both results, every row as
# text, EXCEPT ALL both ways. Prints "rows_sharded rows_single only_sharded only_single".
same() {
    val coord <<SQL
$1
CREATE TEMP TABLE r_sharded AS $2;
RESET ALL;
CREATE TEMP TABLE r_single AS $3;
SELECT (SELECT count(*) FROM r_sharded), (SELECT count(*) FROM r_single),
       (SELECT count(*) FROM (SELECT t::text FROM r_sharded t EXCEPT ALL SELECT t::text FROM r_single t) d),
       (SELECT count(*) FROM (SELECT t::text FROM r_single t EXCEPT ALL SELECT t::text FROM r_sharded t) d);
SQL
}
check_same() {
    local name=$1 expected_rows=$2 got
    got=$(same "$3" "$4" "$5" | tr '|' ' ')
    check "$name" "$expected_rows $expected_rows 0 0" "$got" "(rows sharded, rows single, only in sharded, only in single)"
}

# ----------------------------------------------------------------- timings

# create_best_ms NODE: scaleout_best_ms(query, runs) there, the best of
# `runs` runs in ms (every row referenced, so no column is optimized away).
create_best_ms() {
    on "$1" <<'SQL'
CREATE FUNCTION scaleout_best_ms(q text, runs int) RETURNS numeric LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz;
    best numeric;
BEGIN
    FOR i IN 1..runs LOOP
        t0 := clock_timestamp();
        EXECUTE 'SELECT count(*), count(s) FROM (' || q || ') x';
        best := least(best, extract(epoch FROM clock_timestamp() - t0) * 1000);
    END LOOP;
    RETURN round(best, 1);
END
$$;
SQL
}
# time_q SETTINGS QUERY [RUNS]: best of RUNS (5) on the coordinator.
time_q() { val coord -c "$1" -c "SELECT scaleout_best_ms(\$q\$$2\$q\$, ${3:-5})"; }
