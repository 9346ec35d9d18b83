/*
 * fast_score_plan.c: choosing the "RFM WindowAgg" node.
 *
 * At UPPERREL_WINDOW (create_upper_paths_hook, planner_hooks.c): when every
 * window function of the query level is rfm_score(summary [, bins]) OVER ()
 * and the rows come from the fast grouping engine (directly, or through a subquery scan
 * or a projection that filter nothing and compute nothing volatile), a
 * CustomPath is offered beside the WindowAgg path.  WindowAgg would spool
 * every row into a tuplestore to let the function read the partition; the
 * engine's table already holds the rows, so the node reads them once to
 * rank and has the engine emit them again (fast_score_exec.c).  Anything
 * else keeps WindowAgg; a DEBUG1 message says why.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "optimizer/clauses.h"
#include "optimizer/cost.h"
#include "optimizer/optimizer.h"
#include "optimizer/pathnode.h"
#include "optimizer/planner.h"
#include "parser/parsetree.h"
#include "utils/guc.h"

#include "compat.h"
#include "fast_group.h"
#include "fast_score.h"

extern Datum rfm_score_window(PG_FUNCTION_ARGS);
extern Datum rfm_score_window_lapsed_apart(PG_FUNCTION_ARGS);

#define DEFAULT_BINS 5

bool		rfm_fast_scoring = true;

/* the nodes made while planning the current statement */
static List *planned_scores = NIL;

/*
 * How many statements are being planned inside rfm's planner_hook.  Zero
 * while planning a session's first rfm query when rfm was not preloaded:
 * the library is loaded in the middle of planning it (by the support
 * function of rfm_summary's transition functions), after planner() was
 * entered, so nothing runs after its set_plan_references.
 */
static int	statements_in_hook = 0;

/*
 * Why wf cannot be computed by the node, or NULL; whether it is rfm_score
 * at all into is_score, and its rule into lapsed_apart.
 */
static const char *
check_window_function(PlannerInfo *root, WindowFunc *wf, bool *is_score, bool *lapsed_apart)
{
	PGFunction	fn;
	ListCell   *lc;

	*is_score = false;
	if (wf->winagg)
		return "an aggregate is computed over a window";
	fn = rfm_function_address(wf->winfnoid);
	if (fn != rfm_score_window && fn != rfm_score_window_lapsed_apart)
		return "a window function other than rfm_score is computed";
	*is_score = true;
	*lapsed_apart = fn == rfm_score_window_lapsed_apart;
	if (wf->aggfilter)
		return "rfm_score has a FILTER clause";
	if (list_length(wf->args) < 1 || list_length(wf->args) > 2)
		return "rfm_score has an unexpected number of arguments";
	if (contain_volatile_functions((Node *) wf->args) || contain_subplans((Node *) wf->args))
		return "an argument of rfm_score is volatile or a subquery";
	/* the window function reads bins on the partition's first row: it must be one value */
	if (list_length(wf->args) == 2 &&
		(contain_var_clause(lsecond(wf->args)) || contain_agg_clause(lsecond(wf->args))))
		return "the number of bins depends on the row";
	foreach(lc, root->parse->windowClause)
	{
		WindowClause *wc = lfirst(lc);

		if (wc->winref == wf->winref)
			return wc->partitionClause || wc->orderClause ?
				"rfm_score's window has PARTITION BY or ORDER BY" : NULL;
	}
	return "rfm_score's window clause was not found";
}

/*
 * The rows must reach the node unfiltered, from an engine that can emit
 * them twice alike: nothing volatile computed on the way.
 */
static const char *
check_input(Path *path)
{
	for (;;)
	{
		if (contain_volatile_functions((Node *) path->pathtarget->exprs))
			return "the rows carry a volatile expression";
		if (rfm_fast_group_is_engine_path(path))
			return NULL;
		if (IsA(path, SubqueryScanPath) && path->parent->baserestrictinfo != NIL)
			return "the rows are filtered on their way from the engine";
		if (IsA(path, SubqueryScanPath))
			path = ((SubqueryScanPath *) path)->subpath;
		else if (IsA(path, ProjectionPath))
			path = ((ProjectionPath *) path)->subpath;
		else if (IsA(path, GatherPath))
			path = ((GatherPath *) path)->subpath;	/* the parallel engine: rows spooled */
		else
			return "the rows do not come from the fast grouping engine";
	}
}

/*
 * Whether expr, on the rows of path, is the engine's rfm_summary call
 * itself, passed up unchanged: then the node can read the summaries from
 * the engine's table instead of from its rows.
 */
