/*
 * predict_bgnbd.c: the BG/NBD model of Fader, Hardie & Lee (2005),
 * "Counting your customers the easy way".
 *
 * bgnbd_fit is an aggregate over customers: the internal state collects the
 * (x, t_x, T) triples (24 bytes a customer, parallel safe with combine,
 * serialize and deserialize), the final function maximizes the
 * log-likelihood, eq. (6) of the paper:
 *
 *   LL = sum ln[ B(a, b+x)/B(a, b) * G(r+x) a^r / (G(r) (alpha+T)^(r+x))
 *              + [x > 0] B(a+1, b+x-1)/B(a, b) * G(r+x) alpha^r / (G(r) (alpha+t_x)^(r+x)) ]
 *
 * in log space:  r ln alpha + lnG(r+x) - lnG(r) + lnB(a, b+x) - lnB(a, b)
 *                - (r+x) ln(alpha+T) + ln(1 + [x>0] a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x))
 * (B(a+1, b+x-1)/B(a, b+x) = a/(b+x-1)), the last term by log1p(exp()).
 *
 * The optimizer works on log-parameters with the analytic gradient.  The
 * gamma and beta terms depend on x alone, so they are summed once per
 * distinct x; identical triples are merged first (sorted, so the sums do
 * not depend on the order rows arrived in, serial or parallel).
 */
#include "postgres.h"
#include "compat.h"

#include <math.h>

#include "fmgr.h"
#include "libpq/pqformat.h"
#include "utils/timestamp.h"

#include "agg_state.h"
#include "fixed_type.h"
#include "optim.h"
#include "predict.h"
#include "predict_memo.h"
#include "predict_fit4.h"
#include "predict_math.h"
#include "time_unit.h"

PG_FUNCTION_INFO_V1(bgnbd_fit_trans);
PG_FUNCTION_INFO_V1(bgnbd_fit_trans_history);
PG_FUNCTION_INFO_V1(bgnbd_fit_combine);
PG_FUNCTION_INFO_V1(bgnbd_fit_serialize);
PG_FUNCTION_INFO_V1(bgnbd_fit_deserialize);
PG_FUNCTION_INFO_V1(bgnbd_fit_final);
PG_FUNCTION_INFO_V1(bgnbd_model_in);
PG_FUNCTION_INFO_V1(bgnbd_model_out);
PG_FUNCTION_INFO_V1(bgnbd_model_recv);
PG_FUNCTION_INFO_V1(bgnbd_model_send);
PG_FUNCTION_INFO_V1(bgnbd_parameters);
PG_FUNCTION_INFO_V1(bgnbd_p_alive);
PG_FUNCTION_INFO_V1(bgnbd_p_alive_history);
PG_FUNCTION_INFO_V1(bgnbd_expected_orders);
PG_FUNCTION_INFO_V1(bgnbd_expected_orders_history);
PG_FUNCTION_INFO_V1(bgnbd_expected_orders_new);
PG_FUNCTION_INFO_V1(bgnbd_expected_orders_new_interval);

static void
send_triple(StringInfo buf, const void *record)
{
	const Triple *t = record;

	pq_sendfloat8(buf, t->x);
	pq_sendfloat8(buf, t->t_x);
	pq_sendfloat8(buf, t->T);
}

static void
recv_triple(StringInfo buf, void *record)
{
	Triple	   *t = record;

	t->x = pq_getmsgfloat8(buf);
	t->t_x = pq_getmsgfloat8(buf);
	t->T = pq_getmsgfloat8(buf);
}

static const RfmRecordForm triple_form = {sizeof(Triple), 64, send_triple, recv_triple};

static RfmTripleState *
new_triple_state(MemoryContext context, int64 unit)
{
	RfmTripleState   *state = rfm_records_state_new(context, sizeof(RfmTripleState), &triple_form, 0);

	state->unit = unit;
	return state;
}

