--
-- segment: rfm_segment on the R-by-FM grid, FM = round-half-up((F + M) / 2),
-- the segment type's order and labels.
--
-- The grid written out from the definition, checked against all 125 scores.
CREATE SCHEMA rfm_test_segment;
SET search_path = rfm_test_segment, public;
CREATE TABLE grid (r int, fm int, seg text);
INSERT INTO grid VALUES
 (5,5,'champions'), (5,4,'champions'), (5,3,'loyal'), (5,2,'potential_loyalist'), (5,1,'new_customers'),
 (4,5,'champions'), (4,4,'loyal'), (4,3,'potential_loyalist'), (4,2,'potential_loyalist'), (4,1,'promising'),
 (3,5,'loyal'), (3,4,'loyal'), (3,3,'potential_loyalist'), (3,2,'need_attention'), (3,1,'promising'),
 (2,5,'at_risk'), (2,4,'at_risk'), (2,3,'need_attention'), (2,2,'need_attention'), (2,1,'about_to_sleep'),
 (1,5,'cannot_lose_them'), (1,4,'cannot_lose_them'), (1,3,'at_risk'), (1,2,'hibernating'), (1,1,'lost');
CREATE TABLE all_scores AS
SELECT r, f, m, rfm_score(r, f, m) AS s, rfm_segment(rfm_score(r, f, m)) AS seg
  FROM generate_series(1, 5) r, generate_series(1, 5) f, generate_series(1, 5) m;
SELECT count(*) AS scores, count(*) FILTER (WHERE a.seg::text IS DISTINCT FROM g.seg) AS mismatches
  FROM all_scores a LEFT JOIN grid g ON g.r = a.r AND g.fm = (a.f + a.m + 1) / 2;
-- Cells per FM: FM1 1 pair, FM2 5, FM3 9, FM4 7, FM5 3 (of 25), so per segment:
-- champions 3+7+3 = 13, loyal 9+7+3+7 = 26, potential_loyalist 5+5+9+9 = 28, new_customers 1,
-- promising 2, need_attention 5+9+5 = 19, about_to_sleep 1, at_risk 3+7+9 = 19,
-- cannot_lose_them 10, hibernating 5, lost 1.  Sorted best first.
SELECT seg, count(*) FROM all_scores GROUP BY seg ORDER BY seg;
-- Rounding half up: 545 -> FM 4.5 -> 5; 434 -> 3.5 -> 4; 423 -> 2.5 -> 3; 312 -> 1.5 -> 2.
SELECT s, rfm_segment(s::rfm_score)
  FROM (VALUES ('545'), ('434'), ('423'), ('312'), ('511'), ('155'), ('111'), ('215'), ('251')) v(s);
-- The type: every label reads and prints, sorts best first, has a display label.
CREATE TABLE labels (l text);
INSERT INTO labels VALUES ('lost'), ('hibernating'), ('cannot_lose_them'), ('at_risk'),
 ('about_to_sleep'), ('need_attention'), ('promising'), ('new_customers'),
 ('potential_loyalist'), ('loyal'), ('champions');
SELECT l::segment AS seg, l::segment::text AS text, segment_label(l::segment)
  FROM labels ORDER BY l::segment;
SELECT 'champions'::segment < 'lost' AS lt, 'at_risk'::segment > 'cannot_lose_them' AS gt,
       'loyal'::segment = 'loyal' AS eq,
       (SELECT count(*) FROM (SELECT DISTINCT l::segment FROM labels) x) AS distinct_hashed;
RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA rfm_test_segment CASCADE;
RESET client_min_messages;
