/*
 * fast_group_parallel.c: the exchange of the parallel fast grouping engine
 * (see fast_group_parallel.h for the protocol).
 *
 * Partitions: at least 4 per participant, so that a participant that
 * finishes early claims another and the last one to finish has a small
 * part left; more where the customers would not fit the merging table one
 * partition at a time (fg_exchange_partitions), up to 128.  A partition
 * that does not fit work_mem × hash_mem_multiplier when merged spills as
 * the serial engine does, which writes its partial summaries out and reads
 * them once more: at 10M customers and 4MB, 16 partitions of 625k customers
 * spilled 28.6M partial summaries per participant, as many as it wrote.
 *
 * Each partition a participant writes holds a 32 kB chunk and an 8 kB file
 * buffer while it writes (FG_WRITE_BUFFER_BYTES), outside the tables, as
 * Parallel Hash Join's batch files: 0.6 MB for 16 partitions, 5 MB for 128.
 * The participant's own table (fast_group_exec.c) gives that much of its
 * budget up while it writes.
 *
 * The partition is chosen by bits 40 and up of the customer's hash: the
 * merging table indexes by the low bits and spills by the top ones, so the
 * customers of one partition still spread over both.
 */
#include "postgres.h"

#include "miscadmin.h"
#include "pgstat.h"
#include "port/atomics.h"
#include "storage/barrier.h"
#include "storage/sharedfileset.h"
#include "storage/spin.h"

#include "compat.h"
#include "fast_group_parallel.h"

#define FG_PARTITION_SHIFT 40
#define FG_MIN_PARTITIONS 8
#define FG_MAX_PARTITIONS 128

/* SharedTuplestore's write chunk (STS_CHUNK_PAGES blocks) and its BufFile's buffer */
#define FG_WRITE_BUFFER_BYTES ((Size) 5 * BLCKSZ)

/* Barrier phases */
#define FG_PHASE_WRITE 0		/* partial summaries are being written */
#define FG_PHASE_MERGE 1		/* partitions are being claimed and merged */

struct FgShared
{
	Barrier		barrier;
	pg_atomic_uint32 next_partition;
	slock_t		mutex;			/* frame, frame_ready */
	bool		frame_ready;
	FgFrame		frame;
	int			participants;
	int			partitions;
	dsm_handle	segment;		/* for the workers' SharedFileSetAttach; 0: none */
	SharedFileSet fileset;
	/* then partitions SharedTuplestores, each store_bytes() long */
};

/* A partial summary as a SharedTuplestore stores it: a "minimal tuple" of our own. */
typedef struct FgPartialTuple
{
	uint32		t_len;			/* where a MinimalTuple has its length */
	uint32		key_null;
	char		row[sizeof(FgRow)]; /* unaligned: copied in and out */
} FgPartialTuple;

int
fg_exchange_partitions(int participants, double customers, Size entry_bytes, Size budget)
{
	int			n = FG_MIN_PARTITIONS;

	while (n < 4 * participants && n < FG_MAX_PARTITIONS)
		n <<= 1;
	while (n < FG_MAX_PARTITIONS && fg_table_bytes_for(customers / n, entry_bytes) > budget)
		n <<= 1;
	return n;
}

Size
fg_exchange_write_bytes(const FgExchange *x)
{
	return (Size) x->partitions * FG_WRITE_BUFFER_BYTES;
}

static Size
store_bytes(int participants)
{
	return MAXALIGN(sts_estimate(participants));
}

static SharedTuplestore *
store(FgShared *shared, int partition)
{
	return (SharedTuplestore *) ((char *) shared + MAXALIGN(sizeof(FgShared)) +
								 partition * store_bytes(shared->participants));
}

Size
fg_exchange_estimate(int participants, int partitions)
{
	return MAXALIGN(sizeof(FgShared)) + partitions * store_bytes(participants);
}

static FgExchange *
new_exchange(FgShared *shared, int participant)
{
	FgExchange *x = palloc0(sizeof(FgExchange));

	x->shared = shared;
	x->participant = participant;
	x->partitions = shared->partitions;
	x->stores = palloc0(sizeof(SharedTuplestoreAccessor *) * x->partitions);
	x->claimed = -1;
	return x;
}

/* Shared state of a first run or a rescan; the leader's accessors. */
static void
initialize_shared(FgExchange *x)
{
	FgShared   *shared = x->shared;
	int			p;

	BarrierInit(&shared->barrier, 0);
	pg_atomic_init_u32(&shared->next_partition, 0);
	SpinLockInit(&shared->mutex);
	shared->frame_ready = false;
	for (p = 0; p < shared->partitions; p++)
	{
		char		name[32];

		/* sts_initialize leaves the page counts as it finds them: zeroed */
		memset(store(shared, p), 0, store_bytes(shared->participants));
		snprintf(name, sizeof(name), "rfm_group.%d", p);
		x->stores[p] = sts_initialize(store(shared, p), shared->participants, 0, 0,
									  SHARED_TUPLESTORE_SINGLE_PASS, &shared->fileset, name);
	}
	x->claimed = -1;
	x->attached = false;
	x->written = 0;
	x->merged = 0;
}

