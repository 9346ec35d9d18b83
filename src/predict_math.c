/*
 * predict_math.c: numerics shared by the prediction models, and the small
 * text helpers their types use.
 *
 * - rfm_log_hyp2f1: the Gaussian hypergeometric series, summed with
 *   rescaling so that huge intermediate terms (heavy buyers) do not
 *   overflow, returned as log|2F1| and its sign.
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "common/int.h"
#include "common/shortest_dec.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "money.h"
#include "predict.h"

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
	const double big = ldexp(1.0, 600);
	const double log_big = 600 * M_LN2;
	double		term = 1.0;
	double		sum = 1.0;
	double		log_scale = 0.0;
	long		k;

	if (!(z >= 0.0 && z < 1.0))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("hypergeometric function argument %g is outside [0, 1)", z)));

	for (k = 0; k < 100000000L; k++)
	{
		double		ratio;

		if (c + k == 0.0)
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("hypergeometric function 2F1(%g, %g; %g; z) has a pole", a, b, c),
					 errhint("The model's parameters make a + b - 1 a non-positive integer.")));
		ratio = (a + k) * (b + k) / ((c + k) * (k + 1)) * z;
		term *= ratio;
		sum += term;
		if (fabs(term) > big || fabs(sum) > big)
		{
			term /= big;
			sum /= big;
			log_scale += log_big;
		}
		if (fabs(ratio) < 1.0 && k > 2 &&
			fabs(term) * fabs(ratio) / (1.0 - fabs(ratio)) <= 1e-17 * fabs(sum))
		{
			if (sum == 0.0 || !isfinite(sum))
				break;
			*sign = sum < 0 ? -1 : 1;
			return log(fabs(sum)) + log_scale;
		}
		if (term == 0.0)
		{
			*sign = sum < 0 ? -1 : 1;
			return log(fabs(sum)) + log_scale;
		}
	}
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("hypergeometric series 2F1(%g, %g; %g; %g) did not converge", a, b, c, z),
			 errhint("The horizon is very long compared with the customer's age; try a shorter one.")));
	return 0;					/* keep the compiler quiet */
}

/* ---------------------------------------------------------------------- */
/* units and text                                                          */
/* ---------------------------------------------------------------------- */

/* A positive interval without months, in microseconds. */
int64
rfm_interval_usecs(const Interval *iv, const char *what)
{
	int64		usecs;

	if (iv->month != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not contain months or years", what),
				 errhint("Use days or weeks, e.g. interval '1 day' or interval '7 days'; months have no fixed length.")));
	if (pg_mul_s64_overflow((int64) iv->day, USECS_PER_DAY, &usecs) ||
		pg_add_s64_overflow(usecs, iv->time, &usecs))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s is out of range", what)));
	if (usecs <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be positive", what),
				 errhint("Use days or weeks, e.g. interval '1 day' or interval '7 days'.")));
	return usecs;
}

/* "1 day", "7 days", or seconds for other lengths ("3600 seconds"). */
void
rfm_append_unit(StringInfo buf, int64 usecs)
{
	if (usecs % USECS_PER_DAY == 0)
		appendStringInfo(buf, INT64_FORMAT " %s", usecs / USECS_PER_DAY,
						 usecs == USECS_PER_DAY ? "day" : "days");
	else
	{
		appendStringInfo(buf, INT64_FORMAT, usecs / USECS_PER_SEC);
		if (usecs % USECS_PER_SEC)
			appendStringInfo(buf, ".%06d", (int) (usecs % USECS_PER_SEC));
		appendStringInfoString(buf, " seconds");
	}
}

/*
 * Parses "<decimal> days" or "<decimal> seconds" exactly (the output form of
 * rfm_append_unit), so every unit reads back as the same microseconds.
 */
