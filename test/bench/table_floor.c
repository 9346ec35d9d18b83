/*
 * table_floor.c: what the fast grouping engine's table costs by itself,
 * without PostgreSQL: no scan, no tuple, no numeric.  R order rows, their
 * customers drawn with the benchmark's skew (half the customers order once,
 * the others by a Pareto(1.2) weight capped at 300x) and shuffled as the
 * time-ordered table scatters them, are grouped into a table built like
 * src/fast_group_table.h (8-byte index buckets, 64-byte entries, rows
 * queued 64 at a time with prefetching) and, for comparison, the same
 * without prefetching and with 32-byte entries.  Prints ns per row for
 * SCALE=1 (1M rows, 100k customers) and SCALE=10 (10M rows, 1M customers).
 *
 *   cc -O2 -o /tmp/table_floor test/bench/table_floor.c && /tmp/table_floor
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct { __int128 money; int64_t key, first, last, ever, freq; int32_t scale, used; } Entry64;
typedef struct { int64_t key; int64_t last; int64_t money; int32_t freq, ever; } Entry32;
typedef struct { uint32_t tag, entry; } Slot;

static uint64_t rng = 88172645463325252ULL;
static uint64_t next(void) { rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; return rng; }
static uint64_t hash(int64_t k)
{
	uint64_t x = (uint64_t) k;
	x ^= x >> 33; x *= 0xff51afd7ed558ccdULL; x ^= x >> 33; x *= 0xc4ceb9fe1a85ec53ULL; x ^= x >> 33;
	return x;
}
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }

/* rows keys with the benchmark's skew, shuffled */
static int64_t *make_rows(int64_t rows, int64_t customers)
{
	int64_t *keys = malloc(rows * sizeof(int64_t));
	double *w = malloc(customers * sizeof(double)), total = 0;
	int64_t i, n = 0;

	for (i = 0; i < customers; i++)
	{
		double u = (next() >> 11) * (1.0 / 9007199254740992.0) + 1e-12;
		w[i] = i % 2 ? 0 : (1.0 / (u > 1.0 / 300 ? u : 1.0 / 300)) ; /* ~Pareto, capped */
		total += w[i];
	}
	for (i = 0; i < customers; i++)
	{
		int64_t k = 1 + (int64_t) ((double) (rows - customers) * w[i] / total);
		while (k-- > 0 && n < rows)
			keys[n++] = i + 1;
	}
	for (i = 1; n < rows; i++)
		keys[n++] = i;
	for (i = rows - 1; i > 0; i--)
	{
		int64_t j = next() % (i + 1), t = keys[i];
		keys[i] = keys[j]; keys[j] = t;
	}
	free(w);
	return keys;
}

#define BATCH 64
#define RUN(NAME, ENTRY, UPDATE, PREFETCH) \
static double NAME(const int64_t *keys, int64_t rows, int64_t customers) \
{ \
	uint64_t nb = 1; while (nb < (uint64_t) customers * 4 / 3 + 1) nb <<= 1; \
	Slot *slots = calloc(nb, sizeof(Slot)); ENTRY *e = calloc(customers + 1, sizeof(ENTRY)); \
	uint64_t mask = nb - 1, h[BATCH]; uint32_t count = 0; int64_t r, i; double t0 = now(); \
	for (r = 0; r < rows; r += BATCH) \
	{ \
		int64_t n = rows - r < BATCH ? rows - r : BATCH; \
		ENTRY *found[BATCH]; \
		for (i = 0; i < n; i++) { h[i] = hash(keys[r + i]); if (PREFETCH) __builtin_prefetch(&slots[h[i] & mask]); } \
		for (i = 0; i < n; i++) \
		{ \
			uint64_t b = h[i] & mask; uint32_t tag = (uint32_t) (h[i] >> 32); \
			for (;; b = (b + 1) & mask) \
			{ \
				if (slots[b].entry == 0) { slots[b].tag = tag; slots[b].entry = ++count; e[count - 1].key = keys[r + i]; found[i] = &e[count - 1]; break; } \
				if (slots[b].tag == tag && e[slots[b].entry - 1].key == keys[r + i]) { found[i] = &e[slots[b].entry - 1]; break; } \
			} \
			if (PREFETCH) __builtin_prefetch(found[i], 1); \
		} \
		for (i = 0; i < n; i++) { ENTRY *x = found[i]; UPDATE; } \
	} \
	t0 = now() - t0; free(slots); free(e); return t0 * 1e9 / rows; \
}
RUN(table64, Entry64, (x->ever++, x->freq++, x->money += r + i, x->last = x->last > r + i ? x->last : r + i), 1)
RUN(table64_no_prefetch, Entry64, (x->ever++, x->freq++, x->money += r + i, x->last = x->last > r + i ? x->last : r + i), 0)
RUN(table32, Entry32, (x->ever++, x->freq++, x->money += r + i, x->last = x->last > r + i ? x->last : r + i), 1)

int main(void)
{
	int64_t scales[2][2] = {{1000000, 100000}, {10000000, 1000000}};
	double t[2][3];
	int s, k;

	for (s = 0; s < 2; s++)
	{
		int64_t *keys = make_rows(scales[s][0], scales[s][1]);
		double best[3] = {1e9, 1e9, 1e9};
		for (k = 0; k < 5; k++)
		{
			double a = table64(keys, scales[s][0], scales[s][1]);
			double b = table64_no_prefetch(keys, scales[s][0], scales[s][1]);
			double c = table32(keys, scales[s][0], scales[s][1]);
			best[0] = a < best[0] ? a : best[0]; best[1] = b < best[1] ? b : best[1]; best[2] = c < best[2] ? c : best[2];
		}
		memcpy(t[s], best, sizeof(best));
		printf("%8lld rows %7lld customers: ns/row  64B+prefetch %.1f  64B no prefetch %.1f  32B+prefetch %.1f\n",
			   (long long) scales[s][0], (long long) scales[s][1], best[0], best[1], best[2]);
		free(keys);
	}
	printf("total time ratio SCALE=10 / SCALE=1:  64B+prefetch %.1f  64B no prefetch %.1f  32B+prefetch %.1f\n",
		   10 * t[1][0] / t[0][0], 10 * t[1][1] / t[0][1], 10 * t[1][2] / t[0][2]);
	return 0;
}
