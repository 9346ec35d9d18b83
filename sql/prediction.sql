--
-- prediction: BG/NBD and Gamma-Gamma on the CDNOW sample of Fader, Hardie &
-- Lee (2005): 2,357 customers, calibration 1997-01-01 .. 1997-09-30 (39
-- weeks).  Model inputs are checked customer by customer against plain SQL,
-- the fit against the paper's estimates, and every prediction against an
-- independent plain-SQL derivation (series summed in recursive CTEs,
-- gamma-function ratios as finite products, a PL/pgSQL Stirling lnG).
--
CREATE SCHEMA rfm_test_prediction;
SET search_path = rfm_test_prediction, public;
SET DateStyle = 'ISO, YMD';
SET TimeZone = 'UTC';
SET extra_float_digits = 0;
-- Whitespace-separated columns: customer, id in the full set, date, CDs, dollars.
CREATE TABLE raw (line text);
-- Client-side, relative to the directory pg_regress runs in (the repo root
-- for `make installcheck`), so a remote server needs no access to the file.
\copy raw FROM 'test/data/CDNOW_sample.txt'
CREATE TABLE cdnow AS
SELECT f[1]::int AS customer_id, to_date(f[3], 'YYYYMMDD') AS ordered_at,
       f[4]::int AS cds, f[5]::numeric AS amount
  FROM (SELECT regexp_split_to_array(btrim(line), '\s+') AS f FROM raw) AS s;
SELECT count(*) AS orders, count(DISTINCT customer_id) AS customers,
       min(ordered_at), max(ordered_at) FROM cdnow;

-- Model inputs in days as of the end of the calibration period.
CREATE TABLE hist AS
SELECT customer_id, rfm_history(ordered_at, amount, date '1997-09-30', interval '1 day') AS h
  FROM cdnow GROUP BY customer_id;
SELECT * FROM hist ORDER BY customer_id LIMIT 4;

-- The same in plain SQL: same-day orders merged, x = distinct days - 1,
-- t_x = last - first day, T = as_of - first day, monetary = mean daily total
-- of the repeat days.
CREATE TABLE ref AS
WITH days AS (
    SELECT customer_id, ordered_at AS d, sum(amount) AS v
      FROM cdnow WHERE ordered_at <= date '1997-09-30' GROUP BY 1, 2),
ends AS (SELECT customer_id, min(d) AS first, max(d) AS last, count(*) AS n FROM days GROUP BY 1)
SELECT e.customer_id, e.n - 1 AS x, e.last - e.first AS t_x, date '1997-09-30' - e.first AS t,
       coalesce((SELECT avg(v) FROM days d WHERE d.customer_id = e.customer_id AND d.d > e.first), 0) AS m
  FROM ends e;
SELECT count(*) AS customers,
       count(*) FILTER (WHERE history_frequency(h) IS DISTINCT FROM r.x
                           OR history_recency(h) IS DISTINCT FROM r.t_x::float8
                           OR history_age(h) IS DISTINCT FROM r.t::float8
                           OR abs(history_monetary_value(h) - r.m) > 1e-9) AS mismatches,
       sum(r.x) AS repeat_days, count(*) FILTER (WHERE r.x > 0) AS repeaters
  FROM hist FULL JOIN ref r USING (customer_id);

-- Weekly periods are lifetimes' freq='W' (weeks start on Monday): in whole weeks.
SELECT count(*) AS customers,
       count(*) FILTER (WHERE history_frequency(w.h) <> r.x
                           OR history_recency(w.h) <> r.t_x
                           OR history_age(w.h) <> r.t) AS mismatches
  FROM (SELECT customer_id, rfm_history(ordered_at, amount, date '1997-09-30', interval '7 days') AS h
          FROM cdnow GROUP BY customer_id) AS w
  JOIN (SELECT customer_id, count(DISTINCT date_trunc('week', ordered_at)) - 1 AS x,
               extract(day FROM max(date_trunc('week', ordered_at)) - min(date_trunc('week', ordered_at))) / 7 AS t_x,
               extract(day FROM date_trunc('week', date '1997-09-30') - min(date_trunc('week', ordered_at))) / 7 AS t
          FROM cdnow WHERE ordered_at <= date '1997-09-30' GROUP BY 1) AS r USING (customer_id);

