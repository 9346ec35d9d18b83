#!/usr/bin/env bash
# Lifecycle of the extension:
#   1. pg_dump -Fc / pg_restore of a database with rfm columns of every type,
#      btree and hash indexes on rfm_score, a table hash-partitioned on
#      rfm_score, and a materialized view using every function: the restored
#      database gives the same query results (as text), before and after
#      REFRESH MATERIALIZED VIEW (CONCURRENTLY) on both sides.
#   2. ALTER EXTENSION rfm UPDATE from every released version that has an
#      update path (sql/rfm--A--B.sql chains) to default_version gives the
#      same objects as a fresh install (catalog signature compared).  And on
#      a database built on 0.1 with the same tables, indexes and materialized
#      view (every rfm type stored): it keeps 0.1's answers until the update
#      (one rfm.so serves both), the update gives the fresh catalog, stored
#      values read the same after it, and REFRESH brings the 0.2 answers
#      (a lapsed customer's score becomes 111).
#   3. DROP EXTENSION rfm leaves no rfm object behind.
#
#   test/lifecycle/run.sh HOST PORT     (as run_all.sh calls it)
# Prints one ok/FAIL line per check and `lifecycle: N passed, M failed`.
set -uo pipefail

host=${1:?usage: run.sh HOST PORT}
port=${2:?usage: run.sh HOST PORT}
# shellcheck source=test/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
export PGHOST=$host PGPORT=$port
work=$(mktemp -d /tmp/rfm-lifecycle.XXXXXX)
chmod 755 "$work"
dbs=()
cleanup() {
    local db
    for db in "${dbs[@]}"; do
        "$RFM_BINDIR/psql" -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1
    done
    rm -rf -- "$work"
}
trap cleanup EXIT

