/*
 * breaks.c: the rfm_breaks type, and scoring a summary against cut points.
 *
 * Text form, one clause per dimension, thresholds ascending:
 *   R: 30, 90, 180, 365; F: 2, 3, 5, 10; M: 100.00, 250.00, 500.00, 1000.00
 * Recency thresholds are days (an order that old or older costs a point),
 * the others the smallest frequency and monetary that reach the next score.
 * A recency threshold may be a decimal, R: 297.4, meaning what it says:
 * whole days >= 297.4, i.e. >= 298.  It prints as given.
 */
#include "postgres.h"
#include "compat.h"

#include <ctype.h>

#include "fmgr.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"

#include "breaks.h"
#include "money.h"

PG_FUNCTION_INFO_V1(rfm_breaks_in);
PG_FUNCTION_INFO_V1(rfm_breaks_out);
PG_FUNCTION_INFO_V1(rfm_breaks_recv);
PG_FUNCTION_INFO_V1(rfm_breaks_send);
PG_FUNCTION_INFO_V1(rfm_score_breaks);
PG_FUNCTION_INFO_V1(rfm_score_breaks_lapsed_apart);
PG_FUNCTION_INFO_V1(rfm_breaks_bins);

StaticAssertDecl(sizeof(RfmBreaks) == RFM_BREAKS_SIZE,
				 "rfm_breaks's SQL INTERNALLENGTH must match the C struct");

static const char dim_letter[RFM_DIMS] = {'R', 'F', 'M'};

/*
 * cuts[s - 2], for scores s = 2..bins: the smallest key of the ascending
 * array that reaches s, i.e. whose count of strictly smaller keys L
 * satisfies L >= ceil((s - 1) * n / bins); +infinity when none does.
 */
void
rfm_cut_points(const int128 *sorted, int64 n, int bins, int128 *cuts)
{
	int64		j = 0;
	int			s;

	for (s = 2; s <= bins; s++)
	{
		int64		needed = ((s - 1) * n + bins - 1) / bins;

		if (j < needed)
			j = needed;
		/* a key's L is the index where its run of equal keys starts */
		while (j < n && j > 0 && sorted[j] == sorted[j - 1])
			j++;
		cuts[s - 2] = j < n ? sorted[j] : RFM_CUT_INFINITY;
	}
}

/* Compares a/10^sa with b/10^sb exactly. */
static int
compare_scaled(int128 a, int sa, int128 b, int sb)
{
	int128		scaled;

	/* when scaling overflows, that side's magnitude exceeds the other's */
	if (sa < sb)
	{
		if (__builtin_mul_overflow(a, rfm_pow10[sb - sa], &scaled))
			return a < 0 ? -1 : 1;
		a = scaled;
	}
	else if (sb < sa)
	{
		if (__builtin_mul_overflow(b, rfm_pow10[sa - sb], &scaled))
			return b < 0 ? 1 : -1;
		b = scaled;
	}
	return a < b ? -1 : a > b ? 1 : 0;
}

/* Thresholds of dimension dim are value / 10^this. */
int
rfm_breaks_scale(const RfmBreaks *b, int dim)
{
	return dim == RFM_DIM_MONETARY ? b->money_scale
		: dim == RFM_DIM_RECENCY ? b->recency_scale : 0;
}

static int
count_reached(const RfmBreaks *b, int dim, int128 value, int scale)
{
	int			reached = 0;
	int			i;

	for (i = 0; i < b->cuts[dim]; i++)
	{
		int128		t = b->cut[dim][i];

		if (t == RFM_CUT_MINUS_INFINITY ||
			(t != RFM_CUT_INFINITY &&
			 compare_scaled(value, scale, t, rfm_breaks_scale(b, dim)) >= 0))
			reached++;
	}
	return reached;
}

RfmScore
rfm_score_against(const RfmSummary *s, const RfmBreaks *b)
{
	int			r;
	int			f;
	int			m;

	r = b->cuts[RFM_DIM_RECENCY] + 1 -
		count_reached(b, RFM_DIM_RECENCY, rfm_whole_days(s->last_order, s->as_of), 0);
	f = 1 + count_reached(b, RFM_DIM_FREQUENCY, s->frequency, 0);
	m = 1 + count_reached(b, RFM_DIM_MONETARY, s->money, s->scale);
	return rfm_score_compose(r, f, m);
}

