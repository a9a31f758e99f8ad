/* SPDX-License-Identifier: GPL-2.0 */
/*
 * netmeter sensors: per listening port, what its connections waited and
 * carried.
 */
#ifndef _SILK_METER_H
#define _SILK_METER_H

#include <linux/rhashtable-types.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>

struct net;
struct netlink_ext_ack;
struct silk_net;
struct sock;

/* One listening port's sensors. */
struct silk_meter {
	u16 port;
	/* All below under the namespace's meter lock. */
	struct list_head conns;		/* struct silk_mconn.node */
	u32 live;			/* accepted and open */
	u64 created;			/* handshakes completed */
	u64 accepted;
	u64 delay_sum_ns;		/* handshake to accept() */
	u64 in_closed, out_closed;	/* bytes of closed accepted ones */
	/* Totals at the last tick, and the rates over the interval. */
	u64 t_ns, last_accepted, last_delay_ns, last_in, last_out;
	u64 rate_accept_milli, rate_in, rate_out, rate_delay_ns;
	struct rcu_head rcu;
};

/* A connection cloned by a listener of a namespace with sensors on. */
struct silk_mconn {
	struct rhash_head hnode;	/* silk_mconns, by socket */
	const struct sock *sk;		/* compared; read under mn->lock */
	struct silk_meter *m;
	struct list_head node;		/* m->conns */
	u64 born_ns;
	bool accepted;
	/* Output groups (output.c); under mn->lock. */
	bool paced;
	bool limited;			/* by the server or the client */
	u32 gen;			/* allocation round that fixed share */
	u64 out_prev;			/* bytes out at the last round */
	u32 rwnd_prev;			/* its window full, at the last round */
	u64 share;			/* bytes/s */
	unsigned long orig_pacing;	/* the socket's own max pacing rate */
	struct rcu_head rcu;
};

/* A namespace's sensors; off until turned on (nothing to pay idle). */
struct silk_meter_ns {
	bool on;			/* sn->lock to change, RCU to read */
	bool explicit;			/* turned on by the user; sn->lock */
	unsigned int users;		/* output groups; sn->lock */
	u32 interval_ms;
	raw_spinlock_t lock;		/* every meter's counters and lists */
	struct silk_meter **slots;	/* by port, while on */
	struct delayed_work tick;
	atomic64_t missed;		/* connections not tracked (memory) */
};

/* What a reader gets for a port. */
struct silk_meter_read {
	u32 waiting;
	u32 live;
	u64 accepted;
	u64 delay_sum_ns;
	u64 bytes_in, bytes_out;
	u64 rate_accept_milli, rate_in, rate_out, rate_delay_ns;
};

#define SILK_METER_INTERVAL_MS	1000

/* Pairs with silk_meter_set(): the slots are there once on is seen. */
static inline bool silk_meter_on(const struct silk_meter_ns *mn)
{
	/* Pairs with the release in silk_meter_set(). */
	return smp_load_acquire(&mn->on);
}

void silk_meter_ns_init(struct silk_meter_ns *mn);
void silk_meter_ns_exit(struct silk_net *sn);
int silk_meter_set(struct silk_net *sn, bool on, u32 interval_ms,
		   struct netlink_ext_ack *extack);
bool silk_meter_read(struct silk_net *sn, u16 port, u32 waiting,
		     struct silk_meter_read *r);
struct silk_mconn *silk_mconn_lookup(const struct sock *sk);
u64 silk_mconn_out(const struct sock *sk, int state);
u32 silk_meter_live(struct silk_net *sn, u16 port);
int silk_meter_hold(struct silk_net *sn, struct netlink_ext_ack *extack);
void silk_meter_unhold(struct silk_net *sn);
int silk_meter_init(void);
void silk_meter_exit(void);

#endif /* _SILK_METER_H */