static bool
is_engine_summary(Path *path, Expr *expr)
{
	for (;;)
	{
		/* (an engine that filters may hold ranked customers it does not emit) */
		if (rfm_fast_group_is_engine_path(path))
			return equal(expr, rfm_fast_group_path_summary(path)) &&
				!rfm_fast_group_path_drops_summaries(path);
		if (IsA(path, ProjectionPath))
			path = ((ProjectionPath *) path)->subpath;
		else if (IsA(path, SubqueryScanPath))
		{
			RelOptInfo *rel = path->parent;
			Var		   *var = (Var *) expr;
			TargetEntry *tle;

			if (!IsA(var, Var) || (Index) var->varno != rel->relid || var->varattno <= 0 ||
				var->varlevelsup != 0 || rel->subroot == NULL)
				return false;
			tle = get_tle_by_resno(rel->subroot->parse->targetList, var->varattno);
			if (tle == NULL)
				return false;
			expr = tle->expr;
			path = ((SubqueryScanPath *) path)->subpath;
		}
		else
			return false;
	}
}

static const CustomPathMethods fs_path_methods;

/*
 * Costed as WindowAgg is (which counts no spooling, and no wait for the
 * whole partition before the first row), minus its charge per window
 * function call: the ranking is linear, and the spooling this node saves
 * is not in either cost.  So the planner prefers the node wherever both
 * can run.
 */
static Path *
make_score_path(RelOptInfo *window_rel, PathTarget *target, Path *input, List *funcs,
				List *lapsed)
{
	CustomPath *path = makeNode(CustomPath);
	bool		direct = true;
	ListCell   *lc;

	path->path.pathtype = T_CustomScan;
	path->path.parent = window_rel;
	path->path.pathtarget = target;
	path->path.rows = input->rows;
	path->path.parallel_safe = window_rel->consider_parallel && input->parallel_safe;
	path->path.startup_cost = input->startup_cost + target->cost.startup;
	path->path.total_cost = input->total_cost + target->cost.startup +
		input->rows * (cpu_tuple_cost + target->cost.per_tuple);
	RFM_PATH_COPY_DISABLED(&path->path, input);
	path->flags = RFM_CUSTOMPATH_FLAGS;
	path->custom_paths = list_make1(input);
	foreach(lc, funcs)
		direct = direct && is_engine_summary(input, linitial(((WindowFunc *) lfirst(lc))->args));
	path->custom_private = list_make3(funcs, lapsed, makeInteger(direct));
	path->methods = &fs_path_methods;
	return &path->path;
}

void
rfm_fast_score_paths(PlannerInfo *root, RelOptInfo *input_rel, RelOptInfo *window_rel)
{
	/* what the WindowAgg paths emit (window_rel's reltarget is not set) */
	PathTarget *target = root->upper_targets[UPPERREL_WINDOW];
	List	   *pulled;
	List	   *funcs = NIL;
	List	   *lapsed = NIL;
	const char *reason = NULL;
	bool		any_score = false;
	ListCell   *lc;

	if (IS_DUMMY_REL(input_rel) || input_rel->cheapest_total_path == NULL || target == NULL)
		return;
	pulled = pull_var_clause((Node *) target->exprs,
							 PVC_INCLUDE_WINDOWFUNCS | PVC_INCLUDE_AGGREGATES |
							 PVC_INCLUDE_PLACEHOLDERS);
	foreach(lc, pulled)
	{
		WindowFunc *wf = lfirst(lc);
		bool		is_score;
		bool		lapsed_apart = false;
		const char *why;

		if (!IsA(wf, WindowFunc))
			continue;
		why = check_window_function(root, wf, &is_score, &lapsed_apart);
		any_score = any_score || is_score;
		if (why != NULL)
			reason = reason ? reason : why;
		else if (!list_member(funcs, wf))
		{
			funcs = lappend(funcs, wf);
			lapsed = lappend(lapsed, makeInteger(lapsed_apart));
		}
	}
	if (!any_score)
		return;					/* no rfm_score here: nothing to say */
	if (reason == NULL && RFM_EXPLAIN_NEEDS_WINDOWAGG && statements_in_hook == 0)
		reason = "rfm was loaded while this statement was being planned (its first rfm query in this session), and EXPLAIN could not print the node";
	if (reason == NULL && root->parse->hasTargetSRFs)
		reason = "the select list has a set-returning function";
	if (reason == NULL)
		reason = check_input(input_rel->cheapest_total_path);
	if (reason != NULL)
	{
		ereport(DEBUG1,
				(errmsg_internal("rfm fast scoring not used: %s", reason)));
		return;
	}
	add_path(window_rel, make_score_path(window_rel, target, input_rel->cheapest_total_path,
										 funcs, lapsed));
}

/* The first window function before i with the same argument and rule, or i. */
static int
ranking_owner(List *funcs, List *lapsed, int i)
{
	WindowFunc *wf = list_nth(funcs, i);
	int			j;

	for (j = 0; j < i; j++)
	{
		WindowFunc *other = list_nth(funcs, j);

		if (equal(linitial(other->args), linitial(wf->args)) &&
			intVal(list_nth(lapsed, j)) == intVal(list_nth(lapsed, i)))
			return j;
	}
	return i;
}

