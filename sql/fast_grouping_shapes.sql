--
-- Fast grouping, the shapes people write (issue 19): grouping keys of any
-- hashable type (text, varchar, uuid, numeric, bigint ...), several keys,
-- and count/sum/min/max/avg beside rfm_summary, on the engine; the same
-- rows, as text, as the built-in Agg (rfm.fast_grouping = off).
--
CREATE SCHEMA rfm_test_fast_grouping_shapes;
SET search_path = rfm_test_fast_grouping_shapes, public;
SET DateStyle = 'ISO, YMD';
SET TimeZone = 'UTC';
SET extra_float_digits = 0;
LOAD 'rfm';

-- as in fast_grouping.sql: the rows as text under one setting, the node
-- that grouped, and both compared (EXCEPT ALL both ways); sorting is off on
-- both sides: a Sort before a GroupAggregate reorders the rows of a group,
-- which changes a float sum's last digit and which of 1.0 and 1.00 is shown
-- (the engine adds a group's rows in their order, as HashAggregate does);
-- the engine side is forced (rfm.fast_grouping = force): these tests are
-- about its rows, whatever the costs would choose on tables this small
CREATE FUNCTION pg_temp.rows_of(q text, engine boolean) RETURNS SETOF text
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('rfm.fast_grouping', CASE WHEN engine THEN 'force' ELSE 'off' END, true);
    PERFORM set_config('enable_sort', 'off', true);
    RETURN QUERY EXECUTE 'SELECT t::text FROM (' || q || ') t';
END $$;
CREATE FUNCTION pg_temp.plan_of(q text, engine boolean) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    line text;
    plan text := '';
BEGIN
    PERFORM set_config('rfm.fast_grouping', CASE WHEN engine THEN 'force' ELSE 'off' END, true);
    PERFORM set_config('enable_sort', 'off', true);
    FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP
        plan := plan || line || E'\n';
    END LOOP;
    RETURN CASE WHEN plan LIKE '%RFM %HashAggregate%' THEN 'engine'
                WHEN plan LIKE '%HashAggregate%' THEN 'hash agg'
                WHEN plan LIKE '%GroupAggregate%' THEN 'group agg'
                ELSE 'other' END;
END $$;
-- explain(q): EXPLAIN ANALYZE's lines, the same on every version: BUFFERS
-- OFF (18 shows buffers by default), row counts without 18's ".00"
CREATE FUNCTION pg_temp.explain(q text) RETURNS SETOF text
LANGUAGE plpgsql AS $$
DECLARE
    line text;
BEGIN
    FOR line IN EXECUTE 'EXPLAIN (ANALYZE, COSTS OFF, BUFFERS OFF, TIMING OFF, SUMMARY OFF) ' || q LOOP
        RETURN NEXT regexp_replace(line, '(rows=[0-9]+)\.00 ', '\1 ', 'g');
    END LOOP;
END $$;
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
-- Hand-checked: e-mail keys (text), one NULL customer, as of 2026-11-23
---------------------------------------------------------------------------
CREATE TABLE mail (email text, shop_id int, ordered_at date, amount numeric, qty int, weight float8);
INSERT INTO mail VALUES
    -- 3 orders: count 3, sum 37.50, avg 12.5000000000000000, min 2026-01-01, max 2026-11-01,
    -- avg(weight) 1 (the NULL is skipped); by (shop_id, email) 2 groups: shop 1 sum 30.50
    ('ann@example.com', 1, '2026-11-01', 10.00, 1, 0.5), ('ann@example.com', 1, '2026-06-01', 20.50, 3, 1.5),
    ('ann@example.com', 2, '2026-01-01', 7, 2, NULL),
    -- a NULL amount: count(*) 2, count(amount) 1, sum 5, avg 5.0000000000000000
    ('bob@example.com', 1, '2026-10-01', NULL, NULL, 2), ('bob@example.com', 1, '2026-10-02', 5, 1, 2),
    -- only an order after as_of: a NULL summary, the aggregates see the row
    ('cy@example.com', 1, '2026-12-01', 99, 9, 9),
    -- the NULL customer is one group
    (NULL, 1, '2026-11-20', 7, 1, 1), (NULL, 2, '2026-11-21', 8, 1, 1),
    -- an empty string is a key of its own, not NULL
    ('', 1, '2026-11-22', 1, 1, 1);
ANALYZE mail;
SELECT quote_nullable(email) AS email, rfm_summary(ordered_at, amount, date '2026-11-23') AS s, count(*),
       count(amount) AS counted, sum(amount), avg(amount), min(ordered_at), max(ordered_at), sum(qty) AS qty,
       avg(weight) AS weight
  FROM mail GROUP BY mail.email ORDER BY mail.email NULLS FIRST;
SET rfm.fast_grouping = force;
EXPLAIN (COSTS OFF, VERBOSE)
SELECT email, rfm_summary(ordered_at, amount, date '2026-11-23') AS s, count(*), sum(amount)
  FROM mail GROUP BY email;
SELECT * FROM pg_temp.same($$
    SELECT email, rfm_summary(ordered_at, amount, date '2026-11-23') AS s, count(*), count(amount),
           sum(amount), avg(amount), min(ordered_at), max(ordered_at), sum(qty), avg(qty), sum(weight), avg(weight)
      FROM mail GROUP BY email$$);
RESET rfm.fast_grouping;
-- several keys: GROUP BY shop_id, email (and the other order)
SELECT shop_id, quote_nullable(email) AS email, rfm_summary(ordered_at, amount, date '2026-11-23') AS s, count(*)
  FROM mail GROUP BY shop_id, mail.email ORDER BY shop_id, mail.email NULLS FIRST;
SELECT * FROM pg_temp.same($$
    SELECT shop_id, email, rfm_summary(ordered_at, amount, date '2026-11-23'), count(*), max(amount)
      FROM mail GROUP BY shop_id, email$$);
SELECT * FROM pg_temp.same($$
    SELECT email, shop_id, rfm_summary(ordered_at, amount, date '2026-11-23', interval '3 months'), min(weight)
      FROM mail GROUP BY email, shop_id$$);
-- a key column not in the select list, and expressions of keys and aggregates
SELECT * FROM pg_temp.same($$
    SELECT upper(email), monetary(rfm_summary(ordered_at, amount, date '2026-11-23')) + sum(qty), count(*) * 2
      FROM mail GROUP BY email, shop_id$$);

---------------------------------------------------------------------------
-- Every key type: varchar, uuid, numeric (1.0 and 1.00 are one key: the
-- first seen is shown, as Agg shows it), bigint, smallint with aggregates,
-- date, boolean
---------------------------------------------------------------------------
CREATE TABLE keyed AS
SELECT i, CASE WHEN i % 17 = 0 THEN NULL ELSE ('c' || i % 40)::varchar(20) END AS vc,
       CASE WHEN i % 19 = 0 THEN NULL ELSE md5((i % 40)::text)::uuid END AS u,
       CASE WHEN i % 23 = 0 THEN NULL ELSE round((i % 40)::numeric / 4, i % 3) END AS nk,
       CASE WHEN i % 29 = 0 THEN NULL ELSE (i % 40)::bigint * 100000000000 END AS bk,
       (i % 40)::smallint AS sk, date '2026-01-01' + i % 40 AS dk, i % 3 = 0 AS flag,
       date '2026-01-01' + (i * 7) % 330 AS ordered_at,
       CASE WHEN i % 13 = 0 THEN NULL ELSE round((i % 997)::numeric / 7, i % 4) END AS amount,
       i::bigint * 1000003 AS big, (i % 101)::float8 / 7 AS f
  FROM generate_series(1, 3000) i;
ANALYZE keyed;
-- numeric keys 2.5, 2.50: one group, shown as the first row's (i = 10: 2.5; i = 50: 2.50)
SET rfm.fast_grouping = force;
SELECT nk, rfm_summary(ordered_at, amount, date '2026-11-23') IS NOT NULL AS has_summary, count(*)
  FROM keyed WHERE nk = 2.5 GROUP BY nk;
SELECT nk, rfm_summary(ordered_at, amount, date '2026-11-23') IS NOT NULL AS has_summary, count(*)
  FROM keyed WHERE nk = 2.5 AND i > 40 GROUP BY nk;
SET rfm.fast_grouping = off;
SELECT nk, rfm_summary(ordered_at, amount, date '2026-11-23') IS NOT NULL AS has_summary, count(*)
  FROM keyed WHERE nk = 2.5 AND i > 40 GROUP BY nk;
RESET rfm.fast_grouping;
SELECT k, pg_temp.same(format($$
    SELECT %s, rfm_summary(ordered_at, amount, date '2026-11-23', interval '6 months'), count(*), count(amount),
           sum(amount), avg(amount), min(amount), max(ordered_at), sum(big), avg(big), sum(f), avg(f), max(f)
      FROM keyed GROUP BY %s$$, k, k))
  FROM unnest(ARRAY['vc', 'u', 'nk', 'bk', 'sk', 'dk', 'flag', 'vc, u', 'nk, bk, flag', 'bk, sk', 'i % 7 + 0.5']) k;

---------------------------------------------------------------------------
-- Aggregates: integer sums are bigint (int, smallint) or numeric (bigint),
-- exact; float sums in the rows' order, as Agg adds them; errors as Agg's
---------------------------------------------------------------------------
CREATE TABLE edge (k text, ordered_at date, amount numeric, i4 int, i8 bigint, f float8);
INSERT INTO edge VALUES
    ('a', '2026-01-01', 1, 2147483647, 9223372036854775807, 1e308),
    ('a', '2026-01-02', 2, 2147483647, 9223372036854775807, 0.1),
    ('a', '2026-01-03', 3, -1, -9223372036854775808, 'NaN'),
    ('b', '2026-01-01', 'NaN', NULL, NULL, 'Infinity'),
    ('c', '2026-01-01', 1e-20, 1, 1, -0.0),
    ('d', '2026-01-01', NULL, NULL, NULL, NULL);
ANALYZE edge;
SELECT k, count(i4), sum(i4), avg(i4), sum(i8), avg(i8), min(i8), max(f), min(f), avg(amount), sum(amount)
  FROM edge GROUP BY k ORDER BY k;
SELECT * FROM pg_temp.same($$
    SELECT k, rfm_summary(ordered_at, i4, date '2026-11-23'), count(i4), sum(i4), avg(i4), sum(i8), avg(i8),
           min(i8), max(f), min(f), sum(amount), avg(amount)
      FROM edge WHERE k <> 'b' GROUP BY k$$);
-- a NaN amount: the summary's error on either path (the engine's table is not the reason)
SELECT k, rfm_summary(ordered_at, amount, date '2026-11-23'), sum(amount) FROM edge GROUP BY k;
-- float overflow: PostgreSQL's error, on the engine too
SELECT k, rfm_summary(ordered_at, 1, date '2026-11-23'), sum(f) FROM edge WHERE f IS NOT NULL GROUP BY k;
CREATE TABLE huge AS SELECT 'z' AS k, date '2026-01-01' AS ordered_at, 1e308::float8 AS f, 2147483647 AS i4
  FROM generate_series(1, 2);
