/*
 * fast_history_plan.c: choosing the "RFM History HashAggregate" node.
 *
 * At UPPERREL_GROUP_AGG (create_upper_paths_hook, planner_hooks.c): when
 * the grouping is one integer column (int2, int4, int8) and the only
 * aggregate is rfm_history with as_of and unit the same for every row, a
 * CustomPath over the input's cheapest path (projected to key, ordered_at,
 * amount) is offered beside the Agg paths, costed from measurements
 * (below), and the planner takes the cheaper.  HAVING is evaluated on the
 * rows the engine emits.  Anything else stays on Agg; when the query has
 * an rfm_history, a DEBUG1 message says why the engine was not offered, or
 * that it was offered and cost more.
 *
 * Serial only.  A worker's partial result of a customer would have to carry
 * the customer's set of periods (a partial x cannot be added to another),
 * so the partial rows would be as many as the (customer, period) pairs,
 * nearly as many as the orders: Gather would move most of the input
 * between processes, which is what made the summary engine's parallel plan
 * no faster than its serial one (issue 21).  A complete grouping may still
 * run inside a parallel worker, below a Gather of customers.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "nodes/supportnodes.h"
#include "optimizer/clauses.h"
#include "optimizer/cost.h"
#include "optimizer/optimizer.h"
#include "optimizer/pathnode.h"
#include "optimizer/tlist.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/selfuncs.h"

#include "compat.h"
#include "fast_group.h"
#include "fast_group_table.h"
#include "fast_history.h"
#include "fast_history_table.h"
#include "order_row.h"
#include "summary.h"

/*
 * The engine's costs, in the planner's units (one cpu_operator_cost is
 * about 19.5 ns of the measuring machine, fast_group_plan.c).  Measured on
 * the benchmark's data (test/bench/generate.sql), unit '1 day', serial
 * plans, EXPLAIN ANALYZE, work_mem = 256MB, on the 2-core machine while
 * two other sessions ran (load average 3 to 7: times about twice an idle
 * machine's, so the figures below are the ratios to the scan):
 *
 *   5M orders:  scan 1.34 s; engine 500k customers 5.96 s, 5k groups
 *               (customer_id / 100) 3.66 s; Agg 10.6 s and 4.22 s
 *   10M orders: scan 1.0-1.2 s; engine 3.3 s (256MB), 4.4 s (4MB, 16.7M
 *               records spilled); Agg serial 12.3-13.5 s (spilling),
 *               parallel (2 workers) 9.95 s
 *
 * The scan's estimate (173,530 units for 1.0-1.2 s at 10M orders) sets the
 * scale: one cpu_operator_cost was about 16 ns during these runs.  The
 * engine's 2.2 s beyond the scan at 10M orders and 1M customers split as
 * 8 a row and 60 a customer (the 5M runs, at twice the load, put more on
 * the rows: the 5k-group run has 3.6M pairs in 5k customers, each probe a
 * cache miss; the figures are rough, the machine was not quiet).  A
 * spilled row: 1.1 s more at 4MB for 16.7M records of 10M rows, 6 a row.
 * Against Agg the choice does not hang on them: at 10M orders the engine
 * took a quarter to a third of Agg's time, serial or parallel.  (Measured
 * with a set of every (customer, period) pair; since periods are logged
 * instead (fast_history_table.c), a scan in time order takes about 2/3 of
 * that and the figures overstate the engine, on the safe side.)
 */
#define FH_ROW_COST (8.0 * cpu_operator_cost)
#define FH_GROUP_COST (60.0 * cpu_operator_cost)
#define FH_STARTUP_COST (100.0 * cpu_operator_cost)
/* per input row when the customers do not fit: written out and read back */
#define FH_SPILL_COST (6.0 * cpu_operator_cost)
/* bytes a customer takes: its entry, and its pairs at a guess of 8 periods */
#define FH_CUSTOMER_BYTES (sizeof(FhCustomer) + 8 * 2 * sizeof(FhPair))

