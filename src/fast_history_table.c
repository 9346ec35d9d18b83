/*
 * fast_history_table.c: the fast grouping engine's table for rfm_history
 * (see fast_history_table.h for what it holds and how it spills).
 *
 * Records are queued FH_QUEUE at a time, as the summary engine queues
 * rows: each customer's index bucket is prefetched when its record is
 * queued, its entry when the batch is probed, the bucket of its
 * (customer, period) pair when the entry is known; then the records are
 * folded in their order.  With a million customers and ten million pairs
 * the table is far larger than the CPU caches.
 *
 * The pair set is an open-addressing table of 16-byte slots (linear
 * probing, at most 3/4 full) keyed by (entry number, period).  A customer
 * with a single period keeps it in its entry only (half of a shop's
 * customers order once); its second period puts both in the set.
 */
#include "postgres.h"

#include "miscadmin.h"

#include "fast_history_table.h"
#include "money.h"

StaticAssertDecl(offsetof(FhCustomer, key) == offsetof(FgEntry, key),
				 "FhCustomer must keep the customer table's key where FgEntry has it");
StaticAssertDecl(offsetof(FhCustomer, used) == offsetof(FgEntry, used),
				 "FhCustomer must keep the customer table's used flag where FgEntry has it");
StaticAssertDecl(sizeof(FhCustomer) % 16 == 0 && sizeof(FhCustomer) >= sizeof(FgEntry),
				 "FhCustomer must be a valid entry size of the customer table");

#define FH_MIN_PAIRS 1024
#define FH_NULL_CUSTOMER PG_UINT32_MAX

