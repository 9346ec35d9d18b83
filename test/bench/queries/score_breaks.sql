-- Scoring alone without a window: the summaries' own cut points (rfm_breaks,
-- one pass) and the scalar rfm_score(s, breaks) (another pass), over the same
-- pre-materialized summaries as score.sql; the same scores as the window.
SELECT rfm_score(s, (SELECT rfm_breaks(s) FROM bench_summaries)) FROM bench_summaries
