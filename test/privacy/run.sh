#!/usr/bin/env bash
# Privacy: the README's Privacy recipes, each tried by a role that must be
# refused or get only what it may (test/privacy/setup.sql builds the shop).
#   - segments, not orders: the marketing role reads customer_id, score,
#     segment, loyalty; every read of orders, amounts, summaries, histories,
#     the export key or the profile's inputs is refused (counted);
#   - pseudonyms: an export twice gives the same file; the key is not in it;
#     no pseudonym equals an unkeyed hash of any customer id or the HMAC under
#     another key; all distinct;
#   - k-anonymity (k = 10): no segment or profile cell under k, and no hidden
#     remainder under k that subtraction could give back; the profile's lifts
#     equal a plain count;
#   - erasure: after forget_customer, no row of the customer in any table or
#     materialized view of the shop, its pseudonym not in the next export.
#
#   test/privacy/run.sh HOST PORT      Prints `privacy: N passed, M failed`.
set -uo pipefail
host=${1:?usage: run.sh HOST PORT}
port=${2:?usage: run.sh HOST PORT}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=test/lib.sh
source "$here/../lib.sh"
export PGHOST=$host PGPORT=$port
db=rfm_privacy
marketing=regress_privacy_marketing
work=$(mktemp -d /tmp/rfm-privacy.XXXXXX)
trap 'rm -rf -- "$work"' EXIT

