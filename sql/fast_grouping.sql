--
-- Fast grouping: SELECT key, rfm_summary(...) ... GROUP BY key runs on rfm's
-- own hash aggregation ("RFM HashAggregate") and gives, row for row and as
-- text, what the built-in Agg gives (rfm.fast_grouping = off).
--
CREATE SCHEMA rfm_test_fast_grouping;
SET search_path = rfm_test_fast_grouping, public;
SET DateStyle = 'ISO, YMD';
SET TimeZone = 'UTC';
-- The planner hook exists once the library is loaded: sessions load it with
-- session_preload_libraries or on their first call of an rfm function.
LOAD 'rfm';
SHOW rfm.fast_grouping;

-- rows_of(q, engine): the query's rows as text under one setting; with the
-- engine, sorting is off so that it is chosen even where a tiny input makes
-- a sort as cheap
CREATE FUNCTION pg_temp.rows_of(q text, engine boolean) RETURNS SETOF text
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('rfm.fast_grouping', engine::text, true);
    PERFORM set_config('enable_sort', (NOT engine)::text, true);
    RETURN QUERY EXECUTE 'SELECT t::text FROM (' || q || ') t';
END $$;
-- plan_of(q, engine): the node that grouped, from EXPLAIN
CREATE FUNCTION pg_temp.plan_of(q text, engine boolean) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    line text;
    plan text := '';
BEGIN
    PERFORM set_config('rfm.fast_grouping', engine::text, true);
    PERFORM set_config('enable_sort', (NOT engine)::text, true);
    FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP
        plan := plan || line || E'\n';
    END LOOP;
    RETURN CASE WHEN plan LIKE '%RFM HashAggregate%' THEN 'engine'
                WHEN plan LIKE '%HashAggregate%' THEN 'hash agg'
                WHEN plan LIKE '%GroupAggregate%' THEN 'group agg'
                ELSE 'other' END;
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
        RETURN NEXT regexp_replace(line, '(rows=[0-9]+)\.00 ', '\1 ', 'g');
    END LOOP;
END $$;
-- same(q): groups, rows only one side has (EXCEPT ALL both ways), both plans
CREATE FUNCTION pg_temp.same(q text)
RETURNS TABLE (groups bigint, only_engine bigint, only_agg bigint, engine_plan text, agg_plan text)
LANGUAGE plpgsql AS $$
DECLARE
    engine text[] := ARRAY(SELECT pg_temp.rows_of(q, true));
    agg text[] := ARRAY(SELECT pg_temp.rows_of(q, false));
BEGIN
    RETURN QUERY SELECT cardinality(engine)::bigint,
        (SELECT count(*) FROM (SELECT unnest(engine) EXCEPT ALL SELECT unnest(agg)) x),
        (SELECT count(*) FROM (SELECT unnest(agg) EXCEPT ALL SELECT unnest(engine)) x),
        pg_temp.plan_of(q, true), pg_temp.plan_of(q, false);
END $$;

---------------------------------------------------------------------------
-- Hand-checked figures, as of 2026-11-23 with a 1-year period
-- (since = 2025-11-23): bigint keys including both ends of the range and NULL.
---------------------------------------------------------------------------
CREATE TABLE hand (customer_id bigint, ordered_at timestamptz, amount numeric);
INSERT INTO hand VALUES
    -- 3 orders, 2 in the period: frequency 2, monetary 30.50, last 11-01 = 22 days
    (1, '2026-11-01', 10.00), (1, '2026-06-01', 20.50), (1, '2025-01-01', 5),
    -- only an order after as_of: a group with a NULL summary
    (2, '2026-12-01', 99),
    -- only a row with a NULL amount: skipped, NULL summary
    (3, '2026-11-01', NULL),
    -- the NULL customer is one group: 1 order 3 days before as_of
    (NULL, '2026-11-20', 7), (NULL, NULL, 8),
    -- the int8 limits; amounts of scale 3 and 4 sum exactly to 0.0011
    (-9223372036854775808, '2026-11-23', 1),
    (9223372036854775807, '2026-11-22 12:00', 0.001), (9223372036854775807, '2026-11-22 12:00', 0.0001),
    -- 0 (its hash is 0: the first bucket)
    (0, '2024-01-01', 3);
