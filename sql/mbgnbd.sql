--
-- mbgnbd: the modified BG/NBD model (Batislam, Denizel & Filiztekin 2007)
-- on the CDNOW sample, same calibration as the BG/NBD check in prediction.
-- Published estimates for these customers: r = 0.525, alpha = 6.183,
-- a = 0.891, b = 1.614 (BTYDplus, checked by lifetimes' test
-- test_params_out_is_close_to_BTYDplus to 3 decimals).  Predictions are
-- checked against independent plain-SQL derivations, the fit against data
-- simulated from the model, then hostile inputs.
--
CREATE SCHEMA rfm_test_mbgnbd;
SET search_path = rfm_test_mbgnbd, public;
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

-- The fit: BTYDplus's estimates to 3 decimals.
CREATE TABLE fit AS SELECT mbgnbd_fit(h, interval '7 days') AS m FROM hist;
SELECT round(r::numeric, 3) AS r, round(alpha::numeric, 3) AS alpha,
       round(a::numeric, 3) AS a, round(b::numeric, 3) AS b,
       round(log_likelihood::numeric, 1) AS ll, customers, unit, converged
  FROM fit, mbgnbd_parameters(m);
SELECT (SELECT mbgnbd_fit(x, t_x, t) FROM cal)::text
         = (SELECT mbgnbd_fit(x, t_x, t) FROM (SELECT * FROM cal ORDER BY customer_id DESC) s)::text AS order_independent,
       abs(p.r - q.r) < 1e-9 AND abs(p.b - q.b) < 1e-9 AS same_from_numbers
  FROM fit, mbgnbd_parameters(fit.m) p, (SELECT mbgnbd_fit(x, t_x, t) AS m FROM cal) f2, mbgnbd_parameters(f2.m) q;

-- An independent log-likelihood: Gamma and Beta ratios as finite products.
CREATE FUNCTION ll_sql(r float8, alpha float8, a float8, b float8, x float8, t_x float8, t float8)
RETURNS float8 LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce((SELECT sum(ln(r + j) + ln(b + j + 1) - ln(a + b + j + 1)) FROM generate_series(0, x::int - 1) AS j), 0)
           + ln(b / (a + b))
           + ln(power(alpha / (alpha + t), r) * power(1 / (alpha + t), x)
                + a / (b + x) * power(alpha / (alpha + t_x), r) * power(1 / (alpha + t_x), x))
$$;
SELECT customer_id, x, round(t_x::numeric, 2) AS t_x, round(t::numeric, 2) AS t,
       round(mbgnbd_log_likelihood(m, x, t_x, t)::numeric, 6) AS ll,
       abs(mbgnbd_log_likelihood(m, x, t_x, t) - ll_sql(p.r, p.alpha, p.a, p.b, x, t_x, t)) < 1e-10 AS same_ll,
       round(mbgnbd_p_alive(m, x, t_x, t)::numeric, 6) AS p_alive,
       abs(mbgnbd_p_alive(m, x, t_x, t)
           - 1 / (1 + p.a / (p.b + x) * power((p.alpha + t) / (p.alpha + t_x), p.r + x))) < 1e-12 AS same_p_alive
  FROM cal, fit, mbgnbd_parameters(m) p WHERE customer_id IN (4, 18, 21, 1760, 2761) ORDER BY customer_id;
CREATE FUNCTION ll_at(m mbgnbd_model, f1 float8, f2 float8, f3 float8, f4 float8) RETURNS float8
LANGUAGE sql STABLE AS $$
    SELECT sum(mbgnbd_log_likelihood(
               format('(r=%s, alpha=%s, a=%s, b=%s)', p.r * f1, p.alpha * f2, p.a * f3, p.b * f4)::mbgnbd_model,
               x, t_x, t))
      FROM rfm_test_mbgnbd.cal, mbgnbd_parameters(m) p
