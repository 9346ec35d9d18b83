--
-- timezone: timestamptz summaries do not depend on the session TimeZone; the
-- period is subtracted in UTC and recency is counted on the instants.
--
CREATE SCHEMA rfm_test_timezone;
SET search_path = rfm_test_timezone, public;
SET DateStyle = 'ISO, YMD';
SET TimeZone = 'UTC';
CREATE TABLE tz (c text, t timestamptz, a numeric);
INSERT INTO tz VALUES
-- as_of 2006-03-31 00:00 UTC, 1 month -> since 2006-02-28 00:00 UTC (in New York it would be
-- 2006-03-01 00:00 UTC and the order at 12:00 would fall out).  recency: 30 days 12 h -> 30
 ('month', '2006-02-28 12:00+00', 1), ('month', '2006-02-28 00:00+00', 2), ('month', '2006-01-15 00:00+00', 4),
-- as_of 2006-04-02 12:00 UTC, 1 day -> since 2006-04-01 12:00 UTC (New York, across the DST
-- change, would give 13:00 UTC).  recency: 23 h 30 min -> 0
 ('dst', '2006-04-01 12:30+00', 8), ('dst', '2006-04-01 11:59+00', 16),
-- as_of 2006-03-30 20:00 UTC, 1 month -> since 2006-02-28 20:00 UTC (Kathmandu, +05:45,
-- would give 2006-02-27 20:00 UTC and count the order of 02-28 10:00).  recency: 23 h -> 0
 ('ktm', '2006-02-28 10:00+00', 32), ('ktm', '2006-03-29 21:00+00', 64);
CREATE TABLE asof (c text, as_of timestamptz, p interval);
INSERT INTO asof VALUES ('month', '2006-03-31 00:00+00', '1 month'), ('dst', '2006-04-02 12:00+00', '1 day'),
                        ('ktm', '2006-03-30 20:00+00', '1 month');
CREATE VIEW tzv AS
SELECT c, rfm_summary(t, a, as_of, p) AS s FROM tz JOIN asof USING (c) GROUP BY c;
SELECT c, s, tenure(s), purchase_span(s),
       first_order(s) = (SELECT min(t) FROM tz WHERE tz.c = tzv.c)
       AND as_of(s) = (SELECT as_of FROM asof WHERE asof.c = tzv.c) AS instants
  FROM tzv ORDER BY c;
CREATE TABLE utc AS SELECT c, s::text AS s, tenure(s), purchase_span(s), recency(s) FROM tzv;
SET TimeZone = 'America/New_York';
SELECT count(*) AS differ FROM (
  (SELECT c, s::text, tenure(s), purchase_span(s), recency(s) FROM tzv EXCEPT SELECT * FROM utc)
  UNION ALL (SELECT * FROM utc EXCEPT SELECT c, s::text, tenure(s), purchase_span(s), recency(s) FROM tzv)) x;
SET TimeZone = 'Asia/Kathmandu';
SELECT count(*) AS differ FROM (
  (SELECT c, s::text, tenure(s), purchase_span(s), recency(s) FROM tzv EXCEPT SELECT * FROM utc)
  UNION ALL (SELECT * FROM utc EXCEPT SELECT c, s::text, tenure(s), purchase_span(s), recency(s) FROM tzv)) x;
-- date and timestamp summaries convert to timestamptz the way a cast would,
-- in the session TimeZone; their text form and day counts do not change.
CREATE VIEW dv AS
SELECT rfm_summary(d, 1, date '2006-12-31') AS ds,
       rfm_summary(d::timestamp + time '10:00', 1, timestamp '2006-12-31 12:00') AS ts
  FROM (VALUES (date '2006-12-20')) v(d);
SELECT first_order(ds)::text AS first_date, as_of(ts)::text AS as_of_ts, ds, recency(ts) AS recency_ts FROM dv;
SET TimeZone = 'America/New_York';
SELECT first_order(ds)::text AS first_date, as_of(ts)::text AS as_of_ts, ds, recency(ts) AS recency_ts FROM dv;
SELECT first_order(ds) = date '2006-12-20'::timestamptz
       AND last_order(ts) = (timestamp '2006-12-20 10:00')::timestamptz AS same_as_cast FROM dv;
RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA rfm_test_timezone CASCADE;
RESET client_min_messages;
