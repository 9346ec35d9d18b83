/*
 * rank.c: ranking many keys at once.
 *
 * Scores need, for every key, how many keys are strictly smaller.  Keys are
 * whole numbers (days, order counts, money in its smallest unit), so no
 * comparison sort is needed: a narrow range is counted directly, a wide one
 * is radix-sorted 16 bits at a time.  Both are linear; a qsort with a
 * comparison callback was most of the window function's time.
 */
#include "postgres.h"
#include "compat.h"

#include "utils/memutils.h"

#include "rank.h"

typedef struct KeyIndex
{
	uint64		key;			/* order-preserving image of a signed key */
	int64		index;
} KeyIndex;

#define RADIX_BITS 16
#define RADIX_SIZE (1 << RADIX_BITS)

static inline uint64
unsigned_image(int64 key)
{
	return (uint64) key ^ ((uint64) 1 << 63);
}

static void *
huge_alloc(Size size)
{
	return palloc_extended(Max(size, 1), MCXT_ALLOC_HUGE);
}

/* Ranges up to this many times the key count are counted, not sorted. */
#define COUNTING_FACTOR 4

static void
count_narrow(const int64 *keys, int64 n, int64 min, uint64 range, int64 *worse)
{
	int64	   *below = huge_alloc((range + 1) * sizeof(int64));
	int64		total = 0;
	uint64		v;
	int64		i;

	memset(below, 0, (range + 1) * sizeof(int64));
	for (i = 0; i < n; i++)
		below[(uint64) keys[i] - (uint64) min]++;
	/* below[v] becomes the number of keys smaller than min + v */
	for (v = 0; v <= range; v++)
	{
		int64		here = below[v];

		below[v] = total;
		total += here;
	}
	for (i = 0; i < n; i++)
		worse[i] = below[(uint64) keys[i] - (uint64) min];
	pfree(below);
}

/* LSD radix sort of (key, index) pairs; passes whose digit never varies are skipped. */
static KeyIndex *
radix_sort(KeyIndex *items, KeyIndex *spare, int64 n)
{
	int64	   *count = palloc(RADIX_SIZE * sizeof(int64));
	int			shift;

	for (shift = 0; shift < 64; shift += RADIX_BITS)
	{
		int64		position = 0;
		int64		i;
		int			d;
		KeyIndex   *swap;

		memset(count, 0, RADIX_SIZE * sizeof(int64));
		for (i = 0; i < n; i++)
			count[(items[i].key >> shift) & (RADIX_SIZE - 1)]++;
		if (count[(items[0].key >> shift) & (RADIX_SIZE - 1)] == n)
			continue;
		for (d = 0; d < RADIX_SIZE; d++)
		{
			int64		here = count[d];

			count[d] = position;
			position += here;
		}
		for (i = 0; i < n; i++)
			spare[count[(items[i].key >> shift) & (RADIX_SIZE - 1)]++] = items[i];
		swap = items;
		items = spare;
		spare = swap;
	}
	pfree(count);
	return items;
}

static void
count_wide(const int64 *keys, int64 n, int64 *worse)
{
	KeyIndex   *items = huge_alloc(n * sizeof(KeyIndex));
	KeyIndex   *spare = huge_alloc(n * sizeof(KeyIndex));
	KeyIndex   *sorted;
	int64		run_start = 0;
	int64		i;

	for (i = 0; i < n; i++)
	{
		items[i].key = unsigned_image(keys[i]);
		items[i].index = i;
	}
	sorted = radix_sort(items, spare, n);
	for (i = 0; i < n; i++)
	{
		if (i > 0 && sorted[i].key != sorted[i - 1].key)
			run_start = i;
		worse[sorted[i].index] = run_start;
	}
	pfree(items);
	pfree(spare);
}

void
rfm_count_worse64(const int64 *keys, int64 n, int64 *worse)
{
	int64		min;
	int64		max;
	uint64		range;
	int64		i;

	if (n == 0)
		return;
	min = max = keys[0];
	for (i = 1; i < n; i++)
	{
		min = Min(min, keys[i]);
		max = Max(max, keys[i]);
	}
	range = (uint64) max - (uint64) min;
	if (range < (uint64) Max(n, RADIX_SIZE) * COUNTING_FACTOR)
		count_narrow(keys, n, min, range, worse);
	else
		count_wide(keys, n, worse);
}

