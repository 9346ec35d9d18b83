/*
 * predict_pareto.c: the Pareto/NBD model of Schmittlein, Morrison &
 * Colombo (1987), in the form of Fader & Hardie, "A note on deriving the
 * Pareto/NBD model and related expressions" (2005).
 *
 * pareto_nbd_fit shares bgnbd_fit's state (the customers' (x, t_x, T)) and
 * its transition, combine, serialize and deserialize functions; its final
 * function maximizes the log-likelihood (as derived in the note)
 *
 *   L = G(r+x) alpha^r beta^s / G(r) * [ (alpha+T)^-(r+x) (beta+T)^-s
 *         + s/(r+s+x) (F(t_x) - F(T)) ]
 *
 * where s/(r+s+x) (F(t_x) - F(T)) = s int_{t_x}^T (alpha+u)^-(r+x) (beta+u)^-(s+1) du
 * and F(u) = 2F1(r+s+x, b; r+s+x+1; z(u)) / (m+u)^(r+s+x) with, to keep
 * 0 <= z < 1,  alpha >= beta: m = alpha, b = s+1, z = (alpha-beta)/(alpha+u)
 *              alpha <  beta: m = beta,  b = r+x, z = (beta-alpha)/(beta+u).
 *
 * How 2F1 is computed stably: Euler's transformation 2F1(a, b; c; z) =
 * (1-z)^(c-a-b) 2F1(c-a, c-b; c; z) with c = a+1 turns it into
 * 2F1(1, p; q; z) with 0 < p < q, a series of positive terms each at most
 * z^k (rfm_log_hyp2f1_1): no cancellation, no overflow for heavy buyers,
 * whose large r+x only makes it converge faster.  Multiplying out,
 *
 *   ln F(u) = -A ln(alpha+u) - B ln(beta+u) + ln 2F1(1, p; r+s+x+1; z(u))
 *   alpha >= beta: A = r+x,   B = s,   p = r+x
 *   alpha <  beta: A = r+x-1, B = s+1, p = s+1
 *
 * everything stays in logs, the difference F(t_x) - F(T) as
 * F(t_x) (-expm1(ln F(T) - ln F(t_x))), the sum of the two terms by
 * log-sum-exp.  The gradient is analytic: the series carries its
 * derivatives in p, q and z.
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
#include "predict_pareto.h"

PG_FUNCTION_INFO_V1(pareto_nbd_fit_final);
PG_FUNCTION_INFO_V1(pareto_nbd_model_in);
PG_FUNCTION_INFO_V1(pareto_nbd_model_out);
PG_FUNCTION_INFO_V1(pareto_nbd_model_recv);
PG_FUNCTION_INFO_V1(pareto_nbd_model_send);
PG_FUNCTION_INFO_V1(pareto_nbd_parameters);
PG_FUNCTION_INFO_V1(pareto_nbd_p_alive);
PG_FUNCTION_INFO_V1(pareto_nbd_p_alive_history);
PG_FUNCTION_INFO_V1(pareto_nbd_log_likelihood);
PG_FUNCTION_INFO_V1(pareto_nbd_expected_orders);
PG_FUNCTION_INFO_V1(pareto_nbd_expected_orders_history);
PG_FUNCTION_INFO_V1(pareto_nbd_expected_orders_new);
PG_FUNCTION_INFO_V1(pareto_nbd_expected_orders_new_interval);

enum
{
	R, ALPHA, S, BETA
};

/* rfm_fit4 and the type's fields (predict_fit4.h) see it as a BgnbdModel */
StaticAssertDecl(sizeof(ParetoNbdModel) == sizeof(BgnbdModel) &&
				 offsetof(ParetoNbdModel, alpha) == offsetof(BgnbdModel, alpha) &&
				 offsetof(ParetoNbdModel, s) == offsetof(BgnbdModel, a) &&
				 offsetof(ParetoNbdModel, beta) == offsetof(BgnbdModel, b) &&
				 offsetof(ParetoNbdModel, ll) == offsetof(BgnbdModel, ll) &&
				 offsetof(ParetoNbdModel, n) == offsetof(BgnbdModel, n) &&
				 offsetof(ParetoNbdModel, unit) == offsetof(BgnbdModel, unit) &&
				 offsetof(ParetoNbdModel, iterations) == offsetof(BgnbdModel, iterations) &&
				 offsetof(ParetoNbdModel, flags) == offsetof(BgnbdModel, flags),
				 "ParetoNbdModel must be laid out as BgnbdModel");

