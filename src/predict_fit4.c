/*
 * predict_fit4.c: the fit the four-parameter models over (x, t_x, T)
 * share (predict_fit4.h), from their customers to the stored model.
 *
 * bgnbd_fit, mbgnbd_fit and pareto_nbd_fit collect the same state
 * (predict_bgnbd.c) and differ, at the end, only in their likelihood: the
 * customers are merged and checked here, the starting points and the model
 * built here, so that the three cannot drift apart.
 */
#include "postgres.h"
#include "compat.h"

#include <math.h>

#include "agg_state.h"
#include "optim.h"
#include "predict.h"
#include "predict_fit4.h"
#include "record_sort.h"

#define TRIPLE_LESS(p, q) \
	((p).x != (q).x ? (p).x < (q).x : (p).t_x != (q).t_x ? (p).t_x < (q).t_x : (p).T < (q).T)

RFM_RECORD_SORT(sort_triples, Triple, TRIPLE_LESS)
RFM_RECORD_COMPARE(compare_triples, Triple, TRIPLE_LESS)

#define DOUBLE_LESS(a, b) ((a) < (b))

RFM_RECORD_SORT(sort_doubles, double, DOUBLE_LESS)

/* The distinct ages of the merged customers, and each record's. */
static void
index_ages(RfmTriples *d)
{
	const Triple *t = d->customers.records;
	int64		m = d->customers.m,
				n = 0,
				i;
	double	   *ages = palloc_extended(m * sizeof(double), MCXT_ALLOC_HUGE);

	for (i = 0; i < m; i++)
		ages[i] = t[i].T;
	sort_doubles(ages, m);
	for (i = 0; i < m; i++)
		if (n == 0 || ages[n - 1] != ages[i])
			ages[n++] = ages[i];
	d->n_ages = n;
	d->ages = ages;
	d->age_of = NULL;
	/* where ages rarely repeat the table saves nothing */
	if (n > m / 4)
		return;
	d->age_of = palloc_extended(m * sizeof(uint32), MCXT_ALLOC_HUGE);
	for (i = 0; i < m; i++)
	{
		int64		lo = 0,
					hi = n - 1;

		while (lo < hi)
		{
			int64		mid = (lo + hi) / 2;

			if (ages[mid] < t[i].T)
				lo = mid + 1;
			else
				hi = mid;
		}
		d->age_of[i] = (uint32) lo;
	}
	d->age_log = palloc(n * sizeof(double));
	d->age_inverse = palloc(n * sizeof(double));
}

/*
 * The customers, merged and weighted, or an error for data that have no
 * maximum for a reason plain to see; fit names the aggregate.  Returns the
 * sum of their ages T.
 */
static double
triples_data(const RfmTripleState *state, const char *fit, RfmWeighted *d)
{
	int64		n = state == NULL ? 0 : state->triples.n;
	Triple	   *t;
	int64		i,
				repeaters = 0;
	double		sum_T = 0;

	if (n == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s needs customers, got none", fit),
				 errhint("Feed it one row per customer: %s(x, t_x, T) or %s(rfm_history).", fit, fit)));
	if (n == 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s needs more than one customer, got 1", fit),
				 errhint("The model describes a population of customers: fit it over all of them.")));

	t = rfm_records_copy(&state->triples);
	sort_triples(t, n);
	for (i = 0; i < n; i++)
	{
		sum_T += t[i].T;
		if (t[i].x > 0)
			repeaters++;
	}
	rfm_weigh_sorted(d, t, n, sizeof(Triple), compare_triples);

	if (repeaters == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s needs repeat purchases, but none of the " INT64_FORMAT " customers made one", fit, n),
				 errdetail("With x = 0 for everyone the likelihood grows without bound as the purchase rate goes to 0."),
				 errhint("Use a longer observation period, or a shorter time unit if same-period orders were merged.")));
	if (d->m == 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s cannot fit " INT64_FORMAT " identical customers", fit, n),
				 errdetail("Every customer has x = %g, t_x = %g, T = %g: the likelihood has no maximum at finite parameters.",
						   t[0].x, t[0].t_x, t[0].T),
				 errhint("The model needs customers that differ in their purchase histories.")));
	if (sum_T <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s needs customers observed for some time, but every T is 0", fit)));
	return sum_T;
}

/*
 * Three starts, the scales at a mean age and a tenth and ten times it:
 * the scale of the data is the one thing known before the fit.
 */
BgnbdModel *
rfm_fit4(const RfmFit4 *fit, const RfmTripleState *state)
{
	static const double r0[] = {1.0, 0.1, 3.0};
	static const double scale[] = {1.0, 0.1, 10.0};
	static const double shape0[] = {1.0, 0.5, 2.0};
	static const double b0[] = {1.0, 2.0, 0.5};
	RfmTriples	triples = {{0}};
	RfmWeighted *d = &triples.customers;
	double		sum_T = triples_data(state, fit->fit, d);
	RfmMle		mle = {
		.fit = fit->fit,.model = fit->model,.n_params = 4,.names = fit->names,
		.scale_param = 1,.objective = fit->objective,.arg = &triples,.n_starts = 3,
		.customers = state->triples.n,
		.degenerate = "too few customers, or too little variety in their purchases",
		.not_converged = fit->not_converged
	};
	double		theta[4];
	RfmOptResult best;
	BgnbdModel *model;
	int			start;

	if (fit->by_age)
		index_ages(&triples);
	for (start = 0; start < mle.n_starts; start++)
	{
		mle.starts[start][0] = log(r0[start]);
		mle.starts[start][1] = log(scale[start] * sum_T / d->n);
		mle.starts[start][2] = log(shape0[start]);
		mle.starts[start][3] = fit->fourth_is_scale ? mle.starts[start][1] : log(b0[start]);
	}
	rfm_fit_mle(&mle, theta, &best);

	model = palloc0(sizeof(BgnbdModel));
	model->r = exp(theta[0]);
	model->alpha = exp(theta[1]);
	model->a = exp(theta[2]);
	model->b = exp(theta[3]);
	model->ll = -best.f * d->n;
	model->n = state->triples.n;
	model->unit = state->unit;
	model->iterations = best.iterations;
	model->flags = RFM_MODEL_CONVERGED;
	return model;
}

const char *
rfm_model4_violation(const BgnbdModel *m, const char *bad_params)
{
	if (!(m->r > 0 && m->alpha > 0 && m->a > 0 && m->b > 0) ||
		!isfinite(m->r) || !isfinite(m->alpha) || !isfinite(m->a) || !isfinite(m->b))
		return bad_params;
	if (!isfinite(m->ll))
		return "ll must be finite";
	if (m->n < 0 || m->unit < 0 || m->iterations < 0)
		return "n, unit and iterations must not be negative";
	return NULL;
}
