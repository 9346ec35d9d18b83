--
-- The parallel fast grouping engine: on the fast path (one integer key,
-- rfm_summary alone) every participant of a parallel plan groups its share
-- of the orders, writes the partial summaries out by customer partition,
-- and, once all have written, merges the partitions it claims into final
-- summaries: "Parallel Custom Scan (RFM Parallel HashAggregate)" under a
-- Gather that only unions them.  The rows equal the serial engine's and
-- the built-in Agg's, as text, whatever the participants (the leader in or
-- out, no worker launched), the memory (spilling) or a rescan.
--
CREATE SCHEMA rfm_test_fast_parallel;
SET search_path = rfm_test_fast_parallel, public;
SET DateStyle = 'ISO, YMD';
SET TimeZone = 'UTC';
LOAD 'rfm';

-- 300,000 orders of 5,000 customers, 60 each, in no order; every 1000th
-- without a customer (the NULL customer: one group), NULL dates, NULL
-- amounts, dates after as_of (2026-06-30); customers 5000-5009 only have
-- orders without a date (a group with a NULL summary).
CREATE TABLE orders (customer_id int, ordered_at date, amount numeric(10,2))
  WITH (autovacuum_enabled = off);
INSERT INTO orders
SELECT CASE WHEN i % 1000 = 7 THEN NULL ELSE ((i::bigint * 7919) % 5000)::int END,
       CASE WHEN i % 997 = 3 THEN NULL ELSE date '2025-01-01' + (i * 31) % 600 END,
       CASE WHEN i % 991 = 5 THEN NULL ELSE ((i * 37) % 10000) / 100.0 END
  FROM generate_series(1, 300000) i;
INSERT INTO orders SELECT 5000 + i % 10, NULL, 1 FROM generate_series(1, 50) i;
ANALYZE orders;

-- rows_of(q, how): the query's rows as text on the serial engine, the
-- parallel engine or the built-in Agg (sorting off: hashed, as the engine)
CREATE FUNCTION pg_temp.rows_of(q text, how text) RETURNS SETOF text
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('rfm.fast_grouping', (how <> 'agg')::text, true);
    PERFORM set_config('max_parallel_workers_per_gather', CASE WHEN how = 'parallel' THEN '2' ELSE '0' END, true);
    PERFORM set_config('enable_sort', 'off', true);
    RETURN QUERY EXECUTE 'SELECT t::text FROM (' || q || ') t';
