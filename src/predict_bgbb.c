/*
 * predict_bgbb.c: the BG/BB model of Fader, Hardie & Shang (2010),
 * "Customer-base analysis in a discrete-time noncontractual setting":
 * after a first transaction a customer has n opportunities (a yearly
 * donation, a weekly box); while alive she transacts at each with her own
 * probability p ~ Beta(alpha, beta), and after each she dies with her own
 * probability theta ~ Beta(gamma, delta).  A customer's (x, t_x, n): x
 * transactions in the n opportunities, the last at opportunity t_x (0 if
 * none).  The likelihood:
 *
 *   L = B(alpha+x, beta+n-x)/B(alpha, beta) B(gamma, delta+n)/B(gamma, delta)
 *     + sum_{i=0}^{n-t_x-1} B(alpha+x, beta+t_x-x+i)/B(alpha, beta)
 *                           B(gamma+1, delta+t_x+i)/B(gamma, delta)
 *
 * every term in logs (lgamma), the sum by log-sum-exp, the gradient from
 * digamma.  bgbb_fit's state merges identical (x, t_x, n) patterns with
 * their counts, so the likelihood costs one pass over distinct patterns.
 */
#include "postgres.h"
#include "compat.h"

#include <math.h>

#include "fmgr.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"

#include "agg_state.h"
#include "fixed_type.h"
#include "optim.h"
#include "predict.h"
#include "predict_math.h"
#include "predict_bgbb.h"

PG_FUNCTION_INFO_V1(bgbb_fit_trans);
PG_FUNCTION_INFO_V1(bgbb_fit_trans_history);
PG_FUNCTION_INFO_V1(bgbb_fit_combine);
PG_FUNCTION_INFO_V1(bgbb_fit_serialize);
PG_FUNCTION_INFO_V1(bgbb_fit_deserialize);
PG_FUNCTION_INFO_V1(bgbb_fit_final);
PG_FUNCTION_INFO_V1(bgbb_model_in);
PG_FUNCTION_INFO_V1(bgbb_model_out);
PG_FUNCTION_INFO_V1(bgbb_model_recv);
PG_FUNCTION_INFO_V1(bgbb_model_send);
PG_FUNCTION_INFO_V1(bgbb_parameters);
PG_FUNCTION_INFO_V1(bgbb_p_alive);
PG_FUNCTION_INFO_V1(bgbb_p_alive_history);
PG_FUNCTION_INFO_V1(bgbb_log_likelihood);
PG_FUNCTION_INFO_V1(bgbb_expected_transactions);
PG_FUNCTION_INFO_V1(bgbb_expected_transactions_history);

#define BGBB_MAX_OPPORTUNITIES 100000

/* A pattern: x, t_x, n and the customers who have it; x first (rfm_weigh_sorted). */
typedef struct Pattern
{
	double		x;
	double		t_x;
	double		n;
	double		customers;
} Pattern;

static void
send_pattern(StringInfo buf, const void *record)
{
	const Pattern *p = record;

	pq_sendfloat8(buf, p->x);
	pq_sendfloat8(buf, p->t_x);
	pq_sendfloat8(buf, p->n);
	pq_sendfloat8(buf, p->customers);
}

static void
recv_pattern(StringInfo buf, void *record)
{
	Pattern    *p = record;

	p->x = pq_getmsgfloat8(buf);
	p->t_x = pq_getmsgfloat8(buf);
	p->n = pq_getmsgfloat8(buf);
	p->customers = pq_getmsgfloat8(buf);
}

static const RfmRecordForm pattern_form = {sizeof(Pattern), 64, send_pattern, recv_pattern};

typedef struct BgbbState
{
	RfmRecords	patterns;
} BgbbState;

