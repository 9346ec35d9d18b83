--
-- rfm_history on the fast grouping engine (issue 21): SELECT key,
-- rfm_history(...) ... GROUP BY key runs on "RFM History HashAggregate"
-- and gives, row for row and as text, what the built-in Agg gives
-- (rfm.fast_grouping = off): hand-checked figures, every argument type,
-- ties, refunds, orders after as_of, NULLs, the spill path at a tiny
-- work_mem, the same errors, and the planner's choice and its reasons.
--
CREATE SCHEMA rfm_test_fast_history;
SET search_path = rfm_test_fast_history, public;
SET DateStyle = 'ISO, YMD';
SET TimeZone = 'UTC';
SET max_parallel_workers_per_gather = 0;

-- 30,000 orders of 3,000 customers over 800 days to the hour, 10 days of
-- them after as_of; amounts with 0 to 3 decimals, refunds; NULL keys,
-- dates and amounts here and there
CREATE TABLE orders AS
SELECT CASE WHEN i % 997 = 0 THEN NULL ELSE i % 3000 + 1 END AS customer_id,
       CASE WHEN i % 1013 = 0 THEN NULL
            ELSE timestamptz '2026-12-03 00:00+00' - ((i::bigint * 7919) % (800 * 24)) * interval '1 hour'
       END AS ordered_at,
       CASE WHEN i % 1009 = 0 THEN NULL
            ELSE round(((i * 37) % 20000 - 900) / 100.0 + (i % 7) / 1000.0, i % 4)
       END AS amount
  FROM generate_series(1, 30000) i;
ANALYZE orders;

---------------------------------------------------------------------------
-- A session's first rfm_history query: nothing has loaded rfm yet; the
-- support function of rfm_history's transition function loads it while
-- the planner costs the aggregate, and with analyzed statistics at default
-- settings the planner takes the engine.
---------------------------------------------------------------------------
SELECT current_setting('rfm.fast_grouping', true) IS NULL AS rfm_not_loaded_yet;
EXPLAIN (COSTS OFF)
SELECT customer_id, rfm_history(ordered_at, amount, timestamptz '2026-11-23', interval '1 day') AS h
  FROM orders GROUP BY customer_id;
SELECT current_setting('rfm.fast_grouping') AS loaded_setting;
SELECT count(*) FILTER (WHERE p.proname = 'rfm_history_trans') AS transition_functions,
       count(*) FILTER (WHERE p.proname = 'rfm_history_final') AS final_functions,
       count(*) FILTER (WHERE p.proname IN ('rfm_history_combine', 'rfm_history_serialize',
                                             'rfm_history_deserialize')) AS state_functions
  FROM pg_proc p
 WHERE p.prosupport = 'rfm_history_trans_support'::regproc;

-- rows_of(q, setting): the query's rows as text under one rfm.fast_grouping
CREATE FUNCTION pg_temp.rows_of(q text, setting text) RETURNS SETOF text
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('rfm.fast_grouping', setting, true);
    RETURN QUERY EXECUTE 'SELECT t::text FROM (' || q || ') t';