/* lifetimes' input checks, as errors rather than NaN later on */
void
rfm_check_customer(double x, double t_x, double T)
{
	if (!isfinite(x) || !isfinite(t_x) || !isfinite(T))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("x, t_x and T must be finite, got (%g, %g, %g)", x, t_x, T)));
	if (x < 0 || x != floor(x) || x > 1e9)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("x must be a whole number of repeat purchases, got %g", x)));
	if (t_x < 0 || t_x > T)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("t_x must be between 0 and T, got t_x = %g, T = %g", t_x, T),
				 errhint("t_x is the age at the last purchase, T the age at the end of the observation period.")));
	if (x == 0 && t_x != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("t_x must be 0 when x is 0, got t_x = %g", t_x),
				 errhint("A customer without repeat purchases has its last purchase at age 0.")));
}

static void
add_triple(RfmTripleState *state, double x, double t_x, double T)
{
	Triple	   *t;

	rfm_check_customer(x, t_x, T);
	t = rfm_records_append(&state->triples);
	t->x = x;
	t->t_x = t_x;
	t->T = T;
}

/* (state, x, t_x, T); a row with a NULL is skipped */
Datum
bgnbd_fit_trans(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext = rfm_agg_context(fcinfo, "bgnbd_fit_trans");
	RfmTripleState   *state = PG_ARGISNULL(0) ? NULL : (RfmTripleState *) PG_GETARG_POINTER(0);

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
		RFM_RETURN_STATE(state);
	if (state == NULL)
		state = new_triple_state(aggcontext, 0);
	add_triple(state, PG_GETARG_FLOAT8(1), PG_GETARG_FLOAT8(2), PG_GETARG_FLOAT8(3));
	RFM_RETURN_STATE(state);
}

static void
units_mismatch(const char *hint)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("every history of a fit must be in the same unit, or the fit's unit must be given"),
			 hint ? errhint("%s", hint) : 0));
}

/* (state, history [, unit]): the model's unit is unit, else the histories' */
Datum
bgnbd_fit_trans_history(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext = rfm_agg_context(fcinfo, "bgnbd_fit_trans_history");
	RfmTripleState   *state = PG_ARGISNULL(0) ? NULL : (RfmTripleState *) PG_GETARG_POINTER(0);
	RfmHistory *h;
	int64		unit;
	double		scale;

	if (PG_ARGISNULL(1) || (PG_NARGS() > 2 && PG_ARGISNULL(2)))
		RFM_RETURN_STATE(state);
	h = DatumGetRfmHistoryP(PG_GETARG_DATUM(1));
	unit = PG_NARGS() > 2 ? rfm_interval_usecs(PG_GETARG_INTERVAL_P(2), "unit") : h->unit;
	if (state == NULL)
		state = new_triple_state(aggcontext, unit);
	else if (state->unit != unit)
		units_mismatch("Pass the model's time unit as the fit's second argument, e.g. bgnbd_fit(h, interval '7 days').");
	scale = (double) h->unit / (double) unit;
	add_triple(state, (double) h->x, h->t_x * scale, h->T * scale);
	RFM_RETURN_STATE(state);
}

Datum
bgnbd_fit_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext = rfm_agg_context(fcinfo, "bgnbd_fit_combine");
	RfmTripleState   *into = PG_ARGISNULL(0) ? NULL : (RfmTripleState *) PG_GETARG_POINTER(0);
	RfmTripleState   *from = PG_ARGISNULL(1) ? NULL : (RfmTripleState *) PG_GETARG_POINTER(1);

	if (from == NULL)
		RFM_RETURN_STATE(into);
	if (into != NULL && into->unit != from->unit)
		units_mismatch(NULL);
	RFM_RETURN_STATE(rfm_records_combine(aggcontext, into, from, sizeof(RfmTripleState)));
}

