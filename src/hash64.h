/*
 * hash64.h: the 64-bit hash of integer keys, shared by the grouping
 * engine's table (fast_group_table.h) and the ranking's key counts
 * (key_count.c).
 */
#ifndef RFM_HASH64_H
#define RFM_HASH64_H

#include "postgres.h"

/* fmix64 of MurmurHash3: a bijection, so equal hashes mean equal keys. */
static inline uint64
rfm_hash64(uint64 x)
{
	x ^= x >> 33;
	x *= UINT64CONST(0xff51afd7ed558ccd);
	x ^= x >> 33;
	x *= UINT64CONST(0xc4ceb9fe1a85ec53);
	x ^= x >> 33;
	return x;
}

#endif							/* RFM_HASH64_H */
