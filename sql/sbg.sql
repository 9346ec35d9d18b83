--
-- sbg: the shifted-beta-geometric model of Fader & Hardie (2007), "How to
-- project customer retention", on the paper's two cohorts of 1,000
-- customers observed for 7 years (data from Berry & Linoff, reproduced in
-- the paper): regular customers, alpha = 0.704, beta = 1.182; high-end
-- customers, alpha = 0.668, beta = 3.806.  The paper fits years 0..7 and
-- projects years 8..12, whose actual survivors it also gives.
--
CREATE SCHEMA rfm_test_sbg;
SET search_path = rfm_test_sbg, public;
SET extra_float_digits = 0;
CREATE TABLE cohorts (cohort text, period int, survivors int);
INSERT INTO cohorts
SELECT 'regular', p - 1, s FROM unnest(ARRAY[1000, 631, 468, 382, 326, 289, 262, 241, 223, 207, 194, 183, 173]) WITH ORDINALITY AS v(s, p)
UNION ALL
SELECT 'high end', p - 1, s FROM unnest(ARRAY[1000, 869, 743, 653, 593, 551, 517, 491, 468, 445, 427, 409, 394]) WITH ORDINALITY AS v(s, p);

CREATE TABLE fits AS
SELECT cohort, sbg_fit(period, survivors) AS m FROM cohorts WHERE period <= 7 GROUP BY cohort;
SELECT cohort, round(alpha::numeric, 3) AS alpha, round(beta::numeric, 3) AS beta,
       round(log_likelihood::numeric, 2) AS ll, customers, periods, converged
  FROM fits, sbg_parameters(m) ORDER BY cohort DESC;

-- An independent log-likelihood: P(T = 1) = alpha/(alpha+beta),
-- P(T = t) = P(T = t-1) (beta+t-2)/(alpha+beta+t-1), S(7) = 1 - sum P.
CREATE FUNCTION ll_sql(cohort_name text, a float8, b float8) RETURNS float8 LANGUAGE sql STABLE AS $$
    WITH RECURSIVE p(t, prob) AS (
        SELECT 1, a / (a + b)
        UNION ALL
        SELECT t + 1, prob * (b + t - 1) / (a + b + t) FROM p WHERE t < 7),
    n AS (SELECT period, survivors FROM rfm_test_sbg.cohorts WHERE cohort = cohort_name AND period <= 7)
    SELECT sum((prev.survivors - cur.survivors) * ln(p.prob))
           + (SELECT survivors FROM n WHERE period = 7) * ln(1 - (SELECT sum(prob) FROM p))
      FROM p JOIN n cur ON cur.period = p.t JOIN n prev ON prev.period = p.t - 1
$$;
SELECT cohort, abs(ll_sql(cohort, alpha, beta) - log_likelihood) < 1e-8 AS same_ll,
       ll_sql(cohort, alpha * 1.001, beta) < log_likelihood AND ll_sql(cohort, alpha * 0.999, beta) < log_likelihood
       AND ll_sql(cohort, alpha, beta * 1.001) < log_likelihood AND ll_sql(cohort, alpha, beta * 0.999) < log_likelihood AS is_maximum
  FROM fits, sbg_parameters(m) ORDER BY cohort DESC;

-- Projected survivors against the actual ones, years 0..12 (8..12 not fitted).
SELECT period, c.cohort, survivors AS actual, round(1000 * sbg_survival(m, period)::numeric, 1) AS projected,
       round(sbg_retention(m, greatest(period, 1))::numeric, 4) AS retention_rate
  FROM cohorts c JOIN fits f USING (cohort) ORDER BY c.cohort DESC, period;

-- S(t) against the product of the retention rates r(1) .. r(t).
SELECT cohort, bool_and(abs(sbg_survival(m, t)
                            - (SELECT exp(sum(ln(sbg_retention(m, k)))) FROM generate_series(1, t) k)) < 1e-12) AS survival_is_product
  FROM fits, generate_series(1, 40) t GROUP BY cohort ORDER BY cohort DESC;

-- Expected lifetime: infinite for alpha <= 1 (both cohorts), so an error;
-- discounted at 10% a period, against the sum of S(t)/1.1^t in SQL.
SELECT cohort, round(sbg_expected_lifetime(m, 0.1)::numeric, 6) AS discounted_lifetime,
       abs(sbg_expected_lifetime(m, 0.1)
           - (SELECT sum(sbg_survival(m, t) / power(1.1, t)) FROM generate_series(0, 2000) t)) < 1e-9 AS same_as_sum
  FROM fits ORDER BY cohort DESC;