static void
check_pattern(double x, double t_x, double n)
{
	if (!isfinite(x) || !isfinite(t_x) || !isfinite(n))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("x, t_x and n must be finite, got (%g, %g, %g)", x, t_x, n)));
	if (n < 0 || n != floor(n) || n > BGBB_MAX_OPPORTUNITIES)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("n must be a whole number of opportunities from 0 to %d, got %g", BGBB_MAX_OPPORTUNITIES, n)));
	if (x < 0 || x != floor(x) || t_x < 0 || t_x != floor(t_x) || x > t_x || t_x > n || (x > 0) != (t_x > 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("(x, t_x, n) = (%g, %g, %g) is not a transaction pattern", x, t_x, n),
				 errhint("x transactions in n opportunities, the last at opportunity t_x: whole numbers with 0 <= x <= t_x <= n, t_x = 0 exactly when x = 0.")));
}

static Datum
add_pattern(FunctionCallInfo fcinfo, BgbbState *state, double x, double t_x, double n, double customers)
{
	Pattern    *p;

	check_pattern(x, t_x, n);
	if (!isfinite(customers) || customers < 0 || customers != floor(customers))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("customers must be a whole number, not negative, got %g", customers)));
	if (state == NULL)
		state = rfm_records_state_new(rfm_agg_context(fcinfo, "bgbb_fit_trans"), sizeof(BgbbState), &pattern_form, 0);
	p = rfm_records_append(&state->patterns);
	p->x = x;
	p->t_x = t_x;
	p->n = n;
	p->customers = customers;
	RFM_RETURN_STATE(state);
}

/* (state, x, t_x, n [, customers]); a row with a NULL is skipped */
Datum
bgbb_fit_trans(PG_FUNCTION_ARGS)
{
	BgbbState  *state = PG_ARGISNULL(0) ? NULL : (BgbbState *) PG_GETARG_POINTER(0);
	int			i;

	rfm_agg_context(fcinfo, "bgbb_fit_trans");
	for (i = 1; i < PG_NARGS(); i++)
		if (PG_ARGISNULL(i))
			RFM_RETURN_STATE(state);
	return add_pattern(fcinfo, state, PG_GETARG_FLOAT8(1), PG_GETARG_FLOAT8(2), PG_GETARG_FLOAT8(3),
					   PG_NARGS() > 4 ? (double) PG_GETARG_INT64(4) : 1.0);
}

/* (state, history): x, t_x and n = T in the history's own periods */
Datum
bgbb_fit_trans_history(PG_FUNCTION_ARGS)
{
	BgbbState  *state = PG_ARGISNULL(0) ? NULL : (BgbbState *) PG_GETARG_POINTER(0);
	RfmHistory *h;

	rfm_agg_context(fcinfo, "bgbb_fit_trans_history");
	if (PG_ARGISNULL(1))
		RFM_RETURN_STATE(state);
	h = DatumGetRfmHistoryP(PG_GETARG_DATUM(1));
	return add_pattern(fcinfo, state, (double) h->x, (double) h->t_x, (double) h->T, 1.0);
}

Datum
bgbb_fit_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext = rfm_agg_context(fcinfo, "bgbb_fit_combine");
	BgbbState  *into = PG_ARGISNULL(0) ? NULL : (BgbbState *) PG_GETARG_POINTER(0);
	BgbbState  *from = PG_ARGISNULL(1) ? NULL : (BgbbState *) PG_GETARG_POINTER(1);

	if (from == NULL)
		RFM_RETURN_STATE(into);
	RFM_RETURN_STATE(rfm_records_combine(aggcontext, into, from, sizeof(BgbbState)));
}

