/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Socket events: what the stack's TCP sockets do, seen through one
 * tracepoint and two probes, for the parts of silk that follow them.
 */
#ifndef _SILK_SOCKEV_H
#define _SILK_SOCKEV_H

#include <linux/list.h>
#include <linux/types.h>

#include "flow.h"

struct netlink_ext_ack;
struct silk_net;
struct sock;
struct task_struct;

/* What a subscriber needs attached. */
enum {
	SILK_SOCKEV_STATE = BIT(0),	/* inet_sock_set_state tracepoint */
	SILK_SOCKEV_ACCEPT = BIT(1),	/* inet_csk_accept() return probe */
	SILK_SOCKEV_CLOSE = BIT(2),	/* inet_release() probe */
};

struct silk_sockev_acc;

/* One accept() call, from its entry to its return. */
struct silk_accept {
	struct list_head node;		/* the subscriber's, while it blocks */
	struct task_struct *task;
	struct sock *lsk;
	int flags;			/* accept()'s: O_NONBLOCK */
	struct silk_sockev_acc *ret;	/* the return's record (deferring) */
};

/*
 * What a callback that runs later needs of a socket as it was at the
 * event: by then a closed connection may have been disconnected, which
 * clears its address, port and byte counters.
 */
struct silk_sockev_snap {
	struct silk_conn_key key;	/* conn: the connection */
	u8 dscp;			/* conn: its DSCP */
	u16 port;			/* meter: the listener's port */
	u64 t_ns;			/* meter: when */
	u64 in, out;			/* meter: bytes at CLOSE */
};

/* An event, as a callback that runs later sees it. */
struct silk_sockev_ev {
	struct sock *sk;		/* held until every callback is done */
	struct sock *lsk;		/* accepted: the listener, held */
	int oldstate, newstate;		/* state */
	const struct silk_sockev_snap *snap;
};

/*
 * A subscriber's callbacks, each optional. Those without "_now" or
 * "_later" run in the context of the event (softirq or the task,
 * preemption off) and must not sleep; on PREEMPT_RT they must not take a
 * spinlock_t or allocate either, so a subscriber that does splits its work:
 * the _now part runs there, reads what it needs of the socket into the
 * snapshot and says whether its _later part wants the event, which runs
 * right after it, or, when the events are deferred (sockev_defer, the
 * default on PREEMPT_RT), in silk's socket event thread, in the order of
 * the events, with bottom halves off, where it may take any spinlock and
 * allocate with GFP_ATOMIC. Either way under RCU, and the socket's
 * feature may have been turned off since the _now part saw it on.
 * @state:	@sk (TCP) went from @oldstate to @newstate
 * @state_now:	the same, to record in @snap for @state_later
 * @accept:	@a is about to accept() from its namespace @sn; returns
 *		whether @accepted or @accepted_now should see the return
 * @accepted:	@a returned @sk (NULL: nothing)
 * @accepted_now: the same, to record in @snap for @accepted_later
 * @close:	a task releases the socket of @sk (its last close())
 * @missed:	an event @state_now or @accepted_now wanted could not be
 *		recorded (the records are all in use)
 * @attach:	before the events @events are attached (@on) or detached
 * @detached:	after @events were detached: no callback of theirs runs
 */
struct silk_sockev_ops {
	void (*state)(struct silk_net *sn, struct sock *sk, int oldstate,
		      int newstate);
	bool (*state_now)(struct silk_net *sn, struct sock *sk, int oldstate,
			  int newstate, struct silk_sockev_snap *snap);
	void (*state_later)(struct silk_net *sn,
			    const struct silk_sockev_ev *ev);
	bool (*accept)(struct silk_net *sn, struct silk_accept *a);
	void (*accepted)(struct silk_net *sn, struct silk_accept *a,
			 struct sock *sk);
	bool (*accepted_now)(struct silk_net *sn, struct silk_accept *a,
			     struct sock *sk, struct silk_sockev_snap *snap);
	void (*accepted_later)(struct silk_net *sn,
			       const struct silk_sockev_ev *ev);
	void (*close)(struct sock *sk);
	void (*missed)(struct silk_net *sn);
	void (*attach)(unsigned int events, bool on);
	void (*detached)(unsigned int events);
};

void silk_sockev_register(const struct silk_sockev_ops *ops);
int silk_sockev_get(unsigned int events, struct netlink_ext_ack *extack);
void silk_sockev_put(unsigned int events);
u64 silk_sockev_accept_missed(void);
void silk_sockev_forget(struct silk_net *sn);
int silk_sockev_init(void);
void silk_sockev_stop(void);
void silk_sockev_exit(void);

#endif /* _SILK_SOCKEV_H */
