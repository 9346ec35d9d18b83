/*
 * planner_hooks.c: rfm's planner hooks, chained once, dispatching.
 *
 * create_upper_paths_hook: UPPERREL_GROUP_AGG goes to the fast grouping
 * engine's planner, UPPERREL_WINDOW to the fast scoring node's.
 * planner_hook: wraps each statement's planning so that the scoring
 * nodes it made can be finished after set_plan_references.
 *
 * rfm_summary_trans_support, the planner support function of every
 * rfm_summary transition function (issue 19): the planner calls it while
 * costing the query's aggregates (get_agg_clause_costs ->
 * add_function_cost), which is before the grouping paths are built and
 * create_upper_paths_hook is read.  Calling it loads the library, whose
 * _PG_init installs the hooks above: so a session's first rfm query is
 * planned with the engine, without any preload setting.  planner_hook is
 * installed too late for that first statement; fast_score_plan.c copes.
 * The cost it returns is the measured one, so that Agg's estimate is as
 * true as the engine's (fast_group_plan.c has the figures): per row for the
 * transition functions, and for the final function, called once a group,
 * what Agg spends per group.
 */
#include "postgres.h"

#include "fmgr.h"
#include "nodes/supportnodes.h"
#include "optimizer/optimizer.h"
#include "optimizer/planner.h"

#include "fast_group.h"
#include "fast_history.h"
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
	{
		rfm_fast_group_paths(root, input_rel, output_rel, extra);
		rfm_fast_history_paths(root, input_rel, output_rel, extra);
	}
	else if (stage == UPPERREL_WINDOW && rfm_fast_grouping != FG_SETTING_OFF &&
			 rfm_fast_scoring)
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

extern Datum rfm_summary_final(PG_FUNCTION_ARGS);

PG_FUNCTION_INFO_V1(rfm_summary_trans_support);

Datum
rfm_summary_trans_support(PG_FUNCTION_ARGS)
{
	Node	   *request = (Node *) PG_GETARG_POINTER(0);

	if (IsA(request, SupportRequestCost))
	{
		SupportRequestCost *cost = (SupportRequestCost *) request;

		cost->startup = 0;
		cost->per_tuple = rfm_function_address(cost->funcid) == rfm_summary_final ?
			RFM_SUMMARY_GROUP_COST : RFM_SUMMARY_TRANS_COST;
		PG_RETURN_POINTER(cost);
	}
	PG_RETURN_POINTER(NULL);
}

void
rfm_planner_hooks_init(void)
{
	prev_upper_paths_hook = create_upper_paths_hook;
	create_upper_paths_hook = rfm_upper_paths;
	prev_planner_hook = planner_hook;
	planner_hook = rfm_planner;
}
