--
-- bgbb: the BG/BB model of Fader, Hardie & Shang (2010), "Customer-base
-- analysis in a discrete-time noncontractual setting", on the paper's
-- donation data: 11,104 first-time donors of 1995, 6 yearly opportunities
-- (1996-2001), 22 (x, t_x) patterns with their counts (the table printed
-- in the paper, shipped with lifetimes as donations.csv).  Published:
-- alpha = 1.204, beta = 0.750, gamma = 0.657, delta = 2.783, LL = -33,225.6.
--
CREATE SCHEMA rfm_test_bgbb;
SET search_path = rfm_test_bgbb, public;
SET extra_float_digits = 0;
CREATE TABLE donations (x float8, t_x float8, n float8, donors bigint);
INSERT INTO donations VALUES
    (0, 0, 6, 3464), (1, 1, 6, 1091), (1, 2, 6, 277), (1, 3, 6, 129), (1, 4, 6, 78), (1, 5, 6, 119),
    (1, 6, 6, 129), (2, 2, 6, 613), (2, 3, 6, 255), (2, 4, 6, 155), (2, 5, 6, 173), (2, 6, 6, 234),
    (3, 3, 6, 322), (3, 4, 6, 181), (3, 5, 6, 225), (3, 6, 6, 357), (4, 4, 6, 240), (4, 5, 6, 284),
    (4, 6, 6, 512), (5, 5, 6, 335), (5, 6, 6, 728), (6, 6, 6, 1203);
SELECT count(*) AS patterns, sum(donors) AS donors FROM donations;

CREATE TABLE fit AS SELECT bgbb_fit(x, t_x, n, donors) AS m FROM donations;
SELECT round(alpha::numeric, 3) AS alpha, round(beta::numeric, 3) AS beta, round(gamma::numeric, 3) AS gamma,
       round(delta::numeric, 3) AS delta, round(log_likelihood::numeric, 1) AS ll, customers, converged
  FROM fit, bgbb_parameters(m);

-- One row per donor gives the same model; so do the donors' histories built
-- from yearly orders by rfm_history (first donation in 1995, the repeat
-- ones in the x years up to 1995 + t_x, as of 2001).
SELECT (SELECT bgbb_fit(x, t_x, n) FROM donations, generate_series(1, donors))::text = m::text AS same_one_row_per_donor
  FROM fit;
CREATE TABLE orders AS
SELECT d.x, d.t_x, k AS donor, date '1995-01-02' + 364 * y AS ordered_at
  FROM donations d, generate_series(1, d.donors) AS k,
       LATERAL (SELECT 0 AS y UNION ALL SELECT generate_series(d.t_x::int - d.x::int + 1, d.t_x::int)) AS years;
CREATE TABLE hist AS
SELECT x, t_x, donor, rfm_history(ordered_at, 25, date '1995-01-02' + 364 * 6, interval '364 days') AS h
  FROM orders GROUP BY x, t_x, donor;
SELECT count(*) AS donors,
       count(*) FILTER (WHERE history_frequency(h) <> x OR history_recency(h) <> t_x OR history_age(h) <> 6) AS mismatches,
       (SELECT bgbb_fit(h) FROM hist)::text = (SELECT m::text FROM fit) AS same_from_histories
  FROM hist;

-- An independent likelihood: Beta-function ratios as finite products.
CREATE FUNCTION beta_ratio(a float8, b float8, x int, y int) RETURNS float8 LANGUAGE sql IMMUTABLE AS $$
    -- B(a+x, b+y) / B(a, b)
    SELECT exp(coalesce((SELECT sum(ln(a + j)) FROM generate_series(0, x - 1) j), 0)
               + coalesce((SELECT sum(ln(b + j)) FROM generate_series(0, y - 1) j), 0)
               - coalesce((SELECT sum(ln(a + b + j)) FROM generate_series(0, x + y - 1) j), 0))
$$;
CREATE FUNCTION l_sql(m bgbb_model, x int, t_x int, n int) RETURNS float8 LANGUAGE sql STABLE AS $$
    SELECT rfm_test_bgbb.beta_ratio(p.alpha, p.beta, x, n - x) * rfm_test_bgbb.beta_ratio(p.gamma, p.delta, 0, n)
           + coalesce((SELECT sum(rfm_test_bgbb.beta_ratio(p.alpha, p.beta, x, t_x - x + i)
                                  * rfm_test_bgbb.beta_ratio(p.gamma, p.delta, 1, t_x + i))
                         FROM generate_series(0, n - t_x - 1) i), 0)
      FROM bgbb_parameters(m) p
