-- Deterministic customer histories for the model fits of `make bench`
-- (test/bench/run_bench.sh).
--
--   psql -v customers=1000000 -f test/bench/generate_fits.sql
--
-- Creates bench_fit(customer_id int, x float8, t_x float8, t float8): one row
-- per customer, in weeks, counted from whole days like rfm_history's daily
-- histories of the CDNOW check (T up to 39 weeks).  Drawn from a Pareto/NBD
-- process with CDNOW's estimates (r = 0.55, alpha = 10.6, s = 0.61,
-- beta = 11.7): purchase and dropout rates from gamma distributions
-- (Wilson-Hilferty's approximation, boosted below shape 1), lifetime
-- exponential, purchases Poisson over the time alive, the last one the
-- largest of x uniform times.  Uniforms from hashint8extended, never
-- random(): the same rows on every run, machine and version.

\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET max_parallel_workers_per_gather = 0;

CREATE FUNCTION pg_temp.u(k bigint, salt bigint) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT ((hashint8extended(k, salt) & 4503599627370495)::float8 + 0.5)
           / 4503599627370496.0::float8
$$;
-- Gamma(shape, 1): Wilson-Hilferty for shape + 1, times U^(1/shape).
CREATE FUNCTION pg_temp.gamma(shape double precision, k bigint, salt bigint) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT greatest(1e-12, (shape + 1) * power(greatest(0, 1 - 1 / (9 * (shape + 1))
                 + sqrt(-2 * ln(pg_temp.u(k, salt))) * cos(2 * pi() * pg_temp.u(k, salt + 1))
                   / sqrt(9 * (shape + 1))), 3))
           * power(pg_temp.u(k, salt + 2), 1 / shape)
$$;
-- Poisson(mean) by inversion of its CDF at u (normal above a mean of 100).
CREATE FUNCTION pg_temp.poisson(mean double precision, u double precision) RETURNS integer
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    k integer := 0; p double precision := exp(-mean); c double precision := exp(-mean);
BEGIN
    IF mean > 100 THEN
        RETURN greatest(0, round(mean + sqrt(mean) * sqrt(-2 * ln(u)) * cos(2 * pi() * u * 7919)));
    END IF;
    WHILE c < u AND k < 10000 LOOP
        k := k + 1; p := p * mean / k; c := c + p;
    END LOOP;
    RETURN k;
END $$;

DROP TABLE IF EXISTS bench_fit;
CREATE TABLE bench_fit AS
WITH c AS (
    SELECT i AS customer_id,
           pg_temp.gamma(0.55, i, 10) / 10.6 AS lambda,
           pg_temp.gamma(0.61, i, 20) / 11.7 AS mu,
           1 + floor(pg_temp.u(i, 30) * 273) AS t_days
      FROM generate_series(1, :customers) AS i),
alive AS (
    SELECT customer_id, lambda, t_days,
           least(t_days, -ln(pg_temp.u(customer_id, 40)) / mu * 7) AS alive_days
      FROM c),
x AS (
    SELECT customer_id, t_days, alive_days,
           pg_temp.poisson(lambda * alive_days / 7, pg_temp.u(customer_id, 50)) AS x
      FROM alive)
SELECT customer_id, x::float8 AS x,
       CASE WHEN x = 0 THEN 0
            ELSE least(t_days, floor(alive_days * power(pg_temp.u(customer_id, 60), 1.0 / x))) / 7 END AS t_x,
       t_days / 7 AS t
  FROM x;
VACUUM (FREEZE, ANALYZE) bench_fit;
