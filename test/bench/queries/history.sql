-- The predictions' input: one rfm_history per customer, days as periods.
SELECT customer_id,
       rfm_history(ordered_at, amount, timestamptz '2026-11-23 00:00+00', interval '1 day') AS h
FROM bench_orders
GROUP BY customer_id