-- Unit conversion: the paper's weeks are days / 7.
SELECT h, history_recency(h, interval '7 days')::numeric(6,2) AS t_x_weeks,
       history_age(h, interval '7 days')::numeric(6,2) AS t_weeks, history_unit(h)
  FROM hist WHERE customer_id = 4;

----------------------------------------------------------------------------
-- BG/NBD: the paper's estimates r = 0.243, alpha = 4.414, a = 0.793,
-- b = 2.426, LL = -9582.4, from daily histories counted in weeks.
----------------------------------------------------------------------------
CREATE TABLE fit AS SELECT bgnbd_fit(h, interval '7 days') AS m FROM hist;
SELECT round(r::numeric, 3) AS r, round(alpha::numeric, 3) AS alpha,
       round(a::numeric, 3) AS a, round(b::numeric, 3) AS b,
       round(log_likelihood::numeric, 1) AS ll, customers, unit, converged
  FROM fit, bgnbd_parameters(m);

-- The same fit from (x, t_x, T) numbers in weeks; the model then has no unit.
CREATE TABLE cal AS
SELECT customer_id, x::float8 AS x, t_x / 7.0::float8 AS t_x, t / 7.0::float8 AS t, m::float8 AS m
  FROM ref;
SELECT abs(p.r - q.r) < 1e-9 AND abs(p.alpha - q.alpha) < 1e-9 AND abs(p.a - q.a) < 1e-9
       AND abs(p.b - q.b) < 1e-9 AS same_fit, q.unit IS NULL AS no_unit
  FROM fit, bgnbd_parameters(fit.m) p,
       (SELECT bgnbd_fit(x, t_x, t) AS m FROM cal) AS f2, bgnbd_parameters(f2.m) q;

-- In parallel (partial states serialized, combined), the model is the same to the bit.
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
SELECT (SELECT bgnbd_fit(x, t_x, t) FROM cal)::text = (SELECT bgnbd_fit(x, t_x, t) FROM (SELECT * FROM cal ORDER BY customer_id DESC) s)::text AS order_independent;
CREATE TABLE par AS SELECT bgnbd_fit(x, t_x, t) AS m, gamma_gamma_fit(x, m) AS g FROM cal;
CREATE TABLE par_hist AS
SELECT customer_id, rfm_history(ordered_at, amount, date '1997-09-30', interval '1 day') AS h
  FROM cdnow GROUP BY customer_id;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;
SELECT par.m::text = (SELECT bgnbd_fit(x, t_x, t) FROM cal)::text AS same_bgnbd,
       par.g::text = (SELECT gamma_gamma_fit(x, m) FROM cal)::text AS same_gamma_gamma,
       (SELECT count(*) FROM par_hist p JOIN hist USING (customer_id) WHERE p.h::text <> hist.h::text) AS history_mismatches
  FROM par;

-- An independent log-likelihood: eq. (6) with the gamma and beta ratios as
-- finite products over j < x (x is a whole number), no lgamma.
CREATE FUNCTION bg_ll(r float8, alpha float8, a float8, b float8) RETURNS float8
LANGUAGE sql STABLE AS $$
    SELECT sum(ln(
        exp(coalesce((SELECT sum(ln(r + j) + ln(b + j) - ln(a + b + j))
                        FROM generate_series(0, x::int - 1) AS j), 0))
        * (power(alpha / (alpha + t), r) * power(1 / (alpha + t), x)
           + CASE WHEN x > 0 THEN a / (b + x - 1) * power(alpha / (alpha + t_x), r) * power(1 / (alpha + t_x), x)
                  ELSE 0 END)))
    FROM rfm_test_prediction.cal
