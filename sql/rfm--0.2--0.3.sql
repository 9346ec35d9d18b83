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
-- Every type's array type is documented too: from PostgreSQL 17 on the
-- array types are members of the extension like their element types, and
-- the catalog test requires a COMMENT on every member on every version.
COMMENT ON TYPE _rfm_summary IS 'Array of rfm_summary.';
COMMENT ON TYPE _rfm_score IS 'Array of rfm_score.';
COMMENT ON TYPE _segment IS 'Array of segment.';
COMMENT ON TYPE _loyalty_class IS 'Array of loyalty_class.';
COMMENT ON TYPE _rfm_breaks IS 'Array of rfm_breaks.';
COMMENT ON TYPE _rfm_segment_rule IS 'Array of rfm_segment_rule.';
COMMENT ON TYPE _rfm_history IS 'Array of rfm_history.';
COMMENT ON TYPE _bgnbd_model IS 'Array of bgnbd_model.';
COMMENT ON TYPE _gamma_gamma_model IS 'Array of gamma_gamma_model.';

-- end of block (issue 20)

-- 0.3 block: the large shop (issue 21)
-- rfm_history on the fast grouping engine: its transition, final and state
-- functions get a planner support function, as rfm_summary's did in
-- issue 19: it loads rfm (and its planner hooks) in a session's first
-- rfm_history query, and gives the planner what Agg spends on them (a
-- parallel Agg's partial states carry every order).
CREATE FUNCTION rfm_history_trans_support(internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION rfm_history_trans_support(internal) IS 'Planner support of rfm_history''s transition, final, combine, serial and deserial functions: loads rfm before the grouping is planned and gives their measured costs';
ALTER FUNCTION rfm_history_trans(internal, date, numeric, date, interval) SUPPORT rfm_history_trans_support;
ALTER FUNCTION rfm_history_trans(internal, date, double precision, date, interval) SUPPORT rfm_history_trans_support;
ALTER FUNCTION rfm_history_trans(internal, date, bigint, date, interval) SUPPORT rfm_history_trans_support;
ALTER FUNCTION rfm_history_trans(internal, date, integer, date, interval) SUPPORT rfm_history_trans_support;
ALTER FUNCTION rfm_history_trans(internal, timestamp, numeric, timestamp, interval) SUPPORT rfm_history_trans_support;
ALTER FUNCTION rfm_history_trans(internal, timestamp, double precision, timestamp, interval) SUPPORT rfm_history_trans_support;
ALTER FUNCTION rfm_history_trans(internal, timestamp, bigint, timestamp, interval) SUPPORT rfm_history_trans_support;
ALTER FUNCTION rfm_history_trans(internal, timestamp, integer, timestamp, interval) SUPPORT rfm_history_trans_support;
ALTER FUNCTION rfm_history_trans(internal, timestamptz, numeric, timestamptz, interval) SUPPORT rfm_history_trans_support;
ALTER FUNCTION rfm_history_trans(internal, timestamptz, double precision, timestamptz, interval) SUPPORT rfm_history_trans_support;
ALTER FUNCTION rfm_history_trans(internal, timestamptz, bigint, timestamptz, interval) SUPPORT rfm_history_trans_support;
ALTER FUNCTION rfm_history_trans(internal, timestamptz, integer, timestamptz, interval) SUPPORT rfm_history_trans_support;
ALTER FUNCTION rfm_history_final(internal) SUPPORT rfm_history_trans_support;
ALTER FUNCTION rfm_history_combine(internal, internal) SUPPORT rfm_history_trans_support;
ALTER FUNCTION rfm_history_serialize(internal) SUPPORT rfm_history_trans_support;
ALTER FUNCTION rfm_history_deserialize(bytea, internal) SUPPORT rfm_history_trans_support;

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

-- The row types of the table and the views, and their array types (members
-- of the extension from PostgreSQL 17 on, documented on every version).
COMMENT ON TYPE rfm_text IS 'Row type of the table rfm_text';
COMMENT ON TYPE _rfm_text IS 'Array of rfm_text.';
COMMENT ON TYPE segment_guide IS 'Row type of the view segment_guide';
COMMENT ON TYPE _segment_guide IS 'Array of segment_guide.';
COMMENT ON TYPE loyalty_guide IS 'Row type of the view loyalty_guide';
COMMENT ON TYPE _loyalty_guide IS 'Array of loyalty_guide.';

-- end of block (issue 22)

-- 0.3 block: every model the CLV libraries have (issue 23)

-- Pareto/NBD (Schmittlein, Morrison & Colombo 1987).  Its fit collects the
-- same customers as bgnbd_fit, with bgnbd_fit's transition, combine,
-- serialize and deserialize functions; only the final function differs.

COMMENT ON FUNCTION bgnbd_fit_trans(internal, double precision, double precision, double precision) IS 'Transition function of the fits over customers (x, t_x, T): bgnbd_fit, pareto_nbd_fit, mbgnbd_fit';
COMMENT ON FUNCTION bgnbd_fit_trans(internal, rfm_history) IS 'Transition function of the fits over customers (x, t_x, T): bgnbd_fit, pareto_nbd_fit, mbgnbd_fit';
COMMENT ON FUNCTION bgnbd_fit_trans(internal, rfm_history, interval) IS 'Transition function of the fits over customers (x, t_x, T): bgnbd_fit, pareto_nbd_fit, mbgnbd_fit';
COMMENT ON FUNCTION bgnbd_fit_combine(internal, internal) IS 'Combine function of the fits over customers (x, t_x, T): bgnbd_fit, pareto_nbd_fit, mbgnbd_fit';
COMMENT ON FUNCTION bgnbd_fit_serialize(internal) IS 'Serialization function of the fits over customers (x, t_x, T): bgnbd_fit, pareto_nbd_fit, mbgnbd_fit';
COMMENT ON FUNCTION bgnbd_fit_deserialize(bytea, internal) IS 'Deserialization function of the fits over customers (x, t_x, T): bgnbd_fit, pareto_nbd_fit, mbgnbd_fit';

CREATE TYPE pareto_nbd_model;
CREATE FUNCTION pareto_nbd_model_in(cstring) RETURNS pareto_nbd_model
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION pareto_nbd_model_out(pareto_nbd_model) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION pareto_nbd_model_recv(internal) RETURNS pareto_nbd_model
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION pareto_nbd_model_send(pareto_nbd_model) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE pareto_nbd_model (
    INTERNALLENGTH = 64,
    INPUT = pareto_nbd_model_in,
    OUTPUT = pareto_nbd_model_out,
    RECEIVE = pareto_nbd_model_recv,
    SEND = pareto_nbd_model_send,
    ALIGNMENT = double,
    STORAGE = plain
);
COMMENT ON TYPE pareto_nbd_model IS
    'A fitted Pareto/NBD model: r, alpha, s, beta, log-likelihood, customers, time unit, iterations, convergence';
COMMENT ON FUNCTION pareto_nbd_model_in(cstring) IS 'Input function of pareto_nbd_model';
COMMENT ON FUNCTION pareto_nbd_model_out(pareto_nbd_model) IS 'Output function of pareto_nbd_model';
COMMENT ON FUNCTION pareto_nbd_model_recv(internal) IS 'Binary receive function of pareto_nbd_model';
COMMENT ON FUNCTION pareto_nbd_model_send(pareto_nbd_model) IS 'Binary send function of pareto_nbd_model';

CREATE FUNCTION pareto_nbd_fit_final(internal) RETURNS pareto_nbd_model
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION pareto_nbd_fit_final(internal) IS 'Final function of the pareto_nbd_fit aggregate: maximum likelihood estimation';

CREATE AGGREGATE pareto_nbd_fit(double precision, double precision, double precision) (
    SFUNC = bgnbd_fit_trans, STYPE = internal, SSPACE = 24,
    FINALFUNC = pareto_nbd_fit_final, COMBINEFUNC = bgnbd_fit_combine,
    SERIALFUNC = bgnbd_fit_serialize, DESERIALFUNC = bgnbd_fit_deserialize,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE pareto_nbd_fit(double precision, double precision, double precision) IS
    'Pareto/NBD maximum-likelihood fit over customers (x, t_x, T), all in one time unit; the model does not know the unit';
CREATE AGGREGATE pareto_nbd_fit(rfm_history) (
    SFUNC = bgnbd_fit_trans, STYPE = internal, SSPACE = 24,
    FINALFUNC = pareto_nbd_fit_final, COMBINEFUNC = bgnbd_fit_combine,
    SERIALFUNC = bgnbd_fit_serialize, DESERIALFUNC = bgnbd_fit_deserialize,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE pareto_nbd_fit(rfm_history) IS
    'Pareto/NBD maximum-likelihood fit over customers'' histories, in the histories'' unit';
CREATE AGGREGATE pareto_nbd_fit(rfm_history, interval) (
    SFUNC = bgnbd_fit_trans, STYPE = internal, SSPACE = 24,
    FINALFUNC = pareto_nbd_fit_final, COMBINEFUNC = bgnbd_fit_combine,
    SERIALFUNC = bgnbd_fit_serialize, DESERIALFUNC = bgnbd_fit_deserialize,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE pareto_nbd_fit(rfm_history, interval) IS
    'Pareto/NBD maximum-likelihood fit over customers'' histories, t_x and T counted in the given unit';

CREATE FUNCTION pareto_nbd_parameters(pareto_nbd_model,
    OUT r double precision, OUT alpha double precision, OUT s double precision,
    OUT beta double precision, OUT log_likelihood double precision, OUT customers bigint,
    OUT unit interval, OUT iterations integer, OUT converged boolean)
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pareto_nbd_parameters(pareto_nbd_model) IS
    'The fields of a Pareto/NBD model as a record: r, alpha, s, beta, log_likelihood, customers, unit (NULL if not known), iterations, converged';

CREATE FUNCTION pareto_nbd_log_likelihood(pareto_nbd_model, x double precision, t_x double precision, "T" double precision)
    RETURNS double precision AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pareto_nbd_log_likelihood(pareto_nbd_model, double precision, double precision, double precision) IS
    'Log-likelihood of one customer (x, t_x, T), in the model''s unit, under the model''s parameters; summed over the fitted customers it is the model''s log-likelihood';

CREATE FUNCTION pareto_nbd_p_alive(pareto_nbd_model, x double precision, t_x double precision, "T" double precision)
    RETURNS double precision AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pareto_nbd_p_alive(pareto_nbd_model, double precision, double precision, double precision) IS
    'Probability that a customer with (x, t_x, T), in the model''s unit, is still active';
CREATE FUNCTION pareto_nbd_p_alive(pareto_nbd_model, rfm_history)
    RETURNS double precision AS 'MODULE_PATHNAME', 'pareto_nbd_p_alive_history' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pareto_nbd_p_alive(pareto_nbd_model, rfm_history) IS
    'Probability that the customer of this history is still active';

CREATE FUNCTION pareto_nbd_expected_orders(pareto_nbd_model, x double precision, t_x double precision,
                                           "T" double precision, horizon double precision)
    RETURNS double precision AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pareto_nbd_expected_orders(pareto_nbd_model, double precision, double precision, double precision, double precision) IS
    'Expected repeat purchases in the next horizon of a customer with (x, t_x, T), all in the model''s unit (conditional expectation)';
CREATE FUNCTION pareto_nbd_expected_orders(pareto_nbd_model, rfm_history, horizon interval)
    RETURNS double precision AS 'MODULE_PATHNAME', 'pareto_nbd_expected_orders_history' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pareto_nbd_expected_orders(pareto_nbd_model, rfm_history, interval) IS
    'Expected purchase periods of this customer in the next horizon, e.g. interval ''90 days'' (conditional expectation)';
CREATE FUNCTION pareto_nbd_expected_orders(pareto_nbd_model, horizon double precision)
    RETURNS double precision AS 'MODULE_PATHNAME', 'pareto_nbd_expected_orders_new' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pareto_nbd_expected_orders(pareto_nbd_model, double precision) IS
    'Expected repeat purchases of a new customer in its first horizon, in the model''s unit (unconditional expectation)';
CREATE FUNCTION pareto_nbd_expected_orders(pareto_nbd_model, horizon interval)
    RETURNS double precision AS 'MODULE_PATHNAME', 'pareto_nbd_expected_orders_new_interval' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pareto_nbd_expected_orders(pareto_nbd_model, interval) IS
    'Expected repeat purchases of a new customer in its first horizon (unconditional expectation)';


-- Modified BG/NBD (Batislam, Denizel & Filiztekin 2007): the same
-- collected customers and state functions as bgnbd_fit.

CREATE TYPE mbgnbd_model;
CREATE FUNCTION mbgnbd_model_in(cstring) RETURNS mbgnbd_model
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mbgnbd_model_out(mbgnbd_model) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mbgnbd_model_recv(internal) RETURNS mbgnbd_model
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mbgnbd_model_send(mbgnbd_model) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE mbgnbd_model (
    INTERNALLENGTH = 64,
    INPUT = mbgnbd_model_in,
    OUTPUT = mbgnbd_model_out,
    RECEIVE = mbgnbd_model_recv,
    SEND = mbgnbd_model_send,
    ALIGNMENT = double,
    STORAGE = plain
);
COMMENT ON TYPE mbgnbd_model IS
    'A fitted modified BG/NBD model (Batislam, Denizel & Filiztekin 2007): r, alpha, a, b, log-likelihood, customers, time unit, iterations, convergence';
COMMENT ON FUNCTION mbgnbd_model_in(cstring) IS 'Input function of mbgnbd_model';
COMMENT ON FUNCTION mbgnbd_model_out(mbgnbd_model) IS 'Output function of mbgnbd_model';
COMMENT ON FUNCTION mbgnbd_model_recv(internal) IS 'Binary receive function of mbgnbd_model';
COMMENT ON FUNCTION mbgnbd_model_send(mbgnbd_model) IS 'Binary send function of mbgnbd_model';

CREATE FUNCTION mbgnbd_fit_final(internal) RETURNS mbgnbd_model
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION mbgnbd_fit_final(internal) IS 'Final function of the mbgnbd_fit aggregate: maximum likelihood estimation';

CREATE AGGREGATE mbgnbd_fit(double precision, double precision, double precision) (
    SFUNC = bgnbd_fit_trans, STYPE = internal, SSPACE = 24,
    FINALFUNC = mbgnbd_fit_final, COMBINEFUNC = bgnbd_fit_combine,
    SERIALFUNC = bgnbd_fit_serialize, DESERIALFUNC = bgnbd_fit_deserialize,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE mbgnbd_fit(double precision, double precision, double precision) IS
    'MBG/NBD maximum-likelihood fit over customers (x, t_x, T), all in one time unit; the model does not know the unit';
CREATE AGGREGATE mbgnbd_fit(rfm_history) (
    SFUNC = bgnbd_fit_trans, STYPE = internal, SSPACE = 24,
    FINALFUNC = mbgnbd_fit_final, COMBINEFUNC = bgnbd_fit_combine,
    SERIALFUNC = bgnbd_fit_serialize, DESERIALFUNC = bgnbd_fit_deserialize,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE mbgnbd_fit(rfm_history) IS
    'MBG/NBD maximum-likelihood fit over customers'' histories, in the histories'' unit';
CREATE AGGREGATE mbgnbd_fit(rfm_history, interval) (
    SFUNC = bgnbd_fit_trans, STYPE = internal, SSPACE = 24,
    FINALFUNC = mbgnbd_fit_final, COMBINEFUNC = bgnbd_fit_combine,
    SERIALFUNC = bgnbd_fit_serialize, DESERIALFUNC = bgnbd_fit_deserialize,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE mbgnbd_fit(rfm_history, interval) IS
    'MBG/NBD maximum-likelihood fit over customers'' histories, t_x and T counted in the given unit';

CREATE FUNCTION mbgnbd_parameters(mbgnbd_model,
    OUT r double precision, OUT alpha double precision, OUT a double precision,
    OUT b double precision, OUT log_likelihood double precision, OUT customers bigint,
    OUT unit interval, OUT iterations integer, OUT converged boolean)
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mbgnbd_parameters(mbgnbd_model) IS
    'The fields of an MBG/NBD model as a record: r, alpha, a, b, log_likelihood, customers, unit (NULL if not known), iterations, converged';

CREATE FUNCTION mbgnbd_log_likelihood(mbgnbd_model, x double precision, t_x double precision, "T" double precision)
    RETURNS double precision AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mbgnbd_log_likelihood(mbgnbd_model, double precision, double precision, double precision) IS
    'Log-likelihood of one customer (x, t_x, T), in the model''s unit, under the model''s parameters; summed over the fitted customers it is the model''s log-likelihood';

CREATE FUNCTION mbgnbd_p_alive(mbgnbd_model, x double precision, t_x double precision, "T" double precision)
    RETURNS double precision AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mbgnbd_p_alive(mbgnbd_model, double precision, double precision, double precision) IS
    'Probability that a customer with (x, t_x, T), in the model''s unit, is still active (below 1 also when x = 0)';
CREATE FUNCTION mbgnbd_p_alive(mbgnbd_model, rfm_history)
    RETURNS double precision AS 'MODULE_PATHNAME', 'mbgnbd_p_alive_history' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mbgnbd_p_alive(mbgnbd_model, rfm_history) IS
    'Probability that the customer of this history is still active';

CREATE FUNCTION mbgnbd_expected_orders(mbgnbd_model, x double precision, t_x double precision,
                                           "T" double precision, horizon double precision)
    RETURNS double precision AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mbgnbd_expected_orders(mbgnbd_model, double precision, double precision, double precision, double precision) IS
    'Expected repeat purchases in the next horizon of a customer with (x, t_x, T), all in the model''s unit (conditional expectation)';
CREATE FUNCTION mbgnbd_expected_orders(mbgnbd_model, rfm_history, horizon interval)
    RETURNS double precision AS 'MODULE_PATHNAME', 'mbgnbd_expected_orders_history' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mbgnbd_expected_orders(mbgnbd_model, rfm_history, interval) IS
    'Expected purchase periods of this customer in the next horizon, e.g. interval ''90 days'' (conditional expectation)';
CREATE FUNCTION mbgnbd_expected_orders(mbgnbd_model, horizon double precision)
    RETURNS double precision AS 'MODULE_PATHNAME', 'mbgnbd_expected_orders_new' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mbgnbd_expected_orders(mbgnbd_model, double precision) IS
    'Expected repeat purchases of a new customer in its first horizon, in the model''s unit (unconditional expectation)';
CREATE FUNCTION mbgnbd_expected_orders(mbgnbd_model, horizon interval)
    RETURNS double precision AS 'MODULE_PATHNAME', 'mbgnbd_expected_orders_new_interval' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mbgnbd_expected_orders(mbgnbd_model, interval) IS
    'Expected repeat purchases of a new customer in its first horizon (unconditional expectation)';


-- Shifted beta-geometric (Fader & Hardie 2007), for contractual churn.

CREATE TYPE sbg_model;
CREATE FUNCTION sbg_model_in(cstring) RETURNS sbg_model
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sbg_model_out(sbg_model) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sbg_model_recv(internal) RETURNS sbg_model
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sbg_model_send(sbg_model) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE sbg_model (
    INTERNALLENGTH = 48,
    INPUT = sbg_model_in,
    OUTPUT = sbg_model_out,
    RECEIVE = sbg_model_recv,
    SEND = sbg_model_send,
    ALIGNMENT = double,
    STORAGE = plain
);
COMMENT ON TYPE sbg_model IS
    'A fitted shifted-beta-geometric model of contract duration: alpha, beta, log-likelihood, cohort size, periods observed, iterations, convergence';
COMMENT ON FUNCTION sbg_model_in(cstring) IS 'Input function of sbg_model';
COMMENT ON FUNCTION sbg_model_out(sbg_model) IS 'Output function of sbg_model';
COMMENT ON FUNCTION sbg_model_recv(internal) IS 'Binary receive function of sbg_model';
COMMENT ON FUNCTION sbg_model_send(sbg_model) IS 'Binary send function of sbg_model';

CREATE FUNCTION sbg_fit_trans(internal, bigint, bigint)
    RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sbg_fit_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sbg_fit_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sbg_fit_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sbg_fit_final(internal) RETURNS sbg_model
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION sbg_fit_trans(internal, bigint, bigint) IS 'Transition function of the sbg_fit aggregate';
COMMENT ON FUNCTION sbg_fit_combine(internal, internal) IS 'Combine function of the sbg_fit aggregate';
COMMENT ON FUNCTION sbg_fit_serialize(internal) IS 'Serialization function of the sbg_fit aggregate';
COMMENT ON FUNCTION sbg_fit_deserialize(bytea, internal) IS 'Deserialization function of the sbg_fit aggregate';
COMMENT ON FUNCTION sbg_fit_final(internal) IS 'Final function of the sbg_fit aggregate: maximum likelihood estimation';
CREATE AGGREGATE sbg_fit(period bigint, survivors bigint) (
    SFUNC = sbg_fit_trans, STYPE = internal, SSPACE = 16,
    FINALFUNC = sbg_fit_final, COMBINEFUNC = sbg_fit_combine,
    SERIALFUNC = sbg_fit_serialize, DESERIALFUNC = sbg_fit_deserialize,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE sbg_fit(bigint, bigint) IS
    'Shifted-beta-geometric maximum-likelihood fit over one cohort''s (period, survivors) rows, periods 0, 1, ..., T, period 0 the cohort''s size';

CREATE FUNCTION sbg_parameters(sbg_model,
    OUT alpha double precision, OUT beta double precision, OUT log_likelihood double precision,
    OUT customers bigint, OUT periods bigint, OUT iterations integer, OUT converged boolean)
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sbg_parameters(sbg_model) IS
    'The fields of a shifted-beta-geometric model as a record: alpha, beta, log_likelihood, customers (cohort size), periods, iterations, converged';
CREATE FUNCTION sbg_survival(sbg_model, t double precision)
    RETURNS double precision AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sbg_survival(sbg_model, double precision) IS
    'Share of a cohort still active after t whole periods, B(alpha, beta+t)/B(alpha, beta); times the cohort size it is the projected survivors';
CREATE FUNCTION sbg_retention(sbg_model, t double precision)
    RETURNS double precision AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sbg_retention(sbg_model, double precision) IS
    'Projected retention rate at the end of period t >= 1: (beta+t-1)/(alpha+beta+t-1)';
CREATE FUNCTION sbg_expected_lifetime(sbg_model)
    RETURNS double precision AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sbg_expected_lifetime(sbg_model) IS
    'Expected lifetime of a new customer in periods, counting the first: (alpha+beta-1)/(alpha-1); an error when infinite (alpha <= 1)';
CREATE FUNCTION sbg_expected_lifetime(sbg_model, discount double precision)
    RETURNS double precision AS 'MODULE_PATHNAME', 'sbg_expected_lifetime_discounted' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sbg_expected_lifetime(sbg_model, double precision) IS
    'Discounted expected lifetime of a new customer in periods, sum of S(t)/(1+discount)^t = 2F1(1, beta; alpha+beta; 1/(1+discount))';

-- Holdout diagnostics and model comparison.

CREATE FUNCTION history_holdout_orders(calibration rfm_history, through_holdout rfm_history)
    RETURNS bigint AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION history_holdout_orders(rfm_history, rfm_history) IS
    'Repeat periods of a customer in the holdout: its history through the holdout end minus its history as of the calibration end (same orders and unit)';
CREATE FUNCTION fit_statistics(bgnbd_model,
    OUT model text, OUT log_likelihood double precision, OUT parameters integer,
    OUT customers bigint, OUT aic double precision, OUT bic double precision)
    AS 'MODULE_PATHNAME', 'bgnbd_fit_statistics' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION fit_statistics(bgnbd_model) IS
    'For comparing models fitted to the same customers: the BG/NBD model''s log-likelihood, parameter count, customers, AIC = 2k - 2 LL, BIC = k ln n - 2 LL (NULL for a model not fitted)';
CREATE FUNCTION fit_statistics(pareto_nbd_model,
    OUT model text, OUT log_likelihood double precision, OUT parameters integer,
    OUT customers bigint, OUT aic double precision, OUT bic double precision)
    AS 'MODULE_PATHNAME', 'pareto_nbd_fit_statistics' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION fit_statistics(pareto_nbd_model) IS
    'For comparing models fitted to the same customers: the Pareto/NBD model''s log-likelihood, parameter count, customers, AIC = 2k - 2 LL, BIC = k ln n - 2 LL (NULL for a model not fitted)';
CREATE FUNCTION fit_statistics(mbgnbd_model,
    OUT model text, OUT log_likelihood double precision, OUT parameters integer,
    OUT customers bigint, OUT aic double precision, OUT bic double precision)
    AS 'MODULE_PATHNAME', 'mbgnbd_fit_statistics' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION fit_statistics(mbgnbd_model) IS
    'For comparing models fitted to the same customers: the MBG/NBD model''s log-likelihood, parameter count, customers, AIC = 2k - 2 LL, BIC = k ln n - 2 LL (NULL for a model not fitted)';
CREATE FUNCTION fit_statistics(gamma_gamma_model,
    OUT model text, OUT log_likelihood double precision, OUT parameters integer,
    OUT customers bigint, OUT aic double precision, OUT bic double precision)
    AS 'MODULE_PATHNAME', 'gamma_gamma_fit_statistics' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION fit_statistics(gamma_gamma_model) IS
    'For comparing models fitted to the same customers: the Gamma-Gamma model''s log-likelihood, parameter count, customers, AIC = 2k - 2 LL, BIC = k ln n - 2 LL (NULL for a model not fitted)';
CREATE FUNCTION fit_statistics(sbg_model,
    OUT model text, OUT log_likelihood double precision, OUT parameters integer,
    OUT customers bigint, OUT aic double precision, OUT bic double precision)
    AS 'MODULE_PATHNAME', 'sbg_fit_statistics' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION fit_statistics(sbg_model) IS
    'For comparing models fitted to the same cohort: the shifted-beta-geometric model''s log-likelihood, parameter count, customers, AIC = 2k - 2 LL, BIC = k ln n - 2 LL (NULL for a model not fitted)';

-- BG/BB (Fader, Hardie & Shang 2010), for discrete opportunities.

CREATE TYPE bgbb_model;
CREATE FUNCTION bgbb_model_in(cstring) RETURNS bgbb_model
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgbb_model_out(bgbb_model) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgbb_model_recv(internal) RETURNS bgbb_model
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgbb_model_send(bgbb_model) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE bgbb_model (
    INTERNALLENGTH = 56,
    INPUT = bgbb_model_in,
    OUTPUT = bgbb_model_out,
    RECEIVE = bgbb_model_recv,
    SEND = bgbb_model_send,
    ALIGNMENT = double,
    STORAGE = plain
);
COMMENT ON TYPE bgbb_model IS
    'A fitted BG/BB model of transactions in discrete opportunities: alpha, beta, gamma, delta, log-likelihood, customers, iterations, convergence';
COMMENT ON FUNCTION bgbb_model_in(cstring) IS 'Input function of bgbb_model';
COMMENT ON FUNCTION bgbb_model_out(bgbb_model) IS 'Output function of bgbb_model';
COMMENT ON FUNCTION bgbb_model_recv(internal) IS 'Binary receive function of bgbb_model';
COMMENT ON FUNCTION bgbb_model_send(bgbb_model) IS 'Binary send function of bgbb_model';

CREATE FUNCTION bgbb_fit_trans(internal, double precision, double precision, double precision)
    RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION bgbb_fit_trans(internal, double precision, double precision, double precision, bigint)
    RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION bgbb_fit_trans(internal, rfm_history)
    RETURNS internal AS 'MODULE_PATHNAME', 'bgbb_fit_trans_history' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION bgbb_fit_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION bgbb_fit_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgbb_fit_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgbb_fit_final(internal) RETURNS bgbb_model
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION bgbb_fit_trans(internal, double precision, double precision, double precision) IS 'Transition function of the bgbb_fit aggregate';
COMMENT ON FUNCTION bgbb_fit_trans(internal, double precision, double precision, double precision, bigint) IS 'Transition function of the bgbb_fit aggregate';
COMMENT ON FUNCTION bgbb_fit_trans(internal, rfm_history) IS 'Transition function of the bgbb_fit aggregate';
COMMENT ON FUNCTION bgbb_fit_combine(internal, internal) IS 'Combine function of the bgbb_fit aggregate';
COMMENT ON FUNCTION bgbb_fit_serialize(internal) IS 'Serialization function of the bgbb_fit aggregate';
COMMENT ON FUNCTION bgbb_fit_deserialize(bytea, internal) IS 'Deserialization function of the bgbb_fit aggregate';
COMMENT ON FUNCTION bgbb_fit_final(internal) IS 'Final function of the bgbb_fit aggregate: maximum likelihood estimation';
CREATE AGGREGATE bgbb_fit(x double precision, t_x double precision, n double precision) (
    SFUNC = bgbb_fit_trans, STYPE = internal, SSPACE = 32,
    FINALFUNC = bgbb_fit_final, COMBINEFUNC = bgbb_fit_combine,
    SERIALFUNC = bgbb_fit_serialize, DESERIALFUNC = bgbb_fit_deserialize,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE bgbb_fit(double precision, double precision, double precision) IS
    'BG/BB maximum-likelihood fit over customers (x transactions in n opportunities, the last at opportunity t_x)';
CREATE AGGREGATE bgbb_fit(x double precision, t_x double precision, n double precision, customers bigint) (
    SFUNC = bgbb_fit_trans, STYPE = internal, SSPACE = 32,
    FINALFUNC = bgbb_fit_final, COMBINEFUNC = bgbb_fit_combine,
    SERIALFUNC = bgbb_fit_serialize, DESERIALFUNC = bgbb_fit_deserialize,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE bgbb_fit(double precision, double precision, double precision, bigint) IS
    'BG/BB maximum-likelihood fit over transaction patterns (x, t_x, n) and the number of customers with each';
CREATE AGGREGATE bgbb_fit(rfm_history) (
    SFUNC = bgbb_fit_trans, STYPE = internal, SSPACE = 32,
    FINALFUNC = bgbb_fit_final, COMBINEFUNC = bgbb_fit_combine,
    SERIALFUNC = bgbb_fit_serialize, DESERIALFUNC = bgbb_fit_deserialize,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE bgbb_fit(rfm_history) IS
    'BG/BB maximum-likelihood fit over customers'' histories, each period after the first an opportunity: x, t_x and n = T in the histories'' periods';

CREATE FUNCTION bgbb_parameters(bgbb_model,
    OUT alpha double precision, OUT beta double precision, OUT gamma double precision,
    OUT delta double precision, OUT log_likelihood double precision, OUT customers bigint,
    OUT iterations integer, OUT converged boolean)
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bgbb_parameters(bgbb_model) IS
    'The fields of a BG/BB model as a record: alpha, beta, gamma, delta, log_likelihood, customers, iterations, converged';
CREATE FUNCTION bgbb_log_likelihood(bgbb_model, x double precision, t_x double precision, n double precision)
    RETURNS double precision AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bgbb_log_likelihood(bgbb_model, double precision, double precision, double precision) IS
    'Log-likelihood of one customer (x, t_x, n) under the model''s parameters';
CREATE FUNCTION bgbb_p_alive(bgbb_model, x double precision, t_x double precision, n double precision)
    RETURNS double precision AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bgbb_p_alive(bgbb_model, double precision, double precision, double precision) IS
    'Probability that a customer with (x, t_x, n) is alive at opportunity n+1';
CREATE FUNCTION bgbb_p_alive(bgbb_model, rfm_history)
    RETURNS double precision AS 'MODULE_PATHNAME', 'bgbb_p_alive_history' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bgbb_p_alive(bgbb_model, rfm_history) IS
    'Probability that the customer of this history is alive at the next period';
CREATE FUNCTION bgbb_expected_transactions(bgbb_model, x double precision, t_x double precision,
                                           n double precision, future double precision)
    RETURNS double precision AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bgbb_expected_transactions(bgbb_model, double precision, double precision, double precision, double precision) IS
    'Expected transactions of a customer with (x, t_x, n) in the next future opportunities';
CREATE FUNCTION bgbb_expected_transactions(bgbb_model, rfm_history, future double precision)
    RETURNS double precision AS 'MODULE_PATHNAME', 'bgbb_expected_transactions_history' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bgbb_expected_transactions(bgbb_model, rfm_history, double precision) IS
    'Expected transaction periods of the customer of this history in the next future periods';
CREATE FUNCTION fit_statistics(bgbb_model,
    OUT model text, OUT log_likelihood double precision, OUT parameters integer,
    OUT customers bigint, OUT aic double precision, OUT bic double precision)
    AS 'MODULE_PATHNAME', 'bgbb_fit_statistics' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION fit_statistics(bgbb_model) IS
    'For comparing models fitted to the same customers: the BG/BB model''s log-likelihood, parameter count, customers, AIC = 2k - 2 LL, BIC = k ln n - 2 LL (NULL for a model not fitted)';

-- The new model types' array types, documented like every other (issue 20).
COMMENT ON TYPE _pareto_nbd_model IS 'Array of pareto_nbd_model.';
COMMENT ON TYPE _mbgnbd_model IS 'Array of mbgnbd_model.';
COMMENT ON TYPE _sbg_model IS 'Array of sbg_model.';
COMMENT ON TYPE _bgbb_model IS 'Array of bgbb_model.';

-- end of block (issue 23)
