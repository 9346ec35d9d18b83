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

#ifndef WIN32
#include <sys/mman.h>			/* madvise */
#endif

#include "miscadmin.h"
#include "utils/memutils.h"

#include "compat.h"
#include "fast_group_table.h"

#define FG_MIN_BUCKETS 64
#define FG_ARENA_BLOCK ((Size) 64 * 1024)
#define FG_CACHE_LINE 64
#define FG_HUGE_PAGE (2 * 1024 * 1024)	/* x86-64's and arm64's (4 kB granule) */
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
chunk_bytes(Size entry_bytes, int k)
{
	return ((Size) 1 << (k + FG_FIRST_CHUNK_BITS)) * entry_bytes;
}

/* Bytes of a table that holds this many customers (index and entry chunks). */
Size
fg_table_bytes_for(double customers, Size entry_bytes)
{
	Size		bytes = buckets_for(customers) * sizeof(FgSlot);
	double		held = 0;
	int			k;

	for (k = 0; k < FG_MAX_CHUNKS && held < customers; k++)
	{
		bytes += chunk_bytes(entry_bytes, k);
		held += (double) ((uint64) 1 << (k + FG_FIRST_CHUNK_BITS));
	}
	return bytes;
}

/*
 * Asks the kernel for 2 MB pages over the aligned middle of a large block
 * not yet touched.  Rows reach the customers in random order: with 4 kB
 * pages each entry and index slot of a table of a million customers is a
 * TLB miss as well as a cache miss, and a page walk the prefetches wait
 * for.  Advice only: where transparent huge pages are off (or on a system
 * without them) nothing changes; the memory counted against the budget is
 * the same.
 */
static void
advise_huge_pages(void *block, Size size)
{
#if defined(MADV_HUGEPAGE)
	uintptr_t	start = TYPEALIGN(FG_HUGE_PAGE, (uintptr_t) block);
	uintptr_t	end = TYPEALIGN_DOWN(FG_HUGE_PAGE, (uintptr_t) block + size);

	if (end > start)
		(void) madvise((void *) start, end - start, MADV_HUGEPAGE);
#endif
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

	advise_huge_pages(block, size + FG_CACHE_LINE);
	return (void *) TYPEALIGN(FG_CACHE_LINE, block);
}

static void
note_bytes(FgTable *table, Size bytes)
{
	table->bytes = bytes;
	table->peak_bytes = Max(table->peak_bytes, bytes + table->external_bytes);
}

static void
allocate_index(FgTable *table, uint64 n)
{
	table->slots = MemoryContextAllocExtended(table->cxt, n * sizeof(FgSlot), MCXT_ALLOC_HUGE);
	advise_huge_pages(table->slots, n * sizeof(FgSlot));
	memset(table->slots, 0, n * sizeof(FgSlot));
	table->mask = n - 1;
	note_bytes(table, table->bytes + n * sizeof(FgSlot));
}

FgTable *
fg_table_create(MemoryContext cxt, Size budget, double expected, Size entry_bytes)
{
	FgTable    *table = MemoryContextAllocZero(cxt, sizeof(FgTable));
	uint64		n = buckets_for(expected);

	Assert(entry_bytes >= sizeof(FgEntry) && entry_bytes % 16 == 0);
	table->cxt = cxt;
	table->entry_bytes = entry_bytes;
	table->arena_cxt = AllocSetContextCreate(cxt, "rfm fast grouping keys", ALLOCSET_DEFAULT_SIZES);
	table->budget = Max(budget, FG_MIN_BUCKETS * sizeof(FgSlot) + chunk_bytes(entry_bytes, 0));
	/*
	 * Sized for the planner's customers, but at most a quarter of the
	 * budget: the entries (and a caller's external memory) need the rest,
	 * and each spilled batch starts from this size again, however few
	 * customers it holds (an index that took the budget made every batch
	 * of rfm_history's engine spill again, to the deepest level).
	 */
	while (n > FG_MIN_BUCKETS && n * sizeof(FgSlot) + chunk_bytes(entry_bytes, 0) > table->budget / 4)
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

/*
 * Room for one more customer and need bytes of its key, growing the index,
 * adding a chunk or an arena block if the budget allows.  The first
 * customer of a batch always gets in, so that every batch makes progress
 * however small the budget.
 */
static bool
make_room(FgTable *table, Size need)
{
	uint64		n = table->mask + 1;
	Size		arena_block = 0;
	Size		other = table->external_bytes;
	Size		budget = table->count == 0 ? SIZE_MAX / 4 : table->budget;

	if (need > table->arena_left)
		arena_block = Max(Min(FG_ARENA_BLOCK, Max(table->budget / 16, 1024)), MAXALIGN(need));
	other += arena_block;
	if ((uint64) table->count + 1 > n / 4 * 3)
	{
		Size		index_bytes = n * sizeof(FgSlot);
		uint32		i;

		if (table->bytes - index_bytes + 2 * index_bytes + other > budget)
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
		if (k >= FG_MAX_CHUNKS ||
			table->bytes + chunk_bytes(table->entry_bytes, k) + other > budget)
			return false;
		table->chunks[k] = allocate_chunk(table, chunk_bytes(table->entry_bytes, k));
		table->capacity += (uint32) 1 << (k + FG_FIRST_CHUNK_BITS);
		note_bytes(table, table->bytes + chunk_bytes(table->entry_bytes, k));
	}
	if (arena_block > 0)
	{
		if (table->bytes + other > budget)
			return false;
		table->arena_next = MemoryContextAllocExtended(table->arena_cxt, arena_block,
													   MCXT_ALLOC_HUGE);
		table->arena_left = arena_block;
		table->arena_bytes += arena_block;
		note_bytes(table, table->bytes + arena_block);
	}
	return true;
}

/*
 * need bytes for the key of the entry fg_table_find just made (which
 * reserved them): kept until the entries are cleared.
 */
void *
fg_table_keep(FgTable *table, Size len)
{
	char	   *p = table->arena_next;

	len = MAXALIGN(len);
	if (len > table->arena_left)
		elog(ERROR, "rfm fast grouping: key bytes were not reserved");
	table->arena_next += len;
	table->arena_left -= len;
	table->kept_bytes += len;
	return p;
}

/* The spill file of the customer with this index hash, at the current depth. */
static BufFile *
spill_file(FgTable *table, uint64 hash)
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
	table->spilled_rows++;
	return table->spill[part];
}

