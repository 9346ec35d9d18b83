--
-- Fast scoring: rfm_score(s) OVER () over the fast grouping engine runs on
-- the "RFM WindowAgg" node, which ranks the summaries as the window
-- function does and has the engine emit its rows twice instead of spooling
-- them.  Its rows equal WindowAgg's (rfm.fast_scoring = off) row for row.
--
CREATE SCHEMA rfm_test_fast_scoring;
SET search_path = rfm_test_fast_scoring, public;
SET DateStyle = 'ISO, YMD';
SET TimeZone = 'UTC';
LOAD 'rfm';
SHOW rfm.fast_scoring;

-- rows_of(q, fast): the query's rows as text, the engine on, the scoring node on or off
CREATE FUNCTION pg_temp.rows_of(q text, fast boolean) RETURNS SETOF text
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('rfm.fast_scoring', fast::text, true);
    RETURN QUERY EXECUTE 'SELECT t::text FROM (' || q || ') t';
END $$;
-- plan_of(q, fast): which nodes scored and grouped, from EXPLAIN
CREATE FUNCTION pg_temp.plan_of(q text, fast boolean) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    line text;
    plan text := '';
BEGIN
    PERFORM set_config('rfm.fast_scoring', fast::text, true);
    FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP
        plan := plan || line || E'\n';
    END LOOP;
    RETURN CASE WHEN plan LIKE '%RFM WindowAgg%' THEN 'rfm window'
                WHEN plan LIKE '%WindowAgg%' THEN 'window agg' ELSE 'other' END
        || CASE WHEN plan LIKE '%RFM%HashAggregate%' THEN ' / engine' ELSE ' / agg' END;
END $$;
-- explain(q, with_analyze): EXPLAIN's lines, the same on every version:
-- BUFFERS OFF (18 shows buffers by default), row counts without 18's ".00",
-- and without the "Window: w1 AS (...)" line 18 adds under a WindowAgg
CREATE FUNCTION pg_temp.explain(q text, with_analyze boolean DEFAULT false) RETURNS SETOF text
LANGUAGE plpgsql AS $$
DECLARE
    line text;
BEGIN
    FOR line IN EXECUTE 'EXPLAIN (COSTS OFF, BUFFERS OFF'
            || CASE WHEN with_analyze THEN ', ANALYZE, TIMING OFF, SUMMARY OFF' ELSE '' END || ') ' || q LOOP
        CONTINUE WHEN line ~ '^ *Window: w[0-9]+ AS ';
        -- the external sort's space differs by a few kB between versions
        line := regexp_replace(line, 'Ranking Sort Space: [0-9]+ kB', 'Ranking Sort Space: N kB');
        RETURN NEXT regexp_replace(line, '(rows=[0-9]+)\.00 ', '\1 ', 'g');
    END LOOP;
END $$;
-- same(q): rows, rows only one side has (EXCEPT ALL both ways), both plans
CREATE FUNCTION pg_temp.same(q text)
RETURNS TABLE (rows bigint, only_fast bigint, only_window bigint, fast_plan text, window_plan text)
LANGUAGE plpgsql AS $$
DECLARE
    fast text[] := ARRAY(SELECT pg_temp.rows_of(q, true));
    slow text[] := ARRAY(SELECT pg_temp.rows_of(q, false));
BEGIN
    RETURN QUERY SELECT cardinality(fast)::bigint,
        (SELECT count(*) FROM (SELECT unnest(fast) EXCEPT ALL SELECT unnest(slow)) x),
        (SELECT count(*) FROM (SELECT unnest(slow) EXCEPT ALL SELECT unnest(fast)) x),
        pg_temp.plan_of(q, true), pg_temp.plan_of(q, false);
END $$;

