/*
 * predict_sbg.c: the shifted-beta-geometric (sBG) model of Fader & Hardie
 * (2007), "How to project customer retention": each customer of a cohort
 * cancels at the end of every period with her own probability theta,
 * theta ~ Beta(alpha, beta) across customers.
 *
 *   P(T = t) = B(alpha+1, beta+t-1) / B(alpha, beta)     (cancels at the end of period t)
 *   S(t)     = B(alpha, beta+t) / B(alpha, beta)         (still active after t periods)
 *   LL       = sum_{t=1..T} (n_{t-1} - n_t) ln P(T = t) + n_T ln S(T)
 *
 * sbg_fit is an aggregate over one cohort's (period, survivors) rows,
 * period 0 carrying the cohort's size; the final function checks that the
 * periods are 0..T once each and the survivors never grow, then maximizes
 * LL over (ln alpha, ln beta) with the shared driver (optim.c).  The beta
 * functions are lgamma differences, the gradient digamma differences.
 */
#include "postgres.h"
#include "compat.h"

#include <math.h>

#include "fmgr.h"
#include "libpq/pqformat.h"

#include "agg_state.h"
#include "fixed_type.h"
#include "optim.h"
#include "predict.h"
#include "predict_math.h"
#include "predict_sbg.h"

PG_FUNCTION_INFO_V1(sbg_fit_trans);
PG_FUNCTION_INFO_V1(sbg_fit_combine);
PG_FUNCTION_INFO_V1(sbg_fit_serialize);
PG_FUNCTION_INFO_V1(sbg_fit_deserialize);
PG_FUNCTION_INFO_V1(sbg_fit_final);
PG_FUNCTION_INFO_V1(sbg_model_in);
PG_FUNCTION_INFO_V1(sbg_model_out);
PG_FUNCTION_INFO_V1(sbg_model_recv);
PG_FUNCTION_INFO_V1(sbg_model_send);
PG_FUNCTION_INFO_V1(sbg_parameters);
PG_FUNCTION_INFO_V1(sbg_survival);
PG_FUNCTION_INFO_V1(sbg_retention);
PG_FUNCTION_INFO_V1(sbg_expected_lifetime);
PG_FUNCTION_INFO_V1(sbg_expected_lifetime_discounted);

#define SBG_MAX_PERIODS 100000

typedef struct Survivors
{
	int64		period;
	int64		survivors;
} Survivors;

static void
send_survivors(StringInfo buf, const void *record)
{
	const Survivors *s = record;

	pq_sendint64(buf, s->period);
	pq_sendint64(buf, s->survivors);
}

static void
recv_survivors(StringInfo buf, void *record)
{
	Survivors  *s = record;

	s->period = pq_getmsgint64(buf);
	s->survivors = pq_getmsgint64(buf);
}

static const RfmRecordForm survivors_form = {sizeof(Survivors), 16, send_survivors, recv_survivors};

typedef struct SbgState
{
	RfmRecords	rows;
} SbgState;

/* (state, period, survivors); a row with a NULL is skipped */
Datum
sbg_fit_trans(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext = rfm_agg_context(fcinfo, "sbg_fit_trans");
	SbgState   *state = PG_ARGISNULL(0) ? NULL : (SbgState *) PG_GETARG_POINTER(0);
	int64		period,
				survivors;
	Survivors  *s;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		RFM_RETURN_STATE(state);
	period = PG_GETARG_INT64(1);
	survivors = PG_GETARG_INT64(2);
	if (period < 0 || period > SBG_MAX_PERIODS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("period must be between 0 and %d, got " INT64_FORMAT, SBG_MAX_PERIODS, period)));
	if (survivors < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("survivors must not be negative, got " INT64_FORMAT, survivors)));
	if (state == NULL)
		state = rfm_records_state_new(aggcontext, sizeof(SbgState), &survivors_form, 0);
	s = rfm_records_append(&state->rows);
	s->period = period;
	s->survivors = survivors;
	RFM_RETURN_STATE(state);
}

