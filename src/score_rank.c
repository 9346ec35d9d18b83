/*
 * score_rank.c: the quantile scores of a whole set of summaries.
 *
 * For N ranked summaries and k bins, each dimension scores
 *     1 + floor(k * L / N),  L = ranked summaries strictly worse.
 * Since 0.2 (lapsed_apart) lapsed summaries, with no order in the period,
 * are not counted in N or L and score 111: otherwise they fill the bottom of
 * F and M and push every recent one-time buyer up.  Keys are whole numbers,
 * ranked in linear time by rank.c.
 *
 * Memory: 32 bytes a row kept until the scores are no longer needed, and
 * about 80 more while ranking: some 110 MB at the peak for 1M customers.
 */
#include "postgres.h"
#include "compat.h"

#include "miscadmin.h"
#include "utils/memutils.h"

#include "money.h"
#include "rank.h"
#include "score_rank.h"

/* slot of a row that is not ranked */
#define SLOT_NULL	(-1)
#define SLOT_LAPSED	(-2)

#define FIRST_CAPACITY 1024

static void *
huge_array(int64 n, Size size)
{
	return palloc_extended(Max(n, 1) * size, MCXT_ALLOC_HUGE);
}

static void *
grow_array(void *array, int64 n, Size size)
{
	return repalloc_huge(array, Max(n, 1) * size);
}

void
rfm_ranking_init(RfmScoreRanking *ranking, bool lapsed_apart, int64 expected_rows)
{
	int64		capacity = Max(expected_rows, FIRST_CAPACITY);

	memset(ranking, 0, sizeof(*ranking));
	ranking->lapsed_apart = lapsed_apart;
	ranking->capacity = capacity;
	ranking->slot = huge_array(capacity, sizeof(int64));
	ranking->fewer_days = huge_array(capacity, sizeof(int64));
	ranking->frequency = huge_array(capacity, sizeof(int64));
	ranking->money = huge_array(capacity, sizeof(int128));
	ranking->scales = huge_array(capacity, sizeof(int16));
}

static void
grow(RfmScoreRanking *ranking)
{
	int64		capacity = ranking->capacity * 2;

	ranking->slot = grow_array(ranking->slot, capacity, sizeof(int64));
	ranking->fewer_days = grow_array(ranking->fewer_days, capacity, sizeof(int64));
	ranking->frequency = grow_array(ranking->frequency, capacity, sizeof(int64));
	ranking->money = grow_array(ranking->money, capacity, sizeof(int128));
	ranking->scales = grow_array(ranking->scales, capacity, sizeof(int16));
	ranking->capacity = capacity;
}

void
rfm_ranking_add(RfmScoreRanking *ranking, const RfmSummary *s)
{
	int64		row = ranking->rows++;
	int64		n;

	if (row == ranking->capacity)
		grow(ranking);
	if (s == NULL || rfm_summary_is_empty(s))
	{
		ranking->slot[row] = SLOT_NULL;
		return;
	}
	if (ranking->lapsed_apart && rfm_summary_is_lapsed(s))
	{
		ranking->slot[row] = SLOT_LAPSED;
		return;
	}
	n = ranking->ranked++;
	ranking->slot[row] = n;
	ranking->fewer_days[n] = -rfm_whole_days(s->last_order, s->as_of);
	ranking->frequency[n] = s->frequency;
	ranking->money[n] = s->money;
	ranking->scales[n] = s->scale;
}

/* Money keys compare at the set's largest scale. */
static void
align_money(int128 *money, const int16 *scales, int64 n)
{
	int			max_scale = 0;
	int64		i;

	for (i = 0; i < n; i++)
		max_scale = Max(max_scale, scales[i]);
	for (i = 0; i < n; i++)
	{
		int			shift = max_scale - scales[i];

		if (shift > 0 && __builtin_mul_overflow(money[i], rfm_pow10[shift], &money[i]))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("monetary totals of this partition are too far apart in scale to compare exactly")));
	}
}

void
rfm_ranking_finish(RfmScoreRanking *ranking)
{
	int64		n = ranking->ranked;
	int			dim;

	CHECK_FOR_INTERRUPTS();
	align_money(ranking->money, ranking->scales, n);
	for (dim = 0; dim < RFM_DIMS; dim++)
		ranking->worse[dim] = huge_array(n, sizeof(int64));
	rfm_count_worse64(ranking->fewer_days, n, ranking->worse[RFM_DIM_RECENCY]);
	rfm_count_worse64(ranking->frequency, n, ranking->worse[RFM_DIM_FREQUENCY]);
	rfm_count_worse128(ranking->money, n, ranking->worse[RFM_DIM_MONETARY]);

	pfree(ranking->fewer_days);
	pfree(ranking->frequency);
	pfree(ranking->money);
	pfree(ranking->scales);
	ranking->fewer_days = ranking->frequency = NULL;
	ranking->money = NULL;
	ranking->scales = NULL;
}

/*
 * At the peak, while the money keys are ranked: the keys and slots of every
 * row, L of every dimension, and rank.c's working arrays (at most a copy of
 * the keys and two (key, index) arrays of 16 bytes, plus 512 kB of radix
 * counts).
 */
Size
rfm_ranking_peak_bytes(const RfmScoreRanking *ranking)
{
	Size		per_row = sizeof(int64) * 3 + sizeof(int128) + sizeof(int16);
	Size		per_ranked = RFM_DIMS * sizeof(int64) + sizeof(int64) + 2 * 16;

	return (Size) ranking->capacity * per_row + (Size) ranking->ranked * per_ranked +
		(Size) 65536 * sizeof(int64);
}

bool
rfm_ranking_score(const RfmScoreRanking *ranking, int64 row, int bins, RfmScore *score)
{
	int64		slot = ranking->slot[row];
	int			digit[RFM_DIMS];
	int			dim;

	if (slot == SLOT_NULL)
		return false;
	if (slot == SLOT_LAPSED)
	{
		*score = RFM_SCORE_LAPSED;
		return true;
	}
	for (dim = 0; dim < RFM_DIMS; dim++)
		digit[dim] = 1 + (int) (bins * ranking->worse[dim][slot] / ranking->ranked);
	*score = rfm_score_compose(digit[RFM_DIM_RECENCY], digit[RFM_DIM_FREQUENCY],
							   digit[RFM_DIM_MONETARY]);
	return true;
}