/* ---------------------------------------------------------------------- */
/* one customer's likelihood                                               */
/* ---------------------------------------------------------------------- */

/*
 * The largest z a fit sums 2F1 for: ~40,000 terms.  Beyond it (alpha and
 * beta three orders of magnitude apart at a young age) the objective is
 * NaN and the line search steps back, rather than a trial point of the
 * optimizer costing minutes; predictions go up to 1 - 1e-6.
 */
#define FIT_MAX_Z 0.999
#define PREDICT_MAX_Z (1.0 - 1e-6)

/*
 * ln F(u) and, if grad, its gradient in (r, alpha, s, beta); NaN if z is
 * beyond max_z or 2F1 could not be summed.
 */
static double
log_F(const double *p, double x, double u, double max_z, double *grad)
{
	double		r = p[R],
				alpha = p[ALPHA],
				s = p[S],
				beta = p[BETA];
	bool		alpha_larger = alpha >= beta;
	double		A = alpha_larger ? r + x : r + x - 1,
				B = alpha_larger ? s : s + 1,
				sp = alpha_larger ? r + x : s + 1,
				q = r + s + x + 1,
				z = alpha_larger ? (alpha - beta) / (alpha + u) : (beta - alpha) / (beta + u);
	double		g_p,
				g_q,
				g_z;
	double		lg,
				la = log(alpha + u),
				lb = log(beta + u);

	if (!(z <= max_z))
		return NAN;
	lg = rfm_log_hyp2f1_1(sp, q, z, &g_p, &g_q, &g_z);

	if (grad)
	{
		grad[R] = -la + (alpha_larger ? g_p : 0) + g_q;
		grad[S] = -lb + (alpha_larger ? 0 : g_p) + g_q;
		if (alpha_larger)
		{
			grad[ALPHA] = -A / (alpha + u) + g_z * (beta + u) / ((alpha + u) * (alpha + u));
			grad[BETA] = -B / (beta + u) - g_z / (alpha + u);
		}
		else
		{
			grad[ALPHA] = -A / (alpha + u) - g_z / (beta + u);
			grad[BETA] = -B / (beta + u) + g_z * (alpha + u) / ((beta + u) * (beta + u));
		}
	}
	return -A * la - B * lb + lg;
}

/*
 * ln F(t_x) with its gradient, kept for the next customer: sorted
 * customers with the same (x, t_x) follow each other.
 */
typedef struct FCache
{
	bool		valid;
	double		x;
	double		u;
	double		lf;
	double		grad[4];
} FCache;

/*
 * The two terms of the bracket in logs: alive at T (log_alive) and dead
 * between t_x and T (log_dead, -inf when t_x = T), with their gradients
 * if g_alive is given.  False if 2F1 could not be summed.
 */