Datum
sbg_fit_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext = rfm_agg_context(fcinfo, "sbg_fit_combine");
	SbgState   *into = PG_ARGISNULL(0) ? NULL : (SbgState *) PG_GETARG_POINTER(0);
	SbgState   *from = PG_ARGISNULL(1) ? NULL : (SbgState *) PG_GETARG_POINTER(1);

	if (from == NULL)
		RFM_RETURN_STATE(into);
	RFM_RETURN_STATE(rfm_records_combine(aggcontext, into, from, sizeof(SbgState)));
}

Datum
sbg_fit_serialize(PG_FUNCTION_ARGS)
{
	SbgState   *state = (SbgState *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	rfm_agg_context(fcinfo, "sbg_fit_serialize");
	pq_begintypsend(&buf);
	rfm_records_send(&buf, &state->rows);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
sbg_fit_deserialize(PG_FUNCTION_ARGS)
{
	StringInfoData buf;
	SbgState   *state;

	rfm_agg_context(fcinfo, "sbg_fit_deserialize");
	rfm_state_receive(PG_GETARG_BYTEA_PP(0), &buf);
	state = rfm_records_state_new(CurrentMemoryContext, sizeof(SbgState), &survivors_form, 0);
	rfm_records_recv(&buf, &state->rows);
	RFM_RETURN_STATE(state);
}

/* ---------------------------------------------------------------------- */
/* the likelihood                                                          */
/* ---------------------------------------------------------------------- */

/* The cohort: survivors n_0 .. n_T, checked. */
typedef struct Cohort
{
	int64		periods;		/* T */
	double	   *n;				/* n[0..T] */
} Cohort;

static int
compare_periods(const void *a, const void *b)
{
	const Survivors *p = a;
	const Survivors *q = b;

	return p->period < q->period ? -1 : p->period > q->period ? 1 : 0;
}

static Cohort
cohort_data(const SbgState *state)
{
	Cohort		c;
	Survivors  *s;
	int64		i,
				rows = state == NULL ? 0 : state->rows.n;

	/* one renewal rate tells its mean, not its spread: alpha and beta need two */
	if (rows < 3)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sbg_fit needs the survivors of at least periods 0, 1 and 2, got " INT64_FORMAT " row%s",
						rows, rows == 1 ? "" : "s"),
				 errdetail("With one period observed, only alpha / (alpha + beta) is determined."),
				 errhint("Feed it one row per period: sbg_fit(period, survivors), period 0 with the cohort's size.")));
	s = rfm_records_sorted(&state->rows, compare_periods);
	c.periods = rows - 1;
	c.n = palloc(rows * sizeof(double));
	for (i = 0; i < rows; i++)
	{
		if (s[i].period != i)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("sbg_fit needs periods 0, 1, 2, ... once each, got %s period " INT64_FORMAT,
							i > 0 && s[i].period == s[i - 1].period ? "a second" : "no row before",
							s[i].period)));
		if (i > 0 && s[i].survivors > s[i - 1].survivors)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("survivors cannot grow: " INT64_FORMAT " in period " INT64_FORMAT ", " INT64_FORMAT " in period " INT64_FORMAT,
							s[i - 1].survivors, s[i - 1].period, s[i].survivors, s[i].period),
					 errhint("A cohort is the customers acquired in one period; later acquisitions belong to another cohort.")));
		c.n[i] = (double) s[i].survivors;
	}
	if (c.n[0] == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sbg_fit needs a cohort of at least one customer in period 0")));
	if (c.n[c.periods] == c.n[0])
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sbg_fit needs some customers to cancel, but all %.0f survived " INT64_FORMAT " period%s",
						c.n[0], c.periods, c.periods == 1 ? "" : "s"),
				 errdetail("Without cancellations the likelihood grows without bound as the churn probability goes to 0.")));
	if (c.n[c.periods] == 0 && c.n[1] == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sbg_fit needs some customers to renew, but all %.0f cancelled after period 1", c.n[0]),
				 errdetail("Without renewals the likelihood grows without bound as the churn probability goes to 1.")));
	return c;
}

