-- a text key (an e-mail address); issue 19's engine side
SELECT 'customer' || customer_id || '@example.com' AS email,
       rfm_summary(ordered_at, amount, timestamptz '2026-11-23 00:00+00', interval '1 year') AS s
FROM __T__ GROUP BY 1