$$;
SELECT bool_and(abs(bgbb_log_likelihood(m, x, t_x, n) - ln(l_sql(m, x::int, t_x::int, n::int))) < 1e-10) AS same_ll,
       abs(sum(donors * bgbb_log_likelihood(m, x, t_x, n)) - (SELECT log_likelihood FROM bgbb_parameters(m))) < 1e-6 AS sum_is_ll
  FROM donations, fit GROUP BY m::text;
CREATE FUNCTION ll_at(m bgbb_model, f1 float8, f2 float8, f3 float8, f4 float8) RETURNS float8 LANGUAGE sql STABLE AS $$
    SELECT sum(donors * bgbb_log_likelihood(format('(alpha=%s, beta=%s, gamma=%s, delta=%s)',
                                                   p.alpha * f1, p.beta * f2, p.gamma * f3, p.delta * f4)::bgbb_model,
                                            x, t_x, n))
      FROM rfm_test_bgbb.donations, bgbb_parameters(m) p
$$;
SELECT bool_and(ll_at(m, f1, f2, f3, f4) < ll_at(m, 1, 1, 1, 1)) AS is_maximum
  FROM fit, (VALUES (1.001, 1, 1, 1), (0.999, 1, 1, 1), (1, 1.001, 1, 1), (1, 0.999, 1, 1),
                    (1, 1, 1.001, 1), (1, 1, 0.999, 1), (1, 1, 1, 1.001), (1, 1, 1, 0.999)) AS v(f1, f2, f3, f4);

-- lnG by recurrence to 15 and Stirling's series (as in prediction.sql).
CREATE FUNCTION ln_gamma(z float8) RETURNS float8 LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    s float8 := 0;
    f float8;
BEGIN
    WHILE z < 15 LOOP
        s := s - ln(z);
        z := z + 1;
    END LOOP;
    f := 1 / (z * z);
    RETURN s + (z - 0.5) * ln(z) - z + 0.5 * ln(2 * pi())
           + (1 / z) * (1.0 / 12 - f * (1.0 / 360 - f * (1.0 / 1260 - f / 1680)));
END $$;
CREATE FUNCTION lgamma_ratio(a float8, b float8) RETURNS float8 LANGUAGE sql IMMUTABLE AS $$
    SELECT rfm_test_bgbb.ln_gamma(a) - rfm_test_bgbb.ln_gamma(b)
$$;
-- P(alive in 2002) and expected donations 2002-2006 per pattern, against
-- the paper's formulas in SQL; and the totals.
SELECT x, t_x, donors, round(bgbb_p_alive(m, x, t_x, n)::numeric, 4) AS p_alive,
       round(bgbb_expected_transactions(m, x, t_x, n, 5)::numeric, 4) AS next_5_years,
       abs(bgbb_p_alive(m, x, t_x, n)
           - beta_ratio(p.alpha, p.beta, x::int, (n - x)::int) * beta_ratio(p.gamma, p.delta, 0, n::int + 1)
             / l_sql(m, x::int, t_x::int, n::int)) < 1e-12 AS same_p_alive,
       abs(bgbb_expected_transactions(m, x, t_x, n, 5)
           - beta_ratio(p.alpha, p.beta, x::int + 1, (n - x)::int) / l_sql(m, x::int, t_x::int, n::int)
             * p.delta / (p.gamma - 1) * exp(lgamma_ratio(p.gamma + p.delta, 1 + p.delta))
             * (exp(lgamma_ratio(1 + p.delta + n, p.gamma + p.delta + n))
                - exp(lgamma_ratio(1 + p.delta + n + 5, p.gamma + p.delta + n + 5)))) < 1e-10 AS same_expected
  FROM donations, fit, bgbb_parameters(m) p
 ORDER BY x, t_x;
SELECT round(sum(donors * bgbb_expected_transactions(m, x, t_x, n, 5))::numeric, 1) AS donations_2002_2006,
       round(sum(donors * bgbb_p_alive(m, x, t_x, n))::numeric, 1) AS alive_in_2002
  FROM donations, fit;