/* -LL/n0 and its gradient in (ln alpha, ln beta) */
static double
sbg_objective(const double *theta, double *grad, void *arg)
{
	const Cohort *c = arg;
	double		a = exp(theta[0]),
				b = exp(theta[1]);
	double		psi_a = rfm_digamma(a),
				psi_b = rfm_digamma(b),
				psi_ab = rfm_digamma(a + b),
				psi_a1 = rfm_digamma(a + 1),
				lbeta = lgamma(a) + lgamma(b) - lgamma(a + b);
	double		ll = 0,
				da = 0,
				db = 0;
	int64		t;

	for (t = 1; t <= c->periods; t++)
	{
		double		lost = c->n[t - 1] - c->n[t];
		double		psi_abt = rfm_digamma(a + b + t);

		if (lost > 0)
		{
			/* ln P(T = t) = lnB(a+1, b+t-1) - lnB(a, b) */
			ll += lost * (lgamma(a + 1) + lgamma(b + t - 1) - lgamma(a + b + t) - lbeta);
			da += lost * (psi_a1 - psi_abt - psi_a + psi_ab);
			db += lost * (rfm_digamma(b + t - 1) - psi_abt - psi_b + psi_ab);
		}
		if (t == c->periods && c->n[t] > 0)
		{
			/* ln S(T) = lnB(a, b+T) - lnB(a, b) */
			ll += c->n[t] * (lgamma(b + t) - lgamma(a + b + t) - lgamma(b) + lgamma(a + b));
			da += c->n[t] * (psi_ab - psi_abt);
			db += c->n[t] * (rfm_digamma(b + t) - psi_abt - psi_b + psi_ab);
		}
	}
	grad[0] = -da * a / c->n[0];
	grad[1] = -db * b / c->n[0];
	return -ll / c->n[0];
}

static const char *const sbg_names[] = {"alpha", "beta"};

Datum
sbg_fit_final(PG_FUNCTION_ARGS)
{
	SbgState   *state = PG_ARGISNULL(0) ? NULL : (SbgState *) PG_GETARG_POINTER(0);
	Cohort		c = cohort_data(state);
	RfmMle		mle = {
		.fit = "sbg_fit",.model = "shifted-beta-geometric",.n_params = 2,.names = sbg_names,
		.scale_param = -1,.objective = sbg_objective,.arg = &c,.n_starts = 3,
		.customers = (int64) c.n[0],
		.degenerate = "churn probabilities that do not vary across customers, or too few periods"
	};
	double		theta[2];
	RfmOptResult best;
	SbgModel   *model;

	mle.starts[0][0] = 0;
	mle.starts[0][1] = 0;
	mle.starts[1][0] = log(0.5);
	mle.starts[1][1] = log(2.0);
	mle.starts[2][0] = log(2.0);
	mle.starts[2][1] = log(0.5);
	rfm_fit_mle(&mle, theta, &best);

	model = palloc0(sizeof(SbgModel));
	model->alpha = exp(theta[0]);
	model->beta = exp(theta[1]);
	model->ll = -best.f * c.n[0];
	model->n = (int64) c.n[0];
	model->periods = c.periods;
	model->iterations = best.iterations;
	model->flags = RFM_MODEL_CONVERGED;
	PG_RETURN_POINTER(model);
}

/* ---------------------------------------------------------------------- */
/* the type                                                                */
/* ---------------------------------------------------------------------- */

static const char *
model_violation(const void *value)
{
	const SbgModel *m = value;

	if (!(m->alpha > 0 && m->beta > 0) || !isfinite(m->alpha) || !isfinite(m->beta))
		return "alpha and beta must be positive and finite";
	if (!isfinite(m->ll))
		return "ll must be finite";
	if (m->n < 0 || m->periods < 0 || m->iterations < 0)
		return "n, periods and iterations must not be negative";
	return NULL;
}

static const RfmFieldDef sbg_fields[] = {
	{"alpha", offsetof(SbgModel, alpha), RFM_FIELD_FLOAT8, true},
	{"beta", offsetof(SbgModel, beta), RFM_FIELD_FLOAT8, true},
	{"ll", offsetof(SbgModel, ll), RFM_FIELD_FLOAT8, false},
	{"n", offsetof(SbgModel, n), RFM_FIELD_INT64, false},
	{"periods", offsetof(SbgModel, periods), RFM_FIELD_INT64, false},
	{"iterations", offsetof(SbgModel, iterations), RFM_FIELD_COUNT32, false},
	{"converged", offsetof(SbgModel, flags), RFM_FIELD_CONVERGED, false},
};

