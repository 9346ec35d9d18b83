/*
 * fast_group_table.h: the fast grouping engine's per-customer table.
 *
 * One open-addressing table keyed by the customer id (as int64), one
 * 64-byte entry a customer, filled in batches whose buckets are prefetched
 * before they are touched, within a memory budget: customers that do not
 * fit are spilled to temporary files by hash and summarized one batch at a
 * time afterwards, the way PostgreSQL's HashAggregate spills.
 *
 * Other keys (text, numeric, several columns) and other aggregates use the
 * same table row by row (fg_table_find): the entry's key is then the
 * 64-bit hash of the key values, a caller's function tells equal keys
 * apart, the entry is followed by the caller's cells, the key's bytes are
 * kept in the table's own arena, and what the caller allocates elsewhere
 * (aggregate states) is counted in external_bytes.  Rows that do not fit
 * are spilled as records the caller writes and reads back.
 */
#ifndef RFM_FAST_GROUP_TABLE_H
#define RFM_FAST_GROUP_TABLE_H

#include "postgres.h"

#include "catalog/pg_type_d.h"
#include "lib/stringinfo.h"
#include "storage/buffile.h"

#include "hash64.h"
#include "money.h"
#include "summary.h"

/* The frame every summary of one scan shares (as_of and period are constants). */
typedef struct FgFrame
{
	int64		as_of;
	int64		since;
	uint8		kind;			/* RfmTimeKind */
	uint8		flags;			/* RFM_HAS_PERIOD */
} FgFrame;

/*
 * One customer's figures, in the table; and what one input row adds to a
 * customer, which has the same fields: one order (orders_ever = 1, or 0
 * when the row only makes the customer exist), or a partial summary of
 * many orders from a parallel worker.  Both merge the same way.
 */
typedef struct FgEntry
{
	int128		money;			/* amounts in the period * 10^scale */
	int64		key;
	int64		first_order;
	int64		last_order;
	int64		orders_ever;
	int64		frequency;
	int16		scale;
	int16		dscale;
	uint8		used;			/* an entry of the table (not set in a row) */
	uint8		reserved[3];
} FgEntry;

typedef FgEntry FgRow;

#define FG_BATCH_ROWS 64
#define FG_SPILL_BITS 4
#define FG_SPILL_PARTS (1 << FG_SPILL_BITS)
/* entries live in chunks of 256, 512, 1024, ... entries, allocated as needed */
#define FG_FIRST_CHUNK_BITS 8
#define FG_MAX_CHUNKS 32

/*
 * A bucket of the index: the top 32 bits of the customer's hash, and its
 * entry's number + 1 (0: empty).  Eight bytes, so that probing touches the
 * small index, and only the one entry that matches.
 */
typedef struct FgSlot
{
	uint32		tag;
	uint32		entry;
} FgSlot;

/* A spilled batch waiting to be summarized, and the spill depth it came from. */
typedef struct FgPending
{
	BufFile    *file;
	int			depth;
} FgPending;

/* Where a queued row's customer was found when its batch was probed. */
typedef struct FgProbe
{
	uint64		hash;
	uint64		bucket;			/* first candidate or empty bucket */
	uint32		entry;			/* candidate entry + 1, 0: none yet */
} FgProbe;

typedef struct FgTable
{
	MemoryContext cxt;			/* the index, the entries and spill bookkeeping */
	FgFrame		frame;
	Size		budget;			/* bytes the index, entries, arena and external may take */
	Size		entry_bytes;	/* sizeof(FgEntry) + the caller's cells */
	FgSlot	   *slots;
	uint64		mask;
	FgEntry    *chunks[FG_MAX_CHUNKS];
	uint32		count;			/* entries in use: 0 .. count - 1 */
	uint32		capacity;		/* entries allocated */
	Size		bytes;			/* index + entries allocated */
	bool		full;			/* at the budget: new customers spill */

	/* key bytes of the entries (fg_table_keep), freed with the entries */
	MemoryContext arena_cxt;
	char	   *arena_next;
	Size		arena_left;
	Size		arena_bytes;	/* allocated blocks, counted in bytes */
	Size		external_bytes; /* the caller's memory for the entries (set by it) */

	FgRow		batch[FG_BATCH_ROWS];
	FgProbe		probe[FG_BATCH_ROWS];
	int			batched;

	int			depth;			/* spill depth of the rows being inserted */
	BufFile    *spill[FG_SPILL_PARTS];
	List	   *pending;		/* FgPending *, summarized after this table */

	/* instrumentation */
	int64		batches;		/* spilled batches summarized so far, + 1 */
	int64		spilled_rows;
	Size		peak_bytes;		/* index, entries, arena and external together */
	int64		customers;		/* entries made, every batch */
	Size		kept_bytes;		/* key bytes kept, every batch */
} FgTable;

/* Whether entry holds the key of the row the caller is adding (arg). */
typedef bool (*FgMatch) (void *arg, const FgEntry *entry);

extern Size fg_table_bytes_for(double customers, Size entry_bytes);
extern FgTable *fg_table_create(MemoryContext cxt, Size budget, double expected,
								Size entry_bytes);
