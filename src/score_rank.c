/*
 * score_rank.c: the quantile scores of a whole set of summaries.
 *
 * For N ranked summaries and k bins, each dimension scores
 *     1 + floor(k * L / N),  L = ranked summaries strictly worse.
 * Since 0.2 (lapsed_apart) lapsed summaries, with no order in the period,
 * are not counted in N or L and score 111: otherwise they fill the bottom of
 * F and M and push every recent one-time buyer up.
 *
 * floor(k * L / N) >= d  exactly when  L >= m = ceil(d * N / k), and L >= m
 * exactly when the key is strictly above the m-th smallest key.  So the
 * scores need, per dimension, only the keys at positions ceil(d * N / k) - 1
 * of the sorted keys (the cut points, at most 36 for k = 2..9), not a rank
 * per row: the ranking keeps no per-row state once finished, and a summary
 * is scored from its own keys.
 *
 * The keys (34 bytes a summary) are sorted in memory, in linear time by
 * rank.c, while they and the sort's working arrays (32 more) fit in the
 * budget (work_mem); past it they go to three PostgreSQL tuplesorts, which
 * share what the arrays leave of the budget and spill to temporary files:
 * same cut points, so the same scores.  The money sort compares int8 at
 * one scale while every total is one (amounts of one column mostly are),
 * and scale-free 32-byte keys otherwise (a bytea comparison costs some
 * three times an int8's, and the money sort was most of the ranking past
 * work_mem).  Recency and frequency take few distinct values however many
 * the customers (days, order counts): their keys are counted instead, in a
 * sort's share of the budget, and sorted only if they outgrow it.  Outside
 * the budget: rank.c's radix counts (512 kB while sorting) and the cut
 * points (4 kB).
 */
#include "postgres.h"
#include "compat.h"

#include "catalog/pg_operator.h"
#include "catalog/pg_type.h"
#include "miscadmin.h"
#include "utils/memutils.h"
#include "utils/tuplesort.h"

#include "key_count.h"
#include "money.h"
#include "rank.h"
#include "score_rank.h"

/* keys of one summary, and rank.c's working arrays while sorting them */
#define KEY_BYTES	(2 * sizeof(int64) + sizeof(int128) + sizeof(int16))
#define SORT_BYTES	32
#define ROW_BYTES	(KEY_BYTES + SORT_BYTES)

#define FIRST_CAPACITY 1024

/* a money key as bytea: memcmp order is the order of the values */
#define MONEY_KEY_BYTES 32

static void *
huge_array(int64 n, Size size)
{
	return palloc_extended(Max(n, 1) * size, MCXT_ALLOC_HUGE);
}

static int64
capacity_limit(const RfmScoreRanking *ranking)
{
	return Max((int64) (ranking->budget / ROW_BYTES), 1);
}

void
rfm_ranking_init(RfmScoreRanking *ranking, bool lapsed_apart, int64 expected_rows, int budget_kb)
{
	memset(ranking, 0, sizeof(*ranking));
	ranking->lapsed_apart = lapsed_apart;
	ranking->budget = (Size) budget_kb * 1024;
	ranking->capacity = Min(Max(expected_rows, FIRST_CAPACITY), capacity_limit(ranking));
	ranking->fewer_days = huge_array(ranking->capacity, sizeof(int64));
	ranking->frequency = huge_array(ranking->capacity, sizeof(int64));
	ranking->money = huge_array(ranking->capacity, sizeof(int128));
	ranking->scales = huge_array(ranking->capacity, sizeof(int16));
}

/* ---------------------------------------------------------------- keys */

static RfmMoneyKey
money_key(int128 money, int scale)
{
	int128		unit = rfm_pow10[scale];
	RfmMoneyKey key;
	int128		rest;

	key.whole = money / unit;
	rest = money % unit;
	if (rest < 0)
	{
		key.whole -= 1;
		rest += unit;
	}
	key.part = rest * rfm_pow10[RFM_MAX_SCALE - scale];
	return key;
}

static inline int
money_key_cmp(const RfmMoneyKey *a, const RfmMoneyKey *b)
{
	if (a->whole != b->whole)
		return a->whole < b->whole ? -1 : 1;
	if (a->part != b->part)
		return a->part < b->part ? -1 : 1;
	return 0;
}

