--
-- lapsed: a lapsed summary (orders before the period, none in it) is not
-- ranked and scores 111, in the window function, in rfm_breaks and in
-- rfm_score(s, breaks) (0.2).  Every expected value is worked out by hand in
-- the comments.
--
CREATE SCHEMA rfm_test_lapsed;
SET search_path = rfm_test_lapsed, public;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';

-- As of 2006-12-31, period 1 year = (2005-12-31, 2006-12-31].
--   a1..a4 active: last order 40/30/20/10 days ago, 1/2/3/4 orders of 10 in it.
--   l1 lapsed: one order of 5, 400 days ago; l2 lapsed big spender: 1000, 500
--     days ago (on its figures it would be the worst R but no worse F or M).
--   n1: only order after as_of: NULL summary.
-- Groups: P1 = everyone; P2 = l1, l2, n1 (lapsed + NULL); P3 = l1, l2 (only
-- lapsed); P4 = n1 (only NULL).
CREATE TABLE o (cust text, days int, amount numeric);
INSERT INTO o
SELECT 'a' || i, 50 - 10 * i, 10 FROM generate_series(1, 4) i, generate_series(1, i) k
UNION ALL VALUES ('l1', 400, 5), ('l2', 500, 1000), ('n1', -3, 7);
CREATE TABLE s AS
SELECT cust, rfm_summary(date '2006-12-31' - days, amount, date '2006-12-31', interval '1 year') AS s
  FROM o GROUP BY cust;
CREATE TABLE g (grp text, cust text);
INSERT INTO g SELECT 'P1', cust FROM s;
INSERT INTO g VALUES ('P2', 'l1'), ('P2', 'l2'), ('P2', 'n1'), ('P3', 'l1'), ('P3', 'l2'), ('P4', 'n1');
SELECT cust, recency(s), frequency(s), monetary(s), orders_ever(s), loyalty_class(s) FROM s ORDER BY cust;

------------------------------------------------------------------------------
-- 1. The window function, bins 2..9
------------------------------------------------------------------------------
-- P1: N = 4 (a1..a4), strictly increasing in every dimension, so a_i has
-- L = i - 1 in R, F and M alike: score digit = 1 + floor(k (i - 1) / 4).
--   k:   2 3 4 5 6 7 8 9
--   a1:  1 1 1 1 1 1 1 1
--   a2:  1 1 2 2 2 2 3 3      (1 + floor(k / 4))
--   a3:  2 2 3 3 4 4 5 5      (1 + floor(k / 2))
--   a4:  2 3 4 4 5 6 7 7      (1 + floor(3k / 4))
-- l1, l2: 111 whatever k; n1: NULL.
CREATE TABLE by_hand (cust text, k int, score text);
INSERT INTO by_hand
SELECT c, k, repeat(d::text, 3)
  FROM (VALUES ('a1', ARRAY[1, 1, 1, 1, 1, 1, 1, 1]), ('a2', ARRAY[1, 1, 2, 2, 2, 2, 3, 3]),
               ('a3', ARRAY[2, 2, 3, 3, 4, 4, 5, 5]), ('a4', ARRAY[2, 3, 4, 4, 5, 6, 7, 7]),
               ('l1', ARRAY[1, 1, 1, 1, 1, 1, 1, 1]), ('l2', ARRAY[1, 1, 1, 1, 1, 1, 1, 1])) v(c, ds),
       LATERAL unnest(ds) WITH ORDINALITY AS u(d, pos), LATERAL (SELECT pos::int + 1 AS k) kk
UNION ALL SELECT 'n1', k, NULL FROM generate_series(2, 9) k;
CREATE TABLE win AS
SELECT grp, cust, k, rfm_score(s, k) OVER (PARTITION BY grp, k) AS w
  FROM s JOIN g USING (cust), generate_series(2, 9) k;
SELECT cust, string_agg(coalesce(w::text, 'NULL'), ' ' ORDER BY k) AS "k = 2 .. 9"
  FROM win WHERE grp = 'P1' GROUP BY cust ORDER BY cust;
-- Against the table above, and in P2, P3, P4 (lapsed 111, NULL NULL): no rows.
SELECT grp, cust, k, w, h.score AS by_hand
  FROM win JOIN by_hand h USING (cust, k)
 WHERE w::text IS DISTINCT FROM h.score;
SELECT grp, count(*) AS rows, count(*) FILTER (WHERE w = '111') AS scored_111,
       count(*) FILTER (WHERE w IS NULL) AS scored_null
  FROM win GROUP BY grp ORDER BY grp;
-- The default is 5 bins; segments of P1: a4 444 loyal, a3 333
-- potential_loyalist, a2 222 need_attention, a1 and the lapsed 111 lost.
SELECT cust, rfm_score(s) OVER () AS score, rfm_segment(rfm_score(s) OVER ()) AS segment
  FROM s ORDER BY cust;
-- The 0.1 rule, still served to databases not yet updated (C symbol
-- rfm_score_window): lapsed summaries ranked with the others, N = 6.
-- R days 10, 20, 30, 40, 400, 500: L 5, 4, 3, 2, 1, 0; F and M: l1, l2 have
-- 0, L 0; a1..a4 L 2..5.  score = 1 + floor(5 L / 6):
--   a1 222, a2 333, a3 444, a4 555, l1 111 (R L1 -> 1), l2 111.
CREATE FUNCTION rfm_score_01(rfm_summary) RETURNS rfm_score
    AS 'rfm', 'rfm_score_window' LANGUAGE C WINDOW IMMUTABLE;
SELECT cust, rfm_score_01(s) OVER () AS score_01, rfm_score(s) OVER () AS score_02
  FROM s ORDER BY cust;

