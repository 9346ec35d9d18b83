-- The extension end to end, scored against the summaries' own cut points
-- (rfm_breaks + the scalar rfm_score(s, breaks)) instead of the window: the
-- same scores (README: "Scoring the same customers against their own cut
-- points gives exactly the window's scores"); for comparison with extension.sql.
WITH summaries AS MATERIALIZED (
    SELECT customer_id,
           rfm_summary(ordered_at, amount, timestamptz '2026-11-23 00:00+00', interval '1 year') AS s
    FROM bench_orders
    GROUP BY customer_id
), cuts AS (
    SELECT rfm_breaks(s) AS b FROM summaries
)
SELECT customer_id, s,
       rfm_score(s, (SELECT b FROM cuts))              AS score,
       rfm_segment(rfm_score(s, (SELECT b FROM cuts))) AS segment,
       loyalty_class(s)                                AS loyalty
FROM summaries
