-- Plain SQL scoring alone (three tie-aware rank() windows), over the same
-- per-customer figures pre-materialized (bench_figures): for comparison with score.sql.
SELECT customer_id,
       1 + 5 * (rank() OVER (ORDER BY recency_days DESC) - 1) / count(*) OVER () AS r,
       1 + 5 * (rank() OVER (ORDER BY frequency) - 1) / count(*) OVER () AS f,
       1 + 5 * (rank() OVER (ORDER BY monetary) - 1) / count(*) OVER () AS m
FROM bench_figures
