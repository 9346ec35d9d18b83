-- a report's other aggregates beside the summary; issue 19's engine side
SELECT customer_id, rfm_summary(ordered_at, amount, timestamptz '2026-11-23 00:00+00', interval '1 year') AS s,
       count(*) AS orders, sum(amount) AS revenue, max(ordered_at) AS last_order
FROM __T__ GROUP BY customer_id
