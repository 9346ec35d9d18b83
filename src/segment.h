/*
 * segment.h: the R-by-FM grid of named segments.
 */
#ifndef RFM_SEGMENT_H
#define RFM_SEGMENT_H

/* Name of the segment of cell (r, fm), both 1..5. */
extern const char *rfm_segment_name_of(int r, int fm);

#endif							/* RFM_SEGMENT_H */
