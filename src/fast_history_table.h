/*
 * fast_history_table.h: the fast grouping engine's table for rfm_history.
 *
 * rfm_history needs, per customer, the number of distinct periods with an
 * order, the first and the last, and the exact sum of the amounts outside
 * the first period.  The table keeps one fixed entry a customer (in the
 * engine's customer table, fast_group_table.c) folded order by order.
 * What enters it is a stream of records (customer, period, amount): an
 * order, or part of a customer's state written out when the table was
 * full.
 *
 * Whether an order's period is new to its customer is mostly told by the
 * entry alone: a period after the customer's last or before its first is
 * new, one equal to either is not.  An order table is written in time, so
 * its scan brings each customer's orders in that order, and only these
 * cases occur.  A scan may also start in the middle of the table (a
 * synchronized scan joins one under way, for tables over a quarter of
 * shared_buffers) and wrap around: each customer's orders then come as two
 * runs in time, the later first.  So the entry also keeps a gap, two of
 * the customer's periods with none between them (the widest such pair it
 * has met): a period inside the gap is new too.  Each new period is
 * appended to a log of (customer, period) pairs, written in sequence and
 * not read while the input lasts.  Any other period, between the first and
 * the last and outside the gap, cannot be told this way: its customer
 * becomes "out of order", and from then on its periods go into a set of
 * (customer, period) pairs (open addressing); once the input ends, the
 * log's periods of such customers are added to the set, and their distinct
 * periods counted there.
 *
 * Spilling keeps a customer whole: when the budget is reached, every
 * customer in memory is written, as records, to temporary files chosen by
 * the customer's hash, and the table starts empty again.  A customer's
 * state is written as at most one record per period, whose amounts add up
 * to the same history (the first period's total at the first period, the
 * rest at the last period, zero at the others), so that records from
 * several such flushes and orders merge exactly in any order.  Once the
 * input ends, each file is read back as a batch of its own (flushed again,
 * one level deeper, if it still does not fit).
 */
#ifndef RFM_FAST_HISTORY_TABLE_H
#define RFM_FAST_HISTORY_TABLE_H

#include "postgres.h"

#include "fast_group_table.h"
#include "predict.h"

#define FH_RECORD_NULL_KEY	0x01	/* the NULL customer (key is 0) */
#define FH_RECORD_NO_ORDER	0x02	/* makes the customer exist, without an order */

typedef struct FhRecord
{
	int128		value;			/* amount * 10^scale */
	int64		key;
	int64		period;
	int16		scale;
	uint8		flags;
	uint8		reserved[5];
} FhRecord;

/*
 * One customer, in an entry of the customer table: laid over FgEntry, whose
 * key and used fields the table sets (checked in fast_history_table.c).
 */
typedef struct FhCustomer
{
	int128		first_sum;		/* the first period's amounts * 10^first_scale */
	int64		key;
	int64		first;			/* first period */
	int64		last;			/* last period */
	int64		periods;		/* distinct periods; 0: no order (a NULL history) */
	int16		first_scale;
	int16		repeat_scale;
	uint32		number;			/* entry number + 1: the customer in the log and the set */
	uint8		out_of_order;	/* its periods are counted in the pair set */
	uint8		spare[3];
	uint8		used;
	uint8		reserved[3];
	int128		repeat;			/* the other periods' amounts * 10^repeat_scale */
	int64		gap_low;		/* periods of the customer with none between them */
	int64		gap_high;
} FhCustomer;

/* A (customer, period) pair: customer is the entry number + 1, 0 marks an empty slot of the set. */
typedef struct FhPair
{
	int64		period;
	uint32		customer;
	uint32		reserved;
} FhPair;

#define FH_QUEUE 64

typedef struct FhTable
{
	FgTable    *customers;		/* its external_bytes: the pair set's and the log's */
	FhPair	   *pairs;
	uint64		pair_mask;
	uint64		pair_count;
	FhPair	  **log;			/* chunks of FH_LOG_CHUNK pairs */
	int			log_chunks;		/* allocated */
	int			log_slots;		/* length of the log array */
	uint64		log_count;		/* pairs in the log */
	int64		out_of_order;	/* customers out of order since the table was emptied */
	double		rows;			/* the planner's estimate of input rows */
	FhCustomer	null_customer;	/* the NULL key: one group, as in GROUP BY */
	bool		null_seen;
	bool		flushed;		/* customers of this batch went to files: emit them from there */

	/* records waiting for their batch (their buckets prefetched) */
	FhRecord	queue[FH_QUEUE];
	FhCustomer *entry[FH_QUEUE];
	int			queued;

	/* instrumentation */
	int64		flushes;
	int64		written;		/* records written to spill files */
	int64		emitted_batches;
	int64		out_of_order_total; /* customers that were out of order, every batch */
} FhTable;

extern FhTable *fh_table_create(MemoryContext cxt, Size budget, double customers, double rows);
extern void fh_table_flush_queue(FhTable *table);
/* After the last record of the input or of a batch: whether its customers are in memory. */
extern bool fh_table_finish(FhTable *table);
/* The next spilled batch read back into the table; false when none is left. */
extern bool fh_table_next_batch(FhTable *table);
extern void fh_table_reset(FhTable *table);

/* Customer i of the table (0 .. customers->count - 1). */
static inline FhCustomer *
fh_table_customer(const FhTable *table, uint32 i)
{
	return (FhCustomer *) fg_table_entry(table->customers, i);
}

/* Queues one record; its customer's bucket is fetched into cache meanwhile. */
static inline void
fh_table_add(FhTable *table, const FhRecord *record)
{
	table->queue[table->queued] = *record;
	if (!(record->flags & FH_RECORD_NULL_KEY))
		fg_table_prefetch_bucket(table->customers, (uint64) record->key);
	if (++table->queued == FH_QUEUE)
		fh_table_flush_queue(table);
}

#endif							/* RFM_FAST_HISTORY_TABLE_H */
