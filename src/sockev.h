/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Socket events: what the stack's TCP sockets do, seen through one
 * tracepoint and two probes, for the parts of silk that follow them.
 */
#ifndef _SILK_SOCKEV_H
#define _SILK_SOCKEV_H

#include <linux/list.h>
#include <linux/types.h>

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

/* One accept() call, from its entry to its return. */
struct silk_accept {
	struct list_head node;		/* the subscriber's, while it blocks */
	struct task_struct *task;
	struct sock *lsk;
	int flags;			/* accept()'s: O_NONBLOCK */
};

/*
 * A subscriber's callbacks, each optional; they run in the context of the
 * event (softirq or the task, preemption off) and must not sleep.
 * @state:	@sk (TCP) went from @oldstate to @newstate
 * @accept:	@a is about to accept() from its namespace @sn; returns
 *		whether @accepted should see the return
 * @accepted:	@a returned @sk (NULL: nothing)
 * @close:	a task releases the socket of @sk (its last close())
 * @attach:	before the events @events are attached (@on) or detached
 * @detached:	after @events were detached: no callback of theirs runs
 */
struct silk_sockev_ops {
	void (*state)(struct silk_net *sn, struct sock *sk, int oldstate,
		      int newstate);
	bool (*accept)(struct silk_net *sn, struct silk_accept *a);
	void (*accepted)(struct silk_net *sn, struct silk_accept *a,
			 struct sock *sk);
	void (*close)(struct sock *sk);
	void (*attach)(unsigned int events, bool on);
	void (*detached)(unsigned int events);
};

/*
 * silk_sockev_get() fails with -EOPNOTSUPP on PREEMPT_RT, where what the
 * subscribers do in their callbacks needs preemption off to be atomic;
 * it says why in @extack.
 */
#define SILK_PROBES_RT_MSG \
	"connection paths, mirroring, sensors and socket groups are not available on PREEMPT_RT kernels"

void silk_sockev_register(const struct silk_sockev_ops *ops);
int silk_sockev_get(unsigned int events, struct netlink_ext_ack *extack);
void silk_sockev_put(unsigned int events);
u64 silk_sockev_accept_missed(void);
void silk_sockev_exit(void);

#endif /* _SILK_SOCKEV_H */
