-- pgbench script: score a block of 100 customers (what a CRM screen does).
\set c random(1, :customers - 99)
WITH summaries AS (
    SELECT customer_id,
           rfm_summary(ordered_at, amount, timestamptz '2026-11-23 00:00+00', interval '1 year') AS s
    FROM orders
    WHERE customer_id BETWEEN :c AND :c + 99
    GROUP BY customer_id
), scored AS (
    SELECT customer_id, s, rfm_score(s) OVER () AS score FROM summaries
)
SELECT customer_id, score, rfm_segment(score) AS segment,
       rfm_segment(score, ARRAY[('top', 5, 5, 4, 5, 4, 5)::rfm_segment_rule,
                                ('gone', 1, 1, NULL, NULL, NULL, NULL)::rfm_segment_rule],
                   'other') AS custom_segment,
       loyalty_class(s), recency(s), frequency(s), monetary(s), avg_order_value(s), s::text
FROM scored
ORDER BY customer_id;
