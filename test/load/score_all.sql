-- pgbench script: the whole customer base: summaries, frozen cut points,
-- scores against them, and the R-by-FM grid (what a nightly job does).
WITH summaries AS (
    SELECT customer_id,
           rfm_summary(ordered_at, amount, timestamptz '2026-11-23 00:00+00', interval '1 year') AS s
    FROM orders
    GROUP BY customer_id
), cuts AS (
    SELECT rfm_breaks(s) AS b FROM summaries
), scored AS (
    SELECT rfm_score(s) OVER () AS score, rfm_score(s, (SELECT b FROM cuts)) AS frozen
    FROM summaries
)
SELECT g.*, (SELECT count(*) FROM scored WHERE score <> frozen) AS mismatches
FROM rfm_grid(ARRAY(SELECT score FROM scored WHERE score IS NOT NULL)) AS g;