---------------------------------------------------------------------------
-- Hand-checked scores, as of 2026-11-23 with a 1-year period.  Customer k
-- of 1..5 has k orders of 10 * k, the last one 6 - k days before as_of:
-- with N = 5 each is strictly better than k - 1 others in every dimension,
-- so every digit is 1 + floor(5 * (k - 1) / 5) = k and scores 111 .. 555;
-- with 3 bins, 1 + floor(3 * (k - 1) / 5): 1, 1, 2, 2, 3.  Customer 6 is
-- lapsed (one order before the period): 111, not counted in N.  Customer 7
-- and the NULL customer only ordered after as_of: NULL summary, NULL score.
---------------------------------------------------------------------------
CREATE TABLE hand (customer_id int, ordered_at date, amount numeric);
INSERT INTO hand
SELECT k, date '2026-11-23' - (6 - k) - 30 * (n - 1), 10 * k
  FROM generate_series(1, 5) k, generate_series(1, k) n;
INSERT INTO hand VALUES (6, '2025-01-01', 500), (7, '2026-12-01', 5), (NULL, '2026-12-24', 1);
ANALYZE hand;
SELECT * FROM pg_temp.explain($$
SELECT customer_id, rfm_score(s) OVER () FROM (
    SELECT customer_id, rfm_summary(ordered_at, amount, date '2026-11-23', interval '1 year') AS s
      FROM hand GROUP BY customer_id) x$$, true) AS "QUERY PLAN";
SELECT customer_id, recency(s), frequency(s), monetary(s),
       rfm_score(s) OVER () AS score, rfm_score(s, 3) OVER () AS score3,
       rfm_segment(rfm_score(s) OVER ()) AS segment
  FROM (SELECT customer_id, rfm_summary(ordered_at, amount, date '2026-11-23', interval '1 year') AS s
          FROM hand GROUP BY customer_id) x
 ORDER BY customer_id NULLS FIRST;
SELECT * FROM pg_temp.same($$
    SELECT customer_id, rfm_score(s) OVER (), rfm_score(s, 3) OVER () FROM (
        SELECT customer_id, rfm_summary(ordered_at, amount, date '2026-11-23', interval '1 year') AS s
          FROM hand GROUP BY customer_id) x$$);
-- NULL bins: every score NULL; bins out of range: the window function's error
SELECT count(*) AS customers, count(sc) AS scored FROM (
    SELECT rfm_score(s, NULL::int) OVER () AS sc FROM (
        SELECT customer_id, rfm_summary(ordered_at, amount, date '2026-11-23') AS s
          FROM hand GROUP BY customer_id) x) y;
SELECT rfm_score(s, 10) OVER () FROM (
    SELECT customer_id, rfm_summary(ordered_at, amount, date '2026-11-23') AS s FROM hand GROUP BY customer_id) x;
-- no rows: no scores and no error, even for bins out of range (never read)
SELECT rfm_score(s, 10) OVER () FROM (
    SELECT customer_id, rfm_summary(ordered_at, amount, date '2026-11-23') AS s
      FROM hand WHERE customer_id > 100 GROUP BY customer_id) x;
-- one customer: N = 1, L = 0
SELECT customer_id, rfm_score(s) OVER () FROM (
    SELECT customer_id, rfm_summary(ordered_at, amount, date '2026-11-23') AS s
      FROM hand WHERE customer_id = 3 GROUP BY customer_id) x;

---------------------------------------------------------------------------
-- The regression data sets: the README's query and its variants
---------------------------------------------------------------------------
CREATE TABLE raw (line text);
\copy raw FROM 'test/data/CDNOW_sample.txt'
CREATE TABLE cdnow AS
SELECT f[1]::int AS customer_id, to_date(f[3], 'YYYYMMDD') AS ordered_at,
       f[4]::int AS cds, f[5]::numeric AS amount
  FROM (SELECT regexp_split_to_array(btrim(line), '\s+') AS f FROM raw) AS s;
CREATE TABLE rfm_data (customer_id text, order_date date, revenue integer,
                       first_name text, last_name text, email text);
\copy rfm_data FROM 'test/data/rfm_data_orders.csv' WITH (FORMAT csv, HEADER)
CREATE TABLE rfm_data_keyed AS
SELECT dense_rank() OVER (ORDER BY customer_id)::bigint AS customer_key, order_date, revenue FROM rfm_data;
ANALYZE cdnow, rfm_data_keyed;