static bool
bracket_terms(const double *p, double x, double t_x, double T, double max_z, FCache *cache,
			  double *log_alive, double *log_dead, double *g_alive, double *g_dead)
{
	double		r = p[R],
				alpha = p[ALPHA],
				s = p[S],
				beta = p[BETA];
	double		g1[4],
				g2[4];
	double		lf1,
				lf2,
				delta;
	int			i;

	*log_alive = -(r + x) * log(alpha + T) - s * log(beta + T);
	if (g_alive)
	{
		g_alive[R] = -log(alpha + T);
		g_alive[ALPHA] = -(r + x) / (alpha + T);
		g_alive[S] = -log(beta + T);
		g_alive[BETA] = -s / (beta + T);
	}
	*log_dead = -INFINITY;
	if (g_dead)
		memset(g_dead, 0, 4 * sizeof(double));
	if (!(t_x < T))
		return true;

	if (cache && cache->valid && cache->x == x && cache->u == t_x)
	{
		lf1 = cache->lf;
		memcpy(g1, cache->grad, sizeof(g1));
	}
	else
	{
		lf1 = log_F(p, x, t_x, max_z, g_alive ? g1 : NULL);
		if (cache)
		{
			cache->valid = g_alive != NULL;
			cache->x = x;
			cache->u = t_x;
			cache->lf = lf1;
			if (g_alive)
				memcpy(cache->grad, g1, sizeof(g1));
		}
	}
	if (isnan(lf1))
		return false;
	lf2 = log_F(p, x, T, max_z, g_alive ? g2 : NULL);
	if (isnan(lf2))
		return false;
	delta = lf2 - lf1;
	/*
	 * F decreases, so delta < 0; a delta rounded to 0 or above means T - t_x
	 * is so small that the dead term, at most s (T - t_x)/(beta + T) of the
	 * alive one, is below rounding too: it is left out.
	 */
	if (!(delta < 0))
		return true;
	*log_dead = log(s) - log(r + s + x) + lf1 + log(-expm1(delta));
	if (g_dead)
	{
		/* d ln(F1 - F2) = dF1/F1 + (dF1/F1 - dF2/F2) / (e^-delta - 1) */
		double		w = 1.0 / expm1(-delta);

		for (i = 0; i < 4; i++)
			g_dead[i] = g1[i] + w * (g1[i] - g2[i]);
		g_dead[R] -= 1.0 / (r + s + x);
		g_dead[S] += 1.0 / s - 1.0 / (r + s + x);
	}
	return true;
}

/* ---------------------------------------------------------------------- */
/* the fit                                                                 */
/* ---------------------------------------------------------------------- */

