/*
 * key_count.h: the distinct int64 keys of a set and how often each occurs,
 * within a budget: for the ranking past work_mem (score_rank.c), where
 * recency and frequency take few distinct values (days, order counts)
 * however many customers there are, so that counting them costs less than
 * sorting every key.
 */
#ifndef RFM_KEY_COUNT_H
#define RFM_KEY_COUNT_H

#include "postgres.h"

typedef struct RfmKeyCountSlot
{
	int64		key;
	int64		count;			/* 0: an empty slot */
} RfmKeyCountSlot;

typedef struct RfmKeyCount
{
	RfmKeyCountSlot *slots;
	uint64		mask;
	int64		distinct;
	Size		budget;			/* bytes the slots may take */
} RfmKeyCount;

/* Allocations in the memory context current here. */
extern void rfm_key_count_init(RfmKeyCount *kc, Size budget);

/* Counts key n more times; false, counting nothing, when a new key does not fit the budget. */
extern bool rfm_key_count_add(RfmKeyCount *kc, int64 key, int64 n);

/*
 * For each of the positions at[0..n-1] (ascending) of the keys sorted
 * ascending, the key there; every position must be below the total count.
 */
extern void rfm_key_count_at(const RfmKeyCount *kc, const int64 *at, int n, int64 *keys);

extern void rfm_key_count_free(RfmKeyCount *kc);

#endif							/* RFM_KEY_COUNT_H */
