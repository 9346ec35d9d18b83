/*
 * breaks.h: rfm_breaks, the cut points of the three dimensions.
 *
 * Each dimension has bins - 1 thresholds, ascending.  Frequency and
 * monetary score 1 + #{i : x >= t_i}; recency, in days, scores
 * bins - #{i : days >= t_i} (an order on day t_i or later costs a point).
 * Cut points taken from a partition are the smallest values that reach each
 * score; a score no summary reaches has the threshold +infinity (recency:
 * -infinity), so scoring against them reproduces the window function.
 *
 * Recency thresholds may be decimals (297.4 days: whole days >= 297.4 means
 * >= 298), kept exactly as value / 10^recency_scale.  recency_scale sits in
 * the byte 0.1 kept reserved and always 0, so every rfm_breaks 0.1 stored
 * reads the same: whole days, scale 0.
 */
#ifndef RFM_BREAKS_H
#define RFM_BREAKS_H

#include "postgres.h"

#include "score.h"
#include "summary.h"

#define RFM_MAX_CUTS (RFM_MAX_BINS - 1)
/* the binary form carries it in four bits */
#define RFM_MAX_RECENCY_SCALE 15
#define RFM_CUT_INFINITY	((int128) (~(uint128) 0 >> 1))
#define RFM_CUT_MINUS_INFINITY	(-RFM_CUT_INFINITY - 1)

typedef struct RfmBreaks
{
	uint8		cuts[RFM_DIMS];	/* thresholds per dimension: bins - 1 */
	uint8		recency_scale;	/* recency thresholds are value / 10^scale (0.1: always 0) */
	int16		money_scale;	/* monetary thresholds are value / 10^scale */
	int16		money_dscale;	/* digits shown after the point */
	int128		cut[RFM_DIMS][RFM_MAX_CUTS];	/* unused slots are 0 */
} RfmBreaks;

#define RFM_BREAKS_SIZE 392

#define DatumGetRfmBreaksP(d)	((RfmBreaks *) DatumGetPointer(d))
#define PG_GETARG_RFM_BREAKS_P(n)	DatumGetRfmBreaksP(PG_GETARG_DATUM(n))

extern void rfm_cut_points(const int128 *sorted, int64 n, int bins, int128 *cuts);
extern RfmScore rfm_score_against(const RfmSummary *s, const RfmBreaks *b);
extern int	rfm_breaks_scale(const RfmBreaks *b, int dim);

#endif							/* RFM_BREAKS_H */
