--
-- holdout: calibration/holdout diagnostics on CDNOW (calibration
-- 1997-01-01 .. 1997-09-30, holdout the next 39 weeks, to 1998-06-30), the
-- table lifetimes' plot_calibration_purchases_vs_holdout_purchases draws:
-- by calibration frequency, the mean actual holdout repeat purchase days
-- against each model's mean prediction; and the models' fit statistics.
--
CREATE SCHEMA rfm_test_holdout;
SET search_path = rfm_test_holdout, public;
SET extra_float_digits = 0;
CREATE TABLE raw (line text);
\copy raw FROM 'test/data/CDNOW_sample.txt'
CREATE TABLE cdnow AS
SELECT f[1]::int AS customer_id, to_date(f[3], 'YYYYMMDD') AS ordered_at, f[5]::numeric AS amount
  FROM (SELECT regexp_split_to_array(btrim(line), '\s+') AS f FROM raw) AS s;

-- One pass over the orders: each customer's history as of the calibration
-- end and as of the holdout end.
CREATE TABLE hist AS
SELECT customer_id,
       rfm_history(ordered_at, amount, date '1997-09-30', interval '1 day') AS cal,
       rfm_history(ordered_at, amount, date '1998-06-30', interval '1 day') AS through_holdout
  FROM cdnow GROUP BY customer_id;
CREATE TABLE models AS
SELECT bgnbd_fit(cal, interval '7 days') AS bg, pareto_nbd_fit(cal, interval '7 days') AS pareto,
       mbgnbd_fit(cal, interval '7 days') AS mbg
  FROM hist;

-- The holdout counts against plain SQL: distinct order days after the
-- calibration end, up to the holdout end.
SELECT count(*) AS customers,
       count(*) FILTER (WHERE history_holdout_orders(cal, through_holdout) IS DISTINCT FROM
                              (SELECT count(DISTINCT ordered_at) FROM cdnow c
                                WHERE c.customer_id = hist.customer_id
                                  AND ordered_at > date '1997-09-30' AND ordered_at <= date '1998-06-30')) AS mismatches,
       sum(history_holdout_orders(cal, through_holdout)) AS holdout_purchase_days
  FROM hist;

-- The chart's table: frequencies 7 and above in one bin, as lifetimes does.
SELECT least(history_frequency(cal), 7) AS calibration_frequency, count(*) AS customers,
       round(avg(history_holdout_orders(cal, through_holdout)), 3) AS actual,
       round(avg(bgnbd_expected_orders(bg, cal, interval '39 weeks'))::numeric, 3) AS bgnbd,
       round(avg(pareto_nbd_expected_orders(pareto, cal, interval '39 weeks'))::numeric, 3) AS pareto_nbd,
       round(avg(mbgnbd_expected_orders(mbg, cal, interval '39 weeks'))::numeric, 3) AS mbgnbd
  FROM hist, models
 GROUP BY 1 ORDER BY 1;

-- The models' totals over the holdout (the rows above, weighted by their
-- customers, add up to them; the actual total is 1882).
SELECT round(sum(bgnbd_expected_orders(bg, cal, interval '39 weeks'))::numeric, 1) AS bgnbd_total,
       round(sum(pareto_nbd_expected_orders(pareto, cal, interval '39 weeks'))::numeric, 1) AS pareto_nbd_total,
       round(sum(mbgnbd_expected_orders(mbg, cal, interval '39 weeks'))::numeric, 1) AS mbgnbd_total
  FROM hist, models;

-- Comparing the models fitted to the same customers (lower AIC / BIC is better).
SELECT f.model, round(f.log_likelihood::numeric, 2) AS log_likelihood, f.parameters, f.customers,
       round(f.aic::numeric, 2) AS aic, round(f.bic::numeric, 2) AS bic,
       round((8 - 2 * f.log_likelihood)::numeric, 2) = round(f.aic::numeric, 2) AS aic_by_hand,
       round((4 * ln(2357) - 2 * f.log_likelihood)::numeric, 2) = round(f.bic::numeric, 2) AS bic_by_hand
  FROM models, LATERAL (SELECT * FROM fit_statistics(bg) UNION ALL SELECT * FROM fit_statistics(pareto)
                        UNION ALL SELECT * FROM fit_statistics(mbg)) AS f
 ORDER BY f.aic;
SELECT model, round(log_likelihood::numeric, 2) AS log_likelihood, parameters, customers,
       round(aic::numeric, 2) AS aic, round(bic::numeric, 2) AS bic
  FROM (SELECT gamma_gamma_fit(cal) AS g FROM hist) s, fit_statistics(g);
-- A model typed in, not fitted: no AIC or BIC.
SELECT * FROM fit_statistics('(r=0.5, alpha=10, s=0.6, beta=12)'::pareto_nbd_model);

-- Hostile pairs.
SELECT history_holdout_orders(through_holdout, cal) FROM hist WHERE customer_id = 4;
SELECT history_holdout_orders((SELECT cal FROM hist WHERE customer_id = 4),
                              (SELECT rfm_history(ordered_at, amount, date '1998-06-30', interval '7 days')
                                 FROM cdnow WHERE customer_id = 4));
SELECT history_holdout_orders(a.cal, b.through_holdout) FROM hist a, hist b WHERE a.customer_id = 4 AND b.customer_id = 18;
SELECT history_holdout_orders(cal, cal) AS none FROM hist WHERE customer_id = 4;

DROP SCHEMA rfm_test_holdout CASCADE;