static void
put_be128(unsigned char *out, uint128 v)
{
	int			i;

	for (i = 15; i >= 0; i--)
	{
		out[i] = (unsigned char) (v & 0xff);
		v >>= 8;
	}
}

static uint128
get_be128(const unsigned char *in)
{
	uint128		v = 0;
	int			i;

	for (i = 0; i < 16; i++)
		v = (v << 8) | in[i];
	return v;
}

/* The sign bit flipped, so that unsigned byte order is signed order. */
#define SIGN128 ((uint128) 1 << 127)

static void
encode_money_key(const RfmMoneyKey *key, bytea *out)
{
	unsigned char *p = (unsigned char *) VARDATA(out);

	SET_VARSIZE(out, VARHDRSZ + MONEY_KEY_BYTES);
	put_be128(p, (uint128) key->whole ^ SIGN128);
	put_be128(p + 16, (uint128) key->part);
}

static RfmMoneyKey
decode_money_key(const bytea *in)
{
	const unsigned char *p = (const unsigned char *) VARDATA_ANY(in);
	RfmMoneyKey key;

	if (VARSIZE_ANY_EXHDR(in) != MONEY_KEY_BYTES)
		elog(ERROR, "rfm ranking: a sorted money key of %d bytes",
			 (int) VARSIZE_ANY_EXHDR(in));
	key.whole = (int128) (get_be128(p) ^ SIGN128);
	key.part = (int128) get_be128(p + 16);
	return key;
}

static int64
fewer_days_key(const RfmSummary *s)
{
	return -rfm_whole_days(s->last_order, s->as_of);
}

/* ------------------------------------------------------------ external */

/* A total at scale as an int8 at at_scale, if it is one exactly. */
static inline bool
money_as_int8(int128 money, int scale, int at_scale, int64 *out)
{
	int128		scaled;

	if (scale > at_scale ||
		__builtin_mul_overflow(money, rfm_pow10[at_scale - scale], &scaled) ||
		scaled < PG_INT64_MIN || scaled > PG_INT64_MAX)
		return false;
	*out = (int64) scaled;
	return true;
}

static struct Tuplesortstate *
begin_int8_sort(int sort_kb)
{
	return tuplesort_begin_datum(INT8OID, Int8LessOperator, InvalidOid, false,
								 sort_kb, NULL, TUPLESORT_NONE);
}

static struct Tuplesortstate *
begin_money_key_sort(int sort_kb)
{
	return tuplesort_begin_datum(BYTEAOID, ByteaLessOperator, InvalidOid, false,
								 sort_kb, NULL, TUPLESORT_NONE);
}

/*
 * The sorts share what the budget has left beside the arrays being moved
 * into them (about half of it: the arrays are freed only once moved, and
 * the two together must fit); tuplesort accepts no less than 64 kB.  Money
 * is sorted as int8 at the largest scale of the totals held, if each of
 * them is one there.
 */
static void
begin_sorts(RfmScoreRanking *ranking)
{
	Size		held = (Size) ranking->capacity * KEY_BYTES;
	Size		left = ranking->budget > held ? ranking->budget - held : 0;
	int64		unused;
	int64		i;

	ranking->sort_kb = Max((int) (left / 1024 / RFM_DIMS), 64);
	ranking->money_int8_scale = ranking->max_scale;
	for (i = 0; i < ranking->ranked; i++)
		if (!money_as_int8(ranking->money[i], ranking->scales[i], ranking->max_scale, &unused))
		{
			ranking->money_int8_scale = -1;
			break;
		}
	ranking->key_counts[RFM_DIM_RECENCY] = palloc(sizeof(RfmKeyCount));
	rfm_key_count_init(ranking->key_counts[RFM_DIM_RECENCY], (Size) ranking->sort_kb * 1024);
	ranking->key_counts[RFM_DIM_FREQUENCY] = palloc(sizeof(RfmKeyCount));
	rfm_key_count_init(ranking->key_counts[RFM_DIM_FREQUENCY], (Size) ranking->sort_kb * 1024);
	ranking->sorts[RFM_DIM_MONETARY] = ranking->money_int8_scale >= 0
		? begin_int8_sort(ranking->sort_kb) : begin_money_key_sort(ranking->sort_kb);
	ranking->external = true;
}

