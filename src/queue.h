/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a path's queue holds and costs.
 */
#ifndef _SILK_QUEUE_H
#define _SILK_QUEUE_H

#include <linux/types.h>

struct module;
struct net_device;
struct silk_net;
struct silk_path;
struct silk_path_stats;

/* Which cap a packet would go beyond. */
enum silk_cap {
	SILK_CAP_OK,
	SILK_CAP_NS,		/* its namespace's, or all guests' */
	SILK_CAP_GLOBAL,	/* max_queued_bytes */
};

enum silk_cap silk_queued_charge(struct silk_net *sn, unsigned int size,
				 unsigned long share);
void silk_queued_uncharge(struct silk_net *sn, unsigned int size);
void silk_queued_recharge(struct silk_net *sn, unsigned int size);
unsigned long silk_queued_ns_cap(const struct silk_net *sn);
void silk_path_obj_add(struct silk_net *sn, struct silk_path *p);
void silk_path_put(struct silk_path *p);
void silk_path_stats_read(struct silk_path *p, struct silk_path_stats *st,
			  u32 *qlen, u32 *qbytes);
void silk_path_drop_dev(struct silk_path *p, const struct net_device *dev);
bool silk_path_forget_module(struct silk_path *p, const struct module *mod);

#endif /* _SILK_QUEUE_H */
