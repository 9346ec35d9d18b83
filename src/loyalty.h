/*
 * loyalty.h: the loyalty classes and the setting behind their default.
 */
#ifndef RFM_LOYALTY_H
#define RFM_LOYALTY_H

extern int	rfm_loyal_min_orders;

#define RFM_DEFAULT_LOYAL_MIN_ORDERS 10

#endif							/* RFM_LOYALTY_H */
