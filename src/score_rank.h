/*
 * score_rank.h: the quantile scores of a whole set of summaries, the way
 * rfm_score(summary) OVER (...) defines them; shared by the window function
 * (score_window.c) and the "RFM WindowAgg" node (fast_score_exec.c), so the
 * two cannot disagree.
 *
 * Every summary is added once; then the ranking is finished, which keeps
 * only a few cut points per dimension; then any summary of the set is
 * scored from its own keys and those cut points.  The keys are held in
 * memory while they fit in the budget, else sorted by PostgreSQL's
 * tuplesort, which spills to temporary files: the same scores either way.
 */
#ifndef RFM_SCORE_RANK_H
#define RFM_SCORE_RANK_H

#include "postgres.h"

#include "score.h"
#include "summary.h"

/*
 * A monetary total as an exact, scale-free key: whole + part / 10^38, with
 * 0 <= part < 10^38.  Totals of different scales compare without rescaling,
 * so nothing can overflow.
 */
typedef struct RfmMoneyKey
{
	int128		whole;
	int128		part;
} RfmMoneyKey;

/*
 * For every number of bins k and every d in 1..k-1, the key at position
 * ceil(d * N / k) - 1 of the ascending keys: a summary's digit is one plus
 * the number of these it is strictly better than.
 */
typedef struct RfmCutPoints
{
	int64		fewer_days[RFM_MAX_BINS + 1][RFM_MAX_BINS];
	int64		frequency[RFM_MAX_BINS + 1][RFM_MAX_BINS];
	RfmMoneyKey money[RFM_MAX_BINS + 1][RFM_MAX_BINS];
	/* when every ranked total has one scale: the money cut points at it */
	int			one_scale;		/* that scale, or -1 */
	int128		money_at_scale[RFM_MAX_BINS + 1][RFM_MAX_BINS];
} RfmCutPoints;

struct Tuplesortstate;

typedef struct RfmScoreRanking
{
	bool		lapsed_apart;	/* 0.2: lapsed summaries score 111, not counted */
	Size		budget;			/* bytes the keys may take in memory */
	int64		ranked;			/* N: summaries that are ranked */
	int16		min_scale;		/* of the ranked monetary totals */
	int16		max_scale;
	/* the keys in memory (bigger is better; recency: fewer days) */
	int64		capacity;
	int64	   *fewer_days;
	int64	   *frequency;
	int128	   *money;
	int16	   *scales;
	/* the keys in tuplesorts, once they outgrew the budget */
	struct Tuplesortstate *sorts[RFM_DIMS];
	int			sort_kb;		/* each sort's work memory */
	/* recency's and frequency's keys counted, not sorted, while they fit (or NULL) */
	struct RfmKeyCount *key_counts[RFM_DIMS];
	int			money_int8_scale;	/* money sorted as int8 at this scale; -1: as keys */
	/* what the ranking did, for EXPLAIN ANALYZE */
	bool		external;
	Size		peak_bytes;		/* keys and sort arrays in memory, at the most */
	int64		sort_space_kb;	/* external: the sorts' space, disk or memory */
	bool		sort_on_disk;
	/* once finished */
	RfmCutPoints *cuts;
} RfmScoreRanking;

/*
 * Allocations happen in the memory context current at rfm_ranking_init;
 * expected_rows is a first size, not a limit; budget_kb bounds the keys held
 * in memory (work_mem for the callers).
 */
extern void rfm_ranking_init(RfmScoreRanking *ranking, bool lapsed_apart,
							 int64 expected_rows, int budget_kb);
extern void rfm_ranking_add(RfmScoreRanking *ranking, const RfmSummary *summary);
extern void rfm_ranking_finish(RfmScoreRanking *ranking);

/* Ends the sorts of a ranking abandoned before rfm_ranking_finish. */
extern void rfm_ranking_discard(RfmScoreRanking *ranking);

/*
 * The score of summary, one of the set ranked, with bins bins; false when it
 * is NULL (a NULL or empty summary).
 */
extern bool rfm_ranking_score(const RfmScoreRanking *ranking, const RfmSummary *summary,
							  int bins, RfmScore *score);

#endif							/* RFM_SCORE_RANK_H */