ANALYZE huge;
SET rfm.fast_grouping = force;
EXPLAIN (COSTS OFF)
SELECT k, rfm_summary(ordered_at, 1, date '2026-11-23'), sum(f) FROM huge GROUP BY k;
SELECT k, rfm_summary(ordered_at, 1, date '2026-11-23'), sum(f) FROM huge GROUP BY k;
SELECT k, rfm_summary(ordered_at, 1, date '2026-11-23'), avg(f) FROM huge GROUP BY k;
SET rfm.fast_grouping = off;
SELECT k, rfm_summary(ordered_at, 1, date '2026-11-23'), sum(f) FROM huge GROUP BY k;
SELECT k, rfm_summary(ordered_at, 1, date '2026-11-23'), avg(f) FROM huge GROUP BY k;
RESET rfm.fast_grouping;
-- float sums in the order of the rows, whose order changes the last digit
CREATE TABLE floats AS
SELECT 'k' || i % 3 AS k, date '2026-01-01' + i % 100 AS ordered_at, 1 AS amount,
       (CASE WHEN i % 2 = 0 THEN 1e16 ELSE 1 END * (i % 7 - 3))::float8 / 3 AS f
  FROM generate_series(1, 600) i;
ANALYZE floats;
SELECT * FROM pg_temp.same($$
    SELECT k, rfm_summary(ordered_at, amount, date '2026-11-23'), sum(f), avg(f), min(f), max(f)
      FROM floats GROUP BY k$$);
