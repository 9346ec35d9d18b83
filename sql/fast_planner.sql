-- The planner's choice of the fast grouping engine (issue 19): a session's
-- first rfm query, HAVING on the engine, partitionwise aggregation, the
-- LIMIT wrapper, costs and the DEBUG reasons.  Plans with COSTS OFF; every
-- shape's rows compared as text with rfm.fast_grouping on and off.
CREATE SCHEMA rfm_test_fast_planner;
SET search_path = rfm_test_fast_planner, public;
SET DateStyle = 'ISO, YMD';
SET TimeZone = 'UTC';
SET max_parallel_workers_per_gather = 0;

-- 48,000 orders of 4,000 customers (ids 1..4000), one customer whose only
-- order is after as_of (a NULL summary)
CREATE TABLE orders (customer_id int, ordered_at timestamptz, amount numeric(12,2));
INSERT INTO orders
SELECT i % 4000 + 1, timestamptz '2026-11-20 00:00+00' - (i * 7 % 730) * interval '1 day',
       (i % 89) + 0.5
  FROM generate_series(1, 40000) i;
-- customers 1..400 order 20 more times in the last 300 days: loyal
INSERT INTO orders
SELECT i % 400 + 1, timestamptz '2026-11-20 00:00+00' - (i % 300) * interval '1 day', 5
  FROM generate_series(1, 8000) i;
INSERT INTO orders VALUES (9999, timestamptz '2026-12-24 00:00+00', 10);
ANALYZE orders;

---------------------------------------------------------------------------
-- A session's first rfm query: nothing has loaded rfm in this session
-- (pg_regress starts each file in a new one and nothing preloads it); the
-- support function of rfm_summary's transition function loads it while the
-- planner costs the aggregate, before the grouping paths are built.
---------------------------------------------------------------------------
SELECT current_setting('rfm.fast_grouping', true) IS NULL AS rfm_not_loaded_yet;
EXPLAIN (COSTS OFF)
SELECT customer_id, rfm_summary(ordered_at, amount, timestamptz '2026-11-23', interval '1 year') AS s
  FROM orders GROUP BY customer_id;
SELECT current_setting('rfm.fast_grouping') AS loaded_setting;
-- the support function is on every transition function and the final function
SELECT count(*) FILTER (WHERE p.proname = 'rfm_summary_trans') AS transition_functions,
       count(*) FILTER (WHERE p.proname = 'rfm_summary_final') AS final_functions
  FROM pg_proc p
 WHERE p.prosupport = 'rfm_summary_trans_support'::regproc;
-- and gives the planner the measured costs: Agg's estimate per row and per
-- group is above what a plain C function would cost (1 cpu_operator_cost),
-- so a tiny input's two plans are near and a large one's far apart
SET rfm.fast_grouping = off;
CREATE FUNCTION pg_temp.total_cost(q text) RETURNS numeric
LANGUAGE plpgsql AS $$
DECLARE
    plan json;
BEGIN
    EXECUTE 'EXPLAIN (FORMAT JSON) ' || q INTO plan;
    RETURN (plan -> 0 -> 'Plan' ->> 'Total Cost')::numeric;
END $$;
SELECT pg_temp.total_cost($$SELECT customer_id, rfm_summary(ordered_at, amount, timestamptz '2026-11-23')
                             FROM orders GROUP BY customer_id$$)
       > pg_temp.total_cost($$SELECT customer_id, count(*), max(ordered_at), sum(amount)
                               FROM orders GROUP BY customer_id$$) AS summary_costs_more_than_count_max_sum;
RESET rfm.fast_grouping;
-- force: the engine whatever the costs; the boolean spellings still work
SET rfm.fast_grouping = force;
SHOW rfm.fast_grouping;
SET rfm.fast_grouping = false;
SHOW rfm.fast_grouping;
SET rfm.fast_grouping = true;
SHOW rfm.fast_grouping;
SET rfm.fast_grouping = sometimes;
RESET rfm.fast_grouping;