Datum
bgbb_fit_serialize(PG_FUNCTION_ARGS)
{
	BgbbState  *state = (BgbbState *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	rfm_agg_context(fcinfo, "bgbb_fit_serialize");
	pq_begintypsend(&buf);
	rfm_records_send(&buf, &state->patterns);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
bgbb_fit_deserialize(PG_FUNCTION_ARGS)
{
	StringInfoData buf;
	BgbbState  *state;

	rfm_agg_context(fcinfo, "bgbb_fit_deserialize");
	rfm_state_receive(PG_GETARG_BYTEA_PP(0), &buf);
	state = rfm_records_state_new(CurrentMemoryContext, sizeof(BgbbState), &pattern_form, 0);
	rfm_records_recv(&buf, &state->patterns);
	RFM_RETURN_STATE(state);
}

/* ---------------------------------------------------------------------- */
/* the likelihood                                                          */
/* ---------------------------------------------------------------------- */

enum
{
	ALPHA, BETA, GAMMA, DELTA
};

static double
lbeta(double a, double b)
{
	return lgamma(a) + lgamma(b) - lgamma(a + b);
}

/*
 * ln L of one pattern, for predictions: the log-sum-exp of the alive term
 * and the n - t_x dead ones (a fit uses pattern_ll_tabulated, the same sum
 * from tables, with its gradient).
 */
static double
pattern_ll(const double *p, double x, double t_x, double n)
{
	double		a = p[ALPHA],
				b = p[BETA],
				g = p[GAMMA],
				d = p[DELTA];
	double		base = -lbeta(a, b) - lbeta(g, d);
	double		top,
				sum = 0;
	int			i,
				terms = (int) (n - t_x);

	/* the largest term first, to scale the sum: alive or the first dead one */
	top = base + lbeta(a + x, b + n - x) + lbeta(g, d + n);
	if (terms > 0)
		top = Max(top, base + lbeta(a + x, b + t_x - x) + lbeta(g + 1, d + t_x));
	for (i = -1; i < terms; i++)
	{
		/* i = -1: alive after n; else dead after opportunity t_x + i */
		if (i < 0)
			sum += exp(base + lbeta(a + x, b + n - x) + lbeta(g, d + n) - top);
		else
			sum += exp(base + lbeta(a + x, b + t_x - x + i) + lbeta(g + 1, d + t_x + i) - top);
	}
	return top + log(sum);
}

/*
 * Every gamma-function argument of the likelihood is a parameter plus a
 * whole number below n + 2 (x, n - x, t_x + i, ...), so a fit tabulates
 * lgamma and digamma of alpha + k, beta + k, alpha + beta + k, delta + k
 * and gamma + delta + k once per evaluation and each term is then a few
 * lookups: the cost no longer grows with special-function calls per term.
 */
typedef struct Tables
{
	int64		size;			/* k = 0 .. size - 1 */
	double	   *lg[5];			/* lgamma of a+k, b+k, a+b+k, d+k, g+d+k */
	double	   *psi[5];			/* digamma of the same */
} Tables;

enum
{
	TA, TB, TAB, TD, TGD
};

typedef struct FitData
{
	RfmWeighted d;
	Tables		t;
} FitData;

static void
fill_tables(Tables *t, const double *p)
{
	double		base[5] = {p[ALPHA], p[BETA], p[ALPHA] + p[BETA], p[DELTA], p[GAMMA] + p[DELTA]};
	int			j;
	int64		k;

	for (j = 0; j < 5; j++)
		for (k = 0; k < t->size; k++)
		{
			t->lg[j][k] = lgamma(base[j] + k);
			t->psi[j][k] = rfm_digamma(base[j] + k);
		}
}

/* pattern_ll from the tables, with the gradient */
static double
pattern_ll_tabulated(const Tables *t, const double *p, int64 x, int64 t_x, int64 n, double *grad)
{
	double		lg_g = lgamma(p[GAMMA]),
				lg_g1 = lgamma(p[GAMMA] + 1),
				psi_g = rfm_digamma(p[GAMMA]),
				psi_g1 = rfm_digamma(p[GAMMA] + 1);
	/* -lnB(a, b) - lnB(g, d) */
	double		base = -(t->lg[TA][0] + t->lg[TB][0] - t->lg[TAB][0])
		- (lg_g + t->lg[TD][0] - t->lg[TGD][0]);
	double		top = -INFINITY,
				sum = 0,
				acc[4] = {0, 0, 0, 0};
	int64		i,
				terms = n - t_x;

	for (i = -1; i < terms; i++)
	{
		/* i = -1: alive after n, B(a+x, b+n-x) B(g, d+n); else B(a+x, b+t_x-x+i) B(g+1, d+t_x+i) */
		int64		y = i < 0 ? n - x : t_x - x + i;
		int64		z = i < 0 ? n : t_x + i;
		int64		zg = i < 0 ? z : z + 1; /* g + d + z, or (g+1) + d + z */
		double		lterm = base + t->lg[TA][x] + t->lg[TB][y] - t->lg[TAB][x + y]
			+ (i < 0 ? lg_g : lg_g1) + t->lg[TD][z] - t->lg[TGD][zg];
		double		w;

		if (lterm > top)
		{
			/* rescale what was summed to the new top */
			double		f = exp(top - lterm);
			int			j;

			sum *= f;
			for (j = 0; j < 4; j++)
				acc[j] *= f;
			top = lterm;
		}
		w = exp(lterm - top);
		sum += w;
		acc[ALPHA] += w * (t->psi[TA][x] - t->psi[TAB][x + y] - t->psi[TA][0] + t->psi[TAB][0]);
		acc[BETA] += w * (t->psi[TB][y] - t->psi[TAB][x + y] - t->psi[TB][0] + t->psi[TAB][0]);
		acc[GAMMA] += w * ((i < 0 ? psi_g : psi_g1) - t->psi[TGD][zg] - psi_g + t->psi[TGD][0]);
		acc[DELTA] += w * (t->psi[TD][z] - t->psi[TGD][zg] - t->psi[TD][0] + t->psi[TGD][0]);
	}
	for (i = 0; i < 4; i++)
		grad[i] = acc[i] / sum;
	return top + log(sum);
}

/* -LL/N and its gradient in log-parameters */
static double
bgbb_objective(const double *theta, double *grad, void *arg)
{
	FitData    *fd = arg;
	const RfmWeighted *d = &fd->d;
	const Pattern *pat = d->records;
	double		p[4],
				g[4] = {0, 0, 0, 0},
				ll = 0;
	int64		i;
	int			j;

	for (j = 0; j < 4; j++)
		p[j] = exp(theta[j]);
	fill_tables(&fd->t, p);
	for (i = 0; i < d->m; i++)
	{
		double		gi[4];
		double		w = d->w[i];

		if ((i & 0x3FF) == 0)
			CHECK_FOR_INTERRUPTS();
		ll += w * pattern_ll_tabulated(&fd->t, p, (int64) pat[i].x, (int64) pat[i].t_x,
									   (int64) pat[i].n, gi);
		for (j = 0; j < 4; j++)
			g[j] += w * gi[j];
	}
	for (j = 0; j < 4; j++)
		grad[j] = -g[j] * p[j] / d->n;
	return -ll / d->n;
}

static int
compare_patterns(const void *a, const void *b)
{
	const Pattern *p = a;
	const Pattern *q = b;

	if (p->x != q->x)
		return p->x < q->x ? -1 : 1;
	if (p->t_x != q->t_x)
		return p->t_x < q->t_x ? -1 : 1;
	if (p->n != q->n)
		return p->n < q->n ? -1 : 1;
	return 0;
}

/*
 * The patterns merged, their counts as weights (rfm_weigh_sorted counts
 * records, so the weights are set from the counts afterwards), or an error
 * for data without a maximum.
 */
static void
bgbb_data(const BgbbState *state, RfmWeighted *d, int64 *customers)
{
	int64		rows = state == NULL ? 0 : state->patterns.n;
	Pattern    *p;
	int64		i,
				k;
	double		total = 0,
				with_repeat = 0,
				opportunities = 0;

	if (rows == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("bgbb_fit needs customers, got none"),
				 errhint("Feed it one row per customer, bgbb_fit(x, t_x, n) or bgbb_fit(rfm_history), or one per pattern, bgbb_fit(x, t_x, n, customers).")));
	p = rfm_records_sorted(&state->patterns, compare_patterns);
	/* merge identical patterns, adding their counts */
	for (i = 0, k = 0; i < rows; i++)
	{
		if (k > 0 && compare_patterns(&p[k - 1], &p[i]) == 0)
			p[k - 1].customers += p[i].customers;
		else
			p[k++] = p[i];
	}
	/* patterns of no customer carry no information */
	for (i = 0, rows = k, k = 0; i < rows; i++)
		if (p[i].customers > 0)
			p[k++] = p[i];
	rfm_weigh_sorted(d, p, k, sizeof(Pattern), compare_patterns);
	for (i = 0; i < d->m; i++)
	{
		d->w[i] = p[i].customers;
		total += p[i].customers;
		if (p[i].x > 0)
			with_repeat += p[i].customers;
		opportunities += p[i].customers * p[i].n;
	}
	d->n = total;
	*customers = (int64) total;
	if (total < 2)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("bgbb_fit needs more than one customer, got %.0f", total),
				 errhint("The model describes a population of customers: fit it over all of them.")));
	if (opportunities == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("bgbb_fit needs customers with opportunities, but every n is 0")));
	if (with_repeat == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("bgbb_fit needs repeat transactions, but none of the %.0f customers made one", total),
				 errdetail("With x = 0 for everyone the likelihood grows without bound as the transaction probability goes to 0.")));
	if (d->m == 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("bgbb_fit cannot fit %.0f customers of one pattern", total),
				 errdetail("Every customer has x = %g, t_x = %g, n = %g: the likelihood has no maximum at finite parameters.",
						   p[0].x, p[0].t_x, p[0].n)));
}

