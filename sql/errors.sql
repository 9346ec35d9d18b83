--
-- errors: every error path, with its SQLSTATE.
--
CREATE SCHEMA rfm_test_errors;
SET search_path = rfm_test_errors, public;
SET DateStyle = 'ISO, YMD';
CREATE FUNCTION sqlstate_of(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE q;
  RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE;
END $$;
CREATE TABLE cases (n serial, expected text, q text);
INSERT INTO cases (expected, q) VALUES
-- aggregate arguments
 ('22023', $$SELECT rfm_summary(d, 1, a) FROM (VALUES (date '2006-12-01', date '2006-12-31'), ('2006-12-02', '2006-12-30')) v(d, a)$$),
 ('22023', $$SELECT rfm_summary(d, 1.5, a) FROM (VALUES (timestamptz '2006-12-01 00:00+00', timestamptz '2006-12-31 00:00+00'), ('2006-12-02', '2006-12-31 00:00:01+00')) v(d, a)$$),
 ('22023', $$SELECT rfm_summary(date '2006-12-01', 1, date '2006-12-31', interval '0 days')$$),
 ('22023', $$SELECT rfm_summary(date '2006-12-01', 1, date '2006-12-31', interval '-1 day')$$),
 ('22023', $$SELECT rfm_summary(timestamp '2006-12-01', 1, timestamp '2006-12-31', interval '-1 second')$$),
 ('22023', $$SELECT rfm_summary(date '2006-12-01', 1, date 'infinity')$$),
 ('22023', $$SELECT rfm_summary(date '2006-12-01', 1, date '-infinity')$$),
 ('22023', $$SELECT rfm_summary(timestamp '2006-12-01', 1, timestamp 'infinity')$$),
 ('22023', $$SELECT rfm_summary(timestamptz '2006-12-01', 1::float8, timestamptz 'infinity')$$),
 ('22008', $$SELECT rfm_summary(date '-infinity', 1, date '2006-12-31')$$),
 ('22008', $$SELECT rfm_summary(timestamp '-infinity', 1::bigint, timestamp '2006-12-31')$$),
 ('22008', $$SELECT rfm_summary(timestamptz '-infinity', 1::numeric, timestamptz '2006-12-31', '1 year')$$),
 ('22003', $$SELECT rfm_summary(date '2006-12-01', 'NaN'::numeric, date '2006-12-31')$$),
-- (infinite numeric amounts: numeric_infinity, as 13 has none)
 ('22003', $$SELECT rfm_summary(date '2006-12-01', 'NaN'::float8, date '2006-12-31')$$),
 ('22003', $$SELECT rfm_summary(date '2006-12-01', 'Infinity'::float8, date '2006-12-31')$$),
 ('22003', $$SELECT rfm_summary(date '2006-12-01', '-Infinity'::float8, date '2006-12-31')$$),
 ('22003', $$SELECT rfm_summary(d, a, date '2006-12-31') FROM (VALUES (date '2006-12-01', 99999999999999999999999999999999999999), ('2006-12-02', 99999999999999999999999999999999999999)) v(d, a)$$),
 ('22003', $$SELECT rfm_summary(d, a, date '2006-12-31') FROM (VALUES (date '2006-12-01', 1), ('2006-12-02', 0.0000000000000000000000000000000000000001)) v(d, a)$$),
-- window function bins
 ('22023', $$SELECT rfm_score(s, 1) OVER () FROM (SELECT rfm_summary(date '2006-12-01', 1, date '2006-12-31') AS s) x$$),
 ('22023', $$SELECT rfm_score(s, 10) OVER () FROM (SELECT rfm_summary(date '2006-12-01', 1, date '2006-12-31') AS s) x$$),
-- score digits, segments, loyalty threshold
 ('22023', $$SELECT rfm_score(0, 1, 1)$$),
 ('22023', $$SELECT rfm_score(1, 10, 1)$$),
 ('22023', $$SELECT rfm_score(1, 1, -1)$$),
 ('22023', $$SELECT rfm_segment('611')$$),
 ('22023', $$SELECT rfm_segment('161')$$),
 ('22023', $$SELECT rfm_segment('116')$$),
 ('22023', $$SELECT loyalty_class('(recency=0, frequency=1, monetary=1, orders=1, first=2006-12-31, last=2006-12-31, as_of=2006-12-31)'::rfm_summary, 0)$$),
 ('22023', $$SELECT loyalty_class('(recency=0, frequency=1, monetary=1, orders=1, first=2006-12-31, last=2006-12-31, as_of=2006-12-31)'::rfm_summary, -5)$$),
 ('22023', $$SET rfm.loyal_min_orders = 0$$),
-- text input
 ('22P02', $$SELECT ''::rfm_score$$),
 ('22P02', $$SELECT '54'::rfm_score$$),
 ('22P02', $$SELECT '5430'::rfm_score$$),
 ('22P02', $$SELECT '054'::rfm_score$$),
 ('22P02', $$SELECT '5a3'::rfm_score$$),
 ('22P02', $$SELECT ' 543'::rfm_score$$),
 ('22P02', $$SELECT '-43'::rfm_score$$),
 ('22P02', $$SELECT 'Champions'::segment$$),
 ('22P02', $$SELECT 'champion'::segment$$),
 ('22P02', $$SELECT ''::segment$$),
 ('22P02', $$SELECT 'Loyal'::loyalty_class$$),
 ('22P02', $$SELECT 'lost'::loyalty_class$$),
 ('22P02', $$SELECT 'garbage'::rfm_summary$$),
 ('22P02', $$SELECT '()'::rfm_summary$$),
 ('22P02', $$SELECT '(recency=0, frequency=1, monetary=1, orders=1, first=2006-12-31, last=2006-12-31)'::rfm_summary$$),
 ('22P02', $$SELECT '(recency=0, frequency=1, monetary=abc, orders=1, first=2006-12-31, last=2006-12-31, as_of=2006-12-31)'::rfm_summary$$),
 ('22P02', $$SELECT '(recency=4, frequency=1, monetary=1, orders=1, first=2006-12-28, last=2006-12-28, as_of=2006-12-31)'::rfm_summary$$),
 ('22P02', $$SELECT '(recency=0, frequency=2, monetary=1, orders=1, first=2006-12-31, last=2006-12-31, as_of=2006-12-31)'::rfm_summary$$),
 ('22P02', $$SELECT '(recency=-1, frequency=1, monetary=1, orders=1, first=2007-01-01, last=2007-01-01, as_of=2006-12-31)'::rfm_summary$$),
 ('22P02', $$SELECT '(recency=0, frequency=2, monetary=1, orders=2, first=2006-12-31, last=2006-12-30, as_of=2006-12-31)'::rfm_summary$$),
 ('22P02', $$SELECT '(recency=0, frequency=1, monetary=1, orders=1, first=2006-12-31, last=2006-12-31, as_of=2006-12-31) x'::rfm_summary$$),
 ('22P02', $$SELECT '(recency=0, frequency=1, monetary=1, orders=1, first=2006-12-31, last=2006-12-31 10:00:00, as_of=2006-12-31)'::rfm_summary$$);
-- Every case fails with its SQLSTATE (no rows listed).
SELECT count(*) AS cases, count(*) FILTER (WHERE sqlstate_of(q) <> expected) AS wrong FROM cases;
SELECT n, expected, sqlstate_of(q) AS got, q FROM cases WHERE sqlstate_of(q) <> expected ORDER BY n;
-- The messages of the main ones.
\set VERBOSITY default
SELECT rfm_summary(d, 1, a) FROM (VALUES (date '2006-12-01', date '2006-12-31'), ('2006-12-02', '2006-12-30')) v(d, a);
SELECT rfm_summary(date '2006-12-01', 1, date '2006-12-31', interval '0 days');
SELECT rfm_summary(date '2006-12-01', 1, date 'infinity');
SELECT rfm_summary(date '-infinity', 1, date '2006-12-31');
SELECT rfm_summary(date '2006-12-01', 'NaN'::numeric, date '2006-12-31');
SELECT rfm_summary(date '2006-12-01', 'Infinity'::float8, date '2006-12-31');
SELECT rfm_summary(d, a, date '2006-12-31') FROM (VALUES (date '2006-12-01', 99999999999999999999999999999999999999), ('2006-12-02', 99999999999999999999999999999999999999)) v(d, a);
SELECT rfm_score(s, 10) OVER () FROM (SELECT rfm_summary(date '2006-12-01', 1, date '2006-12-31') AS s) x;
SELECT rfm_score(0, 1, 1);
SELECT rfm_segment('611');
SELECT loyalty_class('(recency=0, frequency=1, monetary=1, orders=1, first=2006-12-31, last=2006-12-31, as_of=2006-12-31)'::rfm_summary, 0);
SET rfm.loyal_min_orders = 0;
SELECT '5430'::rfm_score;
SELECT 'Champions'::segment;
SELECT 'lost'::loyalty_class;
SELECT '(recency=4, frequency=1, monetary=1, orders=1, first=2006-12-28, last=2006-12-28, as_of=2006-12-31)'::rfm_summary;
RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA rfm_test_errors CASCADE;
RESET client_min_messages;