psql_() { "$RFM_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }
newdb() {
    dbs+=("$1")
    psql_ -d postgres -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >/dev/null 2>&1
}
# check NAME FILE1 FILE2: equal files, or a diff excerpt
same() {
    if cmp -s "$2" "$3"; then ok "$1"; else not_ok "$1" "$(diff "$2" "$3" | head -n 20)"; fi
}

start=$SECONDS

# ---------------------------------------------------------------------------
# 1. dump and restore
# ---------------------------------------------------------------------------
newdb rfm_lc_src
newdb rfm_lc_dst
# The database content, on any version of the extension (section 2 builds it on 0.1).
cat >"$work/setup.sql" <<'SQL'
SET TimeZone = 'UTC';
CREATE TABLE orders (customer_id int, ordered_at timestamptz, amount numeric(12,2));
INSERT INTO orders
SELECT c, timestamptz '2026-11-23 00:00+00' - ((c * 37 + i * 101) % 700) * interval '1 day' - c * interval '1 minute',
       round(((c * 13 + i * 7) % 300 + 1)::numeric / 3, 2)
FROM generate_series(1, 300) c, generate_series(0, c % 9) i;
INSERT INTO orders VALUES (301, '2027-01-01 00:00+00', 5);   -- only after as_of

CREATE TABLE summaries (customer_id int PRIMARY KEY, s rfm_summary, s_date rfm_summary, s_float rfm_summary);
INSERT INTO summaries
SELECT customer_id,
       rfm_summary(ordered_at, amount, timestamptz '2026-11-23 00:00+00', interval '1 year'),
       rfm_summary(ordered_at::date, (amount * 100)::bigint, date '2026-11-23'),
       rfm_summary(ordered_at::timestamp, amount::float8, timestamp '2026-11-23', interval '90 days')
FROM orders GROUP BY customer_id;

CREATE TABLE scored (customer_id int, score rfm_score, score3 rfm_score, seg segment, loyalty loyalty_class,
                     rules_segment text);
INSERT INTO scored
SELECT customer_id, rfm_score(s) OVER (), rfm_score(s, 3) OVER (), rfm_segment(rfm_score(s) OVER ()),
       loyalty_class(s, 3),
       rfm_segment(rfm_score(s) OVER (), ARRAY[('top', 4, 5, 4, 5, NULL, NULL)::rfm_segment_rule,
                                               ('bottom', 1, 2, NULL, NULL, NULL, NULL)::rfm_segment_rule], 'middle')
FROM summaries;
CREATE INDEX scored_score_btree ON scored (score);
CREATE INDEX scored_score_hash ON scored USING hash (score);
CREATE INDEX scored_segment ON scored (seg, loyalty);
CREATE UNIQUE INDEX scored_pk ON scored (customer_id);

CREATE TABLE cuts (name text PRIMARY KEY, b rfm_breaks);
INSERT INTO cuts SELECT 'quintiles', rfm_breaks(s) FROM summaries;
INSERT INTO cuts SELECT 'terciles', rfm_breaks(s, 3) FROM summaries;
INSERT INTO cuts VALUES ('business', 'R: 30, 90, 180, 365; F: 2, 4, 8, 16; M: 100, 250.5, 500, 1000');
INSERT INTO cuts VALUES ('decimal days', 'R: 115, 181, 297.4, 482; F: 2, 4, 8, 16; M: 100, 250.5, 500, 1000');
CREATE TABLE rules (priority int PRIMARY KEY, rule rfm_segment_rule);
INSERT INTO rules VALUES (1, ('Champions', 5, 5, 5, 5, 5, 5)), (2, ('Rest', NULL, NULL, NULL, NULL, NULL, NULL));

-- hash partitioning on rfm_score (extended hash support)
CREATE TABLE by_score (score rfm_score, customer_id int) PARTITION BY HASH (score);
CREATE TABLE by_score_0 PARTITION OF by_score FOR VALUES WITH (MODULUS 3, REMAINDER 0);
CREATE TABLE by_score_1 PARTITION OF by_score FOR VALUES WITH (MODULUS 3, REMAINDER 1);
CREATE TABLE by_score_2 PARTITION OF by_score FOR VALUES WITH (MODULUS 3, REMAINDER 2);
INSERT INTO by_score SELECT score, customer_id FROM scored;

-- every function of the extension in one materialized view
CREATE MATERIALIZED VIEW customer_rfm AS
WITH s AS (
    SELECT customer_id,
           rfm_summary(ordered_at, amount, timestamptz '2026-11-23 00:00+00') AS s_all,
           rfm_summary(ordered_at, amount, timestamptz '2026-11-23 00:00+00', interval '1 year') AS s
    FROM orders GROUP BY customer_id
), b AS (SELECT rfm_breaks(s) AS b5, rfm_breaks(s, 4) AS b4 FROM s)
SELECT customer_id, s::text AS summary, s_all::text AS summary_all,
       recency(s), frequency(s), monetary(s), avg_order_value(s), orders_ever(s),
       first_order(s), last_order(s), as_of(s), tenure(s), purchase_span(s),
       rfm_score(s) OVER () AS score, rfm_score(s, 4) OVER () AS score4,
       rfm_score(s, b.b5) AS frozen, rfm_score(s, b.b4) AS frozen4,
       recency_score(rfm_score(s) OVER ()), frequency_score(rfm_score(s) OVER ()),
       monetary_score(rfm_score(s) OVER ()), (rfm_score(s) OVER ())::int AS score_int,
       (rfm_score(s) OVER ())::text AS score_text, rfm_score(1 + customer_id % 5, 2, 3) AS built,
       rfm_segment(rfm_score(s) OVER ()) AS segment,
       segment_label(rfm_segment(rfm_score(s) OVER ())),
       rfm_segment(rfm_score(s) OVER (), ARRAY(SELECT rule FROM rules ORDER BY priority)) AS by_rules,
       rfm_segment(rfm_score(s) OVER (), ARRAY(SELECT rule FROM rules WHERE priority = 1), 'Others') AS by_rules_fallback,
       loyalty_class(s) AS loyalty, loyalty_class(s, 2) AS loyalty2,
       rfm_segment(rfm_score(s) OVER ())::text AS segment_text, loyalty_class(s)::text AS loyalty_text,
       rfm_breaks_bins(b.b4, 'R') AS bins_r, b.b5::text AS breaks5,
       (SELECT string_agg(g::text, ' ' ORDER BY g.r) FROM rfm_grid(ARRAY(SELECT score FROM scored)) g) AS grid
FROM s, b
WHERE s IS NOT NULL;
CREATE UNIQUE INDEX customer_rfm_pk ON customer_rfm (customer_id);
CREATE INDEX customer_rfm_score ON customer_rfm (score);

-- the prediction types: histories, and the models fitted on them
CREATE TABLE histories (customer_id int PRIMARY KEY, h rfm_history);
INSERT INTO histories
SELECT customer_id, rfm_history(ordered_at, amount, timestamptz '2026-11-23 00:00+00', interval '1 day')
FROM orders GROUP BY customer_id HAVING min(ordered_at) <= timestamptz '2026-11-23 00:00+00';
CREATE TABLE models (name text PRIMARY KEY, bgnbd bgnbd_model, gamma_gamma gamma_gamma_model);
-- (these synthetic orders have no maximum likelihood: the models are written out)
INSERT INTO models VALUES
  ('written', '(r=0.25, alpha=4, a=0.8, b=2.5, ll=-1, n=10, unit=1 day, iterations=3, converged)',
              '(p=6, q=4, v=15)');
SQL
if ! psql_ -d rfm_lc_src -c "CREATE EXTENSION rfm" -f "$work/setup.sql" >"$work/setup.log" 2>&1; then
    not_ok "setup of the source database" "$(cat "$work/setup.log")"
fi

# The queries whose text output must match: every table and view in a fixed order.
cat >"$work/compare.sql" <<'SQL'
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET enable_seqscan = off;     -- read through the restored indexes where possible
SELECT * FROM summaries ORDER BY customer_id;
SELECT * FROM scored ORDER BY customer_id;
SELECT * FROM scored WHERE score >= '333' ORDER BY score, customer_id;
SELECT * FROM scored WHERE score = '111' ORDER BY customer_id;
SELECT * FROM cuts ORDER BY name;
SELECT * FROM rules ORDER BY priority;
SELECT tableoid::regclass, * FROM by_score ORDER BY customer_id;
SELECT * FROM customer_rfm ORDER BY customer_id;
SELECT * FROM customer_rfm WHERE score = '555' ORDER BY customer_id;
SELECT seg, loyalty, count(*) FROM scored GROUP BY 1, 2 ORDER BY 1, 2;
SELECT * FROM histories ORDER BY customer_id;
SELECT * FROM models ORDER BY name;
SQL

rm -f "$work/src.dump"
if "$RFM_BINDIR/pg_dump" -Fc -d rfm_lc_src -f "$work/src.dump" 2>"$work/dump.log"; then
    ok "pg_dump -Fc of a database with rfm columns, indexes and a materialized view"
else
    not_ok "pg_dump" "$(cat "$work/dump.log")"
fi
if "$RFM_BINDIR/pg_restore" --exit-on-error -d rfm_lc_dst "$work/src.dump" 2>"$work/restore.log"; then
    ok "pg_restore into a new database"
else
    not_ok "pg_restore" "$(cat "$work/restore.log")"
fi
psql_ -d rfm_lc_src -f "$work/compare.sql" >"$work/src.out" 2>&1 || { not_ok "comparison queries on the source" "$(tail -n 5 "$work/src.out")"; }
psql_ -d rfm_lc_dst -f "$work/compare.sql" >"$work/dst.out" 2>&1 || { not_ok "comparison queries on the restored database" "$(tail -n 5 "$work/dst.out")"; }
same "restored data identical as text ($(wc -l <"$work/src.out") lines)" "$work/src.out" "$work/dst.out"

for db in rfm_lc_src rfm_lc_dst; do
    psql_ -d "$db" -c "REFRESH MATERIALIZED VIEW customer_rfm" -c "REFRESH MATERIALIZED VIEW CONCURRENTLY customer_rfm" \
        >"$work/refresh_$db.log" 2>&1 || { not_ok "refresh in $db" "$(cat "$work/refresh_$db.log")"; }
    psql_ -d "$db" -f "$work/compare.sql" >"$work/$db.refreshed" 2>&1 || not_ok "comparison queries after refresh in $db"
done
same "refreshed materialized view unchanged (source)" "$work/src.out" "$work/rfm_lc_src.refreshed"
same "refreshed materialized view identical after restore" "$work/rfm_lc_src.refreshed" "$work/rfm_lc_dst.refreshed"
# the restored indexes are valid and used
if psql_ -d rfm_lc_dst -Atc "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname LIKE 'scored_%' AND i.indisvalid" | grep -qx 4 \
   && psql_ -d rfm_lc_dst -Atc "SET enable_seqscan = off; EXPLAIN SELECT * FROM scored WHERE score = '543'" | grep -q 'Index'; then
    ok "restored indexes on rfm_score valid and used"
else
    not_ok "restored indexes on rfm_score"
fi
if psql_ -d rfm_lc_dst -c "REINDEX TABLE scored" -c "REINDEX TABLE customer_rfm" >/dev/null 2>&1; then
    ok "REINDEX of the restored rfm_score indexes"
else
    not_ok "REINDEX of the restored rfm_score indexes"
fi

# ---------------------------------------------------------------------------
# 2. upgrade paths
# ---------------------------------------------------------------------------
# The catalog signature of the extension: every member object with what
# defines it (function definitions, types, operators, opclass members,
# casts, aggregates) and its comment, in a stable order.
cat >"$work/signature.sql" <<'SQL'
WITH members AS (
    SELECT d.classid, d.objid
    FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'rfm'
    WHERE d.deptype = 'e'
)
SELECT pg_describe_object(m.classid, m.objid, 0) AS object,
       coalesce(obj_description(m.objid, m.classid::regclass::name), '') AS comment,
       CASE m.classid
         WHEN 'pg_proc'::regclass THEN (
             SELECT concat_ws(' | ', p.prokind, p.provolatile, p.proparallel, p.proisstrict, p.prosecdef,
                              p.proleakproof, p.prorettype::regtype, p.prosrc, p.probin, l.lanname,
                              p.prorows, p.procost, p.proconfig::text,
                              (SELECT concat_ws(',', a.aggtransfn, a.aggfinalfn, a.aggcombinefn, a.aggserialfn,
                                                a.aggdeserialfn, a.aggtranstype::regtype, a.aggtransspace, a.agginitval)
                               FROM pg_aggregate a WHERE a.aggfnoid = p.oid))
             FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang WHERE p.oid = m.objid)
         WHEN 'pg_type'::regclass THEN (
             SELECT concat_ws(' | ', t.typlen, t.typbyval, t.typtype, t.typcategory, t.typalign, t.typstorage,
                              t.typinput, t.typoutput, t.typreceive, t.typsend, t.typelem::regtype, t.typarray::regtype)
             FROM pg_type t WHERE t.oid = m.objid)
         WHEN 'pg_operator'::regclass THEN (
             SELECT concat_ws(' | ', o.oprcode, o.oprcom::regoperator, o.oprnegate::regoperator, o.oprrest,
                              o.oprjoin, o.oprcanhash, o.oprcanmerge)
             FROM pg_operator o WHERE o.oid = m.objid)
         WHEN 'pg_opclass'::regclass THEN (
             SELECT concat_ws(' | ', c.opcdefault, c.opcintype::regtype,
                 (SELECT string_agg(ao.amopstrategy || ':' || ao.amopopr::regoperator, ',' ORDER BY ao.amopstrategy)
                  FROM pg_amop ao WHERE ao.amopfamily = c.opcfamily),
                 (SELECT string_agg(ap.amprocnum || ':' || ap.amproc::regprocedure, ',' ORDER BY ap.amprocnum)
                  FROM pg_amproc ap WHERE ap.amprocfamily = c.opcfamily))
             FROM pg_opclass c WHERE c.oid = m.objid)
         WHEN 'pg_cast'::regclass THEN (
             SELECT concat_ws(' | ', c.castfunc::regprocedure, c.castcontext, c.castmethod)
             FROM pg_cast c WHERE c.oid = m.objid)
         ELSE ''
       END AS definition
FROM members m
ORDER BY 1, 3;
SELECT extname, extversion, extrelocatable, n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE extname = 'rfm';
SQL

sharedir=$("$PG_CONFIG" --sharedir)/extension
default_version=$(sed -n "s/^[[:space:]]*default_version[[:space:]]*=[[:space:]]*'\([^']*\)'.*/\1/p" "$RFM_REPO/rfm.control")
newdb rfm_lc_fresh
psql_ -d rfm_lc_fresh -c "CREATE EXTENSION rfm" >/dev/null
psql_ -d rfm_lc_fresh -At -f "$work/signature.sql" >"$work/fresh.sig" 2>&1
newdb rfm_lc_fresh2
psql_ -d rfm_lc_fresh2 -c "CREATE EXTENSION rfm" >/dev/null
psql_ -d rfm_lc_fresh2 -At -f "$work/signature.sql" >"$work/fresh2.sig" 2>&1
same "catalog signature is reproducible ($(wc -l <"$work/fresh.sig") lines, fresh install of $default_version twice)" "$work/fresh.sig" "$work/fresh2.sig"

# released versions: every install script rfm--V.sql in the repo; update
# steps: rfm--A--B.sql. Each released V other than default_version must reach
# it; ALTER EXTENSION finds the path itself, we only check one exists.
mapfile -t released < <(cd "$RFM_REPO/sql" && ls rfm--*.sql 2>/dev/null | grep -v -- '--.*--' | sed 's/^rfm--\(.*\)\.sql$/\1/' | sort -V)
mapfile -t steps < <(cd "$RFM_REPO/sql" && ls rfm--*--*.sql 2>/dev/null | sed 's/^rfm--\(.*\)\.sql$/\1/')
upgrades=0
for v in "${released[@]}"; do
    [[ $v == "$default_version" ]] && continue
    db=rfm_lc_up_$(echo "$v" | tr -c 'a-zA-Z0-9\n' '_')
    newdb "$db"
    if ! psql_ -d "$db" -c "CREATE EXTENSION rfm VERSION '$v'" -c "ALTER EXTENSION rfm UPDATE" >"$work/up.log" 2>&1; then
        not_ok "update from $v to $default_version" "$(cat "$work/up.log")"; continue
    fi
    psql_ -d "$db" -At -f "$work/signature.sql" >"$work/up_$v.sig" 2>&1
    same "update $v -> $default_version gives the objects of a fresh install" "$work/fresh.sig" "$work/up_$v.sig"
    upgrades=$((upgrades + 1))
done

# A database built on 0.1, updated in place.
if [[ -f $RFM_REPO/sql/rfm--0.1.sql && $default_version != 0.1 ]]; then
    newdb rfm_lc_used01
    # Scores of the view against plain SQL, under either rule: L = rank() - 1
    # worst first, N = summaries ranked; 0.2 ranks only the customers with an
    # order in the year and gives the lapsed 111.  Prints: mismatches under
    # the 0.1 rule, under the 0.2 rule, customers on whom the rules differ.
    rules_check="WITH x AS (SELECT customer_id, recency(s) AS d, frequency(s) AS f, monetary(s) AS m
                            FROM summaries WHERE s IS NOT NULL),
        r01 AS (SELECT customer_id, (1 + 5 * (rank() OVER (ORDER BY d DESC) - 1) / count(*) OVER ()) * 100
                       + (1 + 5 * (rank() OVER (ORDER BY f) - 1) / count(*) OVER ()) * 10
                       + (1 + 5 * (rank() OVER (ORDER BY m) - 1) / count(*) OVER ()) AS score FROM x),
        r02 AS (SELECT customer_id, (1 + 5 * (rank() OVER (ORDER BY d DESC) - 1) / count(*) OVER ()) * 100
                       + (1 + 5 * (rank() OVER (ORDER BY f) - 1) / count(*) OVER ()) * 10
                       + (1 + 5 * (rank() OVER (ORDER BY m) - 1) / count(*) OVER ()) AS score FROM x WHERE f > 0)
        SELECT count(*) FILTER (WHERE v.score::int <> a.score) || ' '
               || count(*) FILTER (WHERE v.score::int <> coalesce(b.score, 111)) || ' '
               || count(*) FILTER (WHERE a.score <> coalesce(b.score, 111))
        FROM customer_rfm v JOIN r01 a USING (customer_id) LEFT JOIN r02 b USING (customer_id)"
    # the first customer on whom the rules differ: id, 0.1 score, 0.2 score (plain SQL)
    probe_query="${rules_check%%SELECT count(*) FILTER*}
        SELECT customer_id || ' ' || a.score || ' ' || coalesce(b.score, 111)
        FROM r01 a LEFT JOIN r02 b USING (customer_id)
        WHERE a.score <> coalesce(b.score, 111) ORDER BY customer_id LIMIT 1"
    if psql_ -d rfm_lc_used01 -c "CREATE EXTENSION rfm VERSION '0.1'" -f "$work/setup.sql" >"$work/used01.log" 2>&1; then
        ok "a 0.1 database with rfm columns of every type, indexes and a materialized view"
    else
        not_ok "setup of a 0.1 database" "$(cat "$work/used01.log")"
    fi
    psql_ -d rfm_lc_used01 -f "$work/compare.sql" >"$work/used01_before.out" 2>&1
    before=$(psql_ -d rfm_lc_used01 -Atc "$rules_check" 2>&1)
    read -r v01 v02 differ <<<"$before"
    if [[ $v01 == 0 && $differ =~ ^[0-9]+$ ]] && ((differ > 0 && v02 == differ)); then
        ok "before the update, the 0.1 rule from today's library: view = plain 0.1 scores ($differ customers would score otherwise under 0.2)"
    else
        not_ok "0.1 answers before the update (mismatches 0.1, 0.2, customers differing: '$before')"
    fi
    # one customer whose stored score changes under the new rule, followed through
    probe=$(psql_ -d rfm_lc_used01 -Atc "$probe_query" 2>&1)
    read -r probe_id probe01 probe02 <<<"$probe"
    stored01=$(psql_ -d rfm_lc_used01 -Atc "SELECT score FROM customer_rfm WHERE customer_id = ${probe_id:-0}" 2>&1)
    if psql_ -d rfm_lc_used01 -c "ALTER EXTENSION rfm UPDATE" >"$work/used01_up.log" 2>&1; then
        ok "ALTER EXTENSION rfm UPDATE of the used 0.1 database"
    else
        not_ok "ALTER EXTENSION rfm UPDATE of the used 0.1 database" "$(cat "$work/used01_up.log")"
    fi
    psql_ -d rfm_lc_used01 -At -f "$work/signature.sql" >"$work/used01.sig" 2>&1
    same "used 0.1 database updated: the objects of a fresh install" "$work/fresh.sig" "$work/used01.sig"
    psql_ -d rfm_lc_used01 -f "$work/compare.sql" >"$work/used01_after.out" 2>&1
    same "stored values (summaries, scores, rfm_breaks, histories, models, the view before refresh) read the same after the update ($(wc -l <"$work/used01_after.out") lines)" \
        "$work/used01_before.out" "$work/used01_after.out"
    psql_ -d rfm_lc_used01 -c "REFRESH MATERIALIZED VIEW customer_rfm" -c "REFRESH MATERIALIZED VIEW CONCURRENTLY customer_rfm" \
        >"$work/used01_refresh.log" 2>&1 || { not_ok "refresh after the update" "$(cat "$work/used01_refresh.log")"; }
    after=$(psql_ -d rfm_lc_used01 -Atc "$rules_check" 2>&1)
    read -r v01 v02 differ <<<"$after"
    view02=$(psql_ -d rfm_lc_used01 -Atc "SELECT count(*) FILTER (WHERE frequency = 0 AND (score <> '111' OR frozen <> '111' OR frozen4 <> '111' OR segment <> 'lost')) || ' ' || count(*) FILTER (WHERE frequency = 0) FROM customer_rfm")
    now=$(psql_ -d rfm_lc_used01 -Atc "SELECT score FROM customer_rfm WHERE customer_id = ${probe_id:-0}" 2>&1)
    if [[ $v02 == 0 && $v01 == "$differ" && ${view02%% *} == 0 && -n $probe_id && $stored01 == "$probe01" && $now == "$probe02" ]]; then
        ok "after REFRESH the 0.2 rule: view = plain 0.2 scores, $differ customers changed (e.g. customer $probe_id: $stored01 -> $now), every lapsed one 111 and lost (${view02#* })"
    else
        not_ok "0.2 answers after REFRESH ('$after'; lapsed not 111/lost in the view: '$view02'; probe '$probe', stored '$stored01', now '$now')"
    fi
    # and the refreshed view is what a fresh 0.2 database computes
    # (all but the grid column, which reads the stored scores of table scored)
    view_query="SELECT to_jsonb(v) - 'grid' FROM customer_rfm v ORDER BY customer_id"
    psql_ -d rfm_lc_used01 -Atc "$view_query" >"$work/used01_view.out" 2>&1
    psql_ -d rfm_lc_fresh -q -f "$work/setup.sql" >/dev/null 2>&1
    psql_ -d rfm_lc_fresh -Atc "$view_query" >"$work/fresh_view.out" 2>&1
    same "refreshed view of the updated database = the view of a fresh $default_version database" "$work/fresh_view.out" "$work/used01_view.out"
