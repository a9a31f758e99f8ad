/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Paths: what a packet is matched to, the queue it waits in, and what it
 * cost.
 */
#ifndef _SILK_PATH_H
#define _SILK_PATH_H

#include <linux/list.h>
#include <linux/netfilter.h>
#include <linux/rbtree.h>
#include <linux/refcount.h>
#include <linux/rhashtable-types.h>
#include <linux/skbuff.h>
#include <linux/uidgid.h>
#include <uapi/linux/silk.h>

#include "flow.h"

struct silk_net;

/* What a path binds; raddr is stored masked to rplen. */
struct silk_binding {
	__be16 port;
	u8 proto;
	u8 family;		/* 0: both families */
	u8 rplen;		/* 0: any remote address */
	bool has_dscp;
	u8 dscp;
	bool dflt;		/* takeover default path of proto; no port */
	bool has_laddr;
	bool has_raddr;
	union nf_inet_addr laddr;
	union nf_inet_addr raddr;
};

struct silk_path_stats {
	u64 delivered_pkts;
	u64 delivered_bytes;
	u64 dropped_pkts;
	u64 dropped_bytes;
	u64 cpu_ns;
	u64 bypass_pkts;
	u64 devgone_pkts;
	u64 sojourn_sum_ns;
	u64 sojourn_max_ns;
	u64 deadline_misses;
	u64 direct_pkts;
	/* dropped_pkts by reason */
	u64 drop_limit_pkts;
	u64 drop_limit_bytes;
	u64 drop_path_share;
	u64 drop_cap_ns;
	u64 drop_cap_global;
	u64 drop_noref;
	u32 qlen_peak;
	u32 qbytes_peak;
};

typedef int (*silk_okfn_t)(struct net *, struct sock *, struct sk_buff *);

enum { SILK_V4, SILK_V6, SILK_NFAM };

/*
 * A path, laid out by who writes it (as sch_fq lays out its flows): what
 * the control plane sets and the hook reads for every packet first, then
 * what the hook and the worker share under the queue's lock, then what
 * only the worker that serves the path writes, each group on its own
 * cache lines; the control plane's own state last.
 */
struct silk_path {
	/* Set by the control plane, read locklessly by the hook and workers. */
	struct silk_net *sn;
	u8 prio;
	u8 class;
	bool lazy;
	bool mirror;		/* changed under silk_mirror_lock */
	/*
	 * Whose worker serves it: set (release) only once that worker
	 * exists, read with silk_path_cpu(). A preference, not a binding:
	 * while the CPU is offline its worker runs elsewhere.
	 */
	int cpu;
	u32 weight;
	u64 deadline_ns;
	u64 runtime_ns;
	u64 period_ns;
	/* Whose tasks mirroring may raise (invalid: nobody by that one). */
	kuid_t mirror_uid;
	kgid_t mirror_gid;
	bool conns;		/* listen path: a path per connection;
				 * changed under silk_net.conn.lock
				 */
	struct silk_path *parent;	/* connection path: referenced */
	u64 barrier;		/* connection path: see conn.c */

	/* The hook and the worker: q.lock protects the queue and all here. */
	struct sk_buff_head q ____cacheline_aligned_in_smp;
	u32 qbytes;
	u32 limit_pkts;
	u32 limit_bytes;
	bool dead;		/* deleted: admit nothing more */
	bool scheduled;		/* on a ready list or being run */
	u64 enq_seq;		/* packets queued so far */
	/*
	 * Where each family's packets continue after PRE_ROUTING: the okfn
	 * of the first packet queued while the queue was empty. A packet
	 * with another okfn (xfrm, bridge) passes unqueued while the queue
	 * holds packets, so the worker never calls the wrong one. NULL once
	 * the module it was in goes (netns.c): what waits for it is dropped.
	 */
	silk_okfn_t okfn[SILK_NFAM];
	struct silk_path_stats st;
	refcount_t ref;

	/* The worker that serves it; under its lock while it is ready there. */
	u8 ready_class ____cacheline_aligned_in_smp; /* made ready with */
	union {
		struct list_head ready_node;	/* FP ready list */
		struct rb_node ready_rb;	/* EDF or WFQ tree */
	};
	s64 budget_ns;		/* EDF: CPU time left until repl_at */
	u64 repl_at;		/* EDF: next replenishment */
	u64 abs_deadline;	/* EDF: of the current activation */
	u64 vstart;		/* WFQ: virtual start of the next service */
	u64 vfinish;		/* WFQ: virtual finish of the last service */
	u64 throttled;		/* EDF: times the budget ran out */
	bool ready_level;	/* counted in the worker's nlevel_ready */
	u64 park_until;		/* lazy: when to look at the socket again */
	u64 parked;		/* lazy: times the socket was full */
	/* Read by the hook (connection paths' order). */
	u64 done_seq;		/* enq_seq of the last packet processed */