/*
 * What Agg spends on rfm_history, told to the planner by the support
 * function of its transition, final and state functions: per row,
 * appending the (period, amount) record (measured with 5k groups: as
 * rfm_summary's transition, 15); per group, the state's allocations and
 * the final function's sort (300: Agg with 500k groups against 5k took
 * 6.4 s more for 495k groups, 13 us each at twice the idle times).  A
 * partial state of a parallel plan carries every order of its customer:
 * serializing, deserializing and combining it each cost about what
 * appending them did (100 a state each), which the planner's parallel Agg
 * estimate would otherwise leave out (measured: parallel Agg 9.95 s against
 * 12.3-13.5 s serial at 10M orders, while its estimate was 58% of it).
 */
#define RFM_HISTORY_TRANS_COST (15.0 * cpu_operator_cost)
#define RFM_HISTORY_GROUP_COST (300.0 * cpu_operator_cost)
#define RFM_HISTORY_STATE_COST (100.0 * cpu_operator_cost)

extern Datum rfm_history_final(PG_FUNCTION_ARGS);
extern Datum rfm_history_combine(PG_FUNCTION_ARGS);
extern Datum rfm_history_serialize(PG_FUNCTION_ARGS);
extern Datum rfm_history_deserialize(PG_FUNCTION_ARGS);
extern Datum rfm_history_trans_date_numeric(PG_FUNCTION_ARGS);
extern Datum rfm_history_trans_date_float8(PG_FUNCTION_ARGS);
extern Datum rfm_history_trans_date_int8(PG_FUNCTION_ARGS);
extern Datum rfm_history_trans_date_int4(PG_FUNCTION_ARGS);
extern Datum rfm_history_trans_ts_numeric(PG_FUNCTION_ARGS);
extern Datum rfm_history_trans_ts_float8(PG_FUNCTION_ARGS);
extern Datum rfm_history_trans_ts_int8(PG_FUNCTION_ARGS);
extern Datum rfm_history_trans_ts_int4(PG_FUNCTION_ARGS);

/*
 * The transition functions the engine knows (timestamp and timestamptz
 * share theirs: both are microseconds, binned in UTC): an aggregate is
 * rfm_history when its functions are rfm_history_final and one of these.
 */
static const FgAggregateKind history_kinds[] =
{
	{rfm_history_trans_date_numeric, RFM_TIME_DATE, RFM_AMOUNT_NUMERIC},
	{rfm_history_trans_date_float8, RFM_TIME_DATE, RFM_AMOUNT_FLOAT8},
	{rfm_history_trans_date_int8, RFM_TIME_DATE, RFM_AMOUNT_INT8},
	{rfm_history_trans_date_int4, RFM_TIME_DATE, RFM_AMOUNT_INT4},
	{rfm_history_trans_ts_numeric, RFM_TIME_TIMESTAMP, RFM_AMOUNT_NUMERIC},
	{rfm_history_trans_ts_float8, RFM_TIME_TIMESTAMP, RFM_AMOUNT_FLOAT8},
	{rfm_history_trans_ts_int8, RFM_TIME_TIMESTAMP, RFM_AMOUNT_INT8},
	{rfm_history_trans_ts_int4, RFM_TIME_TIMESTAMP, RFM_AMOUNT_INT4},
};

typedef struct FhShape
{
	Aggref	   *aggref;
	Expr	   *key;
	Oid			key_type;
	FgAggregateKind kind;		/* of ordered_at and amount */
	double		groups;			/* customers, before HAVING */
	double		rows;			/* rows emitted, after HAVING */
	List	   *having;			/* implicit-AND quals on the emitted rows */
} FhShape;

/* One integer grouping column, with its type's own equality. */
static const char *
check_key(Query *parse, FhShape *shape)
{
	SortGroupClause *clause;
	Oid			eq;

	if (parse->groupClause == NIL)
		return "there is no GROUP BY";
	if (list_length(parse->groupClause) != 1)
		return "the grouping has more than one column";
	clause = linitial(parse->groupClause);
	shape->key = (Expr *) get_sortgroupclause_expr(clause, parse->targetList);
	shape->key_type = exprType((Node *) shape->key);
	eq = get_opcode(clause->eqop);
	if (contain_volatile_functions((Node *) shape->key))
		return "the grouping key is volatile";
	if (!((shape->key_type == INT2OID && eq == F_INT2EQ) ||
		  (shape->key_type == INT4OID && eq == F_INT4EQ) ||
		  (shape->key_type == INT8OID && eq == F_INT8EQ)))
		return psprintf("the grouping key is of type %s, not smallint, integer or bigint",
						format_type_be(shape->key_type));
	return NULL;
}

