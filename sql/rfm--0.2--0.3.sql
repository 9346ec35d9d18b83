-- rfm 0.2 -> 0.3 (ALTER EXTENSION rfm UPDATE TO '0.3').
-- Every object this script creates or changes is written out the same way in
-- rfm--0.3.sql; test/lifecycle/run.sh checks that both give one catalog.

\echo Use "ALTER EXTENSION rfm UPDATE TO '0.3'" to load this file. \quit

----------------------------------------------------------------------------
-- 0.3 (in development until its last issue is resolved; then frozen).
-- Each open issue adds its objects in its own block below, and the same
-- objects, written the same way, in the same block of rfm--0.2--0.3.sql.
----------------------------------------------------------------------------

-- 0.3 block: the planner's choice of the engine (issue 19)
-- rfm_summary's transition and final functions get a planner support
-- function: the planner calls it while costing a query's aggregates,
-- before it builds the grouping paths, which loads rfm (and its planner
-- hooks) in a session's first rfm query without any preload setting; it also
-- gives the planner their measured costs.
CREATE FUNCTION rfm_summary_trans_support(internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION rfm_summary_trans_support(internal) IS 'Planner support of rfm_summary''s transition and final functions: loads rfm before the grouping is planned and gives their measured costs';
ALTER FUNCTION rfm_summary_trans(rfm_summary, date, numeric, date) SUPPORT rfm_summary_trans_support;
ALTER FUNCTION rfm_summary_trans(rfm_summary, date, numeric, date, interval) SUPPORT rfm_summary_trans_support;
ALTER FUNCTION rfm_summary_trans(rfm_summary, date, double precision, date) SUPPORT rfm_summary_trans_support;
ALTER FUNCTION rfm_summary_trans(rfm_summary, date, double precision, date, interval) SUPPORT rfm_summary_trans_support;
ALTER FUNCTION rfm_summary_trans(rfm_summary, date, bigint, date) SUPPORT rfm_summary_trans_support;
ALTER FUNCTION rfm_summary_trans(rfm_summary, date, bigint, date, interval) SUPPORT rfm_summary_trans_support;
ALTER FUNCTION rfm_summary_trans(rfm_summary, date, integer, date) SUPPORT rfm_summary_trans_support;
ALTER FUNCTION rfm_summary_trans(rfm_summary, date, integer, date, interval) SUPPORT rfm_summary_trans_support;
ALTER FUNCTION rfm_summary_trans(rfm_summary, date, money, date) SUPPORT rfm_summary_trans_support;
ALTER FUNCTION rfm_summary_trans(rfm_summary, date, money, date, interval) SUPPORT rfm_summary_trans_support;
ALTER FUNCTION rfm_summary_trans(rfm_summary, timestamp, numeric, timestamp) SUPPORT rfm_summary_trans_support;
ALTER FUNCTION rfm_summary_trans(rfm_summary, timestamp, numeric, timestamp, interval) SUPPORT rfm_summary_trans_support;
ALTER FUNCTION rfm_summary_trans(rfm_summary, timestamp, double precision, timestamp) SUPPORT rfm_summary_trans_support;
ALTER FUNCTION rfm_summary_trans(rfm_summary, timestamp, double precision, timestamp, interval) SUPPORT rfm_summary_trans_support;
ALTER FUNCTION rfm_summary_trans(rfm_summary, timestamp, bigint, timestamp) SUPPORT rfm_summary_trans_support;
ALTER FUNCTION rfm_summary_trans(rfm_summary, timestamp, bigint, timestamp, interval) SUPPORT rfm_summary_trans_support;
ALTER FUNCTION rfm_summary_trans(rfm_summary, timestamp, integer, timestamp) SUPPORT rfm_summary_trans_support;
ALTER FUNCTION rfm_summary_trans(rfm_summary, timestamp, integer, timestamp, interval) SUPPORT rfm_summary_trans_support;
ALTER FUNCTION rfm_summary_trans(rfm_summary, timestamp, money, timestamp) SUPPORT rfm_summary_trans_support;
ALTER FUNCTION rfm_summary_trans(rfm_summary, timestamp, money, timestamp, interval) SUPPORT rfm_summary_trans_support;
ALTER FUNCTION rfm_summary_trans(rfm_summary, timestamptz, numeric, timestamptz) SUPPORT rfm_summary_trans_support;
ALTER FUNCTION rfm_summary_trans(rfm_summary, timestamptz, numeric, timestamptz, interval) SUPPORT rfm_summary_trans_support;
ALTER FUNCTION rfm_summary_trans(rfm_summary, timestamptz, double precision, timestamptz) SUPPORT rfm_summary_trans_support;
ALTER FUNCTION rfm_summary_trans(rfm_summary, timestamptz, double precision, timestamptz, interval) SUPPORT rfm_summary_trans_support;
ALTER FUNCTION rfm_summary_trans(rfm_summary, timestamptz, bigint, timestamptz) SUPPORT rfm_summary_trans_support;
ALTER FUNCTION rfm_summary_trans(rfm_summary, timestamptz, bigint, timestamptz, interval) SUPPORT rfm_summary_trans_support;
ALTER FUNCTION rfm_summary_trans(rfm_summary, timestamptz, integer, timestamptz) SUPPORT rfm_summary_trans_support;
ALTER FUNCTION rfm_summary_trans(rfm_summary, timestamptz, integer, timestamptz, interval) SUPPORT rfm_summary_trans_support;
ALTER FUNCTION rfm_summary_trans(rfm_summary, timestamptz, money, timestamptz) SUPPORT rfm_summary_trans_support;
ALTER FUNCTION rfm_summary_trans(rfm_summary, timestamptz, money, timestamptz, interval) SUPPORT rfm_summary_trans_support;
ALTER FUNCTION rfm_summary_final(rfm_summary) SUPPORT rfm_summary_trans_support;

-- end of block (issue 19)

-- 0.3 block: every supported PostgreSQL (issue 20)

-- end of block (issue 20)

-- 0.3 block: the large shop (issue 21)

-- end of block (issue 21)

-- 0.3 block: from segment to action (issue 22)

-- What each segment and loyalty class means and what to do about it, in
-- English (en) and Traditional Chinese (zh-Hant). The defaults are in the
-- library; rows of rfm_text override them per database (and pg_dump keeps
-- them). The functions read the table through its schema, not search_path.
CREATE TABLE rfm_text (
    vocabulary  text NOT NULL CHECK (vocabulary IN ('segment', 'loyalty_class')),
    name        text NOT NULL,
    language    text NOT NULL CHECK (language IN ('en', 'zh-Hant')),
    label       text,
    description text,
    action      text,
    PRIMARY KEY (vocabulary, name, language),
    -- a name not in its vocabulary fails the cast, with the valid names in the hint
    CONSTRAINT rfm_text_name_check CHECK (CASE vocabulary
        WHEN 'segment' THEN name::segment IS NOT NULL
        WHEN 'loyalty_class' THEN name::loyalty_class IS NOT NULL END)
);
COMMENT ON TABLE rfm_text IS
    'Per-database texts of segments and loyalty classes: a row overrides the built-in label, description and action of one name in one language (en, zh-Hant); a NULL field keeps the built-in text';
SELECT pg_catalog.pg_extension_config_dump('rfm_text', '');
-- Everyone reads the texts (the functions run as the caller); whoever
-- created the extension edits them (a trusted extension's table belongs to
-- the bootstrap superuser).
GRANT SELECT ON rfm_text TO PUBLIC;
GRANT INSERT, UPDATE, DELETE ON rfm_text TO @extowner@;

CREATE FUNCTION segment_label(segment, language text) RETURNS text
    AS 'MODULE_PATHNAME', 'rfm_segment_label_in' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION segment_label(segment, text) IS
    'Display label of a segment in a language (en, zh-Hant; NULL: the setting rfm.language), overridable in rfm_text';
CREATE FUNCTION segment_description(segment, language text DEFAULT NULL) RETURNS text
    AS 'MODULE_PATHNAME', 'rfm_segment_description' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION segment_description(segment, text) IS
    'What a segment''s customers have in common, in one line for a marketer, in a language (en, zh-Hant; NULL: the setting rfm.language), overridable in rfm_text';
CREATE FUNCTION segment_action(segment, language text DEFAULT NULL) RETURNS text
    AS 'MODULE_PATHNAME', 'rfm_segment_action' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION segment_action(segment, text) IS
    'The suggested next step with a segment''s customers, in one line, in a language (en, zh-Hant; NULL: the setting rfm.language), overridable in rfm_text';
CREATE FUNCTION loyalty_label(loyalty_class, language text DEFAULT NULL) RETURNS text
    AS 'MODULE_PATHNAME', 'rfm_loyalty_label' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION loyalty_label(loyalty_class, text) IS
    'Display label of a loyalty class in a language (en, zh-Hant; NULL: the setting rfm.language), overridable in rfm_text';
CREATE FUNCTION loyalty_description(loyalty_class, language text DEFAULT NULL) RETURNS text
    AS 'MODULE_PATHNAME', 'rfm_loyalty_description' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION loyalty_description(loyalty_class, text) IS
    'What a loyalty class means, in one line for a marketer, in a language (en, zh-Hant; NULL: the setting rfm.language), overridable in rfm_text';
CREATE FUNCTION loyalty_action(loyalty_class, language text DEFAULT NULL) RETURNS text
    AS 'MODULE_PATHNAME', 'rfm_loyalty_action' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION loyalty_action(loyalty_class, text) IS
    'The suggested next step with a loyalty class, in one line, in a language (en, zh-Hant; NULL: the setting rfm.language), overridable in rfm_text';

-- The guides: every segment (loyalty class), best first, in the language of
-- rfm.language. Views, so their calls are bound when they are created.
CREATE VIEW segment_guide AS
SELECT s.segment,
       segment_label(s.segment, NULL)       AS label,
       segment_description(s.segment, NULL) AS description,
       segment_action(s.segment, NULL)      AS action
FROM pg_catalog.unnest('{champions, loyal, potential_loyalist, new_customers, promising,
                         need_attention, about_to_sleep, at_risk, cannot_lose_them,
                         hibernating, lost}'::segment[]) AS s(segment);
COMMENT ON VIEW segment_guide IS
    'The eleven segments, best first, with label, description and suggested action in the language of rfm.language';
CREATE VIEW loyalty_guide AS
SELECT l.loyalty,
       loyalty_label(l.loyalty, NULL)       AS label,
       loyalty_description(l.loyalty, NULL) AS description,
       loyalty_action(l.loyalty, NULL)      AS action
FROM pg_catalog.unnest('{loyal, repeat, one_time, lapsed}'::loyalty_class[]) AS l(loyalty);
COMMENT ON VIEW loyalty_guide IS
    'The four loyalty classes, best first, with label, description and suggested action in the language of rfm.language';
GRANT SELECT ON segment_guide, loyalty_guide TO PUBLIC;

-- end of block (issue 22)

-- 0.3 block: every model the CLV libraries have (issue 23)

-- end of block (issue 23)
