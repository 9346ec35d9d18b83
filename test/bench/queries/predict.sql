-- Prediction end to end, written as the README does: the histories, BG/NBD
-- (in weeks) and Gamma-Gamma fitted over them (Gamma-Gamma over the repeat
-- customers whose repeat purchases sum to more than 0: the benchmark's
-- refunds leave some at 0 or below), then per customer P(alive), the
-- expected orders of the next 90 days and, where Gamma-Gamma applies, the
-- 12-month customer value.
WITH history AS (
    SELECT customer_id,
           rfm_history(ordered_at, amount, timestamptz '2026-11-23 00:00+00', interval '1 day') AS h
    FROM bench_orders
    GROUP BY customer_id
), model AS (
    SELECT bgnbd_fit(h, interval '7 days') AS m FROM history
), spend AS (
    SELECT gamma_gamma_fit(h) FILTER (WHERE history_monetary_value(h) > 0) AS g FROM history
)
SELECT customer_id,
       bgnbd_p_alive(m, h)                             AS p_alive,
       bgnbd_expected_orders(m, h, interval '90 days') AS next_90_days,
       CASE WHEN history_frequency(h) = 0 OR history_monetary_value(h) > 0
            THEN customer_value(m, g, h, 12, 0.01) END AS value_12_months
FROM model, spend, history
