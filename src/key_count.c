/*
 * key_count.c: counting distinct int64 keys within a budget (key_count.h).
 *
 * Open addressing with linear probing, at most 3/4 full, doubled while the
 * budget allows the old and the new slots at once.  The positions are read
 * by sorting the distinct keys alone and summing their counts.
 */
#include "postgres.h"

#include "hash64.h"
#include "key_count.h"

#define FIRST_SLOTS 256

void
rfm_key_count_init(RfmKeyCount *kc, Size budget)
{
	kc->slots = palloc0(FIRST_SLOTS * sizeof(RfmKeyCountSlot));
	kc->mask = FIRST_SLOTS - 1;
	kc->distinct = 0;
	kc->budget = budget;
}

static RfmKeyCountSlot *
slot_of(RfmKeyCountSlot *slots, uint64 mask, int64 key)
{
	uint64		b = rfm_hash64((uint64) key) & mask;

	while (slots[b].count != 0 && slots[b].key != key)
		b = (b + 1) & mask;
	return &slots[b];
}

/* Twice the slots, if the budget holds the old and the new at once. */
static bool
grow(RfmKeyCount *kc)
{
	uint64		n = kc->mask + 1;
	RfmKeyCountSlot *old = kc->slots;
	uint64		i;

	if (3 * n * sizeof(RfmKeyCountSlot) > kc->budget)
		return false;
	kc->slots = palloc_extended(2 * n * sizeof(RfmKeyCountSlot), MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	kc->mask = 2 * n - 1;
	for (i = 0; i < n; i++)
		if (old[i].count != 0)
			*slot_of(kc->slots, kc->mask, old[i].key) = old[i];
	pfree(old);
	return true;
}

bool
rfm_key_count_add(RfmKeyCount *kc, int64 key, int64 n)
{
	RfmKeyCountSlot *slot = slot_of(kc->slots, kc->mask, key);

	if (slot->count == 0)
	{
		if ((uint64) (kc->distinct + 1) > (kc->mask + 1) / 4 * 3)
		{
			if (!grow(kc))
				return false;
			slot = slot_of(kc->slots, kc->mask, key);
		}
		slot->key = key;
		kc->distinct++;
	}
	slot->count += n;
	return true;
}

static int
compare_slots(const void *a, const void *b)
{
	int64		x = ((const RfmKeyCountSlot *) a)->key;
	int64		y = ((const RfmKeyCountSlot *) b)->key;

	return x < y ? -1 : x > y ? 1 : 0;
}

void
rfm_key_count_at(const RfmKeyCount *kc, const int64 *at, int n, int64 *keys)
{
	RfmKeyCountSlot *sorted = palloc(Max(kc->distinct, 1) * sizeof(RfmKeyCountSlot));
	int64		m = 0;
	int64		below = 0;		/* keys before sorted[i] */
	int64		i = 0;
	int			j;
	uint64		b;

	for (b = 0; b <= kc->mask; b++)
		if (kc->slots[b].count != 0)
			sorted[m++] = kc->slots[b];
	qsort(sorted, m, sizeof(RfmKeyCountSlot), compare_slots);
	for (j = 0; j < n; j++)
	{
		while (i < m && below + sorted[i].count <= at[j])
			below += sorted[i++].count;
		if (i == m)
			elog(ERROR, "rfm ranking: position %lld past the %lld keys counted",
				 (long long) at[j], (long long) below);
		keys[j] = sorted[i].key;
	}
	pfree(sorted);
}

void
rfm_key_count_free(RfmKeyCount *kc)
{
	if (kc->slots != NULL)
		pfree(kc->slots);
	kc->slots = NULL;
}