static Datum
score_breaks(FunctionCallInfo fcinfo, bool lapsed_apart)
{
	RfmSummary *s = PG_GETARG_RFM_SUMMARY_P(0);

	if (rfm_summary_is_empty(s))
		PG_RETURN_NULL();
	if (lapsed_apart && rfm_summary_is_lapsed(s))
		PG_RETURN_RFM_SCORE(RFM_SCORE_LAPSED);
	PG_RETURN_RFM_SCORE(rfm_score_against(s, PG_GETARG_RFM_BREAKS_P(1)));
}

/* 0.1: a lapsed summary is scored on its figures like any other. */
Datum
rfm_score_breaks(PG_FUNCTION_ARGS)
{
	return score_breaks(fcinfo, false);
}

/* 0.2: a lapsed summary scores 111, against cut points and thresholds alike. */
Datum
rfm_score_breaks_lapsed_apart(PG_FUNCTION_ARGS)
{
	return score_breaks(fcinfo, true);
}

/* R, F, M or their long names, any case; -1 for anything else. */
static int
dimension_named(const char *name)
{
	static const char *const long_names[RFM_DIMS] = {"recency", "frequency", "monetary"};
	int			dim;

	for (dim = 0; dim < RFM_DIMS; dim++)
		if (pg_strcasecmp(name, (char[]) {dim_letter[dim], '\0'}) == 0 ||
			pg_strcasecmp(name, long_names[dim]) == 0)
			return dim;
	return -1;
}

/* Number of bins of one dimension: 'R', 'F' or 'M'. */
Datum
rfm_breaks_bins(PG_FUNCTION_ARGS)
{
	RfmBreaks  *b = PG_GETARG_RFM_BREAKS_P(0);
	text	   *which = PG_GETARG_TEXT_PP(1);
	char	   *name = text_to_cstring(which);
	int			dim = dimension_named(name);

	if (dim < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown RFM dimension \"%s\"", name),
				 errhint("Use 'R', 'F' or 'M' (or recency, frequency, monetary).")));
	PG_RETURN_INT32(b->cuts[dim] + 1);
}

/* ---------- text form ---------- */

/*
 * Digits after the point that print every monetary threshold exactly: the
 * display scale, or more where a threshold has nonzero digits beyond it.
 * Printing all at one scale makes the text read back as the same value.
 */
static int
money_display_scale(const RfmBreaks *b)
{
	int			shown = Min(b->money_dscale, b->money_scale);
	int			i;

	for (i = 0; i < b->cuts[RFM_DIM_MONETARY]; i++)
	{
		int128		t = b->cut[RFM_DIM_MONETARY][i];
		int			needed = b->money_scale;

		if (t == RFM_CUT_INFINITY || t == RFM_CUT_MINUS_INFINITY)
			continue;
		while (needed > shown && t % 10 == 0)
		{
			t /= 10;
			needed--;
		}
		shown = Max(shown, needed);
	}
	return Max(shown, b->money_dscale);
}

Datum
rfm_breaks_out(PG_FUNCTION_ARGS)
{
	RfmBreaks  *b = PG_GETARG_RFM_BREAKS_P(0);
	StringInfoData buf;
	int			money_dscale = money_display_scale(b);
	int			dim;
	int			i;

	initStringInfo(&buf);
	for (dim = 0; dim < RFM_DIMS; dim++)
	{
		appendStringInfo(&buf, "%s%c: ", dim ? "; " : "", dim_letter[dim]);
		for (i = 0; i < b->cuts[dim]; i++)
		{
			int128		t = b->cut[dim][i];

			if (i > 0)
				appendStringInfoString(&buf, ", ");
			if (t == RFM_CUT_INFINITY)
				appendStringInfoString(&buf, "infinity");
			else if (t == RFM_CUT_MINUS_INFINITY)
				appendStringInfoString(&buf, "-infinity");
			else if (dim == RFM_DIM_MONETARY)
				rfm_money_append(&buf, t, b->money_scale, money_dscale);
			else if (dim == RFM_DIM_RECENCY)
				rfm_money_append(&buf, t, b->recency_scale, 0);	/* 297.4 as given */
			else
				appendStringInfo(&buf, INT64_FORMAT, (int64) t);
		}
	}
	PG_RETURN_CSTRING(buf.data);
}