SELECT customer_id, rfm_summary(ordered_at, amount, timestamptz '2026-11-23', interval '1 year') AS s
  FROM hand GROUP BY customer_id ORDER BY customer_id NULLS FIRST;
SELECT * FROM pg_temp.same($$
    SELECT customer_id, rfm_summary(ordered_at, amount, timestamptz '2026-11-23', interval '1 year')
      FROM hand GROUP BY customer_id$$);
SELECT * FROM pg_temp.same($$
    SELECT customer_id, rfm_summary(ordered_at, amount, timestamptz '2026-11-23')
      FROM hand GROUP BY customer_id$$);
-- smallint and integer keys, and a key computed from the column
CREATE TABLE hand_small AS
SELECT customer_id::smallint AS customer_id, ordered_at, amount FROM hand WHERE customer_id BETWEEN -5 AND 5;
CREATE TABLE hand_int AS
SELECT customer_id::int AS customer_id, ordered_at, amount FROM hand WHERE customer_id BETWEEN -5 AND 5;
-- one customer; no rows at all
CREATE TABLE hand_one AS SELECT * FROM hand WHERE customer_id = 1;
CREATE TABLE hand_none AS SELECT * FROM hand WHERE false;
ANALYZE hand, hand_small, hand_int, hand_one, hand_none;
SELECT * FROM pg_temp.same($$
    SELECT customer_id, rfm_summary(ordered_at, amount, timestamptz '2026-11-23') FROM hand_small GROUP BY 1$$);
SELECT * FROM pg_temp.same($$
    SELECT customer_id, rfm_summary(ordered_at, amount::float8, timestamptz '2026-11-23', interval '1 month')
      FROM hand_int GROUP BY 1$$);
SELECT * FROM pg_temp.same($$
    SELECT (customer_id % 1000)::int AS k, rfm_summary(ordered_at, amount::float8, timestamptz '2026-11-23')
      FROM hand GROUP BY (customer_id % 1000)::int$$);
SELECT * FROM pg_temp.same($$
    SELECT customer_id, rfm_summary(ordered_at, amount, timestamptz '2026-11-23') FROM hand_one GROUP BY customer_id$$);
SELECT * FROM pg_temp.same($$
    SELECT customer_id, rfm_summary(ordered_at, amount, timestamptz '2026-11-23') FROM hand_none GROUP BY customer_id$$);
-- every order after as_of: every customer a group, every summary NULL
SELECT customer_id, rfm_summary(ordered_at, amount, timestamptz '2000-01-01') AS s
  FROM hand GROUP BY customer_id ORDER BY customer_id NULLS FIRST;

---------------------------------------------------------------------------
-- The regression data sets, every amount and time type, with and without period
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
-- an integer key for the text customer names
CREATE TABLE rfm_data_keyed AS
SELECT dense_rank() OVER (ORDER BY customer_id)::int AS customer_key, order_date, revenue FROM rfm_data;
ANALYZE cdnow, rfm_data_keyed;

SELECT * FROM pg_temp.same($$
    SELECT customer_id, rfm_summary(ordered_at, amount, date '1997-09-30') FROM cdnow GROUP BY customer_id$$);
SELECT * FROM pg_temp.same($$
    SELECT customer_id, rfm_summary(ordered_at, amount, date '1997-09-30', interval '3 months') FROM cdnow GROUP BY customer_id$$);
SELECT * FROM pg_temp.same($$
    SELECT customer_id, rfm_summary(ordered_at::timestamp, amount::float8, timestamp '1997-09-30 12:00', interval '100 days')
      FROM cdnow GROUP BY customer_id$$);
