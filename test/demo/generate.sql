-- Deterministic sample for `make demo`: ~200,000 orders of 20,000 customers
-- over the two years before as_of = 2026-11-23 00:00+00.
--
-- Pseudo-randomness is hash-based (md5 of customer/order keys), not random():
-- the same rows come out on every machine, whatever plan or parallelism the
-- server picks. Run with psql; the caller times it.
--
-- Shape, chosen to look like a real shop:
--   * 55% of customers buy once; the others place 2..100 orders, log-uniform
--     but bent toward fewer (u^1.25), which puts the total near 200k.
--   * each customer buys within an activity window inside the two years;
--     30% have stopped: their window ends 6-20 months before as_of, the
--     others' within the last month.
--   * amounts are lognormal: a per-customer base (median 40) times per-order
--     noise; 2% of orders are refunds (negative amounts).

\set ON_ERROR_STOP on
SET client_min_messages = warning;

-- A uniform draw in (0,1) from a key and a salt: the first 52 bits of an md5.
-- In pg_temp, so the demo database keeps only the orders table.
CREATE FUNCTION pg_temp.u(k bigint, salt int) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT (('x' || substr(md5(k::text || ':' || salt::text), 1, 13))::bit(52)::bigint + 0.5)
           / 4503599627370496.0
$$;

-- A standard normal draw (Box-Muller) from two uniforms.
CREATE FUNCTION pg_temp.z(u1 double precision, u2 double precision) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT sqrt(-2 * ln(u1)) * cos(2 * pi() * u2)
$$;

DROP TABLE IF EXISTS orders;
CREATE TABLE orders (
    order_id    bigint PRIMARY KEY,
    customer_id int NOT NULL,
    ordered_at  timestamptz NOT NULL,
    amount      numeric(12,2) NOT NULL
);

INSERT INTO orders (order_id, customer_id, ordered_at, amount)
WITH draws AS (
    SELECT id,
           pg_temp.u(id, 1) < 0.55 AS one_time,
           pg_temp.u(id, 2)        AS u_count,
           pg_temp.u(id, 3) < 0.30 AS lapsed,
           pg_temp.u(id, 4)        AS u_end,
           pg_temp.u(id, 5)        AS u_start,
           pg_temp.z(pg_temp.u(id, 6), pg_temp.u(id, 7)) AS z_base
    FROM generate_series(1, 20000) AS id
), customers AS (
    SELECT id,
           CASE WHEN one_time THEN 1
                ELSE floor(exp(ln(2) + u_count ^ 1.25 * (ln(101) - ln(2))))::int
           END AS n_orders,
           -- Window end, in days before as_of: 6-20 months (30.44 days each)
           -- for customers who stopped, within the last 30 days otherwise.
           CASE WHEN lapsed THEN 30.44 * (6 + 14 * u_end)
                ELSE 30 * u_end
           END AS end_ago,
           40 * exp(0.6 * z_base) AS base_amount
    FROM draws
), windows AS (
    -- The window starts between its end and two years back, biased toward
    -- long windows (sqrt) so few customers cram many orders into a few days.
    SELECT c.*, end_ago + sqrt(pg_temp.u(id, 8)) * (730 - end_ago) AS start_ago
    FROM customers AS c
), lines AS (
    SELECT w.id AS customer_id,
           i,
           -- Order time: uniform inside the window, to the second.
           date_trunc('second',
               timestamptz '2026-11-23 00:00+00'
               - make_interval(secs => 86400 * (w.end_ago
                   + pg_temp.u(w.id * 1000 + i, 11) * (w.start_ago - w.end_ago)))) AS ordered_at,
           greatest(1.00, round((w.base_amount
               * exp(0.35 * pg_temp.z(pg_temp.u(w.id * 1000 + i, 12),
                                      pg_temp.u(w.id * 1000 + i, 13))))::numeric, 2))
           * CASE WHEN pg_temp.u(w.id * 1000 + i, 14) < 0.02 THEN -1 ELSE 1 END AS amount
    FROM windows AS w
    CROSS JOIN LATERAL generate_series(1, w.n_orders) AS i
)
-- Order ids follow time, as a real shop's would.
SELECT row_number() OVER (ORDER BY ordered_at, customer_id, i),
       customer_id, ordered_at, amount
FROM lines;

CREATE INDEX ON orders (customer_id);
ANALYZE orders;

-- Customer attributes for profiles (README "From segment to action"): age
-- band, region, channel, drawn from the same per-customer draws as the
-- orders, so they go with behaviour the way a real shop's would: repeat
-- buyers lean to the app and to their thirties, one-time buyers to the web
-- and the store, and half of those who stopped live in the west (where, in
-- this story, a branch closed).
DROP TABLE IF EXISTS customer_attributes;
CREATE TABLE customer_attributes (
    customer_id int PRIMARY KEY,
    age_band    text NOT NULL,
    region      text NOT NULL,
    channel     text NOT NULL
);
INSERT INTO customer_attributes
SELECT id,
       CASE WHEN a < 0.18 THEN '18-29'
            WHEN a < CASE WHEN one_time THEN 0.45 ELSE 0.62 END THEN '30-39'
            WHEN a < CASE WHEN one_time THEN 0.70 ELSE 0.80 END THEN '40-49'
            WHEN a < 0.92 THEN '50-64'
            ELSE '65+' END,
       CASE WHEN lapsed AND r < 0.5 THEN 'west'
            ELSE (ARRAY['north', 'south', 'east', 'west', 'central'])[1 + floor(5 * pg_temp.u(id, 23))::int] END,
       CASE WHEN one_time THEN CASE WHEN c < 0.55 THEN 'web' WHEN c < 0.85 THEN 'store' ELSE 'app' END
            ELSE CASE WHEN c < 0.50 THEN 'app' WHEN c < 0.85 THEN 'web' ELSE 'store' END END
FROM (SELECT id,
             pg_temp.u(id, 1) < 0.55 AS one_time,
             pg_temp.u(id, 3) < 0.30 AS lapsed,
             pg_temp.u(id, 20) AS a,
             pg_temp.u(id, 21) AS r,
             pg_temp.u(id, 22) AS c
      FROM generate_series(1, 20000) AS id) AS d;
ANALYZE customer_attributes;