static void
breaks_syntax_error(const char *input, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type %s: \"%s\"", "rfm_breaks", input),
			 errdetail("%s", detail),
			 errhint("Write one clause per dimension with 1 to %d ascending thresholds, e.g. 'R: 30, 90, 180, 365; F: 2, 3, 5, 10; M: 100, 250, 500, 1000'.",
					 RFM_MAX_CUTS)));
}

static char *
skip_spaces(char *p)
{
	while (isspace((unsigned char) *p))
		p++;
	return p;
}

/*
 * Parses one threshold: monetary and recency as exact decimals (their scale
 * goes to *scale, for normalizing), frequency as a whole number.
 */
static void
parse_threshold(const char *input, int dim, char *text, int128 *out,
				int *scale, int *dscale)
{
	char	   *end = text + strlen(text);

	while (end > text && isspace((unsigned char) end[-1]))
		*--end = '\0';
	text = skip_spaces(text);
	*scale = *dscale = 0;
	if (pg_strcasecmp(text, "infinity") == 0 || pg_strcasecmp(text, "+infinity") == 0)
		*out = RFM_CUT_INFINITY;
	else if (pg_strcasecmp(text, "-infinity") == 0)
		*out = RFM_CUT_MINUS_INFINITY;
	else if (dim == RFM_DIM_MONETARY)
	{
		/* at most 38 digits, so no amount can meet the infinity markers */
		if (!rfm_money_parse(text, out, scale, dscale))
			breaks_syntax_error(input, psprintf("\"%s\" is not a monetary amount of at most 38 digits.", text));
	}
	else if (dim == RFM_DIM_RECENCY)
	{
		if (!rfm_money_parse(text, out, scale, dscale) || *scale > RFM_MAX_RECENCY_SCALE)
			breaks_syntax_error(input, psprintf("\"%s\" is not a number of days with at most %d digits after the point.",
												text, RFM_MAX_RECENCY_SCALE));
	}
	else
	{
		char	   *stop;
		long long	v;

		errno = 0;
		v = strtoll(text, &stop, 10);
		if (*text == '\0' || *stop != '\0' || errno != 0)
			breaks_syntax_error(input, psprintf("\"%s\" is not a whole number of orders.", text));
		*out = v;
	}
}

static int
dimension_of(const char *input, const char *name)
{
	int			dim = dimension_named(name);

	if (dim < 0)
		breaks_syntax_error(input, psprintf("Unknown dimension \"%s\": use R, F or M.", name));
	return dim;
}

/*
 * Brings every finite threshold of a decimal dimension (monetary, recency)
 * to the largest scale given.  Recency keeps whole days within a bigint.
 */
static void
normalize_scale(const char *input, RfmBreaks *b, int dim, const int *scales)
{
	int			common = rfm_breaks_scale(b, dim);
	int			i;

	for (i = 0; i < b->cuts[dim]; i++)
	{
		int128	   *t = &b->cut[dim][i];

		if (*t == RFM_CUT_INFINITY || *t == RFM_CUT_MINUS_INFINITY)
			continue;
		if (__builtin_mul_overflow(*t, rfm_pow10[common - scales[i]], t) ||
			!rfm_money_in_range(*t))
			breaks_syntax_error(input, psprintf("The thresholds of dimension %c need more than 38 digits at a common scale.",
												dim_letter[dim]));
		if (dim == RFM_DIM_RECENCY &&
			(*t / rfm_pow10[common] > PG_INT64_MAX || *t / rfm_pow10[common] < PG_INT64_MIN))
			breaks_syntax_error(input, "Recency thresholds must be within the range of bigint days.");
	}
}

