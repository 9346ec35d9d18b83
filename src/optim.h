/*
 * optim.h: maximum-likelihood fitting over log-parameters (optim.c).
 *
 * rfm_minimize is one BFGS run; rfm_fit_mle is the driver the model fits
 * share: several starting points, the choice of the best run, and the
 * errors for a likelihood without a maximum or a run that did not converge.
 */
#ifndef RFM_OPTIM_H
#define RFM_OPTIM_H

#include "postgres.h"

#define RFM_OPT_MAX_PARAMS 4
#define RFM_OPT_MAX_STARTS 3
#define RFM_LOG_BOUND 23.0		/* parameters live in [e^-23, e^23] ~ [1e-10, 1e10] */

/* The function to minimize at theta, its gradient stored in grad. */
typedef double (*RfmObjective) (const double *theta, double *grad, void *arg);

typedef struct RfmOptResult
{
	int			iterations;
	bool		converged;
	int			at_bound;		/* index of a parameter that ran to a bound, or -1 */
	double		f;
	double		gmax;
} RfmOptResult;

extern void rfm_minimize(int n, double *theta, RfmObjective fn, void *arg,
						 RfmOptResult *res);

/*
 * A maximum-likelihood fit: objective is minus the mean log-likelihood of
 * the customers over the log-parameters, tried from each start in turn.
 */
typedef struct RfmMle
{
	const char *fit;			/* the aggregate, for messages: "bgnbd_fit" */
	const char *model;			/* the model, for messages: "BG/NBD" */
	int			n_params;
	const char *const *names;	/* of the parameters */
	int			scale_param;	/* the one whose size depends on the units */
	RfmObjective objective;
	void	   *arg;
	int			n_starts;
	double		starts[RFM_OPT_MAX_STARTS][RFM_OPT_MAX_PARAMS];	/* log-parameters */
	int64		customers;
	const char *degenerate;		/* what makes data degenerate, for the hint */
	const char *not_converged;	/* the hint when a run did not converge, NULL: the usual */
} RfmMle;

/* The best log-parameters into theta and their run into best, or an error. */
extern void rfm_fit_mle(const RfmMle *mle, double *theta, RfmOptResult *best);

/*
 * Customers as the fits see them: records starting with the double x,
 * sorted (rfm_records_sorted) so that sums do not depend on the order rows
 * arrived in, identical
 * records merged into one with a weight, and the weights per distinct x.
 */
typedef struct RfmWeighted
{
	int64		m;				/* distinct records */
	void	   *records;
	double	   *w;				/* customers per record */
	int64		nx;				/* distinct x */
	double	   *xv;
	double	   *xw;				/* customers per x */
	double		n;				/* customers */
} RfmWeighted;

/*
 * A sum with Kahan's compensation: a likelihood summed over a million
 * customers otherwise rounds at about 1e-13 of the mean, more than the
 * decreases the last BFGS steps need to see.
 */
typedef struct RfmSum
{
	double		sum;
	double		lost;			/* low-order bits the sum could not hold, negated */
} RfmSum;

static inline void
rfm_sum_add(RfmSum *s, double v)
{
	double		y = v - s->lost;
	double		t = s->sum + y;

	s->lost = (t - s->sum) - y;
	s->sum = t;
}

extern void rfm_weigh_sorted(RfmWeighted *d, void *sorted, int64 n, size_t size,
							 int (*compare) (const void *, const void *));

#endif							/* RFM_OPTIM_H */