/* -LL/n and its gradient in log-parameters; NaN where 2F1 could not be summed */
static double
pareto_objective(const double *theta, double *grad, void *arg)
{
	const RfmWeighted *d = arg;
	const Triple *t = d->records;
	double		p[4];
	double		ll = 0,
				g[4] = {0, 0, 0, 0};
	double		lg_r,
				psi_r;
	FCache		cache = {0};
	int64		i;
	int			j;

	for (j = 0; j < 4; j++)
		p[j] = exp(theta[j]);
	lg_r = lgamma(p[R]);
	psi_r = rfm_digamma(p[R]);

	/* G(r+x) alpha^r beta^s / G(r): of x alone, and of none */
	for (i = 0; i < d->nx; i++)
	{
		double		x = d->xv[i],
					w = d->xw[i];

		ll += w * (lgamma(p[R] + x) - lg_r);
		g[R] += w * (rfm_digamma(p[R] + x) - psi_r);
	}
	ll += d->n * (p[R] * log(p[ALPHA]) + p[S] * log(p[BETA]));
	g[R] += d->n * log(p[ALPHA]);
	g[ALPHA] += d->n * p[R] / p[ALPHA];
	g[S] += d->n * log(p[BETA]);
	g[BETA] += d->n * p[S] / p[BETA];

	for (i = 0; i < d->m; i++)
	{
		double		w = d->w[i];
		double		l1,
					l2,
					g1[4],
					g2[4],
					top,
					p1,
					p2;

		if ((i & 0x3FFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (!bracket_terms(p, t[i].x, t[i].t_x, t[i].T, FIT_MAX_Z, &cache, &l1, &l2, g1, g2))
			return NAN;
		top = Max(l1, l2);
		p1 = exp(l1 - top);
		p2 = exp(l2 - top);
		ll += w * (top + log(p1 + p2));
		for (j = 0; j < 4; j++)
			g[j] += w * (p1 * g1[j] + p2 * g2[j]) / (p1 + p2);
	}

	for (j = 0; j < 4; j++)
		grad[j] = -g[j] * p[j] / d->n;
	return -ll / d->n;
}

/*
 * Its scales alpha and beta start alike: the data tell only the time scale
 * of both rates.  The usual hint would not name the region where 2F1 is
 * not summed (FIT_MAX_Z).
 */
static const RfmFit4 pareto_fit = {
	.fit = "pareto_nbd_fit",.model = "Pareto/NBD",.names = {"r", "alpha", "s", "beta"},
	.objective = pareto_objective,.fourth_is_scale = true,
	.not_converged = "The data may be degenerate for this model, or its maximum lies where alpha and beta are over a thousandfold apart, where pareto_nbd_fit does not sum its hypergeometric series; compare with bgnbd_fit."
};

Datum
pareto_nbd_fit_final(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(rfm_fit4(&pareto_fit, PG_ARGISNULL(0) ? NULL : (RfmTripleState *) PG_GETARG_POINTER(0)));
}

/* ---------------------------------------------------------------------- */
/* the type                                                                */
/* ---------------------------------------------------------------------- */

static const char *
model_violation(const void *value)
{
	return rfm_model4_violation(value, "r, alpha, s and beta must be positive and finite");
}

static const RfmFieldDef pareto_fields[] = {RFM_MODEL4_FIELDS("r", "alpha", "s", "beta")};

static const RfmFixedType pareto_type = {
	.text = {"pareto_nbd_model", RFM_PREDICT_TEXT_HINT},
	.size = sizeof(ParetoNbdModel),
	.nfields = lengthof(pareto_fields),
	.fields = pareto_fields,
	.required = "r, alpha, s and beta are required",
	.violation = model_violation
};

Datum
pareto_nbd_model_in(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(rfm_fixed_in(&pareto_type, PG_GETARG_CSTRING(0)));
}

Datum
pareto_nbd_model_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(rfm_fixed_out(&pareto_type, DatumGetPointer(PG_GETARG_DATUM(0))));
}

Datum
pareto_nbd_model_recv(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(rfm_fixed_recv(&pareto_type, (StringInfo) PG_GETARG_POINTER(0)));
}

Datum
pareto_nbd_model_send(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(rfm_fixed_send(&pareto_type, DatumGetPointer(PG_GETARG_DATUM(0))));
}

Datum
pareto_nbd_parameters(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATUM(rfm_fixed_record(&pareto_type, fcinfo, DatumGetPointer(PG_GETARG_DATUM(0))));
}

/* ---------------------------------------------------------------------- */
/* predictions                                                             */
/* ---------------------------------------------------------------------- */

static void
model_params(const ParetoNbdModel *m, double *p)
{
	p[R] = m->r;
	p[ALPHA] = m->alpha;
	p[S] = m->s;
	p[BETA] = m->beta;
}

/* the bracket's two terms, or an error */
static void
customer_terms(const ParetoNbdModel *m, double x, double t_x, double T,
			   double *log_alive, double *log_dead)
{
	double		p[4];

	rfm_check_customer(x, t_x, T);
	model_params(m, p);
	if (!bracket_terms(p, x, t_x, T, PREDICT_MAX_Z, NULL, log_alive, log_dead, NULL, NULL))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("the Pareto/NBD likelihood of customer (%g, %g, %g) needs its hypergeometric series at z too close to 1",
						x, t_x, T),
				 errdetail("|alpha - beta| / (max(alpha, beta) + t_x) must be at most 1 - 1e-6."),
				 errhint("alpha and beta are too far apart for this customer's age.")));
}

/* P(alive) = alive / (alive + dead): the share of the likelihood of being alive at T */
static double
p_alive(const ParetoNbdModel *m, double x, double t_x, double T)
{
	double		l1,
				l2;

	customer_terms(m, x, t_x, T, &l1, &l2);
	return 1.0 / (1.0 + exp(l2 - l1));
}

/*
 * [1 - (b/(b+t))^(s-1)] / (s-1), which is ln(1 + t/b) at s = 1, without
 * the division by s - 1 going wrong near s = 1.
 */
static double
survival_integral(double s, double b, double t)
{
	double		L = log1p(t / b);
	double		e = (s - 1) * L;

	if (fabs(e) < 1e-8)
		return L * (1.0 - e / 2);
	return -expm1(-e) / (s - 1);
}

