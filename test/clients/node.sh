#!/usr/bin/env bash
# BI over Node: node-postgres (pg from npm, the exact version in
# node/package.json) against the nightly view.
#
#   test/clients/node.sh [HOST PORT]
#
# Uses the server run_all.sh passes (TCP 127.0.0.1:PORT), or starts a
# throwaway one. Installs nodejs and npm with apt-get when missing; runs
# `npm install` in a temp dir (no package-lock is kept). Loads setup.sql into
# database rfm_clients_node and runs node/check.js, which checks (see the
# file): result.fields[].dataTypeID against pg_type's OIDs of the rfm types,
# values as strings (numbers for int4 and score::int), the segment report and
# every column of every customer equal to psql's text, string parameters for
# segment/loyalty filters, a custom type parser, binary results.
#
# Ends with `node: N passed, M failed`; exits non-zero on failure.
set -euo pipefail
SUITE=node
# shellcheck source=test/clients/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

missing=()
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
rfm_apt_install "${missing[@]}"

use_server "${1:-}" "${2:-}"

work=$(mktemp -d /tmp/rfm-node.XXXXXX)
prev_exit=$RFM_AT_EXIT
cleanup_work() { rm -rf -- "$work"; "$prev_exit" "$1"; }
RFM_AT_EXIT=cleanup_work

write_expected "$work"
cp "$here/node/package.json" "$here/node/check.js" "$work/"
if out=$(cd "$work" && npm install --no-audit --no-fund --no-package-lock --loglevel=error 2>&1); then
    ok "npm install pg@$(sed -n 's/.*"pg": *"\([^"]*\)".*/\1/p' "$work/package.json") (node $(node --version))"
else
    not_ok "npm install failed" "$out"
    exit 1
fi

rc=0
count_client_output < <(cd "$work" && node check.js 127.0.0.1 "$RFM_PORT" "$DB" "$work" 2>&1; echo "exit status $?" >"$work/node.rc")
read -r _ _ rc <"$work/node.rc"
((rc == 0)) || not_ok "check.js exited with status $rc"
exit 0
