/*
 * optim.c: maximum-likelihood fitting shared by the prediction models.
 *
 * - rfm_minimize: BFGS over log-parameters with an Armijo backtracking line
 *   search, analytic gradients supplied by the caller.  Parameters are kept
 *   inside [e^-23, e^23]; a run that reaches that bound reports which
 *   parameter did, so the caller can say the likelihood has no maximum.
 * - rfm_fit_mle: runs it from a few starting points and turns a run that
 *   found no maximum into an error that says why.
 * - rfm_weigh_sorted: the customers, merged and weighted.
 */
#include "postgres.h"
#include "compat.h"

#include <float.h>
#include <math.h>

#include "lib/stringinfo.h"
#include "miscadmin.h"

#include "optim.h"

/* ---------------------------------------------------------------------- */
/* BFGS over log-parameters                                                */
/* ---------------------------------------------------------------------- */

#define GTOL_STRICT 1e-9		/* gradient of the mean log-likelihood */
#define GTOL_NEAR	1e-8		/* accepted when only tiny steps still decrease */
#define GTOL_LOOSE	1e-6		/* accepted when the line search stalls on rounding */
#define MAX_ITER	1000

typedef struct Bfgs
{
	int			n;
	RfmObjective fn;
	void	   *arg;
	double		H[RFM_OPT_MAX_PARAMS][RFM_OPT_MAX_PARAMS];	/* inverse Hessian */
	bool		fresh;			/* H is the (scaled) identity */
	int			evaluations;	/* of fn, each a pass over the customers */
} Bfgs;

/*
 * Once a full step failed, shorter steps whose promised decrease (step
 * times the slope) is below this many last bits of f are not tried: f
 * cannot show such a decrease above its rounding, and halving on costs a
 * pass over the customers a halving, up to 40 a step (seen: Gamma-Gamma
 * over 500k customers, its likelihood then summed without compensation,
 * stalled at a gradient of 9e-8 for 210 evaluations).
 */
#define ROUNDING_ULPS 16

static double
max_abs(int n, const double *v)
{
	double		m = 0;
	int			i;

	for (i = 0; i < n; i++)
		m = Max(m, fabs(v[i]));
	return m;
}

static void
reset_to_identity(Bfgs *b)
{
	int			i,
				j;

	for (i = 0; i < b->n; i++)
		for (j = 0; j < b->n; j++)
			b->H[i][j] = i == j ? 1.0 : 0.0;
	b->fresh = true;
}

/* d = -H g; returns the slope g.d */
static double
quasi_newton_direction(const Bfgs *b, const double *g, double *d)
{
	double		gd = 0;
	int			i,
				j;

	for (i = 0; i < b->n; i++)
	{
		d[i] = 0;
		for (j = 0; j < b->n; j++)
			d[i] -= b->H[i][j] * g[j];
		gd += d[i] * g[i];
	}
	return gd;
}

/* d = -g; returns the slope g.d */
static double
steepest_direction(int n, const double *g, double *d)
{
	double		gd = 0;
	int			i;

	for (i = 0; i < n; i++)
		d[i] = -g[i];
	for (i = 0; i < n; i++)
		gd += d[i] * g[i];
	return gd;
}

typedef enum LineSearch
{
	STEP_TAKEN,
	NO_DECREASE,				/* in 40 halvings */
	BELOW_ROUNDING				/* the steps left promise less than f can show */
} LineSearch;

/*
 * Armijo backtracking along d from theta: once a step is taken, trial,
 * g_new, *f_new and *step hold the accepted point.
 */
static LineSearch
line_search(Bfgs *b, const double *theta, double f, const double *d, double gd,
			double *trial, double *g_new, double *f_new, double *step)
{
	double		dmax = max_abs(b->n, d);
	int			halvings,
				i;

	/* no step moves a log-parameter by more than 3 (a factor of 20) */
	*step = dmax > 3.0 ? 3.0 / dmax : 1.0;
	for (halvings = 0; halvings < 40; halvings++)
	{
		if (halvings > 0 && -gd * *step < ROUNDING_ULPS * DBL_EPSILON * fabs(f))
			return BELOW_ROUNDING;
		for (i = 0; i < b->n; i++)
			trial[i] = Max(-RFM_LOG_BOUND, Min(RFM_LOG_BOUND, theta[i] + *step * d[i]));
		*f_new = b->fn(trial, g_new, b->arg);
		b->evaluations++;
		/* a strict decrease: equality is the rounding floor, not progress */
		if (isfinite(*f_new) && *f_new < f && *f_new <= f + 1e-4 * *step * gd)
			return STEP_TAKEN;
		*step *= 0.5;
	}
	return NO_DECREASE;
}