-- same(q): rows (as text) only one setting gives, and the plan with the engine
CREATE FUNCTION pg_temp.rows_of(q text, setting text) RETURNS SETOF text
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('rfm.fast_grouping', setting, true);
    RETURN QUERY EXECUTE 'SELECT t::text FROM (' || q || ') t';
END $$;
CREATE FUNCTION pg_temp.plan_of(q text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    line text;
    plan text := '';
BEGIN
    PERFORM set_config('rfm.fast_grouping', 'on', true);
    FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP
        plan := plan || line || E'\n';
    END LOOP;
    RETURN CASE WHEN plan LIKE '%RFM WindowAgg%' THEN 'rfm window / ' ELSE '' END ||
           CASE WHEN plan LIKE '%RFM %HashAggregate%' THEN 'engine'
                WHEN plan LIKE '%HashAggregate%' THEN 'hash agg'
                WHEN plan LIKE '%GroupAggregate%' THEN 'group agg'
                ELSE 'other' END ||
           CASE WHEN plan LIKE '%Filter%' THEN ', filter' ELSE '' END;
END $$;
CREATE FUNCTION pg_temp.same(q text)
RETURNS TABLE (rows bigint, only_on bigint, only_off bigint, plan_on text)
LANGUAGE plpgsql AS $$
DECLARE
    on_rows text[] := ARRAY(SELECT pg_temp.rows_of(q, 'on'));
    off_rows text[] := ARRAY(SELECT pg_temp.rows_of(q, 'off'));
BEGIN
    RETURN QUERY SELECT cardinality(on_rows)::bigint,
        (SELECT count(*) FROM (SELECT unnest(on_rows) EXCEPT ALL SELECT unnest(off_rows)) x),
        (SELECT count(*) FROM (SELECT unnest(off_rows) EXCEPT ALL SELECT unnest(on_rows)) x),
        pg_temp.plan_of(q);
END $$;

---------------------------------------------------------------------------
-- HAVING on the engine: a WHERE on the summary over the grouping subquery
-- is pushed down as HAVING and evaluated on the rows the engine emits.
---------------------------------------------------------------------------
-- the README's nightly view: WHERE s IS NOT NULL, scores on top
EXPLAIN (COSTS OFF)
WITH per_customer AS (
    SELECT customer_id,
           rfm_summary(ordered_at, amount, timestamptz '2026-11-23', interval '1 year') AS s
    FROM orders GROUP BY customer_id
)
SELECT customer_id, s, rfm_score(s) OVER () AS score, rfm_segment(rfm_score(s) OVER ()) AS segment,
       loyalty_class(s) AS loyalty
FROM per_customer WHERE s IS NOT NULL;
-- the scores are ranked from the engine's table: it also holds customer
-- 9999, whose NULL summary no ranking counts, so "s IS NOT NULL" drops no
-- ranked customer; the engine emits the rows that pass (the "same" check
-- below compares the scores with Agg's)
-- (through a helper: BUFFERS OFF, and 18's ".00" row counts left out)
CREATE FUNCTION pg_temp.explain_analyze(q text) RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE line text;
BEGIN
    FOR line IN EXECUTE 'EXPLAIN (ANALYZE, COSTS OFF, BUFFERS OFF, TIMING OFF, SUMMARY OFF) ' || q LOOP
        RETURN NEXT regexp_replace(line, '(rows=[0-9]+)\.00 ', '\1 ', 'g');
    END LOOP;
END $$;
SELECT * FROM pg_temp.explain_analyze($$
WITH per_customer AS (
    SELECT customer_id,
           rfm_summary(ordered_at, amount, timestamptz '2026-11-23', interval '1 year') AS s
    FROM orders GROUP BY customer_id
)
SELECT customer_id, s, rfm_score(s) OVER () AS score
FROM per_customer WHERE s IS NOT NULL$$);
SELECT * FROM pg_temp.same($$
    WITH per_customer AS (
        SELECT customer_id,
               rfm_summary(ordered_at, amount, timestamptz '2026-11-23', interval '1 year') AS s
        FROM orders GROUP BY customer_id
    )
    SELECT customer_id, s, recency(s), frequency(s), monetary(s), rfm_score(s) OVER () AS score,
           rfm_segment(rfm_score(s) OVER ()) AS segment, loyalty_class(s) AS loyalty
    FROM per_customer WHERE s IS NOT NULL$$);
-- the same with the NULL summary's customer first in the engine's table (its
-- only row read first): the filter drops it as the rows are emitted
CREATE TABLE orders_null_first (customer_id int, ordered_at timestamptz, amount numeric(12,2));
INSERT INTO orders_null_first VALUES (5000, timestamptz '2026-12-24 00:00+00', 10);
INSERT INTO orders_null_first SELECT * FROM orders;
ANALYZE orders_null_first;
SELECT * FROM pg_temp.same($$
    WITH per_customer AS (
        SELECT customer_id,
               rfm_summary(ordered_at, amount, timestamptz '2026-11-23', interval '1 year') AS s
        FROM orders_null_first GROUP BY customer_id
    )
    SELECT customer_id, s, rfm_score(s) OVER () AS score, loyalty_class(s) AS loyalty
    FROM per_customer WHERE s IS NOT NULL$$);
-- a filter that drops ranked customers: the others are ranked among
-- themselves, as WindowAgg over Agg ranks them
SELECT * FROM pg_temp.same($$
    SELECT customer_id, rfm_score(s) OVER () FROM (
        SELECT customer_id, rfm_summary(ordered_at, amount, timestamptz '2026-11-23', interval '1 year') AS s
        FROM orders GROUP BY customer_id) q
    WHERE monetary(s) > 250$$);
-- WHERE loyalty_class(s) = 'loyal' over the grouping subquery
EXPLAIN (COSTS OFF)
SELECT * FROM (
    SELECT customer_id, rfm_summary(ordered_at, amount, timestamptz '2026-11-23', interval '1 year') AS s
    FROM orders GROUP BY customer_id) q
WHERE loyalty_class(s) = 'loyal';
SELECT * FROM pg_temp.same($$
    SELECT * FROM (
        SELECT customer_id, rfm_summary(ordered_at, amount, timestamptz '2026-11-23', interval '1 year') AS s
        FROM orders GROUP BY customer_id) q
    WHERE loyalty_class(s) = 'loyal'$$);
-- HAVING written out, on the key and the summary
SELECT * FROM pg_temp.same($$
    SELECT customer_id, rfm_summary(ordered_at, amount, timestamptz '2026-11-23') AS s
    FROM orders GROUP BY customer_id
    HAVING customer_id % 10 = 3 AND monetary(rfm_summary(ordered_at, amount, timestamptz '2026-11-23')) > 300$$);
-- a HAVING that nothing passes
SELECT * FROM pg_temp.same($$
    SELECT customer_id, rfm_summary(ordered_at, amount, timestamptz '2026-11-23') AS s
    FROM orders GROUP BY customer_id HAVING customer_id < 0$$);
-- what stays on Agg, and why
SET client_min_messages = debug1;
EXPLAIN (COSTS OFF)
SELECT customer_id, rfm_summary(ordered_at, amount, timestamptz '2026-11-23') FROM orders
GROUP BY customer_id HAVING count(*) > 1;
EXPLAIN (COSTS OFF)
SELECT customer_id, rfm_summary(ordered_at, amount, timestamptz '2026-11-23') FROM orders
GROUP BY customer_id HAVING random() > 0.5;
-- (its Filter line left out: 17 prints a hashed subplan another way)
CREATE FUNCTION pg_temp.explain_no_filter(q text) RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE line text;
BEGIN
    FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP
        CONTINUE WHEN line ~ '^ *Filter: ';
        RETURN NEXT line;
    END LOOP;
END $$;
SELECT * FROM pg_temp.explain_no_filter($$
SELECT customer_id, rfm_summary(ordered_at, amount, timestamptz '2026-11-23') FROM orders
GROUP BY customer_id HAVING customer_id IN (SELECT 1)$$);
RESET client_min_messages;

---------------------------------------------------------------------------
-- Partitionwise aggregation: the engine is offered above the partitions'
-- Append (each partition's grouping stays on Agg, and DEBUG1 says so when
-- the planner groups per partition)
---------------------------------------------------------------------------
CREATE TABLE part_orders (customer_id int, ordered_at timestamptz, amount numeric(12,2))
    PARTITION BY RANGE (ordered_at);
CREATE TABLE part_orders_old PARTITION OF part_orders FOR VALUES FROM (MINVALUE) TO ('2026-01-01');
CREATE TABLE part_orders_new PARTITION OF part_orders FOR VALUES FROM ('2026-01-01') TO (MAXVALUE);
INSERT INTO part_orders SELECT * FROM orders;
ANALYZE part_orders;
SET enable_partitionwise_aggregate = on;
EXPLAIN (COSTS OFF)
SELECT customer_id, rfm_summary(ordered_at, amount, timestamptz '2026-11-23', interval '1 year')
  FROM part_orders GROUP BY customer_id;
SELECT * FROM pg_temp.same($$
    SELECT customer_id, rfm_summary(ordered_at, amount, timestamptz '2026-11-23', interval '1 year')
      FROM part_orders GROUP BY customer_id$$);
-- grouped by the partition key: the planner groups each partition whole
CREATE TABLE part_by_customer (customer_id int, ordered_at timestamptz, amount numeric(12,2))
    PARTITION BY RANGE (customer_id);
CREATE TABLE part_by_customer_low PARTITION OF part_by_customer FOR VALUES FROM (MINVALUE) TO (2000);
CREATE TABLE part_by_customer_high PARTITION OF part_by_customer FOR VALUES FROM (2000) TO (MAXVALUE);
INSERT INTO part_by_customer SELECT * FROM orders;
ANALYZE part_by_customer;
SET client_min_messages = debug1;
EXPLAIN (COSTS OFF)
SELECT customer_id, rfm_summary(ordered_at, amount, timestamptz '2026-11-23')
  FROM part_by_customer GROUP BY customer_id;
RESET client_min_messages;
SELECT * FROM pg_temp.same($$
    SELECT customer_id, rfm_summary(ordered_at, amount, timestamptz '2026-11-23')
      FROM part_by_customer GROUP BY customer_id$$);
RESET enable_partitionwise_aggregate;

---------------------------------------------------------------------------
-- A BI tool's LIMIT wrapper: with an index on the key, a GroupAggregate
-- reading the first customers in key order stops early; the engine must
-- read every order first.  The planner weighs both (the engine's cost is
-- all startup).  Without an index both read everything: the engine.
---------------------------------------------------------------------------
EXPLAIN (COSTS OFF)
SELECT * FROM (SELECT customer_id, rfm_summary(ordered_at, amount, timestamptz '2026-11-23') AS s
                 FROM orders GROUP BY customer_id) AS source LIMIT 20;
CREATE INDEX orders_customer_id ON orders (customer_id);
EXPLAIN (COSTS OFF)
SELECT * FROM (SELECT customer_id, rfm_summary(ordered_at, amount, timestamptz '2026-11-23') AS s
                 FROM orders GROUP BY customer_id) AS source LIMIT 20;
-- which 20 rows a LIMIT without ORDER BY returns is the plan's business;
-- each is right
SELECT count(*) AS rows, count(*) FILTER (WHERE l.s::text = a.s::text) AS equal_to_agg
  FROM (SELECT * FROM (SELECT customer_id, rfm_summary(ordered_at, amount, timestamptz '2026-11-23') AS s
                         FROM orders GROUP BY customer_id) AS source LIMIT 20) l
  JOIN (SELECT customer_id, rfm_summary(ordered_at, amount, timestamptz '2026-11-23') AS s
          FROM orders GROUP BY customer_id) a USING (customer_id);
DROP INDEX orders_customer_id;

---------------------------------------------------------------------------
-- Costs: the choice holds when the estimate of customers is 10x off either
-- way (n_distinct overridden), and on a table never analyzed.
---------------------------------------------------------------------------
ALTER TABLE orders ALTER COLUMN customer_id SET (n_distinct = 400);
ANALYZE orders;
SELECT pg_temp.plan_of($$SELECT customer_id, rfm_summary(ordered_at, amount, timestamptz '2026-11-23')
                          FROM orders GROUP BY customer_id$$) AS estimate_10x_low;
ALTER TABLE orders ALTER COLUMN customer_id SET (n_distinct = 40000);
ANALYZE orders;
SELECT pg_temp.plan_of($$SELECT customer_id, rfm_summary(ordered_at, amount, timestamptz '2026-11-23')
                          FROM orders GROUP BY customer_id$$) AS estimate_10x_high;
ALTER TABLE orders ALTER COLUMN customer_id RESET (n_distinct);
CREATE TABLE never_analyzed (customer_id int, ordered_at timestamptz, amount numeric(12,2))
    WITH (autovacuum_enabled = off);
INSERT INTO never_analyzed SELECT * FROM orders;
SELECT pg_temp.plan_of($$SELECT customer_id, rfm_summary(ordered_at, amount, timestamptz '2026-11-23')
                          FROM never_analyzed GROUP BY customer_id$$) AS never_analyzed;
-- A text key over a never-analyzed table of 144,003 orders: PostgreSQL
-- counts its default 200 customers, where the engine's estimate is within
-- 10 % of Agg's; the engine is taken (hedge_guessed_groups), Agg's rows.
INSERT INTO never_analyzed SELECT * FROM orders;
INSERT INTO never_analyzed SELECT * FROM orders;
SELECT pg_temp.plan_of($$SELECT 'c' || customer_id AS email, rfm_summary(ordered_at, amount, timestamptz '2026-11-23')
                          FROM never_analyzed GROUP BY 1$$) AS text_key_never_analyzed;
SELECT * FROM pg_temp.same($$SELECT 'c' || customer_id AS email, rfm_summary(ordered_at, amount, timestamptz '2026-11-23')
                             FROM never_analyzed GROUP BY 1$$);
-- analyzed: the costs alone choose (Agg is charged its table's work per customer)
ANALYZE never_analyzed;
SELECT pg_temp.plan_of($$SELECT 'c' || customer_id AS email, rfm_summary(ordered_at, amount, timestamptz '2026-11-23')
                          FROM never_analyzed GROUP BY 1$$) AS text_key_analyzed;
-- the estimate far above work_mem: the engine spills, costed, still chosen
SET work_mem = '64kB';
SET hash_mem_multiplier = 1;
SELECT * FROM pg_temp.same($$SELECT customer_id, rfm_summary(ordered_at, amount, timestamptz '2026-11-23')
                             FROM orders GROUP BY customer_id$$);
RESET work_mem;
RESET hash_mem_multiplier;
-- enable_hashagg = off disables the engine with HashAggregate, and says so
SET enable_hashagg = off;
SET client_min_messages = debug1;
EXPLAIN (COSTS OFF)
SELECT customer_id, rfm_summary(ordered_at, amount, timestamptz '2026-11-23') FROM orders GROUP BY customer_id;
RESET client_min_messages;
RESET enable_hashagg;
-- an empty input says so
SET client_min_messages = debug1;
EXPLAIN (COSTS OFF)
SELECT customer_id, rfm_summary(ordered_at, amount, timestamptz '2026-11-23') FROM orders WHERE false GROUP BY customer_id;
RESET client_min_messages;

DROP SCHEMA rfm_test_fast_planner CASCADE;
