/*
 * agg_state.h: internal aggregate states that collect one fixed-size record
 * a row (agg_state.c), and returning an internal state.
 *
 * Such a state is a struct of its own whose first member is an RfmRecords;
 * what else it holds (a unit, as_of, ...) is its header, the same for every
 * row of a group.  Serialized, it is the header (written and read by the
 * aggregate), then the number of records and each record's form.
 */
#ifndef RFM_AGG_STATE_H
#define RFM_AGG_STATE_H

#include "postgres.h"
#include "fmgr.h"
#include "lib/stringinfo.h"

/*
 * A transition or combine function that has no state yet (it skipped NULL
 * rows) must return SQL NULL, not a null pointer: the serialize function is
 * strict and would otherwise dereference it in a parallel worker.
 */
#define RFM_RETURN_STATE(state) \
	do { \
		void	   *rfm_state_ = (state); /* evaluated once */ \
		if (rfm_state_ == NULL) \
			PG_RETURN_NULL(); \
		PG_RETURN_POINTER(rfm_state_); \
	} while (0)

/* The records of one aggregate: their size and how they cross processes. */
typedef struct RfmRecordForm
{
	Size		size;
	int64		min_capacity;	/* records allocated at first */
	void		(*send) (StringInfo buf, const void *record);
	void		(*recv) (StringInfo buf, void *record);
} RfmRecordForm;

/* The first member of a state: its records, grown by doubling. */
typedef struct RfmRecords
{
	const RfmRecordForm *form;
	int64		n;
	int64		capacity;
	char	   *data;
} RfmRecords;

/* The i-th record of r, of C type type. */
#define RFM_RECORD(r, type, i)	((type *) ((r)->data + (i) * sizeof(type)))

/* The aggregate's memory context, or an error naming function. */
extern MemoryContext rfm_agg_context(FunctionCallInfo fcinfo, const char *function);

/* A zeroed state of state_size bytes, room for capacity records. */
extern void *rfm_records_state_new(MemoryContext context, Size state_size,
								   const RfmRecordForm *form, int64 capacity);
extern void rfm_records_reserve(RfmRecords *r, int64 more);
/* Room for one more record at the end; returns it. */
extern void *rfm_records_append(RfmRecords *r);

/*
 * The combine step: from's records appended to into, or, when into is NULL,
 * to a new state with from's header in context.  The caller checks that
 * the headers agree.  Returns the state to return.
 */
extern void *rfm_records_combine(MemoryContext context, void *into, const void *from,
								 Size state_size);

/* A copy of the records, for a final function (which must not change the state) to sort. */
extern void *rfm_records_copy(const RfmRecords *r);
/* A copy sorted by qsort(). */
extern void *rfm_records_sorted(const RfmRecords *r, int (*compare) (const void *, const void *));

/* Serialize: the count and the records, after the header. */
extern void rfm_records_send(StringInfo buf, const RfmRecords *r);

/*
 * Deserialize: bytes into buf to read the header from, then the records,
 * which must be all that is left.
 */
extern void rfm_state_receive(bytea *bytes, StringInfo buf);
extern void rfm_records_recv(StringInfo buf, RfmRecords *r);

#endif							/* RFM_AGG_STATE_H */
