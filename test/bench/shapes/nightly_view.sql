-- the README's nightly materialized view's query (WHERE s IS NOT NULL: HAVING)
WITH per_customer AS (
    SELECT customer_id, rfm_summary(ordered_at, amount, timestamptz '2026-11-23 00:00+00', interval '1 year') AS s
    FROM __T__ GROUP BY customer_id
)
SELECT customer_id, s, recency(s) AS recency_days, frequency(s) AS orders_last_year,
       monetary(s) AS spend_last_year, rfm_score(s) OVER () AS score,
       rfm_segment(rfm_score(s) OVER ()) AS segment, loyalty_class(s) AS loyalty
FROM per_customer
WHERE s IS NOT NULL