psql_() { "$RFM_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }
# One value from a query as the owner (postgres).
val() { psql_ -d $db -At -c "$1" 2>&1; }
# The SQLSTATE of a query run as the marketing role ('ok' when it succeeds).
as_marketing() {
    local out
    if out=$("$RFM_BINDIR/psql" -X -q -At -U $marketing -d $db -v ON_ERROR_STOP=1 \
            -v VERBOSITY=sqlstate -c '\set VERBOSITY sqlstate' -c "$1" 2>&1); then
        echo ok
    else
        sed -n 's/^ERROR:  \([0-9A-Z]\{5\}\).*/\1/p' <<<"$out" | head -n 1
    fi
}

psql_ -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1
psql_ -d postgres -c "DROP ROLE IF EXISTS $marketing" >/dev/null 2>&1
psql_ -d postgres -c "CREATE DATABASE $db" >/dev/null 2>&1
if ! setup_log=$(psql_ -d $db -f "$here/setup.sql" 2>&1); then
    not_ok "setup.sql" "$setup_log"
    rfm_finish privacy 1
    exit 1
fi
customers=$(val "SELECT count(*) FROM shop.customer_rfm")

# ---- 1. segments, not orders ----
refused=0
tried=0
while IFS= read -r q; do
    [[ -z $q ]] && continue
    tried=$((tried + 1))
    got=$(as_marketing "$q")
    if [[ $got == 42501 ]]; then refused=$((refused + 1)); ok "refused: $q"; else not_ok "not refused: $q" "got: $got"; fi
done <<'SQL'
SELECT * FROM shop.orders
SELECT amount FROM shop.orders
SELECT count(*) FROM shop.orders
SELECT customer_id, sum(amount) FROM shop.orders GROUP BY customer_id
COPY shop.orders TO STDOUT
SELECT s FROM shop.customer_rfm
SELECT * FROM shop.customer_rfm
SELECT monetary(s) FROM shop.customer_rfm WHERE customer_id = 1
SELECT customer_id FROM shop.customer_rfm WHERE monetary(s) > 1000
SELECT * FROM shop.history
SELECT * FROM shop.segment_history
SELECT * FROM shop.customer_attributes
SELECT * FROM shop.export_key
SELECT shop.pseudonym(1)
SELECT * FROM shop.segment_profile()
UPDATE shop.customer_rfm SET segment = 'lost'
INSERT INTO rfm_text (vocabulary, name, language, label) VALUES ('segment', 'lost', 'en', 'x')
SQL
echo "privacy: refused reads: $refused of $tried tried"
check "marketing reads its four columns for every customer" "$customers" \
    "$("$RFM_BINDIR/psql" -X -At -U $marketing -d $db -c "SELECT count(*) FROM (SELECT customer_id, score, segment, loyalty FROM shop.customer_rfm) AS x" 2>&1)"
check "marketing reads the k-anonymous segment report" ok "$(as_marketing "SELECT * FROM shop.segment_report")"
check "marketing reads the segment guide, in Traditional Chinese too" "冠軍客戶" \
    "$("$RFM_BINDIR/psql" -X -q -At -U $marketing -d $db -c "SET rfm.language = 'zh-Hant'" -c "SELECT label FROM segment_guide WHERE segment = 'champions'" 2>&1)"

# ---- 2. pseudonymous keys ----
export_sql="\\copy (SELECT shop.pseudonym(customer_id) AS customer_key, score, segment FROM shop.customer_rfm ORDER BY 1) TO STDOUT WITH (FORMAT csv, HEADER)"
psql_ -d $db -c "$export_sql" >"$work/export1.csv" 2>&1
psql_ -d $db -c "$export_sql" >"$work/export2.csv" 2>&1
check "export has a header and one line per customer" "$((customers + 1))" "$(wc -l <"$work/export1.csv")"
check "header names no customer id" "customer_key,score,segment" "$(head -n 1 "$work/export1.csv")"
if cmp -s "$work/export1.csv" "$work/export2.csv"; then ok "pseudonyms stable across runs (identical files)"; else not_ok "exports differ between runs"; fi
key_hex=$(val "SELECT encode(key, 'hex') FROM shop.export_key")
key_b64=$(val "SELECT encode(key, 'base64') FROM shop.export_key")
if [[ ${#key_hex} -eq 64 ]] && ! grep -qiF -e "$key_hex" -e "$key_b64" "$work/export1.csv"; then
    ok "the key is not in the exported data"
else
    not_ok "key found in the export (or not read: ${#key_hex} hex digits)"
fi
check "every customer_key is 64 hex digits" 0 "$(tail -n +2 "$work/export1.csv" | cut -d, -f1 | grep -cvE '^[0-9a-f]{64}$')"
# Back into the database, against what an attacker without the key could try.
cp "$work/export1.csv" "$work/load.csv" && chmod 644 "$work/load.csv"
link=$(psql_ -d $db -At <<SQL 2>&1
CREATE TEMP TABLE exported (customer_key text, score text, segment text);
\\copy exported FROM '$work/load.csv' WITH (FORMAT csv, HEADER)
WITH guesses AS (
    SELECT id, encode(sha256(convert_to(id::text, 'UTF8')), 'hex') AS g FROM generate_series(1, 100000) AS id
    UNION ALL SELECT id, md5(id::text) FROM generate_series(1, 100000) AS id
    UNION ALL SELECT id, encode(hmac(convert_to(id::text, 'UTF8'), gen_random_bytes(32), 'sha256'), 'hex')
              FROM generate_series(1, 1000) AS id
    UNION ALL SELECT id, encode(hmac(convert_to(id::text, 'UTF8'), convert_to('', 'UTF8'), 'sha256'), 'hex')
              FROM generate_series(1, 1000) AS id
)
SELECT (SELECT count(*) FROM exported) || ' ' ||
       (SELECT count(DISTINCT customer_key) FROM exported) || ' ' ||
       (SELECT count(*) FROM exported JOIN guesses ON g = customer_key) || ' ' ||
       (SELECT count(*) FROM exported e JOIN shop.customer_rfm c ON e.customer_key = shop.pseudonym(c.customer_id));
SQL
)
read -r n_rows n_distinct n_linked n_with_key <<<"$link"
check "pseudonyms are distinct" "$customers" "${n_distinct:-}" "$link"
check "no pseudonym matches sha256/md5 of ids 1..100000 or an HMAC under another key" 0 "${n_linked:-}"
check "with the key, every pseudonym links back" "$customers" "${n_with_key:-}"

# ---- 3. k-anonymity, k = 10 ----
check "precondition: the data has a segment under 10 customers" 1 \
    "$(val "SELECT count(*) > 0 FROM (SELECT segment FROM shop.customer_rfm GROUP BY 1 HAVING count(*) < 10) x" | sed 's/t/1/;s/f/0/')"
check "segment report: no group under 10" 0 "$(val "SELECT count(*) FROM shop.segment_report WHERE customers < 10")"
check "segment report: every segment of 10 or more is there" \
    "$(val "SELECT count(*) FROM (SELECT 1 FROM shop.customer_rfm GROUP BY segment HAVING count(*) >= 10) x")" \
    "$(val "SELECT count(*) FROM shop.segment_report")"
check "profile: some cells are suppressed at k = 10" t \
    "$(val "SELECT (SELECT count(*) FROM shop.segment_profile(1)) > (SELECT count(*) FROM shop.segment_profile(10))")"
check "profile: no cell under 10" 0 "$(val "SELECT count(*) FROM shop.segment_profile(10) WHERE customers < 10")"
# What subtraction gives back, for every k from 2 to 40: a segment's size (the
# segment report publishes it) minus the cells shown for one attribute, and a
# value's total (its share in the base gives it away) minus the cells shown
# for that value across segments, must each be 0 or at least k. (On this
# data the second holds only thanks to the profile's step across segments:
# without it, k = 2..9 leave remainders.)
remainders=$(val "
    WITH facts AS (
        SELECT c.segment, a.attribute, a.value
        FROM shop.customer_rfm c JOIN shop.customer_attributes p USING (customer_id)
        CROSS JOIN LATERAL jsonb_each_text(to_jsonb(p) - 'customer_id') AS a(attribute, value)
    ), shown AS (
        SELECT k, x.* FROM generate_series(2, 40) AS k, LATERAL shop.segment_profile(k) AS x
    ), by_segment AS (
        SELECT k, f.segment, f.attribute, count(*) AS size
        FROM generate_series(2, 40) AS k, facts f GROUP BY 1, 2, 3
        HAVING count(*) >= k        -- a smaller segment is left out of the report too
    ), by_value AS (
        SELECT k, f.attribute, f.value, count(*) AS size
        FROM generate_series(2, 40) AS k, facts f GROUP BY 1, 2, 3
    )
    SELECT (SELECT count(*) FROM by_segment b
            WHERE b.size - coalesce((SELECT sum(customers) FROM shown s WHERE s.k = b.k AND s.segment = b.segment
                                     AND s.attribute = b.attribute), 0) BETWEEN 1 AND b.k - 1)
           || ' ' ||
           (SELECT count(*) FROM by_value b
            WHERE b.size - coalesce((SELECT sum(customers) FROM shown s WHERE s.k = b.k AND s.attribute = b.attribute
                                     AND s.value = b.value), 0) BETWEEN 1 AND b.k - 1)")
check "profile, k = 2..40: no hidden remainder under k per segment and attribute, nor per value across segments" "0 0" "$remainders"
check "profile with k = 1: every cell, its counts adding up to customers x attributes" "$((customers * 3))" \
    "$(val "SELECT sum(customers) FROM shop.segment_profile(1)")"
check "profile: lifts equal a plain count (every cell, k = 1)" 0 "$(val "
    WITH plain AS (
        SELECT c.segment, 'channel' AS attribute, a.channel AS value,
               (count(*)::numeric / sum(count(*)) OVER (PARTITION BY c.segment))
               / ((SELECT count(*) FROM shop.customer_attributes x WHERE x.channel = a.channel)::numeric
                  / (SELECT count(*) FROM shop.customer_attributes)) AS lift
        FROM shop.customer_rfm c JOIN shop.customer_attributes a USING (customer_id)
        GROUP BY c.segment, a.channel)
    SELECT count(*) FROM plain FULL JOIN shop.segment_profile(1) p USING (segment, attribute, value)
    WHERE p.attribute IS DISTINCT FROM 'age_band' AND p.attribute IS DISTINCT FROM 'region'
      AND round(plain.lift, 2) IS DISTINCT FROM p.lift")"

# ---- 4. erasure ----
victim=$(val "SELECT customer_id FROM shop.customer_rfm WHERE segment = 'champions' ORDER BY frequency(s) DESC, customer_id LIMIT 1")
victim_key=$(val "SELECT shop.pseudonym($victim)")
# Every table and materialized view of the shop with a customer_id column.
relations_sql="SELECT c.oid::regclass FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
               JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'customer_id' AND NOT a.attisdropped
               WHERE n.nspname = 'shop' AND c.relkind IN ('r', 'm') ORDER BY 1::text"
mapfile -t relations < <(val "$relations_sql")
check "relations with customer_id rows to erase (orders, attributes, customer_rfm, history, segment_history)" 5 "${#relations[@]}" "${relations[*]}"
for r in "${relations[@]}"; do
    check "before erasure: customer $victim is in $r" t "$(val "SELECT count(*) > 0 FROM $r WHERE customer_id = $victim")"
done
before=$(val "SELECT count(*) FROM shop.customer_rfm")
psql_ -d $db -c "CALL shop.forget_customer($victim)" >/dev/null 2>&1 || not_ok "CALL shop.forget_customer($victim)"
for r in "${relations[@]}"; do
    check "after erasure: no row of customer $victim in $r" 0 "$(val "SELECT count(*) FROM $r WHERE customer_id = $victim")"
done
check "one customer fewer after the refresh" "$((before - 1))" "$(val "SELECT count(*) FROM shop.customer_rfm")"
psql_ -d $db -c "$export_sql" >"$work/export3.csv" 2>&1
if grep -qF "$victim_key" "$work/export1.csv" && ! grep -qF "$victim_key" "$work/export3.csv"; then
    ok "the erased customer's pseudonym was in the export before and is not after"
else
    not_ok "erased customer's pseudonym: before/after export check failed"
fi

psql_ -d postgres -c "DROP DATABASE IF EXISTS $db" -c "DROP ROLE IF EXISTS $marketing" >/dev/null 2>&1
rfm_finish privacy 0