fi
echo "upgrade paths: ${#released[@]} released version(s) (${released[*]}), ${#steps[@]} update script(s), default_version $default_version: $upgrades path(s) checked"
# Every update script the repo ships must also be installed (DATA in the Makefile).
for s in "${steps[@]}"; do
    if [[ -f $sharedir/rfm--$s.sql ]]; then ok "update script rfm--$s.sql installed"; else not_ok "update script rfm--$s.sql not installed in $sharedir"; fi
done

# ---------------------------------------------------------------------------
# 3. DROP EXTENSION leaves nothing behind
# ---------------------------------------------------------------------------
cat >"$work/leftovers.sql" <<'SQL'
SELECT 'type ' || typname FROM pg_type
 WHERE typname ~ '^_?(rfm_|segment$|loyalty_class$)' OR typname IN ('segment', '_segment', 'loyalty_class', '_loyalty_class')
UNION ALL SELECT 'function ' || oid::regprocedure FROM pg_proc
 WHERE proname ~ '^(rfm_|segment_|loyalty_class|recency|frequency|monetary|avg_order_value|orders_ever|first_order|last_order|as_of$|tenure|purchase_span)'
   AND pronamespace <> 'pg_catalog'::regnamespace
UNION ALL SELECT 'operator ' || oid::regoperator FROM pg_operator
 WHERE oprleft IN (SELECT oid FROM pg_type WHERE typname IN ('rfm_score', 'segment', 'loyalty_class'))
