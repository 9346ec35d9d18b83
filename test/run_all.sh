#!/usr/bin/env bash
# Run every test suite of rfm against a throwaway PostgreSQL cluster.
# Called by `make test` after `make all install` (so the extension is
# installed into the tree of PG_CONFIG); run as root.
#
# The last line printed is always `N passed, N failed` (totals over all
# suites); the exit status is non-zero if any test failed or any suite could
# not run.
set -euo pipefail

# shellcheck source=test/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$RFM_REPO"

# The suites, in order. An entry is either a function defined below or a
# script path relative to the repo root. Each one is called with the server's
# host (socket dir) and port, finds RFM_TMP, RFM_DATA_DIR, PGUSER and
# RFM_BINDIR in its environment, and must print a line
#     NAME: N passed, M failed
# (the last such line counts). Add a suite by adding one line here.
SUITES=(
    suite_pg_regress
    test/setup/run.sh
    test/readme_examples.sh
    test/scaleout/run.sh
    test/scaleout/citus.sh
    test/fuzz/run.sh
    test/fuzz/big.sh
    test/lifecycle/run.sh
    test/security/run.sh
    test/privacy/run.sh
    test/demo/check.sh
    test/first_query/run.sh
    test/cron/run.sh
    test/clients/jdbc.sh
    test/clients/node.sh
    test/clients/dist.sh
    test/isolation/run.sh
    test/load/run.sh
    test/asan/run.sh
    test/valgrind/run.sh
    test/versions/run.sh
)
# RFM_SUITES="suite_pg_regress test/lifecycle/run.sh" runs only those.
if [[ -n ${RFM_SUITES:-} ]]; then
    read -r -a SUITES <<<"$RFM_SUITES"
fi

# pg_regress over sql/*.sql and expected/*.out (rfm_pg_regress in lib.sh).
suite_pg_regress() {
    local regress_dir=$RFM_TMP/regress f
    # Results go back to the repo as `make installcheck` leaves them (all
    # git-ignored), so a new expected file can be copied from results/.
    rm -rf results regression.diffs regression.out
    rfm_pg_regress "$1" "$2" 300
    [[ -d $regress_dir/out/results ]] && cp -r "$regress_dir/out/results" results
    for f in regression.diffs regression.out; do
        [[ -f $regress_dir/out/$f ]] && cp "$regress_dir/out/$f" "$f"
    done
    echo "pg_regress: $regress_passed passed, $regress_failed failed"
    ((regress_failed == 0))
}

total_passed=0
total_failed=0
finished=0

# Runs from the cleanup trap, after the server is gone, so the totals line is
# the very last one printed whatever happened. An aborted run (missing data,
# no server, Ctrl-C) counts as one more failure and never exits 0.
print_totals() {
    local rc=$1
    if ((!finished)); then
        echo "run_all: aborted (status $rc) before all suites ran"
        total_failed=$((total_failed + 1))
    fi
    echo "$total_passed passed, $total_failed failed"
    if ((rc == 0 && total_failed > 0)); then return 1; fi
    return "$rc"
}
RFM_AT_EXIT=print_totals
rfm_cluster_cleanup_trap

rfm_cluster_start

# The data the tests load (test/data), copied because the server and psql
# run as postgres, who may not be able to read the repo where it is.
RFM_DATA_DIR=$RFM_TMP/data
cp -r "$RFM_REPO/test/data" "$RFM_DATA_DIR"
chown -R postgres: "$RFM_DATA_DIR"
export RFM_DATA_DIR

summary=()
for suite in "${SUITES[@]}"; do
    echo
    echo "===== suite: $suite ====="
    out=$RFM_TMP/suite.out
    rc=0
    if declare -F "$suite" >/dev/null; then
        "$suite" "$RFM_HOST" "$RFM_PORT" 2>&1 | tee "$out" || rc=$?
    elif [[ -f $suite ]]; then
        bash "$suite" "$RFM_HOST" "$RFM_PORT" 2>&1 | tee "$out" || rc=$?
    else
        echo "suite not found: $suite" | tee "$out"
        rc=127
    fi

    counts=$(grep -E '^[A-Za-z0-9_.-]+: [0-9]+ passed, [0-9]+ failed$' "$out" | tail -n 1 || true)
    if [[ $counts =~ :\ ([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
        p=${BASH_REMATCH[1]}
        f=${BASH_REMATCH[2]}
        # A suite that reports no failures but exits non-zero still failed.
        if ((rc != 0 && f == 0)); then f=1; fi
    else
        echo "suite $suite printed no 'NAME: N passed, M failed' line (status $rc); counting 1 failure"
        p=0
        f=1
    fi
    total_passed=$((total_passed + p))
    total_failed=$((total_failed + f))
    summary+=("$(printf '%-28s %4d passed, %4d failed' "$suite" "$p" "$f")")
done

echo
echo "===== summary ====="
printf '%s\n' "${summary[@]}"
if ((total_passed + total_failed == 0)); then
    echo "warning: no test ran"
fi
finished=1
# The totals line and the exit status come from print_totals on exit.
