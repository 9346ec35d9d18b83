/*
 * time_unit.c: lengths of time without months (an rfm_history's or a
 * model's unit, a horizon) as microseconds, and their text form.
 */
#include "postgres.h"
#include "compat.h"

#include "common/int.h"
#include "utils/timestamp.h"

#include "money.h"
#include "time_unit.h"

/* A positive interval without months, in microseconds. */
int64
rfm_interval_usecs(const Interval *iv, const char *what)
{
	int64		usecs;

	/* PostgreSQL 17+: 'infinity' has every field at its extreme. */
	if (INTERVAL_NOT_FINITE(iv))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be finite", what),
				 errhint("Use days or weeks, e.g. interval '1 day' or interval '7 days'.")));
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

/* As an interval of days and time, the way the unit was given. */
Interval *
rfm_unit_interval(int64 usecs)
{
	Interval   *iv = palloc0(sizeof(Interval));

	iv->day = (int32) (usecs / USECS_PER_DAY);
	iv->time = usecs % USECS_PER_DAY;
	return iv;
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
rfm_parse_unit(const char *text, const RfmTextType *type, const char *input)
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
