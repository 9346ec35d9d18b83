/*
 * predict_mbgnbd.c: the modified BG/NBD model of Batislam, Denizel &
 * Filiztekin (2007), "Empirical validation and comparison of models for
 * customer base analysis", with lifetimes' ModifiedBetaGeoFitter formulas.
 *
 * BG/NBD lets a customer drop out only after a repeat purchase; the
 * modified model lets them drop out right after the first one too, so a
 * customer with x = 0 can be dead.  The likelihood:
 *
 *   L = B(a, b+x+1)/B(a, b) * G(r+x) alpha^r / G(r)
 *       * [ (alpha+T)^-(r+x) + a/(b+x) (alpha+t_x)^-(r+x) ]
 *
 * in log space like BG/NBD's (predict_bgnbd.c): the terms of x alone once
 * per distinct x, the bracket by log1p(exp()).  mbgnbd_fit shares
 * bgnbd_fit's state and its transition, combine, serialize and deserialize
 * functions, and bgnbd_fit's final steps (rfm_fit4); the model is stored
 * as a BgnbdModel, checked like a bgnbd_model.
 */
#include "postgres.h"
#include "compat.h"

#include <math.h>

#include "fmgr.h"
#include "miscadmin.h"
#include "utils/timestamp.h"

#include "fixed_type.h"
#include "optim.h"
#include "predict.h"
#include "predict_fit4.h"
#include "predict_math.h"
#include "predict_mbgnbd.h"

PG_FUNCTION_INFO_V1(mbgnbd_fit_final);
PG_FUNCTION_INFO_V1(mbgnbd_model_in);
PG_FUNCTION_INFO_V1(mbgnbd_model_out);
PG_FUNCTION_INFO_V1(mbgnbd_model_recv);
PG_FUNCTION_INFO_V1(mbgnbd_model_send);
PG_FUNCTION_INFO_V1(mbgnbd_parameters);
PG_FUNCTION_INFO_V1(mbgnbd_p_alive);
PG_FUNCTION_INFO_V1(mbgnbd_p_alive_history);
PG_FUNCTION_INFO_V1(mbgnbd_log_likelihood);
PG_FUNCTION_INFO_V1(mbgnbd_expected_orders);
PG_FUNCTION_INFO_V1(mbgnbd_expected_orders_history);
PG_FUNCTION_INFO_V1(mbgnbd_expected_orders_new);
PG_FUNCTION_INFO_V1(mbgnbd_expected_orders_new_interval);

/* ---------------------------------------------------------------------- */
/* the likelihood                                                          */
/* ---------------------------------------------------------------------- */

/* ln of the odds a/(b+x) ((alpha+T)/(alpha+t_x))^(r+x) of having dropped out */
static double
log_death_odds(double r, double alpha, double a, double b, double x, double t_x, double T)
{
	return log(a) - log(b + x) + (r + x) * (log(alpha + T) - log(alpha + t_x));
}

/* ln L of one customer, for the per-customer function and the tests */
static double
customer_ll(const BgnbdModel *m, double x, double t_x, double T)
{
	return lgamma(m->r + x) - lgamma(m->r) + m->r * log(m->alpha)
		+ lgamma(m->a + m->b) + lgamma(m->b + x + 1) - lgamma(m->b) - lgamma(m->a + m->b + x + 1)
		- (m->r + x) * log(m->alpha + T)
		+ rfm_log1pexp(log_death_odds(m->r, m->alpha, m->a, m->b, x, t_x, T));
}