SELECT sbg_expected_lifetime(m) FROM fits WHERE cohort = 'regular';
SELECT sbg_expected_lifetime('(alpha=3, beta=5)'::sbg_model) AS lifetime,
       (SELECT sum(sbg_survival('(alpha=3, beta=5)', t)) FROM generate_series(0, 100000) t)::numeric(12, 6) AS by_sum;

----------------------------------------------------------------------------
-- Simulated from the model: a cohort of 5,000, churn probability
-- theta ~ Beta(0.8, 2.5) (a ratio of gamma draws, Marsaglia & Tsang),
-- observed 8 periods; hash-based uniforms, the same on every version.
----------------------------------------------------------------------------
CREATE FUNCTION u(k bigint, salt bigint) RETURNS float8 LANGUAGE sql IMMUTABLE AS $$
    SELECT ((pg_catalog.hashint8extended(k, salt) & 4503599627370495)::float8 + 0.5) / 4503599627370496.0::float8
$$;
CREATE FUNCTION rgamma(shape float8, k bigint, salt bigint) RETURNS float8 LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    a float8 := shape; boost float8 := 1; d float8; c float8; z float8; v float8; i int := 0;
BEGIN
    IF a < 1 THEN
        boost := power(rfm_test_sbg.u(k, salt * 10000), 1 / a);
        a := a + 1;
    END IF;
    d := a - 1.0 / 3; c := 1 / sqrt(9 * d);
    LOOP
        i := i + 1;
        z := sqrt(-2 * ln(rfm_test_sbg.u(k, salt * 10000 + 3 * i)))
             * cos(2 * pi() * rfm_test_sbg.u(k, salt * 10000 + 3 * i + 1));
        v := power(1 + c * z, 3);
        IF v > 0 AND ln(rfm_test_sbg.u(k, salt * 10000 + 3 * i + 2)) < 0.5 * z * z + d - d * v + d * ln(v) THEN
            RETURN d * v * boost;
        END IF;
    END LOOP;
END $$;
-- The period at whose end a customer cancels: shifted geometric in theta.
CREATE TABLE sim AS
SELECT k, greatest(1, ceil(ln(u(k, 3)) / ln(1 - theta)))::int AS cancels_after
  FROM (SELECT k, g1 / (g1 + g2) AS theta
          FROM (SELECT k, rgamma(0.8, k, 1) AS g1, rgamma(2.5, k, 2) AS g2 FROM generate_series(1, 5000) k) g) s;
CREATE TABLE sim_cohort AS
SELECT period, (SELECT count(*) FROM sim WHERE cancels_after > period) AS survivors
  FROM generate_series(0, 7) AS period;
SELECT string_agg(survivors::text, ', ' ORDER BY period) AS survivors FROM sim_cohort;
CREATE TABLE sim_fit AS SELECT sbg_fit(period, survivors) AS m FROM sim_cohort;
-- The log-likelihood of the simulated cohort in SQL, for its Hessian.
CREATE FUNCTION sim_ll(a float8, b float8) RETURNS float8 LANGUAGE sql STABLE AS $$
    WITH RECURSIVE p(t, prob) AS (
        SELECT 1, a / (a + b)
        UNION ALL
        SELECT t + 1, prob * (b + t - 1) / (a + b + t) FROM p WHERE t < 7)
    SELECT sum((prev.survivors - cur.survivors) * ln(p.prob))
           + (SELECT survivors FROM rfm_test_sbg.sim_cohort WHERE period = 7) * ln(1 - (SELECT sum(prob) FROM p))
      FROM p JOIN rfm_test_sbg.sim_cohort cur ON cur.period = p.t JOIN rfm_test_sbg.sim_cohort prev ON prev.period = p.t - 1
