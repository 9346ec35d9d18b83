/*
 * predict_gamma.c: the Gamma-Gamma model of monetary value (Fader, Hardie &
 * Lee 2005, "RFM and CLV"; Fader & Hardie, "The Gamma-Gamma model of
 * monetary value") and lifetimes' customer lifetime value.
 *
 * gamma_gamma_fit is an aggregate over customers like bgnbd_fit: the
 * internal state collects (x, m) pairs of the repeat customers (x > 0;
 * others are skipped, as the model is defined on them), the final function
 * maximizes, over log-parameters with the analytic gradient,
 *
 *   LL = sum lnG(px+q) - lnG(px) - lnG(q) + q ln v + (px-1) ln m + px ln x
 *            - (px+q) ln(x m + v)
 *
 * (lifetimes' GammaGammaFitter).  Terms of x alone are summed per distinct x.
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
#include "predict_math.h"
#include "record_sort.h"

PG_FUNCTION_INFO_V1(gamma_gamma_fit_trans);
PG_FUNCTION_INFO_V1(gamma_gamma_fit_trans_history);
PG_FUNCTION_INFO_V1(gamma_gamma_fit_combine);
PG_FUNCTION_INFO_V1(gamma_gamma_fit_serialize);
PG_FUNCTION_INFO_V1(gamma_gamma_fit_deserialize);
PG_FUNCTION_INFO_V1(gamma_gamma_fit_final);
PG_FUNCTION_INFO_V1(gamma_gamma_model_in);
PG_FUNCTION_INFO_V1(gamma_gamma_model_out);
PG_FUNCTION_INFO_V1(gamma_gamma_model_recv);
PG_FUNCTION_INFO_V1(gamma_gamma_model_send);
PG_FUNCTION_INFO_V1(gamma_gamma_parameters);
PG_FUNCTION_INFO_V1(gamma_gamma_expected_value);
PG_FUNCTION_INFO_V1(gamma_gamma_expected_value_history);
PG_FUNCTION_INFO_V1(rfm_customer_value);
PG_FUNCTION_INFO_V1(rfm_customer_value_history);

typedef struct Pair
{
	double		x;
	double		m;
} Pair;

static void
send_pair(StringInfo buf, const void *record)
{
	const Pair *p = record;

	pq_sendfloat8(buf, p->x);
	pq_sendfloat8(buf, p->m);
}

static void
recv_pair(StringInfo buf, void *record)
{
	Pair	   *p = record;

	p->x = pq_getmsgfloat8(buf);
	p->m = pq_getmsgfloat8(buf);
}

static const RfmRecordForm pair_form = {sizeof(Pair), 64, send_pair, recv_pair};

/* the (x, m) pairs of the repeat customers; no header */
typedef struct GgState
{
	RfmRecords	pairs;
} GgState;

static GgState *
new_gg_state(MemoryContext context)
{
	return rfm_records_state_new(context, sizeof(GgState), &pair_form, 0);
}

static void
check_pair(double x, double m)
{
	if (!isfinite(x) || x < 0 || x != floor(x) || x > 1e9)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("x must be a whole number of repeat purchases, got %g", x)));
	if (x > 0 && !(isfinite(m) && m > 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the Gamma-Gamma model needs a positive mean value for every repeat customer, got %g", m),
				 errhint("Leave out customers whose repeat purchases sum to 0 or less (refunds), e.g. with FILTER (WHERE ...).")));
}

/*
 * A customer with x = 0 leaves a state without pairs behind, so that the
 * final function can tell "no repeat customers" from "no customers".
 */
static GgState *
add_pair(MemoryContext aggcontext, GgState *state, double x, double m)
{
	check_pair(x, m);
	if (state == NULL)
		state = new_gg_state(aggcontext);
	if (x > 0)
	{
		Pair	   *p = rfm_records_append(&state->pairs);

		p->x = x;
		p->m = m;
	}
	return state;
}

