#!/usr/bin/env bash
# `make demo`: a throwaway PostgreSQL cluster, the rfm extension, a
# deterministic sample of ~200k orders (generate.sql) and the analyst's first
# report on it (report.sql). Run as root after `make install`.
#
# RFM_LANG=zh-Hant (`make demo RFM_LANG=zh-Hant`) prints the segment and
# loyalty texts in Traditional Chinese; the default is en.
#
# KEEP=1 (`make demo-keep`) leaves the cluster running and prints how to
# connect to it and how to stop it; otherwise it is always removed, also on
# failure or Ctrl-C.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=test/lib.sh
source "$here/../lib.sh"

RFM_DBNAME=rfm_demo
export RFM_DBNAME

rfm_cluster_cleanup_trap
rfm_cluster_start

# psql runs as the caller (root), so it can read the SQL files wherever the
# repo is; only the server runs as postgres.
rfm_psql -q -d postgres -v ON_ERROR_STOP=1 -c "CREATE DATABASE $RFM_DBNAME"
rfm_psql -q -d "$RFM_DBNAME" -v ON_ERROR_STOP=1 -c "CREATE EXTENSION rfm"

echo "demo: generating the sample orders (deterministic)..."
start=$(date +%s.%N)
rfm_psql -q -d "$RFM_DBNAME" -v ON_ERROR_STOP=1 -f "$here/generate.sql"
load_seconds=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.3f", b - a }')
echo "demo: loaded in ${load_seconds}s"

rfm_psql -d "$RFM_DBNAME" -v ON_ERROR_STOP=1 -v load_seconds="$load_seconds" \
    -v lang="${RFM_LANG:-en}" -f "$here/report.sql"