$$;
-- Standard errors from the inverse of minus the 2x2 Hessian (central
-- differences).  alpha lands 1.2 standard errors off (beta 0.9): within two,
-- not one; the two estimates are strongly correlated.
WITH p AS (SELECT alpha AS a, beta AS b, alpha * 1e-3 AS ha, beta * 1e-3 AS hb FROM sim_fit, sbg_parameters(m)),
h AS (SELECT -(sim_ll(a + ha, b) - 2 * sim_ll(a, b) + sim_ll(a - ha, b)) / (ha * ha) AS haa,
             -(sim_ll(a, b + hb) - 2 * sim_ll(a, b) + sim_ll(a, b - hb)) / (hb * hb) AS hbb,
             -(sim_ll(a + ha, b + hb) - sim_ll(a + ha, b - hb) - sim_ll(a - ha, b + hb) + sim_ll(a - ha, b - hb)) / (4 * ha * hb) AS hab,
             a, b FROM p),
se AS (SELECT a, b, sqrt(hbb / (haa * hbb - hab * hab)) AS se_a, sqrt(haa / (haa * hbb - hab * hab)) AS se_b FROM h)
SELECT name, truth, round(estimate::numeric, 3) AS estimate, round(se::numeric, 3) AS se,
       round(((estimate - truth) / se)::numeric, 1) AS z, abs(estimate - truth) < 2 * se AS within_2_se
  FROM se, LATERAL (VALUES (1, 'alpha', 0.8, a, se_a), (2, 'beta', 2.5, b, se_b)) AS v(i, name, truth, estimate, se)
 ORDER BY i;

----------------------------------------------------------------------------
-- Fit statistics; then hostile inputs.
----------------------------------------------------------------------------
SELECT cohort, f.model, round(f.log_likelihood::numeric, 2) AS log_likelihood, f.parameters, f.customers,
       round(f.aic::numeric, 2) AS aic, round(f.bic::numeric, 2) AS bic
  FROM fits, fit_statistics(m) f ORDER BY cohort DESC;
SELECT sbg_fit(period, survivors) FROM cohorts WHERE false;
SELECT sbg_fit(period, survivors) FROM cohorts WHERE period = 0 AND cohort = 'regular';
SELECT sbg_fit(period, survivors) FROM cohorts WHERE period IN (0, 2, 3) AND cohort = 'regular';
SELECT sbg_fit(period, survivors) FROM cohorts WHERE period <= 3;
SELECT sbg_fit(p, s) FROM (VALUES (0, 100), (1, 120)) AS v(p, s);
SELECT sbg_fit(p, s) FROM (VALUES (0, 100), (1, 100), (2, 100)) AS v(p, s);
SELECT sbg_fit(p, s) FROM (VALUES (0, 100), (1, 0), (2, 0)) AS v(p, s);
SELECT sbg_fit(p, s) FROM (VALUES (0, 0), (1, 0)) AS v(p, s);
SELECT sbg_fit(p, s) FROM (VALUES (0, 100), (-1, 50)) AS v(p, s);
SELECT sbg_fit(p, s) FROM (VALUES (0, 100), (1, -5)) AS v(p, s);
-- One period: one renewal rate, nothing on its spread across customers.
SELECT sbg_fit(p, s) FROM (VALUES (0, 100), (1, 60)) AS v(p, s);
-- Two periods: two renewal rates, exactly as many as parameters.
SELECT round(alpha::numeric, 4) AS alpha, round(beta::numeric, 4) AS beta,
       round(sbg_retention(m, 1)::numeric, 4) AS r1, round(sbg_retention(m, 2)::numeric, 4) AS r2
  FROM (SELECT sbg_fit(p, s) AS m FROM (VALUES (0, 100), (1, 60), (2, 40)) AS v(p, s)) f, sbg_parameters(m);
SELECT sbg_survival(m, -1) FROM fits WHERE cohort = 'regular';
SELECT sbg_survival(m, 1.5) FROM fits WHERE cohort = 'regular';
SELECT sbg_retention(m, 0) FROM fits WHERE cohort = 'regular';
SELECT sbg_expected_lifetime(m, 0) FROM fits WHERE cohort = 'regular';
SELECT sbg_expected_lifetime(m, 'NaN') FROM fits WHERE cohort = 'regular';
SELECT round(sbg_survival(m, 1e9)::numeric, 9) AS far_out FROM fits WHERE cohort = 'regular';
SELECT '(alpha=0.704, beta=1.182)'::sbg_model;
SELECT '(alpha=0.704, beta=-1)'::sbg_model;
SELECT '(alpha=0.704)'::sbg_model;
SELECT m::text::sbg_model::text = m::text AS text_round_trip FROM fits;

DROP SCHEMA rfm_test_sbg CASCADE;
