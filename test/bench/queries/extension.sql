-- The extension end to end: summary, score, segment, loyalty, written as the
-- README does (the two identical rfm_score(s) OVER () calls are evaluated once:
-- the executor shares identical window function calls).
WITH summaries AS (
    SELECT customer_id,
           rfm_summary(ordered_at, amount, timestamptz '2026-11-23 00:00+00', interval '1 year') AS s
    FROM bench_orders
    GROUP BY customer_id
)
SELECT customer_id, s,
       rfm_score(s) OVER ()              AS score,
       rfm_segment(rfm_score(s) OVER ()) AS segment,
       loyalty_class(s)                  AS loyalty
FROM summaries
