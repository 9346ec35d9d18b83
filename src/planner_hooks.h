/*
 * planner_hooks.h: the one place rfm's planner hooks are installed.
 *
 * PostgreSQL has one create_upper_paths_hook and one planner_hook per
 * backend; rfm chains each once, here, and dispatches to the planner side
 * of each node: fast_group_plan.c (grouping) and fast_score_plan.c
 * (scoring).  Those two then depend on each other only one way (scoring
 * asks grouping about its paths).
 */
#ifndef RFM_PLANNER_HOOKS_H
#define RFM_PLANNER_HOOKS_H

extern void rfm_planner_hooks_init(void);

#endif							/* RFM_PLANNER_HOOKS_H */
