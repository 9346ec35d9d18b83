-- Equivalence of execution strategies: serial, parallel (workers forced),
-- partitionwise aggregation over a partitioned orders table, rfm's own grouping
-- engine (serial and over a Gather), and combining
-- with empty partial states must all give the same rows, compared as text
-- row for row, for rfm_summary and rfm_breaks.
--
-- The partitioned table has four partitions: two ordinary ones, one whose
-- orders are all after as_of (every partial state there is empty), and one
-- whose orders all have a NULL date or amount (skipped like sum() skips).

SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
-- unaligned output: a corrected value never shifts the columns of the others
\pset format unaligned

CREATE TABLE eq_orders (customer_id int NOT NULL, ordered_at timestamptz, amount numeric(14,3))
    PARTITION BY RANGE (customer_id);
CREATE TABLE eq_orders_a PARTITION OF eq_orders FOR VALUES FROM (0) TO (1000);
CREATE TABLE eq_orders_b PARTITION OF eq_orders FOR VALUES FROM (1000) TO (2000);
CREATE TABLE eq_orders_future PARTITION OF eq_orders FOR VALUES FROM (2000) TO (3000);
CREATE TABLE eq_orders_nulls PARTITION OF eq_orders FOR VALUES FROM (3000) TO (4000);

-- deterministic pseudo-random orders; customers 0..1999 appear in both
-- ordinary partitions' ranges by construction of customer_id below
INSERT INTO eq_orders
SELECT c, timestamptz '2026-11-23 00:00+00' - ((i * 7919 + c * 104729) % 900000) * interval '1 minute',
       ((i * 31 + c * 17) % 20000 - 500) / 100.0
FROM generate_series(0, 1999) c, generate_series(1, 8) i;
-- some orders after as_of in the ordinary partitions, and a whole
-- partition of them
INSERT INTO eq_orders
SELECT c, timestamptz '2026-11-23 00:00+00' + (c % 50 + 1) * interval '1 hour', 1
FROM generate_series(0, 2999, 3) c;
-- a partition of rows that are all skipped
INSERT INTO eq_orders
SELECT 3000 + c % 1000, CASE WHEN c % 2 = 0 THEN NULL ELSE timestamptz '2026-01-01 00:00+00' END,
       CASE WHEN c % 2 = 1 THEN NULL ELSE 5 END
FROM generate_series(0, 3999) c;
ANALYZE eq_orders;

