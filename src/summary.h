/*
 * summary.h: the rfm_summary value, one customer's figures as of an instant.
 *
 * The same fixed-length struct is the aggregate's transition state and its
 * result, so partial states cross parallel workers and postgres_fdw as plain
 * datums with no serialization step.
 */
#ifndef RFM_SUMMARY_H
#define RFM_SUMMARY_H

#include "postgres.h"
#include "fmgr.h"
#include "datatype/timestamp.h"

#ifndef HAVE_INT128
#error "rfm needs a compiler with a 128-bit integer type"
#endif

/* What ordered_at and as_of were; decides how instants print and convert. */
typedef enum RfmTimeKind
{
	RFM_TIME_DATE = 1,
	RFM_TIME_TIMESTAMP = 2,
	RFM_TIME_TIMESTAMPTZ = 3
} RfmTimeKind;

/* flags */
#define RFM_HAS_PERIOD	0x02	/* frequency/monetary count (since, as_of] only */

typedef struct RfmSummary
{
	/*
	 * Instants in microseconds: timestamptz as UTC, timestamp as its wall
	 * clock, date as its midnight.  Subtracting two of them gives elapsed
	 * time the way PostgreSQL's own subtraction of that type does.
	 */
	int64		as_of;
	int64		since;			/* exclusive period start, if RFM_HAS_PERIOD */
	int64		first_order;	/* over all orders <= as_of */
	int64		last_order;
	int64		frequency;		/* orders in the period */
	int64		orders_ever;	/* orders <= as_of; 0 only in a transition state */
	int128		money;			/* sum of amounts in the period * 10^scale */
	int16		scale;			/* decimal digits after the point of money */
	int16		dscale;			/* display scale: the largest of the amounts' */
	uint8		kind;			/* RfmTimeKind */
	uint8		flags;
	int16		reserved;		/* always 0: keeps the struct free of padding */
} RfmSummary;

#define RFM_SUMMARY_SIZE 72

#define DatumGetRfmSummaryP(d)	((RfmSummary *) DatumGetPointer(d))
#define PG_GETARG_RFM_SUMMARY_P(n)	DatumGetRfmSummaryP(PG_GETARG_DATUM(n))
#define PG_RETURN_RFM_SUMMARY_P(p)	PG_RETURN_POINTER(p)

/* Whole days between two instants of a summary, rounded down. */
static inline int64
rfm_whole_days(int64 from, int64 to)
{
	/* instants up to 300,000 years apart: the difference needs 65 bits */
	int128		diff = (int128) to - from;

	return (int64) (diff >= 0 ? diff / USECS_PER_DAY
					: -((-diff + USECS_PER_DAY - 1) / USECS_PER_DAY));
}

/*
 * A transition state that has seen no order on or before as_of.  The
 * aggregate never returns one (its final function gives NULL), but a
 * partial state crosses between aggregation steps as a value (Citus ships
 * it as text), so it has a text and binary form; functions treat it as NULL.
 */
static inline bool
rfm_summary_is_empty(const RfmSummary *s)
{
	return s->orders_ever == 0;
}

/*
 * Lapsed: orders before the period, none in it.  Only a summary with a
 * period can be lapsed; without one, every order counts in frequency.
 */
static inline bool
rfm_summary_is_lapsed(const RfmSummary *s)
{
	return s->frequency == 0 && s->orders_ever > 0;
}

extern const char *rfm_summary_violation(const RfmSummary *s);
extern void rfm_summary_check_same_frame(const RfmSummary *a, const RfmSummary *b);

#endif							/* RFM_SUMMARY_H */
