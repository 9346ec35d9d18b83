/*
 * compat.h: every PostgreSQL version difference rfm builds against (13..18).
 *
 * Owned by the lead; helpers add clearly marked blocks.
 */
#ifndef RFM_COMPAT_H
#define RFM_COMPAT_H

#include "postgres.h"

/* ==================== fast grouping engine (issue 12) ==================== */
/*
 * APIs of the planner path and the CustomScan node that changed between 13
 * and 18.  Every other planner/executor call the engine makes has the same
 * signature in all of them (see the engine's section in the issue report).
 */
#include "miscadmin.h"
#include "nodes/extensible.h"
#include "optimizer/cost.h"

/* The hash table budget, bytes: work_mem × hash_mem_multiplier. */
#if PG_VERSION_NUM >= 150000
#define RFM_HASH_MEM_BYTES() ((Size) get_hash_memory_limit())
#else
/* 13, 14: get_hash_mem() in kB (int) */
#define RFM_HASH_MEM_BYTES() ((Size) get_hash_mem() * (Size) 1024)
#endif

/*
 * A CustomScan is projection capable in 13 and 14; from 15 only with this
 * flag.  The engine's node projects (its scan tuple is key + summary), so
 * it asks for the same behaviour everywhere.
 */
#ifdef CUSTOMPATH_SUPPORT_PROJECTION
#define RFM_CUSTOMPATH_FLAGS CUSTOMPATH_SUPPORT_PROJECTION
#else
#define RFM_CUSTOMPATH_FLAGS 0
#endif

/*
 * A path the user disabled (enable_hashagg = off): 18 counts disabled
 * nodes, 13..17 add disable_cost.
 */
#if PG_VERSION_NUM >= 180000
#define RFM_DISABLE_PATH(path) ((path)->disabled_nodes++)
#else
#define RFM_DISABLE_PATH(path) \
	do { (path)->startup_cost += disable_cost; (path)->total_cost += disable_cost; } while (0)
#endif

/* 18: a path built on a disabled one counts its disabled nodes. */
#if PG_VERSION_NUM >= 180000
#define RFM_PATH_COPY_DISABLED(path, sub) ((path)->disabled_nodes = (sub)->disabled_nodes)
#else
#define RFM_PATH_COPY_DISABLED(path, sub) ((void) 0)
#endif

/* 18 moved ExplainProperty*() to their own header. */
#if PG_VERSION_NUM >= 180000
#include "commands/explain_format.h"
#endif

/* BufFileRead: 16 added BufFileReadMaybeEOF; BufFileRead stays (size_t, errors on I/O failure since 13). */
#define RFM_BUFFILE_READ(file, ptr, size) BufFileRead((file), (ptr), (size))

/* ================= end of fast grouping engine (issue 12) ================= */

#endif							/* RFM_COMPAT_H */