END $$;
-- plan_of(q): the node that grouped in the parallel setting
CREATE FUNCTION pg_temp.plan_of(q text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    line text;
    plan text := '';
BEGIN
    PERFORM set_config('rfm.fast_grouping', 'on', true);
    PERFORM set_config('max_parallel_workers_per_gather', '2', true);
    PERFORM set_config('enable_sort', 'off', true);
    FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP
        plan := plan || line || E'\n';
    END LOOP;
    RETURN CASE WHEN plan LIKE '%Parallel Custom Scan (RFM Parallel HashAggregate)%' THEN 'parallel engine'
                WHEN plan LIKE '%RFM %HashAggregate%' THEN 'other engine plan'
                ELSE 'other' END;
END $$;
-- three_ways(q): groups; rows the parallel engine has and the serial
-- engine has not, and the other way; the same against Agg; the plan
CREATE FUNCTION pg_temp.three_ways(q text)
RETURNS TABLE (groups bigint, only_parallel bigint, only_serial bigint,
               not_agg bigint, only_agg bigint, plan text)
LANGUAGE plpgsql AS $$
DECLARE
    par text[] := ARRAY(SELECT pg_temp.rows_of(q, 'parallel'));
    ser text[] := ARRAY(SELECT pg_temp.rows_of(q, 'serial'));
    agg text[] := ARRAY(SELECT pg_temp.rows_of(q, 'agg'));
BEGIN
    RETURN QUERY SELECT cardinality(par)::bigint,
        (SELECT count(*) FROM (SELECT unnest(par) EXCEPT ALL SELECT unnest(ser)) x),
        (SELECT count(*) FROM (SELECT unnest(ser) EXCEPT ALL SELECT unnest(par)) x),
        (SELECT count(*) FROM (SELECT unnest(par) EXCEPT ALL SELECT unnest(agg)) x),
        (SELECT count(*) FROM (SELECT unnest(agg) EXCEPT ALL SELECT unnest(par)) x),
        pg_temp.plan_of(q);
END $$;
-- explain_lines(q): EXPLAIN ANALYZE's lines (no timing, buffers or summary)
CREATE FUNCTION pg_temp.explain_lines(q text) RETURNS SETOF text
LANGUAGE plpgsql AS $$
DECLARE
    line text;
BEGIN
    FOR line IN EXECUTE 'EXPLAIN (ANALYZE, COSTS OFF, BUFFERS OFF, TIMING OFF, SUMMARY OFF) ' || q LOOP
        RETURN NEXT line;
    END LOOP;
END $$;

SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;

-- the plan: no Finalize step above the Gather
EXPLAIN (COSTS OFF)
SELECT customer_id, rfm_summary(ordered_at, amount, date '2026-06-30', interval '6 months')
  FROM orders GROUP BY customer_id;
EXPLAIN (COSTS OFF, VERBOSE)
SELECT customer_id, rfm_summary(ordered_at, amount, date '2026-06-30', interval '6 months')
  FROM orders GROUP BY customer_id;

-- the figures of a few customers, by hand from the rows (count, sum, last
-- date within the period), against the summaries of the parallel plan
WITH s AS (
    SELECT customer_id, rfm_summary(ordered_at, amount, date '2026-06-30', interval '6 months') AS s
      FROM orders GROUP BY customer_id),
h AS (
    SELECT customer_id,
           count(*) FILTER (WHERE ordered_at > date '2025-12-30' AND ordered_at <= date '2026-06-30' AND amount IS NOT NULL) AS n,
           sum(amount) FILTER (WHERE ordered_at > date '2025-12-30' AND ordered_at <= date '2026-06-30' AND amount IS NOT NULL) AS m,
           max(ordered_at) FILTER (WHERE ordered_at <= date '2026-06-30' AND amount IS NOT NULL) AS last
      FROM orders GROUP BY customer_id)
SELECT count(*) AS customers,
       count(*) FILTER (WHERE s.s IS NULL) AS null_summaries,
       count(*) FILTER (WHERE s.s IS NOT NULL AND (frequency(s.s) <> h.n OR monetary(s.s) <> coalesce(h.m, 0)
                                                  OR recency(s.s) <> date '2026-06-30' - h.last)) AS mismatches
  FROM s JOIN h ON s.customer_id IS NOT DISTINCT FROM h.customer_id;

-- serial engine, parallel engine and Agg: the same rows
SELECT * FROM pg_temp.three_ways($$
    SELECT customer_id, rfm_summary(ordered_at, amount, date '2026-06-30', interval '6 months')
      FROM orders GROUP BY customer_id$$);
SELECT * FROM pg_temp.three_ways($$
    SELECT customer_id::bigint * 1000003, rfm_summary(ordered_at::timestamptz, amount::float8, timestamptz '2026-06-30')
      FROM orders GROUP BY 1$$);
-- HAVING, evaluated by each participant on the customers it merged
SELECT * FROM pg_temp.three_ways($$
    SELECT customer_id, rfm_summary(ordered_at, amount, date '2026-06-30') AS s
      FROM orders GROUP BY customer_id HAVING frequency(rfm_summary(ordered_at, amount, date '2026-06-30')) > 50$$);

-- budgets of 64 kB: every participant's table fills (its customers are
-- written out and it starts again), each partition spills when merged
SET work_mem = '64kB';
SET hash_mem_multiplier = 1;
SELECT * FROM pg_temp.three_ways($$
    SELECT customer_id, rfm_summary(ordered_at, amount, date '2026-06-30', interval '6 months')
      FROM orders GROUP BY customer_id$$);
RESET work_mem;
RESET hash_mem_multiplier;

-- the leader only gathers: the workers write and merge everything
SET parallel_leader_participation = off;
SELECT * FROM pg_temp.three_ways($$
    SELECT customer_id, rfm_summary(ordered_at, amount, date '2026-06-30', interval '6 months')
      FROM orders GROUP BY customer_id$$);
RESET parallel_leader_participation;

-- no worker launches: the leader, the one participant that attaches, is
-- not held at the barrier by the two planned; it merges all 16 partitions
SET max_parallel_workers = 0;
SELECT line FROM (
    SELECT regexp_replace(line, '(rows=[0-9]+)\.00 ', '\1 ', 'g') AS line
      FROM pg_temp.explain_lines($$
          SELECT customer_id, rfm_summary(ordered_at, amount, date '2026-06-30') FROM orders GROUP BY customer_id$$) AS line) l
 WHERE line !~ 'Peak Memory';
SELECT * FROM pg_temp.three_ways($$
    SELECT customer_id, rfm_summary(ordered_at, amount, date '2026-06-30', interval '6 months')
      FROM orders GROUP BY customer_id$$);
