/* SPDX-License-Identifier: GPL-2.0 */
/*
 * netmeter sensors: per listening port, what its connections waited and
 * carried.
 */
#ifndef _SILK_METER_H
#define _SILK_METER_H

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
void silk_meter_state(struct silk_net *sn, const struct sock *sk,
		      int oldstate, int newstate);
void silk_meter_accepted(struct silk_net *sn, const struct sock *lsk,
			 const struct sock *sk);
bool silk_meter_read(struct silk_net *sn, u16 port, u32 waiting,
		     struct silk_meter_read *r);
u32 silk_meter_waiting(struct net *net, u16 port);
void silk_meter_listening(struct net *net, u32 *waiting);
int silk_listeners_each(struct net *net,
			int (*fn)(struct sock *sk, void *arg), void *arg);
/* The least an output group's connection may send, bytes/s. */
#define SILK_PACE_MIN		1024

u32 silk_meter_live(struct silk_net *sn, u16 port);
u32 silk_meter_pace(struct silk_net *sn, const u16 *ports,
		    unsigned int nports, u64 rate, u64 dt_ns, u32 gen,
		    u64 *sent);
int silk_meter_hold(struct silk_net *sn, struct netlink_ext_ack *extack);
void silk_meter_unhold(struct silk_net *sn);
int silk_meter_init(void);
void silk_meter_exit(void);

#endif /* _SILK_METER_H */
