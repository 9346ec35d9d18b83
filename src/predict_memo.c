/*
 * predict_memo.c: a call site's memo of per-customer prediction terms.
 *
 * A customer's expected orders at a horizon cost a hypergeometric series of
 * up to a thousand terms (predict_bgnbd.c), yet the series depends on two of
 * the customer's numbers only, the orders x and the age T.  Counted in days
 * or weeks they repeat: a million customers of two years have some 45,000
 * distinct (x, T) pairs.  So a prediction function called once per customer
 * keeps the terms it summed, per (x, T), in its FmgrInfo's fn_extra for the
 * rest of the query.
 *
 * The memo is an open-addressing table of a fixed number of slots (linear
 * probing, at most 3/4 full), doubling within a hash table's budget
 * (work_mem × hash_mem_multiplier, as PostgreSQL's own hash tables); once
 * there and full it only answers, so memory never grows past it.  It is emptied when the call
 * site's identity changes (another model, other horizons): the values of a
 * key hold only for the identity they were computed for.  Keys compare by
 * their bits, as they hash.
 */
#include "postgres.h"
#include "compat.h"

#include "miscadmin.h"
#include "common/hashfn.h"
#include "utils/memutils.h"

#include "predict_memo.h"

typedef struct MemoKey
{
	uint64		key1;
	uint64		key2;
	uint32		entry;			/* 1 + its values' index in values, 0: slot free */
} MemoKey;

struct RfmMemo
{
	MemoryContext cxt;
	int			identity_length;
	double		identity[RFM_MEMO_MAX_IDENTITY];
	int			values_per_key;
	uint32		mask;			/* slots - 1 */
	uint32		max_slots;		/* within the budget */
	uint32		count;			/* entries, at most 3/4 of the slots */
	MemoKey    *keys;
	double	   *values;			/* values_per_key per entry */
};

#define MEMO_MIN_SLOTS 64
#define MEMO_MAX_SLOTS (1 << 20)

/* entries a memo of so many slots holds: 3/4 of them */
static inline uint32
entries_of(uint32 slots)
{
	return slots / 4 * 3;
}

static uint64
bits_of(double d)
{
	uint64		u;

	memcpy(&u, &d, sizeof(u));
	return u;
}

static uint32
first_slot(const RfmMemo *memo, uint64 k1, uint64 k2)
{
	return (uint32) hash_bytes_uint32_extended((uint32) (k1 ^ (k1 >> 32)), k2) & memo->mask;
}

static Size
bytes_of(uint32 slots, int values_per_key)
{
	return slots * sizeof(MemoKey) + (Size) entries_of(slots) * values_per_key * sizeof(double);
}

/*
 * The most slots (a power of two) whose keys and entries fit in a hash
 * table's budget, work_mem × hash_mem_multiplier.
 */
static uint32
slots_within_budget(int values_per_key)
{
	uint32		slots = MEMO_MIN_SLOTS;

	while (slots < MEMO_MAX_SLOTS && bytes_of(2 * slots, values_per_key) <= RFM_HASH_MEM_BYTES())
		slots <<= 1;
	return slots;
}

/*
 * A small memo: it doubles as it fills, so that a call site whose identity
 * changes from row to row (a model per segment) does not pay for a large one
 * each time.
 */
static RfmMemo *
new_memo(MemoryContext cxt, const double *identity, int identity_length, int values_per_key)
{
	RfmMemo    *memo = MemoryContextAllocZero(cxt, sizeof(RfmMemo));

	memo->cxt = cxt;
	memo->identity_length = identity_length;
	memcpy(memo->identity, identity, identity_length * sizeof(double));
	memo->values_per_key = values_per_key;
	memo->mask = MEMO_MIN_SLOTS - 1;
	memo->max_slots = slots_within_budget(values_per_key);
	memo->keys = MemoryContextAllocZero(cxt, MEMO_MIN_SLOTS * sizeof(MemoKey));
	memo->values = MemoryContextAlloc(cxt, (Size) entries_of(MEMO_MIN_SLOTS) * values_per_key *
									  sizeof(double));
	return memo;
}

