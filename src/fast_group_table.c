/*
 * fast_group_table.c: the fast grouping engine's per-customer table.
 *
 * Linear probing over a power-of-two array of 64-byte entries (one cache
 * line each), filled at most 3/4.  Rows arrive in batches of FG_BATCH_ROWS
 * whose buckets were prefetched when queued: with a million customers the
 * table is far larger than the caches, and one miss per row, waited for
 * one at a time, would be most of the cost.
 *
 * Budget: the buckets, counting old and new while the table doubles, never
 * exceed the budget.  Once they would, the table is full: rows of customers
 * already in it still count there, rows of new customers go to one of
 * FG_SPILL_PARTS temporary files chosen by further hash bits, and each file
 * is summarized as a batch of its own after the table has been emitted
 * (spilling again, deeper, if it still does not fit).
 */
#include "postgres.h"

#include "miscadmin.h"
#include "utils/memutils.h"

#include "compat.h"
#include "fast_group_table.h"

#define FG_MIN_BUCKETS 256
/* each spill level takes FG_SPILL_BITS more bits from the top of the hash */
#define FG_MAX_DEPTH ((64 - 32) / FG_SPILL_BITS)

static uint64
buckets_for(double customers)
{
	uint64		n = FG_MIN_BUCKETS;

	while ((double) n * 3 / 4 < customers && n < (UINT64CONST(1) << 40))
		n <<= 1;
	return n;
}

/* Bytes of the table that holds this many customers without growing. */
Size
fg_table_bytes_for(double customers)
{
	return buckets_for(customers) * sizeof(FgEntry);
}

static void
allocate_buckets(FgTable *table, uint64 n)
{
	table->buckets = MemoryContextAllocExtended(table->cxt, n * sizeof(FgEntry),
												MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	table->mask = n - 1;
	table->peak_bytes = Max(table->peak_bytes, n * sizeof(FgEntry));
}

FgTable *
fg_table_create(MemoryContext cxt, Size budget, double expected)
{
	FgTable    *table = MemoryContextAllocZero(cxt, sizeof(FgTable));
	uint64		n = buckets_for(expected);

	table->cxt = cxt;
	table->budget = Max(budget, FG_MIN_BUCKETS * sizeof(FgEntry));
	while (n > FG_MIN_BUCKETS && n * sizeof(FgEntry) > table->budget)
		n >>= 1;
	allocate_buckets(table, n);
	table->batches = 1;
	return table;
}

/* Doubles the table if old and new fit in the budget together. */
static bool
try_grow(FgTable *table)
{
	uint64		old_n = table->mask + 1;
	FgEntry    *old = table->buckets;
	uint64		i;

	if ((old_n + 2 * old_n) * sizeof(FgEntry) > table->budget)
		return false;
	allocate_buckets(table, 2 * old_n);
	table->peak_bytes = Max(table->peak_bytes, 3 * old_n * sizeof(FgEntry));
	for (i = 0; i < old_n; i++)
	{
		uint64		b;

		if (!old[i].used)
			continue;
		b = fg_hash(old[i].key) & table->mask;
		while (table->buckets[b].used)
			b = (b + 1) & table->mask;
		table->buckets[b] = old[i];
	}
	pfree(old);
	return true;
}

static void
spill_row(FgTable *table, const FgRow *row, uint64 hash)
{
	int			shift = 64 - FG_SPILL_BITS * (table->depth + 1);
	int			part = (int) ((hash >> shift) & (FG_SPILL_PARTS - 1));

	if (table->depth >= FG_MAX_DEPTH)
		elog(ERROR, "rfm fast grouping: customers still do not fit after %d spill levels",
			 table->depth);
	if (table->spill[part] == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(table->cxt);

		table->spill[part] = BufFileCreateTemp(false);
		MemoryContextSwitchTo(old);
	}
	BufFileWrite(table->spill[part], (void *) row, sizeof(FgRow));
	table->spilled_rows++;
}

static void
insert_row(FgTable *table, const FgRow *row)
{
	uint64		hash = fg_hash(row->key);
	uint64		b;
	FgEntry    *entry;

	for (;;)
	{
		b = hash & table->mask;
		while (table->buckets[b].used)
		{
			if (table->buckets[b].key == row->key)
			{
				fg_entry_add(&table->buckets[b], row);
				return;
			}
			b = (b + 1) & table->mask;
		}
		/* a new customer */
		if (table->count < (int64) ((table->mask + 1) / 4 * 3))
			break;
		if (table->full || !try_grow(table))
		{
			table->full = true;
			spill_row(table, row, hash);
			return;
		}
	}
	entry = &table->buckets[b];
	entry->used = 1;
	entry->key = row->key;
	table->count++;
	fg_entry_add(entry, row);
}

void
fg_table_flush(FgTable *table)
{
	int			i;

	CHECK_FOR_INTERRUPTS();
	for (i = 0; i < table->batched; i++)
		insert_row(table, &table->batch[i]);
	table->batched = 0;
}

/* After the last row of the input or of a batch: spill files become pending batches. */
void
fg_table_finish_input(FgTable *table)
{
	int			part;

	fg_table_flush(table);
	for (part = 0; part < FG_SPILL_PARTS; part++)
	{
		FgPending  *pending;
		MemoryContext old;

		if (table->spill[part] == NULL)
			continue;
		if (BufFileSeek(table->spill[part], 0, 0, SEEK_SET) != 0)
			ereport(ERROR,
					(errcode_for_file_access(),
					 errmsg("could not rewind rfm fast grouping spill file")));
		old = MemoryContextSwitchTo(table->cxt);
		pending = palloc(sizeof(FgPending));
		pending->file = table->spill[part];
		pending->depth = table->depth + 1;
		table->pending = lappend(table->pending, pending);
		MemoryContextSwitchTo(old);
		table->spill[part] = NULL;
	}
}

static void
clear_buckets(FgTable *table)
{
	memset(table->buckets, 0, (table->mask + 1) * sizeof(FgEntry));
	table->count = 0;
	table->full = false;
	table->batched = 0;
}

/*
 * Once the table has been emitted: refills it with the next spilled batch.
 * False when none is left.
 */
bool
fg_table_next_batch(FgTable *table)
{
	FgPending  *pending;
	FgRow		row;

	if (table->pending == NIL)
		return false;
	pending = linitial(table->pending);
	table->pending = list_delete_first(table->pending);
	clear_buckets(table);
	table->depth = pending->depth;
	while (RFM_BUFFILE_READ(pending->file, &row, sizeof(FgRow)) == sizeof(FgRow))
		fg_table_add(table, &row);
	fg_table_finish_input(table);
	BufFileClose(pending->file);
	pfree(pending);
	table->batches++;
	return true;
}

/* Empty again, files closed (for a rescan, or at the end). */
void
fg_table_reset(FgTable *table)
{
	ListCell   *lc;
	int			part;

	foreach(lc, table->pending)
		BufFileClose(((FgPending *) lfirst(lc))->file);
	list_free_deep(table->pending);
	table->pending = NIL;
	for (part = 0; part < FG_SPILL_PARTS; part++)
	{
		if (table->spill[part])
			BufFileClose(table->spill[part]);
		table->spill[part] = NULL;
	}
	clear_buckets(table);
	table->depth = 0;
	table->batches = 1;
	table->spilled_rows = 0;
}