	/*
	 * The control plane's. A socket option's path belongs to its socket
	 * (held) and goes when the socket is closed; sn->lock.
	 */
	struct sock *owner ____cacheline_aligned_in_smp;
	kuid_t owner_uid;
	struct list_head owned_node;	/* in silk_net.owned */

	/* Connection paths (conn.c), under silk_net.conn.lock. */
	unsigned int nconns_now; /* listen path: its connection paths */
	struct list_head conn_list;	/* listen path: its connection paths */
	struct list_head conn_node;	/* connection path: in conn_list */
	struct rhash_head conn_hnode;	/* connection path: silk_net.conn */
	struct silk_conn_key ckey;

	/* Tasks that use the path (mirror.c), under silk_mirror_lock. */
	struct list_head mholds;

	/* Configuration, under silk_net.lock; lists also RCU. */
	u32 id;
	struct silk_binding b;
	char name[SILK_NAME_MAX];
	struct list_head port_node;	/* silk_port.paths */
	struct list_head net_node;	/* silk_net.paths */
	/* Every path object, deleted and connection ones too, until freed. */
	struct list_head obj_node;	/* silk_net.objs, objs_lock; RCU */
	struct rcu_head rcu;
};

/* @p's CPU; sn->workers[] has a worker for it. */
static inline int silk_path_cpu(const struct silk_path *p)
{
	/* Pairs with the store made once the worker was published. */
	return smp_load_acquire(&p->cpu);
}

/* Parameters of PATH_ADD / PATH_CHANGE; a 'set' bit per optional field. */
struct silk_path_cfg {
	struct silk_binding b;
	struct sock *owner;		/* a socket option's path: its socket */
	kuid_t owner_uid;		/* and who set the option */
	kuid_t mirror_uid;		/* with mirror: whose tasks it raises */
	kgid_t mirror_gid;
	bool set_mirror_owner;		/* change: those replace the path's */
	u32 limit_pkts;
	u32 limit_bytes;
	int cpu;
	u8 prio;
	u8 class;
	u32 weight;
	u32 deadline_us;
	u32 runtime_us;
	u32 period_us;
	char name[SILK_NAME_MAX];
	bool lazy;
	bool conns;
	bool mirror;
	bool set_mirror;
	bool set_lazy;
	bool set_conns;
	bool set_class;
	bool set_weight;
	bool set_deadline;
	bool set_runtime;
	bool set_period;
	bool set_limit_pkts;
	bool set_limit_bytes;
	bool set_cpu;
	bool set_prio;
	bool set_name;
};

#define SILK_NPORTS	(U16_MAX + 1)

/* Takeover default paths, by protocol. */
enum {
	SILK_DFLT_TCP,
	SILK_DFLT_UDP,
	SILK_DFLT_ICMP,
	SILK_DFLT_OTHER,
	SILK_NDFLT
};

static inline unsigned int silk_dflt_index(u8 proto)
{
	switch (proto) {
	case IPPROTO_TCP:
		return SILK_DFLT_TCP;
	case IPPROTO_UDP:
		return SILK_DFLT_UDP;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		return SILK_DFLT_ICMP;
	default:
		return SILK_DFLT_OTHER;
	}
}

/*
 * When a queued packet was queued (ktime_get_ns()), kept at the end of
 * skb->cb: from PRE_ROUTING until the worker hands the packet back only
 * IPCB()/IP6CB() live in the control buffer, and they end well before.
 */
#define SILK_CB_ENQ_OFF	(sizeof_field(struct sk_buff, cb) - sizeof(u64))

#define SILK_CB_SEQ_OFF	(SILK_CB_ENQ_OFF - sizeof(u64))

static inline u64 *silk_skb_enq_ns(struct sk_buff *skb)
{
	return (u64 *)(skb->cb + SILK_CB_ENQ_OFF);
}

/* The packet's number in its path's queue (enq_seq). */
static inline u64 *silk_skb_seq(struct sk_buff *skb)
{
	return (u64 *)(skb->cb + SILK_CB_SEQ_OFF);
}

struct silk_path *silk_path_add(struct silk_net *sn,
				const struct silk_path_cfg *cfg,
				struct netlink_ext_ack *extack);
int silk_path_change(struct silk_net *sn, struct silk_path *p,
		     const struct silk_path_cfg *cfg,
		     struct netlink_ext_ack *extack);
void silk_path_del(struct silk_net *sn, struct silk_path *p);
void silk_owned_init(struct silk_net *sn);
bool silk_binding_valid(const struct silk_binding *b,
			struct netlink_ext_ack *extack);

#endif /* _SILK_PATH_H */