static void
spill_row(FgTable *table, const FgRow *row, uint64 hash)
{
	BufFileWrite(spill_file(table, hash), (void *) row, sizeof(FgRow));
}

/* A row of a customer that does not fit (hash as given to fg_table_find), as the caller wrote it. */
void
fg_table_spill_record(FgTable *table, uint64 hash, const void *data, uint32 len)
{
	BufFile    *file = spill_file(table, fg_hash(hash));

	BufFileWrite(file, &len, sizeof(len));
	BufFileWrite(file, (void *) data, len);
}

/* The next record of a spilled batch into buf; false at its end. */
bool
fg_table_read_record(BufFile *file, StringInfo buf)
{
	uint32		len;
	size_t		got = RFM_BUFFILE_READ(file, &len, sizeof(len));

	if (got == 0)
		return false;
	resetStringInfo(buf);
	if (got == sizeof(len))
	{
		enlargeStringInfo(buf, (int) len);
		got = RFM_BUFFILE_READ(file, buf->data, len);
		buf->len = (int) got;
		if (got == len)
			return true;
	}
	ereport(ERROR,
			(errcode_for_file_access(),
			 errmsg("could not read rfm fast grouping spill file: unexpected end")));
	return false;
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
	if (table->full || !make_room(table, 0))
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
	table->customers++;
	return entry;
}

/*
 * The entry of the key whose 64-bit hash is given (match tells equal keys
 * from others of the same hash), made with zeroed cells if new, with room
 * for need bytes of fg_table_keep; NULL when it is new and does not fit:
 * the caller spills the row.
 */
FgEntry *
fg_table_find(FgTable *table, uint64 hash, FgMatch match, void *arg, Size need, bool *is_new)
{
	uint64		index_hash = fg_hash(hash);
	uint32		tag = (uint32) (index_hash >> 32);
	uint64		b = index_hash & table->mask;
	FgEntry    *entry;

	for (; table->slots[b].entry != 0; b = (b + 1) & table->mask)
	{
		if (table->slots[b].tag != tag)
			continue;
		entry = fg_table_entry(table, table->slots[b].entry - 1);
		if (entry->key == (int64) hash && match(arg, entry))
		{
			*is_new = false;
			return entry;
		}
	}
	if (table->full || !make_room(table, need))
	{
		table->full = true;
		return NULL;
	}
	entry = fg_table_entry(table, table->count);
	memset(entry, 0, table->entry_bytes);
	entry->key = (int64) hash;
	entry->used = 1;
	place(table, index_hash, table->count);
	table->count++;
	table->customers++;
	*is_new = true;
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
	MemoryContextReset(table->arena_cxt);
	note_bytes(table, table->bytes - table->arena_bytes);
	table->arena_bytes = 0;
	table->arena_left = 0;
	table->arena_next = NULL;
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
	BufFile    *file = fg_table_take_batch(table);
	FgRow		row;

	if (file == NULL)
		return false;
	while (RFM_BUFFILE_READ(file, &row, sizeof(FgRow)) == sizeof(FgRow))
		fg_table_add(table, &row);
	fg_table_end_batch(table, file);
	return true;
}

/*
 * Once the table has been emitted: empties it for the next spilled batch
 * and returns that batch's file (NULL when none is left); the caller adds
 * its rows, then calls fg_table_end_batch.
 */
BufFile *
fg_table_take_batch(FgTable *table)
{
	FgPending  *pending;
	BufFile    *file;

	if (table->pending == NIL)
		return NULL;
	pending = linitial(table->pending);
	table->pending = list_delete_first(table->pending);
	clear_entries(table);
	table->depth = pending->depth;
	file = pending->file;
	pfree(pending);
	return file;
}

void
fg_table_end_batch(FgTable *table, BufFile *file)
{
	fg_table_finish_input(table);
	BufFileClose(file);
	table->batches++;
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
	table->customers = 0;
	table->kept_bytes = 0;
}

/*
 * No customers, spill files and pending batches kept: for a caller that has
 * written every customer in the table out (fast_history_table.c to its spill
 * files, the parallel engine as partial summaries) and goes on filling it.
 */
void
fg_table_clear(FgTable *table)
{
	Assert(table->batched == 0);
	clear_entries(table);
}