extern void fg_table_flush(FgTable *table);
extern void fg_table_finish_input(FgTable *table);
extern bool fg_table_next_batch(FgTable *table);
extern void fg_table_reset(FgTable *table);
extern void fg_table_clear(FgTable *table);

extern FgEntry *fg_table_find(FgTable *table, uint64 hash, FgMatch match, void *arg,
							  Size need, bool *is_new);
extern void *fg_table_keep(FgTable *table, Size len);
extern void fg_table_spill_record(FgTable *table, uint64 hash, const void *data, uint32 len);
extern BufFile *fg_table_take_batch(FgTable *table);
extern bool fg_table_read_record(BufFile *file, StringInfo buf);
extern void fg_table_end_batch(FgTable *table, BufFile *file);

/*
 * Adds a row to its customer's figures: rfm_summary's transition rule for
 * one order, its combine rule for a partial summary (summary_agg.c); for
 * one order the two agree.  Rows with orders_ever = 0 (after as_of, a NULL
 * date or amount, a worker's customer without orders) only make the
 * customer exist, as GROUP BY makes a group of them.
 */
static inline void
fg_entry_add(FgEntry *entry, const FgRow *row)
{
	if (row->orders_ever == 0)
		return;
	if (entry->orders_ever == 0)
	{
		entry->first_order = row->first_order;
		entry->last_order = row->last_order;
	}
	else
	{
		if (row->first_order < entry->first_order)
			entry->first_order = row->first_order;
		if (row->last_order > entry->last_order)
			entry->last_order = row->last_order;
	}
	if (__builtin_add_overflow(entry->orders_ever, row->orders_ever, &entry->orders_ever) ||
		__builtin_add_overflow(entry->frequency, row->frequency, &entry->frequency))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("order count out of range for rfm_summary")));
	if (row->frequency > 0)
	{
		int128		sum;

		/* amounts of one column mostly share a scale: add without rescaling then */
		if (row->scale == entry->scale &&
			!__builtin_add_overflow(entry->money, row->money, &sum) && rfm_money_in_range(sum))
			entry->money = sum;
		else
			rfm_money_accumulate(&entry->money, &entry->scale, row->money, row->scale);
		if (row->dscale > entry->dscale)
			entry->dscale = row->dscale;
	}
}

/* An integer key column's value (smallint, integer or bigint) as the table's key, and back. */
static inline int64
fg_key_of(Oid key_type, Datum d)
{
	switch (key_type)
	{
		case INT2OID:
			return DatumGetInt16(d);
		case INT4OID:
			return DatumGetInt32(d);
		default:
			return DatumGetInt64(d);
	}
}

static inline Datum
fg_datum_of_key(Oid key_type, int64 key)
{
	switch (key_type)
	{
		case INT2OID:
			return Int16GetDatum((int16) key);
		case INT4OID:
			return Int32GetDatum((int32) key);
		default:
			return Int64GetDatum(key);
	}
}

/* A bijection (hash64.h), so equal hashes mean equal keys. */
static inline uint64
fg_hash(int64 key)
{
	return rfm_hash64((uint64) key);
}

/* Entry number i (chunk k holds 2^(k + FG_FIRST_CHUNK_BITS) entries). */
static inline FgEntry *
fg_table_entry(const FgTable *table, uint32 i)
{
	uint64		x = (uint64) i + (UINT64CONST(1) << FG_FIRST_CHUNK_BITS);
	int			k = 63 - __builtin_clzll(x) - FG_FIRST_CHUNK_BITS;

	return (FgEntry *) ((char *) table->chunks[k] +
						(x - (UINT64CONST(1) << (k + FG_FIRST_CHUNK_BITS))) * table->entry_bytes);
}

/* Queues one row; its index bucket is fetched into cache while the batch fills. */
static inline void
fg_table_add(FgTable *table, const FgRow *row)
{
	uint64		hash = fg_hash(row->key);

	table->batch[table->batched] = *row;
	table->probe[table->batched].hash = hash;
	__builtin_prefetch(&table->slots[hash & table->mask], 0, 3);
	if (++table->batched == FG_BATCH_ROWS)
		fg_table_flush(table);
}

/*
 * For callers of fg_table_find that queue rows in batches: fetch the
 * bucket of a key's hash into cache when the row is queued, then the first
 * entry whose hash matches (NULL if none) before the row is added.
 */
static inline void
fg_table_prefetch_bucket(const FgTable *table, uint64 hash)
{
	__builtin_prefetch(&table->slots[fg_hash(hash) & table->mask], 0, 3);
}

static inline FgEntry *
fg_table_candidate(const FgTable *table, uint64 hash)
{
	uint64		index_hash = fg_hash(hash);
	uint32		tag = (uint32) (index_hash >> 32);
	uint64		b = index_hash & table->mask;

	for (; table->slots[b].entry != 0; b = (b + 1) & table->mask)
	{
		if (table->slots[b].tag == tag)
		{
			FgEntry    *entry = fg_table_entry(table, table->slots[b].entry - 1);

			__builtin_prefetch(entry, 1, 3);
			return entry;
		}
	}
	return NULL;
}

#endif							/* RFM_FAST_GROUP_TABLE_H */