-- empty input: no group
CREATE TABLE nothing AS SELECT * FROM edge WHERE false;
SELECT * FROM pg_temp.same($$
    SELECT k, rfm_summary(ordered_at, amount, date '2026-11-23'), count(*), sum(i8), avg(f) FROM nothing GROUP BY k$$);

---------------------------------------------------------------------------
-- Spilling: stale statistics (10 customers expected, 20,000 arrive) and
-- 64 kB; rows of customers that do not fit are spilled as they came and
-- grouped in later batches.  EXPLAIN ANALYZE says what a customer takes.
---------------------------------------------------------------------------
CREATE TABLE spill (email text, shop_id int, ordered_at date, amount numeric, f float8)
  WITH (autovacuum_enabled = off);
INSERT INTO spill SELECT 'c' || i % 10, 1, date '2026-01-01' + i % 300, i, i FROM generate_series(1, 1000) i;
ANALYZE spill;
INSERT INTO spill
SELECT CASE WHEN i % 7 = 0 THEN NULL ELSE repeat('customer', i % 5) || i % 20000 || '@example.com' END, i % 3,
       date '2026-01-01' + i % 300, CASE WHEN i % 11 = 0 THEN NULL ELSE i % 1000 / 10.0 END, (i % 1000)::float8 / 7
  FROM generate_series(1, 60000) i;
