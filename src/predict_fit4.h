/*
 * predict_fit4.h: what the four-parameter models over (x, t_x, T) share
 * (predict_fit4.c): BG/NBD, the modified BG/NBD and Pareto/NBD.
 *
 * Their fits differ only in the likelihood, the names and the messages.
 * Their models have one layout, BgnbdModel's (predict.h; an mbgnbd_model
 * is one, ParetoNbdModel asserts it), so the code here fills and checks
 * them all through a BgnbdModel whose r, alpha, a and b stand for the
 * model's four parameters in order.  This file calls no model's file;
 * each calls it.
 */
#ifndef RFM_PREDICT_FIT4_H
#define RFM_PREDICT_FIT4_H

#include "postgres.h"

#include "fixed_type.h"
#include "optim.h"
#include "predict.h"

/* The fields of a model's text form and record, its parameters named p0..p3. */
#define RFM_MODEL4_FIELDS(p0, p1, p2, p3) \
	{p0, offsetof(BgnbdModel, r), RFM_FIELD_FLOAT8, true}, \
	{p1, offsetof(BgnbdModel, alpha), RFM_FIELD_FLOAT8, true}, \
	{p2, offsetof(BgnbdModel, a), RFM_FIELD_FLOAT8, true}, \
	{p3, offsetof(BgnbdModel, b), RFM_FIELD_FLOAT8, true}, \
	{"ll", offsetof(BgnbdModel, ll), RFM_FIELD_FLOAT8, false}, \
	{"n", offsetof(BgnbdModel, n), RFM_FIELD_INT64, false}, \
	{"unit", offsetof(BgnbdModel, unit), RFM_FIELD_UNIT, false}, \
	{"iterations", offsetof(BgnbdModel, iterations), RFM_FIELD_COUNT32, false}, \
	{"converged", offsetof(BgnbdModel, flags), RFM_FIELD_CONVERGED, false}

/*
 * One model's fit.  The parameters are (r, alpha, shape, fourth): r and the
 * scale alpha of the purchase rates, then a shape (BG/NBD's a, Pareto/NBD's
 * s), then either another shape (BG/NBD's b) or, if fourth_is_scale, a
 * scale started where alpha is (Pareto/NBD's beta).
 */
typedef struct RfmFit4
{
	const char *fit;			/* the aggregate, for messages: "bgnbd_fit" */
	const char *model;			/* the model, for messages: "BG/NBD" */
	const char *names[4];		/* of the parameters */
	RfmObjective objective;		/* -LL/n over the RfmTriples customers */
	bool		fourth_is_scale;
	bool		by_age;			/* the objective reads RfmTriples' table of ages */
	const char *not_converged;	/* the hint when a run did not converge, NULL: the usual */
} RfmFit4;

/*
 * The customers of a fit: merged and weighted, first, so that a likelihood
 * may take its argument as the RfmWeighted; then, for one that wants
 * them, their distinct ages T.  A million customers observed for two years
 * in days have some 700 distinct ages and 430,000 distinct triples: a term
 * of T alone, log(alpha + T), is computed once an age and evaluation.
 */
typedef struct RfmTriples
{
	RfmWeighted customers;
	int64		n_ages;
	double	   *ages;			/* distinct T, ascending */
	uint32	   *age_of;			/* of each record, its index in ages; NULL: ages too many to pay */
	double	   *age_log;		/* per evaluation: log(alpha + T) of each age */
	double	   *age_inverse;	/* and 1 / (alpha + T) */
} RfmTriples;

/* The model fitted to the customers of state (palloc'd), or an error. */
extern BgnbdModel *rfm_fit4(const RfmFit4 *fit, const RfmTripleState *state);

/* What is wrong with a model's fields, or NULL; bad_params if a parameter. */
extern const char *rfm_model4_violation(const BgnbdModel *m, const char *bad_params);

#endif							/* RFM_PREDICT_FIT4_H */