-- the README's end to end query: a CTE, scores, segment and loyalty on top
EXPLAIN (COSTS OFF)
WITH summaries AS (
    SELECT customer_id, rfm_summary(ordered_at, amount, date '1997-09-30', interval '1 year') AS s
      FROM cdnow GROUP BY customer_id)
SELECT customer_id, s, rfm_score(s) OVER () AS score, rfm_segment(rfm_score(s) OVER ()) AS segment,
       loyalty_class(s) AS loyalty
  FROM summaries;
SELECT * FROM pg_temp.same($$
    WITH summaries AS (
        SELECT customer_id, rfm_summary(ordered_at, amount, date '1997-09-30', interval '1 year') AS s
          FROM cdnow GROUP BY customer_id)
    SELECT customer_id, s, rfm_score(s) OVER () AS score, rfm_segment(rfm_score(s) OVER ()) AS segment,
           loyalty_class(s) AS loyalty
      FROM summaries$$);
-- sorted by score; EXPLAIN VERBOSE shows the scores as calls of rfm_score
EXPLAIN (COSTS OFF, VERBOSE)
WITH summaries AS (
    SELECT customer_id, rfm_summary(ordered_at, amount, date '1997-09-30') AS s
      FROM cdnow GROUP BY customer_id)
SELECT customer_id, rfm_segment(rfm_score(s) OVER ()) AS segment FROM summaries ORDER BY rfm_score(s) OVER ();
SELECT * FROM pg_temp.same($$
    SELECT segment, count(*), min(customer_id), max(customer_id) FROM (
        SELECT customer_id, rfm_segment(rfm_score(s) OVER ()) AS segment FROM (
            SELECT customer_id, rfm_summary(ordered_at, amount, date '1997-09-30') AS s
              FROM cdnow GROUP BY customer_id) x) y
     GROUP BY segment$$);
-- the window in the grouping query itself
SELECT * FROM pg_temp.same($$
    SELECT customer_id, rfm_score(rfm_summary(ordered_at, amount, date '1997-09-30', interval '6 months')) OVER ()
      FROM cdnow GROUP BY customer_id$$);
-- every amount and time type; a bigint key; no period
SELECT * FROM pg_temp.same($$
    SELECT customer_key, s, rfm_score(s) OVER (), rfm_score(s, 9) OVER () FROM (
        SELECT customer_key, rfm_summary(order_date::timestamp, revenue::float8, timestamp '2006-12-31 12:00')
          FROM rfm_data_keyed GROUP BY customer_key) x(customer_key, s)$$);
SELECT * FROM pg_temp.same($$
    SELECT customer_id, rfm_score(s) OVER () FROM (
        SELECT customer_id, rfm_summary(ordered_at::timestamptz, (amount * 100)::bigint, timestamptz '1997-06-30 00:00+00', interval '3 months') AS s
          FROM cdnow GROUP BY customer_id) x$$);
-- an argument computed from the summary: ranked from the rows, not the table
SELECT * FROM pg_temp.explain($$
SELECT customer_id, rfm_score(CASE WHEN frequency(s) > 1 THEN s END) OVER () FROM (
    SELECT customer_id, rfm_summary(ordered_at, amount, date '1997-09-30') AS s FROM cdnow GROUP BY customer_id) x$$, true) AS "QUERY PLAN";
SELECT * FROM pg_temp.same($$
    SELECT customer_id, rfm_score(CASE WHEN frequency(s) > 1 THEN s END) OVER (), rfm_score(s) OVER () FROM (
        SELECT customer_id, rfm_summary(ordered_at, amount, date '1997-09-30') AS s FROM cdnow GROUP BY customer_id) x$$);
