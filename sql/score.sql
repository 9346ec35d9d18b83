--
-- score: the rfm_score type (text '543', stored as R*100+F*10+M).
--
CREATE SCHEMA rfm_test_score;
SET search_path = rfm_test_score, public;
SELECT '543'::rfm_score AS score, '543'::rfm_score::int AS int, '543'::rfm_score::text AS text,
       recency_score('543'), frequency_score('543'), monetary_score('543'),
       rfm_score(1, 1, 1) AS low, rfm_score(9, 9, 9) AS high;
SELECT rfm_score(5, 4, 3) = '543' AS made_equals_text, rfm_score(NULL, 1, 1) IS NULL AS strict_null;
-- Sorts by R, then F, then M.
CREATE TABLE sc (s rfm_score);
INSERT INTO sc VALUES ('543'), ('155'), ('511'), ('999'), ('111'), ('345'), ('543'), ('514');
SELECT s FROM sc ORDER BY s;
SELECT '155'::rfm_score < '511' AS lt, '511'::rfm_score <= '511' AS le, '514'::rfm_score > '543' AS gt,
       '514'::rfm_score <> '541' AS ne, '999'::rfm_score >= '111' AS ge;
-- Grouping by hash and by sort give the same groups.
SET enable_hashagg = on;
SELECT s, count(*) FROM sc GROUP BY s ORDER BY s;
SET enable_hashagg = off;
SELECT s, count(*) FROM sc GROUP BY s ORDER BY s;
RESET enable_hashagg;
SELECT count(DISTINCT s) AS distinct_scores FROM sc;
-- B-tree and hash indexes are used and find the right rows.
CREATE TABLE sci AS SELECT rfm_score(r, f, m) AS s, r * 100 + f * 10 + m AS n
  FROM generate_series(1, 9) r, generate_series(1, 9) f, generate_series(1, 9) m;
CREATE INDEX sci_b ON sci (s);
CREATE INDEX sci_h ON sci USING hash (s);
ANALYZE sci;
CREATE FUNCTION plan_has(q text, pat text) RETURNS boolean LANGUAGE plpgsql AS $f$
DECLARE l text;
BEGIN
  FOR l IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP
    IF l LIKE '%' || pat || '%' THEN RETURN true; END IF;
  END LOOP;
  RETURN false;
END $f$;
SET enable_seqscan = off;
SET enable_bitmapscan = off;
SELECT count(*) AS scores, count(*) FILTER (WHERE s::int <> n OR s::text <> n::text) AS mismatches FROM sci;
SELECT s, n FROM sci WHERE s BETWEEN '541' AND '543' ORDER BY s;
SELECT plan_has($$SELECT s FROM sci WHERE s BETWEEN '541' AND '543'$$, 'sci_b') AS btree_used;
DROP INDEX sci_b;
SELECT plan_has($$SELECT s, n FROM sci WHERE s = '777'$$, 'sci_h') AS hash_used;
SELECT s, n FROM sci WHERE s = '777';
RESET enable_seqscan;
RESET enable_bitmapscan;
-- A hash-partitioned table keyed on the score: each score lands in exactly one
-- partition, and a lookup finds it.
CREATE TABLE scp (s rfm_score, n int) PARTITION BY HASH (s);
CREATE TABLE scp0 PARTITION OF scp FOR VALUES WITH (MODULUS 3, REMAINDER 0);
CREATE TABLE scp1 PARTITION OF scp FOR VALUES WITH (MODULUS 3, REMAINDER 1);
CREATE TABLE scp2 PARTITION OF scp FOR VALUES WITH (MODULUS 3, REMAINDER 2);
INSERT INTO scp SELECT s, n FROM sci;
INSERT INTO scp SELECT s, n FROM sci;
SELECT count(*) AS rows, count(DISTINCT s) AS scores,
       (SELECT count(*) FROM (SELECT s FROM scp GROUP BY s HAVING count(DISTINCT tableoid) = 1) x) AS in_one_partition,
       count(DISTINCT tableoid) AS partitions_used FROM scp;
SELECT s, count(*), count(DISTINCT tableoid) = 1 AS same_partition FROM scp WHERE s = '543' GROUP BY s;
-- Binary send is the three digits as text, like an enum sends its label.
SELECT rfm_score_send('543') AS send;
RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA rfm_test_score CASCADE;
RESET client_min_messages;
