--
-- parallel: the aggregate gives the same summaries serially and through
-- partial aggregation in parallel workers (combine function), hashed or sorted.
--
CREATE SCHEMA rfm_test_parallel;
SET search_path = rfm_test_parallel, public;
SET DateStyle = 'ISO, YMD';
SET TimeZone = 'UTC';
CREATE FUNCTION plan_has(q text, pat text) RETURNS boolean LANGUAGE plpgsql AS $f$
DECLARE l text;
BEGIN
  FOR l IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP
    IF l LIKE '%' || pat || '%' THEN RETURN true; END IF;
  END LOOP;
  RETURN false;
END $f$;
-- 50,000 orders of 2,000 customers over three years; amounts with cents and refunds,
-- quarter-unit floats (exact, so their sums cannot depend on the order of addition),
-- and cent floats.
CREATE TABLE big AS
SELECT i % 2000 AS c, date '2004-01-01' + (i * 7919) % 1096 AS d,
       (((i * 37) % 20000) - 2000) * 0.01 AS a,
       (((i * 37) % 20000) - 2000) * 0.25::float8 AS q,
       ((((i * 37) % 20000) - 2000) * 0.01)::float8 AS cents
  FROM generate_series(1, 50000) i;
ANALYZE big;
CREATE VIEW per_customer AS
SELECT c, rfm_summary(d, a, date '2006-12-31')::text AS s_all,
       rfm_summary(d, a, date '2006-12-31', interval '1 year')::text AS s_year,
       rfm_summary(d::timestamptz, q, timestamptz '2006-06-30 12:00+00', interval '90 days')::text AS s_float,
       rfm_summary(d::timestamp, (a * 100)::bigint, timestamp '2005-12-31 00:00')::text AS s_int
  FROM big GROUP BY c;
CREATE VIEW whole AS
SELECT rfm_summary(d, a, date '2006-12-31')::text AS s_all,
       rfm_summary(d, a, date '2006-12-31', interval '1 year')::text AS s_year,
       rfm_summary(d, q, date '2006-12-31', interval '30 days')::text AS s_float
  FROM big;
SET max_parallel_workers_per_gather = 0;
CREATE TABLE serial AS SELECT * FROM per_customer;
CREATE TABLE serial_whole AS SELECT * FROM whole;
CREATE TABLE serial_cents AS SELECT c, rfm_summary(d, cents, date '2006-12-31')::text AS s FROM big GROUP BY c;
-- The serial result agrees with plain SQL.
SELECT count(*) AS customers,
       count(*) FILTER (WHERE recency(s_all::rfm_summary) <> date '2006-12-31' - p.last
                           OR frequency(s_all::rfm_summary) <> p.n
                           OR monetary(s_all::rfm_summary)::text <> p.m::text
                           OR frequency(s_year::rfm_summary) <> p.n_year
                           OR monetary(s_year::rfm_summary) <> p.m_year) AS mismatches
  FROM serial JOIN (SELECT c, max(d) AS last, count(*) AS n, sum(a) AS m,
                           count(*) FILTER (WHERE d > date '2005-12-31') AS n_year,
                           coalesce(sum(a) FILTER (WHERE d > date '2005-12-31'), 0) AS m_year
                      FROM big GROUP BY c) p USING (c);
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
-- Sorted partial aggregation.
SET enable_hashagg = off;
SELECT plan_has('CREATE TABLE x AS SELECT * FROM per_customer', 'Partial GroupAggregate') AS partial,
       NOT plan_has('SELECT * FROM per_customer', 'HashAggregate') AS sorted;
CREATE TABLE par_sorted AS SELECT * FROM per_customer;
RESET enable_hashagg;
-- Hashed partial aggregation.
SET enable_sort = off;
SELECT plan_has('CREATE TABLE x AS SELECT * FROM per_customer', 'Partial HashAggregate') AS partial;
CREATE TABLE par_hashed AS SELECT * FROM per_customer;
RESET enable_sort;
-- One group over the whole table.
SELECT plan_has('CREATE TABLE x AS SELECT * FROM whole', 'Partial Aggregate') AS partial;
CREATE TABLE par_whole AS SELECT * FROM whole;
CREATE TABLE par_cents AS SELECT c, rfm_summary(d, cents, date '2006-12-31')::text AS s FROM big GROUP BY c;
RESET max_parallel_workers_per_gather;
SELECT (SELECT count(*) FROM par_sorted) AS rows,
       (SELECT count(*) FROM (SELECT * FROM serial EXCEPT SELECT * FROM par_sorted) x) AS only_serial,
       (SELECT count(*) FROM (SELECT * FROM par_sorted EXCEPT SELECT * FROM serial) x) AS only_parallel;
SELECT (SELECT count(*) FROM par_hashed) AS rows,
       (SELECT count(*) FROM (SELECT * FROM serial EXCEPT SELECT * FROM par_hashed) x) AS only_serial,
       (SELECT count(*) FROM (SELECT * FROM par_hashed EXCEPT SELECT * FROM serial) x) AS only_parallel;
SELECT (SELECT count(*) FROM par_whole) AS rows,
       (SELECT count(*) FROM (SELECT * FROM serial_whole EXCEPT SELECT * FROM par_whole) x) AS only_serial,
       (SELECT count(*) FROM (SELECT * FROM par_whole EXCEPT SELECT * FROM serial_whole) x) AS only_parallel;
-- Float amounts with cents: PRODUCT promises the same result in parallel or not.
SELECT (SELECT count(*) FROM par_cents) AS rows,
       (SELECT count(*) FROM (SELECT * FROM serial_cents EXCEPT SELECT * FROM par_cents) x) AS only_serial,
       (SELECT count(*) FROM (SELECT * FROM par_cents EXCEPT SELECT * FROM serial_cents) x) AS only_parallel;
SELECT s_all FROM par_whole;
RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA rfm_test_parallel CASCADE;
RESET client_min_messages;