-- the 0.1 rule (lapsed customers ranked) from the same library, as a 0.1 database calls it
CREATE FUNCTION pg_temp.rfm_score_01(rfm_summary) RETURNS rfm_score
AS 'rfm', 'rfm_score_window' LANGUAGE c WINDOW STRICT;
SELECT * FROM pg_temp.same($$
    SELECT customer_id, pg_temp.rfm_score_01(s) OVER (), rfm_score(s) OVER () FROM (
        SELECT customer_id, rfm_summary(ordered_at, amount, date '1997-09-30', interval '3 months') AS s
          FROM cdnow GROUP BY customer_id) x$$);
-- as_of from an outer query: the nodes are rescanned per value
SELECT * FROM pg_temp.same($$
    SELECT d, (SELECT string_agg(sc::text || ':' || n, ' ' ORDER BY sc) FROM (
                 SELECT sc, count(*) AS n FROM (
                     SELECT rfm_score(s) OVER () AS sc FROM (
                         SELECT customer_id, rfm_summary(ordered_at, amount, d, interval '6 months') AS s
                           FROM cdnow GROUP BY customer_id) x) y
                  GROUP BY sc) z)
      FROM (VALUES (date '1997-03-01'), (date '1997-09-30'), (date '1996-01-01')) v(d)$$);
-- a prepared statement's generic plan: bins from a parameter
SET plan_cache_mode = force_generic_plan;
PREPARE scored(int) AS
SELECT rfm_score(s, $1) OVER () AS sc, count(*) OVER () FROM (
    SELECT customer_id, rfm_summary(ordered_at, amount, date '1997-09-30') AS s FROM cdnow GROUP BY customer_id) x;
PREPARE score_counts(int) AS
SELECT sc, count(*) FROM (
    SELECT rfm_score(s, $1) OVER () AS sc FROM (
        SELECT customer_id, rfm_summary(ordered_at, amount, date '1997-09-30') AS s FROM cdnow GROUP BY customer_id) x) y
 GROUP BY sc ORDER BY sc;
EXPLAIN (COSTS OFF) EXECUTE score_counts(2);
EXECUTE score_counts(2);
SET rfm.fast_scoring = off;
EXECUTE score_counts(2);
RESET rfm.fast_scoring;
RESET plan_cache_mode;
-- a scrollable cursor: the planner adds a Material above the node
BEGIN;
DECLARE c SCROLL CURSOR FOR
SELECT customer_id, rfm_score(s) OVER () FROM (
    SELECT customer_id, rfm_summary(ordered_at, amount, date '1997-09-30') AS s FROM cdnow GROUP BY customer_id) x;
FETCH LAST FROM c;
FETCH ABSOLUTE 1 FROM c;
COMMIT;
-- a materialized view, refreshed
CREATE MATERIALIZED VIEW segments AS
SELECT customer_id, rfm_score(s) OVER () AS score FROM (
    SELECT customer_id, rfm_summary(ordered_at, amount, date '1997-09-30') AS s FROM cdnow GROUP BY customer_id) x;
REFRESH MATERIALIZED VIEW segments;
SET rfm.fast_scoring = off;
SELECT count(*) AS customers,
       count(*) FILTER (WHERE (customer_id, score) NOT IN (
           SELECT customer_id, rfm_score(s) OVER () FROM (
               SELECT customer_id, rfm_summary(ordered_at, amount, date '1997-09-30') AS s
                 FROM cdnow GROUP BY customer_id) x)) AS not_as_window
  FROM segments;
RESET rfm.fast_scoring;