static int
compare_cuts(const RfmBreaks *b, int dim, int i)
{
	int128		x = b->cut[dim][i - 1];
	int128		y = b->cut[dim][i];

	return x < y ? -1 : x > y ? 1 : 0;
}

Datum
rfm_breaks_in(PG_FUNCTION_ARGS)
{
	char	   *input = PG_GETARG_CSTRING(0);
	char	   *copy = pstrdup(input);
	RfmBreaks  *b = palloc0(sizeof(RfmBreaks));
	bool		seen[RFM_DIMS] = {false};
	int			scales[RFM_DIMS][RFM_MAX_CUTS] = {{0}};
	char	   *clause;
	char	   *next_clause;
	int			dim;

	for (clause = copy; clause != NULL; clause = next_clause)
	{
		char	   *colon;
		char	   *item;
		char	   *next_item;
		char	   *name;
		char	   *end;

		next_clause = strchr(clause, ';');
		if (next_clause)
			*next_clause++ = '\0';
		colon = strchr(clause, ':');
		if (colon == NULL)
			breaks_syntax_error(input, "Every clause must start with a dimension and a colon, e.g. \"R:\".");
		*colon = '\0';
		name = skip_spaces(clause);
		end = name + strlen(name);
		while (end > name && isspace((unsigned char) end[-1]))
			*--end = '\0';
		dim = dimension_of(input, name);
		if (seen[dim])
			breaks_syntax_error(input, psprintf("Dimension %c is given twice.", dim_letter[dim]));
		seen[dim] = true;

		for (item = colon + 1; item != NULL; item = next_item)
		{
			int			n = b->cuts[dim];
			int			dscale;

			next_item = strchr(item, ',');
			if (next_item)
				*next_item++ = '\0';
			if (n == RFM_MAX_CUTS)
				breaks_syntax_error(input, psprintf("Dimension %c has more than %d thresholds (at most %d bins).",
													dim_letter[dim], RFM_MAX_CUTS, RFM_MAX_BINS));
			parse_threshold(input, dim, item, &b->cut[dim][n], &scales[dim][n], &dscale);
			if (dim == RFM_DIM_MONETARY)
			{
				b->money_scale = Max(b->money_scale, scales[dim][n]);
				b->money_dscale = Max(b->money_dscale, dscale);
			}
			else if (dim == RFM_DIM_RECENCY)
				b->recency_scale = Max(b->recency_scale, scales[dim][n]);
			b->cuts[dim] = n + 1;
		}
	}
	for (dim = 0; dim < RFM_DIMS; dim++)
		if (!seen[dim])
			breaks_syntax_error(input, psprintf("Dimension %c is missing.", dim_letter[dim]));
	normalize_scale(input, b, RFM_DIM_MONETARY, scales[RFM_DIM_MONETARY]);
	normalize_scale(input, b, RFM_DIM_RECENCY, scales[RFM_DIM_RECENCY]);

	for (dim = 0; dim < RFM_DIMS; dim++)
	{
		int			i;

		for (i = 1; i < b->cuts[dim]; i++)
			if (compare_cuts(b, dim, i) > 0)
				breaks_syntax_error(input, psprintf("The thresholds of dimension %c are not in ascending order.",
													dim_letter[dim]));
	}
	PG_RETURN_POINTER(b);
}

/* ---------- binary form ---------- */

/*
 * int16 money_scale, int16 money_dscale, then per dimension a count byte and
 * each threshold as two int64 (high, low).  Since 0.2 R's count byte carries
 * the recency scale in its high four bits: whole-day breaks (all of 0.1's)
 * send the same bytes as before, and a 0.1 receiver refuses a decimal one
 * (count out of range) instead of misreading it.
 */
#define COUNT_BITS 0x0F
#define SCALE_SHIFT 4

