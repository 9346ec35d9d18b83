-- Security: rfm is a trusted extension a non-superuser with only CREATE on
-- a database can install and use; its install script must be safe against
-- search_path attacks (modelled on contrib/seg's security.sql: a hostile
-- user plants look-alike functions where the script's unqualified calls
-- could find them); nothing is SECURITY DEFINER; it works under row-level
-- security.

SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
\pset format unaligned
SELECT current_database() AS datname \gset

SET client_min_messages = warning;
DROP DATABASE IF EXISTS regression_rfm_security;
DROP ROLE IF EXISTS regress_rfm_user;
DROP ROLE IF EXISTS regress_rfm_analyst;
DROP ROLE IF EXISTS regress_rfm_other;
RESET client_min_messages;

---------------------------------------------------------------------------
-- Static properties of the installed extension
---------------------------------------------------------------------------
SELECT name, version, superuser, trusted, relocatable
FROM pg_available_extension_versions WHERE name = 'rfm' ORDER BY version;
-- no SECURITY DEFINER function, no function with its own settings
SELECT count(*) > 100 AS many_functions,
       count(*) FILTER (WHERE p.prosecdef) AS security_definer,
       count(*) FILTER (WHERE p.proconfig IS NOT NULL) AS with_settings
FROM pg_proc p
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'rfm';
-- every object of the extension lives in the extension's schema
SELECT pg_describe_object(d.classid, d.objid, 0) AS outside_the_schema
FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'rfm'
WHERE d.deptype = 'e' AND (
    (d.classid = 'pg_proc'::regclass AND (SELECT pronamespace FROM pg_proc WHERE oid = d.objid) <> e.extnamespace) OR
    (d.classid = 'pg_type'::regclass AND (SELECT typnamespace FROM pg_type WHERE oid = d.objid) <> e.extnamespace) OR
    (d.classid = 'pg_operator'::regclass AND (SELECT oprnamespace FROM pg_operator WHERE oid = d.objid) <> e.extnamespace) OR
    (d.classid = 'pg_opclass'::regclass AND (SELECT opcnamespace FROM pg_opclass WHERE oid = d.objid) <> e.extnamespace) OR
    (d.classid = 'pg_opfamily'::regclass AND (SELECT opfnamespace FROM pg_opfamily WHERE oid = d.objid) <> e.extnamespace))
ORDER BY 1;

---------------------------------------------------------------------------
-- A non-superuser with only CREATE on a fresh database
---------------------------------------------------------------------------
CREATE ROLE regress_rfm_user LOGIN;
CREATE ROLE regress_rfm_other LOGIN;
CREATE DATABASE regression_rfm_security;
GRANT CREATE ON DATABASE regression_rfm_security TO regress_rfm_user;
\c regression_rfm_security
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET ROLE regress_rfm_user;
SELECT rolsuper, rolcreatedb, rolcreaterole FROM pg_roles WHERE rolname = current_user;

