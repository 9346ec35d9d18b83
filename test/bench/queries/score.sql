-- The window function alone, over pre-materialized summaries (bench_summaries).
SELECT rfm_score(s) OVER () FROM bench_summaries
