-- The bare built-in GROUP BY the summary aggregate is held against
-- (run with the planner's choice, hashing, and again with enable_hashagg = off).
SELECT customer_id, count(*), max(ordered_at), sum(amount)
FROM bench_orders
GROUP BY customer_id
