--
-- loyalty: loyalty_class(s [, loyal_min]) and the setting rfm.loyal_min_orders.
--
CREATE SCHEMA rfm_test_loyalty;
SET search_path = rfm_test_loyalty, public;
SET DateStyle = 'ISO, YMD';
-- Frequencies 0 (lapsed: last order 2005-06-01, recency 578), 1, 2, 3, 9, 10, 11 in a period of one year.
CREATE TABLE lo (k int, t text);
INSERT INTO lo SELECT k, format('(recency=%s, frequency=%s, monetary=%s, orders=12, first=2005-01-01, last=%s, as_of=2006-12-31, since=2005-12-31)',
                                CASE WHEN k = 0 THEN 578 ELSE 1 END, k, k * 10, CASE WHEN k = 0 THEN '2005-06-01' ELSE '2006-12-30' END)
  FROM unnest(ARRAY[0, 1, 2, 3, 9, 10, 11]) k;
-- Load the library so that its setting is defined.
SELECT loyalty_class(t::rfm_summary) FROM lo WHERE k = 0;
SHOW rfm.loyal_min_orders;
-- default 10; explicit 3; explicit 1 (every buyer loyal); explicit 2 (loyal before repeat)
SELECT k, loyalty_class(s) AS default, loyalty_class(s, 3) AS min3, loyalty_class(s, 1) AS min1,
       loyalty_class(s, 2) AS min2
  FROM (SELECT k, t::rfm_summary AS s FROM lo) x ORDER BY k;
-- The setting changes the default.
SET rfm.loyal_min_orders = 3;
SELECT k, loyalty_class(t::rfm_summary) FROM lo ORDER BY k;
RESET rfm.loyal_min_orders;
SELECT loyalty_class(t::rfm_summary) FROM lo WHERE k = 9;
-- Sorting best first, and the text form.
SELECT loyalty_class(t::rfm_summary) AS class, count(*) FROM lo GROUP BY 1 ORDER BY 1;
SELECT c::loyalty_class AS c, c::loyalty_class::text AS text
  FROM (VALUES ('lapsed'), ('one_time'), ('loyal'), ('repeat')) v(c) ORDER BY 1;
SELECT 'loyal'::loyalty_class < 'lapsed' AS lt, 'repeat'::loyalty_class = 'repeat' AS eq;
RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA rfm_test_loyalty CASCADE;
RESET client_min_messages;
