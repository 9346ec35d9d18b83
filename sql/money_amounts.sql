--
-- money_amounts: rfm_summary over money amounts.  A money value is a count
-- of the currency's smallest unit; how many digits after the point that
-- unit is follows lc_monetary (frac_digits; 2 where the locale gives none,
-- as in C).  The summary reads the amounts exactly as money::numeric does
-- and keeps that decimal, so it does not change when lc_monetary does.
--
CREATE SCHEMA rfm_test_money;
SET search_path = rfm_test_money, public;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET lc_monetary = 'C';

-- Orders as whole counts of the smallest unit, turned into money without
-- any locale-dependent parsing (cents in C: 1250 = 12.50).
CREATE TABLE o (cust text, d date, units bigint);
INSERT INTO o VALUES
  ('a', '2006-12-30', 1250), ('a', '2006-12-01', 99), ('a', '2005-06-01', 100000),
  ('b', '2006-12-31', -500), ('b', '2006-11-30', 1),
  ('c', '2005-01-01', 777),                          -- lapsed in a 1-year period
  ('d', '2006-12-31', NULL);                         -- NULL amount skipped: NULL summary
CREATE VIEW om AS SELECT cust, d, units * '0.01'::money AS amount FROM o;

-- By hand, as of 2006-12-31 (lc_monetary C: 2 digits):
--   all history: a 12.50 + 0.99 + 1000.00 = 1013.49 (3 orders); b -5.00 + 0.01 = -4.99;
--                c 7.77; d NULL.
--   1 year (2005-12-31, 2006-12-31]: a 13.49 (2 orders), b -4.99 (2), c 0 (lapsed).
SELECT cust, amount FROM om ORDER BY cust, d;
CREATE TABLE sd AS
SELECT cust,
       rfm_summary(d, amount, date '2006-12-31') AS s_all,
       rfm_summary(d, amount, date '2006-12-31', interval '1 year') AS s_year
  FROM om GROUP BY cust;
SELECT cust, frequency(s_all), monetary(s_all), avg_order_value(s_all),
       frequency(s_year), monetary(s_year), loyalty_class(s_year)
  FROM sd ORDER BY cust;
-- monetary equals sum(amount::numeric), value and scale (money::numeric is
-- PostgreSQL's own reading of the amounts), for every kind of instant.
CREATE TABLE kinds AS
SELECT cust,
       monetary(rfm_summary(d, amount, date '2006-12-31'))::text AS date_all,
       monetary(rfm_summary(d::timestamp, amount, timestamp '2006-12-31'))::text AS ts_all,
       monetary(rfm_summary(d::timestamptz, amount, timestamptz '2006-12-31 00:00+00'))::text AS tstz_all,
       monetary(rfm_summary(d, amount, date '2006-12-31', interval '1 year'))::text AS date_year,
       monetary(rfm_summary(d::timestamp, amount, timestamp '2006-12-31', interval '1 year'))::text AS ts_year,
       monetary(rfm_summary(d::timestamptz, amount, timestamptz '2006-12-31 00:00+00', interval '1 year'))::text AS tstz_year,
       sum(amount::numeric)::text AS plain_all,
       coalesce(sum(amount::numeric) FILTER (WHERE d > '2005-12-31'), 0)::text AS plain_year
  FROM om GROUP BY cust;
SELECT * FROM kinds ORDER BY cust;
SELECT count(*) AS customers,
       count(*) FILTER (WHERE date_all IS DISTINCT FROM plain_all OR ts_all IS DISTINCT FROM plain_all
                           OR tstz_all IS DISTINCT FROM plain_all) AS all_differ,
       count(*) FILTER (WHERE cust <> 'd' AND (date_year IS DISTINCT FROM plain_year
                           OR ts_year IS DISTINCT FROM plain_year OR tstz_year IS DISTINCT FROM plain_year)) AS year_differ
  FROM kinds;
-- The extremes of money: -92233720368547758.08 and 92233720368547758.07
-- (int64 cents), summed exactly beyond money's own range.
SELECT monetary(rfm_summary(d, amount, date '2006-12-31')) AS extremes_sum,
       monetary(rfm_summary(d, amount, date '2006-12-31') FILTER (WHERE amount > '0'::money)) AS two_max
  FROM (VALUES (date '2006-01-01', '-92233720368547758.08'::money),
               (date '2006-01-02', '92233720368547758.07'::money),
               (date '2006-01-03', '92233720368547758.07'::money)) v(d, amount);

-- Serial and parallel (partial states combined across workers, which get
-- lc_monetary from the leader) give the same summaries: 2000 customers,
-- 20000 orders, amounts from -0.50 to 999.49.
CREATE TABLE many AS
SELECT i % 2000 AS cust, date '2006-12-31' - (i * 7919 % 700) AS d,
       (i * 104729 % 100000 - 50) * '0.01'::money AS amount
  FROM generate_series(1, 20000) i;
ANALYZE many;
SET max_parallel_workers_per_gather = 0;
CREATE TABLE many_serial AS
SELECT cust, rfm_summary(d, amount, date '2006-12-31', interval '1 year')::text AS s FROM many GROUP BY cust;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
-- the built-in Agg's partial and combine steps (the engine's: fast_grouping.sql)
SET rfm.fast_grouping = off;
CREATE FUNCTION plan_has(q text, pat text) RETURNS boolean LANGUAGE plpgsql AS $f$
DECLARE l text;
BEGIN
  FOR l IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP
    IF l LIKE '%' || pat || '%' THEN RETURN true; END IF;
  END LOOP;
  RETURN false;