$$;
-- It equals the model's, and every parameter moved by 0.1% either way lowers it.
WITH p AS (SELECT * FROM fit, bgnbd_parameters(m))
SELECT abs(bg_ll(r, alpha, a, b) - log_likelihood) < 1e-6 AS same_ll,
       bool_and(bg_ll(r * f1, alpha * f2, a * f3, b * f4) < bg_ll(r, alpha, a, b)) AS is_maximum
  FROM p, (VALUES (1.001, 1, 1, 1), (0.999, 1, 1, 1), (1, 1.001, 1, 1), (1, 0.999, 1, 1),
                  (1, 1, 1.001, 1), (1, 1, 0.999, 1), (1, 1, 1, 1.001), (1, 1, 1, 0.999)) AS v(f1, f2, f3, f4)
 GROUP BY r, alpha, a, b, log_likelihood;

-- The paper's worked example, customer 4 (x = 2, t_x = 30.43, T = 38.86):
-- 1.226 expected purchases in the next 39 weeks.
SELECT round(bgnbd_expected_orders(m, 2, 30.43, 38.86, 39)::numeric, 3) AS paper_example,
       round(bgnbd_expected_orders(m, h, interval '39 weeks')::numeric, 6) AS from_history,
       round(bgnbd_expected_orders(m, 2, 213 / 7.0, 272 / 7.0, 39)::numeric, 6) AS from_numbers,
       round(bgnbd_p_alive(m, h)::numeric, 6) AS p_alive
  FROM fit, hist WHERE customer_id = 4;

-- Independently: eq. (10) with 2F1(r+x, b+x; a+b+x-1; z) summed term by term.
WITH RECURSIVE p AS (SELECT r, alpha, a, b FROM fit, bgnbd_parameters(m)),
c AS (SELECT 2::float8 AS x, 213 / 7.0::float8 AS t_x, 272 / 7.0::float8 AS t, 39::float8 AS horizon),
series(k, term) AS (
    SELECT 0, 1::float8
    UNION ALL
    SELECT k + 1, term * (p.r + c.x + k) * (p.b + c.x + k) / ((p.a + p.b + c.x - 1 + k) * (k + 1))
                       * (c.horizon / (p.alpha + c.t + c.horizon))
      FROM series, p, c WHERE k < 400 AND abs(term) > 1e-200),
e AS (
    SELECT (p.a + p.b + c.x - 1) / (p.a - 1)
           * (1 - power((p.alpha + c.t) / (p.alpha + c.t + c.horizon), p.r + c.x) * (SELECT sum(term) FROM series))
           / (1 + p.a / (p.b + c.x - 1) * power((p.alpha + c.t) / (p.alpha + c.t_x), p.r + c.x)) AS expected,
           1 / (1 + p.a / (p.b + c.x - 1) * power((p.alpha + c.t) / (p.alpha + c.t_x), p.r + c.x)) AS p_alive
      FROM p, c)
SELECT round(e.expected::numeric, 6) AS expected_sql,
       abs(e.expected - bgnbd_expected_orders(m, 2, 213 / 7.0, 272 / 7.0, 39)) < 1e-12 AS same_expected,
       abs(e.p_alive - bgnbd_p_alive(m, 2, 213 / 7.0, 272 / 7.0)) < 1e-12 AS same_p_alive
  FROM e, fit;

-- Unconditional: a new customer's expected repeat purchases in its first
-- 39 and 78 weeks, eq. (7), and the same from the 2F1(r, b; a+b-1; t/(alpha+t)) series.
WITH RECURSIVE p AS (SELECT r, alpha, a, b FROM fit, bgnbd_parameters(m)),
series(horizon, k, term) AS (
    SELECT h::float8, 0, 1::float8 FROM (VALUES (39), (78)) AS v(h)
    UNION ALL
    SELECT horizon, k + 1, term * (p.r + k) * (p.b + k) / ((p.a + p.b - 1 + k) * (k + 1)) * (horizon / (p.alpha + horizon))
      FROM series, p WHERE k < 3000 AND abs(term) > 1e-200),
e AS (
    SELECT horizon, (p.a + p.b - 1) / (p.a - 1) * (1 - power(p.alpha / (p.alpha + horizon), p.r) * sum(term)) AS expected
      FROM series, p GROUP BY horizon, p.a, p.b, p.alpha, p.r)