/*
 * The scan tuple is the child's row followed by one score a window
 * function; the node's output refers to it.
 */
static Plan *
plan_score_path(PlannerInfo *root pg_attribute_unused(),
				RelOptInfo *rel pg_attribute_unused(), CustomPath *best_path,
				List *tlist, List *clauses pg_attribute_unused(), List *custom_plans)
{
	CustomScan *cscan = makeNode(CustomScan);
	Plan	   *child = linitial(custom_plans);
	List	   *funcs = linitial(best_path->custom_private);
	List	   *lapsed = lsecond(best_path->custom_private);
	List	   *scan_tlist = NIL;
	List	   *ints = list_make2(makeInteger(list_length(child->targetlist)),
									  copyObject(lthird(best_path->custom_private)));
	ListCell   *lc;
	int			i;

	foreach(lc, child->targetlist)
		scan_tlist = lappend(scan_tlist,
							 makeTargetEntry(copyObject(((TargetEntry *) lfirst(lc))->expr),
											 list_length(scan_tlist) + 1, NULL, false));
	for (i = 0; i < list_length(funcs); i++)
	{
		WindowFunc *wf = list_nth(funcs, i);
		Expr	   *bins = list_length(wf->args) > 1 ? lsecond(wf->args) :
			(Expr *) makeConst(INT4OID, -1, InvalidOid, sizeof(int32),
							   Int32GetDatum(DEFAULT_BINS), false, true);

		scan_tlist = lappend(scan_tlist, makeTargetEntry((Expr *) copyObject(wf),
														 list_length(scan_tlist) + 1, NULL, false));
		cscan->custom_exprs = lappend(cscan->custom_exprs, copyObject(linitial(wf->args)));
		cscan->custom_exprs = lappend(cscan->custom_exprs, copyObject(bins));
		ints = lappend(ints, makeInteger(intVal(list_nth(lapsed, i))));
		ints = lappend(ints, makeInteger(ranking_owner(funcs, lapsed, i)));
	}
	cscan->scan.plan.targetlist = tlist;
	cscan->scan.scanrelid = 0;
	cscan->flags = best_path->flags;
	cscan->custom_plans = custom_plans;
	cscan->custom_scan_tlist = scan_tlist;
	cscan->custom_private = ints;
	cscan->methods = &rfm_fast_score_scan_methods;
	/* (outside the hook: 13-17, whose EXPLAIN prints the window functions as they are) */
	if (statements_in_hook > 0)
		planned_scores = lappend(planned_scores, cscan);
	return &cscan->scan.plan;
}

static const CustomPathMethods fs_path_methods = {
	.CustomName = RFM_FAST_SCORE_NAME,
	.PlanCustomPath = plan_score_path,
};

/*
 * After set_plan_references, which matched the node's output to the
 * window functions of its scan tuple: those become plain calls of the same
 * function, which nothing evaluates but EXPLAIN prints (PostgreSQL 18
 * prints a window function only under a WindowAgg node, and errors here).
 */
static void
describe_scores_as_calls(CustomScan *cscan)
{
	ListCell   *lc;

	foreach(lc, cscan->custom_scan_tlist)
	{
		TargetEntry *tle = lfirst(lc);

		if (IsA(tle->expr, WindowFunc))
		{
			WindowFunc *wf = (WindowFunc *) tle->expr;

			tle->expr = (Expr *) makeFuncExpr(wf->winfnoid, wf->wintype, wf->args,
											  wf->wincollid, wf->inputcollid,
											  COERCE_EXPLICIT_CALL);
		}
	}
}

List *
rfm_fast_score_statement_begin(void)
{
	List	   *outer = planned_scores;

	planned_scores = NIL;
	statements_in_hook++;
	return outer;
}

List *
rfm_fast_score_statement_end(List *outer)
{
	List	   *mine = planned_scores;

	planned_scores = outer;
	statements_in_hook--;
	return mine;
}

void
rfm_fast_score_statement_finish(List *planned)
{
	ListCell   *lc;

	foreach(lc, planned)
		describe_scores_as_calls(lfirst(lc));
}

void
rfm_fast_score_init(void)
{
	DefineCustomBoolVariable("rfm.fast_scoring",
							 "Plans rfm_score(...) OVER () over the fast grouping engine without a WindowAgg.",
							 "The planner offers an \"RFM WindowAgg\" node, which has the engine emit its rows twice instead of spooling them, beside the WindowAgg; it needs rfm.fast_grouping on as well.",
							 &rfm_fast_scoring,
							 true, PGC_USERSET, 0,
							 NULL, NULL, NULL);
	RegisterCustomScanMethods(&rfm_fast_score_scan_methods);
}
