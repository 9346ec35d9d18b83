-- Ranking within work_mem (issue 21): rfm_score(s [, bins]) OVER (...) and
-- the RFM WindowAgg node keep the ranking's keys in memory while they fit
-- in work_mem, and sort them with PostgreSQL's tuplesort (spilling to
-- temporary files) past it.  The scores must be the same either way, and
-- the same as an independent plain-SQL computation (L = rank() - 1 ordered
-- worst first, N = summaries with an order in the period).
SET TimeZone = 'UTC';
SET max_parallel_workers_per_gather = 0;
SET extra_float_digits = 0;
\pset format unaligned
-- Deterministic pseudo-random integers from md5 (the same on every version,
-- unlike random()'s sequence).
CREATE FUNCTION pg_temp.h(VARIADIC parts text[]) RETURNS bigint LANGUAGE sql IMMUTABLE AS
$$ SELECT ('x' || substr(md5(array_to_string(parts, ':')), 1, 8))::bit(32)::bigint $$;
-- 8,000 customers in three sets (5,000 + 2,000 + 1,000): heavy ties in
-- recency and frequency, refunds (negative totals), amounts at scales 0..4,
-- one in forty lapsed (its only order before the period), one in fifty with
-- its only order after as_of (a NULL summary).
CREATE TABLE rb_cust AS
SELECT i, CASE WHEN i <= 5000 THEN 1 WHEN i <= 7000 THEN 2 ELSE 3 END AS part,
       pg_temp.h('kind', i::text) % 100 AS kind,
       1 + pg_temp.h('f', i::text) % 6 AS freq
  FROM generate_series(1, 8000) i;
CREATE TABLE rb_orders AS
SELECT i AS customer_id, part, date '2007-01-05' AS ordered_at, 1::numeric AS amount
  FROM rb_cust WHERE kind < 2
UNION ALL
SELECT i, part, date '2006-12-31' - 400 - (pg_temp.h('old', i::text) % 50)::int, 10
  FROM rb_cust WHERE kind BETWEEN 2 AND 4
UNION ALL
SELECT i, part,
       date '2006-12-31' - (pg_temp.h('d', i::text, o::text) % 200)::int,
       (ARRAY[10, 10.0, 10.50, 19.9999, 0, -3.25, 99.99, 100, 20.001, 5, 7.5, 1234.5678])
           [1 + pg_temp.h('a', i::text, o::text) % 12]
  FROM rb_cust, generate_series(1, freq) o WHERE kind >= 5;
CREATE TABLE rb_sum AS
SELECT customer_id, part, rfm_summary(ordered_at, amount, date '2006-12-31', interval '1 year') AS s
  FROM rb_orders GROUP BY customer_id, part;
ANALYZE rb_sum;
SELECT part, count(*) AS customers, count(s) AS summaries,
       count(*) FILTER (WHERE frequency(s) = 0) AS lapsed,
       count(DISTINCT monetary(s)) AS distinct_monetary,
       count(*) FILTER (WHERE monetary(s) < 0) AS negative_monetary
  FROM rb_sum GROUP BY part ORDER BY part;
-- The plain-SQL scores for every number of bins.
CREATE TABLE rb_plain AS
WITH l AS (
  SELECT part, customer_id, count(*) OVER w AS n,
         rank() OVER (w ORDER BY recency(s) DESC) - 1 AS lr,
         rank() OVER (w ORDER BY frequency(s)) - 1 AS lf,
         rank() OVER (w ORDER BY monetary(s)) - 1 AS lm
    FROM rb_sum WHERE frequency(s) > 0 WINDOW w AS (PARTITION BY part))
SELECT part, customer_id, k,
       (1 + k * lr / n) * 100 + (1 + k * lf / n) * 10 + (1 + k * lm / n) AS score
  FROM l, generate_series(2, 9) k
UNION ALL
SELECT part, customer_id, k, 111 FROM rb_sum, generate_series(2, 9) k WHERE frequency(s) = 0;
-- Compares the window's scores, for every number of bins, with the plain ones.
CREATE FUNCTION pg_temp.mismatches() RETURNS TABLE (compared bigint, null_scores bigint, mismatches bigint)
LANGUAGE sql AS $$
  SELECT count(*), count(*) FILTER (WHERE w IS NULL),
         count(*) FILTER (WHERE w::int IS DISTINCT FROM p.score)
    FROM (SELECT part, customer_id, k, rfm_score(s, k) OVER (PARTITION BY part, k) AS w
            FROM rb_sum, generate_series(2, 9) k) x
    FULL JOIN rb_plain p USING (part, customer_id, k)
$$;
-- In memory (4MB holds 60,000 customers' keys) and sorted externally (64kB
-- holds fewer than a thousand): no mismatch either way.  NULL summaries
-- have no plain score and score NULL: 8 bins x their count.
SET work_mem = '4MB';
SELECT * FROM pg_temp.mismatches();
SET work_mem = '64kB';
SELECT * FROM pg_temp.mismatches();
-- Quintiles of the whole table (one partition of 8,000, lapsed apart),
-- window against plain SQL, at both sizes.
CREATE TABLE rb_plain_all AS
WITH l AS (
  SELECT customer_id, count(*) OVER () AS n,
         rank() OVER (ORDER BY recency(s) DESC) - 1 AS lr,
         rank() OVER (ORDER BY frequency(s)) - 1 AS lf,
         rank() OVER (ORDER BY monetary(s)) - 1 AS lm
    FROM rb_sum WHERE frequency(s) > 0)
SELECT customer_id, (1 + 5 * lr / n) * 100 + (1 + 5 * lf / n) * 10 + (1 + 5 * lm / n) AS score FROM l
UNION ALL
SELECT customer_id, 111 FROM rb_sum WHERE frequency(s) = 0;
SELECT count(*) AS compared, count(*) FILTER (WHERE w::int IS DISTINCT FROM p.score) AS mismatches
  FROM (SELECT customer_id, rfm_score(s) OVER () AS w FROM rb_sum) x
  LEFT JOIN rb_plain_all p USING (customer_id) WHERE x.w IS NOT NULL;
SET work_mem = '4MB';
SELECT count(*) AS compared, count(*) FILTER (WHERE w::int IS DISTINCT FROM p.score) AS mismatches
  FROM (SELECT customer_id, rfm_score(s) OVER () AS w FROM rb_sum) x
  LEFT JOIN rb_plain_all p USING (customer_id) WHERE x.w IS NOT NULL;
-- Over the fast grouping engine: RFM WindowAgg ranks in memory at 4MB and
-- with an external sort at 64kB, and says so; the scores are the plain ones.
CREATE FUNCTION pg_temp.node_mismatches() RETURNS TABLE (compared bigint, mismatches bigint)
LANGUAGE sql AS $$
  SELECT count(*), count(*) FILTER (WHERE x.w::int IS DISTINCT FROM p.score)
    FROM (SELECT customer_id, rfm_score(s) OVER () AS w
            FROM (SELECT customer_id, rfm_summary(ordered_at, amount, date '2006-12-31', interval '1 year') AS s
                    FROM rb_orders GROUP BY customer_id) g) x
    LEFT JOIN rb_plain_all p USING (customer_id) WHERE x.w IS NOT NULL
$$;
CREATE FUNCTION pg_temp.ranking_lines(q text) RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE line text;
BEGIN
  FOR line IN EXECUTE 'EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) ' || q LOOP
    IF line ~ 'Custom Scan \(RFM WindowAgg\)|Ranking' THEN
      -- sizes differ between versions, and 18 prints rows=8000.00
      RETURN NEXT regexp_replace(regexp_replace(line, '\d+ kB', 'N kB'), '(rows=[0-9]+)\.00 ', '\1 ', 'g');
    END IF;
  END LOOP;
END $$;
SELECT * FROM pg_temp.ranking_lines($$
  SELECT customer_id, rfm_score(s) OVER ()
    FROM (SELECT customer_id, rfm_summary(ordered_at, amount, date '2006-12-31', interval '1 year') AS s
            FROM rb_orders GROUP BY customer_id) g$$);
SELECT * FROM pg_temp.node_mismatches();
SET work_mem = '64kB';
SELECT * FROM pg_temp.ranking_lines($$
  SELECT customer_id, rfm_score(s) OVER ()
    FROM (SELECT customer_id, rfm_summary(ordered_at, amount, date '2006-12-31', interval '1 year') AS s
            FROM rb_orders GROUP BY customer_id) g$$);
SELECT * FROM pg_temp.node_mismatches();
-- Totals too far apart in scale to compare as integers at one scale: the
-- keys are compared scale-free, exactly, in memory or not.
CREATE TABLE rb_far (i int, s rfm_summary);
INSERT INTO rb_far VALUES
    (1, '(frequency=1, monetary=99999999999999999999999999999999999999, orders=1, first=2006-01-02, last=2006-01-02, as_of=2006-12-31)'),
    (2, '(frequency=1, monetary=0.5, orders=1, first=2006-01-02, last=2006-01-02, as_of=2006-12-31)'),
    (3, '(frequency=1, monetary=0.50000000000000000000000000000000000001, orders=1, first=2006-01-02, last=2006-01-02, as_of=2006-12-31)'),
    (4, '(frequency=1, monetary=-0.00000000000000000000000000000000000001, orders=1, first=2006-01-02, last=2006-01-02, as_of=2006-12-31)');
-- M: L = 3, 1, 2, 0 of N = 4 -> 1 + floor(4 * L / 4) with 4 bins = 4, 2, 3, 1.
SELECT i, rfm_score(s, 4) OVER () FROM rb_far ORDER BY i;

-- Past work_mem the money sort compares int8 at one scale while every total
-- is one there.  rb_up: totals of scale 0, then of scale 2 (the sort moves
-- to scale-free keys when the first comes: the DEBUG line), then one beyond
-- any int8; rb_down: scale 2, then scale 0 (made int8 at scale 2, no move).
-- Each against the tie-aware ranks of plain SQL.
CREATE FUNCTION pg_temp.scaled(i int, money text) RETURNS rfm_summary LANGUAGE sql AS $$
  SELECT format('(frequency=%s, monetary=%s, orders=%s, first=2006-01-02, last=%s, as_of=2006-12-31)',
                1 + i % 7, money, 1 + i % 7, date '2006-12-31' - i % 300)::rfm_summary
$$;
CREATE TABLE rb_up AS
SELECT i, pg_temp.scaled(i, CASE WHEN i <= 2000 THEN (i * 37 % 1000)::text
                                 WHEN i < 3000 THEN (i * 37 % 1000)::text || '.25'
                                 ELSE '99999999999999999999999' END) AS s
  FROM generate_series(1, 3000) i ORDER BY i;
CREATE TABLE rb_down AS
SELECT i, pg_temp.scaled(i, CASE WHEN i <= 2000 THEN (i * 37 % 1000)::text || '.25'
                                 ELSE (i * 37 % 1000)::text END) AS s
  FROM generate_series(1, 3000) i ORDER BY i;
SELECT min(scale(monetary(s))) FILTER (WHERE i <= 2000) AS first_scale,
       max(scale(monetary(s))) FILTER (WHERE i > 2000) AS later_scale
  FROM rb_up;
CREATE FUNCTION pg_temp.scale_mismatches(t regclass) RETURNS TABLE (compared bigint, mismatches bigint)
LANGUAGE plpgsql AS $$
BEGIN
  RETURN QUERY EXECUTE format($q$
    WITH l AS (
      SELECT i, count(*) OVER () AS n,
             rank() OVER (ORDER BY recency(s) DESC) - 1 AS lr,
             rank() OVER (ORDER BY frequency(s)) - 1 AS lf,
             rank() OVER (ORDER BY monetary(s)) - 1 AS lm
        FROM %1$s),
    plain AS (SELECT i, (1 + 5 * lr / n) * 100 + (1 + 5 * lf / n) * 10 + (1 + 5 * lm / n) AS score FROM l)
    SELECT count(*), count(*) FILTER (WHERE x.w::int IS DISTINCT FROM plain.score)
      FROM (SELECT i, rfm_score(s) OVER () AS w FROM %1$s) x JOIN plain USING (i)$q$, t);
END $$;
SET work_mem = '64kB';
SET client_min_messages = debug1;
SELECT * FROM pg_temp.scale_mismatches('rb_up');
SELECT * FROM pg_temp.scale_mismatches('rb_down');
RESET client_min_messages;
-- Past work_mem recency's and frequency's keys are counted, not sorted, while
-- their distinct values fit a sort's share of the budget (above: a few
-- hundred); rb_many has 5,000 distinct frequencies, which outgrow 64kB's
-- share and are sorted from there (the DEBUG line), recency still counted.
CREATE TABLE rb_many AS
SELECT i, format('(frequency=%s, monetary=%s, orders=%s, first=2000-01-02, last=%s, as_of=2006-12-31)',
                 i, i * 3 % 1000, i, date '2006-12-31' - i % 365)::rfm_summary AS s
  FROM generate_series(1, 5000) i ORDER BY i;
SET client_min_messages = debug1;
SELECT * FROM pg_temp.scale_mismatches('rb_many');
RESET client_min_messages;
RESET work_mem;
