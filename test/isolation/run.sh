#!/usr/bin/env bash
# Isolation tests (PostgreSQL's isolation tester) of rfm:
# test/isolation/specs/*.spec against test/isolation/expected/*.out.
#
#   test/isolation/run.sh HOST PORT   against a running server (run_all.sh)
#   test/isolation/run.sh             starts its own throwaway cluster
#
# Uses the rfm installed in the PG_CONFIG tree (`make install`), like the
# pg_regress suite. Each spec runs in the database rfm_isolation, created by
# pg_isolation_regress with the extension loaded. Ends with
# `isolation: N passed, M failed`. Run as root.
set -euo pipefail

# run_all.sh exports its temp dir (owned by postgres); lib.sh resets the
# variable when sourced, so keep it.
given_tmp=${RFM_TMP:-}
# shellcheck source=test/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
start_s=$SECONDS

if (($# >= 2)); then
    host=$1
    port=$2
    # run_all.sh exports RFM_TMP (owned by postgres); standalone use gets
    # its own below.
    [[ -n $given_tmp && -d $given_tmp ]] \
        || rfm_die "RFM_TMP (the running cluster's temp dir) not set: run without arguments to get a cluster of its own"
    RFM_TMP=$given_tmp
    work=$RFM_TMP/isolation
else
    rfm_cluster_cleanup_trap
    rfm_cluster_start
    host=$RFM_HOST
    port=$RFM_PORT
    work=$RFM_TMP/isolation
fi

runner=$RFM_PKGLIBDIR/pgxs/src/test/isolation/pg_isolation_regress
[[ -x $runner ]] || rfm_die "$runner not found (package postgresql-server-dev-$RFM_PG_MAJOR)"

src=$RFM_REPO/test/isolation
tests=()
for f in "$src"/specs/*.spec; do
    [[ -e $f ]] && tests+=("$(basename "$f" .spec)")
done
((${#tests[@]})) || { echo "isolation: no specs"; echo "isolation: 0 passed, 1 failed"; exit 1; }

rm -rf "$work"
mkdir -p "$work/out"
cp -r "$src/specs" "$src/expected" "$work/"
chown -R postgres: "$work"

log=$work/isolation.log
rc=0
rfm_as_pg "$runner" --bindir="$RFM_BINDIR" --host="$host" --port="$port" \
    --inputdir="$work" --outputdir="$work/out" \
    --load-extension=rfm --dbname=rfm_isolation \
    "${tests[@]}" >"$log" 2>&1 || rc=$?
cat "$log"
rfm_regress_counts "$log" "$rc" "isolation: pg_isolation_regress"
passed=$regress_passed
failed=$regress_failed
rfm_show_diffs "$work/out/regression.diffs" 200 "isolation regression.diffs"
# Results next to the specs' expected files for inspection (git-ignored
# by the top-level results/ pattern? no: keep them out of the tree).
if [[ -n ${ISOLATION_KEEP_RESULTS:-} ]]; then
    mkdir -p "$ISOLATION_KEEP_RESULTS" && cp -r "$work/out/." "$ISOLATION_KEEP_RESULTS/"
fi
echo "isolation: took $((SECONDS - start_s)) s"
rfm_finish isolation 0