-- 20,000 customers of 2 orders at the smallest budget (64kB): 16
-- partitions of 1,250 customers would not fit the merging table, and each
-- would spill when merged (Batches above 1); the exchange takes as many
-- partitions as the customers need
CREATE TABLE many_orders (customer_id int, ordered_at date, amount numeric(10,2))
  WITH (autovacuum_enabled = off);
INSERT INTO many_orders
SELECT i % 20000, date '2025-01-01' + i % 500, i % 100 FROM generate_series(1, 40000) i;
ANALYZE many_orders;
SET work_mem = '64kB';
SET hash_mem_multiplier = 1;
SELECT line FROM (
    SELECT regexp_replace(line, '(rows=[0-9]+)\.00 ', '\1 ', 'g') AS line
      FROM pg_temp.explain_lines($$
          SELECT customer_id, rfm_summary(ordered_at, amount, date '2026-06-30') FROM many_orders GROUP BY customer_id$$) AS line) l
 WHERE line ~ 'Custom Scan|Batches|Partitions Merged';
SELECT * FROM pg_temp.three_ways($$
    SELECT customer_id, rfm_summary(ordered_at, amount, date '2026-06-30', interval '6 months')
      FROM many_orders GROUP BY customer_id$$);
RESET hash_mem_multiplier;
RESET work_mem;
DROP TABLE many_orders;
RESET max_parallel_workers;

-- run outside parallel mode: a set-returning SQL function in the select
-- list runs its (parallel) plan a row at a time, so no worker starts and
-- no shared memory is set up: the node groups all the orders alone
CREATE FUNCTION pg_temp.summaries_lazily() RETURNS SETOF text LANGUAGE sql STABLE AS $$
    SELECT customer_id || ' ' || rfm_summary(ordered_at, amount, date '2026-06-30')::text
      FROM orders GROUP BY customer_id $$;
CREATE TEMP TABLE lazily AS SELECT pg_temp.summaries_lazily() AS r;
CREATE TEMP TABLE directly AS
SELECT customer_id || ' ' || rfm_summary(ordered_at, amount, date '2026-06-30')::text AS r
  FROM orders GROUP BY customer_id;
SELECT (SELECT count(*) FROM lazily) AS lazily,
       (SELECT count(*) FROM (TABLE lazily EXCEPT ALL TABLE directly) x) AS only_lazily,
       (SELECT count(*) FROM (TABLE directly EXCEPT ALL TABLE lazily) x) AS only_directly;

-- a rescan: the Gather is the inner side of a nested loop (a left join
-- keeps it there) without a Materialize, run again for each outer row
SET enable_material = off;
SET enable_hashjoin = off;
SET enable_mergejoin = off;
EXPLAIN (COSTS OFF)
SELECT v.r, count(*), sum(frequency(g.s))
  FROM (VALUES (0), (1), (2)) v(r)
  LEFT JOIN (SELECT customer_id, rfm_summary(ordered_at, amount, date '2026-06-30') AS s
          FROM orders GROUP BY customer_id) g ON g.customer_id % 3 = v.r
 GROUP BY v.r ORDER BY v.r;
SELECT v.r, count(*), sum(frequency(g.s))
  FROM (VALUES (0), (1), (2)) v(r)
  LEFT JOIN (SELECT customer_id, rfm_summary(ordered_at, amount, date '2026-06-30') AS s
          FROM orders GROUP BY customer_id) g ON g.customer_id % 3 = v.r
 GROUP BY v.r ORDER BY v.r;
SELECT customer_id % 3 AS r, count(*), sum(n)
  FROM (SELECT customer_id, count(*) FILTER (WHERE ordered_at <= date '2026-06-30' AND amount IS NOT NULL) AS n
          FROM orders WHERE customer_id IS NOT NULL GROUP BY customer_id) c
 GROUP BY 1 ORDER BY 1;
RESET enable_material;
RESET enable_hashjoin;
RESET enable_mergejoin;

-- an error in the participants (the aggregate's own, raised by every
-- process that reads such a row) ends the query; nobody waits at the
-- barrier for a participant that failed, and the session goes on
\set VERBOSITY terse
SELECT count(s) FROM (
    SELECT customer_id, rfm_summary(ordered_at, CASE WHEN amount > 99 THEN 'NaN'::numeric ELSE amount END, date '2026-06-30') AS s
      FROM orders GROUP BY customer_id) x;
\set VERBOSITY default
SELECT count(s) FROM (
    SELECT customer_id, rfm_summary(ordered_at, amount, date '2026-06-30') AS s FROM orders GROUP BY customer_id) x;

DROP SCHEMA rfm_test_fast_parallel CASCADE;