FgExchange *
fg_exchange_create(void *space, int participants, int partitions, dsm_segment *seg)
{
	FgShared   *shared = space;
	FgExchange *x;

	memset(shared, 0, sizeof(FgShared));
	shared->participants = participants;
	shared->partitions = partitions;
	shared->segment = seg ? dsm_segment_handle(seg) : 0;
	SharedFileSetInit(&shared->fileset, seg);
	x = new_exchange(shared, 0);
	initialize_shared(x);
	return x;
}

FgExchange *
fg_exchange_attach(void *space, int participant)
{
	FgShared   *shared = space;
	FgExchange *x = new_exchange(shared, participant);
	dsm_segment *seg = shared->segment ? dsm_find_mapping(shared->segment) : NULL;
	int			p;

	if (participant >= shared->participants)
		elog(ERROR, "rfm fast grouping: participant %d of %d", participant,
			 shared->participants);
	/* the files outlive this worker until the last participant detaches */
	if (seg)
		SharedFileSetAttach(&shared->fileset, seg);
	for (p = 0; p < x->partitions; p++)
		x->stores[p] = sts_attach(store(shared, p), participant, &shared->fileset);
	return x;
}

void
fg_exchange_reset(FgExchange *x)
{
	int			p;

	for (p = 0; p < x->partitions; p++)
	{
		sts_end_parallel_scan(x->stores[p]);
		pfree(x->stores[p]);
	}
	SharedFileSetDeleteAll(&x->shared->fileset);
	initialize_shared(x);
}

bool
fg_exchange_begin(FgExchange *x)
{
	int			phase = BarrierAttach(&x->shared->barrier);

	x->attached = true;
	return phase == FG_PHASE_WRITE;
}

void
fg_exchange_put(FgExchange *x, const FgRow *row, bool key_null)
{
	FgPartialTuple tuple;
	int			p = key_null ? 0 :
		(int) ((fg_hash(row->key) >> FG_PARTITION_SHIFT) & (uint64) (x->partitions - 1));

	tuple.t_len = sizeof(FgPartialTuple);
	tuple.key_null = key_null;
	memcpy(tuple.row, row, sizeof(FgRow));
	sts_puttuple(x->stores[p], NULL, (MinimalTuple) &tuple);
	x->written++;
}

void
fg_exchange_share_frame(FgExchange *x, const FgFrame *frame)
{
	FgShared   *shared = x->shared;

	SpinLockAcquire(&shared->mutex);
	shared->frame = *frame;
	shared->frame_ready = true;
	SpinLockRelease(&shared->mutex);
}

void
fg_exchange_wait(FgExchange *x)
{
	int			p;

	for (p = 0; p < x->partitions; p++)
		sts_end_write(x->stores[p]);
	if (BarrierPhase(&x->shared->barrier) == FG_PHASE_WRITE)
		BarrierArriveAndWait(&x->shared->barrier, PG_WAIT_EXTENSION);
}

bool
fg_exchange_frame(FgExchange *x, FgFrame *frame)
{
	FgShared   *shared = x->shared;
	bool		ready;

	SpinLockAcquire(&shared->mutex);
	ready = shared->frame_ready;
	if (ready)
		*frame = shared->frame;
	SpinLockRelease(&shared->mutex);
	return ready;
}

bool
fg_exchange_claim(FgExchange *x)
{
	uint32		p;

	if (x->claimed >= 0)
		sts_end_parallel_scan(x->stores[x->claimed]);
	x->claimed = -1;
	p = pg_atomic_fetch_add_u32(&x->shared->next_partition, 1);
	if (p >= (uint32) x->partitions)
		return false;
	sts_begin_parallel_scan(x->stores[p]);
	x->claimed = (int) p;
	x->merged++;
	return true;
}

bool
fg_exchange_next(FgExchange *x, FgRow *row, bool *key_null)
{
	MinimalTuple tuple = sts_parallel_scan_next(x->stores[x->claimed], NULL);
	const FgPartialTuple *partial = (const FgPartialTuple *) tuple;

	if (tuple == NULL)
		return false;
	if (tuple->t_len != sizeof(FgPartialTuple))
		elog(ERROR, "rfm fast grouping: a partial summary of %u bytes", tuple->t_len);
	memcpy(row, partial->row, sizeof(FgRow));
	*key_null = partial->key_null != 0;
	return true;
}

void
fg_exchange_end(FgExchange *x)
{
	if (x->claimed >= 0)
		sts_end_parallel_scan(x->stores[x->claimed]);
	x->claimed = -1;
	if (x->attached)
		BarrierDetach(&x->shared->barrier);
	x->attached = false;
	/* without a DSM segment nothing deletes the files on detach; no worker runs then */
	if (x->participant == 0 && x->shared->segment == 0)
		SharedFileSetDeleteAll(&x->shared->fileset);
}