END $f$;
SELECT plan_has($$SELECT cust, rfm_summary(d, amount, date '2006-12-31', interval '1 year')
                  FROM rfm_test_money.many GROUP BY cust$$, 'Partial') AS partial_plan;
CREATE TABLE many_parallel AS
SELECT cust, rfm_summary(d, amount, date '2006-12-31', interval '1 year')::text AS s FROM many GROUP BY cust;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;
SELECT count(*) AS customers, count(*) FILTER (WHERE a.s IS DISTINCT FROM b.s) AS differ,
       (SELECT sum(amount::numeric) FROM many WHERE d > '2005-12-31') AS plain_total
  FROM many_serial a FULL JOIN many_parallel b USING (cust);
SELECT sum(monetary(s::rfm_summary)) AS summed_monetary FROM many_parallel;

-- Other locales: frac_digits 0 (ja_JP: yen) and 3 (ar_KW: Kuwaiti dinar).
-- The same unit counts mean other amounts: 1250 units are 1250 yen or
-- 1.250 dinar.  This part needs those locales (localedef); without them the
-- alternative expected output money_amounts_1.out applies.
CREATE FUNCTION can_set(l text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
  PERFORM set_config('lc_monetary', l, true);
  RETURN true;
EXCEPTION WHEN OTHERS THEN
  RETURN false;
END $$;
SELECT can_set('ja_JP.utf8') AND can_set('ar_KW.utf8') AS have_locales \gset
\if :have_locales
-- By hand, a's three orders 1250 + 99 + 100000 = 101349 units:
--   yen 101349 (scale 0), dinar 101.349 (scale 3); b -499 units: -499, -0.499;
--   c 777 units: 777, 0.777.
CREATE TABLE units AS SELECT cust, d, units FROM o WHERE units IS NOT NULL;
SET lc_monetary = 'ja_JP.utf8';
CREATE TABLE yen AS
SELECT cust, rfm_summary(d, units * '1'::money, date '2006-12-31') AS s,
       sum((units * '1'::money)::numeric)::text AS plain
  FROM units GROUP BY cust;
SET lc_monetary = 'ar_KW.utf8';
CREATE TABLE dinar AS
SELECT cust, rfm_summary(d, units * '0.001'::money, date '2006-12-31') AS s,
       sum((units * '0.001'::money)::numeric)::text AS plain
  FROM units GROUP BY cust;
-- Back in C: the summaries keep what they read (no change with the setting).
SET lc_monetary = 'C';
SELECT cust, monetary(y.s) AS yen, y.plain AS yen_plain, monetary(k.s) AS dinar, k.plain AS dinar_plain
  FROM yen y JOIN dinar k USING (cust) ORDER BY cust;
\else
\echo 'locales ja_JP.utf8 and ar_KW.utf8 not installed: frac_digits 0 and 3 not checked'
\endif
RESET lc_monetary;

RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA rfm_test_money CASCADE;
RESET client_min_messages;
