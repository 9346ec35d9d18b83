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

#include <math.h>

#include "access/htup_details.h"
#include "fmgr.h"
#include "agg_state.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "optim.h"
#include "predict.h"
#include "predict_math.h"
#include "text_form.h"

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

typedef struct GgState
{
	int64		n;
	int64		capacity;
	Pair	   *p;
} GgState;

static GgState *
new_gg_state(MemoryContext context, int64 capacity)
{
	GgState    *state = MemoryContextAllocZero(context, sizeof(GgState));

	state->capacity = Max(capacity, 64);
	state->p = MemoryContextAllocHuge(context, state->capacity * sizeof(Pair));
	return state;
}

static void
reserve(GgState *state, int64 more)
{
	int64		needed = state->n + more;

	if (needed <= state->capacity)
		return;
	state->capacity = Max(needed, state->capacity * 2);
	state->p = repalloc_huge(state->p, state->capacity * sizeof(Pair));
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

static void
add_pair(FunctionCallInfo fcinfo, GgState **state, double x, double m)
{
	MemoryContext aggcontext;

	if (!AggCheckCallContext(fcinfo, &aggcontext))
		elog(ERROR, "gamma_gamma_fit_trans called in non-aggregate context");
	check_pair(x, m);
	if (*state == NULL)
		*state = new_gg_state(aggcontext, 0);
	if (x == 0)
		return;					/* the model is defined on repeat customers */
	reserve(*state, 1);
	(*state)->p[(*state)->n].x = x;
	(*state)->p[(*state)->n].m = m;
	(*state)->n++;
}

Datum
gamma_gamma_fit_trans(PG_FUNCTION_ARGS)
{
	GgState    *state = PG_ARGISNULL(0) ? NULL : (GgState *) PG_GETARG_POINTER(0);

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		if (!AggCheckCallContext(fcinfo, NULL))
			elog(ERROR, "gamma_gamma_fit_trans called in non-aggregate context");
		RFM_RETURN_STATE(state);
	}
	add_pair(fcinfo, &state, PG_GETARG_FLOAT8(1), PG_GETARG_FLOAT8(2));
	RFM_RETURN_STATE(state);
}

Datum
gamma_gamma_fit_trans_history(PG_FUNCTION_ARGS)
{
	GgState    *state = PG_ARGISNULL(0) ? NULL : (GgState *) PG_GETARG_POINTER(0);
	RfmHistory *h;

	if (PG_ARGISNULL(1))
	{
		if (!AggCheckCallContext(fcinfo, NULL))
			elog(ERROR, "gamma_gamma_fit_trans called in non-aggregate context");
		RFM_RETURN_STATE(state);
	}
	h = DatumGetRfmHistoryP(PG_GETARG_DATUM(1));
	add_pair(fcinfo, &state, (double) h->x, h->monetary_value);
	RFM_RETURN_STATE(state);
}

Datum
gamma_gamma_fit_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext;
	GgState    *into = PG_ARGISNULL(0) ? NULL : (GgState *) PG_GETARG_POINTER(0);
	GgState    *from = PG_ARGISNULL(1) ? NULL : (GgState *) PG_GETARG_POINTER(1);

	if (!AggCheckCallContext(fcinfo, &aggcontext))
		elog(ERROR, "gamma_gamma_fit_combine called in non-aggregate context");
	if (from == NULL)
		RFM_RETURN_STATE(into);
	if (into == NULL)
		into = new_gg_state(aggcontext, from->n);
	reserve(into, from->n);
	memcpy(into->p + into->n, from->p, from->n * sizeof(Pair));
	into->n += from->n;
	RFM_RETURN_STATE(into);
}

Datum
gamma_gamma_fit_serialize(PG_FUNCTION_ARGS)
{
	GgState    *state = (GgState *) PG_GETARG_POINTER(0);
	StringInfoData buf;
	int64		i;

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "gamma_gamma_fit_serialize called in non-aggregate context");
	pq_begintypsend(&buf);
	pq_sendint64(&buf, state->n);
	for (i = 0; i < state->n; i++)
	{
		pq_sendfloat8(&buf, state->p[i].x);
		pq_sendfloat8(&buf, state->p[i].m);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
gamma_gamma_fit_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *bytes = PG_GETARG_BYTEA_PP(0);
	StringInfoData buf;
	GgState    *state;
	int64		n,
				i;

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "gamma_gamma_fit_deserialize called in non-aggregate context");
	initStringInfo(&buf);
	appendBinaryStringInfo(&buf, VARDATA_ANY(bytes), VARSIZE_ANY_EXHDR(bytes));
	n = pq_getmsgint64(&buf);
	state = new_gg_state(CurrentMemoryContext, n);
	for (i = 0; i < n; i++)
	{
		state->p[i].x = pq_getmsgfloat8(&buf);
		state->p[i].m = pq_getmsgfloat8(&buf);
	}
	state->n = n;
	pq_getmsgend(&buf);
	pfree(buf.data);
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

