-- The extension's summary aggregate alone (one rfm_summary per customer).
SELECT customer_id,
       rfm_summary(ordered_at, amount, timestamptz '2026-11-23 00:00+00', interval '1 year') AS s
FROM bench_orders
GROUP BY customer_id