static void
put_money_key(RfmScoreRanking *ranking, int128 money, int scale)
{
	union
	{
		bytea		header;
		char		data[VARHDRSZ + MONEY_KEY_BYTES];
	}			buf;
	RfmMoneyKey key = money_key(money, scale);

	encode_money_key(&key, &buf.header);
	tuplesort_putdatum(ranking->sorts[RFM_DIM_MONETARY], PointerGetDatum(&buf.header), false);
}

/*
 * A total that is no int8 at the money sort's scale: the totals sorted so
 * far move into a sort of scale-free keys, which takes every total.  For
 * that while, the two sorts hold up to twice a sort's share of the budget.
 */
static void
money_to_key_sort(RfmScoreRanking *ranking)
{
	struct Tuplesortstate *int8_sort = ranking->sorts[RFM_DIM_MONETARY];
	int			scale = ranking->money_int8_scale;
	TuplesortInstrumentation stats;
	Datum		value;
	bool		isnull;
	int64		i;

	elog(DEBUG1, "rfm ranking: a total is no int8 at scale %d; the money sort moves to scale-free keys after %lld totals",
		 scale, (long long) (ranking->ranked - 1));
	ranking->sorts[RFM_DIM_MONETARY] = begin_money_key_sort(ranking->sort_kb);
	ranking->money_int8_scale = -1;
	tuplesort_performsort(int8_sort);
	for (i = 0; RFM_TUPLESORT_GETDATUM(int8_sort, &value, &isnull); i++)
	{
		if ((i & 65535) == 0)
			CHECK_FOR_INTERRUPTS();
		put_money_key(ranking, DatumGetInt64(value), scale);
	}
	tuplesort_get_stats(int8_sort, &stats);
	ranking->sort_space_kb += stats.spaceUsed;
	if (stats.spaceType == SORT_SPACE_TYPE_DISK)
		ranking->sort_on_disk = true;
	tuplesort_end(int8_sort);
}

/*
 * A dimension whose distinct keys outgrew their count's share of the
 * budget: the keys counted so far go to a sort, as often as each occurred.
 */
static void
counts_to_sort(RfmScoreRanking *ranking, int dim)
{
	RfmKeyCount *kc = ranking->key_counts[dim];
	uint64		b;
	int64		i;

	elog(DEBUG1, "rfm ranking: more than %lld distinct keys in a dimension; they are sorted",
		 (long long) kc->distinct);
	ranking->sorts[dim] = begin_int8_sort(ranking->sort_kb);
	for (b = 0; b <= kc->mask; b++)
	{
		if ((b & 65535) == 0)
			CHECK_FOR_INTERRUPTS();
		for (i = 0; i < kc->slots[b].count; i++)
			tuplesort_putdatum(ranking->sorts[dim], Int64GetDatum(kc->slots[b].key), false);
	}
	rfm_key_count_free(kc);
	pfree(kc);
	ranking->key_counts[dim] = NULL;
}

static inline void
put_int8_key(RfmScoreRanking *ranking, int dim, int64 key)
{
	if (ranking->key_counts[dim] != NULL)
	{
		if (rfm_key_count_add(ranking->key_counts[dim], key, 1))
			return;
		counts_to_sort(ranking, dim);
	}
	tuplesort_putdatum(ranking->sorts[dim], Int64GetDatum(key), false);
}

static void
put_sorted(RfmScoreRanking *ranking, int64 fewer_days, int64 frequency, int128 money, int scale)
{
	int64		money8 = 0;

	put_int8_key(ranking, RFM_DIM_RECENCY, fewer_days);
	put_int8_key(ranking, RFM_DIM_FREQUENCY, frequency);
	if (ranking->money_int8_scale >= 0 &&
		!money_as_int8(money, scale, ranking->money_int8_scale, &money8))
		money_to_key_sort(ranking);
	if (ranking->money_int8_scale >= 0)
		tuplesort_putdatum(ranking->sorts[RFM_DIM_MONETARY], Int64GetDatum(money8), false);
	else
		put_money_key(ranking, money, scale);
}

