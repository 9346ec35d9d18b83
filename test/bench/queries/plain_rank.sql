-- Plain SQL end to end, tie-aware: the extension's exact semantics.
--   per customer: recency = whole days from the last order on or before as_of,
--     frequency / monetary over the period (as_of - 1 year, as_of] (FILTER);
--   score per dimension = 1 + floor(5 * L / N), L = customers strictly worse:
--     with the dimension ordered worse-first, L = rank() - 1 (ties share a rank),
--     N = count(*) OVER (); bigint division truncates = floor for L >= 0;
--     only customers with an order in the period are ranked (N, L); a lapsed
--     one (frequency 0) scores 1, 1, 1;
--   segment: the R-by-FM grid, FM = round-half-up((F + M) / 2) = (F + M + 1) / 2;
--   loyalty: >= 10 orders in the period loyal, >= 2 repeat, 1 one_time, 0 lapsed.
-- Requires TimeZone = UTC for the '1 year' subtraction to match the extension
-- (which subtracts the period in UTC); run_bench.sh sets it.
WITH per_customer AS (
    SELECT customer_id,
           floor(extract(epoch FROM timestamptz '2026-11-23 00:00+00' - max(ordered_at)) / 86400)::int
               AS recency_days,
           count(*) FILTER (WHERE ordered_at > timestamptz '2026-11-23 00:00+00' - interval '1 year')
               AS frequency,
           coalesce(sum(amount) FILTER (WHERE ordered_at > timestamptz '2026-11-23 00:00+00' - interval '1 year'), 0)
               AS monetary
    FROM bench_orders
    WHERE ordered_at <= timestamptz '2026-11-23 00:00+00'
    GROUP BY customer_id
), scored AS (
    SELECT *,
           1 + 5 * (rank() OVER (ORDER BY recency_days DESC) - 1) / count(*) OVER () AS r,
           1 + 5 * (rank() OVER (ORDER BY frequency) - 1) / count(*) OVER () AS f,
           1 + 5 * (rank() OVER (ORDER BY monetary) - 1) / count(*) OVER () AS m
    FROM per_customer
    WHERE frequency > 0
    UNION ALL
    SELECT *, 1, 1, 1 FROM per_customer WHERE frequency = 0
), graded AS (
    SELECT *, (f + m + 1) / 2 AS fm FROM scored
)
SELECT customer_id, recency_days, frequency, monetary,
       (r * 100 + f * 10 + m)::text AS score,
       CASE
           WHEN (r = 5 AND fm >= 4) OR (r = 4 AND fm = 5)           THEN 'champions'
           WHEN (r = 5 AND fm = 3) OR (r = 4 AND fm = 4)
             OR (r = 3 AND fm >= 4)                                 THEN 'loyal'
           WHEN (r = 5 AND fm = 2) OR (r = 4 AND fm IN (2, 3))
             OR (r = 3 AND fm = 3)                                  THEN 'potential_loyalist'
           WHEN r = 5 AND fm = 1                                    THEN 'new_customers'
           WHEN r IN (3, 4) AND fm = 1                              THEN 'promising'
           WHEN (r = 3 AND fm = 2) OR (r = 2 AND fm IN (2, 3))      THEN 'need_attention'
           WHEN r = 2 AND fm = 1                                    THEN 'about_to_sleep'
           WHEN (r = 2 AND fm >= 4) OR (r = 1 AND fm = 3)           THEN 'at_risk'
           WHEN r = 1 AND fm >= 4                                   THEN 'cannot_lose_them'
           WHEN r = 1 AND fm = 2                                    THEN 'hibernating'
           ELSE                                                          'lost'
       END AS segment,
       CASE WHEN frequency >= 10 THEN 'loyal'
            WHEN frequency >= 2  THEN 'repeat'
            WHEN frequency = 1   THEN 'one_time'
            ELSE                      'lapsed'
       END AS loyalty
FROM graded