Datum
gamma_gamma_fit_trans(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext = rfm_agg_context(fcinfo, "gamma_gamma_fit_trans");
	GgState    *state = PG_ARGISNULL(0) ? NULL : (GgState *) PG_GETARG_POINTER(0);

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		RFM_RETURN_STATE(state);
	RFM_RETURN_STATE(add_pair(aggcontext, state, PG_GETARG_FLOAT8(1), PG_GETARG_FLOAT8(2)));
}

Datum
gamma_gamma_fit_trans_history(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext = rfm_agg_context(fcinfo, "gamma_gamma_fit_trans_history");
	GgState    *state = PG_ARGISNULL(0) ? NULL : (GgState *) PG_GETARG_POINTER(0);
	RfmHistory *h;

	if (PG_ARGISNULL(1))
		RFM_RETURN_STATE(state);
	h = DatumGetRfmHistoryP(PG_GETARG_DATUM(1));
	RFM_RETURN_STATE(add_pair(aggcontext, state, (double) h->x, h->monetary_value));
}

Datum
gamma_gamma_fit_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext = rfm_agg_context(fcinfo, "gamma_gamma_fit_combine");
	GgState    *into = PG_ARGISNULL(0) ? NULL : (GgState *) PG_GETARG_POINTER(0);
	GgState    *from = PG_ARGISNULL(1) ? NULL : (GgState *) PG_GETARG_POINTER(1);

	if (from == NULL)
		RFM_RETURN_STATE(into);
	RFM_RETURN_STATE(rfm_records_combine(aggcontext, into, from, sizeof(GgState)));
}

Datum
gamma_gamma_fit_serialize(PG_FUNCTION_ARGS)
{
	GgState    *state = (GgState *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	rfm_agg_context(fcinfo, "gamma_gamma_fit_serialize");
	pq_begintypsend(&buf);
	rfm_records_send(&buf, &state->pairs);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
gamma_gamma_fit_deserialize(PG_FUNCTION_ARGS)
{
	StringInfoData buf;
	GgState    *state;

	rfm_agg_context(fcinfo, "gamma_gamma_fit_deserialize");
	rfm_state_receive(PG_GETARG_BYTEA_PP(0), &buf);
	state = new_gg_state(CurrentMemoryContext);
	rfm_records_recv(&buf, &state->pairs);
	RFM_RETURN_STATE(state);
}

/* ---------------------------------------------------------------------- */
/* the likelihood                                                          */
/* ---------------------------------------------------------------------- */

/* per distinct pair: ln m and x m */
typedef struct GgData
{
	RfmWeighted pairs;
	double	   *log_m;
	double	   *xm;
} GgData;

#define PAIR_LESS(a, b) ((a).x != (b).x ? (a).x < (b).x : (a).m < (b).m)

RFM_RECORD_SORT(sort_pairs, Pair, PAIR_LESS)
RFM_RECORD_COMPARE(compare_pairs, Pair, PAIR_LESS)

static double
gg_objective(const double *theta, double *grad, void *arg)
{
	const GgData *g = arg;
	const RfmWeighted *d = &g->pairs;
	const Pair *pairs = d->records;
	double		p = exp(theta[0]),
				q = exp(theta[1]),
				v = exp(theta[2]);
	double		ll = 0,
				dp = 0,
				dq = 0,
				dv = 0,
				log_v = log(v),
				lg_q = lgamma(q),
				psi_q = rfm_digamma(q);
	RfmSum		pair_ll = {0, 0};
	int64		i;

	for (i = 0; i < d->nx; i++)
	{
		double		x = d->xv[i],
					w = d->xw[i],
					px = p * x,
					psi_pxq = rfm_digamma(px + q);

		ll += w * (lgamma(px + q) - lgamma(px) - lg_q + q * log_v + px * log(x));
		dp += w * x * (psi_pxq - rfm_digamma(px) + log(x));
		dq += w * (psi_pxq - psi_q + log_v);
		dv += w * q / v;
	}
	for (i = 0; i < d->m; i++)
	{
		double		x = pairs[i].x,
					w = d->w[i],
					px = p * x,
					l = log(g->xm[i] + v);

		rfm_sum_add(&pair_ll, w * ((px - 1) * g->log_m[i] - (px + q) * l));
		dp += w * x * (g->log_m[i] - l);
		dq -= w * l;
		dv -= w * (px + q) / (g->xm[i] + v);
	}
	grad[0] = -dp * p / d->n;
	grad[1] = -dq * q / d->n;
	grad[2] = -dv * v / d->n;
	return -(ll + pair_ll.sum) / d->n;
}

static const char *const gg_names[] = {"p", "q", "v"};

/*
 * The repeat customers, merged and weighted, or an error for data that have
 * no maximum for a reason plain to see.  Returns the sum of their values.
 */
static double
gg_data(const GgState *state, GgData *g)
{
	RfmWeighted *d = &g->pairs;
	int64		n = state == NULL ? 0 : state->pairs.n;
	Pair	   *p;
	int64		i;
	double		sum_m = 0;

	if (state == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("gamma_gamma_fit needs customers, got none"),
				 errhint("Feed it one row per customer: gamma_gamma_fit(x, monetary_value) or gamma_gamma_fit(rfm_history).")));
	if (n == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("gamma_gamma_fit needs repeat customers, but none made a repeat purchase"),
				 errdetail("The Gamma-Gamma model describes the values of repeat purchases (x > 0).")));
	if (n == 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("gamma_gamma_fit needs more than one repeat customer, got 1"),
				 errhint("The model describes a population of customers: fit it over all of them.")));

	p = rfm_records_copy(&state->pairs);
	sort_pairs(p, n);
	for (i = 0; i < n; i++)
		sum_m += p[i].m;
	rfm_weigh_sorted(d, p, n, sizeof(Pair), compare_pairs);
	g->log_m = palloc_extended(d->m * sizeof(double), MCXT_ALLOC_HUGE);
	g->xm = palloc_extended(d->m * sizeof(double), MCXT_ALLOC_HUGE);
	for (i = 0; i < d->m; i++)
	{
		g->log_m[i] = log(p[i].m);
		g->xm[i] = p[i].x * p[i].m;
	}

	if (d->m == 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("gamma_gamma_fit cannot fit " INT64_FORMAT " identical customers", n),
				 errdetail("Every repeat customer has x = %g and mean value %g: the likelihood has no maximum at finite parameters.",
						   p[0].x, p[0].m),
				 errhint("The model needs customers whose mean values differ.")));
	return sum_m;
}