static const char *const bgbb_names[] = {"alpha", "beta", "gamma", "delta"};

Datum
bgbb_fit_final(PG_FUNCTION_ARGS)
{
	static const double starts[3][4] = {{1, 1, 1, 1}, {0.5, 2, 0.5, 2}, {2, 0.5, 2, 0.5}};
	BgbbState  *state = PG_ARGISNULL(0) ? NULL : (BgbbState *) PG_GETARG_POINTER(0);
	FitData		fd;
	RfmWeighted *d = &fd.d;
	int64		customers;
	RfmMle		mle = {
		.fit = "bgbb_fit",.model = "BG/BB",.n_params = 4,.names = bgbb_names,
		.scale_param = -1,.objective = bgbb_objective,.arg = &fd,.n_starts = 3,
		.degenerate = "too few customers, or too little variety in their transactions"
	};
	double		theta[4];
	RfmOptResult best;
	BgbbModel  *model;
	int			s,
				j;
	int64		k;

	bgbb_data(state, d, &customers);
	mle.customers = customers;
	/* the largest whole-number offset is x + (n - x) = n, plus one for g + 1 + d + t_x + i */
	fd.t.size = 2;
	for (k = 0; k < d->m; k++)
		fd.t.size = Max(fd.t.size, (int64) ((const Pattern *) d->records)[k].n + 2);
	for (j = 0; j < 5; j++)
	{
		fd.t.lg[j] = palloc(fd.t.size * sizeof(double));
		fd.t.psi[j] = palloc(fd.t.size * sizeof(double));
	}
	for (s = 0; s < 3; s++)
		for (j = 0; j < 4; j++)
			mle.starts[s][j] = log(starts[s][j]);
	rfm_fit_mle(&mle, theta, &best);

	model = palloc0(sizeof(BgbbModel));
	model->alpha = exp(theta[ALPHA]);
	model->beta = exp(theta[BETA]);
	model->gamma = exp(theta[GAMMA]);
	model->delta = exp(theta[DELTA]);
	model->ll = -best.f * d->n;
	model->n = customers;
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
	const BgbbModel *m = value;

	if (!(m->alpha > 0 && m->beta > 0 && m->gamma > 0 && m->delta > 0) ||
		!isfinite(m->alpha) || !isfinite(m->beta) || !isfinite(m->gamma) || !isfinite(m->delta))
		return "alpha, beta, gamma and delta must be positive and finite";
	if (!isfinite(m->ll))
		return "ll must be finite";
	if (m->n < 0 || m->iterations < 0)
		return "n and iterations must not be negative";
	return NULL;
}