$$;
SELECT abs((SELECT ll_at(m, 1, 1, 1, 1) FROM fit) - (SELECT log_likelihood FROM fit, mbgnbd_parameters(m))) < 1e-6 AS sum_is_ll,
       bool_and(ll_at(m, f1, f2, f3, f4) < ll_at(m, 1, 1, 1, 1)) AS is_maximum
  FROM fit, (VALUES (1.001, 1, 1, 1), (0.999, 1, 1, 1), (1, 1.001, 1, 1), (1, 0.999, 1, 1),
                    (1, 1, 1.001, 1), (1, 1, 0.999, 1), (1, 1, 1, 1.001), (1, 1, 1, 0.999)) AS v(f1, f2, f3, f4);

-- A new customer's expected repeat purchases, from the model's definition
-- instead of the 2F1 closed form: sum over k >= 1 of P(still alive after
-- the first purchase and k-1 repeats) = B(a, b+k)/B(a, b) times P(NBD >= k).
CREATE FUNCTION expected_by_definition(r float8, alpha float8, a float8, b float8, t float8) RETURNS float8
LANGUAGE sql IMMUTABLE AS $$
    WITH RECURSIVE s(k, pmf, below, beta_ratio) AS (
        SELECT 0, power(alpha / (alpha + t), r), 0::float8, 1::float8
        UNION ALL
        SELECT k + 1, pmf * (r + k) / (k + 1) * (t / (alpha + t)), below + pmf, beta_ratio * (b + k) / (a + b + k)
          FROM s WHERE k < 20000 AND pmf > 1e-250)
    SELECT sum(beta_ratio * (1 - below)) FROM s WHERE k >= 1
$$;
SELECT horizon, round(mbgnbd_expected_orders(m, horizon)::numeric, 6) AS new_customer,
       abs(mbgnbd_expected_orders(m, horizon) - expected_by_definition(p.r, p.alpha, p.a, p.b, horizon)) < 1e-9 AS same_as_definition,
       mbgnbd_expected_orders(m, horizon) = mbgnbd_expected_orders(m, horizon * interval '7 days') AS same_with_interval
  FROM fit, mbgnbd_parameters(m) p, (VALUES (0.1429::float8), (1), (39), (78)) AS v(horizon) ORDER BY horizon;

-- Conditional expectation against 2F1(r+x, b+x+1; a+b+x; z) summed in a recursive CTE,
-- for the paper's customer (x = 2, t_x = 30.43, T = 38.86, next 39 weeks).
WITH RECURSIVE p AS (SELECT r, alpha, a, b FROM fit, mbgnbd_parameters(m)),
c AS (SELECT 2::float8 AS x, 30.43::float8 AS t_x, 38.86::float8 AS t, 39::float8 AS horizon),
series(k, term) AS (
    SELECT 0, 1::float8
    UNION ALL
    SELECT k + 1, term * (p.r + c.x + k) * (p.b + c.x + 1 + k) / ((p.a + p.b + c.x + k) * (k + 1))
                       * (c.horizon / (p.alpha + c.t + c.horizon))
      FROM series, p, c WHERE k < 2000 AND abs(term) > 1e-200)
SELECT round(mbgnbd_expected_orders(m, 2, 30.43, 38.86, 39)::numeric, 6) AS expected,
       abs(mbgnbd_expected_orders(m, 2, 30.43, 38.86, 39)
           - (p.a + p.b + c.x) / (p.a - 1)
             * (1 - power((p.alpha + c.t) / (p.alpha + c.t + c.horizon), p.r + c.x) * (SELECT sum(term) FROM series))
             * mbgnbd_p_alive(m, c.x, c.t_x, c.t)) < 1e-12 AS same_as_sql
  FROM fit, p, c;
SELECT customer_id,
       mbgnbd_expected_orders(m, h, interval '39 weeks') = mbgnbd_expected_orders(m, c.x, c.t_x, c.t, 39) AS same_expected,
       mbgnbd_p_alive(m, h) = mbgnbd_p_alive(m, c.x, c.t_x, c.t) AS same_p_alive
  FROM fit, hist JOIN cal c USING (customer_id) WHERE customer_id IN (4, 18) ORDER BY customer_id;