UNION ALL SELECT 'opclass ' || opcname FROM pg_opclass WHERE opcname ~ '^(rfm_|segment_|loyalty_class_)'
UNION ALL SELECT 'opfamily ' || opfname FROM pg_opfamily WHERE opfname ~ '^(rfm_|segment_|loyalty_class_)'
UNION ALL SELECT 'cast ' || castsource::regtype || ' -> ' || casttarget::regtype FROM pg_cast
 WHERE castsource::regtype::text ~ '(rfm_|segment|loyalty_class)' OR casttarget::regtype::text ~ '(rfm_|segment|loyalty_class)'
UNION ALL SELECT 'extension ' || extname FROM pg_extension WHERE extname = 'rfm'
UNION ALL SELECT 'dependency ' || pg_describe_object(classid, objid, objsubid) FROM pg_depend
 WHERE refclassid = 'pg_extension'::regclass AND refobjid NOT IN (SELECT oid FROM pg_extension)
UNION ALL SELECT 'description ' || objoid FROM pg_description d
 WHERE d.classoid = 'pg_proc'::regclass AND NOT EXISTS (SELECT FROM pg_proc WHERE oid = d.objoid)
ORDER BY 1;
SQL
newdb rfm_lc_drop
psql_ -d rfm_lc_drop -At -f "$work/leftovers.sql" >"$work/before.txt" 2>&1
psql_ -d rfm_lc_drop -c "CREATE EXTENSION rfm" >/dev/null
members=$(psql_ -d rfm_lc_drop -Atc "SELECT count(*) FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid WHERE e.extname = 'rfm' AND d.deptype = 'e'")
psql_ -d rfm_lc_drop -c "DROP EXTENSION rfm" >/dev/null
psql_ -d rfm_lc_drop -At -f "$work/leftovers.sql" >"$work/after.txt" 2>&1
same "DROP EXTENSION rfm leaves no rfm object ($members member objects dropped)" "$work/before.txt" "$work/after.txt"
# and in the used database (tables depend on the types: CASCADE)
psql_ -d rfm_lc_src -c "DROP EXTENSION rfm CASCADE" >/dev/null 2>&1
psql_ -d rfm_lc_src -At -f "$work/leftovers.sql" >"$work/after_src.txt" 2>&1
same "DROP EXTENSION rfm CASCADE in a used database leaves no rfm object" "$work/before.txt" "$work/after_src.txt"
# install again after the drop
if psql_ -d rfm_lc_src -c "CREATE EXTENSION rfm" -c "SELECT rfm_score(5, 4, 3)" >/dev/null 2>&1; then
    ok "CREATE EXTENSION again after DROP"
else
    not_ok "CREATE EXTENSION again after DROP"
fi

echo "lifecycle: $((SECONDS - start)) s"
rfm_finish lifecycle 0