Datum
bgnbd_fit_serialize(PG_FUNCTION_ARGS)
{
	RfmTripleState   *state = (RfmTripleState *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	rfm_agg_context(fcinfo, "bgnbd_fit_serialize");
	pq_begintypsend(&buf);
	pq_sendint64(&buf, state->unit);
	rfm_records_send(&buf, &state->triples);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
bgnbd_fit_deserialize(PG_FUNCTION_ARGS)
{
	StringInfoData buf;
	RfmTripleState   *state;

	rfm_agg_context(fcinfo, "bgnbd_fit_deserialize");
	rfm_state_receive(PG_GETARG_BYTEA_PP(0), &buf);
	state = new_triple_state(CurrentMemoryContext, pq_getmsgint64(&buf));
	rfm_records_recv(&buf, &state->triples);
	RFM_RETURN_STATE(state);
}

/* ---------------------------------------------------------------------- */
/* the likelihood                                                          */
/* ---------------------------------------------------------------------- */

/* -LL/n and its gradient in log-parameters */
static double
bgnbd_objective(const double *theta, double *grad, void *arg)
{
	RfmTriples *triples = arg;
	const RfmWeighted *d = &triples->customers;
	const Triple *t = d->records;
	const uint32 *age_of = triples->age_of;
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
				log_a = log(a),
				run_x = -1,
				log_odds_of_x = 0,
				run_t_x = -1,
				lt = 0,
				inverse_t = 0,
				psi_r = rfm_digamma(r),
				psi_b = rfm_digamma(b),
				psi_ab = rfm_digamma(a + b),
				lg_r = lgamma(r),
				lg_b = lgamma(b),
				lg_ab = lgamma(a + b);
	int64		i;

	if (age_of != NULL)
		for (i = 0; i < triples->n_ages; i++)
		{
			triples->age_log[i] = log(alpha + triples->ages[i]);
			triples->age_inverse[i] = 1.0 / (alpha + triples->ages[i]);
		}

	/* terms of x alone */
	for (i = 0; i < d->nx; i++)
	{
		double		x = d->xv[i],
					w = d->xw[i];
		double		psi_abx = rfm_digamma(a + b + x);

		ll += w * (lgamma(r + x) - lg_r + lgamma(b + x) - lgamma(a + b + x) - lg_b + lg_ab);
		dr += w * (rfm_digamma(r + x) - psi_r);
		da += w * (psi_ab - psi_abx);
		db += w * (rfm_digamma(b + x) - psi_abx - psi_b + psi_ab);
	}

	/*
	 * Terms of each distinct triple.  They come sorted by x, then t_x, so
	 * what depends on x, or x and t_x, is computed once a run (a million
	 * customers have some 45,000 distinct (x, t_x)); and one exponential
	 * gives both log(1 + e^s) and the sigmoid of s.  (Half a million
	 * triples and some thirty evaluations of the likelihood at a million
	 * customers.)
	 */
	for (i = 0; i < d->m; i++)
	{
		double		x = t[i].x,
					w = d->w[i];
		double		lT = age_of ? triples->age_log[age_of[i]] : log(alpha + t[i].T);
		double		inverse_T = age_of ? triples->age_inverse[age_of[i]] : 1.0 / (alpha + t[i].T);
		double		term = r * log_alpha - (r + x) * lT;
		double		dterm_r = log_alpha - lT;
		double		dterm_alpha = r / alpha - (r + x) / (alpha + t[i].T);

		if (x > 0)
		{
			double		s,
						e,
						p;

			if (x != run_x)
			{
				run_x = x;
				log_odds_of_x = log_a - log(b + x - 1);
				run_t_x = -1;
			}
			if (t[i].t_x != run_t_x)
			{
				run_t_x = t[i].t_x;
				lt = log(alpha + run_t_x);
				inverse_t = 1.0 / (alpha + run_t_x);
			}
			s = log_odds_of_x + (r + x) * (lT - lt);
			e = exp(-fabs(s));
			p = s >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);	/* sigmoid(s) */
			term += Max(s, 0.0) + log1p(e);	/* log(1 + e^s) */
			dterm_r += p * (lT - lt);
			dterm_alpha += p * (r + x) * (inverse_T - inverse_t);
			da += w * p / a;
			db -= w * p / (b + x - 1);
		}
		ll += w * term;
		dr += w * dterm_r;
		dalpha += w * dterm_alpha;
	}

	grad[0] = -dr * r / d->n;
	grad[1] = -dalpha * alpha / d->n;
	grad[2] = -da * a / d->n;
	grad[3] = -db * b / d->n;
	return -ll / d->n;
}

static const RfmFit4 bgnbd_fit = {
	.fit = "bgnbd_fit",.model = "BG/NBD",.names = {"r", "alpha", "a", "b"},
	.objective = bgnbd_objective,.by_age = true
};

Datum
bgnbd_fit_final(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(rfm_fit4(&bgnbd_fit, PG_ARGISNULL(0) ? NULL : (RfmTripleState *) PG_GETARG_POINTER(0)));
}

/* ---------------------------------------------------------------------- */
/* the type                                                                */
/* ---------------------------------------------------------------------- */

/* mbgnbd_model's too: the same struct */
const char *
rfm_bgnbd_violation(const void *value)
{
	return rfm_model4_violation(value, "r, alpha, a and b must be positive and finite");
}

static const RfmFieldDef bgnbd_fields[] = {RFM_MODEL4_FIELDS("r", "alpha", "a", "b")};

static const RfmFixedType bgnbd_type = {
	.text = {"bgnbd_model", RFM_PREDICT_TEXT_HINT},
	.size = sizeof(BgnbdModel),
	.nfields = lengthof(bgnbd_fields),
	.fields = bgnbd_fields,
	.required = "r, alpha, a and b are required",
	.violation = rfm_bgnbd_violation
};

Datum
bgnbd_model_in(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(rfm_fixed_in(&bgnbd_type, PG_GETARG_CSTRING(0)));
}

Datum
bgnbd_model_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(rfm_fixed_out(&bgnbd_type, DatumGetPointer(PG_GETARG_DATUM(0))));
}