SET work_mem = '64kB';
SET hash_mem_multiplier = 1;
SET rfm.fast_grouping = force;
SELECT * FROM pg_temp.explain($$
SELECT email, rfm_summary(ordered_at, amount, date '2026-06-30'), count(*) FROM spill GROUP BY email$$);
SELECT * FROM pg_temp.same($$
    SELECT email, shop_id, rfm_summary(ordered_at, amount, date '2026-06-30'), count(*), sum(amount), avg(amount),
           max(ordered_at), sum(f), avg(f), min(email)
      FROM spill GROUP BY email, shop_id$$);
RESET work_mem;
-- within the budget (4MB x 2, set: 13 and 14 default to x 1): one batch,
-- and the bytes a customer takes
SET hash_mem_multiplier = 2;
SELECT * FROM pg_temp.explain($$
SELECT email, rfm_summary(ordered_at, amount, date '2026-06-30'), count(*) FROM spill GROUP BY email$$);
RESET hash_mem_multiplier;
RESET rfm.fast_grouping;

-- a generic plan: as_of a parameter, the aggregates beside
SET plan_cache_mode = force_generic_plan;
SET rfm.fast_grouping = force;
PREPARE by_mail(date) AS
SELECT count(*) AS customers, count(s) AS with_orders, sum(frequency(s)) AS orders, sum(n) AS rows, sum(total) AS total
  FROM (SELECT email, rfm_summary(ordered_at, amount, $1) AS s, count(*) AS n, sum(amount) AS total
          FROM spill GROUP BY email) x;
EXPLAIN (COSTS OFF) EXECUTE by_mail('2026-03-01');
EXECUTE by_mail('2026-03-01');
EXECUTE by_mail('2026-06-30');
SET rfm.fast_grouping = off;
PREPARE by_mail_agg(date) AS
SELECT count(*) AS customers, count(s) AS with_orders, sum(frequency(s)) AS orders, sum(n) AS rows, sum(total) AS total
  FROM (SELECT email, rfm_summary(ordered_at, amount, $1) AS s, count(*) AS n, sum(amount) AS total
          FROM spill GROUP BY email) x;
EXPLAIN (COSTS OFF) EXECUTE by_mail_agg('2026-03-01');
EXECUTE by_mail_agg('2026-03-01');
EXECUTE by_mail_agg('2026-06-30');
RESET rfm.fast_grouping;
DEALLOCATE by_mail;
DEALLOCATE by_mail_agg;
RESET plan_cache_mode;