static int
compare_pairs(const void *a, const void *b)
{
	const Pair *p = a;
	const Pair *q = b;

	if (p->x != q->x)
		return p->x < q->x ? -1 : 1;
	if (p->m != q->m)
		return p->m < q->m ? -1 : 1;
	return 0;
}

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

		ll += w * ((px - 1) * g->log_m[i] - (px + q) * l);
		dp += w * x * (g->log_m[i] - l);
		dq -= w * l;
		dv -= w * (px + q) / (g->xm[i] + v);
	}
	grad[0] = -dp * p / d->n;
	grad[1] = -dq * q / d->n;
	grad[2] = -dv * v / d->n;
	return -ll / d->n;
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
	Pair	   *p;
	int64		i;
	double		sum_m = 0;

	if (state == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("gamma_gamma_fit needs customers, got none"),
				 errhint("Feed it one row per customer: gamma_gamma_fit(x, monetary_value) or gamma_gamma_fit(rfm_history).")));
	if (state->n == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("gamma_gamma_fit needs repeat customers, but none made a repeat purchase"),
				 errdetail("The Gamma-Gamma model describes the values of repeat purchases (x > 0).")));
	if (state->n == 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("gamma_gamma_fit needs more than one repeat customer, got 1"),
				 errhint("The model describes a population of customers: fit it over all of them.")));

	p = rfm_sorted_copy(state->p, state->n, sizeof(Pair), compare_pairs);
	for (i = 0; i < state->n; i++)
		sum_m += p[i].m;
	rfm_weigh_sorted(d, p, state->n, sizeof(Pair), compare_pairs);
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
				 errmsg("gamma_gamma_fit cannot fit " INT64_FORMAT " identical customers", state->n),
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
		.customers = state->n,
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
	model->n = state->n;
	model->iterations = best.iterations;
	model->flags = RFM_MODEL_CONVERGED;
	PG_RETURN_POINTER(model);
}

/* ---------------------------------------------------------------------- */
/* the type                                                                */
/* ---------------------------------------------------------------------- */

static const char *
model_violation(const GammaGammaModel *m)
{
	if (!(m->p > 0 && m->q > 0 && m->v > 0) ||
		!isfinite(m->p) || !isfinite(m->q) || !isfinite(m->v))
		return "p, q and v must be positive and finite";
	if (!isfinite(m->ll))
		return "ll must be finite";
	if (m->n < 0 || m->iterations < 0)
		return "n and iterations must not be negative";
	return NULL;
}

Datum
gamma_gamma_model_in(PG_FUNCTION_ARGS)
{
	static const RfmTextType text_type = {"gamma_gamma_model", RFM_PREDICT_TEXT_HINT};
	const RfmTextType *type = &text_type;
	char	   *input = PG_GETARG_CSTRING(0);
	RfmField	f[10];
	int			n = rfm_parse_fields(type, input, f, 10);
	GammaGammaModel *m = palloc0(sizeof(GammaGammaModel));
	int			seen = 0;
	int			i;
	const char *bad;

	for (i = 0; i < n; i++)
	{
		int			bit;

		if (f[i].value == NULL)
		{
			if (strcmp(f[i].key, "converged") == 0)
				bit = 128, m->flags |= RFM_MODEL_CONVERGED;
			else if (strcmp(f[i].key, "not converged") == 0)
				bit = 128;
			else
				rfm_bad_input(type, input, psprintf("unexpected word \"%s\"", f[i].key));
		}
		else if (strcmp(f[i].key, "p") == 0)
			bit = 1, m->p = rfm_field_float(type, input, &f[i]);
		else if (strcmp(f[i].key, "q") == 0)
			bit = 2, m->q = rfm_field_float(type, input, &f[i]);
		else if (strcmp(f[i].key, "v") == 0)
			bit = 4, m->v = rfm_field_float(type, input, &f[i]);
		else if (strcmp(f[i].key, "ll") == 0)
			bit = 8, m->ll = rfm_field_float(type, input, &f[i]);
		else if (strcmp(f[i].key, "n") == 0)
			bit = 16, m->n = rfm_field_int(type, input, &f[i]);
		else if (strcmp(f[i].key, "iterations") == 0)
		{
			int64		it = rfm_field_int(type, input, &f[i]);

			if (it < 0 || it > PG_INT32_MAX)
				rfm_bad_input(type, input, "iterations is out of range");
			bit = 32, m->iterations = (int32) it;
		}
		else
			rfm_bad_input(type, input, psprintf("unknown field \"%s\"", f[i].key));
		if (seen & bit)
			rfm_bad_input(type, input, psprintf("field \"%s\" appears twice", f[i].key));
		seen |= bit;
	}
	if ((seen & 7) != 7)
		rfm_bad_input(type, input, "p, q and v are required");
	if ((bad = model_violation(m)) != NULL)
		rfm_bad_input(type, input, bad);
	PG_RETURN_POINTER(m);
}

