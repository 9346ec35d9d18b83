-- the README's query: summary, score, segment, loyalty
WITH summaries AS (
    SELECT customer_id, rfm_summary(ordered_at, amount, timestamptz '2026-11-23 00:00+00', interval '1 year') AS s
    FROM __T__ GROUP BY customer_id
)
SELECT customer_id, s, rfm_score(s) OVER () AS score, rfm_segment(rfm_score(s) OVER ()) AS segment,
       loyalty_class(s) AS loyalty
FROM summaries
