/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per network namespace state: nothing one namespace can see or change
 * for another.
 */
#ifndef _SILK_NETNS_H
#define _SILK_NETNS_H

#include <linux/idr.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/netfilter.h>
#include <linux/rhashtable-types.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "chain.h"
#include "group.h"
#include "meter.h"
#include "path.h"

struct silk_worker;

/* A namespace's connection paths. */
struct silk_conn_ns {
	struct rhashtable table;	/* by struct silk_conn_key */
	spinlock_t lock;		/* table, conn lists, path->conns */
	unsigned int nports;		/* listen paths; sn->lock */
	bool used;			/* the state events may look at table */
	atomic_t n;
	unsigned int gen;		/* changes of conn lists; lock */
	atomic_t rr_next;
	u8 placement;			/* enum silk_placement */
	atomic64_t opened;
	atomic64_t closed;
	atomic64_t overflows;
};

struct silk_net {
	struct net *net;
	struct list_head nets_node;	/* netns.c's list of them all */
	struct mutex lock;		/* serialises configuration */
	struct rhashtable ports;	/* struct silk_port by protocol+port */
	/*
	 * A bit per destination port that has a silk_port for either
	 * protocol, so that the hook skips the hash lookup for the other
	 * ports; allocated with the first path, RCU for readers.
	 */
	unsigned long __rcu *dports;
	struct list_head paths;		/* every path; RCU for readers */
	/* Takeover: the default path of each protocol class, or NULL. */
	struct silk_path __rcu *dflt[SILK_NDFLT];
	unsigned int ndflt;
	struct idr ids;			/* path id -> path */
	unsigned int npaths;
	/*
	 * Hooks and workers exist only while the namespace has paths, so
	 * an idle namespace pays nothing.
	 */
	bool active;
	struct nf_hook_ops ops[2];
	struct silk_worker **workers;	/* nr_cpu_ids slots */
	/* Path objects not yet released, deleted ones still draining too. */
	atomic_t nobjs;
	struct list_head objs;		/* the same, by silk_path.obj_node */
	spinlock_t objs_lock;
	wait_queue_head_t drained;
	atomic_long_t queued_bytes;	/* what its paths hold (queue.c) */
	atomic64_t cap_drops;
	atomic64_t share_yields;
	atomic64_t level_changes;	/* workers' changes of level */
	/* Socket options' paths (path.c), sn->lock; closed ones go by gc. */
	struct list_head owned;
	unsigned int nowned;
	struct delayed_work owned_gc;
	unsigned int nmirror;		/* paths that mirror; sn->lock */
	struct silk_conn_ns conn;	/* connection paths (conn.c) */
	struct silk_chain_ns chain;	/* tcpchains (chain.c) */
	struct silk_meter_ns meter;	/* netmeter sensors (meter.c) */
	struct silk_group_ns group;	/* socket groups (group.c) */
};

extern unsigned int silk_net_id;

static inline struct silk_net *silk_pernet(const struct net *net)
{
	return net_generic(net, silk_net_id);
}

int silk_netns_init(void);
void silk_netns_exit(void);

#endif /* _SILK_NETNS_H */
