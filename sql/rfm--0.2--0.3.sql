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

-- end of block (issue 19)

-- 0.3 block: every supported PostgreSQL (issue 20)

-- end of block (issue 20)

-- 0.3 block: the large shop (issue 21)

-- end of block (issue 21)

-- 0.3 block: from segment to action (issue 22)

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

-- end of block (issue 23)
