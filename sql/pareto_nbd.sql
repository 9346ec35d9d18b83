--
-- pareto_nbd: the Pareto/NBD model (Schmittlein, Morrison & Colombo 1987)
-- on the CDNOW sample, same calibration as the BG/NBD check in prediction
-- (2,357 customers, 1997-01-01 .. 1997-09-30, daily histories counted in
-- weeks).  Published estimates: Fader, Hardie & Lee, "A note on
-- implementing the Pareto/NBD model in MATLAB" (2005), the numbers
-- lifetimes' test_params_out_is_close_to_Hardie_paper checks:
-- r = 0.553, alpha = 10.578, s = 0.606, beta = 11.669; the log-likelihood
-- -9594.98 as Bemmaor & Glady (2012, Table 2) report it for the
-- Pareto/NBD on these data (quoted by CLVTools' tests).
-- Every prediction is checked against an independent plain-SQL derivation
-- (the likelihood's integral by Simpson's rule instead of 2F1), then the
-- fit against data simulated from the model, then hostile inputs.
--
CREATE SCHEMA rfm_test_pareto;
SET search_path = rfm_test_pareto, public;
SET extra_float_digits = 0;
CREATE TABLE raw (line text);
\copy raw FROM 'test/data/CDNOW_sample.txt'
CREATE TABLE cdnow AS
SELECT f[1]::int AS customer_id, to_date(f[3], 'YYYYMMDD') AS ordered_at, f[5]::numeric AS amount
  FROM (SELECT regexp_split_to_array(btrim(line), '\s+') AS f FROM raw) AS s;
CREATE TABLE hist AS
SELECT customer_id, rfm_history(ordered_at, amount, date '1997-09-30', interval '1 day') AS h
  FROM cdnow GROUP BY customer_id;
CREATE TABLE cal AS
SELECT customer_id, history_frequency(h)::float8 AS x, history_recency(h, interval '7 days') AS t_x,
       history_age(h, interval '7 days') AS t
  FROM hist;

----------------------------------------------------------------------------
-- The fit: the paper's estimates to 3 significant digits.
----------------------------------------------------------------------------
CREATE TABLE fit AS SELECT pareto_nbd_fit(h, interval '7 days') AS m FROM hist;
SELECT round(r::numeric, 3) AS r, round(alpha::numeric, 2) AS alpha,
       round(s::numeric, 3) AS s, round(beta::numeric, 2) AS beta,
       round(log_likelihood::numeric, 1) AS ll, customers, unit, converged
  FROM fit, pareto_nbd_parameters(m);

-- The same from (x, t_x, T) in weeks (no unit then), in any row order.
SELECT abs(p.r - q.r) < 1e-9 AND abs(p.alpha - q.alpha) < 1e-7 AND abs(p.s - q.s) < 1e-9
       AND abs(p.beta - q.beta) < 1e-7 AS same_fit, q.unit IS NULL AS no_unit,
       (SELECT pareto_nbd_fit(x, t_x, t) FROM cal)::text
         = (SELECT pareto_nbd_fit(x, t_x, t) FROM (SELECT * FROM cal ORDER BY customer_id DESC) s)::text AS order_independent
  FROM fit, pareto_nbd_parameters(fit.m) p,
       (SELECT pareto_nbd_fit(x, t_x, t) AS m FROM cal) AS f2, pareto_nbd_parameters(f2.m) q;

-- In parallel (bgnbd_fit's partial states, serialized and combined): the same model.
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
CREATE TABLE par AS SELECT pareto_nbd_fit(x, t_x, t) AS m FROM cal;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;
SELECT par.m::text = (SELECT pareto_nbd_fit(x, t_x, t) FROM cal)::text AS same_in_parallel FROM par;

----------------------------------------------------------------------------
-- An independent likelihood: the dead term s int_{t_x}^T (alpha+u)^-(r+x)
-- (beta+u)^-(s+1) du by Simpson's rule over v = ln(alpha+u) (smooth in v),
-- 2000 intervals, no hypergeometric function.
----------------------------------------------------------------------------
CREATE FUNCTION terms(r float8, alpha float8, s float8, beta float8, x float8, t_x float8, t float8,
                      OUT alive float8, OUT dead float8)
LANGUAGE sql IMMUTABLE AS $$
    SELECT power(alpha + t, -(r + x)) * power(beta + t, -s),
           CASE WHEN t_x = t THEN 0 ELSE
           s * (v1 - v0) / 2000 / 3 * sum(CASE WHEN k IN (0, 2000) THEN 1 WHEN k % 2 = 1 THEN 4 ELSE 2 END
                                          * power(alpha + u, 1 - (r + x)) * power(beta + u, -(s + 1)))
           END
      FROM (SELECT ln(alpha + t_x) AS v0, ln(alpha + t) AS v1) AS b,
           LATERAL (SELECT k, exp(v0 + (v1 - v0) * k / 2000) - alpha AS u
                      FROM generate_series(0, 2000) AS k) AS g
     GROUP BY v0, v1
$$;
CREATE FUNCTION ll_sql(r float8, alpha float8, s float8, beta float8, x float8, t_x float8, t float8)
RETURNS float8 LANGUAGE sql IMMUTABLE AS $$
    SELECT lgamma_free + r * ln(alpha) + s * ln(beta) + ln(alive + dead)
      FROM rfm_test_pareto.terms(r, alpha, s, beta, x, t_x, t),
           (SELECT coalesce((SELECT sum(ln(r + j)) FROM generate_series(0, x::int - 1) AS j), 0) AS lgamma_free) AS g
$$;

-- Customers light and heavy, recent and lapsed: the C likelihood and
-- P(alive) against the SQL one.
CREATE TABLE picks AS
SELECT * FROM cal WHERE customer_id IN (4, 18, 21, 1760, 2761)
UNION ALL SELECT 0, 60, 38.5, 39;
SELECT customer_id, x, round(t_x::numeric, 2) AS t_x, round(t::numeric, 2) AS t,
       round(pareto_nbd_log_likelihood(m, x, t_x, t)::numeric, 6) AS ll,
       abs(pareto_nbd_log_likelihood(m, x, t_x, t) - ll_sql(p.r, p.alpha, p.s, p.beta, x, t_x, t)) < 1e-9 AS same_ll,
       round(pareto_nbd_p_alive(m, x, t_x, t)::numeric, 6) AS p_alive,
       abs(pareto_nbd_p_alive(m, x, t_x, t) - (SELECT alive / (alive + dead) FROM terms(p.r, p.alpha, p.s, p.beta, x, t_x, t))) < 1e-10 AS same_p_alive
  FROM picks, fit, pareto_nbd_parameters(m) p ORDER BY customer_id;

-- The customers' log-likelihoods add up to the model's, and moving any
-- parameter by 0.1% either way lowers the sum: a maximum.
CREATE FUNCTION ll_at(m pareto_nbd_model, f1 float8, f2 float8, f3 float8, f4 float8) RETURNS float8
LANGUAGE sql STABLE AS $$
    SELECT sum(pareto_nbd_log_likelihood(
               format('(r=%s, alpha=%s, s=%s, beta=%s)', p.r * f1, p.alpha * f2, p.s * f3, p.beta * f4)::pareto_nbd_model,
               x, t_x, t))
      FROM rfm_test_pareto.cal, pareto_nbd_parameters(m) p
$$;
SELECT abs((SELECT sum(pareto_nbd_log_likelihood(fit.m, x, t_x, t)) FROM cal, fit)
           - (SELECT log_likelihood FROM fit, pareto_nbd_parameters(m))) < 1e-6 AS sum_is_ll,
       bool_and(ll_at(m, f1, f2, f3, f4) < ll_at(m, 1, 1, 1, 1)) AS is_maximum
  FROM fit, (VALUES (1.001, 1, 1, 1), (0.999, 1, 1, 1), (1, 1.001, 1, 1), (1, 0.999, 1, 1),
                    (1, 1, 1.001, 1), (1, 1, 0.999, 1), (1, 1, 1, 1.001), (1, 1, 1, 0.999)) AS v(f1, f2, f3, f4);

----------------------------------------------------------------------------
-- Predictions.  Conditional expectation (Fader & Hardie's derivations
-- note): (r+x)(beta+T)/((alpha+T)(s-1)) [1 - ((beta+T)/(beta+T+t))^(s-1)] P(alive);
-- a new customer's: r beta/(alpha (s-1)) [1 - (beta/(beta+t))^(s-1)].
----------------------------------------------------------------------------
SELECT customer_id, round(pareto_nbd_expected_orders(m, x, t_x, t, 39)::numeric, 6) AS next_39_weeks,
       abs(pareto_nbd_expected_orders(m, x, t_x, t, 39)
           - (p.r + x) * (p.beta + t) / ((p.alpha + t) * (p.s - 1))
             * (1 - power((p.beta + t) / (p.beta + t + 39), p.s - 1)) * pareto_nbd_p_alive(m, x, t_x, t)) < 1e-12 AS same_as_sql
  FROM picks, fit, pareto_nbd_parameters(m) p ORDER BY customer_id;
SELECT horizon, round(pareto_nbd_expected_orders(m, horizon)::numeric, 6) AS new_customer,
       abs(pareto_nbd_expected_orders(m, horizon)
           - p.r * p.beta / (p.alpha * (p.s - 1)) * (1 - power(p.beta / (p.beta + horizon), p.s - 1))) < 1e-12 AS same_as_sql,
       pareto_nbd_expected_orders(m, horizon) = pareto_nbd_expected_orders(m, horizon * interval '7 days') AS same_with_interval
  FROM fit, pareto_nbd_parameters(m) p, (VALUES (1::float8), (39), (78)) AS v(horizon) ORDER BY horizon;
-- From histories: the same numbers as from (x, t_x, T) in weeks.
SELECT customer_id,
       pareto_nbd_expected_orders(m, h, interval '39 weeks') = pareto_nbd_expected_orders(m, c.x, c.t_x, c.t, 39) AS same_expected,
       pareto_nbd_p_alive(m, h) = pareto_nbd_p_alive(m, c.x, c.t_x, c.t) AS same_p_alive
  FROM fit, hist JOIN cal c USING (customer_id) WHERE customer_id IN (4, 1760) ORDER BY customer_id;

-- The holdout: 39 weeks after the calibration, expected repeat purchase days
-- of the 2,357 customers against the ones they made.
SELECT round(sum(pareto_nbd_expected_orders(m, h, interval '39 weeks'))::numeric, 1) AS expected,
       (SELECT count(*) FROM (SELECT DISTINCT customer_id, ordered_at FROM cdnow
                               WHERE ordered_at > date '1997-09-30' AND ordered_at <= date '1997-09-30' + 273) s) AS actual
  FROM fit, hist;

-- Near s = 1 the expectation's (1 - q^(s-1))/(s-1) tends to -ln q, without 0/0.
SELECT round(pareto_nbd_expected_orders('(r=0.5, alpha=10, s=1, beta=12)', 39)::numeric, 9) AS at_s_1,
       round(pareto_nbd_expected_orders('(r=0.5, alpha=10, s=1.000000000001, beta=12)', 39)::numeric, 9) AS next_to_it,
       round((0.5 * 12 / 10.0 * ln(51 / 12.0))::numeric, 9) AS limit_by_hand;

----------------------------------------------------------------------------
-- Heavy buyers and long histories: 2F1 with r+x in the millions, alpha and
-- beta far apart, both branches (alpha >= beta and alpha < beta).
----------------------------------------------------------------------------
SELECT m, x, t_x, t,
       round(pareto_nbd_p_alive(m::pareto_nbd_model, x, t_x, t)::numeric, 6) AS p_alive,
       round(pareto_nbd_expected_orders(m::pareto_nbd_model, x, t_x, t, 52)::numeric, 4) AS next_52,
       round(pareto_nbd_log_likelihood(m::pareto_nbd_model, x, t_x, t)::numeric, 4) AS ll
  FROM (VALUES ('(r=0.55, alpha=10.6, s=0.61, beta=11.7)', 1e6, 990, 1000),
               ('(r=0.55, alpha=10.6, s=0.61, beta=11.7)', 5000, 9000, 10000),
               ('(r=0.55, alpha=10.6, s=0.61, beta=11.7)', 0, 0, 1e6),
               ('(r=0.55, alpha=1000, s=0.61, beta=0.01)', 3, 1, 50),
               ('(r=0.55, alpha=0.01, s=0.61, beta=1000)', 3, 1, 50),
               ('(r=0.55, alpha=10.6, s=0.61, beta=11.7)', 2, 38.999999999, 39)) AS v(m, x, t_x, t);
-- The fit with a heavy buyer of 300 repeat purchases among CDNOW's customers.
SELECT round(r::numeric, 3) AS r, round(alpha::numeric, 2) AS alpha, round(s::numeric, 3) AS s,
       round(beta::numeric, 2) AS beta, converged
  FROM (SELECT pareto_nbd_fit(x, t_x, t) AS m FROM (SELECT x, t_x, t FROM cal UNION ALL SELECT 300, 38, 39) c) f,
       pareto_nbd_parameters(m);
-- With 1,000,000 the maximum moves to alpha ~ 0.004 and beta ~ 10^3 (BG/NBD
-- puts alpha there too): alpha and beta so far apart that the series of
-- young customers would need millions of terms; the fit says it stopped.
-- (The message's iteration count and gradient depend on the platform's
-- floating point: only its beginning is printed.)
DO $$
BEGIN
    PERFORM pareto_nbd_fit(x, t_x, t) FROM (SELECT x, t_x, t FROM rfm_test_pareto.cal UNION ALL SELECT 1e6, 38, 39) c;
    RAISE NOTICE 'fitted';
EXCEPTION WHEN data_exception THEN
    RAISE NOTICE '% (SQLSTATE %)', split_part(SQLERRM, ' after', 1), SQLSTATE;
END $$;

----------------------------------------------------------------------------
-- Simulated from the model: 4,000 customers with r = 0.6, alpha = 8,
-- s = 0.8, beta = 12, observed 20 to 60 weeks.  The generator is the same
-- on every PostgreSQL version and machine: uniforms from hashint8extended
-- (the hash that hash partitioning keeps stable), gamma draws by
-- Marsaglia & Tsang, purchases as exponential gaps while alive.
----------------------------------------------------------------------------
CREATE FUNCTION u(k bigint, salt bigint) RETURNS float8 LANGUAGE sql IMMUTABLE AS $$
    SELECT ((pg_catalog.hashint8extended(k, salt) & 4503599627370495)::float8 + 0.5) / 4503599627370496.0::float8
$$;
-- Gamma(shape, 1) from the uniforms of (k, salt*10000 + i).
CREATE FUNCTION rgamma(shape float8, k bigint, salt bigint) RETURNS float8 LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    a float8 := shape; boost float8 := 1; d float8; c float8; z float8; v float8; i int := 0;
BEGIN
    IF a < 1 THEN
        boost := power(rfm_test_pareto.u(k, salt * 10000), 1 / a);
        a := a + 1;
    END IF;
    d := a - 1.0 / 3; c := 1 / sqrt(9 * d);
    LOOP
        i := i + 1;
        z := sqrt(-2 * ln(rfm_test_pareto.u(k, salt * 10000 + 3 * i)))
             * cos(2 * pi() * rfm_test_pareto.u(k, salt * 10000 + 3 * i + 1));
        v := power(1 + c * z, 3);
        IF v > 0 AND ln(rfm_test_pareto.u(k, salt * 10000 + 3 * i + 2)) < 0.5 * z * z + d - d * v + d * ln(v) THEN
            RETURN d * v * boost;
        END IF;
    END LOOP;
END $$;
-- One customer's (x, t_x, T): purchases at rate lambda until death at rate mu or T.
CREATE FUNCTION simulate(k bigint, r float8, alpha float8, s float8, beta float8,
                         OUT x float8, OUT t_x float8, OUT t float8) LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    lambda float8 := rfm_test_pareto.rgamma(r, k, 1) / alpha;
    mu float8 := rfm_test_pareto.rgamma(s, k, 2) / beta;
    death float8 := -ln(rfm_test_pareto.u(k, 3)) / mu;
    clock float8 := 0; i int := 0;
BEGIN
    t := 20 + 40 * rfm_test_pareto.u(k, 4);
    x := 0; t_x := 0;
    LOOP
        i := i + 1;
        clock := clock - ln(rfm_test_pareto.u(k, 100 + i)) / lambda;
        EXIT WHEN clock > least(death, t);
        x := x + 1; t_x := clock;
    END LOOP;
END $$;
CREATE TABLE sim AS SELECT k, (simulate(k, 0.6, 8, 0.8, 12)).* FROM generate_series(1, 4000) AS k;
SELECT count(*) AS customers, sum(x) AS repeat_purchases, count(*) FILTER (WHERE x = 0) AS one_time_buyers,
       max(x) AS most FROM sim;
CREATE TABLE sim_fit AS SELECT pareto_nbd_fit(x, t_x, t) AS m FROM sim;

-- Standard errors: the inverse of minus the Hessian of the log-likelihood
-- (central differences of the summed pareto_nbd_log_likelihood).
CREATE FUNCTION sim_ll(p float8[]) RETURNS float8 LANGUAGE sql STABLE AS $$
    SELECT sum(pareto_nbd_log_likelihood(format('(r=%s, alpha=%s, s=%s, beta=%s)', p[1], p[2], p[3], p[4])::pareto_nbd_model,
                                          x, t_x, t))
      FROM rfm_test_pareto.sim
$$;
CREATE FUNCTION standard_errors(p float8[]) RETURNS float8[] LANGUAGE plpgsql STABLE AS $$
DECLARE
    h float8[] := ARRAY[p[1] * 1e-3, p[2] * 1e-3, p[3] * 1e-3, p[4] * 1e-3];
    a float8[] := array_fill(0::float8, ARRAY[4, 8]);
    q float8[]; f float8; piv float8; i int; j int; k int;
    e float8[] := array_fill(0::float8, ARRAY[4]);
BEGIN
    FOR i IN 1..4 LOOP
        FOR j IN i..4 LOOP
            f := 0;
            FOR k IN 0..3 LOOP   -- (+,+), (+,-), (-,+), (-,-)
                q := p;
                q[i] := q[i] + (CASE WHEN k < 2 THEN 1 ELSE -1 END) * h[i];
                q[j] := q[j] + (CASE WHEN k % 2 = 0 THEN 1 ELSE -1 END) * h[j];
                f := f + (CASE WHEN k IN (0, 3) THEN 1 ELSE -1 END) * rfm_test_pareto.sim_ll(q);
            END LOOP;
            a[i][j] := -f / (4 * h[i] * h[j]);
            a[j][i] := a[i][j];
        END LOOP;
        a[i][4 + i] := 1;
    END LOOP;
    -- Gauss-Jordan on [-H | I] (positive definite: no pivoting needed)
    FOR i IN 1..4 LOOP
        piv := a[i][i];
        FOR k IN 1..8 LOOP a[i][k] := a[i][k] / piv; END LOOP;
        FOR j IN 1..4 LOOP
            IF j <> i THEN
                piv := a[j][i];
                FOR k IN 1..8 LOOP a[j][k] := a[j][k] - piv * a[i][k]; END LOOP;
            END IF;
        END LOOP;
    END LOOP;
    FOR i IN 1..4 LOOP e[i] := sqrt(a[i][4 + i]); END LOOP;
    RETURN e;
END $$;
-- Each estimate within one standard error of the truth (z = error / SE).
SELECT name, truth, round(estimate::numeric, 3) AS estimate, round(se::numeric, 3) AS se,
       round(((estimate - truth) / se)::numeric, 1) AS z, abs(estimate - truth) < se AS within_1_se
  FROM sim_fit, pareto_nbd_parameters(m) p,
       LATERAL standard_errors(ARRAY[p.r, p.alpha, p.s, p.beta]) AS e,
       LATERAL (VALUES (1, 'r', 0.6, p.r, e[1]), (2, 'alpha', 8, p.alpha, e[2]),
                       (3, 's', 0.8, p.s, e[3]), (4, 'beta', 12, p.beta, e[4])) AS v(i, name, truth, estimate, se)
 ORDER BY i;

----------------------------------------------------------------------------
-- Hostile inputs: a clear error, never NaN.
----------------------------------------------------------------------------
SELECT pareto_nbd_fit(x, t_x, t) FROM cal WHERE false;
SELECT pareto_nbd_fit(x, t_x, t) FROM cal WHERE customer_id = 4;
SELECT pareto_nbd_fit(x, t_x, t) FROM cal WHERE x = 0;
SELECT pareto_nbd_fit(2, 10, 20) FROM generate_series(1, 5);
SELECT pareto_nbd_fit(x, t_x, t) FROM (VALUES (1::float8, 0::float8, 0::float8), (0, 0, 0)) AS v(x, t_x, t);
SELECT pareto_nbd_fit(x, t_x, t) FROM (VALUES (1::float8, 'NaN'::float8, 3::float8), (0, 0, 1)) AS v(x, t_x, t);
SELECT pareto_nbd_fit(x, t_x, t) FROM (VALUES (1::float8, 5::float8, 3::float8), (0, 0, 1)) AS v(x, t_x, t);
SELECT pareto_nbd_fit(x, t_x, t) FROM (VALUES (1.5::float8, 1::float8, 3::float8), (0, 0, 1)) AS v(x, t_x, t);
-- Two customers: a maximum at finite parameters, or an error saying there is none.
\set VERBOSITY terse
SELECT pareto_nbd_fit(x, t_x, t) FROM (VALUES (1::float8, 1::float8, 3::float8), (0, 0, 3)) AS v(x, t_x, t);
\set VERBOSITY default
SELECT pareto_nbd_p_alive(m, 'Infinity', 1, 2) FROM fit;
SELECT pareto_nbd_expected_orders(m, 1, 1, 2, -1) FROM fit;
SELECT pareto_nbd_expected_orders(m, 1, 1, 2, 'NaN') FROM fit;
SELECT pareto_nbd_expected_orders('(r=0.5, alpha=10, s=0.6, beta=12)', interval '1 week');
SELECT pareto_nbd_p_alive('(r=0.5, alpha=10, s=0.6, beta=12)', h) FROM hist WHERE customer_id = 4;
-- alpha and beta so far apart that 2F1's series would need over 10 million terms.
SELECT pareto_nbd_p_alive('(r=0.5, alpha=1e12, s=0.6, beta=1e-3)', 3, 0, 1);
-- The type's text form.
SELECT '(r=0.5, alpha=10, s=0.6, beta=12)'::pareto_nbd_model;
SELECT '(r=0.5, alpha=10, s=0.6, beta=12, ll=-3.5, n=7, unit=7 days, iterations=3, converged)'::pareto_nbd_model;
SELECT '(r=0.5, alpha=10, s=-0.6, beta=12)'::pareto_nbd_model;
SELECT '(r=0.5, alpha=10, s=0.6)'::pareto_nbd_model;
SELECT '(r=0.5, alpha=10, a=0.6, beta=12)'::pareto_nbd_model;
SELECT '(r=0.5, alpha=NaN, s=0.6, beta=12)'::pareto_nbd_model;
SELECT m::text::pareto_nbd_model::text = m::text AS text_round_trip FROM fit;

DROP SCHEMA rfm_test_pareto CASCADE;
