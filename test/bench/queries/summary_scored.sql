-- The summaries with their window scores only: the scoring step on top of
-- the engine (the "RFM WindowAgg" node, or WindowAgg with rfm.fast_scoring
-- off), to be compared with summary.sql in the same round.
SELECT customer_id, s, rfm_score(s) OVER () AS score
FROM (
    SELECT customer_id,
           rfm_summary(ordered_at, amount, timestamptz '2026-11-23 00:00+00', interval '1 year') AS s
    FROM bench_orders
    GROUP BY customer_id
) AS summaries
