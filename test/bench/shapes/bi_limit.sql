-- a BI tool's wrapper (an index on customer_id exists)
SELECT * FROM (
    SELECT customer_id, rfm_summary(ordered_at, amount, timestamptz '2026-11-23 00:00+00', interval '1 year') AS s
    FROM __T__ GROUP BY customer_id) AS source
LIMIT 2000
