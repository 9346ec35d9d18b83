/*
 * predict_math.c: special functions of the prediction models.
 *
 * - rfm_digamma, rfm_log1pexp: for the likelihoods and their gradients.
 * - rfm_log_hyp2f1: the Gaussian hypergeometric series, summed with
 *   rescaling so that huge intermediate terms (heavy buyers) do not
 *   overflow, returned as log|2F1| and its sign; rfm_log_hyp2f1_many at
 *   several arguments in one pass.
 */
#include "postgres.h"
#include "compat.h"

#include <math.h>

#include "miscadmin.h"

#include "predict_math.h"

/* ---------------------------------------------------------------------- */
/* special functions                                                       */
/* ---------------------------------------------------------------------- */

/* psi(x) for x > 0: recurrence up to 6, then the asymptotic series. */
double
rfm_digamma(double x)
{
	double		result = 0.0;
	double		f;

	while (x < 6.0)
	{
		result -= 1.0 / x;
		x += 1.0;
	}
	f = 1.0 / (x * x);
	return result + log(x) - 0.5 / x
		- f * (1.0 / 12 - f * (1.0 / 120 - f * (1.0 / 252 - f * (1.0 / 240 - f * (1.0 / 132)))));
}

/* log(1 + e^s) without overflow or loss for very negative s. */
double
rfm_log1pexp(double s)
{
	if (s > 0)
		return s + log1p(exp(-s));
	return log1p(exp(s));
}

/* log|sum| + log_scale and the sign of the summed series */
static double
log_of_sum(double sum, double log_scale, int *sign, double a, double b, double c, double z)
{
	if (sum == 0.0 || !isfinite(sum))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("hypergeometric series 2F1(%g, %g; %g; %g) sums to %s", a, b, c, z,
						sum == 0.0 ? "zero" : "a value out of range"),
				 errdetail("Its logarithm, which the prediction needs, is not a finite number."),
				 errhint("The model's parameters are too extreme for this prediction.")));
	*sign = sum < 0 ? -1 : 1;
	return log(fabs(sum)) + log_scale;
}

/*
 * log|2F1(a, b; c; z)| for 0 <= z < 1 by its power series, sign in *sign.
 * Terms are rescaled by 2^-600 whenever they grow past 2^600, so the sum
 * survives parameters in the thousands.  The series stops when the tail,
 * bounded by a geometric series once the term ratio is below 1, is below
 * 1e-17 of the sum.
 */
double
rfm_log_hyp2f1(double a, double b, double c, double z, int *sign)
{
	double		log_f;

	rfm_log_hyp2f1_many(a, b, c, &z, 1, &log_f, sign);
	return log_f;
}

/*
 * The series state of one argument z of rfm_log_hyp2f1_many: the last term,
 * the partial sum, the power of 2^600 both are scaled down by.
 */
typedef struct SeriesState
{
	double		term;
	double		sum;
	double		log_scale;
	bool		done;
} SeriesState;

static void
check_argument(double z)
{
	if (!(z >= 0.0 && z < 1.0))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("hypergeometric function argument %g is outside [0, 1)", z)));
}

/*
 * One more term of the series of z, whose k-th term ratio without z is
 * coefficient; true when the sum is complete.
 */
static inline bool
add_term(SeriesState *s, double coefficient, double z, long k)
{
	const double big = ldexp(1.0, 600);
	double		ratio = coefficient * z;

	s->term *= ratio;
	s->sum += s->term;
	if (fabs(s->term) > big || fabs(s->sum) > big)
	{
		s->term /= big;
		s->sum /= big;
		s->log_scale += 600 * M_LN2;
	}
	return (fabs(ratio) < 1.0 && k > 2 &&
			fabs(s->term) * fabs(ratio) / (1.0 - fabs(ratio)) <= 1e-17 * fabs(s->sum)) ||
		s->term == 0.0 || !isfinite(s->sum);
}

/*
 * rfm_log_hyp2f1 at n (at most RFM_HYP2F1_MANY) arguments z[] at once, into
 * log_f[] and sign[]: the term ratios' parameter part, one division a term,
 * is shared (a customer's value sums the series at twelve horizons).  Each
 * series stops on its own, as it would alone.
 */
