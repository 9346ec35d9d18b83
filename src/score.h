/*
 * score.h: the rfm_score value, three digits R F M stored as R*100 + F*10 + M
 * in an int2, so the built-in int2 comparisons and hashes order it.
 */
#ifndef RFM_SCORE_H
#define RFM_SCORE_H

#include "postgres.h"

#define RFM_MIN_BINS 2
#define RFM_MAX_BINS 9

/* An error unless bins is between RFM_MIN_BINS and RFM_MAX_BINS. */
extern void rfm_check_bins(int bins);

/* The three dimensions, in the order their digits are written. */
enum
{
	RFM_DIM_RECENCY, RFM_DIM_FREQUENCY, RFM_DIM_MONETARY, RFM_DIMS
};

typedef int16 RfmScore;

#define PG_GETARG_RFM_SCORE(n)	DatumGetInt16(PG_GETARG_DATUM(n))
#define PG_RETURN_RFM_SCORE(x)	PG_RETURN_INT16(x)

static inline RfmScore
rfm_score_compose(int r, int f, int m)
{
	return (RfmScore) (r * 100 + f * 10 + m);
}

/* The score of a lapsed summary under the 0.2 rule: 1 in every dimension. */
#define RFM_SCORE_LAPSED rfm_score_compose(1, 1, 1)

static inline int
rfm_score_r(RfmScore s)
{
	return s / 100;
}

static inline int
rfm_score_f(RfmScore s)
{
	return (s / 10) % 10;
}

static inline int
rfm_score_m(RfmScore s)
{
	return s % 10;
}

#endif							/* RFM_SCORE_H */
