-- Deterministic sample orders for the scale-out suite: the single-node
-- control table orders_single on the coordinator. run.sh copies it into the
-- sharded table, so both hold exactly the same rows.
--
-- 200,000 generated orders over 20,000 customer ids with a skewed
-- distribution (customer 1 has ~1,400 orders, the highest ids ~5), three
-- years of history plus a month after as_of (2026-11-23, ignored by the
-- aggregate), about 4% refunds, and some NULL amounts and dates (skipped,
-- like sum() skips NULL). Pure integer arithmetic, no random(): the same rows
-- on every run and every machine.
--
-- A few hand-made customers add the edge cases a shard must ship correctly:
-- 20001..20003 ordered only after as_of (their summary is NULL),
-- 20004 only NULL amounts, 20005 a refund larger than its purchases.

CREATE TABLE orders_single (
    customer_id int,
    ordered_at  timestamptz,
    amount      numeric(12,2)
);

INSERT INTO orders_single (customer_id, ordered_at, amount)
SELECT 1 + ((r * r) / 1000003) * 20000 / 1000003,
       CASE WHEN g % 211 = 0 THEN NULL
            ELSE timestamptz '2023-11-23 00:00+00'
                 + ((g::bigint * 2654435761) % ((3 * 365 + 31) * 86400)) * interval '1 second'
       END,
       CASE WHEN g % 97 = 0 THEN NULL
            WHEN g % 23 = 0 THEN -((g % 5000) / 100.0)
            ELSE ((g::bigint * 7919) % 50000) / 100.0 + 0.01
       END::numeric(12,2)
FROM (SELECT g, (g::bigint * 48271) % 1000003 AS r
      FROM generate_series(1, 200000) AS g) AS x;

INSERT INTO orders_single (customer_id, ordered_at, amount) VALUES
    (20001, '2026-11-23 00:00:01+00', 10.00),
    (20001, '2026-12-01 12:00+00', 20.00),
    (20002, '2026-12-24 08:30+00', 99.99),
    (20003, '2026-11-30 23:59:59+00', 5.00),
    (20004, '2026-01-02 03:04:05+00', NULL),
    (20004, '2025-06-07 08:09:10+00', NULL),
    (20005, '2026-11-22 23:59:59+00', 40.00),
    (20005, '2026-11-23 00:00+00', -100.00),
    (20005, NULL, 1000.00);
