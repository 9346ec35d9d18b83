#!/usr/bin/env bash
# One PostgreSQL release, inside its Debian chroot (test/versions/run.sh
# calls it there as root, in a plain clone of the repo):
#
#   test/versions/inside.sh MAJOR
#
# does what a new user of that release does -- plain `make` with the
# pg_config on PATH, `make install` -- then, in a throwaway cluster, `make
# installcheck` as the postgres user and the suites that drive the server
# and the planner nodes. Prints one line per step,
#     pgMAJOR STEP: N passed, M failed     or     pgMAJOR STEP: skipped (why)
# and last `MAJOR: N passed, M failed, K skipped`.
set -uo pipefail

major=${1:?usage: inside.sh MAJOR}
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
total_passed=0
total_failed=0
skipped=0
step() { # step NAME PASSED FAILED
    echo "pg$major $1: $2 passed, $3 failed"
    total_passed=$((total_passed + $2))
    total_failed=$((total_failed + $3))
}
skip() { echo "pg$major $1: skipped ($2)"; skipped=$((skipped + 1)); }
finish() {
    echo "$major: $total_passed passed, $total_failed failed, $skipped skipped"
}

# Plain make: the pg_config on PATH, as for any PGXS extension.
echo "pg_config on PATH: $(command -v pg_config) ($(pg_config --version))"
if make -j2 >build.log 2>&1 && make install >>build.log 2>&1; then
    warnings=$(grep -c 'warning:' build.log || true)
    echo "build: make, make install: ok, $warnings compiler warnings"
    grep 'warning:' build.log | head -n 20
    step build $((warnings == 0)) $((warnings > 0))
else
    tail -n 30 build.log
    step build 0 1
    finish
    exit 1
fi

export PG_CONFIG=/usr/lib/postgresql/$major/bin/pg_config
# shellcheck source=test/lib.sh
source test/lib.sh
RFM_AT_EXIT=''
rfm_cluster_cleanup_trap
rfm_cluster_start
t0=$SECONDS

# make installcheck as the postgres user, in a copy it owns (the server
# runs as postgres, and the tests \copy test/data relative to the tree).
cp -r "$repo" "$RFM_TMP/src"
chown -R postgres: "$RFM_TMP/src"
rc=0
rfm_as_pg env -C "$RFM_TMP/src" PGHOST="$RFM_HOST" PGPORT="$RFM_PORT" PGUSER=postgres \
    make installcheck >"$RFM_TMP/installcheck.log" 2>&1 || rc=$?
cat "$RFM_TMP/installcheck.log"
rfm_regress_counts "$RFM_TMP/installcheck.log" "$rc" "make installcheck"
rfm_show_diffs "$RFM_TMP/src/regression.diffs" 400 regression.diffs
# Left in the clone (kept in the chroot until the next run) to inspect.
rm -rf results regression.diffs
cp -r "$RFM_TMP/src/results" results 2>/dev/null
cp "$RFM_TMP/src/regression.diffs" . 2>/dev/null
echo "pg$major installcheck took $((SECONDS - t0)) s"
step installcheck "$regress_passed" "$regress_failed"

RFM_DATA_DIR=$RFM_TMP/data
cp -r test/data "$RFM_DATA_DIR"
chown -R postgres: "$RFM_DATA_DIR"
export RFM_DATA_DIR

# suite SCRIPT NAME: a suite of run_all.sh against this cluster, counted
# by its last `NAME: N passed, M failed` line.
suite() {
    local out=$RFM_TMP/suite.out rc=0 counts t0=$SECONDS
    bash "$1" "$RFM_HOST" "$RFM_PORT" >"$out" 2>&1 || rc=$?
    echo "pg$major $2 took $((SECONDS - t0)) s"
    counts=$(grep -E "^$2: [0-9]+ passed, [0-9]+ failed$" "$out" | tail -n 1)
    if [[ $counts =~ ([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
        local p=${BASH_REMATCH[1]} f=${BASH_REMATCH[2]}
        ((rc != 0 && f == 0)) && f=1
        ((f > 0)) && cat "$out"
        step "$2" "$p" "$f"
    else
        cat "$out"
        step "$2" 0 1
    fi
}

# The fuzzer's code paths per version with a fifth of the inputs of the
# main run's (100,000 per type there), to keep `make test` within its time.
export FUZZ_ITERATIONS=${FUZZ_ITERATIONS:-20000}

# 13's packages ship no pg_isolation_regress (14's and later do).
if [[ -x $RFM_PKGLIBDIR/pgxs/src/test/isolation/pg_isolation_regress ]]; then
    suite test/isolation/run.sh isolation
else
    skip isolation "no pg_isolation_regress in postgresql-server-dev-$major"
fi
suite test/fuzz/run.sh fuzz
suite test/fuzz/big.sh big

# A crashed backend makes the postmaster log "terminated by signal" and
# restart everyone: none may appear in the whole run.
crashes=$(grep -cE 'terminated by signal|was terminated by exception' "$RFM_TMP/server.log" || true)
if ((crashes == 0)); then
    step server-log 1 0
else
    grep -E 'terminated by signal|terminated by exception' "$RFM_TMP/server.log" | head -n 20
    step server-log 0 1
fi
finish
((total_failed == 0))
