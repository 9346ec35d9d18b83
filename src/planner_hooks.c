/*
 * planner_hooks.c: rfm's planner hooks, chained once, dispatching.
 *
 * create_upper_paths_hook: UPPERREL_GROUP_AGG goes to the fast grouping
 * engine's planner, UPPERREL_WINDOW to the fast scoring node's.
 * planner_hook: wraps each statement's planning so that the scoring
 * nodes it made can be finished after set_plan_references.
 */
#include "postgres.h"

#include "optimizer/planner.h"

#include "fast_group.h"
#include "fast_score.h"
#include "planner_hooks.h"

static create_upper_paths_hook_type prev_upper_paths_hook = NULL;
static planner_hook_type prev_planner_hook = NULL;

static void
rfm_upper_paths(PlannerInfo *root, UpperRelationKind stage, RelOptInfo *input_rel,
				RelOptInfo *output_rel, void *extra)
{
	if (prev_upper_paths_hook)
		prev_upper_paths_hook(root, stage, input_rel, output_rel, extra);
	if (stage == UPPERREL_GROUP_AGG)
		rfm_fast_group_paths(root, input_rel, output_rel, extra);
	else if (stage == UPPERREL_WINDOW && rfm_fast_grouping && rfm_fast_scoring)
		rfm_fast_score_paths(root, input_rel, output_rel);
}

static PlannedStmt *
rfm_planner(Query *parse, const char *query_string, int cursor_options,
			ParamListInfo bound_params)
{
	List	   *outer = rfm_fast_score_statement_begin();
	List	   *volatile mine = NIL;
	PlannedStmt *volatile result = NULL;

	PG_TRY();
	{
		if (prev_planner_hook)
			result = prev_planner_hook(parse, query_string, cursor_options, bound_params);
		else
			result = standard_planner(parse, query_string, cursor_options, bound_params);
	}
	PG_FINALLY();
	{
		mine = rfm_fast_score_statement_end(outer);
	}
	PG_END_TRY();
	rfm_fast_score_statement_finish(mine);
	return result;
}

void
rfm_planner_hooks_init(void)
{
	prev_upper_paths_hook = create_upper_paths_hook;
	create_upper_paths_hook = rfm_upper_paths;
	prev_planner_hook = planner_hook;
	planner_hook = rfm_planner;
}