-- randomized: 30 order tables of growing size (pseudo-random, the same every
-- run and on every version: u(t, i, k) hashes its arguments, as random()
-- after setseed() gives other numbers on 13 and 14)
-- with many ties, NULL customers and amounts, refunds, mixed scales and
-- orders after as_of; each scored with and without a period, 5 and 3 bins
-- (the first, 50 rows, the planner groups with Sort + GroupAggregate)
CREATE FUNCTION pg_temp.u(t int, i int, k int) RETURNS float8 LANGUAGE sql IMMUTABLE AS
$$ SELECT (hashint8((t * 100000 + i) * 8::bigint + k) & 2147483647) / 2147483648.0::float8 $$;
CREATE TABLE rnd AS
SELECT t, CASE WHEN pg_temp.u(t, i, 0) < 0.05 THEN NULL ELSE (pg_temp.u(t, i, 1) * (5 + t * t))::int END AS customer_id,
       date '2026-11-23' - (pg_temp.u(t, i, 2) * 500)::int + 30 AS ordered_at,
       CASE WHEN pg_temp.u(t, i, 3) < 0.03 THEN NULL
            ELSE round((pg_temp.u(t, i, 4) * 220 - 20)::numeric, (pg_temp.u(t, i, 5) * 3)::int) END AS amount
  FROM generate_series(1, 30) t, generate_series(1, 20 + 30 * t) i;
ANALYZE rnd;
SELECT count(*) AS queries, sum(rows) AS rows, sum(only_fast + only_window) AS mismatches,
       string_agg(format('%s%s: %s, %s', t, period, fast_plan, window_plan), '; ')
           FILTER (WHERE fast_plan <> 'rfm window / engine' OR window_plan <> 'window agg / engine') AS other_plans,
       count(*) FILTER (WHERE fast_plan = 'rfm window / engine' AND window_plan = 'window agg / engine') AS both_plans_as_named
  FROM generate_series(1, 30) t, (VALUES (''), (', interval ''90 days''')) p(period),
       LATERAL pg_temp.same(format($$
           SELECT customer_id, s, rfm_score(s) OVER (), rfm_score(s, 3) OVER (), rfm_segment(rfm_score(s) OVER ())
             FROM (SELECT customer_id, rfm_summary(ordered_at, amount, date '2026-11-23'%s) AS s
                     FROM rnd WHERE t = %s GROUP BY customer_id) x$$, period, t)) AS c;

---------------------------------------------------------------------------
-- The engine spilled: its customers cannot be emitted again, so the node
-- spools the rows as WindowAgg does.  Stale statistics (10 customers
-- expected, 20,000 arrive) and 64 kB.
---------------------------------------------------------------------------
CREATE TABLE spill (customer_id int, ordered_at date, amount numeric) WITH (autovacuum_enabled = off);
INSERT INTO spill SELECT i % 10, date '2026-01-01' + i % 300, i FROM generate_series(1, 1000) i;
ANALYZE spill;
INSERT INTO spill
SELECT CASE WHEN i % 7 = 0 THEN NULL ELSE 10 + i % 20000 END, date '2026-01-01' + i % 300,
       CASE WHEN i % 11 = 0 THEN NULL ELSE i % 1000 / 10.0 END
  FROM generate_series(1, 60000) i;
SET work_mem = '64kB';
SET hash_mem_multiplier = 1;
SELECT * FROM pg_temp.explain($$
SELECT customer_id, rfm_score(s) OVER () FROM (
    SELECT customer_id, rfm_summary(ordered_at, amount, date '2026-06-30', interval '3 months') AS s
      FROM spill GROUP BY customer_id) x$$, true) AS "QUERY PLAN";
SELECT * FROM pg_temp.same($$
    SELECT customer_id, s, rfm_score(s) OVER () FROM (
        SELECT customer_id, rfm_summary(ordered_at, amount, date '2026-06-30', interval '3 months') AS s
          FROM spill GROUP BY customer_id) x$$);
RESET work_mem;
RESET hash_mem_multiplier;

---------------------------------------------------------------------------
-- Parallel grouping below.  The fast path's parallel engine emits its
-- customers from every participant through Gather: no table holds them
-- all, so the node spools the rows, as WindowAgg would, and ranks them
-- in one pass (the planner weighs that plan against the serial engine
-- under the node, and here, gathering made free, takes it).
---------------------------------------------------------------------------
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SELECT * FROM pg_temp.explain($$
SELECT customer_id, rfm_score(s) OVER () FROM (
    SELECT customer_id, rfm_summary(ordered_at, amount, date '2026-06-30', interval '3 months') AS s
      FROM spill GROUP BY customer_id) x$$);
