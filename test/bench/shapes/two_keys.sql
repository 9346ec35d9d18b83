-- two keys (a multi-tenant shop); issue 19's engine side
SELECT customer_id % 10 AS shop_id, customer_id,
       rfm_summary(ordered_at, amount, timestamptz '2026-11-23 00:00+00', interval '1 year') AS s
FROM __T__ GROUP BY 1, 2
