/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Paths: what a packet is matched to, the queue it waits in, and what it
 * cost.
 */
#ifndef _SILK_PATH_H
#define _SILK_PATH_H

#include <linux/list.h>
#include <linux/netfilter.h>
#include <linux/refcount.h>
#include <linux/rhashtable-types.h>
#include <linux/skbuff.h>
#include <uapi/linux/silk.h>

struct silk_net;

/* What a path binds; raddr is stored masked to rplen. */
struct silk_binding {
	__be16 port;
	u8 proto;
	u8 family;		/* 0: both families */
	u8 rplen;		/* 0: any remote address */
	bool has_laddr;
	bool has_raddr;
	union nf_inet_addr laddr;
	union nf_inet_addr raddr;
};

/* The parsed headers of one packet; addresses point into the packet. */
struct silk_flow {
	u8 family;
	u8 proto;
	__be16 sport;
	__be16 dport;
	union {
		struct {
			__be32 saddr4;
			__be32 daddr4;
		};
		struct {
			const struct in6_addr *saddr6;
			const struct in6_addr *daddr6;
		};
	};
};

struct silk_path_stats {
	u64 delivered_pkts;
	u64 delivered_bytes;
	u64 dropped_pkts;
	u64 dropped_bytes;
	u64 cpu_ns;
	u64 bypass_pkts;
	u64 devgone_pkts;
	u32 qlen_peak;
	u32 qbytes_peak;
};

typedef int (*silk_okfn_t)(struct net *, struct sock *, struct sk_buff *);

enum { SILK_V4, SILK_V6, SILK_NFAM };

struct silk_path {
	/* q.lock protects the queue and every field up to ready_node. */
	struct sk_buff_head q;
	u32 qbytes;
	u32 limit_pkts;
	u32 limit_bytes;
	bool dead;		/* deleted: admit nothing more */
	bool scheduled;		/* on a ready list or being run */
	/*
	 * Where each family's packets continue after PRE_ROUTING: the okfn
	 * of the first packet queued while the queue was empty. A packet
	 * with another okfn (xfrm, bridge) passes unqueued while the queue
	 * holds packets, so the worker never calls the wrong one.
	 */
	silk_okfn_t okfn[SILK_NFAM];
	struct silk_path_stats st;

	/* Read locklessly by the hook and the workers. */
	u8 prio;
	int cpu;
	struct silk_net *sn;
	struct list_head ready_node;	/* worker ready list, worker lock */

	/* Configuration, under silk_net.lock; lists also RCU. */
	u32 id;
	struct silk_binding b;
	char name[SILK_NAME_MAX];
	struct list_head port_node;	/* silk_port.paths */
	struct list_head net_node;	/* silk_net.paths */
	refcount_t ref;
	struct rcu_head rcu;
};

/* Everything bound to one (protocol, port), most specific path first. */
struct silk_port {
	struct rhash_head node;
	u32 key;
	struct list_head paths;
	struct rcu_head rcu;
};

/* Parameters of PATH_ADD / PATH_CHANGE; a 'set' bit per optional field. */
struct silk_path_cfg {
	struct silk_binding b;
	u32 limit_pkts;
	u32 limit_bytes;
	int cpu;
	u8 prio;
	char name[SILK_NAME_MAX];
	bool set_limit_pkts;
	bool set_limit_bytes;
	bool set_cpu;
	bool set_prio;
	bool set_name;
};

static inline u32 silk_port_key(u8 proto, __be16 port)
{
	return (u32)proto << 16 | (__force u16)port;
}

int silk_ports_init(struct silk_net *sn);
void silk_ports_destroy(struct silk_net *sn);

struct silk_path *silk_path_lookup(struct silk_net *sn,
				   const struct silk_flow *f);
struct silk_path *silk_path_find(struct silk_net *sn,
				 const struct silk_binding *b);
struct silk_path *silk_path_add(struct silk_net *sn,
				const struct silk_path_cfg *cfg,
				struct netlink_ext_ack *extack);
int silk_path_change(struct silk_net *sn, struct silk_path *p,
		     const struct silk_path_cfg *cfg,
		     struct netlink_ext_ack *extack);
void silk_path_del(struct silk_net *sn, struct silk_path *p);
void silk_path_put(struct silk_path *p);
void silk_path_stats_read(struct silk_path *p, struct silk_path_stats *st,
			  u32 *qlen, u32 *qbytes);
unsigned int silk_path_drop_dev(struct silk_path *p,
				const struct net_device *dev);
bool silk_binding_valid(const struct silk_binding *b,
			struct netlink_ext_ack *extack);

#endif /* _SILK_PATH_H */
