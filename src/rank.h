/*
 * rank.h: ranking many keys at once, for the quantile scores and cut points.
 */
#ifndef RFM_RANK_H
#define RFM_RANK_H

#include "postgres.h"

/* worse[i] = number of keys strictly smaller than keys[i]. */
extern void rfm_count_worse64(const int64 *keys, int64 n, int64 *worse);
extern void rfm_count_worse128(const int128 *keys, int64 n, int64 *worse);

/* Sort ascending in place. */
extern void rfm_sort64(int64 *keys, int64 n);
extern void rfm_sort128(int128 *keys, int64 n);

#endif							/* RFM_RANK_H */