Datum
rfm_breaks_send(PG_FUNCTION_ARGS)
{
	RfmBreaks  *b = PG_GETARG_RFM_BREAKS_P(0);
	StringInfoData buf;
	int			dim;
	int			i;

	pq_begintypsend(&buf);
	pq_sendint16(&buf, b->money_scale);
	pq_sendint16(&buf, b->money_dscale);
	for (dim = 0; dim < RFM_DIMS; dim++)
	{
		pq_sendbyte(&buf, b->cuts[dim] |
					(dim == RFM_DIM_RECENCY ? b->recency_scale << SCALE_SHIFT : 0));
		for (i = 0; i < b->cuts[dim]; i++)
		{
			pq_sendint64(&buf, (int64) (b->cut[dim][i] >> 64));
			pq_sendint64(&buf, (int64) (uint64) b->cut[dim][i]);
		}
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

static void
invalid_external(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid external rfm_breaks value"),
			 errdetail("%s", detail)));
}

/*
 * The input function keeps the smallest recency scale that holds every
 * threshold; a received value must be in that form too, so that each value
 * has one binary form (send(recv(b)) = b, and equal to what its text gives).
 */
static bool
recency_scale_is_smallest(const RfmBreaks *b)
{
	int			i;

	if (b->recency_scale == 0)
		return true;
	for (i = 0; i < b->cuts[RFM_DIM_RECENCY]; i++)
	{
		int128		t = b->cut[RFM_DIM_RECENCY][i];

		if (t != RFM_CUT_INFINITY && t != RFM_CUT_MINUS_INFINITY && t % 10 != 0)
			return true;
	}
	return false;
}

Datum
rfm_breaks_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	RfmBreaks  *b = palloc0(sizeof(RfmBreaks));
	int			dim;
	int			i;

	b->money_scale = (int16) pq_getmsgint(buf, 2);
	b->money_dscale = (int16) pq_getmsgint(buf, 2);
	if (b->money_scale < 0 || b->money_scale > RFM_MAX_SCALE || b->money_dscale < 0 ||
		b->money_dscale > RFM_MAX_DSCALE)
		invalid_external("The monetary scale is out of range.");
	for (dim = 0; dim < RFM_DIMS; dim++)
	{
		int			count_byte = pq_getmsgbyte(buf);

		b->cuts[dim] = count_byte & COUNT_BITS;
		if (dim == RFM_DIM_RECENCY)
			b->recency_scale = count_byte >> SCALE_SHIFT;
		else if (count_byte > COUNT_BITS)
			invalid_external("Only recency thresholds have a scale.");
		if (b->cuts[dim] < 1 || b->cuts[dim] > RFM_MAX_CUTS)
			invalid_external("A dimension must have 1 to 8 thresholds.");
		for (i = 0; i < b->cuts[dim]; i++)
		{
			int64		high = pq_getmsgint64(buf);
			uint64		low = (uint64) pq_getmsgint64(buf);

			b->cut[dim][i] = (int128) (((uint128) (uint64) high << 64) | low);
			if (i > 0 && compare_cuts(b, dim, i) > 0)
				invalid_external("Thresholds must be in ascending order.");
			if (b->cut[dim][i] == RFM_CUT_INFINITY || b->cut[dim][i] == RFM_CUT_MINUS_INFINITY)
				continue;
			if (dim == RFM_DIM_FREQUENCY &&
				(b->cut[dim][i] < PG_INT64_MIN || b->cut[dim][i] > PG_INT64_MAX))
				invalid_external("Frequency thresholds must fit a bigint.");
			if (dim == RFM_DIM_RECENCY &&
				(b->cut[dim][i] / rfm_pow10[b->recency_scale] < PG_INT64_MIN ||
				 b->cut[dim][i] / rfm_pow10[b->recency_scale] > PG_INT64_MAX ||
				 !rfm_money_in_range(b->cut[dim][i])))
				invalid_external("Recency thresholds must be within the range of bigint days.");
			if (dim == RFM_DIM_MONETARY && !rfm_money_in_range(b->cut[dim][i]))
				invalid_external("Monetary thresholds have at most 38 digits.");
		}
	}
	if (!recency_scale_is_smallest(b))
		invalid_external("The recency scale must be the smallest that holds every recency threshold.");
	PG_RETURN_POINTER(b);
}
