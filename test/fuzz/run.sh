#!/usr/bin/env bash
# Fuzz every rfm type's input and receive functions (see fuzz.c).
#
#   test/fuzz/run.sh HOST PORT        (as run_all.sh calls it)
#
# Builds fuzz.c with gcc against libpq into the temp dir, creates a fresh
# database with the extension, runs FUZZ_ITERATIONS (default 100000) text
# and as many binary inputs per type with seed FUZZ_SEED (default 20261123),
# then checks that the server log written meanwhile has no crashed backend.
# Prints `fuzz: N passed, M failed` last; exits non-zero on any failure.
set -euo pipefail

host=${1:?usage: run.sh HOST PORT}
port=${2:?usage: run.sh HOST PORT}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
if [[ -z ${RFM_BINDIR:-} ]]; then
    RFM_BINDIR=$("${PG_CONFIG:-$("$repo/test/ensure_deps.sh" --pg-config)}" --bindir)
fi
iterations=${FUZZ_ITERATIONS:-100000}
seed=${FUZZ_SEED:-20261123}
db=rfm_fuzz
work=$(mktemp -d /tmp/rfm-fuzz.XXXXXX)
trap 'rm -rf -- "$work"' EXIT

psql_() { "$RFM_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -h "$host" -p "$port" -U "${PGUSER:-postgres}" "$@"; }

fail_setup() {
    echo "fuzz: $*"
    echo "fuzz: 0 passed, 1 failed"
    exit 1
}

incdir=$(pg_config --includedir 2>/dev/null || echo /usr/include/postgresql)
gcc -O2 -Wall -o "$work/fuzz" "$here/fuzz.c" -I"$incdir" -lpq 2>"$work/cc.log" \
    || { cat "$work/cc.log"; fail_setup "could not build fuzz.c (libpq-dev installed?)"; }

psql_ -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null \
    || fail_setup "could not create database $db"
psql_ -d "$db" -c "CREATE EXTENSION rfm" >/dev/null || fail_setup "CREATE EXTENSION rfm failed"

# Where the server logs (run_all.sh's cluster: $RFM_TMP/server.log), and how
# much of it existed before we started, so only our part is checked.
log=${RFM_TMP:+$RFM_TMP/server.log}
log_start=0
if [[ -n $log && -r $log ]]; then log_start=$(stat -c %s "$log"); fi
pm_before=$(psql_ -d "$db" -Atc "SELECT pg_postmaster_start_time()")
pid_file_before=$( [[ -n ${RFM_PGDATA:-} && -r $RFM_PGDATA/postmaster.pid ]] && head -n 1 "$RFM_PGDATA/postmaster.pid" || echo unknown)

start=$SECONDS
rc=0
PGHOST=$host PGPORT=$port PGDATABASE=$db PGUSER=${PGUSER:-postgres} \
    "$work/fuzz" "$seed" "$iterations" >"$work/out" 2>&1 || rc=$?
# the program's own totals line is rewritten below with the server checks
grep -v '^fuzz: [0-9]* passed, [0-9]* failed$' "$work/out" || true
# One case per type and path (10), plus the server checks below; the
# inputs behind each case are counted in its line.
inputs_ok=$(sed -n 's/^fuzz: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$work/out" | tail -n 1)
inputs_bad=$(sed -n 's/^fuzz: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$work/out" | tail -n 1)
passed=$(grep -cE ' tried +[0-9]+ .* failed 0 ' "$work/out" || true)
failed=$(grep -cE ' tried +[0-9]+ .* failed [1-9][0-9]* ' "$work/out" || true)
if [[ -z $inputs_ok ]]; then failed=$((failed + 1)); echo "fuzz: the program printed no totals (status $rc)"; fi
if ((passed + failed < 10)); then
    echo "FAIL: only $((passed + failed)) of 10 type/path runs finished"
    failed=$((failed + 10 - passed - failed))
fi
if ((rc != 0 && failed == 0)); then failed=1; fi
echo "inputs: ${inputs_ok:-0} handled correctly, ${inputs_bad:-?} failures"

# The postmaster must be the same process, and no backend may have died.
sleep 0.5
pm_after=$(psql_ -d "$db" -Atc "SELECT pg_postmaster_start_time()" 2>/dev/null || echo gone)
pid_file_after=$( [[ -n ${RFM_PGDATA:-} && -r $RFM_PGDATA/postmaster.pid ]] && head -n 1 "$RFM_PGDATA/postmaster.pid" || echo unknown)
if [[ $pm_before != "$pm_after" || $pid_file_before != "$pid_file_after" ]]; then
    echo "FAIL: postmaster changed (start time $pm_before -> $pm_after, pid $pid_file_before -> $pid_file_after)"
    failed=$((failed + 1))
else
    echo "postmaster: pid $pid_file_before, started $pm_before, unchanged"
    passed=$((passed + 1))
fi
if [[ -n $log && -r $log ]]; then
    if tail -c +"$((log_start + 1))" "$log" | grep -E 'terminated by signal|was terminated by exception|server process .* exited with exit code [^0]|PANIC|TRAP:' >"$work/crash"; then
        echo "FAIL: the server log shows a crashed backend while fuzzing:"
        head -n 5 "$work/crash"
        failed=$((failed + 1))
    else
        echo "server log: no crashed backend ($(($(stat -c %s "$log") - log_start)) bytes checked)"
        passed=$((passed + 1))
    fi
else
    echo "server log: not readable here (RFM_TMP unset), only the postmaster start time was checked"
fi
psql_ -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true
echo "fuzz: seed $seed, $iterations text + $iterations binary inputs per type, $((SECONDS - start)) s"
echo "fuzz: $passed passed, $failed failed"
((failed == 0))
