/*
 * agg_state.h: returning an internal aggregate state.
 */
#ifndef RFM_AGG_STATE_H
#define RFM_AGG_STATE_H

/*
 * A transition or combine function that has no state yet (it skipped NULL
 * rows) must return SQL NULL, not a null pointer: the serialize function is
 * strict and would otherwise dereference it in a parallel worker.
 */
#define RFM_RETURN_STATE(state) \
	do { if ((state) == NULL) PG_RETURN_NULL(); PG_RETURN_POINTER(state); } while (0)

#endif							/* RFM_AGG_STATE_H */
