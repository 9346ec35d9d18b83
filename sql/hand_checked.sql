--
-- hand_checked: a dozen customers whose every figure, score, segment and
-- loyalty class was computed by hand (arithmetic in the comments).
--
CREATE SCHEMA rfm_test_hand_checked;
SET search_path = rfm_test_hand_checked, public;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
CREATE TABLE hc (cust text, d date, amt numeric);
INSERT INTO hc VALUES
  ('a', '2006-12-30', 10.00), ('a', '2006-12-01', 20.50), ('a', '2006-06-15', 5),
  ('b', '2006-12-30', 7), ('b', '2006-11-30', 3),
  ('c', '2006-12-31', 100),
  ('d', '2005-06-01', 50), ('d', '2005-12-31', 25),              -- lapsed in a 1-year period
  ('e', '2006-10-01', 40), ('e', '2006-10-05', -40), ('e', '2006-11-01', 15.25),  -- refund
  ('f', '2006-12-25', NULL), (  'f', NULL, 30), ('f', '2006-09-01', 8), -- NULL rows skipped
  ('g', '2007-01-05', 1000), ('g', '2006-12-29', 9),            -- order after as_of ignored
  ('h', '2007-02-01', 5),                                       -- only after as_of: NULL
  ('i', '2006-12-29', 9),                                       -- same figures as g
  ('j', '2006-01-01', 1.5), ('j', '2006-01-01', 2.5),           -- two orders one day
  ('k', '2004-03-01', 12),                                      -- lapsed in a 1-year period
  ('l', '2006-12-01', NULL);                                    -- only a NULL amount: NULL
-- as_of 2006-12-31, all history.
-- recency = 2006-12-31 - last:  a 1, b 1, c 0, d 365, e 60 (Nov 30 + Dec 30),
--   f 121 (Sep 30 + Oct 31 + Nov 30 + Dec 30), g 2, i 2, j 364, k 1035 (730 + 305)
-- monetary: a 10.00+20.50+5 = 35.50 (scale 2), e 40-40+15.25 = 15.25, j 1.5+2.5 = 4.0
-- tenure (first -> as_of): a 199, b 31, c 0, d 578 (365+183+30), e 91, f 121,
--   g 2, i 2, j 364, k 1035; purchase_span (first -> last): a 198, b 30, d 213, e 31, rest 0
CREATE TABLE hs AS
  SELECT cust, rfm_summary(d, amt, date '2006-12-31') AS s FROM hc GROUP BY cust;
SELECT cust, s FROM hs ORDER BY cust;
SELECT cust, recency(s), frequency(s), monetary(s), orders_ever(s), avg_order_value(s),
       tenure(s), purchase_span(s), first_order(s), last_order(s), as_of(s)
  FROM hs ORDER BY cust;
-- Quintile scores over N = 10 non-NULL summaries (h and l are NULL: score NULL).
-- score = 1 + floor(5 * L / 10), L = summaries strictly worse.
-- R (more days worse): c 0d L=9 -> 5; a,b 1d L=7 -> 4; g,i 2d L=5 -> 3;
--   e 60d L=4 -> 3; f 121d L=3 -> 2; j 364d L=2 -> 2; d 365d L=1 -> 1; k 1035d L=0 -> 1
-- F: 1 order (c,f,g,i,k) L=0 -> 1; 2 (b,d,j) L=5 -> 3; 3 (a,e) L=8 -> 5
-- M ascending j 4.0, f 8, g 9, i 9, b 10, k 12, e 15.25, a 35.50, d 75, c 100:
--   j L=0 -> 1; f L=1 -> 1; g,i L=2 -> 2; b L=4 -> 3; k L=5 -> 3; e L=6 -> 4;
--   a L=7 -> 4; d L=8 -> 5; c L=9 -> 5
-- Segments, FM = round-half-up((F+M)/2):
--   a 454 FM 4.5->5, R4 -> champions      b 433 FM3, R4 -> potential_loyalist
--   c 515 FM3, R5 -> loyal                d 135 FM4, R1 -> cannot_lose_them
--   e 354 FM 4.5->5, R3 -> loyal          f 211 FM1, R2 -> about_to_sleep
--   g,i 312 FM 1.5->2, R3 -> need_attention
--   j 231 FM2, R2 -> need_attention      k 113 FM2, R1 -> hibernating
-- Loyalty: default threshold 10 -> 2 or 3 orders repeat, 1 one_time;
--   with loyal_min 3, a and e (3 orders) are loyal.
SELECT cust, rfm_score(s) OVER () AS score, rfm_segment(rfm_score(s) OVER ()) AS segment,
       loyalty_class(s) AS loyalty, loyalty_class(s, 3) AS loyalty3
  FROM hs ORDER BY cust;
