--
-- segment_rules: custom segments, rfm_segment(score, rfm_segment_rule[] [, fallback]):
-- first matching rule wins, a NULL bound is open, no match gives the fallback
-- (or NULL). The R rfm package's default table, checked on all 125 five-bin
-- scores and on the package's example customers against a plain CASE.
--
CREATE SCHEMA rfm_test_segment_rules;
SET search_path = rfm_test_segment_rules, public;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
CREATE FUNCTION sqlstate_of(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE q;
  RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE;
END $$;
-- The R rfm package's default segments, in its order (first match wins).
CREATE TABLE r_rules (priority int, rule rfm_segment_rule);
INSERT INTO r_rules VALUES
 (1,  ('Champions',          5, 5, 5, 5, 5, 5)),
 (2,  ('Potential Loyalist', 3, 5, 3, 5, 2, 5)),
 (3,  ('Loyal Customers',    2, 4, 2, 4, 2, 4)),
 (4,  ('Promising',          3, 4, 1, 3, 3, 5)),
 (5,  ('New Customers',      4, 5, 1, 3, 1, 5)),
 (6,  ('Can''t Lose Them',   1, 2, 3, 4, 4, 5)),
 (7,  ('At Risk',            1, 2, 2, 5, 4, 5)),
 (8,  ('Need Attention',     1, 3, 3, 5, 3, 5)),
 (9,  ('About To Sleep',     2, 3, 1, 3, 1, 4)),
 (10, ('Lost',               1, 1, 1, 5, 1, 5));
SELECT priority, (rule).* FROM r_rules ORDER BY priority;
-- The same table as a plain CASE, the independent reference.
CREATE FUNCTION plain_segment(r int, f int, m int) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN r BETWEEN 5 AND 5 AND f BETWEEN 5 AND 5 AND m BETWEEN 5 AND 5 THEN 'Champions'
    WHEN r BETWEEN 3 AND 5 AND f BETWEEN 3 AND 5 AND m BETWEEN 2 AND 5 THEN 'Potential Loyalist'
    WHEN r BETWEEN 2 AND 4 AND f BETWEEN 2 AND 4 AND m BETWEEN 2 AND 4 THEN 'Loyal Customers'
    WHEN r BETWEEN 3 AND 4 AND f BETWEEN 1 AND 3 AND m BETWEEN 3 AND 5 THEN 'Promising'
    WHEN r BETWEEN 4 AND 5 AND f BETWEEN 1 AND 3 AND m BETWEEN 1 AND 5 THEN 'New Customers'
    WHEN r BETWEEN 1 AND 2 AND f BETWEEN 3 AND 4 AND m BETWEEN 4 AND 5 THEN 'Can''t Lose Them'
    WHEN r BETWEEN 1 AND 2 AND f BETWEEN 2 AND 5 AND m BETWEEN 4 AND 5 THEN 'At Risk'
    WHEN r BETWEEN 1 AND 3 AND f BETWEEN 3 AND 5 AND m BETWEEN 3 AND 5 THEN 'Need Attention'
    WHEN r BETWEEN 2 AND 3 AND f BETWEEN 1 AND 3 AND m BETWEEN 1 AND 4 THEN 'About To Sleep'
    WHEN r BETWEEN 1 AND 1 AND f BETWEEN 1 AND 5 AND m BETWEEN 1 AND 5 THEN 'Lost'
    ELSE 'Others' END
$$;

------------------------------------------------------------------------------
-- All 125 five-bin scores
------------------------------------------------------------------------------
CREATE TABLE all_scores AS
SELECT r, f, m, rfm_score(r, f, m) AS score,
       rfm_segment(rfm_score(r, f, m), ARRAY(SELECT rule FROM r_rules ORDER BY priority), 'Others') AS seg
  FROM generate_series(1, 5) r, generate_series(1, 5) f, generate_series(1, 5) m;
SELECT count(*) AS scores, count(*) FILTER (WHERE seg IS DISTINCT FROM plain_segment(r, f, m)) AS mismatches
  FROM all_scores;
-- Per segment, counted by hand: Champions 1 (555); Potential Loyalist R3-5 x F3-5 x M2-5
-- = 36 less 555 = 35; Loyal Customers R2-4 x F2-4 x M2-4 = 27 less the 12 of R3-4 F3-4
-- M2-4 taken by rule 2 = 15; New Customers 15, Lost 14, About To Sleep 10, Others 10,
-- Promising 8, At Risk 7, Can't Lose Them 6, Need Attention 4 (total 125).
SELECT seg, count(*) AS scores, min(score::int) AS lowest, max(score::int) AS highest
  FROM all_scores GROUP BY seg ORDER BY count(*) DESC, seg;
-- Single scores, worked out by hand against the table, rule by rule.
SELECT s, rfm_segment(s::rfm_score, ARRAY(SELECT rule FROM r_rules ORDER BY priority), 'Others') AS segment,
       expected
  FROM (VALUES ('555', 'Champions'),            -- rule 1
               ('545', 'Potential Loyalist'),   -- R5 F4 M5: rule 2
               ('433', 'Potential Loyalist'),   -- rule 2 before rule 3, which also holds
               ('244', 'Loyal Customers'),      -- R2: not rule 2; rule 3
               ('315', 'Promising'),            -- F1: not 2, 3; rule 4
               ('521', 'New Customers'),        -- R5: not 3, 4; F2: not 2; rule 5
               ('431', 'New Customers'),        -- M1: not 2, 3, 4; rule 5
               ('145', 'Can''t Lose Them'),     -- R1: not 1-5; rule 6
               ('255', 'At Risk'),              -- F5: not 6; rule 7
               ('135', 'Can''t Lose Them'),     -- rule 6 before rule 7, which also holds
               ('233', 'Loyal Customers'),      -- rule 3 before rule 8
               ('133', 'Need Attention'),       -- M3: not 6, 7; rule 8
               ('331', 'About To Sleep'),       -- M1: not 2, 3, 4, 8; R3: not 5; rule 9
               ('211', 'About To Sleep'),       -- rule 9
               ('115', 'Lost'),                 -- F1: not 6, 7, 8; R1: not 9; rule 10
               ('151', 'Lost'),                 -- M1: not 6, 7, 8; rule 10
               ('251', 'Others'),               -- F5 rules out 3, 4, 5, 9; M1 rules out 2, 6, 7, 8; R2 rules out 10
               ('351', 'Others')) v(s, expected);

------------------------------------------------------------------------------
-- Rule semantics: open bounds, order, fallback
------------------------------------------------------------------------------
CREATE TABLE open_rules (priority int, rule rfm_segment_rule);
INSERT INTO open_rules VALUES
 (1, ('recent',        5, NULL, NULL, NULL, NULL, NULL)),   -- R >= 5
 (2, ('few_orders', NULL, NULL, NULL,    2, NULL, NULL)),   -- F <= 2
 (3, ('big_spender', NULL, NULL, NULL, NULL,   4, NULL)),   -- M >= 4
 (4, ('middle',        2,    4,    3,    4, NULL,    3));   -- R 2..4, F 3..4, M <= 3
SELECT s, rfm_segment(s::rfm_score, ARRAY(SELECT rule FROM open_rules ORDER BY priority)) AS no_fallback,
       rfm_segment(s::rfm_score, ARRAY(SELECT rule FROM open_rules ORDER BY priority), 'none') AS with_fallback,
       expected
  FROM (VALUES ('511', 'recent'),       -- R5
               ('599', 'recent'),       -- R5 (digits above 5 are fine for rules)
               ('421', 'few_orders'),   -- R4, F2
               ('155', 'big_spender'),  -- R1, F5, M5
               ('233', 'middle'),       -- R2 F3 M3
               ('132', 'none'),         -- F3 rules out 2, M2 rules out 3, R1 rules out 4
               ('453', 'none'),         -- F5 rules out 2 and 4, M3 rules out 3
               ('999', 'recent')) v(s, expected);
-- Reversing the order changes the winner: '515' is 'recent' first, 'big_spender' when reversed.
SELECT rfm_segment('515', ARRAY(SELECT rule FROM open_rules ORDER BY priority)) AS in_order,
       rfm_segment('515', ARRAY(SELECT rule FROM open_rules ORDER BY priority DESC)) AS reversed;
-- A rule with all bounds NULL matches everything; an empty rule list matches nothing.
SELECT rfm_segment('111', ARRAY[('anyone', NULL, NULL, NULL, NULL, NULL, NULL)]::rfm_segment_rule[]) AS all_open,
       rfm_segment('111', '{}'::rfm_segment_rule[]) AS empty_no_fallback,
       rfm_segment('111', '{}'::rfm_segment_rule[], 'nobody') AS empty_with_fallback,
       rfm_segment('111', ARRAY[('r2', 2, 2, NULL, NULL, NULL, NULL)]::rfm_segment_rule[], NULL) AS null_fallback;
-- Inclusive bounds: 3..3 holds 3 and nothing else; min > max never matches.
SELECT s, rfm_segment(s::rfm_score, ARRAY[('f_is_3', NULL, NULL, 3, 3, NULL, NULL),
                                          ('never', 5, 1, NULL, NULL, NULL, NULL)]::rfm_segment_rule[], '-') AS seg
  FROM (VALUES ('525'), ('535'), ('545'), ('155')) v(s);
-- A NULL score gives NULL.
SELECT rfm_segment(NULL::rfm_score, ARRAY(SELECT rule FROM r_rules ORDER BY priority), 'Others') IS NULL AS null_score;

------------------------------------------------------------------------------
-- Errors: a NULL rule or a rule without a segment name (22004)
------------------------------------------------------------------------------
CREATE TABLE cases (n serial, expected text, q text);
INSERT INTO cases (expected, q) VALUES
 ('22004', $$SELECT rfm_segment('111', ARRAY[NULL, ('x', NULL, NULL, NULL, NULL, NULL, NULL)]::rfm_segment_rule[])$$),
 ('22004', $$SELECT rfm_segment('111', ARRAY[NULL]::rfm_segment_rule[], 'fallback')$$),
 ('22004', $$SELECT rfm_segment('111', ARRAY[(NULL, NULL, NULL, NULL, NULL, NULL, NULL)]::rfm_segment_rule[])$$),
 ('22004', $$SELECT rfm_segment('111', ARRAY[(NULL, 5, 5, 5, 5, 5, 5), ('x', NULL, NULL, NULL, NULL, NULL, NULL)]::rfm_segment_rule[])$$),
-- The same defects after a rule that already matches: the rules are invalid
-- whatever the score, so they fail the same way.
 ('22004', $$SELECT rfm_segment('111', ARRAY[('x', NULL, NULL, NULL, NULL, NULL, NULL), NULL]::rfm_segment_rule[])$$),
 ('22004', $$SELECT rfm_segment('111', ARRAY[('x', NULL, NULL, NULL, NULL, NULL, NULL), (NULL, 1, 1, 1, 1, 1, 1)]::rfm_segment_rule[])$$);
SELECT count(*) AS cases, count(*) FILTER (WHERE sqlstate_of(q) <> expected) AS wrong FROM cases;
SELECT n, expected, sqlstate_of(q) AS got, q FROM cases WHERE sqlstate_of(q) <> expected ORDER BY n;
\set VERBOSITY default
SELECT rfm_segment('111', ARRAY[NULL]::rfm_segment_rule[], 'fallback');
SELECT rfm_segment('111', ARRAY[(NULL, 5, 5, 5, 5, 5, 5)]::rfm_segment_rule[]);
\set VERBOSITY terse

------------------------------------------------------------------------------
-- The R rfm package's example customers (analysis date 2006-12-31)
------------------------------------------------------------------------------
CREATE TABLE orders (customer_id text, order_date date, revenue integer,
                     first_name text, last_name text, email text);
-- Client-side, relative to the directory pg_regress runs in (the repo root
-- for `make installcheck`), so a remote server needs no access to the file.
\copy orders FROM 'test/data/rfm_data_orders.csv' WITH (FORMAT csv, HEADER)
CREATE TABLE ext AS
WITH s AS (SELECT customer_id, rfm_summary(order_date, revenue, date '2006-12-31') AS s
             FROM orders GROUP BY customer_id)
SELECT customer_id, rfm_score(s) OVER () AS score,
       rfm_segment(rfm_score(s) OVER (), ARRAY(SELECT rule FROM r_rules ORDER BY priority), 'Others') AS seg
  FROM s;
-- Independent quintile scores in plain SQL (L = rank() - 1 ordered worst
-- first), mapped through the CASE.
CREATE TABLE plain AS
WITH p AS (SELECT customer_id, date '2006-12-31' - max(order_date) AS recency, count(*) AS frequency,
                  sum(revenue) AS monetary FROM orders GROUP BY customer_id),
l AS (SELECT customer_id, count(*) OVER () AS n,
             rank() OVER (ORDER BY recency DESC) - 1 AS lr,
             rank() OVER (ORDER BY frequency) - 1 AS lf,
             rank() OVER (ORDER BY monetary) - 1 AS lm FROM p)
SELECT customer_id, 1 + 5 * lr / n AS r, 1 + 5 * lf / n AS f, 1 + 5 * lm / n AS m,
       plain_segment((1 + 5 * lr / n)::int, (1 + 5 * lf / n)::int, (1 + 5 * lm / n)::int) AS seg
  FROM l;
SELECT count(*) AS customers,
       count(*) FILTER (WHERE e.score::int IS DISTINCT FROM p.r * 100 + p.f * 10 + p.m) AS score_mismatches,
       count(*) FILTER (WHERE e.seg IS DISTINCT FROM p.seg) AS segment_mismatches
  FROM ext e FULL JOIN plain p USING (customer_id);
-- The distribution, in the rules' order (Others last), beside the plain count.
SELECT seg, e.customers, p.customers AS plain_customers
  FROM (SELECT seg, count(*) AS customers FROM ext GROUP BY seg) e
  FULL JOIN (SELECT seg, count(*) AS customers FROM plain GROUP BY seg) p USING (seg)
  LEFT JOIN r_rules r ON (r.rule).segment = seg
 ORDER BY r.priority NULLS LAST;
SELECT sum(customers) AS total FROM (SELECT count(*) AS customers FROM ext GROUP BY seg) x;

RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA rfm_test_segment_rules CASCADE;
RESET client_min_messages;