Datum
gamma_gamma_fit_final(PG_FUNCTION_ARGS)
{
	static const double p0[] = {1.0, 5.0, 0.5};
	static const double q0[] = {2.0, 5.0, 1.5};
	GgState    *state = PG_ARGISNULL(0) ? NULL : (GgState *) PG_GETARG_POINTER(0);
	GgData		g;
	double		sum_m = gg_data(state, &g);
	RfmMle		mle = {
		.fit = "gamma_gamma_fit",.model = "Gamma-Gamma",.n_params = 3,.names = gg_names,
		.scale_param = 2,.objective = gg_objective,.arg = &g,.n_starts = 3,
		.customers = state->pairs.n,
		.degenerate = "too few repeat customers, or too little variety in their values"
	};
	double		theta[3];
	RfmOptResult best;
	GammaGammaModel *model;
	int			start;

	for (start = 0; start < mle.n_starts; start++)
	{
		/* v starts where the population mean v p / (q - 1) is the sample mean */
		mle.starts[start][0] = log(p0[start]);
		mle.starts[start][1] = log(q0[start]);
		mle.starts[start][2] = log(sum_m / g.pairs.n * (q0[start] - 1) / p0[start]);
	}
	rfm_fit_mle(&mle, theta, &best);

	model = palloc0(sizeof(GammaGammaModel));
	model->p = exp(theta[0]);
	model->q = exp(theta[1]);
	model->v = exp(theta[2]);
	model->ll = -best.f * g.pairs.n;
	model->n = state->pairs.n;
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
	const GammaGammaModel *m = value;

	if (!(m->p > 0 && m->q > 0 && m->v > 0) ||
		!isfinite(m->p) || !isfinite(m->q) || !isfinite(m->v))
		return "p, q and v must be positive and finite";
	if (!isfinite(m->ll))
		return "ll must be finite";
	if (m->n < 0 || m->iterations < 0)
		return "n and iterations must not be negative";
	return NULL;
}