/*
 * Every output expression must be computable from the key and the one
 * rfm_history call alone.
 */
static const char *
check_outputs(List *exprs, FhShape *shape)
{
	ListCell   *lc;

	if (contain_subplans((Node *) exprs))
		return "the select list has a subquery";
	foreach(lc, exprs)
	{
		Node	   *expr = lfirst(lc);
		List	   *pulled;
		ListCell   *lc2;

		if (equal(expr, shape->key))
			continue;
		pulled = pull_var_clause(expr, PVC_INCLUDE_AGGREGATES | PVC_INCLUDE_WINDOWFUNCS |
								 PVC_INCLUDE_PLACEHOLDERS);
		foreach(lc2, pulled)
		{
			Node	   *node = lfirst(lc2);

			if (IsA(node, Aggref) && !equal(node, shape->aggref))
				return "an aggregate is computed beside rfm_history";
			if (IsA(node, Var) && !equal(node, shape->key))
				return "the select list has a column other than the grouping key outside an aggregate";
			if (!IsA(node, Aggref) && !IsA(node, Var))
				return "the select list has an expression the engine does not evaluate";
		}
	}
	return NULL;
}

static const char *
check_having(Node *having, FhShape *shape)
{
	const char *reason;

	if (having == NULL)
		return NULL;
	if (contain_volatile_functions(having))
		return "HAVING has a volatile function";
	if ((reason = check_outputs(list_make1(having), shape)) != NULL)
		return psprintf("HAVING: %s", reason);
	shape->having = IsA(having, List) ? (List *) having : make_ands_implicit((Expr *) having);
	return NULL;
}

static void
estimate_rows(PlannerInfo *root, RelOptInfo *input_rel, RelOptInfo *output_rel,
			  FhShape *shape)
{
	Path	   *agg = output_rel->pathlist != NIL ? linitial(output_rel->pathlist) : NULL;
	Selectivity having = shape->having ?
		clauselist_selectivity(root, shape->having, 0, JOIN_INNER, NULL) : 1.0;

	if (shape->having == NIL && agg != NULL)
		shape->groups = agg->rows;
	else
		shape->groups = RFM_ESTIMATE_NUM_GROUPS(root, list_make1(shape->key),
												input_rel->cheapest_total_path->rows);
	shape->rows = agg != NULL ? agg->rows : clamp_row_est(shape->groups * having);
}

/* Whether the query reads a foreign table (their servers aggregate; see fast_group_plan.c). */
static bool
reads_foreign_table(PlannerInfo *root)
{
	int			i;

	for (i = 1; i < root->simple_rel_array_size; i++)
	{
		RelOptInfo *rel = root->simple_rel_array[i];

		if (rel != NULL && OidIsValid(rel->serverid))
			return true;
	}
	return false;
}

static const char *
check_shape(PlannerInfo *root, RelOptInfo *input_rel, RelOptInfo *output_rel,
			GroupPathExtraData *extra, FhShape *shape)
{
	Query	   *parse = root->parse;
	const char *reason;

	if (rfm_fast_grouping == FG_SETTING_OFF)
		return "rfm.fast_grouping is off";
	if (IS_OTHER_REL(output_rel))
		return "partitionwise aggregation: the engine is offered above the partitions' Append, not per partition";
	if (IS_DUMMY_REL(input_rel))
		return "the input is empty";
	if (reads_foreign_table(root))
		return "the query reads foreign tables: their servers aggregate the rows";
	if (parse->groupingSets)
		return "the query has grouping sets";
	if (parse->hasTargetSRFs)
		return "the select list has a set-returning function";
	if ((reason = check_key(parse, shape)) != NULL ||
		(reason = rfm_fast_group_check_aggregate(shape->aggref, "rfm_history", "as_of or unit")) != NULL ||
		(reason = check_outputs(output_rel->reltarget->exprs, shape)) != NULL ||
		(reason = check_having(extra ? extra->havingQual : parse->havingQual, shape)) != NULL)
		return reason;
	estimate_rows(root, input_rel, output_rel, shape);
	return NULL;
}

