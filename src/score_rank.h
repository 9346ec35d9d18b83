/*
 * score_rank.h: the quantile scores of a whole set of summaries, the way
 * rfm_score(summary) OVER (...) defines them; shared by the window function
 * (score_window.c) and the "RFM WindowAgg" node (fast_score_exec.c), so the
 * two cannot disagree.
 *
 * Every summary is added once, in row order (NULL for a NULL one); then the
 * ranking is finished; then each row's score is looked up by its number.
 */
#ifndef RFM_SCORE_RANK_H
#define RFM_SCORE_RANK_H

#include "postgres.h"

#include "score.h"
#include "summary.h"

typedef struct RfmScoreRanking
{
	bool		lapsed_apart;	/* 0.2: lapsed summaries score 111, not counted */
	int64		rows;			/* summaries added, NULL ones included */
	int64		capacity;		/* rows the arrays below have room for */
	int64		ranked;			/* N: summaries that are ranked */
	int64	   *slot;			/* per row: its place among the ranked, or < 0 */
	/* the keys, while adding (bigger is better; recency: fewer days) */
	int64	   *fewer_days;
	int64	   *frequency;
	int128	   *money;
	int16	   *scales;
	/* once finished: L per ranked summary, one array a dimension */
	int64	   *worse[RFM_DIMS];
} RfmScoreRanking;

/*
 * Arrays are allocated, and grown, in the memory context current at
 * rfm_ranking_init; expected_rows is a first size, not a limit.
 */
extern void rfm_ranking_init(RfmScoreRanking *ranking, bool lapsed_apart, int64 expected_rows);
extern void rfm_ranking_add(RfmScoreRanking *ranking, const RfmSummary *summary);
extern void rfm_ranking_finish(RfmScoreRanking *ranking);

/* The most the ranking allocates at once, in bytes (an upper bound). */
extern Size rfm_ranking_peak_bytes(const RfmScoreRanking *ranking);

/* Row row's score with bins bins; false when it is NULL (a NULL or empty summary). */
extern bool rfm_ranking_score(const RfmScoreRanking *ranking, int64 row, int bins,
							  RfmScore *score);

#endif							/* RFM_SCORE_RANK_H */
