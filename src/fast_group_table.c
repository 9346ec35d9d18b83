/*
 * fast_group_table.c: the fast grouping engine's per-customer table.
 *
 * Entries (64 bytes, one cache line) are stored densely, in chunks that
 * double in size as customers arrive; an open-addressing index of 8-byte
 * buckets (linear probing, at most 3/4 full) maps the customer's hash to its
 * entry.  The index is rebuilt from the entries when it grows, after the old
 * one is freed, so growing never holds two copies of anything: the table
 * takes the entries in use, at most one half-filled chunk, and the index.
 *
 * Rows arrive in batches of FG_BATCH_ROWS.  Each row's index bucket is
 * prefetched when it is queued; when the batch is full every row is probed
 * (and its entry prefetched), then every row is added to its entry.  With
 * a million customers the table is far larger than the CPU caches, and
 * misses waited for one by one would be most of the cost.
 *
 * Budget: the index and the entries never exceed it.  Once a new customer
 * would not fit, the table is full: rows of customers already in it still
 * count there, rows of new customers go to one of FG_SPILL_PARTS temporary
 * files chosen by further hash bits, and each file is summarized as a batch
 * of its own after the table has been emitted (spilling again, deeper, if
 * it still does not fit).
 */
#include "postgres.h"

#include "miscadmin.h"
#include "utils/memutils.h"

#include "compat.h"
#include "fast_group_table.h"

#define FG_MIN_BUCKETS 64
#define FG_CACHE_LINE 64
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

static Size
chunk_bytes(int k)
{
	return ((Size) 1 << (k + FG_FIRST_CHUNK_BITS)) * sizeof(FgEntry);
}

/* Bytes of a table that holds this many customers (index and entry chunks). */
Size
fg_table_bytes_for(double customers)
{
	Size		bytes = buckets_for(customers) * sizeof(FgSlot);
	double		held = 0;
	int			k;

	for (k = 0; k < FG_MAX_CHUNKS && held < customers; k++)
	{
		bytes += chunk_bytes(k);
		held += (double) ((uint64) 1 << (k + FG_FIRST_CHUNK_BITS));
	}
	return bytes;
}

/*
 * Aligned to a cache line: an entry is one line only if its chunk starts on
 * one (palloc aligns to 8 or 16 bytes, and a misaligned entry costs two
 * misses).  Chunks are never freed one by one, only with their context.
 */
static void *
allocate_chunk(FgTable *table, Size size)
{
	char	   *block = MemoryContextAllocExtended(table->cxt, size + FG_CACHE_LINE,
												   MCXT_ALLOC_HUGE);

	return (void *) TYPEALIGN(FG_CACHE_LINE, block);
}

static void
note_bytes(FgTable *table, Size bytes)
{
	table->bytes = bytes;
	table->peak_bytes = Max(table->peak_bytes, bytes);
}