/* The share of n rows whose customers would not fit in the budget: written out and read back. */
static double
spilled_rows(double n, double customers)
{
	double		budget = (double) RFM_HASH_MEM_BYTES();
	double		bytes = customers * (double) FH_CUSTOMER_BYTES;

	return bytes <= budget ? 0.0 : n;
}

static const CustomPathMethods fh_path_methods;

/*
 * The node over the input projected to (key, ordered_at, amount): it reads
 * every row before its first output row (all its cost is startup).
 */
static Path *
engine_path(PlannerInfo *root, RelOptInfo *input_rel, RelOptInfo *output_rel, FhShape *shape)
{
	CustomPath *path = makeNode(CustomPath);
	PathTarget *columns = create_empty_pathtarget();
	Path	   *subpath;
	QualCost	having_cost;

	add_column_to_pathtarget(columns, shape->key, 0);
	add_column_to_pathtarget(columns, ((TargetEntry *) linitial(shape->aggref->args))->expr, 0);
	add_column_to_pathtarget(columns, ((TargetEntry *) lsecond(shape->aggref->args))->expr, 0);
	set_pathtarget_cost_width(root, columns);
	subpath = (Path *) create_projection_path(root, input_rel, input_rel->cheapest_total_path,
											  columns);

	cost_qual_eval(&having_cost, shape->having, root);
	path->path.pathtype = T_CustomScan;
	path->path.parent = output_rel;
	path->path.pathtarget = output_rel->reltarget;
	path->path.rows = shape->having ? Min(shape->rows, shape->groups) : shape->groups;
	path->path.parallel_safe = output_rel->consider_parallel && subpath->parallel_safe;
	path->path.startup_cost = subpath->total_cost + FH_STARTUP_COST +
		subpath->rows * FH_ROW_COST + shape->groups * FH_GROUP_COST + having_cost.startup +
		spilled_rows(subpath->rows, shape->groups) * FH_SPILL_COST;
	path->path.total_cost = path->path.startup_cost +
		shape->groups * (cpu_tuple_cost + having_cost.per_tuple) +
		path->path.rows * output_rel->reltarget->cost.per_tuple;
	RFM_PATH_COPY_DISABLED(&path->path, subpath);
	if (!enable_hashagg)
		RFM_DISABLE_PATH(&path->path);
	path->flags = RFM_CUSTOMPATH_FLAGS;
	path->custom_paths = list_make1(subpath);
	path->custom_private = list_make4(shape->aggref, shape->key,
									  list_make5(makeInteger(shape->kind.time_kind),
												 makeInteger(shape->kind.amount_kind),
												 makeInteger(shape->key_type),
												 makeInteger((int) Min(shape->groups, (double) INT_MAX)),
												 makeInteger((int) Min(subpath->rows, (double) INT_MAX))),
									  shape->having);
	path->methods = &fh_path_methods;
	return &path->path;
}

static Plan *
plan_engine_path(PlannerInfo *root pg_attribute_unused(),
				 RelOptInfo *rel pg_attribute_unused(), CustomPath *best_path,
				 List *tlist, List *clauses pg_attribute_unused(), List *custom_plans)
{
	CustomScan *cscan = makeNode(CustomScan);
	Aggref	   *aggref = linitial(best_path->custom_private);
	Expr	   *key = lsecond(best_path->custom_private);
	List	   *args = aggref->args;

	cscan->scan.plan.targetlist = tlist;
	/* HAVING: on the scan tuple, like the output (set_plan_references) */
	cscan->scan.plan.qual = copyObject(lfourth(best_path->custom_private));
	cscan->scan.scanrelid = 0;
	cscan->flags = best_path->flags;
	cscan->custom_plans = custom_plans;
	/* as_of and unit: evaluated once per scan */
	cscan->custom_exprs = list_make2(copyObject(((TargetEntry *) lthird(args))->expr),
									 copyObject(((TargetEntry *) lfourth(args))->expr));
	cscan->custom_private = copyObject(lthird(best_path->custom_private));
	cscan->methods = &rfm_fast_history_scan_methods;
	/* the scan tuple: the key, the history (the output refers to them) */
	cscan->custom_scan_tlist = list_make2(makeTargetEntry(copyObject(key), 1, NULL, false),
										  makeTargetEntry((Expr *) copyObject(aggref), 2, NULL, false));
	return &cscan->scan.plan;
}

