-- Deterministic order table for `make bench` (test/bench/run_bench.sh).
--
--   psql -v orders=1000000 -v customers=100000 -f test/bench/generate.sql
--
-- Creates bench_orders(order_id bigint, customer_id int, ordered_at timestamptz,
-- amount numeric(12,2)) with exactly :orders rows and exactly :customers
-- distinct customers (ids 1..:customers, every one with at least one order),
-- all dated in the two years before as_of = 2026-11-23 00:00+00 (none after).
--
-- Pseudo-randomness comes from PostgreSQL's built-in integer hash
-- (hashint8extended(key, seed)), never random(): the same rows come out on
-- every run and machine, whatever plan or parallelism the server picks.
--
-- Shape (a shop with a long tail and a few heavy buyers):
--   * 50% of customers buy exactly once.
--   * the others share the remaining orders (:orders - :customers) in
--     proportion to a Pareto(alpha 1.2) weight capped at 300x, apportioned
--     exactly by cumulative sums, so the total is exactly :orders. At 10
--     orders per customer on average: median repeat buyer ~ a dozen orders,
--     the heaviest ones a few thousand.
--   * each customer buys inside an activity window within the two years;
--     30% have stopped (window ends 6-20 months before as_of), the others'
--     windows end within the last 30 days. Order times are uniform inside
--     the window, to the second.
--   * amounts: per-customer lognormal base (median 40) times per-order
--     lognormal noise, at least 1.00; 2% of orders are refunds (negative).
--   * physical order is by time (order_id follows ordered_at), as in a real
--     shop's table, so customers' orders are scattered over the heap.
--
-- The table is UNLOGGED only to load faster (reads cost the same), then
-- VACUUM (FREEZE, ANALYZE) so no query pays for hint bits or a visibility map.

\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET TimeZone = 'UTC';
SET work_mem = '1GB';           -- the load's one big sort
SET max_parallel_workers_per_gather = 0;   -- same plan on any machine

-- A uniform draw in (0,1) from a key and a salt: 52 bits of the key's hash.
CREATE FUNCTION pg_temp.u(k bigint, salt bigint) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT ((hashint8extended(k, salt) & 4503599627370495)::float8 + 0.5)
           / 4503599627370496.0::float8
$$;

-- A standard normal draw (Box-Muller) from two uniforms.
CREATE FUNCTION pg_temp.z(u1 double precision, u2 double precision) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT sqrt(-2 * ln(u1)) * cos(2 * pi() * u2)
$$;

DROP TABLE IF EXISTS bench_orders;
CREATE UNLOGGED TABLE bench_orders (
    order_id    bigint        NOT NULL,
    customer_id int           NOT NULL,
    ordered_at  timestamptz   NOT NULL,
    amount      numeric(12,2) NOT NULL
);

INSERT INTO bench_orders (order_id, customer_id, ordered_at, amount)
WITH draws AS (
    SELECT id::bigint AS id,
           CASE WHEN pg_temp.u(id, 1) < 0.5 THEN 0
                -- Pareto(1.2) weight in thousandths, capped at 300.
                ELSE round(1000 * least(300, pg_temp.u(id, 2) ^ (-1 / 1.2)))::bigint
           END AS w,
           pg_temp.u(id, 3) < 0.30 AS stopped,
           pg_temp.u(id, 4) AS u_end,
           pg_temp.u(id, 5) AS u_start,
           40 * exp(0.6 * pg_temp.z(pg_temp.u(id, 6), pg_temp.u(id, 7))) AS base_amount
    FROM generate_series(1, :customers) AS id
), apportioned AS (
    -- Orders beyond the first one, apportioned exactly: cum is the running
    -- share floor((orders - customers) * running_weight / total_weight).
    SELECT d.*,
           div((:orders - :customers)::numeric * sum(w) OVER (ORDER BY id),
               greatest(1, sum(w) OVER ()))::bigint AS cum
    FROM draws AS d
), customers AS (
    SELECT id, base_amount,
           1 + cum - coalesce(lag(cum) OVER (ORDER BY id), 0) AS n_orders,
           -- key of this customer's first order: 1..:orders over all orders
           (id - 1) + coalesce(lag(cum) OVER (ORDER BY id), 0) AS k0,
           -- window end, in days before as_of
           CASE WHEN stopped THEN 30.44 * (6 + 14 * u_end) ELSE 30 * u_end END AS end_ago,
           u_start
    FROM apportioned
), windows AS (
    -- The window starts between its end and two years back, biased toward
    -- long windows (sqrt) so few customers cram many orders into a few days.
    SELECT c.*, end_ago + sqrt(u_start) * (730 - end_ago) AS start_ago
    FROM customers AS c
), lines AS (
    SELECT w.id AS customer_id,
           w.k0 + i AS k,
           timestamptz '2026-11-23 00:00+00'
             - floor(86400 * (w.end_ago + pg_temp.u(w.k0 + i, 11) * (w.start_ago - w.end_ago)))
               * interval '1 second' AS ordered_at,
           greatest(1.00, round((w.base_amount
               * exp(0.35 * pg_temp.z(pg_temp.u(w.k0 + i, 12), pg_temp.u(w.k0 + i, 13))))::numeric, 2))
           * CASE WHEN pg_temp.u(w.k0 + i, 14) < 0.02 THEN -1 ELSE 1 END AS amount
    FROM windows AS w
    CROSS JOIN LATERAL generate_series(1, w.n_orders) AS i
)
-- Order ids follow time, as a real shop's would; so does the heap.
SELECT row_number() OVER (ORDER BY ordered_at, k), customer_id, ordered_at, amount
FROM lines
ORDER BY ordered_at, k;

VACUUM (FREEZE, ANALYZE) bench_orders;