/* -LL/n and its gradient in log-parameters */
static double
mbgnbd_objective(const double *theta, double *grad, void *arg)
{
	const RfmWeighted *d = arg;
	const Triple *t = d->records;
	double		r = exp(theta[0]),
				alpha = exp(theta[1]),
				a = exp(theta[2]),
				b = exp(theta[3]);
	double		ll = 0,
				dr = 0,
				dalpha = 0,
				da = 0,
				db = 0;
	double		log_alpha = log(alpha),
				psi_r = rfm_digamma(r),
				psi_b = rfm_digamma(b),
				psi_ab = rfm_digamma(a + b),
				lg_r = lgamma(r),
				lg_b = lgamma(b),
				lg_ab = lgamma(a + b);
	int64		i;

	/* terms of x alone: G(r+x)/G(r) B(a, b+x+1)/B(a, b) */
	for (i = 0; i < d->nx; i++)
	{
		double		x = d->xv[i],
					w = d->xw[i];
		double		psi_abx = rfm_digamma(a + b + x + 1);

		ll += w * (lgamma(r + x) - lg_r + lg_ab + lgamma(b + x + 1) - lg_b - lgamma(a + b + x + 1));
		dr += w * (rfm_digamma(r + x) - psi_r);
		da += w * (psi_ab - psi_abx);
		db += w * (psi_ab + rfm_digamma(b + x + 1) - psi_b - psi_abx);
	}

	/* terms of each distinct triple */
	for (i = 0; i < d->m; i++)
	{
		double		x = t[i].x,
					w = d->w[i];
		double		lT = log(alpha + t[i].T),
					lt = log(alpha + t[i].t_x);
		double		s = log(a) - log(b + x) + (r + x) * (lT - lt);
		double		p = 1.0 / (1.0 + exp(-s));	/* sigmoid(s) */

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		ll += w * (r * log_alpha - (r + x) * lT + rfm_log1pexp(s));
		dr += w * (log_alpha - lT + p * (lT - lt));
		dalpha += w * (r / alpha - (r + x) / (alpha + t[i].T)
					   + p * (r + x) * (1.0 / (alpha + t[i].T) - 1.0 / (alpha + t[i].t_x)));
		da += w * p / a;
		db -= w * p / (b + x);
	}

	grad[0] = -dr * r / d->n;
	grad[1] = -dalpha * alpha / d->n;
	grad[2] = -da * a / d->n;
	grad[3] = -db * b / d->n;
	return -ll / d->n;
}

static const RfmFit4 mbgnbd_fit = {
	.fit = "mbgnbd_fit",.model = "MBG/NBD",.names = {"r", "alpha", "a", "b"},
	.objective = mbgnbd_objective
};

Datum
mbgnbd_fit_final(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(rfm_fit4(&mbgnbd_fit, PG_ARGISNULL(0) ? NULL : (RfmTripleState *) PG_GETARG_POINTER(0)));
}

/* ---------------------------------------------------------------------- */
/* the type: bgnbd_model's fields and checks under another name            */
/* ---------------------------------------------------------------------- */

static const RfmFieldDef mbgnbd_fields[] = {RFM_MODEL4_FIELDS("r", "alpha", "a", "b")};

static const RfmFixedType mbgnbd_type = {
	.text = {"mbgnbd_model", RFM_PREDICT_TEXT_HINT},
	.size = sizeof(BgnbdModel),
	.nfields = lengthof(mbgnbd_fields),
	.fields = mbgnbd_fields,
	.required = "r, alpha, a and b are required",
	.violation = rfm_bgnbd_violation
};

Datum
mbgnbd_model_in(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(rfm_fixed_in(&mbgnbd_type, PG_GETARG_CSTRING(0)));
}

Datum
mbgnbd_model_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(rfm_fixed_out(&mbgnbd_type, DatumGetPointer(PG_GETARG_DATUM(0))));
}

Datum
mbgnbd_model_recv(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(rfm_fixed_recv(&mbgnbd_type, (StringInfo) PG_GETARG_POINTER(0)));
}

Datum
mbgnbd_model_send(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(rfm_fixed_send(&mbgnbd_type, DatumGetPointer(PG_GETARG_DATUM(0))));
}

Datum
mbgnbd_parameters(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATUM(rfm_fixed_record(&mbgnbd_type, fcinfo, DatumGetPointer(PG_GETARG_DATUM(0))));
}

/* ---------------------------------------------------------------------- */
/* predictions                                                             */
/* ---------------------------------------------------------------------- */

/* P(alive) = 1 / (1 + a/(b+x) ((alpha+T)/(alpha+t_x))^(r+x)), x = 0 included */
static double
p_alive(const BgnbdModel *m, double x, double t_x, double T)
{
	rfm_check_customer(x, t_x, T);
	return 1.0 / (1.0 + exp(log_death_odds(m->r, m->alpha, m->a, m->b, x, t_x, T)));
}

static void
check_a(const BgnbdModel *m)
{
	if (fabs(m->a - 1.0) < 1e-9)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("MBG/NBD expectations are undefined for a = 1")));
}

/*
 * E[Y(t) | x, t_x, T] (lifetimes' conditional_expected_number_of_purchases_up_to_time):
 *   (a+b+x)/(a-1) [1 - ((alpha+T)/(alpha+T+t))^(r+x) 2F1(r+x, b+x+1; a+b+x; t/(alpha+T+t))] P(alive)
 */