SELECT round(sum(mbgnbd_expected_orders(m, h, interval '39 weeks'))::numeric, 1) AS expected_holdout FROM fit, hist;

----------------------------------------------------------------------------
-- Simulated from the model: 5,000 customers with r = 0.5, alpha = 6,
-- a = 0.9, b = 2.5, observed 20 to 60 weeks; hash-based uniforms (the
-- same on every version and machine), gamma draws by Marsaglia & Tsang,
-- p ~ Beta(a, b) as a ratio of gammas.  Dropout with probability p right
-- after the first purchase and after each repeat purchase.
----------------------------------------------------------------------------
CREATE FUNCTION u(k bigint, salt bigint) RETURNS float8 LANGUAGE sql IMMUTABLE AS $$
    SELECT ((pg_catalog.hashint8extended(k, salt) & 4503599627370495)::float8 + 0.5) / 4503599627370496.0::float8
$$;
CREATE FUNCTION rgamma(shape float8, k bigint, salt bigint) RETURNS float8 LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    a float8 := shape; boost float8 := 1; d float8; c float8; z float8; v float8; i int := 0;
BEGIN
    IF a < 1 THEN
        boost := power(rfm_test_mbgnbd.u(k, salt * 10000), 1 / a);
        a := a + 1;
    END IF;
    d := a - 1.0 / 3; c := 1 / sqrt(9 * d);
    LOOP
        i := i + 1;
        z := sqrt(-2 * ln(rfm_test_mbgnbd.u(k, salt * 10000 + 3 * i)))
             * cos(2 * pi() * rfm_test_mbgnbd.u(k, salt * 10000 + 3 * i + 1));
        v := power(1 + c * z, 3);
        IF v > 0 AND ln(rfm_test_mbgnbd.u(k, salt * 10000 + 3 * i + 2)) < 0.5 * z * z + d - d * v + d * ln(v) THEN
            RETURN d * v * boost;
        END IF;
    END LOOP;
END $$;
CREATE FUNCTION simulate(k bigint, r float8, alpha float8, a float8, b float8,
                         OUT x float8, OUT t_x float8, OUT t float8) LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    lambda float8 := rfm_test_mbgnbd.rgamma(r, k, 1) / alpha;
    ga float8 := rfm_test_mbgnbd.rgamma(a, k, 2);
    p float8 := ga / (ga + rfm_test_mbgnbd.rgamma(b, k, 3));
    clock float8 := 0; i int := 0;
BEGIN
    t := 20 + 40 * rfm_test_mbgnbd.u(k, 4);
    x := 0; t_x := 0;
    LOOP
        EXIT WHEN rfm_test_mbgnbd.u(k, 1000 + i) < p;    -- drops out after this purchase
        i := i + 1;
        clock := clock - ln(rfm_test_mbgnbd.u(k, 100 + i)) / lambda;
        EXIT WHEN clock > t;
        x := x + 1; t_x := clock;
    END LOOP;
END $$;
CREATE TABLE sim AS SELECT k, (simulate(k, 0.5, 6, 0.9, 2.5)).* FROM generate_series(1, 5000) AS k;
SELECT count(*) AS customers, sum(x) AS repeat_purchases, count(*) FILTER (WHERE x = 0) AS one_time_buyers,
       max(x) AS most FROM sim;
CREATE TABLE sim_fit AS SELECT mbgnbd_fit(x, t_x, t) AS m FROM sim;
CREATE FUNCTION sim_ll(p float8[]) RETURNS float8 LANGUAGE sql STABLE AS $$
    SELECT sum(mbgnbd_log_likelihood(format('(r=%s, alpha=%s, a=%s, b=%s)', p[1], p[2], p[3], p[4])::mbgnbd_model,
                                      x, t_x, t))
      FROM rfm_test_mbgnbd.sim
