/*
 * fast_group_parallel.h: the exchange of the parallel fast grouping engine.
 *
 * Each participant of a parallel plan (the workers, and the leader when it
 * takes part) groups its share of the order rows into partial summaries
 * (fast_group_exec.c), then writes them here, into one of a few partitions
 * chosen by the customer's hash: a SharedTuplestore per partition over one
 * SharedFileSet, as Parallel Hash Join's batches.  A Barrier holds every
 * participant until all partial summaries are written; then each claims
 * whole partitions, one at a time, and merges each into final summaries.
 * A customer lives in one partition, so it is merged by one process only,
 * and the Gather above only unions finished customers.
 *
 * Participants attach to the Barrier when they start running, so workers
 * that never launched are never waited for; one that attaches after the
 * others have written (its share of the scan is then empty) only merges.
 */
#ifndef RFM_FAST_GROUP_PARALLEL_H
#define RFM_FAST_GROUP_PARALLEL_H

#include "postgres.h"

#include "storage/dsm.h"
#include "utils/sharedtuplestore.h"

#include "fast_group_table.h"

typedef struct FgShared FgShared;	/* in the parallel query's DSM segment */

/* One participant's view of the exchange (backend-local). */
typedef struct FgExchange
{
	FgShared   *shared;
	int			participant;	/* 0: the leader, 1 + ParallelWorkerNumber */
	int			partitions;
	SharedTuplestoreAccessor **stores;	/* one per partition */
	int			claimed;		/* the partition being read, -1: none */
	bool		attached;		/* to the Barrier */
	int64		written;		/* partial summaries this participant wrote */
	int64		merged;			/* partitions this participant merged */
} FgExchange;

/*
 * Partitions for this many participants (workers + 1) and customers (an
 * upper estimate), so that one partition's customers fit a merging table of
 * entry_bytes entries within budget bytes, as far as the maximum allows.
 */
extern int	fg_exchange_partitions(int participants, double customers, Size entry_bytes,
								   Size budget);

/* Bytes of shared memory for the exchange. */
extern Size fg_exchange_estimate(int participants, int partitions);

/* The leader: sets up the shared memory (space) and joins as participant 0. */
extern FgExchange *fg_exchange_create(void *space, int participants, int partitions,
									  dsm_segment *seg);

/* The write buffers of a participant that writes to every partition. */
extern Size fg_exchange_write_bytes(const FgExchange *x);

/* A worker joins the exchange the leader set up. */
extern FgExchange *fg_exchange_attach(void *space, int participant);

/* The leader, before a rescan's workers start: files deleted, all phases again. */
extern void fg_exchange_reset(FgExchange *x);

/*
 * Joins the Barrier: true when this participant comes while partial
 * summaries are being written (it groups its share and writes), false
 * when they already have been (it only merges).
 */
extern bool fg_exchange_begin(FgExchange *x);

/* One partial summary into its customer's partition (the NULL key: partition 0). */
extern void fg_exchange_put(FgExchange *x, const FgRow *row, bool key_null);

/* The frame this participant's rows share (as_of, period): identical in all. */
extern void fg_exchange_share_frame(FgExchange *x, const FgFrame *frame);

/* Ends writing and waits for every participant that writes. */
extern void fg_exchange_wait(FgExchange *x);

/* The frame, if any participant saw a row that counts. */
extern bool fg_exchange_frame(FgExchange *x, FgFrame *frame);

/* Claims the next partition nobody merges yet; false when none is left. */
extern bool fg_exchange_claim(FgExchange *x);

/* The next partial summary of the claimed partition; false at its end. */
extern bool fg_exchange_next(FgExchange *x, FgRow *row, bool *key_null);

/* Done: the last partition closed, the Barrier left. */
extern void fg_exchange_end(FgExchange *x);

#endif							/* RFM_FAST_GROUP_PARALLEL_H */