-- The hostile part (as contrib/seg's test does it): before the extension
-- exists, the user plants, in the schema the extension will go into,
-- functions and operators named like what the install script calls
-- unqualified -- format() with text arguments (a better match than
-- pg_catalog.format(text, VARIADIC "any")), concat(), and text operators.
-- Trusted, the script runs as the bootstrap superuser, so any of them being
-- called would run the user's code as superuser.  Each records the call.
CREATE SCHEMA hostile;
CREATE TABLE hostile.calls (fn text, run_as name);
GRANT INSERT ON hostile.calls TO PUBLIC;
DO $do$
DECLARE
    n int;
    args text;
    params text;
BEGIN
    FOR n IN 1..12 LOOP
        args := array_to_string(array_fill('text'::text, ARRAY[n]), ', ');
        params := (SELECT string_agg('$' || i, ', ') FROM generate_series(1, n) i);
        -- each behaves like the real one, so the script would run through
        EXECUTE format($f$CREATE FUNCTION hostile.format(%s) RETURNS text LANGUAGE plpgsql AS $b$
            BEGIN INSERT INTO hostile.calls VALUES ('format/%s', current_user); RETURN pg_catalog.format(%s); END $b$ $f$,
            args, n, params);
        EXECUTE format($f$CREATE FUNCTION hostile.concat(%s) RETURNS text LANGUAGE plpgsql AS $b$
            BEGIN INSERT INTO hostile.calls VALUES ('concat/%s', current_user); RETURN pg_catalog.concat(%s); END $b$ $f$,
            args, n, params);
    END LOOP;
END $do$;
CREATE FUNCTION hostile.hostile_eq(text, text) RETURNS boolean LANGUAGE plpgsql AS $$
    BEGIN INSERT INTO hostile.calls VALUES ('=', current_user); RETURN $1 OPERATOR(pg_catalog.=) $2; END $$;
CREATE OPERATOR hostile.= (LEFTARG = text, RIGHTARG = text, FUNCTION = hostile.hostile_eq);
CREATE FUNCTION hostile.hostile_cat(text, text[]) RETURNS text LANGUAGE plpgsql AS $$
    BEGIN INSERT INTO hostile.calls VALUES ('||', current_user); RETURN $1 OPERATOR(pg_catalog.||) $2; END $$;
CREATE OPERATOR hostile.|| (LEFTARG = text, RIGHTARG = text[], FUNCTION = hostile.hostile_cat);

-- the extension, created by this user into that schema
CREATE EXTENSION rfm SCHEMA hostile;
SELECT e.extname, r.rolname AS extension_owner, n.nspname AS schema
FROM pg_extension e JOIN pg_roles r ON r.oid = e.extowner JOIN pg_namespace n ON n.oid = e.extnamespace;
-- none of the planted objects ran while the script executed as superuser
SELECT fn, run_as, count(*) FROM hostile.calls GROUP BY 1, 2 ORDER BY 1, 2;
SELECT count(*) AS hijacked_calls FROM hostile.calls;
SELECT rolsuper FROM pg_roles WHERE rolname = 'regress_rfm_user';
DROP EXTENSION rfm;
TRUNCATE hostile.calls;

-- a clean schema; then the whole surface, as the non-superuser
CREATE SCHEMA shop;
CREATE EXTENSION rfm SCHEMA shop;
SET search_path = shop;
CREATE TABLE orders (customer_id int, ordered_at timestamptz, amount numeric(10,2));
INSERT INTO orders
SELECT c, timestamptz '2026-11-23 00:00+00' - (c * 11 + i * 17) * interval '1 day', 10 + c + i
FROM generate_series(1, 20) c, generate_series(0, c % 6) i;
CREATE TABLE summaries AS
SELECT customer_id, rfm_summary(ordered_at, amount, timestamptz '2026-11-23 00:00+00', interval '1 year') AS s
FROM orders GROUP BY customer_id;
CREATE TABLE scores AS
SELECT customer_id, s, rfm_score(s) OVER () AS score, rfm_score(s, 3) OVER () AS score3,
       rfm_segment(rfm_score(s) OVER ()) AS segment, loyalty_class(s) AS loyalty, loyalty_class(s, 3) AS loyalty3
FROM summaries;
CREATE INDEX ON scores (score);
CREATE INDEX ON scores USING hash (segment);
SELECT segment, segment_label(segment), count(*), sum(monetary(s)), min(recency(s)), max(frequency(s))
FROM scores GROUP BY segment ORDER BY segment;
SELECT loyalty, count(*) FROM scores GROUP BY 1 ORDER BY 1;
SELECT score::text, score::int, recency_score(score), frequency_score(score), monetary_score(score)
FROM scores WHERE customer_id = 7;
SELECT count(*) FILTER (WHERE rfm_score(s, b) <> score) AS frozen_differs
FROM scores, (SELECT rfm_breaks(s) b FROM summaries) x;
SELECT rfm_breaks(s, 3) FROM summaries;
SELECT * FROM rfm_grid(ARRAY(SELECT score FROM scores));
SELECT rfm_segment('543', ARRAY[('top', 4, 5, NULL, NULL, NULL, NULL)::rfm_segment_rule], 'rest');
SELECT avg_order_value(s), orders_ever(s), first_order(s), last_order(s), as_of(s), tenure(s), purchase_span(s)
FROM summaries WHERE customer_id = 3;
SET rfm.loyal_min_orders = 2;
SELECT loyalty_class(s) FROM summaries WHERE customer_id = 3;
RESET rfm.loyal_min_orders;
CREATE MATERIALIZED VIEW customer_rfm AS SELECT customer_id, score, segment FROM scores;
CREATE UNIQUE INDEX ON customer_rfm (customer_id);
REFRESH MATERIALIZED VIEW CONCURRENTLY customer_rfm;
SELECT count(*) FROM customer_rfm;
-- another user, without privileges on the tables, sees nothing but may use the types
GRANT USAGE ON SCHEMA shop TO regress_rfm_other;
SET ROLE regress_rfm_other;
SELECT count(*) FROM shop.scores;
SELECT shop.rfm_segment('543'::shop.rfm_score);
SET ROLE regress_rfm_user;
RESET search_path;
-- the extension's owner may drop it
DROP EXTENSION rfm CASCADE;
SELECT count(*) AS rfm_types_left FROM pg_type WHERE typname IN ('rfm_summary', 'rfm_score', 'segment', 'loyalty_class', 'rfm_breaks', 'rfm_segment_rule');
RESET ROLE;
\c :"datname"
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
DROP DATABASE regression_rfm_security;

---------------------------------------------------------------------------
-- Row-level security: a user sees figures and segments of permitted rows only
---------------------------------------------------------------------------
CREATE ROLE regress_rfm_analyst LOGIN;
CREATE TABLE rls_orders (region text, customer_id int, ordered_at timestamptz, amount numeric(10,2));
INSERT INTO rls_orders
SELECT CASE WHEN c % 3 = 0 THEN 'north' ELSE 'south' END, c,
       timestamptz '2026-11-23 00:00+00' - (c * 7 + i * 13) * interval '1 day', 5 + c * i
FROM generate_series(1, 30) c, generate_series(0, c % 5) i;
-- one customer ordered in both regions: the analyst sees only its north orders
INSERT INTO rls_orders VALUES ('south', 3, '2026-11-22 00:00+00', 1000), ('north', 4, '2026-11-01 00:00+00', 7);
ALTER TABLE rls_orders ENABLE ROW LEVEL SECURITY;
CREATE POLICY north_only ON rls_orders FOR SELECT TO regress_rfm_analyst USING (region = 'north');
GRANT SELECT ON rls_orders TO regress_rfm_analyst;

CREATE TEMP TABLE as_owner AS
SELECT customer_id, rfm_summary(ordered_at, amount, timestamptz '2026-11-23 00:00+00')::text AS s,
       rfm_segment(rfm_score(rfm_summary(ordered_at, amount, timestamptz '2026-11-23 00:00+00')) OVER ())::text AS segment
FROM rls_orders WHERE region = 'north' GROUP BY customer_id;
GRANT SELECT ON as_owner TO regress_rfm_analyst;

SET ROLE regress_rfm_analyst;
SELECT count(*) AS visible_rows, count(DISTINCT customer_id) AS visible_customers,
       count(*) FILTER (WHERE region <> 'north') AS other_regions FROM rls_orders;
CREATE TEMP TABLE as_analyst AS
SELECT customer_id, rfm_summary(ordered_at, amount, timestamptz '2026-11-23 00:00+00')::text AS s,
       rfm_segment(rfm_score(rfm_summary(ordered_at, amount, timestamptz '2026-11-23 00:00+00')) OVER ())::text AS segment
FROM rls_orders GROUP BY customer_id;
-- identical to what the owner computes over the north rows only
SELECT (SELECT count(*) FROM as_analyst) AS analyst_customers,
       (SELECT count(*) FROM (SELECT * FROM as_analyst EXCEPT SELECT * FROM as_owner) x) AS only_analyst,
       (SELECT count(*) FROM (SELECT * FROM as_owner EXCEPT SELECT * FROM as_analyst) x) AS only_owner;
-- customer 3's south order of 1000 and south customers do not show
SELECT customer_id, s, segment FROM as_analyst WHERE customer_id IN (3, 4) ORDER BY 1;
-- a leaky predicate cannot reveal hidden rows through the rfm operators
-- (they are LEAKPROOF built-ins; the policy is applied first)
SELECT count(*) FROM rls_orders WHERE rfm_score(1, 1, 1) = '111' AND region = 'south';
DROP TABLE as_analyst;
RESET ROLE;
DROP TABLE rls_orders, as_owner;
DROP ROLE regress_rfm_analyst;
DROP ROLE regress_rfm_user;
DROP ROLE regress_rfm_other;
