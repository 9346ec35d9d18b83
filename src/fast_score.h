/*
 * fast_score.h: the "RFM WindowAgg" node.
 *
 * SELECT ..., rfm_score(s) OVER () ... over rows that come from the fast
 * grouping engine is planned, when rfm.fast_grouping is on, as a CustomScan
 * that ranks the summaries as the window function does (score_rank.c) but
 * does not spool the rows into a tuplestore: it reads them once to rank,
 * then has the engine emit them again from its table, scores attached.
 */
#ifndef RFM_FAST_SCORE_H
#define RFM_FAST_SCORE_H

#include "postgres.h"

#include "nodes/extensible.h"
#include "nodes/pathnodes.h"

#define RFM_FAST_SCORE_NAME "RFM WindowAgg"

extern bool rfm_fast_scoring;

extern const CustomScanMethods rfm_fast_score_scan_methods;

/* create_upper_paths_hook at UPPERREL_WINDOW */
extern void rfm_fast_score_paths(PlannerInfo *root, RelOptInfo *input_rel,
								 RelOptInfo *window_rel);

extern void rfm_fast_score_init(void);

/*
 * Around the planning of one statement (planner_hook): begin returns the
 * enclosing statement's scoring nodes and starts a list for this one; end
 * restores the enclosing list and returns this statement's; finish, after
 * set_plan_references, turns their scan tuples' window functions into
 * plain calls for EXPLAIN.
 */
extern List *rfm_fast_score_statement_begin(void);
extern List *rfm_fast_score_statement_end(List *outer);
extern void rfm_fast_score_statement_finish(List *planned);

/*
 * custom_private of the plan node: Integer nodes, the number of columns of
 * the child's rows; whether every window function's argument is the
 * engine's summary itself (then the first pass reads the engine's table);
 * then per window function whether it ranks lapsed summaries apart (0.2)
 * and the number of the first window function with the same argument and
 * rule, whose ranking it shares.  custom_exprs: per window function its
 * summary argument and its bins.
 */
#define FS_PRIVATE_CHILD_COLS 0
#define FS_PRIVATE_DIRECT 1
#define FS_PRIVATE_FUNCS 2
#define FS_PRIVATE_PER_FUNC 2

#endif							/* RFM_FAST_SCORE_H */