/* The BFGS update of H for the step theta -> trial (Nocedal & Wright 6.17). */
static void
bfgs_update(Bfgs *b, const double *theta, const double *trial,
			const double *g, const double *g_new)
{
	double		s[RFM_OPT_MAX_PARAMS],
				y[RFM_OPT_MAX_PARAMS],
				Hy[RFM_OPT_MAX_PARAMS];
	double		sy = 0,
				yHy = 0;
	int			n = b->n,
				i,
				j;

	for (i = 0; i < n; i++)
	{
		s[i] = trial[i] - theta[i];
		y[i] = g_new[i] - g[i];
		sy += s[i] * y[i];
	}
	if (!(sy > 1e-300))
		return;					/* no curvature information: keep H */
	if (b->fresh)
	{
		/* scale the initial inverse Hessian (Nocedal & Wright 6.20) */
		double		yy = 0;

		for (i = 0; i < n; i++)
			yy += y[i] * y[i];
		for (i = 0; i < n; i++)
			b->H[i][i] = sy / yy;
		b->fresh = false;
	}
	for (i = 0; i < n; i++)
	{
		Hy[i] = 0;
		for (j = 0; j < n; j++)
			Hy[i] += b->H[i][j] * y[j];
		yHy += y[i] * Hy[i];
	}
	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++)
			b->H[i][j] += (sy + yHy) * s[i] * s[j] / (sy * sy)
				- (Hy[i] * s[j] + s[i] * Hy[j]) / sy;
}

static int
parameter_at_bound(int n, const double *theta)
{
	int			i;

	for (i = 0; i < n; i++)
		if (fabs(theta[i]) >= RFM_LOG_BOUND)
			return i;
	return -1;
}

void
rfm_minimize(int n, double *theta, RfmObjective fn, void *arg, RfmOptResult *res)
{
	Bfgs		b = {.n = n,.fn = fn,.arg = arg};
	double		g[RFM_OPT_MAX_PARAMS],
				g_new[RFM_OPT_MAX_PARAMS],
				d[RFM_OPT_MAX_PARAMS],
				trial[RFM_OPT_MAX_PARAMS];
	double		f,
				f_new = 0;
	int			stalled = 0;
	int			iter;

	Assert(n <= RFM_OPT_MAX_PARAMS);
	res->converged = false;
	res->at_bound = -1;
	res->iterations = 0;
	reset_to_identity(&b);

	f = fn(theta, g, arg);
	b.evaluations = 1;
	if (!isfinite(f))
	{
		res->f = f;
		res->gmax = INFINITY;
		return;
	}

	for (iter = 1; iter <= MAX_ITER; iter++)
	{
		double		gd,
					step;
		LineSearch	search;

		CHECK_FOR_INTERRUPTS();
		res->iterations = iter;
		if (max_abs(n, g) < GTOL_STRICT)
		{
			res->converged = true;
			break;
		}

		gd = quasi_newton_direction(&b, g, d);
		if (!(gd < 0))
		{
			/* not a descent direction: fall back to steepest descent */
			reset_to_identity(&b);
			gd = steepest_direction(n, g, d);
		}
		search = line_search(&b, theta, f, d, gd, trial, g_new, &f_new, &step);
		if (search == BELOW_ROUNDING && max_abs(n, g) < GTOL_LOOSE)
		{
			/* as close as f can tell */
			res->converged = true;
			break;
		}
		if (search != STEP_TAKEN)
		{
			if (!b.fresh)
			{
				/* the quasi-Newton model went wrong: restart from the gradient */
				reset_to_identity(&b);
				continue;
			}
			/* no progress even along the gradient: rounding floor reached */
			res->converged = max_abs(n, g) < GTOL_LOOSE;
			break;
		}
		bfgs_update(&b, theta, trial, g, g_new);

		/* progress below rounding for several iterations: as good as it gets */
		if (f - f_new <= 1e-15 * fabs(f))
			stalled++;
		else
			stalled = 0;
		elog(DEBUG2, "rfm_minimize: iteration %d, f %.17g -> %.17g, step %g, slope %g, largest gradient %g",
			 iter, f, f_new, step, gd, max_abs(n, g_new));
		memcpy(theta, trial, n * sizeof(double));
		memcpy(g, g_new, n * sizeof(double));
		f = f_new;

		if ((res->at_bound = parameter_at_bound(n, theta)) >= 0)
			break;
		/*
		 * Near the optimum the line search only succeeds with tiny steps
		 * once the gradient is down to rounding noise: that is convergence.
		 */
		if ((stalled >= 5 && max_abs(n, g) < GTOL_LOOSE) ||
			(step < 1e-3 && max_abs(n, g) < GTOL_NEAR))
		{
			res->converged = true;
			break;
		}
	}
	res->f = f;
	res->gmax = max_abs(n, g);
	elog(DEBUG2, "rfm_minimize: %s after %d iterations and %d evaluations, f %.17g, largest gradient %g",
		 res->converged ? "converged" : "stopped", res->iterations, b.evaluations, f, res->gmax);
}

