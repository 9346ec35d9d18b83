-- The prediction models' input: one rfm_history per customer, in days (as
-- lifetimes' summary_data_from_transaction_data with freq='D').
SELECT customer_id,
       rfm_history(ordered_at, amount, timestamptz '2026-11-23 00:00+00', interval '1 day') AS h
FROM bench_orders
GROUP BY customer_id
