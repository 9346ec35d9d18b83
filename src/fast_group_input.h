/*
 * fast_group_input.h: reading a grouping engine's input, the rows of its
 * child plan, for both engines (rfm_summary's, fast_group_exec.c;
 * rfm_history's, fast_history_exec.c).
 *
 * Static inline: each engine passes a static read_row that the compiler
 * then inlines into this loop, so that a row costs what it did when each
 * engine had a loop of its own (a row's transition takes nanoseconds: an
 * indirect call per row would show).
 */
#ifndef RFM_FAST_GROUP_INPUT_H
#define RFM_FAST_GROUP_INPUT_H

#include "postgres.h"

#include "executor/executor.h"
#include "utils/memutils.h"

/*
 * Reads one row of the child into the engine; false asks fg_read_input to
 * return after this row.
 */
typedef bool (*FgReadRow) (void *arg, TupleTableSlot *slot);

/*
 * Passes the child's rows to read_row until the child is done (true) or
 * read_row asks to stop (false: the caller does what must not run in the
 * row context, then calls again for the rest), counting them in *rows.
 *
 * read_row runs in row_cxt, which is reset every 1024 rows: what reading a
 * row allocates (detoasted or converted values) is freed often enough that
 * the context stays small, rarely enough that resetting costs nothing a
 * row.  The child runs in the caller's context: scans set themselves up
 * lazily, and what they keep must outlive the rows.
 */
static inline bool
fg_read_input(PlanState *child, MemoryContext row_cxt, int64 *rows,
			  FgReadRow read_row, void *arg)
{
	for (;;)
	{
		TupleTableSlot *slot = ExecProcNode(child);
		MemoryContext old;
		bool		more;

		if (TupIsNull(slot))
		{
			MemoryContextReset(row_cxt);
			return true;
		}
		old = MemoryContextSwitchTo(row_cxt);
		more = read_row(arg, slot);
		MemoryContextSwitchTo(old);
		if ((++*rows & 1023) == 0)
			MemoryContextReset(row_cxt);
		if (!more)
			return false;
	}
}

#endif							/* RFM_FAST_GROUP_INPUT_H */