typedef struct WideKey
{
	int128		key;
	int64		index;
} WideKey;

static int
compare_wide(const void *a, const void *b)
{
	int128		x = ((const WideKey *) a)->key;
	int128		y = ((const WideKey *) b)->key;

	return x < y ? -1 : x > y ? 1 : 0;
}

static bool
fits_int64(const int128 *keys, int64 n)
{
	int64		i;

	for (i = 0; i < n; i++)
		if (keys[i] < PG_INT64_MIN || keys[i] > PG_INT64_MAX)
			return false;
	return true;
}

void
rfm_count_worse128(const int128 *keys, int64 n, int64 *worse)
{
	int64		i;

	if (fits_int64(keys, n))
	{
		int64	   *narrow = huge_alloc(n * sizeof(int64));

		for (i = 0; i < n; i++)
			narrow[i] = (int64) keys[i];
		rfm_count_worse64(narrow, n, worse);
		pfree(narrow);
	}
	else
	{
		/* totals beyond 2^63 units: rare enough for a comparison sort */
		WideKey    *items = huge_alloc(n * sizeof(WideKey));
		int64		run_start = 0;

		for (i = 0; i < n; i++)
		{
			items[i].key = keys[i];
			items[i].index = i;
		}
		qsort(items, n, sizeof(WideKey), compare_wide);
		for (i = 0; i < n; i++)
		{
			if (i > 0 && items[i].key != items[i - 1].key)
				run_start = i;
			worse[items[i].index] = run_start;
		}
		pfree(items);
	}
}

static int
compare_int128(const void *a, const void *b)
{
	int128		x = *(const int128 *) a;
	int128		y = *(const int128 *) b;

	return x < y ? -1 : x > y ? 1 : 0;
}

void
rfm_sort128(int128 *keys, int64 n)
{
	KeyIndex   *items;
	KeyIndex   *spare;
	KeyIndex   *sorted;
	int64		i;

	if (n < 2)
		return;
	if (!fits_int64(keys, n))
	{
		qsort(keys, n, sizeof(int128), compare_int128);
		return;
	}
	items = huge_alloc(n * sizeof(KeyIndex));
	spare = huge_alloc(n * sizeof(KeyIndex));
	for (i = 0; i < n; i++)
	{
		items[i].key = unsigned_image((int64) keys[i]);
		items[i].index = 0;
	}
	sorted = radix_sort(items, spare, n);
	for (i = 0; i < n; i++)
		keys[i] = (int64) (sorted[i].key ^ ((uint64) 1 << 63));
	pfree(items);
	pfree(spare);
}

/*
 * LSD radix sort of plain keys, as offsets from the smallest: a narrow range
 * (days, order counts) needs one or two passes whatever the keys' sign.
 */
void
rfm_sort64(int64 *keys, int64 n)
{
	uint64	   *items;
	uint64	   *spare;
	int64	   *count;
	int64		min;
	uint64		range = 0;
	int			shift;
	int64		i;

	if (n < 2)
		return;
	min = keys[0];
	for (i = 1; i < n; i++)
		min = Min(min, keys[i]);
	items = huge_alloc(n * sizeof(uint64));
	spare = huge_alloc(n * sizeof(uint64));
	count = palloc(RADIX_SIZE * sizeof(int64));
	for (i = 0; i < n; i++)
	{
		items[i] = (uint64) keys[i] - (uint64) min;
		range = Max(range, items[i]);
	}
	for (shift = 0; shift < 64 && (range >> shift) != 0; shift += RADIX_BITS)
	{
		int64		position = 0;
		int			d;
		uint64	   *swap;

		memset(count, 0, RADIX_SIZE * sizeof(int64));
		for (i = 0; i < n; i++)
			count[(items[i] >> shift) & (RADIX_SIZE - 1)]++;
		for (d = 0; d < RADIX_SIZE; d++)
		{
			int64		here = count[d];

			count[d] = position;
			position += here;
		}
		for (i = 0; i < n; i++)
			spare[count[(items[i] >> shift) & (RADIX_SIZE - 1)]++] = items[i];
		swap = items;
		items = spare;
		spare = swap;
	}
	for (i = 0; i < n; i++)
		keys[i] = (int64) (items[i] + (uint64) min);
	pfree(items);
	pfree(spare);
	pfree(count);
}