Datum
bgnbd_model_recv(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(rfm_fixed_recv(&bgnbd_type, (StringInfo) PG_GETARG_POINTER(0)));
}

Datum
bgnbd_model_send(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(rfm_fixed_send(&bgnbd_type, DatumGetPointer(PG_GETARG_DATUM(0))));
}

/* (r, alpha, a, b, log_likelihood, customers, unit, iterations, converged) */
Datum
bgnbd_parameters(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATUM(rfm_fixed_record(&bgnbd_type, fcinfo, DatumGetPointer(PG_GETARG_DATUM(0))));
}

/* ---------------------------------------------------------------------- */
/* predictions                                                             */
/* ---------------------------------------------------------------------- */

/* ln of the [x > 0] a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x) odds of being dead */
static double
log_death_odds(const BgnbdModel *m, double x, double t_x, double T)
{
	/*
	 * The last customer's, kept: a prediction query asks P(alive), the
	 * expected orders and the customer value of each customer in turn, and
	 * each needs these four logarithms.
	 */
	static struct
	{
		double		r,
					alpha,
					a,
					b,
					x,
					t_x,
					T,
					odds;
	}			last = {NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN};

	if (x != last.x || t_x != last.t_x || T != last.T || m->r != last.r ||
		m->alpha != last.alpha || m->a != last.a || m->b != last.b)
	{
		last.odds = log(m->a) - log(m->b + x - 1)
			+ (m->r + x) * (log(m->alpha + T) - log(m->alpha + t_x));
		last.r = m->r;
		last.alpha = m->alpha;
		last.a = m->a;
		last.b = m->b;
		last.x = x;
		last.t_x = t_x;
		last.T = T;
	}
	return last.odds;
}

static double
p_alive(const BgnbdModel *m, double x, double t_x, double T)
{
	if (x == 0)
		return 1.0;
	return 1.0 / (1.0 + exp(log_death_odds(m, x, t_x, T)));
}

static void
check_a(const BgnbdModel *m)
{
	if (fabs(m->a - 1.0) < 1e-9)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("BG/NBD expectations are undefined for a = 1")));
}

void
rfm_check_horizon(double t)
{
	if (!isfinite(t) || t < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("horizon must be finite and not negative, got %g", t)));
}

/*
 * E[Y(t) | x, t_x, T], eq. (10):
 *   (a+b+x-1)/(a-1) * [1 - ((alpha+T)/(alpha+T+t))^(r+x) 2F1(r+x, b+x; a+b+x-1; z)]
 *   / (1 + [x > 0] a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x)),   z = t/(alpha+T+t):
 * its brackets [...] at the n horizons t[] into bracket[].  The series is
 * summed after Euler's transformation,
 * 2F1(A, B; C; z) = (1-z)^(C-A-B) 2F1(C-A, C-B; C; z), with
 * 1 - z = (alpha+T)/(alpha+T+t): the bracket's power becomes (1-z)^(a-1) and
 * the series 2F1(a+b-1-r, a-1; a+b+x-1; z), whose first two parameters do
 * not grow with x.  Summed as written, a buyer of x orders needs about
 * x z/(1-z) terms before they even start to fall; transformed, the larger
 * x the faster the series ends.  Only while a+b-1-r >= 0: past it the
 * transformed terms alternate in sign for the first |a+b-1-r| of them and
 * could cancel, where the terms as written are all positive.
 */
