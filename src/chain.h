/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcpchains: connection forwarding rules (chain.c), the kernel listeners
 * of content rules (chain_srv.c) and their netlink commands (chain_nl.c).
 */
#ifndef _SILK_CHAIN_H
#define _SILK_CHAIN_H

#include <linux/bitops.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/netfilter.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/siphash.h>
#include <linux/textsearch.h>
#include <linux/timer.h>
#include <linux/workqueue.h>
#include <net/genetlink.h>
#include <uapi/linux/silk.h>

struct silk_net;

#define SILK_COND_PAIRS		8

/* A hit counter that outlives the rule versions that share it. */
struct silk_ctr {
	refcount_t ref;
	atomic64_t n;
};

struct silk_cond {
	u16 out;			/* host order */
	u8 family;			/* ADDR: AF_INET or AF_INET6 */
	u8 plen;
	union nf_inet_addr addr;	/* ADDR: the prefix, masked */
	u16 weight;			/* PROB */
	u16 len;			/* CONTENT */
	u8 *str;
	struct ts_config *ts;
	/*
	 * Some of the string's byte pairs: a text that lacks one cannot
	 * hold the string, and is not searched.
	 */
	u8 npairs;
	u16 pairs[SILK_COND_PAIRS];
	struct silk_ctr *hits;
};

/*
 * One rule. Rule versions are immutable once published: a change makes a
 * new version that shares the counters and the content listener.
 */
struct silk_chain {
	refcount_t ref;			/* table versions holding it */
	struct rcu_head rcu;
	u16 port;
	u16 out;
	u8 type;			/* enum silk_chain_type */
	u8 algo;			/* enum silk_chain_algo */
	u32 max_bytes;
	u32 timeout_ms;
	struct silk_ctr *hits;		/* default taken */
	struct silk_chain_srv *srv;	/* CONTENT: the port's listener */
	unsigned int ncond;
	struct silk_cond cond[];
};

/* A namespace's rules: an immutable version, replaced under RCU. */
struct silk_chains {
	struct rcu_head rcu;
	unsigned int n;
	unsigned int max;
	unsigned long ports[BITS_TO_LONGS(65536)];
	struct silk_chain **rule;	/* sorted by port */
};

/* The kernel listener of a content rule and its pending connections. */
struct silk_chain_srv {
	struct list_head node;		/* silk_chain_ns.srvs */
	struct rcu_head rcu;
	struct silk_net *sn;
	u16 port;
	bool dead;
	bool used;			/* by the version being built */
	struct socket *sock[2];		/* AF_INET, AF_INET6 (may be NULL) */
	void (*data_ready)(struct sock *sk);	/* the stack's own */
	struct list_head pending;	/* only the work touches it */
	unsigned int npending;
	struct work_struct work;
	struct timer_list timer;	/* the next wait to end */
	unsigned long timeout;		/* the rule's, in jiffies */
	spinlock_t lock;		/* parked */
	struct request_sock *parked;	/* by the fast path, via dl_next */
	atomic64_t timeouts;
	atomic64_t resets;
	atomic64_t handed;
};

/* Per namespace tcpchains state, inside struct silk_net. */
struct silk_chain_ns {
	struct mutex lock;		/* changes; after silk_net.lock */
	struct silk_chains __rcu *table;
	struct list_head srvs;
	bool hooked;
	struct nf_hook_ops ops[2];
	siphash_key_t key;		/* PROB: hash of the connection */
};

/* What a condition of COND_NEW gives, as chain_nl.c parsed it. */
struct silk_cond_cfg {
	u16 out;
	u8 family;			/* ADDR: AF_INET or AF_INET6 */
	u8 plen;			/* ADDR; has_plen: given */
	bool has_plen;
	union nf_inet_addr addr;
	bool has_weight;		/* PROB */
	u16 weight;
	const u8 *str;			/* CONTENT: in the request */
	u32 len;
};

/* One change of the rules, as chain_nl.c parsed it. */
struct silk_chain_op {
	u8 cmd;
	bool replace;			/* CHAIN_NEW: the port's rule goes */
	bool failed;			/* set by silk_chain_apply() */
	bool has_type, has_port, has_out;
	u8 type;
	u16 port;
	u16 out;
	bool has_max_bytes, has_timeout, has_algo;
	u32 max_bytes;
	u32 timeout_ms;
	u8 algo;
	bool has_cond;			/* COND_NEW: cond is given */
	struct silk_cond_cfg cond;
	u32 index;			/* CHAIN_DEL: a condition, from 1 */
};

/* chain.c */
int silk_chain_init(void);
void silk_chain_exit(void);
void silk_chain_ns_init(struct silk_chain_ns *cn);
void silk_chain_ns_exit(struct silk_net *sn);
int silk_chain_apply(struct silk_net *sn, struct silk_chain_op *ops,
		     unsigned int nops, struct netlink_ext_ack *extack);
int silk_chain_match(const struct silk_chain *r, u8 family,
		     const union nf_inet_addr *saddr, u32 hash,
		     const u8 *data, unsigned int len);
const struct silk_chain *silk_chain_find(const struct silk_chains *t,
					 u16 port);
u32 silk_chain_sk_hash(const struct silk_chain_ns *cn, const struct sock *sk);
u16 silk_chain_resolve(const struct silk_chains *t, u16 port,
		       const struct sk_buff *skb, u8 family,
		       const union nf_inet_addr *saddr, u32 hash,
		       const u8 *data, unsigned int len, bool count);

/* chain_srv.c */
struct silk_chain_srv *silk_chain_srv_get(struct silk_net *sn, u16 port,
					  struct netlink_ext_ack *extack);
void silk_chain_srv_stop(struct silk_chain_srv *srv);
int silk_chain_srv_init(void);
void silk_chain_srv_exit(void);

/* chain_nl.c */
int silk_nl_chain_cmd(struct sk_buff *skb, struct genl_info *info);
int silk_nl_chain_batch(struct sk_buff *skb, struct genl_info *info);
int silk_nl_chain_get(struct sk_buff *skb, struct genl_info *info);
int silk_nl_chain_dump(struct sk_buff *skb, struct netlink_callback *cb);

#endif /* _SILK_CHAIN_H */