static const RfmFixedType sbg_type = {
	.text = {"sbg_model", RFM_PREDICT_TEXT_HINT},
	.size = sizeof(SbgModel),
	.nfields = lengthof(sbg_fields),
	.fields = sbg_fields,
	.required = "alpha and beta are required",
	.violation = model_violation
};

Datum
sbg_model_in(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(rfm_fixed_in(&sbg_type, PG_GETARG_CSTRING(0)));
}

Datum
sbg_model_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(rfm_fixed_out(&sbg_type, DatumGetPointer(PG_GETARG_DATUM(0))));
}

Datum
sbg_model_recv(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(rfm_fixed_recv(&sbg_type, (StringInfo) PG_GETARG_POINTER(0)));
}

Datum
sbg_model_send(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(rfm_fixed_send(&sbg_type, DatumGetPointer(PG_GETARG_DATUM(0))));
}

Datum
sbg_parameters(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATUM(rfm_fixed_record(&sbg_type, fcinfo, DatumGetPointer(PG_GETARG_DATUM(0))));
}

/* ---------------------------------------------------------------------- */
/* projections                                                             */
/* ---------------------------------------------------------------------- */

static double
whole_periods(double t, const char *what)
{
	if (!isfinite(t) || t < 0 || t != floor(t) || t > 1e9)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a whole number of periods from 0 to 1e9, got %g", what, t)));
	return t;
}

/* S(t) = B(alpha, beta+t) / B(alpha, beta): the share still active after t periods */
Datum
sbg_survival(PG_FUNCTION_ARGS)
{
	const SbgModel *m = DatumGetSbgModelP(PG_GETARG_DATUM(0));
	double		t = whole_periods(PG_GETARG_FLOAT8(1), "t");

	PG_RETURN_FLOAT8(exp(lgamma(m->beta + t) - lgamma(m->beta)
						 + lgamma(m->alpha + m->beta) - lgamma(m->alpha + m->beta + t)));
}

/* r(t) = S(t)/S(t-1) = (beta+t-1)/(alpha+beta+t-1): the renewal rate at the end of period t */
Datum
sbg_retention(PG_FUNCTION_ARGS)
{
	const SbgModel *m = DatumGetSbgModelP(PG_GETARG_DATUM(0));
	double		t = whole_periods(PG_GETARG_FLOAT8(1), "t");

	if (t < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the retention rate is defined from period 1 on, got t = %g", t)));
	PG_RETURN_FLOAT8((m->beta + t - 1) / (m->alpha + m->beta + t - 1));
}

/* E[T] = sum_{t>=0} S(t) = (alpha+beta-1)/(alpha-1), finite for alpha > 1 */
Datum
sbg_expected_lifetime(PG_FUNCTION_ARGS)
{
	const SbgModel *m = DatumGetSbgModelP(PG_GETARG_DATUM(0));

	if (!(m->alpha > 1))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("the expected lifetime is infinite for alpha <= 1, got alpha = %g", m->alpha),
				 errhint("Use the discounted expected lifetime, sbg_expected_lifetime(m, discount).")));
	PG_RETURN_FLOAT8((m->alpha + m->beta - 1) / (m->alpha - 1));
}

/*
 * Discounted expected lifetime of a new customer, in periods:
 * sum_{t>=0} S(t) / (1+d)^t = 2F1(1, beta; alpha+beta; 1/(1+d))
 * (Fader & Hardie 2010, "Customer-base valuation in a contractual setting").
 */
Datum
sbg_expected_lifetime_discounted(PG_FUNCTION_ARGS)
{
	const SbgModel *m = DatumGetSbgModelP(PG_GETARG_DATUM(0));
	double		d = PG_GETARG_FLOAT8(1);
	int			sign;

	if (!isfinite(d) || !(d >= 1e-4))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("discount must be a finite rate of at least 1e-4 a period, got %g", d)));
	PG_RETURN_FLOAT8(exp(rfm_log_hyp2f1(1, m->beta, m->alpha + m->beta, 1.0 / (1.0 + d), &sign)));
}