/* The keys held so far move to the sorts; the arrays are freed. */
static void
go_external(RfmScoreRanking *ranking)
{
	int64		i;

	begin_sorts(ranking);
	for (i = 0; i < ranking->ranked; i++)
	{
		if ((i & 65535) == 0)
			CHECK_FOR_INTERRUPTS();
		put_sorted(ranking, ranking->fewer_days[i], ranking->frequency[i],
				   ranking->money[i], ranking->scales[i]);
	}
	pfree(ranking->fewer_days);
	pfree(ranking->frequency);
	pfree(ranking->money);
	pfree(ranking->scales);
	ranking->fewer_days = ranking->frequency = NULL;
	ranking->money = NULL;
	ranking->scales = NULL;
	ranking->capacity = 0;
}

/* ---------------------------------------------------------------- adding */

static void
make_room(RfmScoreRanking *ranking)
{
	int64		capacity = Min(ranking->capacity * 2, capacity_limit(ranking));

	if (capacity <= ranking->capacity)
	{
		go_external(ranking);
		return;
	}
	ranking->fewer_days = repalloc_huge(ranking->fewer_days, capacity * sizeof(int64));
	ranking->frequency = repalloc_huge(ranking->frequency, capacity * sizeof(int64));
	ranking->money = repalloc_huge(ranking->money, capacity * sizeof(int128));
	ranking->scales = repalloc_huge(ranking->scales, capacity * sizeof(int16));
	ranking->capacity = capacity;
}

void
rfm_ranking_add(RfmScoreRanking *ranking, const RfmSummary *s)
{
	int64		n;

	if (s == NULL || rfm_summary_is_empty(s))
		return;
	if (ranking->lapsed_apart && rfm_summary_is_lapsed(s))
		return;
	if (!ranking->external && ranking->ranked == ranking->capacity)
		make_room(ranking);
	n = ranking->ranked++;
	if (n == 0 || s->scale < ranking->min_scale)
		ranking->min_scale = s->scale;
	if (n == 0 || s->scale > ranking->max_scale)
		ranking->max_scale = s->scale;
	if (ranking->external)
	{
		put_sorted(ranking, fewer_days_key(s), s->frequency, s->money, s->scale);
		return;
	}
	ranking->fewer_days[n] = fewer_days_key(s);
	ranking->frequency[n] = s->frequency;
	ranking->money[n] = s->money;
	ranking->scales[n] = s->scale;
}

/* ------------------------------------------------------------- finishing */

/* Position ceil(d * N / k) - 1 (N > 0, so never below 0). */
static int64
cut_position(int64 n, int bins, int d)
{
	return ((int128) d * n + bins - 1) / bins - 1;
}

/*
 * Money keys compare at the set's largest scale, as plain integers; false
 * (nothing rescaled) when a total does not fit at that scale: the sorts,
 * which compare scale-free keys, rank them then.
 */
static bool
align_money(int128 *money, const int16 *scales, int64 n, int *max_scale)
{
	int128		scaled;
	int64		i;

	*max_scale = 0;
	for (i = 0; i < n; i++)
		*max_scale = Max(*max_scale, scales[i]);
	for (i = 0; i < n; i++)
		if (__builtin_mul_overflow(money[i], rfm_pow10[*max_scale - scales[i]], &scaled))
			return false;
	for (i = 0; i < n; i++)
		money[i] *= rfm_pow10[*max_scale - scales[i]];
	return true;
}

static void
finish_in_memory(RfmScoreRanking *ranking, int max_scale)
{
	RfmCutPoints *cuts = ranking->cuts;
	int64		n = ranking->ranked;
	int			k;
	int			d;

	rfm_sort64(ranking->fewer_days, n);
	rfm_sort64(ranking->frequency, n);
	rfm_sort128(ranking->money, n);
	for (k = RFM_MIN_BINS; k <= RFM_MAX_BINS; k++)
		for (d = 1; d < k; d++)
		{
			int64		at = cut_position(n, k, d);

			cuts->fewer_days[k][d] = ranking->fewer_days[at];
			cuts->frequency[k][d] = ranking->frequency[at];
			cuts->money[k][d] = money_key(ranking->money[at], max_scale);
		}
}

/* A cut point to read: its position in the sorted keys, for k bins, d-th. */
typedef struct CutTarget
{
	int64		at;
	int			bins;
	int			d;
} CutTarget;