-- gamma = 1: the expectation's delta/(gamma-1) [...] is taken at its limit;
-- next to it no digits cancel: the slope there is -0.69 per unit of gamma,
-- so 1e-7 either way moves the value by 6.9e-8, in opposite directions.
SELECT round(bgbb_expected_transactions('(alpha=1.2, beta=0.75, gamma=1, delta=2.8)', 3, 4, 6, 5)::numeric, 9) AS at_1,
       round(((bgbb_expected_transactions('(alpha=1.2, beta=0.75, gamma=1.0000001, delta=2.8)', 3, 4, 6, 5)
               - bgbb_expected_transactions('(alpha=1.2, beta=0.75, gamma=1, delta=2.8)', 3, 4, 6, 5)) * 1e9)::numeric) AS above_1e9,
       round(((bgbb_expected_transactions('(alpha=1.2, beta=0.75, gamma=0.9999999, delta=2.8)', 3, 4, 6, 5)
               - bgbb_expected_transactions('(alpha=1.2, beta=0.75, gamma=1, delta=2.8)', 3, 4, 6, 5)) * 1e9)::numeric) AS below_1e9,
       round(bgbb_expected_transactions('(alpha=1.2, beta=0.75, gamma=0.999, delta=2.8)', 3, 4, 6, 5)::numeric, 9) AS at_0_999;
-- From a history: its periods are the opportunities.
SELECT bgbb_p_alive(m, h) = bgbb_p_alive(m, 3, 5, 6) AS same_p_alive,
       bgbb_expected_transactions(m, h, 5) = bgbb_expected_transactions(m, 3, 5, 6, 5) AS same_expected
  FROM fit, (SELECT h FROM hist WHERE x = 3 AND t_x = 5 LIMIT 1) s;

----------------------------------------------------------------------------
-- Simulated from the model: 20,000 customers, 8 opportunities, alpha = 1.2,
-- beta = 0.75, gamma = 0.65, delta = 2.8; p and theta as ratios of gamma
-- draws (Marsaglia & Tsang) from hash-based uniforms, the same on every
-- version.  At each opportunity a living customer dies with probability
-- theta, else transacts with probability p.
----------------------------------------------------------------------------
CREATE FUNCTION u(k bigint, salt bigint) RETURNS float8 LANGUAGE sql IMMUTABLE AS $$
    SELECT ((pg_catalog.hashint8extended(k, salt) & 4503599627370495)::float8 + 0.5) / 4503599627370496.0::float8
$$;
CREATE FUNCTION rgamma(shape float8, k bigint, salt bigint) RETURNS float8 LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    a float8 := shape; boost float8 := 1; d float8; c float8; z float8; v float8; i int := 0;
BEGIN
    IF a < 1 THEN
        boost := power(rfm_test_bgbb.u(k, salt * 10000), 1 / a);
        a := a + 1;
    END IF;
    d := a - 1.0 / 3; c := 1 / sqrt(9 * d);
    LOOP
        i := i + 1;
        z := sqrt(-2 * ln(rfm_test_bgbb.u(k, salt * 10000 + 3 * i)))
             * cos(2 * pi() * rfm_test_bgbb.u(k, salt * 10000 + 3 * i + 1));
        v := power(1 + c * z, 3);
        IF v > 0 AND ln(rfm_test_bgbb.u(k, salt * 10000 + 3 * i + 2)) < 0.5 * z * z + d - d * v + d * ln(v) THEN
            RETURN d * v * boost;
        END IF;
    END LOOP;
END $$;
CREATE FUNCTION simulate(k bigint, OUT x float8, OUT t_x float8) LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    g1 float8 := rfm_test_bgbb.rgamma(1.2, k, 1);
    p float8 := g1 / (g1 + rfm_test_bgbb.rgamma(0.75, k, 2));
    g3 float8 := rfm_test_bgbb.rgamma(0.65, k, 3);
    theta float8 := g3 / (g3 + rfm_test_bgbb.rgamma(2.8, k, 4));
BEGIN
    x := 0; t_x := 0;
    FOR i IN 1..8 LOOP
        EXIT WHEN rfm_test_bgbb.u(k, 100 + i) < theta;
        IF rfm_test_bgbb.u(k, 200 + i) < p THEN
            x := x + 1; t_x := i;
        END IF;
    END LOOP;
END $$;
CREATE TABLE sim AS SELECT x, t_x, 8::float8 AS n, count(*) AS customers
  FROM (SELECT (simulate(k)).* FROM generate_series(1, 20000) k) s GROUP BY x, t_x;
SELECT count(*) AS patterns, sum(customers) AS customers, sum(customers) FILTER (WHERE x = 0) AS never_again FROM sim;
CREATE TABLE sim_fit AS SELECT bgbb_fit(x, t_x, n, customers) AS m FROM sim;
CREATE FUNCTION sim_ll(p float8[]) RETURNS float8 LANGUAGE sql STABLE AS $$
    SELECT sum(customers * bgbb_log_likelihood(format('(alpha=%s, beta=%s, gamma=%s, delta=%s)', p[1], p[2], p[3], p[4])::bgbb_model,
                                               x, t_x, n))
      FROM rfm_test_bgbb.sim