static double
expected_orders(const BgnbdModel *m, double x, double t_x, double T, double t)
{
	double		log_f;
	int			sign;

	rfm_check_customer(x, t_x, T);
	rfm_check_horizon(t);
	check_a(m);
	if (t == 0)
		return 0.0;
	log_f = rfm_log_hyp2f1(m->r + x, m->b + x + 1, m->a + m->b + x, t / (m->alpha + T + t), &sign);
	return (m->a + m->b + x) / (m->a - 1)
		* (1.0 - sign * exp(log_f + (m->r + x) * (log(m->alpha + T) - log(m->alpha + T + t))))
		* p_alive(m, x, t_x, T);
}

/* E[X(t)] of a new customer: b/(a-1) [1 - (alpha/(alpha+t))^r 2F1(r, b+1; a+b; t/(alpha+t))] */
static double
expected_new(const BgnbdModel *m, double t)
{
	double		log_f;
	int			sign;

	rfm_check_horizon(t);
	check_a(m);
	if (t == 0)
		return 0.0;
	log_f = rfm_log_hyp2f1(m->r, m->b + 1, m->a + m->b, t / (m->alpha + t), &sign);
	return m->b / (m->a - 1) *
		(1.0 - sign * exp(log_f + m->r * (log(m->alpha) - log(m->alpha + t))));
}

static Triple
history_in_model_unit(const BgnbdModel *m, Datum history)
{
	Triple		c;

	rfm_history_in_unit(m->unit, DatumGetRfmHistoryP(history),
						"Pass x, t_x and T in the model's unit instead of an rfm_history, or fit the model from rfm_history values.",
						&c.x, &c.t_x, &c.T);
	return c;
}

Datum
mbgnbd_p_alive(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(p_alive(DatumGetMbgnbdModelP(PG_GETARG_DATUM(0)),
							 PG_GETARG_FLOAT8(1), PG_GETARG_FLOAT8(2), PG_GETARG_FLOAT8(3)));
}

Datum
mbgnbd_p_alive_history(PG_FUNCTION_ARGS)
{
	BgnbdModel *m = DatumGetMbgnbdModelP(PG_GETARG_DATUM(0));
	Triple		c = history_in_model_unit(m, PG_GETARG_DATUM(1));

	PG_RETURN_FLOAT8(p_alive(m, c.x, c.t_x, c.T));
}

Datum
mbgnbd_log_likelihood(PG_FUNCTION_ARGS)
{
	BgnbdModel *m = DatumGetMbgnbdModelP(PG_GETARG_DATUM(0));
	double		x = PG_GETARG_FLOAT8(1),
				t_x = PG_GETARG_FLOAT8(2),
				T = PG_GETARG_FLOAT8(3);

	rfm_check_customer(x, t_x, T);
	PG_RETURN_FLOAT8(customer_ll(m, x, t_x, T));
}

Datum
mbgnbd_expected_orders(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(expected_orders(DatumGetMbgnbdModelP(PG_GETARG_DATUM(0)),
									 PG_GETARG_FLOAT8(1), PG_GETARG_FLOAT8(2),
									 PG_GETARG_FLOAT8(3), PG_GETARG_FLOAT8(4)));
}

Datum
mbgnbd_expected_orders_history(PG_FUNCTION_ARGS)
{
	BgnbdModel *m = DatumGetMbgnbdModelP(PG_GETARG_DATUM(0));
	Triple		c = history_in_model_unit(m, PG_GETARG_DATUM(1));

	PG_RETURN_FLOAT8(expected_orders(m, c.x, c.t_x, c.T,
									 rfm_horizon_in_unit(m->unit, PG_GETARG_INTERVAL_P(2))));
}

Datum
mbgnbd_expected_orders_new(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(expected_new(DatumGetMbgnbdModelP(PG_GETARG_DATUM(0)), PG_GETARG_FLOAT8(1)));
}

Datum
mbgnbd_expected_orders_new_interval(PG_FUNCTION_ARGS)
{
	BgnbdModel *m = DatumGetMbgnbdModelP(PG_GETARG_DATUM(0));

	PG_RETURN_FLOAT8(expected_new(m, rfm_horizon_in_unit(m->unit, PG_GETARG_INTERVAL_P(1))));
}
