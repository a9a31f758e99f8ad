/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Socket groups: actuators on the listening ports of unmodified servers.
 */
#ifndef _SILK_GROUP_H
#define _SILK_GROUP_H

#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/timer.h>
#include <linux/netfilter.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <uapi/linux/silk.h>

struct netlink_ext_ack;
struct nlattr;
struct silk_net;
struct sk_buff;
struct sock;

/* A port of a group. */
struct silk_gport {
	u16 port;
	bool ftp;			/* OUTPUT: serves FTP */
	u32 weight;
	u64 vtime;
	u32 nheld;
	u64 accepted;
};

/* A socket group; configuration under sn->lock. */
struct silk_group {
	struct list_head node;		/* sn->group.groups */
	struct silk_net *sn;
	char name[SILK_NAME_MAX];
	u8 type;			/* enum silk_group_type */
	spinlock_t lock;		/* all below; nests rskq_lock */
	u64 rate_milli;
	s64 tokens;			/* RATE, in SILK_TOKEN units */
	u64 t_refill;			/* ns */
	struct timer_list timer;
	struct list_head held;		/* struct silk_held, oldest first */
	struct list_head lsks;		/* struct silk_glsk.gnode */
	u32 nheld;
	u64 accepted, hidden;
	/* OUTPUT: the pacing rounds. */
	struct delayed_work pace;
	u64 t_pace;
	u64 pace_rate;			/* the rate of the last round */
	u64 excess;			/* bytes sent beyond it, not repaid */
	u32 gen, members;
	atomic_t joined;		/* connections since the last round */
	u16 *portnums;			/* the ports, for silk_meter_pace() */
	/* OUTPUT: FTP data ports announced by the FTP ports; g->lock. */
	bool dead;
	unsigned int ndyn;
	u16 dyn[SILK_GROUP_DYN_MAX];
	unsigned long dyn_until[SILK_GROUP_DYN_MAX];
	bool dyn_used[SILK_GROUP_DYN_MAX];	/* a connection came */
	unsigned int nports;
	struct silk_gport port[];
};

static inline struct silk_gport *silk_gport(struct silk_group *g, u16 port)
{
	unsigned int i;

	for (i = 0; i < g->nports; i++)
		if (g->port[i].port == port)
			return &g->port[i];
	return NULL;
}

struct silk_group_ns {
	struct list_head groups;	/* sn->lock */
	unsigned int n;			/* groups; probes read it */
	struct silk_group __rcu **ports; /* accept groups, by port, while n */
	struct silk_group __rcu **oports; /* output groups, by port */
	/*
	 * Listeners of grouped ports that started, for the work to take, and
	 * held ones that closed, for it to let go (a held listener pins its
	 * namespace).
	 */
	spinlock_t lock;
	struct list_head started;
	struct list_head closed;
	struct work_struct work;
	atomic64_t missed;		/* socket events not recorded */
	/* FTP replies of output groups' FTP ports (ftp.c); sn->lock. */
	unsigned int nftp;
	bool ftp_hooked;
	struct nf_hook_ops ftp_ops[2];
};

/* What GROUP_NEW and GROUP_CHANGE give, as group_nl.c parsed it. */
struct silk_group_cfg {
	char name[SILK_NAME_MAX];
	bool has_type;
	u8 type;			/* enum silk_group_type */
	bool has_rate;
	u8 rate_type;			/* RATE: accepts x 1000; OUTPUT: bytes */
	u64 rate;			/* per second */
	unsigned int nports;
	u16 port[SILK_GROUP_PORTS_MAX];
	u32 weight[SILK_GROUP_PORTS_MAX];	/* 0: not given */
	bool ftp[SILK_GROUP_PORTS_MAX];
};

int silk_group_add(struct silk_net *sn, const struct silk_group_cfg *c,
		   struct netlink_ext_ack *extack);
int silk_group_change(struct silk_net *sn, const struct silk_group_cfg *c,
		      struct netlink_ext_ack *extack);
int silk_group_del(struct silk_net *sn, const char *name,
		   struct netlink_ext_ack *extack);
struct silk_group *silk_group_find(struct silk_net *sn, const char *name);
void silk_group_ns_init(struct silk_group_ns *gn);
void silk_group_ns_exit(struct silk_net *sn);
int silk_group_init(void);
void silk_group_exit(void);

#endif /* _SILK_GROUP_H */
