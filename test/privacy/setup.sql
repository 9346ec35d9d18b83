-- The privacy suite's shop: the README's Privacy recipes (schema demo there,
-- shop here) over a small deterministic order table with a few segments of
-- fewer than 10 customers, so k-anonymity has something to suppress.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
CREATE EXTENSION rfm;
CREATE EXTENSION pgcrypto;
CREATE SCHEMA shop;

-- 500 customers; a uniform draw from a key and a salt (first 52 bits of an md5).
CREATE FUNCTION pg_temp.u(k bigint, salt int) RETURNS double precision
LANGUAGE sql IMMUTABLE AS $$
    SELECT ('x' || substr(md5(k::text || ':' || salt::text), 1, 13))::bit(52)::bigint / 4503599627370496.0
$$;
CREATE TABLE shop.orders (
    order_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id int NOT NULL,
    ordered_at  timestamptz NOT NULL,
    amount      numeric(12,2) NOT NULL
);
INSERT INTO shop.orders (customer_id, ordered_at, amount)
SELECT c, timestamptz '2026-11-23 00:00+00'
          - make_interval(days => (700 * pg_temp.u(c * 100 + i, 2) ^ (1 + 3 * pg_temp.u(c, 3)))::int),
       round((10 + 200 * pg_temp.u(c * 100 + i, 4) * pg_temp.u(c, 5))::numeric, 2)
FROM generate_series(1, 500) AS c,
     LATERAL generate_series(1, 1 + (25 * pg_temp.u(c, 1) ^ 3)::int) AS i;

CREATE TABLE shop.customer_attributes (
    customer_id int PRIMARY KEY,
    age_band    text NOT NULL,
    region      text NOT NULL,
    channel     text NOT NULL
);
INSERT INTO shop.customer_attributes
SELECT c, (ARRAY['18-29', '30-39', '40-49', '50-64', '65+'])[1 + floor(5 * pg_temp.u(c, 6))::int],
          (ARRAY['north', 'south', 'east', 'west'])[1 + floor(4 * pg_temp.u(c, 7) ^ 2)::int],
          (ARRAY['web', 'app', 'store'])[1 + floor(3 * pg_temp.u(c, 8))::int]
FROM generate_series(1, 500) AS c;

CREATE MATERIALIZED VIEW shop.customer_rfm AS
SELECT customer_id, s,
       rfm_score(s) OVER ()              AS score,
       rfm_segment(rfm_score(s) OVER ()) AS segment,
       loyalty_class(s)                  AS loyalty
FROM (SELECT customer_id,
             rfm_summary(ordered_at, amount, timestamptz '2026-11-23 00:00+00', interval '1 year') AS s
      FROM shop.orders GROUP BY customer_id) AS per_customer;
CREATE UNIQUE INDEX ON shop.customer_rfm (customer_id);

-- Two more stored summaries per customer, as the recipes keep them: the
-- prediction histories and each night's segments.
CREATE MATERIALIZED VIEW shop.history AS
SELECT customer_id, rfm_history(ordered_at, amount, timestamptz '2026-11-23 00:00+00', interval '1 day') AS h
FROM shop.orders GROUP BY customer_id;
CREATE TABLE shop.segment_history (
    as_of date NOT NULL, customer_id int NOT NULL, score rfm_score, segment segment,
    loyalty loyalty_class, PRIMARY KEY (as_of, customer_id));
INSERT INTO shop.segment_history
SELECT (as_of(s) AT TIME ZONE 'UTC')::date, customer_id, score, segment, loyalty FROM shop.customer_rfm;

-- The profile of README "Who is in a segment", schema shop.
CREATE FUNCTION shop.segment_profile(k int DEFAULT 10)
RETURNS TABLE (segment segment, attribute text, value text, customers bigint,
               share_in_segment numeric, share_in_base numeric, lift numeric)
LANGUAGE sql STABLE AS $$
    WITH facts AS (
        SELECT c.segment, a.attribute, a.value
        FROM shop.customer_rfm AS c
        JOIN shop.customer_attributes AS p USING (customer_id)
        CROSS JOIN LATERAL jsonb_each_text(to_jsonb(p) - 'customer_id') AS a(attribute, value)
    ), cells AS (
        SELECT segment, attribute, value, count(*) AS customers
        FROM facts GROUP BY segment, attribute, value
    ), shares AS (
        SELECT *,
               sum(customers) OVER (PARTITION BY segment, attribute) AS segment_size,
               sum(customers) OVER (PARTITION BY attribute, value)   AS value_size,
               sum(customers) OVER (PARTITION BY attribute)          AS base_size
        FROM cells
    ), by_segment AS (          -- cells under k, then one more where the rest is under k
        SELECT *,
               segment_size >= k AND customers >= k
               AND NOT (segment_size - coalesce(sum(customers) FILTER (WHERE customers >= k)
                                                OVER (PARTITION BY segment, attribute), 0)
                        BETWEEN 1 AND k - 1
                        AND row_number() OVER (PARTITION BY segment, attribute, customers >= k
                                               ORDER BY customers, value) = 1) AS shown
        FROM shares
    ), by_value AS (            -- the same across segments, for each attribute value
        SELECT *,
               value_size - coalesce(sum(customers) FILTER (WHERE shown)
                                     OVER (PARTITION BY attribute, value), 0) AS hidden,
               row_number() OVER (PARTITION BY attribute, value, shown
                                  ORDER BY customers, segment) AS smallest
        FROM by_segment
    )
    SELECT segment, attribute, value, customers,
           round(customers::numeric / segment_size, 3),
           round(value_size::numeric / base_size, 3),
           round((customers::numeric / segment_size) / (value_size::numeric / base_size), 2)
    FROM by_value
    WHERE shown AND NOT (hidden BETWEEN 1 AND k - 1 AND smallest = 1)
$$;

CREATE VIEW shop.segment_report AS
SELECT segment, segment_label(segment, NULL) AS label, count(*) AS customers
FROM shop.customer_rfm
GROUP BY segment
HAVING count(*) >= 10
ORDER BY segment;

-- Pseudonyms: the key in a table only its owner reads.
CREATE TABLE shop.export_key (key bytea NOT NULL);
INSERT INTO shop.export_key SELECT gen_random_bytes(32);
CREATE FUNCTION shop.pseudonym(customer_id bigint) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT encode(hmac(convert_to(customer_id::text, 'UTF8'), key, 'sha256'), 'hex')
    FROM shop.export_key
$$;

-- Erasure, with every per-customer table of this shop.
CREATE PROCEDURE shop.forget_customer(id int) LANGUAGE sql AS $$
    DELETE FROM shop.orders WHERE customer_id = id;
    DELETE FROM shop.customer_attributes WHERE customer_id = id;
    DELETE FROM shop.segment_history WHERE customer_id = id;
    REFRESH MATERIALIZED VIEW shop.customer_rfm;
    REFRESH MATERIALIZED VIEW shop.history;
$$;

-- The marketing role: segments and scores, the k-anonymous report, nothing else.
CREATE ROLE regress_privacy_marketing LOGIN;
GRANT USAGE ON SCHEMA shop TO regress_privacy_marketing;
GRANT SELECT (customer_id, score, segment, loyalty) ON shop.customer_rfm TO regress_privacy_marketing;
GRANT SELECT ON shop.segment_report TO regress_privacy_marketing;
