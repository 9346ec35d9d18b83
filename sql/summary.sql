--
-- summary: the rfm_summary type (text form, accessors) and the aggregate's edges.
--
CREATE SCHEMA rfm_test_summary;
SET search_path = rfm_test_summary, public;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
-- Text input round-trips; accessors read it back.
-- 1: tenure 2006-01-02 -> 2006-12-31 = 363, span 2006-01-02 -> 2006-12-28 = 360,
--    avg 123.45 / 5 = 24.69.   2: lapsed (last order before since): avg NULL.
-- 3: timestamp kind, float money, recency 1 hour -> 0.   4: timestamptz, a refund.
CREATE TABLE lit (id int, t text);
INSERT INTO lit VALUES
 (1, '(recency=3, frequency=5, monetary=123.45, orders=7, first=2006-01-02, last=2006-12-28, as_of=2006-12-31, since=2006-06-30)'),
 (2, '(recency=3, frequency=0, monetary=0, orders=7, first=2006-01-02, last=2006-12-28, as_of=2006-12-31, since=2006-12-30)'),
 (3, '(recency=0, frequency=2, monetary=12.5, orders=2, first=2006-12-30 10:00:00, last=2006-12-31 09:00:00, as_of=2006-12-31 10:00:00)'),
 (4, '(recency=1, frequency=1, monetary=-5.25, orders=1, first=2006-12-30 10:00:00+00, last=2006-12-30 10:00:00+00, as_of=2006-12-31 10:00:00+00, since=2006-12-01 10:00:00+00)');
SELECT id, t::rfm_summary::text = t AS round_trips FROM lit ORDER BY id;
SELECT id, recency(s), frequency(s), monetary(s), orders_ever(s), avg_order_value(s),
       tenure(s), purchase_span(s), first_order(s), last_order(s), as_of(s), loyalty_class(s)
  FROM (SELECT id, t::rfm_summary AS s FROM lit) x ORDER BY id;
-- Output is the same whatever DateStyle says.
SET DateStyle = 'Postgres, MDY';
SELECT id, t::rfm_summary::text = t AS same FROM lit ORDER BY id;
SET DateStyle = 'ISO, YMD';
-- No order on or before as_of (none at all, only later ones, only NULL rows): NULL.
CREATE TABLE e (d date, a numeric, asof date);
INSERT INTO e VALUES ('2007-01-01', 1, '2006-12-31'), (NULL, 2, '2006-12-31'),
                     ('2006-12-01', NULL, '2006-12-31'), ('2006-12-01', 3, NULL);
SELECT (SELECT rfm_summary(d, a, asof) FROM e WHERE false) IS NULL AS empty,
       (SELECT rfm_summary(d, a, asof) FROM e WHERE d > asof) IS NULL AS later,
       (SELECT rfm_summary(d, a, asof) FROM e WHERE d IS NULL OR a IS NULL) IS NULL AS nulls,
       (SELECT rfm_summary(d, a, asof) FROM e WHERE asof IS NULL) IS NULL AS null_as_of;
-- Exact numeric sums, to the last digit and with sum()'s scale.
-- 1.50 + 2.5 = 4.00; 1 + 1e-20; 38 nines + 0; -1.5 + 0.25 = -1.25;
-- period of 30 days keeps only the order of 2006-12-30: 2 (the 1.25 before it is out).
CREATE TABLE m (k text, d date, a numeric);
INSERT INTO m VALUES ('scale', '2006-12-01', 1.50), ('scale', '2006-12-02', 2.5),
  ('tiny', '2006-12-01', 1), ('tiny', '2006-12-02', 0.00000000000000000001),
  ('wide', '2006-12-01', 99999999999999999999999999999999999999), ('wide', '2006-12-02', 0),
  ('refund', '2006-12-01', -1.5), ('refund', '2006-12-02', 0.25),
  ('period', '2006-01-01', 1.25), ('period', '2006-12-30', 2);
SELECT k, monetary(rfm_summary(d, a, date '2006-12-31', CASE WHEN k = 'period' THEN interval '30 days' END)),
       sum(a) FILTER (WHERE k <> 'period' OR d > '2006-12-01')::text AS sum
  FROM m GROUP BY k ORDER BY k;
SELECT count(*) AS summaries,
       count(*) FILTER (WHERE monetary(s)::text <> total::text) AS mismatches
  FROM (SELECT k, rfm_summary(d, a, date '2006-12-31', interval '30 days') AS s,
               sum(a) FILTER (WHERE d > date '2006-12-01') AS total
          FROM m GROUP BY k) x;
-- Integer sums beyond their type: 2 x max bigint, 2 x max integer.
SELECT monetary(rfm_summary(d, a::bigint, date '2006-12-31')) AS big,
       monetary(rfm_summary(d, (a / 4294967298)::integer, date '2006-12-31')) AS int
  FROM (VALUES (date '2006-12-01', 9223372036854775807::numeric), ('2006-12-02', 9223372036854775807)) v(d, a);
-- An order at +infinity lies after any finite as_of and is ignored;
-- an order exactly at as_of counts with recency 0.
SELECT rfm_summary(d, a, date '2006-12-31') AS s
  FROM (VALUES (date 'infinity', 5), ('2006-12-01', 1), ('2006-12-31', 5)) v(d, a);
-- Timestamps: 1 day 23:59:59 -> recency 1; the period (as_of - 2 days, as_of] excludes
-- an order exactly at its start.
SELECT rfm_summary(t, a, timestamp '2006-12-31 00:00', interval '2 days') AS s
  FROM (VALUES (timestamp '2006-12-29 00:00:00', 1), ('2006-12-29 00:00:01', 2)) v(t, a);
-- Float sums (exact binary fractions, so the order of addition cannot matter).
SELECT s, monetary(s) FROM (SELECT rfm_summary(d, a, date '2006-12-31') AS s
  FROM (VALUES (date '2006-12-29', 0.5::float8), ('2006-12-30', -0.75), ('2006-12-31', 0.125)) v(d, a)) x;
-- Every summary made above reads back as itself.  (As float8, 38 nines
-- become 1e38, a 39-digit total, which is out of range: 'wide' is left out.)
CREATE TABLE many AS
SELECT rfm_summary(d, a, date '2006-12-31', CASE WHEN k = 'period' THEN interval '30 days' END) AS s
  FROM m GROUP BY k
UNION ALL SELECT rfm_summary(d::timestamp, a::float8, timestamp '2006-12-31 12:00') FROM m WHERE k <> 'wide' GROUP BY k
UNION ALL SELECT rfm_summary(d::timestamptz, a::float8, timestamptz '2006-12-31 12:00+00', '5 days') FROM m WHERE k <> 'wide' GROUP BY k;
SELECT count(*) AS summaries, count(*) FILTER (WHERE s::text::rfm_summary::text = s::text) AS round_trips FROM many;
RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA rfm_test_summary CASCADE;
RESET client_min_messages;