static void
brackets(const BgnbdModel *m, double x, double T, const double *t, int n, double *bracket)
{
	double		z[RFM_HYP2F1_MANY] = {0},
				log_f[RFM_HYP2F1_MANY];
	int			sign[RFM_HYP2F1_MANY];
	double		log_age = log(m->alpha + T);
	bool		euler = m->a + m->b - 1 - m->r >= 0;
	double		power = euler ? m->a - 1 : m->r + x;
	int			i;

	for (i = 0; i < n; i++)
		z[i] = t[i] / (m->alpha + T + t[i]);
	if (euler)
		rfm_log_hyp2f1_many(m->a + m->b - 1 - m->r, m->a - 1, m->a + m->b + x - 1, z, n, log_f, sign);
	else
		rfm_log_hyp2f1_many(m->r + x, m->b + x, m->a + m->b + x - 1, z, n, log_f, sign);
	for (i = 0; i < n; i++)
		bracket[i] = t[i] == 0 ? 0.0 :
			1.0 - sign[i] * exp(log_f[i] + power * (log_age - log(m->alpha + T + t[i])));
}

/*
 * The brackets of (x, T) from the memo of the call site memo_site (NULL: no
 * memo), else summed and kept there.
 */
static void
remembered_brackets(FmgrInfo *memo_site, const BgnbdModel *m, double x, double T,
					const double *t, int n, double *bracket)
{
	double		identity[4 + RFM_HYP2F1_MANY] = {m->r, m->alpha, m->a, m->b};
	RfmMemo    *memo;
	const double *known;

	if (memo_site == NULL)
	{
		brackets(m, x, T, t, n, bracket);
		return;
	}
	memcpy(identity + 4, t, n * sizeof(double));
	memo = rfm_memo_of_call(memo_site, identity, 4 + n, n);
	known = rfm_memo_find(memo, x, T);
	if (known != NULL)
		memcpy(bracket, known, n * sizeof(double));
	else
	{
		brackets(m, x, T, t, n, bracket);
		rfm_memo_add(memo, x, T, bracket);
	}
}

/*
 * E[Y(t) | x, t_x, T] at the n horizons t[] into e[]: the bracket of eq.
 * (10) depends on x and T only, so a call site that predicts for many
 * customers (memo_site, or NULL) sums its series once per distinct (x, T).
 */
void
rfm_bgnbd_expected_many(const BgnbdModel *m, double x, double t_x, double T,
						const double *t, int n, double *e, FmgrInfo *memo_site)
{
	double		bracket[RFM_HYP2F1_MANY],
				factor;
	int			i;

	Assert(n >= 1 && n <= RFM_HYP2F1_MANY);
	rfm_check_customer(x, t_x, T);
	for (i = 0; i < n; i++)
		rfm_check_horizon(t[i]);
	check_a(m);
	factor = (m->a + m->b + x - 1) / (m->a - 1) /
		(x > 0 ? 1.0 + exp(log_death_odds(m, x, t_x, T)) : 1.0);
	remembered_brackets(memo_site, m, x, T, t, n, bracket);
	for (i = 0; i < n; i++)
		e[i] = factor * bracket[i];
}

double
rfm_bgnbd_expected(const BgnbdModel *m, double x, double t_x, double T, double t)
{
	double		e;

	rfm_bgnbd_expected_many(m, x, t_x, T, &t, 1, &e, NULL);
	return e;
}

static void
check_model_unit(int64 unit, const char *hint)
{
	if (unit == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("this model was fitted from (x, t_x, T) numbers and does not know its time unit"),
				 errhint("%s", hint)));
}

void
rfm_history_in_unit(int64 unit, const RfmHistory *h, const char *hint,
					double *x, double *t_x, double *T)
{
	double		scale;

	check_model_unit(unit, hint);
	scale = (double) h->unit / (double) unit;
	*x = (double) h->x;
	*t_x = h->t_x * scale;
	*T = h->T * scale;
}