$$;
-- Standard errors: the inverse of minus the Hessian (central differences).
-- beta lands 1.5 standard errors off, the others within one: within two.
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
                f := f + (CASE WHEN k IN (0, 3) THEN 1 ELSE -1 END) * rfm_test_bgbb.sim_ll(q);
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
       round(((estimate - truth) / se)::numeric, 1) AS z, abs(estimate - truth) < 2 * se AS within_2_se
  FROM sim_fit, bgbb_parameters(m) p,
       LATERAL standard_errors(ARRAY[p.alpha, p.beta, p.gamma, p.delta]) AS e,
       LATERAL (VALUES (1, 'alpha', 1.2, p.alpha, e[1]), (2, 'beta', 0.75, p.beta, e[2]),
                       (3, 'gamma', 0.65, p.gamma, e[3]), (4, 'delta', 2.8, p.delta, e[4])) AS v(i, name, truth, estimate, se)
 ORDER BY i;

----------------------------------------------------------------------------
-- Fit statistics; hostile inputs.
----------------------------------------------------------------------------
SELECT f.model, round(f.log_likelihood::numeric, 2) AS log_likelihood, f.parameters, f.customers,
       round(f.aic::numeric, 2) AS aic, round(f.bic::numeric, 2) AS bic
  FROM fit, fit_statistics(m) f;
SELECT bgbb_fit(x, t_x, n) FROM donations WHERE false;
SELECT bgbb_fit(x, t_x, n) FROM donations WHERE x = 6;
SELECT bgbb_fit(x, t_x, n, donors) FROM donations WHERE x = 0;
SELECT bgbb_fit(x, t_x, n, donors) FROM donations WHERE x = 6;
SELECT bgbb_fit(x, t_x, n, 0) FROM donations;
SELECT bgbb_fit(x, t_x, n) FROM (VALUES (2::float8, 1::float8, 6::float8), (0, 0, 6)) v(x, t_x, n);
SELECT bgbb_fit(x, t_x, n) FROM (VALUES (1::float8, 0::float8, 6::float8), (0, 0, 6)) v(x, t_x, n);
SELECT bgbb_fit(x, t_x, n) FROM (VALUES (1::float8, 7::float8, 6::float8), (0, 0, 6)) v(x, t_x, n);
SELECT bgbb_fit(x, t_x, n) FROM (VALUES (1.5::float8, 2::float8, 6::float8), (0, 0, 6)) v(x, t_x, n);
SELECT bgbb_fit(x, t_x, n) FROM (VALUES ('NaN'::float8, 2::float8, 6::float8), (0, 0, 6)) v(x, t_x, n);
SELECT bgbb_fit(x, t_x, n, c) FROM (VALUES (1::float8, 2::float8, 6::float8, -3::bigint)) v(x, t_x, n, c);
SELECT bgbb_fit(x, t_x, n) FROM (VALUES (0::float8, 0::float8, 0::float8), (0, 0, 0)) v(x, t_x, n);
\set VERBOSITY terse
SELECT bgbb_fit(x, t_x, n) FROM (VALUES (1::float8, 1::float8, 2::float8), (0, 0, 2)) v(x, t_x, n);
\set VERBOSITY default
SELECT bgbb_expected_transactions(m, 1, 1, 6, -1) FROM fit;
SELECT bgbb_expected_transactions(m, 1, 1, 6, 2.5) FROM fit;
SELECT bgbb_p_alive(m, 1, 1, 1e6) FROM fit;
-- Many opportunities: a weekly box over 20 years (1,040), a loyal and a lapsed customer.
SELECT round(bgbb_p_alive(m, 1000, 1040, 1040)::numeric, 6) AS loyal_p_alive,
       round(bgbb_expected_transactions(m, 1000, 1040, 1040, 52)::numeric, 4) AS loyal_next_52,
       round(bgbb_p_alive(m, 500, 520, 1040)::numeric, 6) AS lapsed_p_alive,
       round(bgbb_log_likelihood(m, 500, 520, 1040)::numeric, 4) AS lapsed_ll
  FROM fit;
SELECT '(alpha=1.2, beta=0.75, gamma=0.65, delta=2.8)'::bgbb_model;
SELECT '(alpha=1.2, beta=0.75, gamma=0.65)'::bgbb_model;
SELECT '(alpha=1.2, beta=0.75, gamma=0, delta=2.8)'::bgbb_model;
SELECT m::text::bgbb_model::text = m::text AS text_round_trip FROM fit;

DROP SCHEMA rfm_test_bgbb CASCADE;