SELECT e.horizon, round(bgnbd_expected_orders(m, e.horizon)::numeric, 6) AS expected,
       abs(e.expected - bgnbd_expected_orders(m, e.horizon)) < 1e-10 AS same_as_sql,
       bgnbd_expected_orders(m, e.horizon) = bgnbd_expected_orders(m, e.horizon * interval '7 days') AS same_with_interval
  FROM e, fit ORDER BY e.horizon;

-- The conditional expectation sums its series after Euler's transformation
-- when a+b-1-r >= 0 and as written otherwise (src/predict_bgnbd.c): both
-- against eq. (10) summed term by term as written, for models on either side
-- (CDNOW's fit has a < 1; r = 3 puts a+b-1-r below 0), customers with no, few
-- and many repeat purchases, and 12 monthly horizons; customer_value, which
-- sums the 12 series in one pass, against the same expectations.
WITH RECURSIVE models(model, r, alpha, a, b) AS (
    SELECT 'cdnow', r, alpha, a, b FROM fit, bgnbd_parameters(m)
    UNION ALL VALUES ('a above 1', 0.5, 2.0, 2.5, 8.0), ('r above a+b-1', 3.0, 4.0, 0.8, 1.5)),
customers(x, t_x, t) AS (VALUES (0::float8, 0::float8, 30::float8), (2, 30.43, 38.86), (40, 37, 39)),
horizons(horizon) AS (SELECT 4.345 * i FROM generate_series(1, 12) AS i),
series(model, x, t_x, t, horizon, k, term) AS (
    SELECT model, x, t_x, t, horizon, 0, 1::float8 FROM models, customers, horizons
    UNION ALL
    SELECT s.model, s.x, s.t_x, s.t, s.horizon, k + 1,
           term * (p.r + s.x + k) * (p.b + s.x + k) / ((p.a + p.b + s.x - 1 + k) * (k + 1))
                * (s.horizon / (p.alpha + s.t + s.horizon))
      FROM series s JOIN models p USING (model) WHERE k < 5000 AND term > 1e-20),
e AS (
    SELECT s.model, s.x, s.t_x, s.t, s.horizon,
           (p.a + p.b + s.x - 1) / (p.a - 1)
           * (1 - power((p.alpha + s.t) / (p.alpha + s.t + s.horizon), p.r + s.x) * sum(term))
           / (1 + CASE WHEN s.x > 0
                       THEN p.a / (p.b + s.x - 1) * power((p.alpha + s.t) / (p.alpha + s.t_x), p.r + s.x)
                       ELSE 0 END) AS expected,
           format('(r=%s, alpha=%s, a=%s, b=%s)', p.r, p.alpha, p.a, p.b)::bgnbd_model AS m
      FROM series s JOIN models p USING (model)
     GROUP BY s.model, s.x, s.t_x, s.t, s.horizon, p.r, p.alpha, p.a, p.b),
monthly AS (
    SELECT *, row_number() OVER w AS month,
           expected - coalesce(lag(expected) OVER w, 0) AS orders
      FROM e WINDOW w AS (PARTITION BY model, x ORDER BY horizon)),
valued AS (
    SELECT model, x, t_x, t,
           sum(gamma_gamma_expected_value('(p=6.25, q=3.74, v=15.44)', x, 30) * orders
               / power(1.01, month)) AS value
      FROM monthly GROUP BY model, x, t_x, t)
SELECT model, a + b - 1 - r >= 0 AS transformed, count(*) AS predictions,
       round(min(expected)::numeric, 4) AS smallest, round(max(expected)::numeric, 4) AS largest,
       max(abs(bgnbd_expected_orders(e.m, x, t_x, t, horizon) - expected) / expected) < 1e-11 AS same_as_sql,
       (SELECT max(abs(customer_value(format('(r=%s, alpha=%s, a=%s, b=%s)', r, alpha, a, b)::bgnbd_model,
                                      '(p=6.25, q=3.74, v=15.44)', v.x, v.t_x, v.t, 30, 12, 0.01, 4.345)
                       - v.value) / v.value)
          FROM valued v WHERE v.model = e.model) < 1e-11 AS same_value_as_sql
  FROM e JOIN models USING (model)
 GROUP BY model, r, alpha, a, b ORDER BY model;

-- The 2,357 customers' expected repeat purchase days over the 39 holdout
-- weeks, and the number they made.
SELECT round(sum(bgnbd_expected_orders(m, h, interval '39 weeks'))::numeric, 1) AS expected,
       (SELECT count(*) FROM (SELECT DISTINCT customer_id, ordered_at FROM cdnow
                               WHERE ordered_at > date '1997-09-30' AND ordered_at <= date '1997-09-30' + 273) s) AS actual
  FROM fit, hist;

-- Who is most likely still active, and who is expected to buy most.
SELECT customer_id, h, round(bgnbd_p_alive(m, h)::numeric, 4) AS p_alive,
       round(bgnbd_expected_orders(m, h, interval '90 days')::numeric, 4) AS next_90_days
  FROM fit, hist
 ORDER BY bgnbd_expected_orders(m, h, interval '90 days') DESC, customer_id LIMIT 3;

----------------------------------------------------------------------------
-- Gamma-Gamma on the 946 repeat customers: p = 6.25, q = 3.74, v = 15.44
-- (Fader & Hardie's note on the model, same data).
----------------------------------------------------------------------------
CREATE TABLE gfit AS SELECT gamma_gamma_fit(h) AS g FROM hist;
SELECT round(p::numeric, 3) AS p, round(q::numeric, 3) AS q, round(v::numeric, 3) AS v,
       round(log_likelihood::numeric, 2) AS ll, customers, converged
  FROM gfit, gamma_gamma_parameters(g);
SELECT abs(p.p - q.p) < 1e-9 AND abs(p.q - q.q) < 1e-9 AND abs(p.v - q.v) < 1e-9 AS same_from_numbers
  FROM gfit, gamma_gamma_parameters(gfit.g) p,
       (SELECT gamma_gamma_fit(x, m) AS g FROM cal) AS g2, gamma_gamma_parameters(g2.g) q;

-- Independent log-likelihood with a PL/pgSQL lnG (recurrence + Stirling series).
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
CREATE FUNCTION gg_ll(p float8, q float8, v float8) RETURNS float8 LANGUAGE sql STABLE AS $$
    SELECT sum(ln_gamma(p * x + q) - ln_gamma(p * x) - ln_gamma(q) + q * ln(v)
               + (p * x - 1) * ln(m) + p * x * ln(x) - (p * x + q) * ln(x * m + v))
      FROM rfm_test_prediction.cal WHERE x > 0
$$;
WITH p AS (SELECT * FROM gfit, gamma_gamma_parameters(g))
SELECT abs(gg_ll(p.p, q, v) - log_likelihood) < 1e-6 AS same_ll,
       bool_and(gg_ll(p.p * f1, q * f2, v * f3) < gg_ll(p.p, q, v)) AS is_maximum
  FROM p, (VALUES (1.001, 1, 1), (0.999, 1, 1), (1, 1.001, 1), (1, 0.999, 1),
                  (1, 1, 1.001), (1, 1, 0.999)) AS f(f1, f2, f3)
 GROUP BY p.p, q, v, log_likelihood;

-- Conditional expected average value: customer 4 (x = 2, mean 22.345) and
-- a customer without repeats (the population mean v p / (q - 1)).
SELECT round(gamma_gamma_expected_value(g, h)::numeric, 4) AS customer_4,
       round(gamma_gamma_expected_value(g, 0, 0)::numeric, 4) AS population_mean,
       abs(gamma_gamma_expected_value(g, h)
           - ((q - 1) / (p * 2 + q - 1) * (v * p / (q - 1)) + p * 2 / (p * 2 + q - 1) * 22.345)) < 1e-12 AS same_as_sql
  FROM gfit, gamma_gamma_parameters(g), hist WHERE customer_id = 4;

-- Customer value over 12 months at 1% a month (lifetimes' definition, weeks:
-- 4.345 per month), and the same summed in SQL from eq. (10) series.
WITH RECURSIVE p AS (SELECT r, alpha, a, b FROM fit, bgnbd_parameters(m)),
c AS (SELECT 2::float8 AS x, 213 / 7.0::float8 AS t_x, 272 / 7.0::float8 AS t),
series(month, k, term) AS (
    SELECT i, 0, 1::float8 FROM generate_series(1, 12) AS i
    UNION ALL
    SELECT month, k + 1, term * (p.r + c.x + k) * (p.b + c.x + k) / ((p.a + p.b + c.x - 1 + k) * (k + 1))
                         * (month * 4.345 / (p.alpha + c.t + month * 4.345))
      FROM series, p, c WHERE k < 400 AND abs(term) > 1e-200),
cumulative AS (
    SELECT month, (p.a + p.b + c.x - 1) / (p.a - 1)
           * (1 - power((p.alpha + c.t) / (p.alpha + c.t + month * 4.345), p.r + c.x) * sum(term))
           / (1 + p.a / (p.b + c.x - 1) * power((p.alpha + c.t) / (p.alpha + c.t_x), p.r + c.x)) AS e
      FROM series, p, c GROUP BY month, p.r, p.alpha, p.a, p.b, c.x, c.t, c.t_x),
increments AS (
    SELECT month, e - coalesce(lag(e) OVER (ORDER BY month), 0) AS orders FROM cumulative),
clv AS (
    SELECT sum(gamma_gamma_expected_value(g, 2, 22.345) * orders / power(1.01, month)) AS value
      FROM increments, gfit)
SELECT round(customer_value(m, g, h)::numeric, 4) AS customer_value,
       abs(customer_value(m, g, h) - (SELECT value FROM clv)) < 1e-9 AS same_as_sql,
       customer_value(m, g, h) = customer_value(m, g, 2, 213 / 7.0, 272 / 7.0, 22.345, 12, 0.01, 4.345) AS same_from_numbers
  FROM fit, gfit, hist WHERE customer_id = 4;

----------------------------------------------------------------------------
-- Called once per customer, customer_value and bgnbd_expected_orders keep the
-- series they summed per (x, T) for the rest of the query (predict_memo.c).
-- Each must give every customer exactly what a call of its own gives (a
-- fresh plan per call through EXECUTE): with one model, with two models
-- met in turn by one call, and with a memo too small for the customers.
----------------------------------------------------------------------------
CREATE FUNCTION value_alone(m bgnbd_model, g gamma_gamma_model, h rfm_history) RETURNS float8
LANGUAGE plpgsql AS $$
DECLARE v float8;
BEGIN
    EXECUTE 'SELECT customer_value($1, $2, $3)' INTO v USING m, g, h;
    RETURN v;
END $$;
CREATE FUNCTION expected_alone(m bgnbd_model, h rfm_history) RETURNS float8
LANGUAGE plpgsql AS $$
DECLARE v float8;
BEGIN
    EXECUTE 'SELECT bgnbd_expected_orders($1, $2, interval ''39 weeks'')' INTO v USING m, h;
    RETURN v;
END $$;
CREATE TABLE models AS
SELECT 0 AS k, m FROM fit
UNION ALL
SELECT 1, format('(r=%s, alpha=%s, a=%s, b=%s, unit=7 days)', r * 1.1, alpha, a, b * 0.9)::bgnbd_model
  FROM fit, bgnbd_parameters(m);
-- a quarter of the customers (a call of its own costs a plan), and the
-- distinct (x, T) the memo keeps for them
SELECT count(*) AS customers,
       count(DISTINCT (history_frequency(h), history_age(h))) AS distinct_x_and_age
  FROM hist WHERE customer_id % 4 = 0;
CREATE TABLE alone AS
SELECT customer_id, k, value_alone(m, g, h) AS value, expected_alone(m, h) AS expected
  FROM hist, gfit, models WHERE customer_id % 4 = 0;
SELECT count(*) AS customers,
       count(*) FILTER (WHERE customer_value(m.m, g, h) <> a.value) AS value_differs,
       count(*) FILTER (WHERE bgnbd_expected_orders(m.m, h, interval '39 weeks') <> a.expected) AS expected_differs
  FROM hist JOIN alone a USING (customer_id) JOIN models m ON m.k = a.k AND a.k = 0, gfit;
SELECT count(*) AS customers,
       count(*) FILTER (WHERE customer_value(m.m, g, h) <> a.value) AS value_differs,
       count(*) FILTER (WHERE bgnbd_expected_orders(m.m, h, interval '39 weeks') <> a.expected) AS expected_differs
  FROM hist JOIN alone a USING (customer_id)
       JOIN models m ON m.k = a.k AND a.k = customer_id % 2, gfit;
-- 1,000 customers given as numbers, each its own (x, T): the memo of a
-- 64kB budget holds 384 of them and answers the others by summing.
CREATE FUNCTION numbers_alone(m bgnbd_model, g gamma_gamma_model, x float8, t_x float8, t float8)
RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE v float8;
BEGIN
    EXECUTE 'SELECT customer_value($1, $2, $3, $4, $5, 30, 12, 0.01, 4.345)' INTO v USING m, g, x, t_x, t;
    RETURN v;
END $$;
CREATE TABLE many AS
SELECT i % 7 AS x, CASE WHEN i % 7 = 0 THEN 0 ELSE 1 + i / 1000.0 END AS t_x, 5 + i / 100.0 AS t
  FROM generate_series(1, 1000) AS i;
SET work_mem = '64kB';
SET hash_mem_multiplier = 1;
SELECT count(*) AS customers, count(DISTINCT (x, t)) AS distinct_x_and_t,
       count(*) FILTER (WHERE customer_value(m, g, x, t_x, t, 30, 12, 0.01, 4.345)
                              <> numbers_alone(m, g, x, t_x, t)) AS value_differs
  FROM many, fit, gfit;
RESET work_mem;
RESET hash_mem_multiplier;
-- the two models do differ
SELECT count(*) FILTER (WHERE a0.value <> a1.value) AS values_differ_between_models
  FROM alone a0 JOIN alone a1 USING (customer_id) WHERE a0.k = 0 AND a1.k = 1;
-- P(alive) keeps the last customer's odds (predict_bgnbd.c): each customer
-- under the two models in turn, against eq. (13) written in SQL.
CREATE FUNCTION sql_p_alive(r float8, alpha float8, a float8, b float8, x float8, t_x float8, t float8)
RETURNS float8 LANGUAGE sql AS $$
    SELECT CASE WHEN x = 0 THEN 1.0
                ELSE 1.0 / (1.0 + a / (b + x - 1) * power((alpha + t) / (alpha + t_x), r + x)) END
$$;
SELECT count(*) AS customers,
       count(*) FILTER (WHERE abs(bgnbd_p_alive(m0.m, h) - sql_p_alive(p0.r, p0.alpha, p0.a, p0.b, c.x, c.t_x, c.t)) > 1e-12
                           OR abs(bgnbd_p_alive(m1.m, h) - sql_p_alive(p1.r, p1.alpha, p1.a, p1.b, c.x, c.t_x, c.t)) > 1e-12)
         AS p_alive_differs,
       count(*) FILTER (WHERE bgnbd_p_alive(m0.m, h) <> bgnbd_p_alive(m1.m, h)) AS differ_between_models
  FROM hist, models m0, models m1, bgnbd_parameters(m0.m) p0, bgnbd_parameters(m1.m) p1,
       LATERAL (SELECT history_frequency(h)::float8 AS x, history_recency(h, interval '7 days') AS t_x,
                       history_age(h, interval '7 days') AS t) c
 WHERE m0.k = 0 AND m1.k = 1;

----------------------------------------------------------------------------
-- Text forms round-trip; input is checked.
----------------------------------------------------------------------------
SELECT m::text::bgnbd_model::text = m::text AS bgnbd_roundtrip,
       (SELECT g::text::gamma_gamma_model::text = g::text FROM gfit) AS gamma_gamma_roundtrip,
       (SELECT bool_and(h::text::rfm_history::text = h::text) FROM hist) AS history_roundtrip
  FROM fit;
SELECT '(r=0.25, alpha=4, a=0.8, b=2.5)'::bgnbd_model;
SELECT '(r=0.25, alpha=4, a=0.8, b=2.5, ll=-1, n=10, unit=1 day, iterations=3, converged)'::bgnbd_model;
SELECT '(p=6, q=4, v=15)'::gamma_gamma_model;
SELECT '(x=2, t_x=5, T=9, unit=7 days, monetary_value=12.5)'::rfm_history;
SELECT '(r=-1, alpha=4, a=0.8, b=2.5)'::bgnbd_model;
SELECT '(r=0.25, alpha=4, a=0.8)'::bgnbd_model;
SELECT '(x=2, t_x=10, T=9, unit=1 day, monetary_value=1)'::rfm_history;
SELECT '(p=6, q=4, v=15, w=1)'::gamma_gamma_model;

----------------------------------------------------------------------------
-- Hostile inputs: a clear error, never NaN.
----------------------------------------------------------------------------
-- no customers, one customer, no repeaters, all identical
SELECT bgnbd_fit(x, t_x, t) FROM cal WHERE false;
SELECT bgnbd_fit(x, t_x, t) FROM cal WHERE customer_id = 4;
SELECT bgnbd_fit(x, t_x, t) FROM cal WHERE x = 0;
SELECT bgnbd_fit(h) FROM (SELECT rfm_history(d, 10, date '2020-12-31', interval '1 day') AS h
                            FROM generate_series(1, 50) c,
                                 unnest(ARRAY[date '2020-01-01', '2020-03-01', '2020-06-01']) d
                           GROUP BY c) s;
SELECT gamma_gamma_fit(x, m) FROM cal WHERE x = 0;
SELECT gamma_gamma_fit(x, m) FROM cal WHERE customer_id = 4;
SELECT gamma_gamma_fit(2, 10) FROM generate_series(1, 10);
-- too little data for a maximum
\set VERBOSITY terse
SELECT bgnbd_fit(x, t_x, t) FROM (VALUES (1, 5, 10), (0, 0, 20)) v(x, t_x, t);
SELECT gamma_gamma_fit(x, m) FROM (VALUES (2, 10), (3, 10)) v(x, m);
\set VERBOSITY default
-- invalid customers
SELECT bgnbd_fit(1.5, 2, 3);
SELECT bgnbd_fit(1, 4, 3);
SELECT bgnbd_fit(0, 1, 3);
SELECT bgnbd_p_alive(m, 1, 5, 'NaN') FROM fit;
SELECT gamma_gamma_fit(x, m) FROM (VALUES (2, 10), (2, -12)) v(x, m);
-- units
SELECT rfm_history(ordered_at, amount, date '1997-09-30', interval '1 month') FROM cdnow WHERE customer_id = 4;
SELECT rfm_history(ordered_at, amount, date '1997-09-30', interval '-1 day') FROM cdnow WHERE customer_id = 4;
SELECT rfm_history(ordered_at, amount, 'infinity'::date, interval '1 day') FROM cdnow WHERE customer_id = 4;
SELECT bgnbd_p_alive(par.m, h) FROM par, hist WHERE customer_id = 4;
SELECT bgnbd_expected_orders(m, h, interval '-5 days') FROM fit, hist WHERE customer_id = 4;
SELECT customer_value(m, g, h, 0) FROM fit, gfit, hist WHERE customer_id = 4;
-- a = 1 has no expectation; q <= 1 has no mean value
SELECT bgnbd_expected_orders('(r=0.25, alpha=4, a=1, b=2.5)'::bgnbd_model, 10);
SELECT gamma_gamma_expected_value('(p=6, q=0.9, v=15)'::gamma_gamma_model, 2, 10);
-- orders after as_of are ignored; a customer with none before gets NULL
SELECT rfm_history(ordered_at, amount, date '1996-12-31', interval '1 day') IS NULL AS no_history
  FROM cdnow WHERE customer_id = 4;

DROP SCHEMA rfm_test_prediction CASCADE;
