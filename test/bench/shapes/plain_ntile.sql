-- Plain SQL end to end, the naive way the issue describes: three ntile(5)
-- windows. NOT the same semantics: ntile cuts the sorted rows into five
-- equal-sized groups, so customers with equal values (same recency day, same
-- order count, same spend) can land in different scores, and which one gets
-- which depends on the sort's tie order (not reproducible across plans).
-- Same columns and the same segment / loyalty CASEs as plain_rank.sql.
WITH per_customer AS (
    SELECT customer_id,
           floor(extract(epoch FROM timestamptz '2026-11-23 00:00+00' - max(ordered_at)) / 86400)::int
               AS recency_days,
           count(*) FILTER (WHERE ordered_at > timestamptz '2026-11-23 00:00+00' - interval '1 year')
               AS frequency,
           coalesce(sum(amount) FILTER (WHERE ordered_at > timestamptz '2026-11-23 00:00+00' - interval '1 year'), 0)
               AS monetary
    FROM __T__
    WHERE ordered_at <= timestamptz '2026-11-23 00:00+00'
    GROUP BY customer_id
), scored AS (
    SELECT *,
           ntile(5) OVER (ORDER BY recency_days DESC) AS r,
           ntile(5) OVER (ORDER BY frequency) AS f,
           ntile(5) OVER (ORDER BY monetary) AS m
    FROM per_customer
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
