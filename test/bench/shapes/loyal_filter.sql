-- WHERE loyalty_class(s) = 'loyal' over the grouping subquery (HAVING)
SELECT * FROM (
    SELECT customer_id, rfm_summary(ordered_at, amount, timestamptz '2026-11-23 00:00+00', interval '1 year') AS s
    FROM __T__ GROUP BY customer_id) q
WHERE loyalty_class(s) = 'loyal'