SELECT * FROM pg_temp.same($$
    SELECT customer_id, rfm_summary(ordered_at::timestamptz, cds, timestamptz '1997-06-30 00:00+00')
      FROM cdnow GROUP BY customer_id$$);
SELECT * FROM pg_temp.same($$
    SELECT customer_id, rfm_summary(ordered_at, (amount * 100)::bigint, date '1998-06-30', interval '1 year')
      FROM cdnow GROUP BY customer_id$$);
-- amounts of 20 integer digits at scale 10: totals beyond 64 bits, exact
SELECT * FROM pg_temp.same($$
    SELECT customer_id, rfm_summary(ordered_at, amount * 1e18 + 0.0000000001, date '1998-06-30')
      FROM cdnow GROUP BY customer_id$$);
SELECT * FROM pg_temp.same($$
    SELECT customer_key, rfm_summary(order_date, revenue, date '2006-12-31') FROM rfm_data_keyed GROUP BY customer_key$$);
SELECT * FROM pg_temp.same($$
    SELECT customer_key, rfm_summary(order_date, revenue, date '2006-12-31', interval '6 months')
      FROM rfm_data_keyed GROUP BY customer_key$$);
-- money amounts (their scale is lc_monetary's: 2 digits here)
SELECT * FROM pg_temp.same($$
    SELECT customer_id, rfm_summary(ordered_at, (amount / 3)::money, date '1997-09-30') FROM cdnow GROUP BY customer_id$$);
SELECT * FROM pg_temp.same($$
    SELECT customer_id, rfm_summary(ordered_at::timestamptz, amount::money, timestamptz '1997-09-30 00:00+00', interval '3 months')
      FROM cdnow GROUP BY customer_id$$);
-- as_of from a parameter of the outer query: the node is rescanned per value
SELECT * FROM pg_temp.same($$
    SELECT d, (SELECT count(*) || ' ' || sum(frequency(s)) || ' ' || sum(monetary(s))
                 FROM (SELECT customer_id, rfm_summary(ordered_at, amount, d) AS s
                         FROM cdnow GROUP BY customer_id) x)
      FROM (VALUES (date '1997-03-01'), (date '1997-09-30'), (date '1996-01-01')) v(d)$$);

-- a prepared statement's generic plan: as_of is a parameter, evaluated per execution
SET plan_cache_mode = force_generic_plan;
PREPARE by_as_of(date) AS
SELECT count(*) AS customers, count(s) AS with_orders, sum(frequency(s)) AS orders, sum(monetary(s)) AS monetary
  FROM (SELECT customer_id, rfm_summary(ordered_at, amount, $1) AS s FROM cdnow GROUP BY customer_id) x;
EXPLAIN (COSTS OFF) EXECUTE by_as_of('1997-03-01');
EXECUTE by_as_of('1997-03-01');
EXECUTE by_as_of('1998-06-30');
SET rfm.fast_grouping = off;
PREPARE by_as_of_agg(date) AS
SELECT count(*) AS customers, count(s) AS with_orders, sum(frequency(s)) AS orders, sum(monetary(s)) AS monetary
  FROM (SELECT customer_id, rfm_summary(ordered_at, amount, $1) AS s FROM cdnow GROUP BY customer_id) x;
EXECUTE by_as_of_agg('1997-03-01');
EXECUTE by_as_of_agg('1998-06-30');
RESET rfm.fast_grouping;
RESET plan_cache_mode;
-- a scrollable cursor: the node does not scan backwards, the planner adds a Material
BEGIN;
DECLARE c SCROLL CURSOR FOR
SELECT customer_id, rfm_summary(ordered_at, amount, date '1997-09-30') AS s FROM cdnow GROUP BY customer_id;
FETCH LAST FROM c;
FETCH ABSOLUTE 1 FROM c;
FETCH RELATIVE 2356 FROM c;
COMMIT;

---------------------------------------------------------------------------
-- Where the engine runs without the query being rewritten
---------------------------------------------------------------------------
EXPLAIN (COSTS OFF)
SELECT customer_id, rfm_summary(ordered_at, amount, date '1997-09-30') FROM cdnow GROUP BY customer_id;
-- with functions of the summary on top, GROUP BY 1
EXPLAIN (COSTS OFF)
SELECT customer_id, recency(s), frequency(s) FROM (
    SELECT customer_id, rfm_summary(ordered_at, amount, date '1997-09-30') AS s FROM cdnow GROUP BY 1) x;
-- a CTE with window scores on top (the README's end to end query)
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
-- a materialized view: built and refreshed on the engine, same rows as Agg
EXPLAIN (COSTS OFF)
CREATE MATERIALIZED VIEW mv AS
SELECT customer_id, rfm_summary(ordered_at, amount, date '1997-09-30') AS s FROM cdnow GROUP BY customer_id;
CREATE MATERIALIZED VIEW mv AS
SELECT customer_id, rfm_summary(ordered_at, amount, date '1997-09-30') AS s FROM cdnow GROUP BY customer_id;
REFRESH MATERIALIZED VIEW mv;
SELECT count(*) AS rows,
       count(*) FILTER (WHERE (customer_id, s::text) NOT IN (
           SELECT customer_id, rfm_summary(ordered_at, amount, date '1997-09-30')::text
             FROM cdnow GROUP BY customer_id)) AS not_in_agg
  FROM mv;
-- EXPLAIN VERBOSE names the key and what is computed from the summary
EXPLAIN (COSTS OFF, VERBOSE)
SELECT customer_id, monetary(rfm_summary(ordered_at, amount, date '1997-09-30')) FROM cdnow GROUP BY customer_id;

---------------------------------------------------------------------------
-- Where it does not: the Agg plan, and DEBUG1 says why
---------------------------------------------------------------------------
SET client_min_messages = debug1;
EXPLAIN (COSTS OFF)
SELECT customer_id, rfm_summary(ordered_at, amount, date '1997-09-30'), count(*) FROM cdnow GROUP BY customer_id;
EXPLAIN (COSTS OFF)
SELECT customer_id, rfm_summary(ordered_at, amount, date '1997-09-30') FROM cdnow GROUP BY customer_id
HAVING count(*) > 1;
EXPLAIN (COSTS OFF)
SELECT customer_id, rfm_summary(ordered_at, amount, date '1997-09-30') FROM cdnow GROUP BY ROLLUP (customer_id);
EXPLAIN (COSTS OFF)
SELECT customer_id::text, rfm_summary(ordered_at, amount, date '1997-09-30') FROM cdnow GROUP BY 1;
EXPLAIN (COSTS OFF)
SELECT customer_id, cds, rfm_summary(ordered_at, amount, date '1997-09-30') FROM cdnow GROUP BY 1, 2;
EXPLAIN (COSTS OFF)
SELECT customer_id, rfm_summary(ordered_at, amount, date '1997-09-30') FILTER (WHERE cds > 1) FROM cdnow GROUP BY 1;
-- (the node's name only: from 16 on its Sort Key lists the aggregate's
-- columns too; JIT off: plan_of's disabled sort would load it, at DEBUG1, on 13-17)
SET jit = off;
SELECT pg_temp.plan_of($$SELECT customer_id, rfm_summary(DISTINCT ordered_at, amount, date '1997-09-30') FROM cdnow GROUP BY 1$$, true) AS plan;
SELECT pg_temp.plan_of($$SELECT customer_id, rfm_summary(ordered_at, amount, date '1997-09-30' ORDER BY amount) FROM cdnow GROUP BY 1$$, true) AS plan;
RESET jit;
EXPLAIN (COSTS OFF)
SELECT customer_id, rfm_summary(ordered_at, amount * random()::numeric, date '1997-09-30') FROM cdnow GROUP BY 1;
EXPLAIN (COSTS OFF)
SELECT customer_id, rfm_summary(ordered_at, amount, ordered_at + 30) FROM cdnow GROUP BY 1;
EXPLAIN (COSTS OFF)
SELECT rfm_summary(ordered_at, amount, date '1997-09-30') FROM cdnow;
SET rfm.fast_grouping = off;
EXPLAIN (COSTS OFF)
SELECT customer_id, rfm_summary(ordered_at, amount, date '1997-09-30') FROM cdnow GROUP BY customer_id;
RESET rfm.fast_grouping;
-- enable_hashagg = off disables this hash aggregation too
SET enable_hashagg = off;
EXPLAIN (COSTS OFF)
SELECT customer_id, rfm_summary(ordered_at, amount, date '1997-09-30') FROM cdnow GROUP BY customer_id;
RESET enable_hashagg;
-- an estimate above work_mem × hash_mem_multiplier: the engine's cost
-- counts the rows it would spill (issue 19), and it stays the cheaper
SET work_mem = '64kB';
SET hash_mem_multiplier = 1;
EXPLAIN (COSTS OFF)
SELECT customer_id, rfm_summary(ordered_at, amount, date '1997-09-30') FROM cdnow GROUP BY customer_id;
RESET client_min_messages;

---------------------------------------------------------------------------
-- Spilling: the planner expected 10 customers (stale statistics) but 20,000
-- arrive; in 64 kB the table holds 384, the rest go to disk in batches.
---------------------------------------------------------------------------
CREATE TABLE spill (customer_id int, ordered_at date, amount numeric) WITH (autovacuum_enabled = off);
INSERT INTO spill SELECT i % 10, date '2026-01-01' + i % 300, i FROM generate_series(1, 1000) i;
ANALYZE spill;
-- with NULL customers and amounts, and orders after as_of (dates run to October)
INSERT INTO spill
SELECT CASE WHEN i % 7 = 0 THEN NULL ELSE 10 + i % 20000 END, date '2026-01-01' + i % 300,
       CASE WHEN i % 11 = 0 THEN NULL ELSE i % 1000 / 10.0 END
  FROM generate_series(1, 60000) i;
SELECT * FROM pg_temp.explain($$
SELECT customer_id, rfm_summary(ordered_at, amount, date '2026-06-30') FROM spill GROUP BY customer_id$$, true) AS "QUERY PLAN";
SELECT * FROM pg_temp.same($$
    SELECT customer_id, rfm_summary(ordered_at, amount, date '2026-06-30') FROM spill GROUP BY customer_id$$);
RESET work_mem;
RESET hash_mem_multiplier;

---------------------------------------------------------------------------
-- Errors are the aggregate's own, on either path
---------------------------------------------------------------------------
SELECT customer_id, rfm_summary(ordered_at, amount, timestamptz 'infinity') FROM hand GROUP BY customer_id;
SELECT customer_id, rfm_summary(ordered_at, amount, timestamptz '2026-11-23', interval '-1 day') FROM hand GROUP BY customer_id;
SELECT customer_id, rfm_summary(d, 1, date '2026-11-23') FROM (VALUES (1, date '-infinity')) v(customer_id, d) GROUP BY customer_id;
SELECT customer_id, rfm_summary(ordered_at, 'NaN'::numeric, date '2026-11-23') FROM cdnow GROUP BY customer_id;
-- an amount outside the period is not read, on either path: its NaN is no error
SELECT * FROM pg_temp.same($$
    SELECT customer_id, rfm_summary(ordered_at, CASE WHEN ordered_at < date '1997-06-01' THEN 'NaN'::numeric ELSE amount END,
                                    date '1997-09-30', interval '1 month')
      FROM cdnow GROUP BY customer_id$$);
-- a statement timeout cancels the build (rows streamed from a set-returning
-- function: nothing is materialized before the engine reads them)
SET statement_timeout = '200ms';
SELECT count(*) FROM (
    SELECT a % 3000 AS k, rfm_summary(date '2026-01-01' + a % 100, a, date '2026-11-23')
      FROM (SELECT generate_series(1, 1000000000) AS a) g GROUP BY 1) x;
RESET statement_timeout;
-- the session goes on
SELECT count(*) FROM (SELECT customer_id, rfm_summary(ordered_at, amount, date '1997-09-30') FROM cdnow GROUP BY 1) x;

---------------------------------------------------------------------------
-- Parallel: on this fast path every participant groups its share, writes
-- partial summaries out by customer partition and merges the partitions it
-- claims ("Parallel Custom Scan (RFM Parallel HashAggregate)" under Gather;
-- sql/fast_grouping_parallel.sql tests it further); the rows equal the
-- serial engine's.  Gathering costs are zeroed so that the planner takes
-- a parallel plan on small tables.
---------------------------------------------------------------------------
CREATE FUNCTION pg_temp.serial_vs_parallel(q text)
RETURNS TABLE (groups bigint, only_serial bigint, only_parallel bigint)
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('max_parallel_workers_per_gather', '0', true);
    CREATE TEMP TABLE serial_rows AS SELECT * FROM pg_temp.rows_of(q, true) AS t(r);
    PERFORM set_config('max_parallel_workers_per_gather', '2', true);
    CREATE TEMP TABLE parallel_rows AS SELECT * FROM pg_temp.rows_of(q, true) AS t(r);
    RETURN QUERY SELECT (SELECT count(*) FROM serial_rows),
        (SELECT count(*) FROM (TABLE serial_rows EXCEPT ALL TABLE parallel_rows) x),
        (SELECT count(*) FROM (TABLE parallel_rows EXCEPT ALL TABLE serial_rows) x);
    DROP TABLE serial_rows, parallel_rows;
END $$;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF)
SELECT customer_id, rfm_summary(ordered_at, amount, date '1997-09-30', interval '6 months') AS s
  FROM cdnow GROUP BY customer_id;
EXPLAIN (COSTS OFF, VERBOSE)
SELECT customer_id, rfm_summary(ordered_at, amount, date '1997-09-30', interval '6 months') AS s
  FROM cdnow GROUP BY customer_id;
SELECT * FROM pg_temp.serial_vs_parallel($$
    SELECT customer_id, rfm_summary(ordered_at, amount, date '1997-09-30', interval '6 months')
      FROM cdnow GROUP BY customer_id$$);
SELECT * FROM pg_temp.serial_vs_parallel($$
    SELECT customer_key, rfm_summary(order_date, revenue::float8, date '2006-12-31')
      FROM rfm_data_keyed GROUP BY customer_key$$);
-- and against the built-in Agg's parallel plan
SELECT * FROM pg_temp.same($$
    SELECT customer_id, rfm_summary(ordered_at, amount, date '1997-09-30', interval '6 months')
      FROM cdnow GROUP BY customer_id$$);
SELECT * FROM pg_temp.serial_vs_parallel($$
    SELECT customer_id, rfm_summary(ordered_at, amount, date '2026-06-30', interval '3 months')
      FROM spill GROUP BY customer_id$$);
-- a parallel restricted function in an argument: no partial step, the
-- leader evaluates it (and groups) above the Gather
CREATE FUNCTION pg_temp.restricted(x numeric) RETURNS numeric
LANGUAGE plpgsql IMMUTABLE PARALLEL RESTRICTED AS $$ BEGIN RETURN x; END $$;
EXPLAIN (COSTS OFF)
SELECT customer_id, rfm_summary(ordered_at, pg_temp.restricted(amount), date '2026-06-30')
  FROM spill GROUP BY customer_id;
-- workers that spill (64 kB each), the leader too
SET work_mem = '64kB';
SET hash_mem_multiplier = 1;
EXPLAIN (COSTS OFF)
SELECT customer_id, rfm_summary(ordered_at, amount, date '2026-06-30') FROM spill GROUP BY customer_id;
SELECT * FROM pg_temp.serial_vs_parallel($$
    SELECT customer_id, rfm_summary(ordered_at, amount, date '2026-06-30') FROM spill GROUP BY customer_id$$);
RESET work_mem;
RESET hash_mem_multiplier;
RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