------------------------------------------------------------------------------
-- 2. rfm_breaks: cut points of the active summaries only
------------------------------------------------------------------------------
-- Score s is first reached at L = ceil((s - 1) 4 / k), i.e. by a_(L+1):
-- F = L + 1, M = 10 (L + 1), R threshold = a_(L+1)'s days + 1 = 41 - 10 L,
-- listed ascending; L >= 4: nobody (F, M infinity, R -infinity).
--   k = 2: L 2            -> R: 21; F: 3; M: 30
--   k = 3: L 2, 3         -> R: 11, 21; F: 3, 4; M: 30, 40
--   k = 4: L 1, 2, 3      -> R: 11, 21, 31; F: 2, 3, 4; M: 20, 30, 40
--   k = 5: L 1, 2, 3, 4   -> R: -infinity, 11, 21, 31; F: 2, 3, 4, infinity
--   k = 6: L 1,2,2,3,4    -> R: -infinity, 11, 21, 21, 31; F: 2, 3, 3, 4, infinity
--   k = 7: L 1,2,2,3,3,4  -> R: -infinity, 11, 11, 21, 21, 31; F: 2, 3, 3, 4, 4, infinity
--   k = 8: L 1,1,2,2,3,3,4 -> R: -infinity, 11, 11, 21, 21, 31, 31; F: 2, 2, 3, 3, 4, 4, infinity
--   k = 9: L 1,1,2,2,3,3,4,4 -> R: -infinity, -infinity, 11, 11, 21, 21, 31, 31;
--                              F: 2, 2, 3, 3, 4, 4, infinity, infinity
-- (M is F times 10.)  l2's 1000 and the NULL n1 do not count.
CREATE TABLE breaks_by_hand (k int, b text);
INSERT INTO breaks_by_hand VALUES
 (2, 'R: 21; F: 3; M: 30'),
 (3, 'R: 11, 21; F: 3, 4; M: 30, 40'),
 (4, 'R: 11, 21, 31; F: 2, 3, 4; M: 20, 30, 40'),
 (5, 'R: -infinity, 11, 21, 31; F: 2, 3, 4, infinity; M: 20, 30, 40, infinity'),
 (6, 'R: -infinity, 11, 21, 21, 31; F: 2, 3, 3, 4, infinity; M: 20, 30, 30, 40, infinity'),
 (7, 'R: -infinity, 11, 11, 21, 21, 31; F: 2, 3, 3, 4, 4, infinity; M: 20, 30, 30, 40, 40, infinity'),
 (8, 'R: -infinity, 11, 11, 21, 21, 31, 31; F: 2, 2, 3, 3, 4, 4, infinity; M: 20, 20, 30, 30, 40, 40, infinity'),
 (9, 'R: -infinity, -infinity, 11, 11, 21, 21, 31, 31; F: 2, 2, 3, 3, 4, 4, infinity, infinity; M: 20, 20, 30, 30, 40, 40, infinity, infinity');
-- P2 and P3 (only lapsed, with or without a NULL): nothing reaches 2, so
-- every threshold is unreached and every summary scores 111 against them,
-- as in the window.  P4 (only NULL): NULL, as the window's NULL.
INSERT INTO breaks_by_hand
SELECT 100 + k, 'R: ' || array_to_string(array_fill('-infinity'::text, ARRAY[k - 1]), ', ')
             || '; F: ' || array_to_string(array_fill('infinity'::text, ARRAY[k - 1]), ', ')
             || '; M: ' || array_to_string(array_fill('infinity'::text, ARRAY[k - 1]), ', ')
  FROM generate_series(2, 9) k;
CREATE TABLE brk AS
SELECT grp, k, rfm_breaks(s, k) AS b FROM s JOIN g USING (cust), generate_series(2, 9) k GROUP BY grp, k;
SELECT k, b FROM brk WHERE grp = 'P1' ORDER BY k;
SELECT grp, brk.k, brk.b, h.b AS by_hand FROM brk
  JOIN breaks_by_hand h ON h.k = CASE WHEN grp = 'P1' THEN brk.k ELSE 100 + brk.k END
 WHERE grp <> 'P4' AND brk.b::text IS DISTINCT FROM h.b;
SELECT grp, count(*) AS bins_tried, count(b) AS non_null FROM brk GROUP BY grp ORDER BY grp;
-- Window = breaks: each summary scored against its group's cut points gives
-- the window's score, for every group and k (no rows).
SELECT grp, cust, k, w, rfm_score(s, b) AS against_breaks
  FROM win JOIN s USING (cust) JOIN brk USING (grp, k)
 WHERE rfm_score(s, b) IS DISTINCT FROM w;
SELECT count(*) AS compared FROM win JOIN brk USING (grp, k);

------------------------------------------------------------------------------
-- 3. Fixed thresholds: a lapsed summary scores 111 against any
------------------------------------------------------------------------------
-- 'R: infinity; F: -infinity; M: -infinity' gives everyone else the top
-- score 222 (no order is infinitely old; every count and amount reaches
-- -infinity); l1 and l2 still 111, n1 NULL.
SELECT cust, rfm_score(s, 'R: infinity; F: -infinity; M: -infinity'::rfm_breaks) AS top_for_all,
       rfm_score(s, 'R: 15, 35.5; F: 2, 4; M: 15, 1000'::rfm_breaks) AS three_bins
  FROM s ORDER BY cust;
-- three_bins by hand: R = 3 - #{days >= 15, 35.5}; F = 1 + #{f >= 2, 4};
-- M = 1 + #{m >= 15, 1000}: a1 40d 1 10 -> 111; a2 30d 2 20 -> 222;
-- a3 20d 3 30 -> 222; a4 10d 4 40 -> 332; l1, l2 lapsed 111.

RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA rfm_test_lapsed CASCADE;
RESET client_min_messages;