static int
compare_targets(const void *a, const void *b)
{
	int64		x = ((const CutTarget *) a)->at;
	int64		y = ((const CutTarget *) b)->at;

	return x < y ? -1 : x > y ? 1 : 0;
}

/* Every cut position of k = 2..9, ascending; returns how many. */
static int
cut_targets(int64 n, CutTarget *targets)
{
	int			count = 0;
	int			k;
	int			d;

	for (k = RFM_MIN_BINS; k <= RFM_MAX_BINS; k++)
		for (d = 1; d < k; d++)
		{
			targets[count].at = cut_position(n, k, d);
			targets[count].bins = k;
			targets[count].d = d;
			count++;
		}
	qsort(targets, count, sizeof(CutTarget), compare_targets);
	return count;
}

#define MAX_TARGETS (RFM_MAX_BINS * (RFM_MAX_BINS - 1) / 2)

static void
keep_cut(RfmScoreRanking *ranking, int dim, const CutTarget *t, Datum value)
{
	RfmCutPoints *cuts = ranking->cuts;

	if (dim == RFM_DIM_RECENCY)
		cuts->fewer_days[t->bins][t->d] = DatumGetInt64(value);
	else if (dim == RFM_DIM_FREQUENCY)
		cuts->frequency[t->bins][t->d] = DatumGetInt64(value);
	else if (ranking->money_int8_scale >= 0)
		cuts->money[t->bins][t->d] = money_key(DatumGetInt64(value), ranking->money_int8_scale);
	else
		cuts->money[t->bins][t->d] = decode_money_key(DatumGetByteaPP(value));
}

/* The cut points of a counted dimension. */
static void
read_counted_cuts(RfmScoreRanking *ranking, int dim)
{
	CutTarget	targets[MAX_TARGETS];
	int64		at[MAX_TARGETS];
	int64		keys[MAX_TARGETS];
	int			count = cut_targets(ranking->ranked, targets);
	int			i;

	for (i = 0; i < count; i++)
		at[i] = targets[i].at;
	rfm_key_count_at(ranking->key_counts[dim], at, count, keys);
	for (i = 0; i < count; i++)
		keep_cut(ranking, dim, &targets[i], Int64GetDatum(keys[i]));
}

/* Reads one sorted dimension up to its last cut position, keeping the cut points. */
static void
read_cuts(RfmScoreRanking *ranking, int dim, MemoryContext scratch)
{
	Tuplesortstate *sort = ranking->sorts[dim];
	CutTarget	targets[MAX_TARGETS];
	int			count = cut_targets(ranking->ranked, targets);
	int			next = 0;
	int64		i;

	if (ranking->key_counts[dim] != NULL)
	{
		read_counted_cuts(ranking, dim);
		return;
	}
	tuplesort_performsort(sort);
	for (i = 0; next < count; i++)
	{
		MemoryContext old;
		Datum		value;
		bool		isnull;
		bool		found;

		if ((i & 1023) == 0)
		{
			CHECK_FOR_INTERRUPTS();
			MemoryContextReset(scratch);
		}
		old = MemoryContextSwitchTo(scratch);
		found = RFM_TUPLESORT_GETDATUM(sort, &value, &isnull);
		MemoryContextSwitchTo(old);
		if (!found || isnull)
			elog(ERROR, "rfm ranking: %lld keys sorted, key %lld missing",
				 (long long) ranking->ranked, (long long) i);
		for (; next < count && targets[next].at == i; next++)
			keep_cut(ranking, dim, &targets[next], value);
	}
}

static void
end_sorts(RfmScoreRanking *ranking, bool keep_stats)
{
	int			dim;

	for (dim = 0; dim < RFM_DIMS; dim++)
	{
		TuplesortInstrumentation stats;

		if (ranking->key_counts[dim] != NULL)
		{
			rfm_key_count_free(ranking->key_counts[dim]);
			pfree(ranking->key_counts[dim]);
			ranking->key_counts[dim] = NULL;
		}
		if (ranking->sorts[dim] == NULL)
			continue;
		if (keep_stats)
		{
			tuplesort_get_stats(ranking->sorts[dim], &stats);
			ranking->sort_space_kb += stats.spaceUsed;
			if (stats.spaceType == SORT_SPACE_TYPE_DISK)
				ranking->sort_on_disk = true;
		}
		tuplesort_end(ranking->sorts[dim]);
		ranking->sorts[dim] = NULL;
	}
}