static const RfmFieldDef bgbb_fields[] = {
	{"alpha", offsetof(BgbbModel, alpha), RFM_FIELD_FLOAT8, true},
	{"beta", offsetof(BgbbModel, beta), RFM_FIELD_FLOAT8, true},
	{"gamma", offsetof(BgbbModel, gamma), RFM_FIELD_FLOAT8, true},
	{"delta", offsetof(BgbbModel, delta), RFM_FIELD_FLOAT8, true},
	{"ll", offsetof(BgbbModel, ll), RFM_FIELD_FLOAT8, false},
	{"n", offsetof(BgbbModel, n), RFM_FIELD_INT64, false},
	{"iterations", offsetof(BgbbModel, iterations), RFM_FIELD_COUNT32, false},
	{"converged", offsetof(BgbbModel, flags), RFM_FIELD_CONVERGED, false},
};

static const RfmFixedType bgbb_type = {
	.text = {"bgbb_model", RFM_PREDICT_TEXT_HINT},
	.size = sizeof(BgbbModel),
	.nfields = lengthof(bgbb_fields),
	.fields = bgbb_fields,
	.required = "alpha, beta, gamma and delta are required",
	.violation = model_violation
};

Datum
bgbb_model_in(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(rfm_fixed_in(&bgbb_type, PG_GETARG_CSTRING(0)));
}