static const RfmFieldDef gg_fields[] = {
	{"p", offsetof(GammaGammaModel, p), RFM_FIELD_FLOAT8, true},
	{"q", offsetof(GammaGammaModel, q), RFM_FIELD_FLOAT8, true},
	{"v", offsetof(GammaGammaModel, v), RFM_FIELD_FLOAT8, true},
	{"ll", offsetof(GammaGammaModel, ll), RFM_FIELD_FLOAT8, false},
	{"n", offsetof(GammaGammaModel, n), RFM_FIELD_INT64, false},
	{"iterations", offsetof(GammaGammaModel, iterations), RFM_FIELD_COUNT32, false},
	{"converged", offsetof(GammaGammaModel, flags), RFM_FIELD_CONVERGED, false},
};

static const RfmFixedType gg_type = {
	.text = {"gamma_gamma_model", RFM_PREDICT_TEXT_HINT},
	.size = sizeof(GammaGammaModel),
	.nfields = lengthof(gg_fields),
	.fields = gg_fields,
	.required = "p, q and v are required",
	.violation = model_violation
};

Datum
gamma_gamma_model_in(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(rfm_fixed_in(&gg_type, PG_GETARG_CSTRING(0)));
}

Datum
gamma_gamma_model_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(rfm_fixed_out(&gg_type, DatumGetPointer(PG_GETARG_DATUM(0))));
}

Datum
gamma_gamma_model_recv(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(rfm_fixed_recv(&gg_type, (StringInfo) PG_GETARG_POINTER(0)));
}

Datum
gamma_gamma_model_send(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(rfm_fixed_send(&gg_type, DatumGetPointer(PG_GETARG_DATUM(0))));
}

/* (p, q, v, log_likelihood, customers, iterations, converged) */
Datum
gamma_gamma_parameters(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATUM(rfm_fixed_record(&gg_type, fcinfo, DatumGetPointer(PG_GETARG_DATUM(0))));
}

/* ---------------------------------------------------------------------- */
/* predictions                                                             */
/* ---------------------------------------------------------------------- */

/*
 * E[M | x, m] = (q-1)/(px+q-1) * v p/(q-1) + px/(px+q-1) * m
 * (lifetimes' conditional_expected_average_profit); the population mean
 * v p / (q - 1) for x = 0.
 */
static double
expected_value(const GammaGammaModel *g, double x, double m)
{
	double		weight;

	if (!isfinite(x) || x < 0 || x != floor(x))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("x must be a whole number of repeat purchases, got %g", x)));
	if (x > 0 && !isfinite(m))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("monetary value must be finite, got %g", m)));
	if (!(g->q > 1))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("the Gamma-Gamma model's mean value is infinite: q = %g is not above 1", g->q),
				 errhint("The spend distribution has a tail too heavy for a mean; check the data for outliers.")));
	if (x == 0)
		return g->v * g->p / (g->q - 1);
	weight = g->p * x / (g->p * x + g->q - 1);
	return (1 - weight) * (g->v * g->p / (g->q - 1)) + weight * m;
}

Datum
gamma_gamma_expected_value(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(expected_value(DatumGetGammaGammaModelP(PG_GETARG_DATUM(0)),
									PG_GETARG_FLOAT8(1), PG_GETARG_FLOAT8(2)));
}

Datum
gamma_gamma_expected_value_history(PG_FUNCTION_ARGS)
{
	RfmHistory *h = DatumGetRfmHistoryP(PG_GETARG_DATUM(1));

	PG_RETURN_FLOAT8(expected_value(DatumGetGammaGammaModelP(PG_GETARG_DATUM(0)),
									(double) h->x, h->monetary_value));
}

/*
 * lifetimes' customer_lifetime_value: over months i = 1..months,
 *   E[M] * (E[Y(i f)] - E[Y((i-1) f)]) / (1 + discount)^i
 * with f the model's time units per month (lifetimes: 30 for days, 4.345
 * for weeks) and E[Y(t)] the BG/NBD conditional expectation.
 */