int64
rfm_parse_unit(const char *text, const char *type, const char *input)
{
	const char *space = strchr(text, ' ');
	char	   *number;
	const char *word;
	int128		value;
	int			scale;
	int			dscale;
	int128		factor;
	int128		usecs;

	if (space == NULL)
		rfm_bad_input(type, input, "unit must be a positive length such as \"7 days\"");
	number = pnstrdup(text, space - text);
	for (word = space; *word == ' '; word++)
		;
	if (strcmp(word, "day") == 0 || strcmp(word, "days") == 0)
		factor = USECS_PER_DAY;
	else if (strcmp(word, "seconds") == 0 || strcmp(word, "second") == 0)
		factor = USECS_PER_SEC;
	else
		rfm_bad_input(type, input, "unit must be given in days or seconds, e.g. \"7 days\"");
	if (!rfm_money_parse(number, &value, &scale, &dscale) || value <= 0)
		rfm_bad_input(type, input, "unit must be a positive length such as \"7 days\"");
	/* value / 10^scale units of factor microseconds: must be whole microseconds */
	if (__builtin_mul_overflow(value, factor, &usecs) || usecs % rfm_pow10[scale] != 0 ||
		(usecs /= rfm_pow10[scale]) > PG_INT64_MAX)
		rfm_bad_input(type, input, "unit is out of range or not a whole number of microseconds");
	return (int64) usecs;
}

/* The shortest decimal that reads back as the same double (float8 output). */
void
rfm_append_float(StringInfo buf, double v)
{
	char		text[DOUBLE_SHORTEST_DECIMAL_LEN];

	double_to_shortest_decimal_buf(v, text);
	appendStringInfoString(buf, text);
}

void
rfm_bad_input(const char *type, const char *input, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type %s: \"%s\"", type, input),
			 errdetail("%s", detail),
			 errhint("Write it the way it prints, e.g. the output of a fit.")));
}

/*
 * "(key=value, key=value, word)" -> fields.  Keys and bare words are
 * whitespace-trimmed; values keep inner spaces ("7 days").
 */
int
rfm_parse_fields(const char *type, const char *input, RfmField *fields, int max)
{
	char	   *copy = pstrdup(input);
	char	   *p = copy;
	char	   *end;
	int			n = 0;

	while (*p == ' ')
		p++;
	end = p + strlen(p);
	while (end > p && end[-1] == ' ')
		end--;
	if (*p != '(' || end - p < 2 || end[-1] != ')')
		rfm_bad_input(type, input, "the value must be enclosed in parentheses");
	end[-1] = '\0';
	p++;

	while (*p)
	{
		char	   *comma = strchr(p, ',');
		char	   *eq;
		char	   *e;

		if (comma)
			*comma = '\0';
		if (n == max)
			rfm_bad_input(type, input, "too many fields");
		while (*p == ' ')
			p++;
		e = p + strlen(p);
		while (e > p && e[-1] == ' ')
			*--e = '\0';
		if (*p == '\0')
			rfm_bad_input(type, input, "empty field");
		eq = strchr(p, '=');
		if (eq)
		{
			char	   *k = eq;

			*eq = '\0';
			while (k > p && k[-1] == ' ')
				*--k = '\0';
			eq++;
			while (*eq == ' ')
				eq++;
			if (*p == '\0' || *eq == '\0')
				rfm_bad_input(type, input, "a field needs a name and a value");
		}
		fields[n].key = p;
		fields[n].value = eq;
		n++;
		if (!comma)
			break;
		p = comma + 1;
		if (*p == '\0')
			rfm_bad_input(type, input, "empty field");
	}
	return n;
}

double
rfm_field_float(const char *type, const char *input, const RfmField *f)
{
	char	   *end;
	double		v;

	errno = 0;
	v = strtod(f->value, &end);
	if (end == f->value || *end != '\0' || !isfinite(v))
		rfm_bad_input(type, input, psprintf("%s must be a finite number", f->key));
	return v;
}

int64
rfm_field_int(const char *type, const char *input, const RfmField *f)
{
	char	   *end;
	long long	v;

	errno = 0;
	v = strtoll(f->value, &end, 10);
	if (end == f->value || *end != '\0' || errno != 0)
		rfm_bad_input(type, input, psprintf("%s must be an integer", f->key));
	return (int64) v;
}