void
rfm_history_in_model_unit(const BgnbdModel *m, const RfmHistory *h, const char *hint,
						  double *x, double *t_x, double *T)
{
	rfm_history_in_unit(m->unit, h, hint, x, t_x, T);
}

double
rfm_horizon_in_unit(int64 unit, const Interval *horizon)
{
	int64		usecs;

	check_model_unit(unit, "Give the horizon as a number in the model's unit.");
	usecs = rfm_interval_usecs(horizon, "horizon");
	return (double) usecs / (double) unit;
}

static Triple
history_in_model_unit(const BgnbdModel *m, Datum history)
{
	Triple		c;

	rfm_history_in_model_unit(m, DatumGetRfmHistoryP(history),
							  "Pass x, t_x and T in the model's unit instead of an rfm_history, or fit the model from rfm_history values.",
							  &c.x, &c.t_x, &c.T);
	return c;
}

static double
horizon_in_model_unit(const BgnbdModel *m, const Interval *horizon)
{
	return rfm_horizon_in_unit(m->unit, horizon);
}

Datum
bgnbd_p_alive(PG_FUNCTION_ARGS)
{
	BgnbdModel *m = DatumGetBgnbdModelP(PG_GETARG_DATUM(0));
	double		x = PG_GETARG_FLOAT8(1),
				t_x = PG_GETARG_FLOAT8(2),
				T = PG_GETARG_FLOAT8(3);

	rfm_check_customer(x, t_x, T);
	PG_RETURN_FLOAT8(p_alive(m, x, t_x, T));
}

Datum
bgnbd_p_alive_history(PG_FUNCTION_ARGS)
{
	BgnbdModel *m = DatumGetBgnbdModelP(PG_GETARG_DATUM(0));
	Triple		c = history_in_model_unit(m, PG_GETARG_DATUM(1));

	PG_RETURN_FLOAT8(p_alive(m, c.x, c.t_x, c.T));
}

Datum
bgnbd_expected_orders(PG_FUNCTION_ARGS)
{
	BgnbdModel *m = DatumGetBgnbdModelP(PG_GETARG_DATUM(0));

	PG_RETURN_FLOAT8(rfm_bgnbd_expected(m, PG_GETARG_FLOAT8(1), PG_GETARG_FLOAT8(2),
										PG_GETARG_FLOAT8(3), PG_GETARG_FLOAT8(4)));
}

Datum
bgnbd_expected_orders_history(PG_FUNCTION_ARGS)
{
	BgnbdModel *m = DatumGetBgnbdModelP(PG_GETARG_DATUM(0));
	Triple		c = history_in_model_unit(m, PG_GETARG_DATUM(1));

	double		t = horizon_in_model_unit(m, PG_GETARG_INTERVAL_P(2));
	double		e;

	rfm_bgnbd_expected_many(m, c.x, c.t_x, c.T, &t, 1, &e, fcinfo->flinfo);
	PG_RETURN_FLOAT8(e);
}

/* E[X(t)] of a new customer, eq. (7): (a+b-1)/(a-1) [1 - (alpha/(alpha+t))^r 2F1(r, b; a+b-1; t/(alpha+t))] */
static double
expected_new(const BgnbdModel *m, double t)
{
	double		log_f;
	int			sign;

	rfm_check_horizon(t);
	check_a(m);
	if (t == 0)
		return 0.0;
	log_f = rfm_log_hyp2f1(m->r, m->b, m->a + m->b - 1, t / (m->alpha + t), &sign);
	return (m->a + m->b - 1) / (m->a - 1) *
		(1.0 - sign * exp(log_f + m->r * (log(m->alpha) - log(m->alpha + t))));
}

Datum
bgnbd_expected_orders_new(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(expected_new(DatumGetBgnbdModelP(PG_GETARG_DATUM(0)), PG_GETARG_FLOAT8(1)));
}

Datum
bgnbd_expected_orders_new_interval(PG_FUNCTION_ARGS)
{
	BgnbdModel *m = DatumGetBgnbdModelP(PG_GETARG_DATUM(0));

	PG_RETURN_FLOAT8(expected_new(m, horizon_in_model_unit(m, PG_GETARG_INTERVAL_P(1))));
}