static void
finish_external(RfmScoreRanking *ranking)
{
	MemoryContext scratch = AllocSetContextCreate(CurrentMemoryContext, "rfm ranking keys",
												  ALLOCSET_SMALL_SIZES);
	int			dim;

	for (dim = 0; dim < RFM_DIMS; dim++)
		read_cuts(ranking, dim, scratch);
	end_sorts(ranking, true);
	MemoryContextDelete(scratch);
}

/*
 * Most sets have one scale (one currency, one column): their rows are then
 * scored by comparing plain integers, without making a key of each.
 */
static void
keep_cuts_at_one_scale(RfmScoreRanking *ranking)
{
	RfmCutPoints *cuts = ranking->cuts;
	int			scale = ranking->min_scale;
	int			k;
	int			d;

	cuts->one_scale = -1;
	if (ranking->ranked == 0 || ranking->min_scale != ranking->max_scale)
		return;
	cuts->one_scale = scale;
	for (k = RFM_MIN_BINS; k <= RFM_MAX_BINS; k++)
		for (d = 1; d < k; d++)
			cuts->money_at_scale[k][d] = cuts->money[k][d].whole * rfm_pow10[scale] +
				cuts->money[k][d].part / rfm_pow10[RFM_MAX_SCALE - scale];
}

void
rfm_ranking_finish(RfmScoreRanking *ranking)
{
	int			max_scale = 0;

	CHECK_FOR_INTERRUPTS();
	ranking->cuts = palloc0(sizeof(RfmCutPoints));
	ranking->cuts->one_scale = -1;
	if (ranking->ranked == 0)
	{
		if (ranking->external)
			end_sorts(ranking, true);
		return;
	}
	if (!ranking->external)
	{
		ranking->peak_bytes = ranking->capacity * KEY_BYTES + ranking->ranked * SORT_BYTES;
		if (align_money(ranking->money, ranking->scales, ranking->ranked, &max_scale))
			finish_in_memory(ranking, max_scale);
		else
		{
			go_external(ranking);
			finish_external(ranking);
		}
	}
	else
		finish_external(ranking);
	keep_cuts_at_one_scale(ranking);
	if (ranking->fewer_days)
	{
		pfree(ranking->fewer_days);
		pfree(ranking->frequency);
		pfree(ranking->money);
		pfree(ranking->scales);
		ranking->fewer_days = ranking->frequency = NULL;
		ranking->money = NULL;
		ranking->scales = NULL;
	}
}

void
rfm_ranking_discard(RfmScoreRanking *ranking)
{
	end_sorts(ranking, false);
}

/* --------------------------------------------------------------- scoring */

bool
rfm_ranking_score(const RfmScoreRanking *ranking, const RfmSummary *s, int bins, RfmScore *score)
{
	const RfmCutPoints *cuts = ranking->cuts;
	int64		fewer_days;
	RfmMoneyKey money;
	int			digit[RFM_DIMS] = {1, 1, 1};
	int			d;

	if (s == NULL || rfm_summary_is_empty(s))
		return false;
	if (ranking->lapsed_apart && rfm_summary_is_lapsed(s))
	{
		*score = RFM_SCORE_LAPSED;
		return true;
	}
	fewer_days = fewer_days_key(s);
	for (d = 1; d < bins; d++)
	{
		digit[RFM_DIM_RECENCY] += fewer_days > cuts->fewer_days[bins][d];
		digit[RFM_DIM_FREQUENCY] += s->frequency > cuts->frequency[bins][d];
	}
	if (s->scale == cuts->one_scale)
	{
		for (d = 1; d < bins; d++)
			digit[RFM_DIM_MONETARY] += s->money > cuts->money_at_scale[bins][d];
	}
	else
	{
		money = money_key(s->money, s->scale);
		for (d = 1; d < bins; d++)
			digit[RFM_DIM_MONETARY] += money_key_cmp(&money, &cuts->money[bins][d]) > 0;
	}
	*score = rfm_score_compose(digit[RFM_DIM_RECENCY], digit[RFM_DIM_FREQUENCY],
							   digit[RFM_DIM_MONETARY]);
	return true;
}