static const CustomPathMethods fh_path_methods = {
	.CustomName = RFM_FAST_HISTORY_NAME,
	.PlanCustomPath = plan_engine_path,
};

static Cost
cheapest_cost(List *paths)
{
	Cost		cheapest = -1;
	ListCell   *lc;

	foreach(lc, paths)
	{
		Path	   *path = lfirst(lc);

		if (cheapest < 0 || path->total_cost < cheapest)
			cheapest = path->total_cost;
	}
	return cheapest;
}

void
rfm_fast_history_paths(PlannerInfo *root, RelOptInfo *input_rel, RelOptInfo *output_rel,
					   void *extra)
{
	FhShape		shape;
	const char *reason;
	Path	   *engine;
	Cost		agg;

	memset(&shape, 0, sizeof(shape));
	shape.aggref = rfm_fast_group_find_aggregate(output_rel->reltarget->exprs, rfm_history_final,
												 history_kinds, lengthof(history_kinds),
												 &shape.kind, NULL);
	if (shape.aggref == NULL)
		return;
	if ((reason = check_shape(root, input_rel, output_rel, extra, &shape)) != NULL)
	{
		ereport(DEBUG1,
				(errmsg_internal("rfm fast grouping of rfm_history not used: %s", reason)));
		return;
	}
	engine = engine_path(root, input_rel, output_rel, &shape);
	agg = cheapest_cost(output_rel->pathlist);
	if (rfm_fast_grouping == FG_SETTING_FORCE)
		output_rel->pathlist = NIL;
	else if (!enable_hashagg)
		ereport(DEBUG1,
				(errmsg_internal("rfm fast grouping of rfm_history offered but disabled: enable_hashagg is off")));
	else if (agg >= 0 && agg < engine->total_cost)
		ereport(DEBUG1,
				(errmsg_internal("rfm fast grouping of rfm_history offered but not the cheapest: the engine's estimate %.0f, Agg's %.0f (%.0f order rows, %.0f customers estimated)",
								 engine->total_cost, agg, input_rel->cheapest_total_path->rows,
								 shape.groups)));
	add_path(output_rel, engine);
}

PG_FUNCTION_INFO_V1(rfm_history_trans_support);

/*
 * The planner support function of rfm_history's transition, final, combine,
 * serial and deserial functions: loads rfm (and its planner hooks) while the
 * planner costs the aggregate, before the grouping paths are built, as
 * rfm_summary's does (planner_hooks.c); and gives Agg's measured costs.
 */
Datum
rfm_history_trans_support(PG_FUNCTION_ARGS)
{
	Node	   *request = (Node *) PG_GETARG_POINTER(0);

	if (IsA(request, SupportRequestCost))
	{
		SupportRequestCost *cost = (SupportRequestCost *) request;
		PGFunction	fn = rfm_function_address(cost->funcid);

		cost->startup = 0;
		if (fn == rfm_history_final)
			cost->per_tuple = RFM_HISTORY_GROUP_COST;
		else if (fn == rfm_history_combine || fn == rfm_history_serialize ||
				 fn == rfm_history_deserialize)
			cost->per_tuple = RFM_HISTORY_STATE_COST;
		else
			cost->per_tuple = RFM_HISTORY_TRANS_COST;
		PG_RETURN_POINTER(cost);
	}
	PG_RETURN_POINTER(NULL);
}

void
rfm_fast_history_init(void)
{
	RegisterCustomScanMethods(&rfm_fast_history_scan_methods);
}