SELECT * FROM pg_temp.same($$
    SELECT customer_id, s, rfm_score(s) OVER () FROM (
        SELECT customer_id, rfm_summary(ordered_at, amount, date '2026-06-30', interval '3 months') AS s
          FROM spill GROUP BY customer_id) x$$);
RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;

---------------------------------------------------------------------------
-- Where it does not apply: WindowAgg, and DEBUG1 says why
---------------------------------------------------------------------------
SET client_min_messages = debug1;
SELECT * FROM pg_temp.explain($$
SELECT customer_id, rfm_score(s) OVER (PARTITION BY customer_id % 2) FROM (
    SELECT customer_id, rfm_summary(ordered_at, amount, date '1997-09-30') AS s FROM cdnow GROUP BY customer_id) x$$) AS "QUERY PLAN";
SELECT * FROM pg_temp.explain($$
SELECT customer_id, rfm_score(s) OVER (), row_number() OVER () FROM (
    SELECT customer_id, rfm_summary(ordered_at, amount, date '1997-09-30') AS s FROM cdnow GROUP BY customer_id) x$$) AS "QUERY PLAN";
SELECT * FROM pg_temp.explain($$
SELECT customer_id, rfm_score(s, customer_id % 3 + 2) OVER () FROM (
    SELECT customer_id, rfm_summary(ordered_at, amount, date '1997-09-30') AS s FROM cdnow GROUP BY customer_id) x$$) AS "QUERY PLAN";
-- a filter between the engine and the window: a function that may leak is
-- not pushed into a security barrier view, the subquery scan filters (the
-- function is not in pg_temp: EXPLAIN names that schema pg_temp_N on 13)
CREATE FUNCTION may_leak(k int) RETURNS boolean
LANGUAGE plpgsql AS $$ BEGIN RETURN k % 2 = 0; END $$;
CREATE VIEW barrier WITH (security_barrier) AS
SELECT customer_id, rfm_summary(ordered_at, amount, date '1997-09-30') AS s FROM cdnow GROUP BY customer_id;
SELECT * FROM pg_temp.explain($$
SELECT customer_id, rfm_score(s) OVER () FROM barrier WHERE may_leak(customer_id)$$) AS "QUERY PLAN";
-- a volatile column: the engine's second emission would differ from the first
SELECT * FROM pg_temp.explain($$
SELECT customer_id, r, rfm_score(s) OVER () FROM (
    SELECT customer_id, random() AS r, rfm_summary(ordered_at, amount, date '1997-09-30') AS s
      FROM cdnow GROUP BY customer_id) x$$) AS "QUERY PLAN";
-- the rows do not come from the engine
SELECT * FROM pg_temp.explain($$
SELECT customer_id, rfm_score(s) OVER () FROM (
    SELECT customer_id, rfm_summary(ordered_at, amount, date '1997-09-30') AS s FROM cdnow GROUP BY customer_id
    ORDER BY customer_id) x$$) AS "QUERY PLAN";
SET rfm.fast_scoring = off;
SELECT * FROM pg_temp.explain($$
SELECT customer_id, rfm_score(s) OVER () FROM (
    SELECT customer_id, rfm_summary(ordered_at, amount, date '1997-09-30') AS s FROM cdnow GROUP BY customer_id) x$$) AS "QUERY PLAN";
RESET rfm.fast_scoring;
RESET client_min_messages;
-- a statement timeout cancels the scoring query (in the grouping, the longest part)
SET statement_timeout = '200ms';
SELECT count(*) FROM (
    SELECT rfm_score(s) OVER () FROM (
        SELECT a % 3000 AS k, rfm_summary(date '2026-01-01' + a % 100, a, date '2026-11-23') AS s
          FROM (SELECT generate_series(1, 1000000000) AS a) g GROUP BY 1) x) y;
RESET statement_timeout;

DROP SCHEMA rfm_test_fast_scoring CASCADE;