Datum
gamma_gamma_model_out(PG_FUNCTION_ARGS)
{
	GammaGammaModel *m = DatumGetGammaGammaModelP(PG_GETARG_DATUM(0));
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfoString(&buf, "(p=");
	rfm_append_float(&buf, m->p);
	appendStringInfoString(&buf, ", q=");
	rfm_append_float(&buf, m->q);
	appendStringInfoString(&buf, ", v=");
	rfm_append_float(&buf, m->v);
	appendStringInfoString(&buf, ", ll=");
	rfm_append_float(&buf, m->ll);
	appendStringInfo(&buf, ", n=" INT64_FORMAT ", iterations=%d, %s)", m->n, m->iterations,
					 (m->flags & RFM_MODEL_CONVERGED) ? "converged" : "not converged");
	PG_RETURN_CSTRING(buf.data);
}

Datum
gamma_gamma_model_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	GammaGammaModel *m = palloc0(sizeof(GammaGammaModel));
	const char *bad;

	m->p = pq_getmsgfloat8(buf);
	m->q = pq_getmsgfloat8(buf);
	m->v = pq_getmsgfloat8(buf);
	m->ll = pq_getmsgfloat8(buf);
	m->n = pq_getmsgint64(buf);
	m->iterations = pq_getmsgint(buf, 4);
	m->flags = pq_getmsgint(buf, 4);
	if (m->flags & ~RFM_MODEL_CONVERGED)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary model: unknown flags")));
	if ((bad = model_violation(m)) != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary gamma_gamma_model: %s", bad)));
	PG_RETURN_POINTER(m);
}

Datum
gamma_gamma_model_send(PG_FUNCTION_ARGS)
{
	GammaGammaModel *m = DatumGetGammaGammaModelP(PG_GETARG_DATUM(0));
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendfloat8(&buf, m->p);
	pq_sendfloat8(&buf, m->q);
	pq_sendfloat8(&buf, m->v);
	pq_sendfloat8(&buf, m->ll);
	pq_sendint64(&buf, m->n);
	pq_sendint32(&buf, m->iterations);
	pq_sendint32(&buf, m->flags);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* (p, q, v, log_likelihood, customers, iterations, converged) */
Datum
gamma_gamma_parameters(PG_FUNCTION_ARGS)
{
	GammaGammaModel *m = DatumGetGammaGammaModelP(PG_GETARG_DATUM(0));
	TupleDesc	desc;
	Datum		values[7];
	bool		nulls[7] = {0};

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "gamma_gamma_parameters must return a record");
	desc = BlessTupleDesc(desc);
	values[0] = Float8GetDatum(m->p);
	values[1] = Float8GetDatum(m->q);
	values[2] = Float8GetDatum(m->v);
	values[3] = Float8GetDatum(m->ll);
	values[4] = Int64GetDatum(m->n);
	values[5] = Int32GetDatum(m->iterations);
	values[6] = BoolGetDatum((m->flags & RFM_MODEL_CONVERGED) != 0);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, values, nulls)));
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
static double
customer_value(const BgnbdModel *bg, const GammaGammaModel *gg, double x, double t_x,
			   double T, double m, int months, double discount, double per_month)
{
	double		value = expected_value(gg, x, m);
	double		previous = 0,
				total = 0;
	int			i;

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
	for (i = 1; i <= months; i++)
	{
		double		cumulative = rfm_bgnbd_expected(bg, x, t_x, T, i * per_month);

		total += value * (cumulative - previous) / pow(1 + discount, i);
		previous = cumulative;
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
									PG_GETARG_FLOAT8(8)));
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
									PG_GETARG_FLOAT8(4), per_month));
}
