/* SPDX-License-Identifier: GPL-2.0 */
/*
 * silk: what every part of the module shares.
 */
#ifndef _SILK_SILK_H
#define _SILK_SILK_H

#include <linux/atomic.h>
#include <linux/capability.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netlink.h>
#include <linux/types.h>

/*
 * silk's place in PRE_ROUTING: after conntrack's defragmentation (-400),
 * which silk does itself when conntrack is not loaded, and before the raw
 * table (-300) and conntrack (-200), so that a packet is queued before any
 * stateful work is spent on it.
 */
#define SILK_HOOK_PRIORITY	(NF_IP_PRI_CONNTRACK_DEFRAG + 50)

/* Module parameters, see main.c. */
extern unsigned long silk_max_queued_bytes;
extern unsigned int silk_ns_queued_share;
extern unsigned int silk_burst;
extern unsigned int silk_max_paths;
extern unsigned int silk_max_sock_paths;
extern unsigned int silk_max_sock_paths_per_user;
extern unsigned int silk_linux_share;
extern unsigned int silk_max_conns;
extern unsigned int silk_max_ns_workers;
extern unsigned int silk_max_ns_workers_per_user;
extern bool silk_ns_probes;
extern bool silk_sockev_defer;
extern unsigned int silk_sockev_records;
extern bool silk_levels;
extern bool silk_direct;

/* Bytes (truesize) queued on every path of every namespace. */
extern atomic_long_t silk_queued_bytes;
extern atomic_long_t silk_queued_peak;

/*
 * Connection paths, sensors and socket groups attach probes that every
 * namespace's sockets then pass through: only the host's administrator
 * (CAP_NET_ADMIN in the initial user namespace) turns them on, unless the
 * host lets namespaces do it (ns_probes).
 */
static inline bool silk_probes_allowed(struct netlink_ext_ack *extack)
{
	if (READ_ONCE(silk_ns_probes) || capable(CAP_NET_ADMIN))
		return true;
	NL_SET_ERR_MSG(extack,
		       "this attaches system-wide probes: it needs CAP_NET_ADMIN in the initial user namespace, or the module parameter ns_probes");
	return false;
}

#endif /* _SILK_SILK_H */
