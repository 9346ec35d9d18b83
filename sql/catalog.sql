-- The catalog contract: every object of the extension is documented, usable
-- by non-superusers, parallel safe, and has the volatility it claims.

-- Every member object has a COMMENT (expect no rows).
SELECT pg_describe_object(classid, objid, 0) AS undocumented
FROM pg_depend
WHERE refclassid = 'pg_extension'::regclass
  AND refobjid = (SELECT oid FROM pg_extension WHERE extname = 'rfm')
  AND deptype = 'e'
  AND obj_description(objid, (SELECT relname FROM pg_class WHERE oid = classid)) IS NULL
ORDER BY 1;

-- The array type of every type the extension owns, documented too.  From
-- PostgreSQL 17 on the array types are members (the query above sees
-- them); before, they are not, so they are listed here by their element
-- type, on every version alike.
SELECT t.oid::regtype AS type, t.typarray::regtype AS array_type,
       obj_description(t.typarray, 'pg_type') IS NOT NULL AS documented
FROM pg_type t
JOIN pg_depend d ON d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e'
WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'rfm')
  AND t.typelem = 0
  AND (t.typrelid = 0 OR (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c')
ORDER BY t.typname;

-- The row type of every table and view the extension owns, and its array
-- type, documented too (members from PostgreSQL 17 on, as above).
SELECT c.oid::regclass AS relation, c.reltype::regtype AS row_type,
       obj_description(c.reltype, 'pg_type') IS NOT NULL AS row_type_documented,
       obj_description(t.typarray, 'pg_type') IS NOT NULL AS array_documented
FROM pg_class c
JOIN pg_type t ON t.oid = c.reltype
JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'rfm')
ORDER BY c.relname;

-- No SECURITY DEFINER function, and every function is PARALLEL SAFE (expect no rows).
SELECT p.oid::regprocedure AS offending
FROM pg_proc p
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'rfm')
  AND (p.prosecdef OR p.proparallel <> 's')
ORDER BY 1;

-- Functions that are not IMMUTABLE, and why: they read the session
-- TimeZone (instants as timestamptz; parsing a timestamptz) or a setting
-- (rfm.loyal_min_orders; lc_monetary, which gives money its digits after the point;
-- rfm.language and the per-database texts of rfm_text).
SELECT p.oid::regprocedure AS function, p.provolatile AS volatility
FROM pg_proc p
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'rfm')
  AND p.provolatile <> 'i'
ORDER BY 1::text;

-- Every rfm_summary aggregate has a combine function and is parallel safe:
-- 3 kinds of instants x 5 kinds of amounts (numeric, double precision,
-- bigint, integer, money) x (with, without period) = 30.
SELECT count(*) AS aggregates,
       count(*) FILTER (WHERE a.aggcombinefn <> 0) AS with_combine,
       count(*) FILTER (WHERE p.proparallel = 's') AS parallel_safe
FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid
WHERE p.proname = 'rfm_summary';

-- The extension is trusted, so a non-superuser with CREATE may install it.
SELECT trusted, relocatable FROM pg_available_extension_versions WHERE name = 'rfm';

-- Hash opclasses include the extended hash (support function 2), which
-- hash partitioning needs.
SELECT opf.opfname, count(*) FILTER (WHERE amproc.amprocnum = 2) AS extended_hash
FROM pg_opfamily opf
JOIN pg_am am ON am.oid = opf.opfmethod AND am.amname = 'hash'
JOIN pg_amproc amproc ON amproc.amprocfamily = opf.oid
WHERE opf.opfname IN ('rfm_score_hash_ops', 'segment_hash_ops', 'loyalty_class_hash_ops')
GROUP BY 1 ORDER BY 1;

CREATE TABLE scores_by_hash (score rfm_score, customer int) PARTITION BY HASH (score);
CREATE TABLE scores_by_hash_0 PARTITION OF scores_by_hash FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE scores_by_hash_1 PARTITION OF scores_by_hash FOR VALUES WITH (MODULUS 2, REMAINDER 1);
INSERT INTO scores_by_hash VALUES ('111', 1), ('543', 2), ('555', 3), ('543', 4);
SELECT score, count(*) FROM scores_by_hash GROUP BY score ORDER BY score;
DROP TABLE scores_by_hash;

-- String parameters compare with the vocabularies: JDBC sends them as
-- varchar, other drivers as text or unknown.
SELECT 'loyal'::segment = 'loyal'::varchar AS segment_varchar,
       'loyal'::segment = 'loyal'::text AS segment_text,
       'lapsed'::loyalty_class = 'lapsed'::varchar AS loyalty_varchar,
       'champions'::segment < 'lost'::text AS ordered;

-- A non-superuser with only CREATE on the database installs and uses it.
DROP EXTENSION rfm;
CREATE ROLE regress_rfm_user;
DO $$ BEGIN
    EXECUTE format('GRANT CREATE ON DATABASE %I TO regress_rfm_user', current_database());
END $$;
SET ROLE regress_rfm_user;
CREATE EXTENSION rfm;
SELECT extname, extowner::regrole FROM pg_extension WHERE extname = 'rfm';
CREATE TEMP TABLE user_orders (customer int, ordered_at date, amount numeric);
INSERT INTO user_orders VALUES (1, '2026-01-05', 10.00), (1, '2026-02-05', 5), (2, '2025-12-31', 7.5);
SELECT customer, s, rfm_score(s) OVER () AS score, rfm_segment(rfm_score(s) OVER ()),
       loyalty_class(s)
FROM (SELECT customer, rfm_summary(ordered_at, amount, date '2026-03-01') AS s
      FROM user_orders GROUP BY customer) AS x
ORDER BY customer;
DROP TABLE user_orders;
DROP EXTENSION rfm;
RESET ROLE;
DO $$ BEGIN
    EXECUTE format('REVOKE CREATE ON DATABASE %I FROM regress_rfm_user', current_database());
END $$;
DROP ROLE regress_rfm_user;
CREATE EXTENSION rfm;