---------------------------------------------------------------------------
-- What stays on Agg, and DEBUG1 says why
---------------------------------------------------------------------------
SET client_min_messages = debug1;
-- (the plan by name: from 16 on Agg sorts on these aggregates' columns too;
-- without JIT, which a disabled sort's cost would make 13-17 load)
SET jit = off;
SELECT pg_temp.plan_of($$
SELECT email, rfm_summary(ordered_at, amount, date '2026-11-23'), count(DISTINCT shop_id) FROM mail GROUP BY email$$, true) AS plan;
SELECT pg_temp.plan_of($$
SELECT email, rfm_summary(ordered_at, amount, date '2026-11-23'), max(amount ORDER BY ordered_at) FROM mail GROUP BY email$$, true) AS plan;
RESET jit;
EXPLAIN (COSTS OFF)
SELECT email, rfm_summary(ordered_at, amount, date '2026-11-23'), sum(amount) FILTER (WHERE qty > 1) FROM mail GROUP BY email;
EXPLAIN (COSTS OFF)
SELECT email, rfm_summary(ordered_at, amount, date '2026-11-23'), sum(amount * random()::numeric) FROM mail GROUP BY email;
EXPLAIN (COSTS OFF)
SELECT email, rfm_summary(ordered_at, amount, date '2026-11-23'), string_agg(email, ',') FROM mail GROUP BY email;
EXPLAIN (COSTS OFF)
SELECT email, shop_id, rfm_summary(ordered_at, amount, date '2026-11-23') FROM mail GROUP BY GROUPING SETS ((email), (shop_id));
EXPLAIN (COSTS OFF)
SELECT qty::bit(8), rfm_summary(ordered_at, amount, date '2026-11-23') FROM mail GROUP BY 1;
EXPLAIN (COSTS OFF)
SELECT (random() * 3)::int, rfm_summary(ordered_at, amount, date '2026-11-23') FROM mail GROUP BY 1;
-- parallel: keys of any type, several keys and the aggregates beside keep
-- the partial and final steps (workers group by the key values, the leader
-- merges: the aggregates' states through their serial, deserial and combine
-- functions, as Agg's parallel plan passes them).  Float sums are left out
-- of these comparisons: a parallel plan adds in another order, on Agg too.
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
SET rfm.fast_grouping = force;
RESET client_min_messages;
EXPLAIN (COSTS OFF, VERBOSE)
SELECT shop_id, rfm_summary(ordered_at, amount, date '2026-06-30'), count(*), sum(amount), avg(amount)
  FROM spill GROUP BY shop_id;
EXPLAIN (COSTS OFF, VERBOSE)
SELECT shop_id, email, rfm_summary(ordered_at, amount, date '2026-06-30') FROM spill GROUP BY shop_id, email;
RESET rfm.fast_grouping;
SELECT * FROM pg_temp.serial_vs_parallel($$
    SELECT email, rfm_summary(ordered_at, amount, date '2026-06-30', interval '3 months') FROM spill GROUP BY email$$);
SELECT * FROM pg_temp.serial_vs_parallel($$
    SELECT shop_id, email, rfm_summary(ordered_at, amount, date '2026-06-30') FROM spill GROUP BY shop_id, email$$);
SELECT * FROM pg_temp.same($$
    SELECT shop_id, email, rfm_summary(ordered_at, amount, date '2026-06-30') FROM spill GROUP BY shop_id, email$$);
SET rfm.fast_grouping = force;
SET enable_sort = off;
EXPLAIN (COSTS OFF)
SELECT email, rfm_summary(ordered_at, amount, date '2026-06-30'), count(*), count(amount), sum(amount),
       avg(amount), max(ordered_at), min(email), sum(shop_id), avg(shop_id), max(f)
  FROM spill GROUP BY email;
RESET enable_sort;
RESET rfm.fast_grouping;
SELECT * FROM pg_temp.serial_vs_parallel($$
    SELECT email, rfm_summary(ordered_at, amount, date '2026-06-30'), count(*), count(amount), sum(amount),
           avg(amount), max(ordered_at), min(email), sum(shop_id), avg(shop_id), max(f)
      FROM spill GROUP BY email$$);
SELECT * FROM pg_temp.same($$
    SELECT email, rfm_summary(ordered_at, amount, date '2026-06-30'), count(*), count(amount), sum(amount),
           avg(amount), max(ordered_at), min(email), sum(shop_id), avg(shop_id), max(f)
      FROM spill GROUP BY email$$);
-- workers and leader that spill (64 kB each)
SET work_mem = '64kB';
SET hash_mem_multiplier = 1;
SET rfm.fast_grouping = force;
EXPLAIN (COSTS OFF)
SELECT email, shop_id, rfm_summary(ordered_at, amount, date '2026-06-30') FROM spill GROUP BY email, shop_id;
RESET rfm.fast_grouping;
SELECT * FROM pg_temp.serial_vs_parallel($$
    SELECT email, shop_id, rfm_summary(ordered_at, amount, date '2026-06-30') FROM spill GROUP BY email, shop_id$$);
SELECT * FROM pg_temp.serial_vs_parallel($$
    SELECT email, rfm_summary(ordered_at, amount, date '2026-06-30'), count(*), sum(amount), avg(amount), min(email)
      FROM spill GROUP BY email$$);
RESET work_mem;
RESET hash_mem_multiplier;
RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;

---------------------------------------------------------------------------
-- Randomized (hash-seeded, the same every run and version): 24 order tables of growing size
-- with NULL keys, amounts and numbers, several key types and every
-- aggregate beside the summary, with and without a period
---------------------------------------------------------------------------
-- A uniform draw in [0, 1) from a hash of (table, row, draw): the same data
-- on every version (random()'s sequence after setseed differs between them).
CREATE FUNCTION pg_temp.u(t int, i int, k int) RETURNS float8 LANGUAGE sql IMMUTABLE AS
$$ SELECT (hashint8((t * 100000 + i) * 16::bigint + k) & 2147483647) / 2147483648.0::float8 $$;
CREATE TABLE rnd AS
SELECT t, CASE WHEN pg_temp.u(t, i, 0) < 0.05 THEN NULL ELSE (pg_temp.u(t, i, 1) * (5 + t * t))::int END AS cid,
       CASE WHEN pg_temp.u(t, i, 2) < 0.05 THEN NULL ELSE 'user' || (pg_temp.u(t, i, 3) * (5 + t * t))::int || '@shop.example' END AS email,
       (pg_temp.u(t, i, 4) * 3)::int AS shop_id,
       CASE WHEN pg_temp.u(t, i, 5) < 0.05 THEN NULL ELSE round((pg_temp.u(t, i, 6) * (5 + t))::numeric, (pg_temp.u(t, i, 7) * 2)::int) END AS nk,
       date '2026-11-23' - (pg_temp.u(t, i, 8) * 500)::int + 30 AS ordered_at,
       CASE WHEN pg_temp.u(t, i, 9) < 0.03 THEN NULL ELSE round((pg_temp.u(t, i, 10) * 220 - 20)::numeric, (pg_temp.u(t, i, 11) * 3)::int) END AS amount,
       CASE WHEN pg_temp.u(t, i, 12) < 0.05 THEN NULL ELSE (pg_temp.u(t, i, 13) * 1e6)::bigint * (pg_temp.u(t, i, 14) * 1e6)::bigint END AS big,
       CASE WHEN pg_temp.u(t, i, 15) < 0.05 THEN NULL ELSE (pg_temp.u(t, i + 50000, 0) - 0.5) * 10 ^ (pg_temp.u(t, i + 50000, 1) * 30) END AS f
  FROM generate_series(1, 24) t, generate_series(1, 20 + 40 * t) i;
ANALYZE rnd;
SELECT count(*) AS queries, sum(groups) AS groups, sum(only_engine + only_agg) AS mismatches,
       count(*) FILTER (WHERE engine_plan = 'engine' AND agg_plan <> 'engine') AS both_plans_as_named
  FROM generate_series(1, 24) t,
       (VALUES ('email'), ('shop_id, email'), ('nk'), ('cid, nk'), ('md5(cid::text)::uuid'), ('email::varchar')) k(key),
       (VALUES (''), (', interval ''90 days''')) p(period),
       LATERAL pg_temp.same(format($$
           SELECT %s, rfm_summary(ordered_at, amount, date '2026-11-23'%s), count(*), count(amount), sum(amount),
                  avg(amount), min(amount), max(ordered_at), sum(big), avg(big), max(big), sum(f), avg(f), min(f)
             FROM rnd WHERE t = %s GROUP BY %s$$, key, period, t, key)) AS c;

DROP SCHEMA rfm_test_fast_grouping_shapes CASCADE;
