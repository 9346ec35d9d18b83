-- enable_partitionwise_aggregate = on over the order table partitioned by time
SELECT customer_id, rfm_summary(ordered_at, amount, timestamptz '2026-11-23 00:00+00', interval '1 year') AS s
FROM __P__ GROUP BY customer_id