/* ---------------------------------------------------------------------- */
/* the maximum-likelihood driver                                           */
/* ---------------------------------------------------------------------- */

/* "r = 0.24, alpha = 4.41, ..." */
static char *
parameters_text(const RfmMle *mle, const double *theta)
{
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	for (i = 0; i < mle->n_params; i++)
		appendStringInfo(&buf, "%s%s = %g", i > 0 ? ", " : "", mle->names[i], exp(theta[i]));
	return buf.data;
}

/*
 * A parameter far out on a flat ridge is the same diagnosis as one at the
 * bound: beyond e^10 while not converged, or a shape parameter (not the
 * scale, which depends on the units) beyond e^10 ~ 22026 or below e^-10
 * even if converged: such a "maximum" is a point on a ridge to infinity.
 */
static int
parameter_off_to_infinity(const RfmMle *mle, const double *theta, const RfmOptResult *run)
{
	int			worst = run->at_bound;
	int			i;

	if (worst >= 0)
		return worst;
	for (i = 0; i < mle->n_params; i++)
		if (fabs(theta[i]) > 10 && (!run->converged || i != mle->scale_param))
			if (worst < 0 || fabs(theta[i]) > fabs(theta[worst]))
				worst = i;
	return worst;
}

void
rfm_fit_mle(const RfmMle *mle, double *theta, RfmOptResult *best)
{
	bool		have = false;
	int			start,
				off;

	Assert(mle->n_params <= RFM_OPT_MAX_PARAMS && mle->n_starts <= RFM_OPT_MAX_STARTS);
	memset(best, 0, sizeof(RfmOptResult));
	/* a few starting points; the first usually suffices */
	for (start = 0; start < mle->n_starts; start++)
	{
		double		trial[RFM_OPT_MAX_PARAMS];
		RfmOptResult res;

		memcpy(trial, mle->starts[start], mle->n_params * sizeof(double));
		rfm_minimize(mle->n_params, trial, mle->objective, mle->arg, &res);
		if (isfinite(res.f) && (!have || res.f < best->f ||
								(best->at_bound >= 0 && res.at_bound < 0 && res.converged)))
		{
			*best = res;
			memcpy(theta, trial, mle->n_params * sizeof(double));
			have = true;
		}
		if (res.converged && res.at_bound < 0)
			break;
	}

	if (!have)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("%s could not evaluate the likelihood of these customers", mle->fit)));
	if ((off = parameter_off_to_infinity(mle, theta, best)) >= 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("the %s likelihood of these " INT64_FORMAT " customers has no maximum: %s runs off to %s",
						mle->model, mle->customers, mle->names[off],
						theta[off] > 0 ? "infinity" : "0"),
				 errdetail("The optimizer stopped at %s after %d iterations.",
						   parameters_text(mle, theta), best->iterations),
				 errhint("The data are degenerate for this model (%s).", mle->degenerate)));
	if (!best->converged)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("%s did not converge after %d iterations (largest gradient %g)",
						mle->fit, best->iterations, best->gmax),
				 errdetail("The optimizer stopped at %s.", parameters_text(mle, theta)),
				 errhint("%s", mle->not_converged ? mle->not_converged :
						 "The data may be degenerate for this model.")));
}

/* ---------------------------------------------------------------------- */
/* customers, merged and weighted                                          */
/* ---------------------------------------------------------------------- */

/* Merges the n sorted records in place; each record starts with its x. */
void
rfm_weigh_sorted(RfmWeighted *d, void *sorted, int64 n, size_t size,
				 int (*compare) (const void *, const void *))
{
	char	   *r = sorted;
	int64		i;

	d->records = sorted;
	d->w = palloc_extended(n * sizeof(double), MCXT_ALLOC_HUGE);
	d->xv = palloc_extended(n * sizeof(double), MCXT_ALLOC_HUGE);
	d->xw = palloc_extended(n * sizeof(double), MCXT_ALLOC_HUGE);
	d->m = d->nx = 0;
	for (i = 0; i < n; i++)
	{
		double		x = *(const double *) (r + i * size);

		if (d->m > 0 && compare(r + (d->m - 1) * size, r + i * size) == 0)
			d->w[d->m - 1] += 1;
		else
		{
			if (d->m != i)
				memcpy(r + d->m * size, r + i * size, size);
			d->w[d->m] = 1;
			d->m++;
		}
		if (d->nx > 0 && d->xv[d->nx - 1] == x)
			d->xw[d->nx - 1] += 1;
		else
		{
			d->xv[d->nx] = x;
			d->xw[d->nx] = 1;
			d->nx++;
		}
	}
	d->n = (double) n;
}