/*
 * (1 + discount)^i for i in 1..months, kept for the next customer: the
 * rate is the same for every customer of a query, and twelve pow() calls a
 * customer were a quarter of customer_value's time.
 */
static const double *
discount_factors(double discount, int months)
{
	static double rate = NAN;
	static int	known = 0;
	static double factor[1 + 1200];
	int			i;

	if (!(discount == rate) || months > known)
	{
		for (i = 1; i <= months; i++)
			factor[i] = pow(1 + discount, i);
		rate = discount;
		known = months;
	}
	return factor;
}

static double
customer_value(const BgnbdModel *bg, const GammaGammaModel *gg, double x, double t_x,
			   double T, double m, int months, double discount, double per_month,
			   FmgrInfo *call)
{
	double		value = expected_value(gg, x, m);
	double		previous = 0,
				total = 0;
	const double *factor;
	int			first,
				i;

	if (months < 1 || months > 1200)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("months must be between 1 and 1200, got %d", months)));
	if (!isfinite(discount) || discount <= -1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("discount rate must be above -1, got %g", discount),
				 errhint("It is the rate per month, e.g. 0.01 for 1%% a month.")));
	if (!isfinite(per_month) || per_month <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("model time units per month must be positive, got %g", per_month)));
	factor = discount_factors(discount, months);
	/*
	 * The expectations RFM_HYP2F1_MANY months at a time: their series share
	 * their terms' parameters.  The call site remembers them per (x, T) when
	 * they are all one such group (see predict_memo.c).
	 */
	for (first = 1; first <= months; first += RFM_HYP2F1_MANY)
	{
		int			n = Min(RFM_HYP2F1_MANY, months - first + 1);
		double		horizon[RFM_HYP2F1_MANY],
					cumulative[RFM_HYP2F1_MANY];

		for (i = 0; i < n; i++)
			horizon[i] = (first + i) * per_month;
		rfm_bgnbd_expected_many(bg, x, t_x, T, horizon, n, cumulative,
								months <= RFM_HYP2F1_MANY ? call : NULL);
		for (i = 0; i < n; i++)
		{
			total += value * (cumulative[i] - previous) / factor[first + i];
			previous = cumulative[i];
		}
	}
	return total;
}

Datum
rfm_customer_value(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(customer_value(DatumGetBgnbdModelP(PG_GETARG_DATUM(0)),
									DatumGetGammaGammaModelP(PG_GETARG_DATUM(1)),
									PG_GETARG_FLOAT8(2), PG_GETARG_FLOAT8(3),
									PG_GETARG_FLOAT8(4), PG_GETARG_FLOAT8(5),
									PG_GETARG_INT32(6), PG_GETARG_FLOAT8(7),
									PG_GETARG_FLOAT8(8), fcinfo->flinfo));
}

/* (bgnbd, gamma_gamma, history, months, discount): units per month from the model's unit */
Datum
rfm_customer_value_history(PG_FUNCTION_ARGS)
{
	BgnbdModel *bg = DatumGetBgnbdModelP(PG_GETARG_DATUM(0));
	RfmHistory *h = DatumGetRfmHistoryP(PG_GETARG_DATUM(2));
	double		x,
				t_x,
				T,
				per_month;

	rfm_history_in_model_unit(bg, h, "Use customer_value(bgnbd, gamma_gamma, x, t_x, T, monetary_value, months, discount, units_per_month).",
							  &x, &t_x, &T);
	/* lifetimes' factors for its 'D' and 'W' units, 30 days otherwise */
	if (bg->unit == USECS_PER_DAY)
		per_month = 30;
	else if (bg->unit == 7 * USECS_PER_DAY)
		per_month = 4.345;
	else
		per_month = 30.0 * USECS_PER_DAY / (double) bg->unit;
	PG_RETURN_FLOAT8(customer_value(bg, DatumGetGammaGammaModelP(PG_GETARG_DATUM(1)),
									x, t_x, T, h->monetary_value, PG_GETARG_INT32(3),
									PG_GETARG_FLOAT8(4), per_month, fcinfo->flinfo));
}