void
rfm_log_hyp2f1_many(double a, double b, double c, const double *z, int n,
					double *log_f, int *sign)
{
	SeriesState state[RFM_HYP2F1_MANY];
	int			left = n;
	long		k;
	int			i;

	Assert(n >= 1 && n <= RFM_HYP2F1_MANY);
	for (i = 0; i < n; i++)
	{
		check_argument(z[i]);
		state[i].term = state[i].sum = 1.0;
		state[i].log_scale = 0.0;
		state[i].done = false;
	}
	for (k = 0; k < 100000000L; k++)
	{
		double		coefficient;

		if ((k & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (c + k == 0.0)
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("hypergeometric function 2F1(%g, %g; %g; z) has a pole", a, b, c),
					 errhint("The model's parameters make a + b - 1 a non-positive integer.")));
		coefficient = (a + k) * (b + k) / ((c + k) * (k + 1));
		for (i = 0; i < n; i++)
		{
			if (state[i].done || !add_term(&state[i], coefficient, z[i], k))
				continue;
			state[i].done = true;
			log_f[i] = log_of_sum(state[i].sum, state[i].log_scale, &sign[i], a, b, c, z[i]);
			if (--left == 0)
				return;
		}
	}
	for (i = 0; i < n && state[i].done; i++)
		;
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("hypergeometric series 2F1(%g, %g; %g; %g) did not converge", a, b, c, z[i]),
			 errhint("The horizon is very long compared with the customer's age; try a shorter one.")));
}

/*
 * log 2F1(1, p; q; z) for 0 < p < q and 0 <= z < 1, with its partial
 * derivatives in p, q and z (NULL: not wanted), or NaN when the series
 * needs more than RFM_HYP2F1_1_MAX_TERMS terms (z within ~1e-5 of 1).
 *
 * Why this function is stable where 2F1 in general is not: its terms
 * t_k = (p)_k / (q)_k z^k are all positive and each at most z^k (every
 * factor (p+j)/(q+j) is below 1), so the sum lies in [1, 1/(1-z)] and is
 * summed without cancellation or overflow whatever the size of p and q
 * (a heavy buyer's r + x in the millions only makes the terms vanish
 * faster).  The term ratio increases towards z, so the tail after t_k is
 * at most t_k z/(1-z); the derivative sums (t_k times sum 1/(p+j),
 * sum 1/(q+j) and k/z) get the same kind of bound.  The Pareto/NBD
 * likelihood's 2F1(a, b; a+1; z) is brought to this form by Euler's
 * transformation (predict_pareto.c).
 */
double
rfm_log_hyp2f1_1(double p, double q, double z, double *d_p, double *d_q, double *d_z)
{
	double		term = 1.0,
				sum = 1.0,
				sum_p = 0.0,	/* sum t_k sum_{j<k} 1/(p+j) */
				sum_q = 0.0,	/* sum t_k sum_{j<k} 1/(q+j) */
				sum_k = 0.0,	/* sum k t_k */
				hp = 0.0,
				hq = 0.0;
	long		k;

	Assert(p > 0 && q > p && z >= 0 && z < 1);
	if (z < 1e-300)
	{
		if (d_p)
			*d_p = 0, *d_q = 0, *d_z = p / q;
		return 0.0;
	}
	for (k = 0; k < RFM_HYP2F1_1_MAX_TERMS; k++)
	{
		double		tail_factor = z / (1.0 - z);

		if ((k & 0xFFFF) == 0xFFFF)
			CHECK_FOR_INTERRUPTS();
		hp += 1.0 / (p + k);
		hq += 1.0 / (q + k);
		term *= (p + k) / (q + k) * z;
		sum += term;
		sum_p += term * hp;
		sum_q += term * hq;
		sum_k += term * (k + 1);
		/* tails: sum_{m>=1} t z^m (h + m/(p+k)) and (k+1+m) t z^m */
		if (term * tail_factor <= 1e-17 * sum &&
			term * (hp * tail_factor + tail_factor / (1.0 - z) / (p + k + 1)) <= 1e-16 * sum_p &&
			term * (hq * tail_factor + tail_factor / (1.0 - z) / (q + k + 1)) <= 1e-16 * sum_q &&
			term * ((k + 2) * tail_factor + tail_factor / (1.0 - z)) <= 1e-16 * sum_k)
		{
			if (d_p)
			{
				*d_p = sum_p / sum;
				*d_q = -sum_q / sum;
				*d_z = sum_k / z / sum;
			}
			return log(sum);
		}
	}
	return NAN;
}