/* A zeroed pair set of n slots (of a hundred megabytes or more at a million customers). */
static FhPair *
new_pairs(MemoryContext cxt, uint64 n)
{
	return MemoryContextAllocExtended(cxt, n * sizeof(FhPair), MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
}

/*
 * The pair set starts at the size the planner's rows would need (at most
 * one pair a row), within half the budget: growing it by doubling
 * from a small set would move every pair many times over.
 */
FhTable *
fh_table_create(MemoryContext cxt, Size budget, double customers, double rows)
{
	FhTable    *table = MemoryContextAllocZero(cxt, sizeof(FhTable));
	uint64		n = FH_MIN_PAIRS;

	table->customers = fg_table_create(cxt, budget, customers, sizeof(FhCustomer));
	while ((double) n * 3 / 4 < rows && 2 * n * sizeof(FhPair) <= budget / 2)
		n <<= 1;
	table->pairs = new_pairs(cxt, n);
	table->pair_mask = n - 1;
	table->customers->external_bytes = n * sizeof(FhPair);
	return table;
}

static inline uint64
pair_hash(uint32 customer, int64 period)
{
	return fg_hash((int64) ((uint64) period * UINT64CONST(0x9E3779B97F4A7C15) + customer));
}

static inline FhPair *
pair_bucket(const FhTable *table, uint32 customer, int64 period)
{
	return &table->pairs[pair_hash(customer, period) & table->pair_mask];
}

/* Adds a pair; whether it was new. */
static bool
pair_insert(FhTable *table, uint32 customer, int64 period)
{
	uint64		b = pair_hash(customer, period) & table->pair_mask;

	for (; table->pairs[b].customer != 0; b = (b + 1) & table->pair_mask)
		if (table->pairs[b].customer == customer && table->pairs[b].period == period)
			return false;
	table->pairs[b].customer = customer;
	table->pairs[b].period = period;
	table->pair_count++;
	return true;
}

static void
note_peak(FgTable *customers, Size pair_bytes)
{
	customers->peak_bytes = Max(customers->peak_bytes, customers->bytes + pair_bytes);
}

/*
 * Room for two more pairs: the set doubled if it would pass 3/4, when the
 * budget allows the old and the new set at once, or when nothing could be
 * gained by writing the table out (a single customer in it, which may then
 * pass the budget: a customer is never split).
 */
static bool
pair_room(FhTable *table)
{
	uint64		n = table->pair_mask + 1;
	FhPair	   *old = table->pairs;
	Size		bytes = n * sizeof(FhPair);
	/* (the NULL customer not counted: it and a key may share a spill file at every depth) */
	bool		alone = table->customers->count <= 1;
	uint64		i;

	if (table->pair_count + 2 <= n / 4 * 3)
		return true;
	if (!alone && table->customers->bytes + 3 * bytes > table->customers->budget)
		return false;
	table->pairs = new_pairs(table->customers->cxt, 2 * n);
	note_peak(table->customers, 3 * bytes);
	table->pair_mask = 2 * n - 1;
	table->pair_count = 0;
	for (i = 0; i < n; i++)
	{
		if ((i & 0xFFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (old[i].customer != 0)
			pair_insert(table, old[i].customer, old[i].period);
	}
	pfree(old);
	table->customers->external_bytes = 2 * bytes;
	return true;
}

/* *total (at *scale) += value (at value_scale), exactly; the common case without rescaling. */
static inline void
add_money(int128 *total, int16 *scale, int128 value, int value_scale)
{
	int128		sum;

	if (value_scale == *scale && !__builtin_add_overflow(*total, value, &sum) &&
		rfm_money_in_range(sum))
		*total = sum;
	else
		rfm_money_accumulate(total, scale, value, value_scale);
}

/* How many pairs a record's period may add to the set (before it is folded). */
static inline int
pairs_needed(const FhCustomer *c, int64 period)
{
	if (c->periods == 0)
		return 0;
	if (c->periods == 1)
		return period == c->first ? 0 : 2;
	return period == c->first || period == c->last ? 0 : 1;
}

/*
 * Folds one record into its customer (number customer in the pair set);
 * false, changing nothing, when its period needs a pair and the set is at
 * the budget.
 */
static bool
fold(FhTable *table, FhCustomer *c, uint32 customer, const FhRecord *r)
{
	int64		p = r->period;

	if (r->flags & FH_RECORD_NO_ORDER)
		return true;
	switch (pairs_needed(c, p))
	{
		case 2:
			if (!pair_room(table))
				return false;
			pair_insert(table, customer, c->first);
			pair_insert(table, customer, p);
			c->periods = 2;
			break;
		case 1:
			if (!pair_room(table))
				return false;
			if (pair_insert(table, customer, p))
				c->periods++;
			break;
		default:
			break;
	}

	/* the amounts: the first period's apart, the others together */
	if (c->periods == 0)
	{
		c->periods = 1;
		c->first = c->last = p;
		c->first_sum = r->value;
		c->first_scale = r->scale;
		c->repeat = 0;
		c->repeat_scale = 0;
	}
	else if (p < c->first)
	{
		add_money(&c->repeat, &c->repeat_scale, c->first_sum, c->first_scale);
		c->first_sum = r->value;
		c->first_scale = r->scale;
		c->first = p;
	}
	else if (p == c->first)
		add_money(&c->first_sum, &c->first_scale, r->value, r->scale);
	else
	{
		add_money(&c->repeat, &c->repeat_scale, r->value, r->scale);
		if (p > c->last)
			c->last = p;
	}
	return true;
}

static void
spill(FhTable *table, const FhCustomer *c, bool null_key, int64 period, int128 value,
	  int scale, uint8 flags)
{
	FhRecord	r;

	memset(&r, 0, sizeof(r));
	r.key = null_key ? 0 : c->key;
	r.period = period;
	r.value = value;
	r.scale = (int16) scale;
	r.flags = flags | (null_key ? FH_RECORD_NULL_KEY : 0);
	fg_table_spill_record(table->customers, null_key ? (uint64) PG_INT64_MIN : (uint64) r.key,
						  &r, sizeof(r));
	table->written++;
}

static void clear_pairs(FhTable *table);

/* A customer as records: the first period's total, the others' at the last period. */
static void
spill_customer(FhTable *table, const FhCustomer *c, bool null_key)
{
	if (c->periods == 0)
		spill(table, c, null_key, 0, 0, 0, FH_RECORD_NO_ORDER);
	else
	{
		spill(table, c, null_key, c->first, c->first_sum, c->first_scale, 0);
		if (c->periods > 1)
			spill(table, c, null_key, c->last, c->repeat, c->repeat_scale, 0);
	}
}

/*
 * Every customer in memory to the spill files (the periods between a
 * customer's first and last as records of amount zero), then empty.
 */
static void
flush_all(FhTable *table)
{
	FgTable    *customers = table->customers;
	uint32		i;
	uint64		b;

	CHECK_FOR_INTERRUPTS();
	for (i = 0; i < customers->count; i++)
		spill_customer(table, fh_table_customer(table, i), false);
	if (table->null_seen)
		spill_customer(table, &table->null_customer, true);
	for (b = 0; b <= table->pair_mask; b++)
	{
		const FhPair *pair = &table->pairs[b];
		const FhCustomer *c;
		bool		null_key = pair->customer == FH_NULL_CUSTOMER;

		if ((b & 0xFFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (pair->customer == 0)
			continue;
		c = null_key ? &table->null_customer : fh_table_customer(table, pair->customer - 1);
		if (pair->period != c->first && pair->period != c->last)
			spill(table, c, null_key, pair->period, 0, 0, 0);
	}
	fg_table_clear(customers);
	clear_pairs(table);
	table->flushed = true;
	table->flushes++;
}

/* An integer key is its own hash: equal hashes are equal keys. */
static bool
same_key(void *arg pg_attribute_unused(), const FgEntry *entry pg_attribute_unused())
{
	return true;
}

/* The customer of queued record i, made if new; NULL when it does not fit. */
static FhCustomer *
customer_of(FhTable *table, int i)
{
	const FhRecord *r = &table->queue[i];
	FhCustomer *c;
	bool		is_new;

	if (r->flags & FH_RECORD_NULL_KEY)
	{
		table->null_seen = true;
		return &table->null_customer;
	}
	c = (FhCustomer *) fg_table_find(table->customers, (uint64) r->key, same_key, NULL, 0, &is_new);
	if (c != NULL && is_new)
		c->number = table->customers->count;
	return c;
}

static inline uint32
number_of(const FhTable *table, const FhCustomer *c)
{
	return c == &table->null_customer ? FH_NULL_CUSTOMER : c->number;
}

/*
 * Folds the queued records from the first-th on: their customers found
 * (made), the buckets of the pairs they may add prefetched, then each
 * folded.  When a customer or a pair does not fit, the records before it
 * are folded, the table is written out, and the rest start again.
 */
static void
fold_queue(FhTable *table, int first)
{
	int			n = table->queued;
	int			found;
	int			i;

	while (first < n)
	{
		for (found = first; found < n; found++)
		{
			FhCustomer *c = customer_of(table, found);
			const FhRecord *r = &table->queue[found];

			if (c == NULL)
				break;
			table->entry[found] = c;
			if (pairs_needed(c, r->period) > 0)
				__builtin_prefetch(pair_bucket(table, number_of(table, c), r->period), 1, 3);
		}
		for (i = first; i < found; i++)
			if (!fold(table, table->entry[i], number_of(table, table->entry[i]), &table->queue[i]))
				break;
		if (i == n)
			break;
		flush_all(table);
		first = i;
	}
	table->queued = 0;
}

void
fh_table_flush_queue(FhTable *table)
{
	int			i;

	CHECK_FOR_INTERRUPTS();
	/* the candidate entries into cache (their buckets were when queued) */
	for (i = 0; i < table->queued; i++)
		if (!(table->queue[i].flags & FH_RECORD_NULL_KEY))
			(void) fg_table_candidate(table->customers, (uint64) table->queue[i].key);
	fold_queue(table, 0);
}

/*
 * After the last record of the input or of a batch.  When some customers
 * were written out, the others follow them, so that every customer is
 * whole in one file: the files become batches, and false says that the
 * table holds nothing to emit.
 */
bool
fh_table_finish(FhTable *table)
{
	fh_table_flush_queue(table);
	if (table->flushed)
		flush_all(table);
	fg_table_finish_input(table->customers);
	return !table->flushed;
}

/*
 * No pairs, no NULL customer.  A set that grew past half the budget (for
 * a customer alone in the table) is given back, so that the next customers
 * are not written out for the memory it kept.
 */
static void
clear_pairs(FhTable *table)
{
	Size		bytes = (table->pair_mask + 1) * sizeof(FhPair);

	if (bytes > FH_MIN_PAIRS * sizeof(FhPair) && bytes > table->customers->budget / 2)
	{
		pfree(table->pairs);
		table->pairs = MemoryContextAllocZero(table->customers->cxt, FH_MIN_PAIRS * sizeof(FhPair));
		table->pair_mask = FH_MIN_PAIRS - 1;
		table->customers->external_bytes = FH_MIN_PAIRS * sizeof(FhPair);
	}
	else
		memset(table->pairs, 0, bytes);
	table->pair_count = 0;
	memset(&table->null_customer, 0, sizeof(FhCustomer));
	table->null_seen = false;
	table->flushed = false;
}

/*
 * Once the table has been emitted: the next spilled batch into it, its
 * records folded as the input's were.  False when none is left; a batch
 * that did not fit either is written out again, deeper, and the next one
 * is read.
 */
bool
fh_table_next_batch(FhTable *table)
{
	StringInfoData buf;
	BufFile    *file;

	initStringInfo(&buf);
	for (;;)
	{
		clear_pairs(table);
		file = fg_table_take_batch(table->customers);
		if (file == NULL)
			break;
		while (fg_table_read_record(file, &buf))
		{
			if (buf.len != sizeof(FhRecord))
				elog(ERROR, "rfm fast grouping: an rfm_history spill record of %d bytes", buf.len);
			fh_table_add(table, (const FhRecord *) buf.data);
		}
		fh_table_flush_queue(table);
		if (table->flushed)
			flush_all(table);
		fg_table_end_batch(table->customers, file);
		if (!table->flushed)
			break;
	}
	pfree(buf.data);
	if (file != NULL)
		table->emitted_batches++;
	return file != NULL;
}

/* Empty again, files closed (for a rescan, or at the end). */
void
fh_table_reset(FhTable *table)
{
	table->queued = 0;
	fg_table_reset(table->customers);
	clear_pairs(table);
	table->flushes = 0;
	table->written = 0;
	table->emitted_batches = 0;
}