-- 3 bins: score = 1 + floor(3 * L / 10)
-- R: c L9 -> 3; a,b L7 -> 3; g,i L5 -> 2; e L4 -> 2; f L3 -> 1; j L2, d L1, k L0 -> 1
-- F: 1 order L0 -> 1; 2 orders L5 -> 2; 3 orders L8 -> 3
-- M: j L0, f L1, g,i L2 -> 1; b L4, k L5, e L6 -> 2; a L7, d L8, c L9 -> 3
SELECT cust, rfm_score(s, 3) OVER () AS score3 FROM hs ORDER BY cust;
-- Partitions: c alone (N=1, L=0 -> 111); g and i equal in everything (all 111);
-- the rest a,b,d,e,f,j,k: N = 7 (h, l NULL), score = 1 + floor(5 * L / 7)
-- R: a,b L5 -> 1+3 = 4; e L4 -> 1+2 = 3; f L3 -> 1+2 = 3; j L2 -> 1+1 = 2; d L1 -> 1; k L0 -> 1
-- F: f,k L0 -> 1; b,d,j L2 -> 1+1 = 2; a,e L5 -> 1+3 = 4
-- M ascending j, f, b, k, e, a, d: L 0,1,2,3,4,5,6 -> 1,1,2,3,3,4,5
SELECT grp, cust, rfm_score(s) OVER (PARTITION BY grp) AS score
  FROM (SELECT CASE WHEN cust = 'c' THEN 'alone' WHEN cust IN ('g', 'i') THEN 'twins'
                    ELSE 'rest' END AS grp, cust, s FROM hs) x
 ORDER BY cust;
-- Period of 1 year: (2005-12-31 00:00, 2006-12-31], so 2006-01-01 is in and 2005-12-31 is out.
-- d (2005-06-01, 2005-12-31) and k (2004-03-01) are lapsed: frequency 0, monetary 0.
CREATE TABLE hp AS
  SELECT cust, rfm_summary(d, amt, date '2006-12-31', interval '1 year') AS s FROM hc GROUP BY cust;
SELECT cust, s FROM hp ORDER BY cust;
-- Period scores.  d and k are lapsed: not ranked, 111, lost.  N = 8 (a b c e f g i j).
-- R (more days worse): c 0d L7 -> 1+floor(35/8) = 5; a,b 1d L5 -> 1+3 = 4;
--   g,i 2d L3 -> 1+1 = 2; e 60d L2 -> 1+1 = 2; f 121d L1 -> 1; j 364d L0 -> 1
-- F: 1 (c,f,g,i) L0 -> 1; 2 (b,j) L4 -> 1+floor(20/8) = 3; 3 (a,e) L6 -> 1+floor(30/8) = 4
-- M ascending j 4.0, f 8, g 9, i 9, b 10, e 15.25, a 35.50, c 100:
--   j L0 -> 1; f L1 -> 1; g,i L2 -> 2; b L4 -> 3; e L5 -> 4; a L6 -> 4; c L7 -> 5
-- a 444 FM4 R4 loyal; b 433 FM3 R4 potential_loyalist; c 515 FM3 R5 loyal;
-- d 111 lost; e 244 FM4 R2 at_risk; f 111 lost (active, but last in every dimension);
-- g,i 212 FM 1.5->2 R2 need_attention; j 131 FM2 R1 hibernating; k 111 lost.
-- Loyalty: d, k lapsed.
SELECT cust, frequency(s), monetary(s), avg_order_value(s), rfm_score(s) OVER () AS score,
       rfm_segment(rfm_score(s) OVER ()) AS segment, loyalty_class(s) AS loyalty
  FROM hp ORDER BY cust;
-- Every ordered_at x amount kind.  Two orders: 2006-12-20 08:00 (1.25 / 3000000000 / 2)
-- and 2006-12-30 23:30 (2.5 / 4 / 3); as_of 2006-12-31 (date) or 2006-12-31 12:00 (UTC).
-- date: recency 2006-12-31 - 2006-12-30 = 1; timestamp(tz): 12h30m -> floor(0.52) = 0.
-- monetary: numeric 1.25 + 2.5 = 3.75; float8 3.75 (each double as its shortest decimal, summed exactly); bigint 3000000004; integer 5.
-- Period 10 days: since = as_of - 10 days = 2006-12-21 (12:00), so only the second
-- order counts: frequency 1, monetary 2.5 / 2.5 / 4 / 3; orders stays 2.
CREATE TABLE combo (t text, num numeric, flt float8, i8 bigint, i4 integer);
INSERT INTO combo VALUES ('2006-12-20 08:00:00+00', 1.25, 1.25, 3000000000, 2),
                         ('2006-12-30 23:30:00+00', 2.5, 2.5, 4, 3);