Datum
bgbb_model_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(rfm_fixed_out(&bgbb_type, DatumGetPointer(PG_GETARG_DATUM(0))));
}

Datum
bgbb_model_recv(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(rfm_fixed_recv(&bgbb_type, (StringInfo) PG_GETARG_POINTER(0)));
}

Datum
bgbb_model_send(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(rfm_fixed_send(&bgbb_type, DatumGetPointer(PG_GETARG_DATUM(0))));
}

Datum
bgbb_parameters(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATUM(rfm_fixed_record(&bgbb_type, fcinfo, DatumGetPointer(PG_GETARG_DATUM(0))));
}

/* ---------------------------------------------------------------------- */
/* predictions                                                             */
/* ---------------------------------------------------------------------- */

static void
model_params(const BgbbModel *m, double *p)
{
	p[ALPHA] = m->alpha;
	p[BETA] = m->beta;
	p[GAMMA] = m->gamma;
	p[DELTA] = m->delta;
}

/*
 * P(alive at opportunity n+1 | x, t_x, n):
 * B(alpha+x, beta+n-x)/B(alpha, beta) B(gamma, delta+n+1)/B(gamma, delta) / L
 */
static double
p_alive(const BgbbModel *m, double x, double t_x, double n)
{
	double		p[4];

	check_pattern(x, t_x, n);
	model_params(m, p);
	return exp(lbeta(m->alpha + x, m->beta + n - x) - lbeta(m->alpha, m->beta)
			   + lbeta(m->gamma, m->delta + n + 1) - lbeta(m->gamma, m->delta)
			   - pattern_ll(p, x, t_x, n));
}

/*
 * [G(1+c)/G(g+c) - G(1+c+f)/G(g+c+f)] / (g-1) with c = delta+n and f whole.
 * Near g = 1 both ratios tend to 1 and the difference cancels; written as
 * G(1+c)/G(g+c) (1 - prod_{j<f} (1+c+j)/(g+c+j)) / (g-1), the product's
 * logarithm is a sum of log1p((g-1)/(1+c+j)), exact however close g is to
 * 1, and at g = 1 the limit is sum_{j<f} 1/(1+c+j).  Beyond a million
 * future opportunities the lgamma form is used (the difference is then
 * large, cancellation mild).
 */