/* E[Y(t) | x, t_x, T] = (r+x)(beta+T)/(alpha+T) [1 - ((beta+T)/(beta+T+t))^(s-1)]/(s-1) P(alive) */
static double
expected_orders(const ParetoNbdModel *m, double x, double t_x, double T, double t)
{
	double		pa;

	rfm_check_customer(x, t_x, T);
	rfm_check_horizon(t);
	if (t == 0)
		return 0.0;
	pa = p_alive(m, x, t_x, T);
	return (m->r + x) / (m->alpha + T) * (m->beta + T) *
		survival_integral(m->s, m->beta + T, t) * pa;
}

/* E[X(t)] of a new customer = r beta / alpha [1 - (beta/(beta+t))^(s-1)]/(s-1) */
static double
expected_new(const ParetoNbdModel *m, double t)
{
	rfm_check_horizon(t);
	if (t == 0)
		return 0.0;
	return m->r / m->alpha * m->beta * survival_integral(m->s, m->beta, t);
}

static Triple
history_in_model_unit(const ParetoNbdModel *m, Datum history)
{
	Triple		c;

	rfm_history_in_unit(m->unit, DatumGetRfmHistoryP(history),
						"Pass x, t_x and T in the model's unit instead of an rfm_history, or fit the model from rfm_history values.",
						&c.x, &c.t_x, &c.T);
	return c;
}

Datum
pareto_nbd_p_alive(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(p_alive(DatumGetParetoNbdModelP(PG_GETARG_DATUM(0)),
							 PG_GETARG_FLOAT8(1), PG_GETARG_FLOAT8(2), PG_GETARG_FLOAT8(3)));
}

Datum
pareto_nbd_p_alive_history(PG_FUNCTION_ARGS)
{
	ParetoNbdModel *m = DatumGetParetoNbdModelP(PG_GETARG_DATUM(0));
	Triple		c = history_in_model_unit(m, PG_GETARG_DATUM(1));

	PG_RETURN_FLOAT8(p_alive(m, c.x, c.t_x, c.T));
}

/* one customer's ln L at the model's parameters */
Datum
pareto_nbd_log_likelihood(PG_FUNCTION_ARGS)
{
	ParetoNbdModel *m = DatumGetParetoNbdModelP(PG_GETARG_DATUM(0));
	double		x = PG_GETARG_FLOAT8(1),
				l1,
				l2,
				top;

	customer_terms(m, x, PG_GETARG_FLOAT8(2), PG_GETARG_FLOAT8(3), &l1, &l2);
	top = Max(l1, l2);
	PG_RETURN_FLOAT8(lgamma(m->r + x) - lgamma(m->r) + m->r * log(m->alpha) + m->s * log(m->beta)
					 + top + log(exp(l1 - top) + exp(l2 - top)));
}

Datum
pareto_nbd_expected_orders(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(expected_orders(DatumGetParetoNbdModelP(PG_GETARG_DATUM(0)),
									 PG_GETARG_FLOAT8(1), PG_GETARG_FLOAT8(2),
									 PG_GETARG_FLOAT8(3), PG_GETARG_FLOAT8(4)));
}

Datum
pareto_nbd_expected_orders_history(PG_FUNCTION_ARGS)
{
	ParetoNbdModel *m = DatumGetParetoNbdModelP(PG_GETARG_DATUM(0));
	Triple		c = history_in_model_unit(m, PG_GETARG_DATUM(1));

	PG_RETURN_FLOAT8(expected_orders(m, c.x, c.t_x, c.T,
									 rfm_horizon_in_unit(m->unit, PG_GETARG_INTERVAL_P(2))));
}

Datum
pareto_nbd_expected_orders_new(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(expected_new(DatumGetParetoNbdModelP(PG_GETARG_DATUM(0)), PG_GETARG_FLOAT8(1)));
}

Datum
pareto_nbd_expected_orders_new_interval(PG_FUNCTION_ARGS)
{
	ParetoNbdModel *m = DatumGetParetoNbdModelP(PG_GETARG_DATUM(0));

	PG_RETURN_FLOAT8(expected_new(m, rfm_horizon_in_unit(m->unit, PG_GETARG_INTERVAL_P(1))));
}
