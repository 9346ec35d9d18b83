/*
 * segment.h: the R-by-FM grid of named segments.
 */
#ifndef RFM_SEGMENT_H
#define RFM_SEGMENT_H

#include "score.h"

/* Whether a score lies on the grid: its digits are scores of 5 bins. */
extern bool rfm_segment_on_grid(RfmScore s);
/* The grid's column of an on-grid score: FM = round-half-up((F + M) / 2). */
extern int	rfm_segment_fm(RfmScore s);
/* Name of the segment of cell (r, fm), both 1..5. */
extern const char *rfm_segment_name_of(int r, int fm);

#endif							/* RFM_SEGMENT_H */