/* Twice the slots, when the budget allows; whether it grew. */
static bool
grow(RfmMemo *memo)
{
	uint32		slots = memo->mask + 1;
	MemoKey    *old = memo->keys;
	uint32		i;

	if (2 * slots > memo->max_slots)
		return false;
	memo->keys = MemoryContextAllocZero(memo->cxt, 2 * slots * sizeof(MemoKey));
	memo->mask = 2 * slots - 1;
	for (i = 0; i < slots; i++)
	{
		uint32		slot;

		if (old[i].entry == 0)
			continue;
		for (slot = first_slot(memo, old[i].key1, old[i].key2); memo->keys[slot].entry != 0;
			 slot = (slot + 1) & memo->mask)
			;
		memo->keys[slot] = old[i];
	}
	pfree(old);
	memo->values = repalloc_huge(memo->values,
								 (Size) entries_of(2 * slots) * memo->values_per_key * sizeof(double));
	return true;
}

static void
free_memo(RfmMemo *memo)
{
	pfree(memo->keys);
	pfree(memo->values);
	pfree(memo);
}

static bool
same_identity(const RfmMemo *memo, const double *identity, int identity_length, int values_per_key)
{
	return memo->identity_length == identity_length &&
		memo->values_per_key == values_per_key &&
		memcmp(memo->identity, identity, identity_length * sizeof(double)) == 0;
}

/*
 * The memo of this call site for values computed under identity (the
 * model's parameters, the horizons...), values_per_key doubles a key.
 */
RfmMemo *
rfm_memo_of_call(FmgrInfo *flinfo, const double *identity, int identity_length,
				 int values_per_key)
{
	RfmMemo    *memo = (RfmMemo *) flinfo->fn_extra;

	Assert(identity_length >= 0 && identity_length <= RFM_MEMO_MAX_IDENTITY);
	if (memo != NULL && same_identity(memo, identity, identity_length, values_per_key))
		return memo;
	if (memo != NULL)
		free_memo(memo);
	memo = new_memo(flinfo->fn_mcxt, identity, identity_length, values_per_key);
	flinfo->fn_extra = memo;
	return memo;
}

/* The values of (key1, key2), or NULL when they are not in the memo. */
const double *
rfm_memo_find(const RfmMemo *memo, double key1, double key2)
{
	uint64		k1 = bits_of(key1),
				k2 = bits_of(key2);
	uint32		slot;

	for (slot = first_slot(memo, k1, k2); memo->keys[slot].entry != 0; slot = (slot + 1) & memo->mask)
		if (memo->keys[slot].key1 == k1 && memo->keys[slot].key2 == k2)
			return &memo->values[(Size) (memo->keys[slot].entry - 1) * memo->values_per_key];
	return NULL;
}

/*
 * Keeps the values of (key1, key2), not in the memo yet, unless it is full.
 * (Added once computed: an error while computing leaves no half-made entry.)
 */
void
rfm_memo_add(RfmMemo *memo, double key1, double key2, const double *values)
{
	uint64		k1 = bits_of(key1),
				k2 = bits_of(key2);
	uint32		slot;

	if (memo->count >= entries_of(memo->mask + 1) && !grow(memo))
		return;
	for (slot = first_slot(memo, k1, k2); memo->keys[slot].entry != 0; slot = (slot + 1) & memo->mask)
		Assert(memo->keys[slot].key1 != k1 || memo->keys[slot].key2 != k2);
	memo->keys[slot].key1 = k1;
	memo->keys[slot].key2 = k2;
	memcpy(&memo->values[(Size) memo->count * memo->values_per_key], values,
		   memo->values_per_key * sizeof(double));
	memo->keys[slot].entry = ++memo->count;
}