END $$;
-- plan_of(q, setting): the node that grouped
CREATE FUNCTION pg_temp.plan_of(q text, setting text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    line text;
    plan text := '';
BEGIN
    PERFORM set_config('rfm.fast_grouping', setting, true);
    FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP
        plan := plan || line || E'\n';
    END LOOP;
    RETURN CASE WHEN plan LIKE '%RFM History HashAggregate%' THEN 'engine'
                WHEN plan LIKE '%HashAggregate%' THEN 'hash agg'
                WHEN plan LIKE '%GroupAggregate%' THEN 'group agg'
                ELSE 'other' END ||
           CASE WHEN plan LIKE '%Filter%' THEN ', filter' ELSE '' END;
END $$;
-- same(q): groups, rows only one side has (EXCEPT ALL both ways), both plans
-- (force: the engine wherever the shape allows; off: Agg)
CREATE FUNCTION pg_temp.same(q text)
RETURNS TABLE (groups bigint, only_engine bigint, only_agg bigint, engine_plan text, agg_plan text)
LANGUAGE plpgsql AS $$
DECLARE
    engine text[] := ARRAY(SELECT pg_temp.rows_of(q, 'force'));
    agg text[] := ARRAY(SELECT pg_temp.rows_of(q, 'off'));
BEGIN
    RETURN QUERY SELECT cardinality(engine)::bigint,
        (SELECT count(*) FROM (SELECT unnest(engine) EXCEPT ALL SELECT unnest(agg)) x),
        (SELECT count(*) FROM (SELECT unnest(agg) EXCEPT ALL SELECT unnest(engine)) x),
        pg_temp.plan_of(q, 'force'), pg_temp.plan_of(q, 'off');
END $$;
-- explain_analyze(q): EXPLAIN ANALYZE's lines the same on every version
-- (BUFFERS OFF, 18's ".00" row counts left out), the engine forced
CREATE FUNCTION pg_temp.explain_analyze(q text) RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE line text;
BEGIN
    PERFORM set_config('rfm.fast_grouping', 'force', true);
    FOR line IN EXECUTE 'EXPLAIN (ANALYZE, COSTS OFF, BUFFERS OFF, TIMING OFF, SUMMARY OFF) ' || q LOOP
        RETURN NEXT regexp_replace(line, '(rows=[0-9]+)\.00 ', '\1 ', 'g');
    END LOOP;
END $$;

---------------------------------------------------------------------------
-- Hand-checked: as of 2026-11-23, days.
--   1: 11-01 10.00 + 5.50 (one period), 11-10 -3.25 (refund), 11-20 7.125
--      -> x = 2, t_x = 19, T = 22, monetary_value = (-3.25 + 7.125) / 2 = 1.9375
--   2: one order on as_of -> x = 0, t_x = 0, T = 0, monetary_value = 0
--   3: its only order after as_of -> NULL
--   4: 10-01 1 + 2, 10-02 3 + 4 -> x = 1, t_x = 1, T = 53, monetary_value = 7
--   5: a NULL amount only -> NULL (the row is skipped, the group exists)
--   6: 11-03 3.333, 11-01 1.1, 11-02 2.22 (out of order, three scales)
--      -> x = 2, t_x = 2, T = 22, monetary_value = (2.22 + 3.333) / 2 = 2.7765
--   NULL: 11-22 1.5, 11-21 2.5 -> x = 1, t_x = 1, T = 2, monetary_value = 1.5
--   the ends of bigint: 11-22 1 -> x = 0, T = 1; 11-20 2 -> x = 0, T = 3
---------------------------------------------------------------------------
CREATE TABLE hand (customer_id bigint, ordered_at timestamptz, amount numeric);
INSERT INTO hand VALUES
    (1, '2026-11-01 09:00', 10.00), (1, '2026-11-01 18:30', 5.50),
    (1, '2026-11-10 12:00', -3.25), (1, '2026-11-20 23:59:59', 7.125),
    (2, '2026-11-23 00:00', 4),
    (3, '2026-12-01 00:00', 100),
    (4, '2026-10-01 08:00', 1), (4, '2026-10-01 09:00', 2),
    (4, '2026-10-02 08:00', 3), (4, '2026-10-02 09:00', 4),
    (5, '2026-11-01 00:00', NULL),
    (6, '2026-11-03 00:00', 3.333), (6, '2026-11-01 00:00', 1.1), (6, '2026-11-02 00:00', 2.22),
    (NULL, '2026-11-22 10:00', 1.5), (NULL, '2026-11-21 10:00', 2.5),
    (9223372036854775807, '2026-11-22 00:00', 1), (-9223372036854775808, '2026-11-20 00:00', 2);
SET rfm.fast_grouping = force;
EXPLAIN (COSTS OFF)
SELECT customer_id, rfm_history(ordered_at, amount, timestamptz '2026-11-23', interval '1 day') AS h
  FROM hand GROUP BY customer_id;
SELECT customer_id, rfm_history(ordered_at, amount, timestamptz '2026-11-23', interval '1 day') AS h
  FROM hand GROUP BY customer_id ORDER BY customer_id;
RESET rfm.fast_grouping;
SELECT * FROM pg_temp.same($$
    SELECT customer_id, rfm_history(ordered_at, amount, timestamptz '2026-11-23', interval '1 day')
      FROM hand GROUP BY customer_id$$);

---------------------------------------------------------------------------
-- Every argument type: dates, timestamps and timestamptz; numeric, float8,
-- bigint and integer amounts; smallint, integer and bigint keys; units of
-- a day, a week and 36 hours.  Same rows as text, every customer.
---------------------------------------------------------------------------
SELECT * FROM pg_temp.same($$
    SELECT customer_id, rfm_history(ordered_at, amount, timestamptz '2026-11-23', interval '1 day')
      FROM orders GROUP BY customer_id$$);
SELECT * FROM pg_temp.same($$
    SELECT customer_id::smallint, rfm_history(ordered_at::date, amount::float8, date '2026-11-23', interval '7 days')
      FROM orders GROUP BY 1$$);
SELECT * FROM pg_temp.same($$
    SELECT customer_id::bigint, rfm_history(ordered_at::timestamp, (amount * 1000)::bigint, timestamp '2026-11-23 12:00', interval '36 hours')
      FROM orders GROUP BY 1$$);
SELECT * FROM pg_temp.same($$
    SELECT customer_id, rfm_history(ordered_at, (amount * 100)::int, timestamptz '2026-11-23', interval '1 day')
      FROM orders GROUP BY customer_id$$);
SELECT * FROM pg_temp.same($$
    SELECT customer_id, rfm_history(ordered_at::date, amount, date '2026-11-23', interval '1 day')
      FROM orders GROUP BY customer_id$$);
SELECT * FROM pg_temp.same($$
    SELECT customer_id, rfm_history(ordered_at::timestamp, amount::float8 / 3, timestamp '2026-11-23', interval '1 day')
      FROM orders GROUP BY customer_id$$);
-- expressions of the key and the history; a constant unit written as an expression
SELECT * FROM pg_temp.same($$
    SELECT customer_id % 100 AS k, history_frequency(rfm_history(ordered_at, amount, timestamptz '2026-11-23', interval '1 day' * 7)) AS x,
           history_monetary_value(rfm_history(ordered_at, amount, timestamptz '2026-11-23', interval '1 day' * 7)) AS m
      FROM orders GROUP BY customer_id % 100$$);
-- HAVING on the engine, evaluated on the rows it emits
SELECT * FROM pg_temp.same($$
    SELECT customer_id, rfm_history(ordered_at, amount, timestamptz '2026-11-23', interval '1 day') AS h
      FROM orders GROUP BY customer_id
    HAVING history_frequency(rfm_history(ordered_at, amount, timestamptz '2026-11-23', interval '1 day')) > 8$$);
-- as_of from the outer query (a parameter): the engine is rescanned for each
-- as_of, and builds its table again
SELECT * FROM pg_temp.same($$
    SELECT d.as_of, x.customer_id, x.h
      FROM (VALUES (timestamptz '2026-11-23'), (timestamptz '2026-06-01'), (timestamptz '2025-01-01')) d(as_of),
           LATERAL (SELECT customer_id, rfm_history(ordered_at, amount, d.as_of, interval '1 day') AS h
                      FROM orders GROUP BY customer_id) x$$);
-- as_of or unit NULL: every row is skipped, every history NULL, on both
SELECT * FROM pg_temp.same($$
    SELECT customer_id, rfm_history(ordered_at, amount, NULL::timestamptz, interval '1 day')
      FROM orders GROUP BY customer_id$$);
SELECT count(*) FILTER (WHERE h IS NULL) AS null_histories, count(*) AS customers
  FROM (SELECT customer_id, rfm_history(ordered_at, amount, timestamptz '2026-11-23', NULL::interval) AS h
          FROM orders GROUP BY customer_id) x;

---------------------------------------------------------------------------
-- Spilling: at work_mem = 64kB the 3,000 customers do not fit; the engine
-- writes every customer to files by hash and reads each file back (some
-- again, a level deeper), with the same rows; EXPLAIN ANALYZE says so.
---------------------------------------------------------------------------
SET work_mem = '64kB';
CREATE FUNCTION pg_temp.spill_figures(q text)
RETURNS TABLE (customers bigint, batches_over_1 boolean, spilled_records_over_0 boolean)
LANGUAGE plpgsql AS $$
DECLARE
    plan text := '';
    line text;
BEGIN
    FOR line IN SELECT * FROM pg_temp.explain_analyze(q) LOOP
        plan := plan || line || E'\n';
    END LOOP;
    RETURN QUERY SELECT substring(plan FROM 'Customers: ([0-9]+)')::bigint,
                        substring(plan FROM 'Batches: ([0-9]+)')::int > 1,
                        substring(plan FROM 'Spilled Records: ([0-9]+)')::bigint > 0;
END $$;
SELECT * FROM pg_temp.spill_figures($$
    SELECT customer_id, rfm_history(ordered_at, amount, timestamptz '2026-11-23', interval '1 day')
      FROM orders GROUP BY customer_id$$);
SELECT * FROM pg_temp.same($$
    SELECT customer_id, rfm_history(ordered_at, amount, timestamptz '2026-11-23', interval '1 day')
      FROM orders GROUP BY customer_id$$);
SELECT * FROM pg_temp.same($$
    SELECT customer_id::bigint, rfm_history(ordered_at::timestamp, (amount * 1000)::bigint, timestamp '2026-11-23 12:00', interval '36 hours')
      FROM orders GROUP BY 1$$);
-- customers 0, 1 and NULL with every order, by the hour: 0 and 1 each
-- have more periods than the budget holds; written out, each is read back
-- alone, and a customer alone in the table is kept whole past the budget
-- (it is never split, and not written out again and again)
SELECT * FROM pg_temp.spill_figures($$
    SELECT customer_id % 2 AS k, rfm_history(ordered_at, amount, timestamptz '2026-11-23', interval '1 hour')
      FROM orders GROUP BY 1$$);
SELECT * FROM pg_temp.same($$
    SELECT customer_id % 2 AS k, rfm_history(ordered_at, amount, timestamptz '2026-11-23', interval '1 hour')
      FROM orders GROUP BY 1$$);
RESET work_mem;

---------------------------------------------------------------------------
-- The order of the input: a table written in time brings each customer's
-- periods in order, each told new or not by the entry alone (no customer
-- out of order), and so does the same table read from its middle and
-- around (as a synchronized scan reads it: the later half first, each
-- customer's periods in two runs); when some rows of every 50th customer (those of a
-- month's first 14 days) come 400 days late, some of those customers (at
-- most their 60) are counted through the set.
-- Same histories as Agg either way, in memory and spilled.
---------------------------------------------------------------------------
CREATE TABLE orders_by_time AS SELECT * FROM orders ORDER BY ordered_at, customer_id;
CREATE TABLE orders_wrapped AS
SELECT * FROM orders ORDER BY ordered_at < timestamptz '2025-10-01', ordered_at, customer_id;
CREATE TABLE orders_some_late AS
SELECT * FROM orders
 ORDER BY ordered_at + CASE WHEN customer_id % 50 = 0 AND extract(day FROM ordered_at) < 15
                             THEN interval '400 days' ELSE interval '0' END,
          customer_id;
CREATE FUNCTION pg_temp.out_of_order(q text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    line text;
    plan text := '';
BEGIN
    PERFORM set_config('rfm.fast_grouping', 'force', true);
    FOR line IN EXECUTE 'EXPLAIN (ANALYZE, VERBOSE, COSTS OFF, TIMING OFF, SUMMARY OFF) ' || q LOOP
        plan := plan || line || E'\n';
    END LOOP;
    RETURN substring(plan FROM 'Customers Out of Order: ([0-9]+)')::bigint;
END $$;
SELECT pg_temp.out_of_order($$
    SELECT customer_id, rfm_history(ordered_at, amount, timestamptz '2026-11-23', interval '1 day')
      FROM orders_by_time GROUP BY customer_id$$) AS in_time,
       pg_temp.out_of_order($$
    SELECT customer_id, rfm_history(ordered_at, amount, timestamptz '2026-11-23', interval '1 day')
      FROM orders_wrapped GROUP BY customer_id$$) AS wrapped,
       pg_temp.out_of_order($$
    SELECT customer_id, rfm_history(ordered_at, amount, timestamptz '2026-11-23', interval '1 day')
      FROM orders_some_late GROUP BY customer_id$$) BETWEEN 1 AND 60 AS some_late,
       pg_temp.out_of_order($$
    SELECT customer_id, rfm_history(ordered_at, amount, timestamptz '2026-11-23', interval '1 day')
      FROM orders GROUP BY customer_id$$) > 2000 AS unordered;
SELECT * FROM pg_temp.same($$
    SELECT customer_id, rfm_history(ordered_at, amount, timestamptz '2026-11-23', interval '1 day')
      FROM orders_by_time GROUP BY customer_id$$);
SELECT * FROM pg_temp.same($$
    SELECT customer_id, rfm_history(ordered_at, amount, timestamptz '2026-11-23', interval '1 day')
      FROM orders_some_late GROUP BY customer_id$$);
SELECT * FROM pg_temp.same($$
    SELECT customer_id, rfm_history(ordered_at, amount, timestamptz '2026-11-23', interval '1 day')
      FROM orders_wrapped GROUP BY customer_id$$);
SET work_mem = '64kB';
SELECT * FROM pg_temp.same($$
    SELECT customer_id, rfm_history(ordered_at, amount, timestamptz '2026-11-23', interval '1 day')
      FROM orders_wrapped GROUP BY customer_id$$);
SELECT * FROM pg_temp.spill_figures($$
    SELECT customer_id, rfm_history(ordered_at, amount, timestamptz '2026-11-23', interval '1 day')
      FROM orders_by_time GROUP BY customer_id$$);
SELECT * FROM pg_temp.same($$
    SELECT customer_id, rfm_history(ordered_at, amount, timestamptz '2026-11-23', interval '1 day')
      FROM orders_by_time GROUP BY customer_id$$);
SELECT * FROM pg_temp.same($$
    SELECT customer_id, rfm_history(ordered_at, amount, timestamptz '2026-11-23', interval '6 hours')
      FROM orders_some_late GROUP BY customer_id$$);
SELECT * FROM pg_temp.same($$
    SELECT customer_id % 2 AS k, rfm_history(ordered_at, amount, timestamptz '2026-11-23', interval '1 hour')
      FROM orders_by_time GROUP BY 1$$);
RESET work_mem;

---------------------------------------------------------------------------
-- Randomized: 16 data sets of random orders (keys, instants, amounts of
-- random scale and sign, NULLs, orders after as_of), each under one of four
-- units, every other one at work_mem = 64kB (spilling), in random order,
-- in time, or in time give or take two days (r % 3); every history
-- compared as text.  Only the mismatches are shown: random() differs
-- between PostgreSQL versions.
---------------------------------------------------------------------------
CREATE FUNCTION pg_temp.random_check(n int)
RETURNS TABLE (rounds int, some_histories boolean, mismatches bigint, engine_plans bigint)
LANGUAGE plpgsql AS $$
DECLARE
    r int;
    u interval;
    g bigint := 0;
    m bigint := 0;
    e bigint := 0;
    res record;
BEGIN
    PERFORM setseed(0.21);
    FOR r IN 1..n LOOP
        DROP TABLE IF EXISTS rnd;
        CREATE TEMP TABLE rnd AS
        SELECT * FROM (
        SELECT CASE WHEN random() < 0.01 THEN NULL ELSE (random() * (5 + r * 40))::int END AS k,
               CASE WHEN random() < 0.01 THEN NULL
                    ELSE timestamptz '2026-11-28' - random() * interval '400 days' END AS t,
               CASE WHEN random() < 0.01 THEN NULL
                    ELSE round((random() * 200 - 30)::numeric, (random() * 4)::int) END AS a
          FROM generate_series(1, 100 + r * 300)) o
         ORDER BY CASE r % 3 WHEN 0 THEN 0
                             WHEN 1 THEN extract(epoch FROM t)
                             ELSE extract(epoch FROM t) + random() * 172800 END;
        u := (ARRAY[interval '1 day', interval '7 days', interval '6 hours', interval '30 days'])[1 + r % 4];
        PERFORM set_config('work_mem', CASE WHEN r % 2 = 0 THEN '64kB' ELSE '4MB' END, true);
        SELECT * INTO res FROM pg_temp.same(format(
            'SELECT k, rfm_history(t, a, timestamptz %L, %L::interval) FROM rnd GROUP BY k',
            '2026-11-23', u));
        g := g + res.groups;
        m := m + res.only_engine + res.only_agg;
        e := e + (res.engine_plan = 'engine')::int;
    END LOOP;
    RETURN QUERY SELECT n, g > 0, m, e;
END $$;
SELECT * FROM pg_temp.random_check(16);
RESET work_mem;

---------------------------------------------------------------------------
-- Errors: the aggregate's own, on the engine too
---------------------------------------------------------------------------
SET rfm.fast_grouping = force;
SELECT customer_id, rfm_history(ordered_at, amount, timestamptz 'infinity', interval '1 day')
  FROM hand GROUP BY customer_id;
SELECT customer_id, rfm_history(ordered_at, amount, timestamptz '2026-11-23', interval '1 month')
  FROM hand GROUP BY customer_id;
SELECT customer_id, rfm_history(ordered_at, amount, timestamptz '2026-11-23', interval '0 days')
  FROM hand GROUP BY customer_id;
SELECT k, rfm_history(t, a, timestamptz '2026-11-23', interval '1 day')
  FROM (VALUES (1, timestamptz '-infinity', 1.0)) v(k, t, a) GROUP BY k;
SELECT k, rfm_history(t, a, timestamptz '2026-11-23', interval '1 day')
  FROM (VALUES (1, timestamptz '2026-01-01', 'NaN'::numeric)) v(k, t, a) GROUP BY k;
-- an order at +infinity is after as_of: ignored, no error
SELECT k, rfm_history(t, a, timestamptz '2026-11-23', interval '1 day')
  FROM (VALUES (1, timestamptz 'infinity', 1.0), (1, timestamptz '2026-11-01', 2.0)) v(k, t, a) GROUP BY k;
SET rfm.fast_grouping = off;
SELECT customer_id, rfm_history(ordered_at, amount, timestamptz 'infinity', interval '1 day')
  FROM hand GROUP BY customer_id;
SELECT k, rfm_history(t, a, timestamptz '2026-11-23', interval '1 day')
  FROM (VALUES (1, timestamptz '-infinity', 1.0)) v(k, t, a) GROUP BY k;
RESET rfm.fast_grouping;

---------------------------------------------------------------------------
-- Shapes that stay on Agg, and why (DEBUG1)
---------------------------------------------------------------------------
SET client_min_messages = debug1;
EXPLAIN (COSTS OFF)
SELECT customer_id::text, rfm_history(ordered_at, amount, timestamptz '2026-11-23', interval '1 day')
  FROM orders GROUP BY 1;
EXPLAIN (COSTS OFF)
SELECT customer_id, rfm_history(ordered_at, amount, timestamptz '2026-11-23', interval '1 day'), count(*)
  FROM orders GROUP BY customer_id;
EXPLAIN (COSTS OFF)
SELECT customer_id, rfm_history(ordered_at, amount, ordered_at, interval '1 day')
  FROM orders GROUP BY customer_id;
SET rfm.fast_grouping = off;
EXPLAIN (COSTS OFF)
SELECT customer_id, rfm_history(ordered_at, amount, timestamptz '2026-11-23', interval '1 day')
  FROM orders GROUP BY customer_id;
RESET rfm.fast_grouping;
RESET client_min_messages;

DROP SCHEMA rfm_test_fast_history CASCADE;