-- setup(mode): the planner settings of one strategy, local to the transaction
CREATE FUNCTION pg_temp.setup(mode text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('enable_sort', 'on', true);
    PERFORM set_config('enable_hashagg', 'on', true);
    PERFORM set_config('enable_partitionwise_aggregate', 'off', true);
    PERFORM set_config('max_parallel_workers_per_gather', '0', true);
    PERFORM set_config('cpu_operator_cost', '0.0025', true);
    -- rfm's own grouping (fast_grouping.sql) only in the engine modes
    PERFORM set_config('rfm.fast_grouping', (mode LIKE 'engine%')::text, true);
    IF mode IN ('parallel', 'parallel_partitionwise', 'engine_parallel') THEN
        PERFORM set_config('max_parallel_workers_per_gather', '4', true);
        PERFORM set_config('parallel_setup_cost', '0', true);
        PERFORM set_config('parallel_tuple_cost', '0.01', true);
        -- expensive aggregation makes the planner split it across workers
        PERFORM set_config('cpu_operator_cost', '1', true);
        PERFORM set_config('min_parallel_table_scan_size', '0', true);
        PERFORM set_config('parallel_leader_participation', 'off', true);
    END IF;
    IF mode IN ('partitionwise', 'parallel_partitionwise') THEN
        PERFORM set_config('enable_partitionwise_aggregate', 'on', true);
    END IF;
    IF mode = 'hash' THEN
        PERFORM set_config('enable_sort', 'off', true);
    ELSIF mode = 'sort' THEN
        PERFORM set_config('enable_hashagg', 'off', true);
    END IF;
END $$;

-- run(mode, query): the query's rows as text, in order, under one strategy
CREATE FUNCTION pg_temp.run(mode text, q text) RETURNS SETOF text
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_temp.setup(mode);
    RETURN QUERY EXECUTE q;
END $$;

-- shape(mode, query): which of Gather (G), Partial Aggregate (P) and rfm's own
-- grouping (E, "RFM HashAggregate" or its parallel node, engine modes only) the
-- plan under that strategy has, so the expected output pins the strategy
CREATE FUNCTION pg_temp.shape(mode text, q text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    line text;
    plan text := '';
BEGIN
    PERFORM pg_temp.setup(mode);
    FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP
        plan := plan || line || E'\n';
    END LOOP;
    RETURN CASE WHEN plan LIKE '%Gather%' THEN 'G' ELSE '-' END
        || CASE WHEN plan LIKE '%Partial %Aggregate%' THEN 'P' ELSE '-' END
        || CASE WHEN plan LIKE '%RFM %HashAggregate%' THEN 'E' ELSE '' END;
END $$;

-- compare(q): every mode's rows equal the serial rows
CREATE FUNCTION pg_temp.compare(q text) RETURNS TABLE (mode text, plan text, rows bigint, same_as_serial boolean)
LANGUAGE plpgsql AS $$
DECLARE
    serial text[];
    other text[];
    m text;
BEGIN
    serial := ARRAY(SELECT pg_temp.run('serial', q));
    FOREACH m IN ARRAY ARRAY['serial', 'hash', 'sort', 'parallel', 'partitionwise', 'parallel_partitionwise', 'engine', 'engine_parallel'] LOOP
        other := ARRAY(SELECT pg_temp.run(m, q));
        mode := m;
        plan := pg_temp.shape(m, q);
        rows := cardinality(other);
        same_as_serial := other = serial;
        RETURN NEXT;
    END LOOP;
END $$;

-- compare_rows(q): the same without the plan shapes
CREATE FUNCTION pg_temp.compare_rows(q text) RETURNS TABLE (mode text, rows bigint, same_as_serial boolean)
LANGUAGE sql AS $$ SELECT mode, rows, same_as_serial FROM pg_temp.compare(q) $$;

---------------------------------------------------------------------------
-- rfm_summary
---------------------------------------------------------------------------
-- per customer (partitionwise: each partition aggregates its own customers)
SELECT * FROM pg_temp.compare($$
    SELECT customer_id || ' ' || coalesce(rfm_summary(ordered_at, amount, timestamptz '2026-11-23 00:00+00', interval '90 days')::text, 'NULL')
    FROM eq_orders GROUP BY customer_id ORDER BY customer_id$$);
-- per group across partitions: partial states merged by the combine
-- function, including the empty ones of the future and NULL partitions
SELECT * FROM pg_temp.compare($$
    SELECT customer_id % 7 || ' ' || coalesce(rfm_summary(ordered_at, amount, timestamptz '2026-11-23 00:00+00')::text, 'NULL')
    FROM eq_orders GROUP BY customer_id % 7 ORDER BY 1$$);
SELECT * FROM pg_temp.compare($$
    SELECT coalesce(rfm_summary(ordered_at, amount::float8, timestamptz '2026-11-23 00:00+00', interval '30 days')::text, 'NULL')
    FROM eq_orders$$);
SELECT * FROM pg_temp.compare($$
    SELECT coalesce(rfm_summary(ordered_at::date, (amount * 1000)::bigint, date '2026-11-23', interval '1 year')::text, 'NULL')
    FROM eq_orders$$);
-- only the partitions whose states are all empty
SELECT * FROM pg_temp.compare($$
    SELECT coalesce(rfm_summary(ordered_at, amount, timestamptz '2026-11-23 00:00+00')::text, 'NULL')
    FROM eq_orders WHERE customer_id >= 2000$$);
-- as_of before every order: every partial state is empty
SELECT * FROM pg_temp.compare($$
    SELECT customer_id % 5 || ' ' || coalesce(rfm_summary(ordered_at, amount, timestamptz '2000-01-01 00:00+00')::text, 'NULL')
    FROM eq_orders GROUP BY customer_id % 5 ORDER BY 1$$);

-- the combine function with empty partial states directly: an empty state
-- (orders only after as_of) on either side changes nothing
SELECT rfm_summary_combine(a, e)::text = a::text AS empty_right,
       rfm_summary_combine(e, a)::text = a::text AS empty_left,
       rfm_summary_final(rfm_summary_combine(e, e)) IS NULL AS both_empty
FROM (SELECT rfm_summary_trans(NULL, timestamptz '2026-11-01 00:00+00', 5::numeric, timestamptz '2026-11-23 00:00+00') AS a,
             rfm_summary_trans(NULL, timestamptz '2026-12-01 00:00+00', 5::numeric, timestamptz '2026-11-23 00:00+00') AS e) x;

-- the window function over summaries built each way gives the same scores
SELECT * FROM pg_temp.compare($$
    WITH s AS (SELECT customer_id, rfm_summary(ordered_at, amount, timestamptz '2026-11-23 00:00+00', interval '90 days') s
               FROM eq_orders GROUP BY customer_id)
    SELECT customer_id || ' ' || coalesce(rfm_score(s) OVER ()::text, 'NULL') || ' ' || coalesce(rfm_score(s, 7) OVER (PARTITION BY customer_id % 3)::text, 'NULL')
    FROM s ORDER BY customer_id$$);

---------------------------------------------------------------------------
-- rfm_breaks
---------------------------------------------------------------------------
CREATE TABLE eq_summaries (g int NOT NULL, s rfm_summary) PARTITION BY LIST (g);
CREATE TABLE eq_summaries_0 PARTITION OF eq_summaries FOR VALUES IN (0);
CREATE TABLE eq_summaries_1 PARTITION OF eq_summaries FOR VALUES IN (1);
CREATE TABLE eq_summaries_2 PARTITION OF eq_summaries FOR VALUES IN (2);
INSERT INTO eq_summaries
SELECT customer_id % 3, rfm_summary(ordered_at, amount, timestamptz '2026-11-23 00:00+00', interval '90 days')
FROM eq_orders WHERE customer_id < 2000 GROUP BY customer_id;
ANALYZE eq_summaries;

-- no NULL summaries: every partial state has keys
SELECT * FROM pg_temp.compare($$SELECT rfm_breaks(s)::text FROM eq_summaries$$);
SELECT * FROM pg_temp.compare($$SELECT b || ' ' || rfm_breaks(s, b)::text FROM eq_summaries, generate_series(2, 9) b GROUP BY b ORDER BY b$$);
SELECT * FROM pg_temp.compare($$SELECT g || ' ' || rfm_breaks(s, 4)::text FROM eq_summaries GROUP BY g ORDER BY g$$);
-- (its parallel partitionwise plan aggregates the outer level partially
-- below the Gather on 15 and 17, entirely above it on 13 and 18: only the
-- Gather is shown for that mode)
SELECT mode, CASE WHEN mode = 'parallel_partitionwise' THEN left(plan, 1) ELSE plan END AS plan,
       rows, same_as_serial
FROM pg_temp.compare($$SELECT (customer_id % 4) || ' ' || rfm_breaks(s)::text FROM
    (SELECT customer_id, rfm_summary(ordered_at, amount, timestamptz '2026-11-23 00:00+00') s FROM eq_orders WHERE customer_id < 2000 GROUP BY customer_id) x
    GROUP BY customer_id % 4 ORDER BY 1$$);
-- cut points reproduce the window's scores whichever way they were made
SELECT * FROM pg_temp.compare($$
    SELECT count(*) FILTER (WHERE rfm_score(s, (SELECT rfm_breaks(s) FROM eq_summaries)) <> sc)::text
    FROM (SELECT s, rfm_score(s) OVER () sc FROM eq_summaries) x$$);

-- Empty partial states of rfm_breaks: a partition (or a worker's share) in
-- which every summary is NULL.  Serial, the result ignores the NULLs; every
-- other strategy must give the same.  (These statements come last: they
-- crashed the server in rfm 0.1, see the report.)
INSERT INTO eq_summaries SELECT 2, NULL FROM generate_series(1, 5000);
CREATE TABLE eq_null_then_rest (s rfm_summary);
INSERT INTO eq_null_then_rest SELECT NULL FROM generate_series(1, 50000);
INSERT INTO eq_null_then_rest SELECT s FROM eq_summaries WHERE s IS NOT NULL;
ANALYZE eq_summaries;
ANALYZE eq_null_then_rest;
SELECT * FROM pg_temp.compare_rows($$SELECT coalesce(rfm_breaks(s)::text, 'NULL') FROM eq_summaries WHERE g = 2 AND s IS NULL$$);
SELECT * FROM pg_temp.compare_rows($$SELECT g || ' ' || coalesce(rfm_breaks(s)::text, 'NULL') FROM eq_summaries GROUP BY g ORDER BY g$$);
SELECT * FROM pg_temp.compare_rows($$SELECT coalesce(rfm_breaks(s, 3)::text, 'NULL') FROM eq_null_then_rest$$);
SELECT * FROM pg_temp.compare_rows($$SELECT coalesce(rfm_breaks(s)::text, 'NULL') FROM eq_summaries$$);

DROP TABLE eq_orders, eq_summaries, eq_null_then_rest;
