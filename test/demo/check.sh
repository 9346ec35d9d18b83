#!/usr/bin/env bash
# `make demo` in both languages: report.sql on a small order table prints,
# beside each segment's and loyalty class's figures, its description and
# action in English by default (lang=en) and in Traditional Chinese with
# lang=zh-Hant (what `make demo RFM_LANG=zh-Hant` passes); an unknown
# language stops the report.
#
#   test/demo/check.sh HOST PORT      Prints `demo: N passed, M failed`.
set -uo pipefail
host=${1:?usage: check.sh HOST PORT}
port=${2:?usage: check.sh HOST PORT}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=test/lib.sh
source "$here/../lib.sh"
export PGHOST=$host PGPORT=$port
db=rfm_demo_check
psql_() { "$RFM_BINDIR/psql" -X -q "$@"; }

psql_ -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null 2>&1
# The orders table of generate.sql, with a few customers (the report shows
# all eleven segments, empty ones too).
psql_ -d $db -v ON_ERROR_STOP=1 >/dev/null 2>&1 <<'SQL'
CREATE EXTENSION rfm;
CREATE TABLE orders (order_id bigint PRIMARY KEY, customer_id int NOT NULL,
                     ordered_at timestamptz NOT NULL, amount numeric(12,2) NOT NULL);
INSERT INTO orders
SELECT row_number() OVER (), c, timestamptz '2026-11-23 00:00+00' - (c * 9 + i * c) * interval '1 day',
       10 + c + i
FROM generate_series(1, 60) AS c, LATERAL generate_series(1, 1 + (61 - c) / 6) AS i;
SQL

for lang in en zh-Hant; do
    out=$(psql_ -d $db -v ON_ERROR_STOP=1 -v lang=$lang -f "$here/report.sql" 2>&1)
    check "report in $lang runs" 0 $?
    # Every text the report must show, from the guides in that language.
    mapfile -t texts < <(psql_ -d $db -At -c "SET rfm.language = '$lang'" -c "
        SELECT description FROM segment_guide UNION ALL SELECT action FROM segment_guide
        UNION ALL SELECT label FROM segment_guide
        UNION ALL SELECT description FROM loyalty_guide UNION ALL SELECT action FROM loyalty_guide")
    missing=0
    for t in "${texts[@]}"; do grep -qF -- "$t" <<<"$out" || missing=$((missing + 1)); done
    check "$lang: all 41 labels, descriptions and actions (11 segments x 3, 4 loyalty classes x 2) printed" "41 0" "${#texts[@]} $missing"
done
# The Traditional Chinese report holds no English description, and names the
# at-risk customers in Chinese on the line of their figures.
out=$(psql_ -d $db -v ON_ERROR_STOP=1 -v lang=zh-Hant -f "$here/report.sql" 2>&1)
check "zh-Hant: no English description left" 0 \
    "$(grep -cF -e 'Bought recently, buy often' -e 'Used to buy often and spend well' <<<"$out")"
check "zh-Hant: at risk's label, description and action on one line" 1 \
    "$(grep -F '有流失風險' <<<"$out" | grep -F '以往經常購買' | grep -cF '立即挽回')"
out=$(psql_ -d $db -v ON_ERROR_STOP=1 -v lang=fr -f "$here/report.sql" 2>&1)
status=$?
check "an unknown language stops the report before any figure" "3 1 0" \
    "$status $(grep -c 'unknown language "fr"' <<<"$out") $(grep -c '== Segments' <<<"$out")"

psql_ -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1
rfm_finish demo 0