SELECT 'date/numeric' AS combo, rfm_summary(t::date, num, date '2006-12-31')::text AS all_history,
       rfm_summary(t::date, num, date '2006-12-31', '10 days')::text AS last_10_days FROM combo
UNION ALL SELECT 'date/float8', rfm_summary(t::date, flt, date '2006-12-31')::text,
       rfm_summary(t::date, flt, date '2006-12-31', '10 days')::text FROM combo
UNION ALL SELECT 'date/bigint', rfm_summary(t::date, i8, date '2006-12-31')::text,
       rfm_summary(t::date, i8, date '2006-12-31', '10 days')::text FROM combo
UNION ALL SELECT 'date/integer', rfm_summary(t::date, i4, date '2006-12-31')::text,
       rfm_summary(t::date, i4, date '2006-12-31', '10 days')::text FROM combo
UNION ALL SELECT 'timestamp/numeric', rfm_summary(t::timestamp, num, timestamp '2006-12-31 12:00')::text,
       rfm_summary(t::timestamp, num, timestamp '2006-12-31 12:00', '10 days')::text FROM combo
UNION ALL SELECT 'timestamp/float8', rfm_summary(t::timestamp, flt, timestamp '2006-12-31 12:00')::text,
       rfm_summary(t::timestamp, flt, timestamp '2006-12-31 12:00', '10 days')::text FROM combo
UNION ALL SELECT 'timestamp/bigint', rfm_summary(t::timestamp, i8, timestamp '2006-12-31 12:00')::text,
       rfm_summary(t::timestamp, i8, timestamp '2006-12-31 12:00', '10 days')::text FROM combo
UNION ALL SELECT 'timestamp/integer', rfm_summary(t::timestamp, i4, timestamp '2006-12-31 12:00')::text,
       rfm_summary(t::timestamp, i4, timestamp '2006-12-31 12:00', '10 days')::text FROM combo
UNION ALL SELECT 'timestamptz/numeric', rfm_summary(t::timestamptz, num, timestamptz '2006-12-31 12:00+00')::text,
       rfm_summary(t::timestamptz, num, timestamptz '2006-12-31 12:00+00', '10 days')::text FROM combo
UNION ALL SELECT 'timestamptz/float8', rfm_summary(t::timestamptz, flt, timestamptz '2006-12-31 12:00+00')::text,
       rfm_summary(t::timestamptz, flt, timestamptz '2006-12-31 12:00+00', '10 days')::text FROM combo
UNION ALL SELECT 'timestamptz/bigint', rfm_summary(t::timestamptz, i8, timestamptz '2006-12-31 12:00+00')::text,
       rfm_summary(t::timestamptz, i8, timestamptz '2006-12-31 12:00+00', '10 days')::text FROM combo
UNION ALL SELECT 'timestamptz/integer', rfm_summary(t::timestamptz, i4, timestamptz '2006-12-31 12:00+00')::text,
       rfm_summary(t::timestamptz, i4, timestamptz '2006-12-31 12:00+00', '10 days')::text FROM combo;
-- avg_order_value as avg() gives it: numeric 3.75 / 2, bigint 3000000004 / 2, integer 5 / 2
SELECT 'date' AS kind,
       avg_order_value(rfm_summary(t::date, num, date '2006-12-31')) AS aov_numeric,
       avg_order_value(rfm_summary(t::date, i8, date '2006-12-31')) AS aov_bigint,
       avg_order_value(rfm_summary(t::date, i4, date '2006-12-31')) AS aov_integer FROM combo
UNION ALL SELECT 'timestamp',
       avg_order_value(rfm_summary(t::timestamp, num, timestamp '2006-12-31 12:00')),
       avg_order_value(rfm_summary(t::timestamp, i8, timestamp '2006-12-31 12:00')),
       avg_order_value(rfm_summary(t::timestamp, i4, timestamp '2006-12-31 12:00')) FROM combo
UNION ALL SELECT 'timestamptz',
       avg_order_value(rfm_summary(t::timestamptz, num, timestamptz '2006-12-31 12:00+00')),
       avg_order_value(rfm_summary(t::timestamptz, i8, timestamptz '2006-12-31 12:00+00')),
       avg_order_value(rfm_summary(t::timestamptz, i4, timestamptz '2006-12-31 12:00+00')) FROM combo;
-- The avg() reference, computed by PostgreSQL itself over the same rows:
SELECT avg(num) AS avg_numeric, avg(i8) AS avg_bigint, avg(i4) AS avg_integer FROM combo;
RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA rfm_test_hand_checked CASCADE;
RESET client_min_messages;
