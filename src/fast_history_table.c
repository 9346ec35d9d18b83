/*
 * fast_history_table.c: the fast grouping engine's table for rfm_history
 * (see fast_history_table.h for what it holds and how it spills).
 *
 * Records are queued FH_QUEUE at a time, as the summary engine queues
 * rows: each customer's index bucket is prefetched when its record is
 * queued, its entry when the batch is probed, the bucket of its
 * (customer, period) pair, when it needs one, once the entry is known;
 * then the records are folded in their order.  With a million customers
 * and ten million pairs the table is far larger than the CPU caches.
 *
 * The log is why a time-ordered scan is cheap: a new period costs an
 * append to memory written in sequence, where a set costs a cache miss
 * (and a TLB miss) at a random place of a few hundred megabytes.  Every
 * pair goes to one or the other, so either way the budget holds both.
 *
 * The pair set is an open-addressing table of 16-byte slots (linear
 * probing, at most 3/4 full) keyed by (entry number, period), doubled as
 * it fills: it starts small, since a scan in time order never uses it.
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
#define FH_LOG_CHUNK 1024		/* pairs: 16 kB, small beside any budget */
#define FH_NULL_CUSTOMER PG_UINT32_MAX

/* A zeroed pair set of n slots (of a hundred megabytes or more at a million customers). */
static FhPair *
new_pairs(MemoryContext cxt, uint64 n)
{
	return MemoryContextAllocExtended(cxt, n * sizeof(FhPair), MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
}

static void
count_external(FhTable *table)
{
	table->customers->external_bytes = (table->pair_mask + 1) * sizeof(FhPair) +
		(Size) table->log_chunks * FH_LOG_CHUNK * sizeof(FhPair) +
		(Size) table->log_slots * sizeof(FhPair *);
}

FhTable *
fh_table_create(MemoryContext cxt, Size budget, double customers, double rows)
{
	FhTable    *table = MemoryContextAllocZero(cxt, sizeof(FhTable));

	table->rows = rows;
	table->customers = fg_table_create(cxt, budget, customers, sizeof(FhCustomer));
	table->pairs = new_pairs(cxt, FH_MIN_PAIRS);
	table->pair_mask = FH_MIN_PAIRS - 1;
	count_external(table);
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
	if (!alone && table->customers->bytes + table->customers->external_bytes + 2 * bytes >
		table->customers->budget)
		return false;
	table->pairs = new_pairs(table->customers->cxt, 2 * n);
	note_peak(table->customers, table->customers->external_bytes + 2 * bytes);
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
	count_external(table);
	return true;
}

/*
 * The empty set, when its first customer comes out of order: as large as
 * the planner's rows would need (at most a pair a row), within half the
 * budget and what the budget has left.  A scan out of order fills it fast,
 * and doubling from a small set would move every pair many times over.
 */
static void
presize_pairs(FhTable *table)
{
	FgTable    *customers = table->customers;
	uint64		n = table->pair_mask + 1;
	Size		old_bytes = n * sizeof(FhPair);

	if (table->pair_count != 0)
		return;
	while ((double) n * 3 / 4 < table->rows && 2 * n * sizeof(FhPair) <= customers->budget / 2 &&
		   customers->bytes + customers->external_bytes - old_bytes + 2 * n * sizeof(FhPair) <=
		   customers->budget)
		n <<= 1;
	if (n == table->pair_mask + 1)
		return;
	pfree(table->pairs);
	table->pairs = new_pairs(customers->cxt, n);
	table->pair_mask = n - 1;
	count_external(table);
	note_peak(customers, customers->external_bytes);
}

/*
 * Room for one more pair in the log: a chunk added (and the array of
 * chunks doubled) when the budget allows, or when a customer is alone in
 * the table, as in pair_room.
 */
static bool
log_room(FhTable *table)
{
	FgTable    *customers = table->customers;
	Size		more = FH_LOG_CHUNK * sizeof(FhPair);

	if (table->log_count < (uint64) table->log_chunks * FH_LOG_CHUNK)
		return true;
	if (table->log_chunks == table->log_slots)
		more += (Size) Max(table->log_slots, 16) * sizeof(FhPair *);
	if (customers->count > 1 && customers->bytes + customers->external_bytes + more > customers->budget)
		return false;
	if (table->log_chunks == table->log_slots)
	{
		int			slots = Max(2 * table->log_slots, 32);

		table->log = table->log == NULL
			? MemoryContextAlloc(customers->cxt, slots * sizeof(FhPair *))
			: repalloc_huge(table->log, slots * sizeof(FhPair *));
		table->log_slots = slots;
	}
	table->log[table->log_chunks++] = MemoryContextAlloc(customers->cxt, FH_LOG_CHUNK * sizeof(FhPair));
	count_external(table);
	note_peak(customers, customers->external_bytes);
	return true;
}

static inline void
log_append(FhTable *table, uint32 customer, int64 period)
{
	FhPair	   *pair = &table->log[table->log_count / FH_LOG_CHUNK][table->log_count % FH_LOG_CHUNK];

	pair->period = period;
	pair->customer = customer;
	table->log_count++;
}

static inline const FhPair *
log_pair(const FhTable *table, uint64 i)
{
	return &table->log[i / FH_LOG_CHUNK][i % FH_LOG_CHUNK];
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

/* Whether a period is one the customer's entry tells new or not, without the set. */
static inline bool
told_by_entry(const FhCustomer *c, int64 p)
{
	return p >= c->last || p <= c->first || (p >= c->gap_low && p <= c->gap_high);
}

/* Whether a record's period goes through the pair set (before it is folded). */
static inline bool
needs_set(const FhCustomer *c, int64 period)
{
	if (c->periods == 0 || period == c->first || period == c->last)
		return false;
	return c->out_of_order || !told_by_entry(c, period);
}

/* The gap (low, high), periods of the customer with none between, if wider than the one it has. */
static inline void
widen_gap(FhCustomer *c, int64 low, int64 high)
{
	if ((uint64) high - (uint64) low > (uint64) c->gap_high - (uint64) c->gap_low)
	{
		c->gap_low = low;
		c->gap_high = high;
	}
}

/*
 * Whether a period is new to its customer (number customer in the log and
 * the set), counted in its periods; false, changing nothing, when it needs
 * a pair and the log or the set is at the budget.
 */
static bool
count_period(FhTable *table, FhCustomer *c, uint32 customer, int64 p)
{
	if (p == c->first || p == c->last)
		return true;
	if (c->out_of_order)
	{
		if (!pair_room(table))
			return false;
		if (pair_insert(table, customer, p))
			c->periods++;
	}
	else if (told_by_entry(c, p))
	{
		if (p == c->gap_low || p == c->gap_high)
			return true;
		if (!log_room(table))
			return false;
		log_append(table, customer, p);
		c->periods++;
		/*
		 * The gap: a period before the first opens one up to the first, and
		 * one inside the gap keeps the part above it, where a run in time
		 * goes on (a scan that wrapped around brings the earlier run after
		 * the later); a period after the last opens one only if wider.
		 */
		if (p > c->last)
			widen_gap(c, c->last, p);
		else
		{
			c->gap_high = p < c->first ? c->first : c->gap_high;
			c->gap_low = p;
		}
	}
	else
	{
		/* from now on counted in the set: the log's periods join it at the end */
		if (table->out_of_order == 0)
			presize_pairs(table);
		if (!pair_room(table))
			return false;
		c->out_of_order = 1;
		table->out_of_order++;
		pair_insert(table, customer, p);
		c->periods = 1;
	}
	return true;
}

/*
 * Folds one record into its customer (number customer in the log and the
 * set); false, changing nothing, when it needs a pair and there is no room
 * for it.
 */
static bool
fold(FhTable *table, FhCustomer *c, uint32 customer, const FhRecord *r)
{
	int64		p = r->period;

	if (r->flags & FH_RECORD_NO_ORDER)
		return true;
	if (c->periods == 0)
	{
		if (!log_room(table))
			return false;
		log_append(table, customer, p);
		c->periods = 1;
		c->first = c->last = c->gap_low = c->gap_high = p;
		c->first_sum = r->value;
		c->first_scale = r->scale;
		c->repeat = 0;
		c->repeat_scale = 0;
		return true;
	}
	if (!count_period(table, c, customer, p))
		return false;

	/* the amounts: the first period's apart, the others together */
	if (p < c->first)
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

static inline FhCustomer *
customer_numbered(FhTable *table, uint32 customer)
{
	return customer == FH_NULL_CUSTOMER ? &table->null_customer
		: fh_table_customer(table, customer - 1);
}

/* A pair of the log or the set as a record of amount zero, unless its period is the first or the last. */
static void
spill_middle(FhTable *table, const FhPair *pair)
{
	const FhCustomer *c = customer_numbered(table, pair->customer);

	if (pair->period != c->first && pair->period != c->last)
		spill(table, c, pair->customer == FH_NULL_CUSTOMER, pair->period, 0, 0, 0);
}

/* A customer's first record: its first period's total (or that it exists, without an order). */
static void
spill_first(FhTable *table, const FhCustomer *c, bool null_key)
{
	if (c->periods == 0)
		spill(table, c, null_key, 0, 0, 0, FH_RECORD_NO_ORDER);
	else
		spill(table, c, null_key, c->first, c->first_sum, c->first_scale, 0);
}

/*
 * A customer's last record: the other periods' total at the last period.
 * (Not periods > 1: an out-of-order customer's count is complete only at
 * the end.)
 */
static void
spill_last(FhTable *table, const FhCustomer *c, bool null_key)
{
	if (c->periods > 0 && c->last != c->first)
		spill(table, c, null_key, c->last, c->repeat, c->repeat_scale, 0);
}

/*
 * Every customer in memory to the spill files, then empty.  A customer's
 * records go out in the order its periods came in, as far as the log
 * knows it: the first period, the periods between (from the log, then the
 * set, as records of amount zero: a period in both is written twice, which
 * reading back counts once), the last; so that a customer that came in
 * time is read back in time, without the set.
 */
static void
flush_all(FhTable *table)
{
	FgTable    *customers = table->customers;
	uint32		i;
	uint64		b;

	CHECK_FOR_INTERRUPTS();
	for (i = 0; i < customers->count; i++)
		spill_first(table, fh_table_customer(table, i), false);
	if (table->null_seen)
		spill_first(table, &table->null_customer, true);
	for (b = 0; b < table->log_count; b++)
	{
		if ((b & 0xFFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		spill_middle(table, log_pair(table, b));
	}
	for (b = 0; b <= table->pair_mask; b++)
	{
		if ((b & 0xFFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (table->pairs[b].customer != 0)
			spill_middle(table, &table->pairs[b]);
	}
	for (i = 0; i < customers->count; i++)
		spill_last(table, fh_table_customer(table, i), false);
	if (table->null_seen)
		spill_last(table, &table->null_customer, true);
	fg_table_clear(customers);
	clear_pairs(table);
	table->flushed = true;
	table->flushes++;
}

/*
 * Once the records of the input or of a batch are folded: the periods the
 * log holds of out-of-order customers added to the set, where the periods
 * that came after are, so that each such customer's count is complete.
 * False when the set could not hold them: then everyone was written out.
 */
static bool
count_out_of_order(FhTable *table)
{
	uint64		i;

	if (table->out_of_order == 0)
		return true;
	for (i = 0; i < table->log_count; i++)
	{
		const FhPair *pair = log_pair(table, i);
		FhCustomer *c = customer_numbered(table, pair->customer);

		if ((i & 0xFFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (!c->out_of_order)
			continue;
		if (!pair_room(table))
		{
			flush_all(table);
			return false;
		}
		if (pair_insert(table, pair->customer, pair->period))
			c->periods++;
	}
	table->out_of_order_total += table->out_of_order;
	table->out_of_order = 0;
	return true;
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
			if (needs_set(c, r->period))
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
	/*
	 * The candidate entries into cache (their buckets were when queued): both
	 * cache lines, as a 96-byte entry mostly spans two
	 */
	for (i = 0; i < table->queued; i++)
		if (!(table->queue[i].flags & FH_RECORD_NULL_KEY))
		{
			FgEntry    *entry = fg_table_candidate(table->customers, (uint64) table->queue[i].key);

			if (entry != NULL)
				__builtin_prefetch((char *) entry + sizeof(FhCustomer) - 1, 1, 3);
		}
	fold_queue(table, 0);
}

/*
 * The records of the input or of a batch all folded: written out whole if
 * some customers were, else the out-of-order customers' counts completed.
 */
static void
end_of_records(FhTable *table)
{
	fh_table_flush_queue(table);
	if (table->flushed)
		flush_all(table);
	else
		(void) count_out_of_order(table);
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
	end_of_records(table);
	fg_table_finish_input(table->customers);
	return !table->flushed;
}

/*
 * No pairs, no NULL customer.  The log's chunks are given back, and a set
 * that grew past half the budget (for a customer alone in the table), so
 * that the next customers are not written out for the memory they kept.
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
	}
	else
		memset(table->pairs, 0, bytes);
	table->pair_count = 0;
	while (table->log_chunks > 0)
		pfree(table->log[--table->log_chunks]);
	table->log_count = 0;
	count_external(table);
	table->out_of_order_total += table->out_of_order;
	table->out_of_order = 0;
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
		end_of_records(table);
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
	table->out_of_order_total = 0;
}