$$;
-- Standard errors: the inverse of minus the Hessian (central differences).
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
            FOR k IN 0..3 LOOP
                q := p;
                q[i] := q[i] + (CASE WHEN k < 2 THEN 1 ELSE -1 END) * h[i];
                q[j] := q[j] + (CASE WHEN k % 2 = 0 THEN 1 ELSE -1 END) * h[j];
                f := f + (CASE WHEN k IN (0, 3) THEN 1 ELSE -1 END) * rfm_test_mbgnbd.sim_ll(q);
            END LOOP;
            a[i][j] := -f / (4 * h[i] * h[j]);
            a[j][i] := a[i][j];
        END LOOP;
        a[i][4 + i] := 1;
    END LOOP;
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
SELECT name, truth, round(estimate::numeric, 3) AS estimate, round(se::numeric, 3) AS se,
       round(((estimate - truth) / se)::numeric, 1) AS z, abs(estimate - truth) < se AS within_1_se
  FROM sim_fit, mbgnbd_parameters(m) p,
       LATERAL standard_errors(ARRAY[p.r, p.alpha, p.a, p.b]) AS e,
       LATERAL (VALUES (1, 'r', 0.5, p.r, e[1]), (2, 'alpha', 6, p.alpha, e[2]),
                       (3, 'a', 0.9, p.a, e[3]), (4, 'b', 2.5, p.b, e[4])) AS v(i, name, truth, estimate, se)
 ORDER BY i;

----------------------------------------------------------------------------
-- Hostile inputs.
----------------------------------------------------------------------------
SELECT mbgnbd_fit(x, t_x, t) FROM cal WHERE false;
SELECT mbgnbd_fit(x, t_x, t) FROM cal WHERE customer_id = 4;
SELECT mbgnbd_fit(x, t_x, t) FROM cal WHERE x = 0;
SELECT mbgnbd_fit(3, 10, 20) FROM generate_series(1, 5);
SELECT mbgnbd_fit(x, t_x, t) FROM (VALUES (1::float8, 'Infinity'::float8, 3::float8), (0, 0, 1)) AS v(x, t_x, t);
SELECT mbgnbd_fit(x, t_x, t) FROM (VALUES (0::float8, 1::float8, 3::float8), (1, 0, 1)) AS v(x, t_x, t);
\set VERBOSITY terse
SELECT mbgnbd_fit(x, t_x, t) FROM (VALUES (1::float8, 1::float8, 3::float8), (0, 0, 3)) AS v(x, t_x, t);
\set VERBOSITY default
SELECT mbgnbd_expected_orders('(r=0.5, alpha=6, a=1, b=2)', 10);
SELECT mbgnbd_expected_orders('(r=0.5, alpha=6, a=0.9, b=2)', 1, 1, 2, -1);
SELECT mbgnbd_p_alive('(r=0.5, alpha=6, a=0.9, b=2)', h) FROM hist WHERE customer_id = 4;
-- A heavy buyer: 2F1 with r+x = 10^6.
SELECT round(mbgnbd_p_alive(m, 1e6, 38, 39)::numeric, 6) AS p_alive,
       round(mbgnbd_expected_orders(m, 1e6, 38.9, 39, 1)::numeric, 1) AS next_week,
       round(mbgnbd_log_likelihood(m, 1e6, 38.9, 39)::numeric, 1) AS ll
  FROM fit;
SELECT '(r=0.5, alpha=6, a=0.9, b=2)'::mbgnbd_model;
SELECT '(r=0.5, alpha=6, a=0.9, b=0)'::mbgnbd_model;
SELECT '(r=0.5, alpha=6, a=0.9, s=2)'::mbgnbd_model;
SELECT m::text::mbgnbd_model::text = m::text AS text_round_trip FROM fit;

DROP SCHEMA rfm_test_mbgnbd CASCADE;