static void
allocate_index(FgTable *table, uint64 n)
{
	table->slots = MemoryContextAllocExtended(table->cxt, n * sizeof(FgSlot),
											  MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	table->mask = n - 1;
	note_bytes(table, table->bytes + n * sizeof(FgSlot));
}

FgTable *
fg_table_create(MemoryContext cxt, Size budget, double expected)
{
	FgTable    *table = MemoryContextAllocZero(cxt, sizeof(FgTable));
	uint64		n = buckets_for(expected);

	table->cxt = cxt;
	table->budget = Max(budget, FG_MIN_BUCKETS * sizeof(FgSlot) + chunk_bytes(0));
	while (n > FG_MIN_BUCKETS && n * sizeof(FgSlot) + chunk_bytes(0) > table->budget)
		n >>= 1;
	allocate_index(table, n);
	table->batches = 1;
	return table;
}

static void
place(FgTable *table, uint64 hash, uint32 entry)
{
	uint64		b = hash & table->mask;

	while (table->slots[b].entry != 0)
		b = (b + 1) & table->mask;
	table->slots[b].tag = (uint32) (hash >> 32);
	table->slots[b].entry = entry + 1;
}

/* Room for one more customer, growing the index or adding a chunk if the budget allows. */
static bool
make_room(FgTable *table)
{
	uint64		n = table->mask + 1;

	if ((uint64) table->count + 1 > n / 4 * 3)
	{
		Size		index_bytes = n * sizeof(FgSlot);
		uint32		i;

		if (table->bytes - index_bytes + 2 * index_bytes > table->budget)
			return false;
		/* the entries have every key: rebuild from them, the old index gone first */
		pfree(table->slots);
		note_bytes(table, table->bytes - index_bytes);
		allocate_index(table, 2 * n);
		for (i = 0; i < table->count; i++)
			place(table, fg_hash(fg_table_entry(table, i)->key), i);
	}
	if (table->count == table->capacity)
	{
		int			k = 0;

		while (table->chunks[k] != NULL)
			k++;
		if (k >= FG_MAX_CHUNKS || table->bytes + chunk_bytes(k) > table->budget)
			return false;
		table->chunks[k] = allocate_chunk(table, chunk_bytes(k));
		table->capacity += (uint32) 1 << (k + FG_FIRST_CHUNK_BITS);
		note_bytes(table, table->bytes + chunk_bytes(k));
	}
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

/* The customer's entry, made if new; NULL when it is new and does not fit. */
static FgEntry *
find_or_add(FgTable *table, const FgRow *row, uint64 hash)
{
	uint32		tag = (uint32) (hash >> 32);
	uint64		b = hash & table->mask;
	FgEntry    *entry;

	for (; table->slots[b].entry != 0; b = (b + 1) & table->mask)
	{
		if (table->slots[b].tag != tag)
			continue;
		entry = fg_table_entry(table, table->slots[b].entry - 1);
		if (entry->key == row->key)
			return entry;
	}
	if (table->full || !make_room(table))
	{
		table->full = true;
		return NULL;
	}
	entry = fg_table_entry(table, table->count);
	memset(entry, 0, sizeof(FgEntry));
	entry->key = row->key;
	entry->used = 1;
	place(table, hash, table->count);
	table->count++;
	return entry;
}

/* Phase 1: each queued row's first candidate entry (prefetched) or empty bucket. */
static void
probe_batch(FgTable *table)
{
	int			i;

	for (i = 0; i < table->batched; i++)
	{
		FgProbe    *probe = &table->probe[i];
		uint32		tag = (uint32) (probe->hash >> 32);
		uint64		b = probe->hash & table->mask;

		while (table->slots[b].entry != 0 && table->slots[b].tag != tag)
			b = (b + 1) & table->mask;
		probe->bucket = b;
		probe->entry = table->slots[b].entry;
		if (probe->entry != 0)
			__builtin_prefetch(fg_table_entry(table, probe->entry - 1), 1, 3);
	}
}

void
fg_table_flush(FgTable *table)
{
	uint64		mask = table->mask;
	int			i;

	CHECK_FOR_INTERRUPTS();
	probe_batch(table);
	/* Phase 2: add each row; a new customer, a tag collision or a grown index takes the slow path */
	for (i = 0; i < table->batched; i++)
	{
		const FgRow *row = &table->batch[i];
		const FgProbe *probe = &table->probe[i];
		FgEntry    *entry = NULL;

		if (probe->entry != 0 && table->mask == mask)
		{
			entry = fg_table_entry(table, probe->entry - 1);
			if (entry->key != row->key)
				entry = NULL;
		}
		if (entry == NULL && (entry = find_or_add(table, row, probe->hash)) == NULL)
		{
			spill_row(table, row, probe->hash);
			continue;
		}
		fg_entry_add(entry, row);
	}
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

/* No customers; the index and the entry chunks stay allocated for the next batch. */
static void
clear_entries(FgTable *table)
{
	memset(table->slots, 0, (table->mask + 1) * sizeof(FgSlot));
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
	clear_entries(table);
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
	clear_entries(table);
	table->depth = 0;
	table->batches = 1;
	table->spilled_rows = 0;
}