static double
gamma_bracket_over(double g, double c, double f)
{
	double		eps = g - 1;
	double		lead = lgamma(1 + c) - lgamma(g + c);
	double		log_prod = 0;
	int64		j;

	if (f > 1e6)
	{
		double		l2 = lgamma(1 + c + f) - lgamma(g + c + f);

		if (eps == 0)
			return rfm_digamma(1 + c + f) - rfm_digamma(1 + c);
		return exp(lead) * -expm1(l2 - lead) / eps;
	}
	for (j = 0; j < (int64) f; j++)
	{
		if ((j & 0xFFFF) == 0xFFFF)
			CHECK_FOR_INTERRUPTS();
		log_prod -= log1p(eps / (1 + c + j));
	}
	if (log_prod == 0)
	{
		double		sum = 0;

		for (j = 0; j < (int64) f; j++)
			sum += 1.0 / (1 + c + j);
		return sum;
	}
	return exp(lead) * -expm1(log_prod) / eps;
}

/*
 * E[transactions in opportunities n+1 .. n+n* | x, t_x, n] (lifetimes and BTYD compute the same):
 * 1/L B(alpha+x+1, beta+n-x)/B(alpha, beta) delta/(gamma-1) G(gamma+delta)/G(1+delta)
 *   [G(1+delta+n)/G(gamma+delta+n) - G(1+delta+n+n*)/G(gamma+delta+n+n*)]
 */
static double
expected_transactions(const BgbbModel *m, double x, double t_x, double n, double future)
{
	double		p[4];

	check_pattern(x, t_x, n);
	if (!isfinite(future) || future < 0 || future != floor(future) || future > 1e9)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the number of future opportunities must be a whole number from 0 to 1e9, got %g", future)));
	if (future == 0)
		return 0.0;
	model_params(m, p);
	return exp(lbeta(m->alpha + x + 1, m->beta + n - x) - lbeta(m->alpha, m->beta)
			   - pattern_ll(p, x, t_x, n)
			   + lgamma(m->gamma + m->delta) - lgamma(1 + m->delta))
		* m->delta * gamma_bracket_over(m->gamma, m->delta + n, future);
}

Datum
bgbb_p_alive(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(p_alive(DatumGetBgbbModelP(PG_GETARG_DATUM(0)),
							 PG_GETARG_FLOAT8(1), PG_GETARG_FLOAT8(2), PG_GETARG_FLOAT8(3)));
}

Datum
bgbb_p_alive_history(PG_FUNCTION_ARGS)
{
	RfmHistory *h = DatumGetRfmHistoryP(PG_GETARG_DATUM(1));

	PG_RETURN_FLOAT8(p_alive(DatumGetBgbbModelP(PG_GETARG_DATUM(0)),
							 (double) h->x, (double) h->t_x, (double) h->T));
}

Datum
bgbb_log_likelihood(PG_FUNCTION_ARGS)
{
	BgbbModel  *m = DatumGetBgbbModelP(PG_GETARG_DATUM(0));
	double		x = PG_GETARG_FLOAT8(1),
				t_x = PG_GETARG_FLOAT8(2),
				n = PG_GETARG_FLOAT8(3),
				p[4];

	check_pattern(x, t_x, n);
	model_params(m, p);
	PG_RETURN_FLOAT8(pattern_ll(p, x, t_x, n));
}

Datum
bgbb_expected_transactions(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(expected_transactions(DatumGetBgbbModelP(PG_GETARG_DATUM(0)),
										   PG_GETARG_FLOAT8(1), PG_GETARG_FLOAT8(2),
										   PG_GETARG_FLOAT8(3), PG_GETARG_FLOAT8(4)));
}

Datum
bgbb_expected_transactions_history(PG_FUNCTION_ARGS)
{
	RfmHistory *h = DatumGetRfmHistoryP(PG_GETARG_DATUM(1));

	PG_RETURN_FLOAT8(expected_transactions(DatumGetBgbbModelP(PG_GETARG_DATUM(0)),
										   (double) h->x, (double) h->t_x, (double) h->T,
										   PG_GETARG_FLOAT8(2)));
}
