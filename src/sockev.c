// SPDX-License-Identifier: GPL-2.0
/*
 * Socket events. Connection paths, mirroring, sensors and socket groups
 * all follow what unmodified servers' TCP sockets do, without their help:
 *  - the sock:inet_sock_set_state tracepoint: a listener clones a child
 *    (LISTEN -> SYN_RECV), a connection is established, or closes (every
 *    TCP socket reaches CLOSE before it is freed);
 *  - a kretprobe on inet_csk_accept(): a task blocks on a listener and
 *    returns with a connection;
 *  - a kprobe on inet_release(): a task lets go of an IPv4 or IPv6
 *    socket, by its last close() or at exit. (Not filp_close(): on 6.12
 *    close() flushes and puts the file without it.)
 * Each is attached while some subscriber needs it, so an idle silk costs
 * the stack nothing; the subscribers register their callbacks at load and
 * are called in that order.
 *
 * Detaching waits for grace periods (several for a kretprobe), which under
 * a flood take seconds: the last put leaves the events attached for
 * SILK_SOCKEV_LINGER and a work detaches them, so that deleting the last
 * path that needed them returns at once, and a new user within the
 * linger finds them still there.
 *
 * Deferring (sockev_defer, needed on PREEMPT_RT, where a spinlock_t sleeps
 * and neither allocating nor freeing is allowed with preemption off): the
 * subscribers' _later parts run in one SCHED_FIFO thread, in the order of
 * the events (one ordered list), from records of fixed pools, each
 * allocated while its kind of event is attached:
 *  - a socket's state events share one record, its tracker, from the first
 *    event a subscriber wants until its CLOSE has been processed. It holds
 *    the socket, so what the subscribers made for it never sees it freed,
 *    and an index by socket finds it at the next event: an ending (CLOSE)
 *    needs no record of its own and is never missed; a beginning that
 *    finds the pool empty is, and its subscribers count it;
 *  - an accept() whose return is to be recorded takes a record at its
 *    entry, so that its return always has one.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/file.h>
#include <linux/hash.h>
#include <linux/kprobes.h>
#include <linux/kthread.h>
#include <linux/llist.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/net.h>
#include <linux/tracepoint.h>
#include <linux/workqueue.h>
#include <net/sock.h>
#include <net/tcp_states.h>

#include "netns.h"
#include "silk.h"
#include "sockev.h"

#define SILK_SOCKEV_LINGER	HZ
#define SILK_SOCKEV_SUBS	8
#define SILK_SOCKEV_KINDS	3

static const struct silk_sockev_ops *silk_sockev_subs[SILK_SOCKEV_SUBS];
static unsigned int silk_sockev_nsubs;

/* Under silk_sockev_lock: users of each kind, and what is attached. */
static DEFINE_MUTEX(silk_sockev_lock);
static unsigned int silk_sockev_users[SILK_SOCKEV_KINDS];
static unsigned int silk_sockev_attached;
static bool silk_sockev_stopped;
static u64 silk_sockev_nomem;	/* accept() calls missed in past attachments */
static void silk_sockev_linger_end(struct work_struct *work);
static DECLARE_DELAYED_WORK(silk_sockev_detach_work, silk_sockev_linger_end);

/* What a tracker follows of its socket: each happens once in its life. */
enum {
	SILK_EV_SYN_RECV,
	SILK_EV_ESTABLISHED,
	SILK_EV_LISTEN,
	SILK_EV_CLOSE,
	SILK_EV_KINDS,
};

/* A socket followed while deferring, from its first event to its CLOSE. */
struct silk_sockev_tracker {
	struct llist_node node[SILK_EV_KINDS];	/* queued events */
	struct silk_sockev_snap snap[SILK_EV_KINDS];
	u8 subs[SILK_EV_KINDS];		/* whose _later to call, a bit each */
	u8 oldstate[SILK_EV_KINDS];
	u8 newstate[SILK_EV_KINDS];
	bool closed;			/* its CLOSE is recorded */
	unsigned long seen;		/* kinds recorded, a bit each */
	struct sock *sk;		/* held; NULL while free */
	struct silk_net *sn;		/* NULL once the namespace is gone */
	atomic_t ref;			/* queued events, and 1 until CLOSE */
	u32 slot;			/* in silk_sockev_index */
	struct llist_node fnode;	/* silk_trackers_free */
};

/* An accept() call's return, reserved at its entry. */
struct silk_sockev_acc {
	struct llist_node node;
	struct silk_sockev_snap snap;
	u8 subs;
	bool reserved;			/* taken at an entry, not yet queued */
	struct sock *sk, *lsk;		/* held while queued */
	struct silk_net *sn;
	struct llist_node fnode;	/* silk_accs_free */
};

/* Probes over an index slot's neighbours before a tracker is missed. */
#define SILK_SOCKEV_PROBES	16
/* Returns reserved or queued at once: 512 tasks in accept(), as many late. */
#define SILK_SOCKEV_ACCS	1024

/* While deferring and some event is attached (silk_sockev_lock to change). */
static struct silk_sockev_tracker *silk_trackers;
static unsigned int silk_ntrackers;
static struct silk_sockev_tracker **silk_sockev_index;
static unsigned int silk_sockev_index_bits;
static struct silk_sockev_acc *silk_accs;
/*
 * Free records, taken and given back in the events' context. Given back
 * lock-free; taken one at a time, which llist_del_first() needs.
 */
static DEFINE_RAW_SPINLOCK(silk_sockev_free_lock);
static LLIST_HEAD(silk_trackers_free);
static LLIST_HEAD(silk_accs_free);

static LLIST_HEAD(silk_sockev_queue);
static struct kthread_worker *silk_sockev_kw;
static void silk_sockev_run(struct kthread_work *work);
static DEFINE_KTHREAD_WORK(silk_sockev_work, silk_sockev_run);

static int silk_ev_kind(int newstate)
{
	switch (newstate) {
	case TCP_SYN_RECV:
		return SILK_EV_SYN_RECV;
	case TCP_ESTABLISHED:
		return SILK_EV_ESTABLISHED;
	case TCP_LISTEN:
		return SILK_EV_LISTEN;
	case TCP_CLOSE:
		return SILK_EV_CLOSE;
	}
	return -1;
}

static void silk_sockev_enqueue(struct llist_node *n)
{
	if (llist_add(n, &silk_sockev_queue))
		kthread_queue_work(silk_sockev_kw, &silk_sockev_work);
}

/* @mask's subscribers wanted an event that has no record. */
static void silk_sockev_missed(struct silk_net *sn, unsigned int mask)
{
	unsigned int i;

	for (i = 0; i < silk_sockev_nsubs; i++)
		if ((mask & BIT(i)) && silk_sockev_subs[i]->missed)
			silk_sockev_subs[i]->missed(sn);
}

static struct llist_node *silk_sockev_take(struct llist_head *free)
{
	struct llist_node *n;
	unsigned long flags;

	raw_spin_lock_irqsave(&silk_sockev_free_lock, flags);
	n = llist_del_first(free);
	raw_spin_unlock_irqrestore(&silk_sockev_free_lock, flags);
	return n;
}

static u32 silk_sockev_hash(const struct sock *sk)
{
	return hash_ptr(sk, silk_sockev_index_bits);
}

/*
 * @sk's open tracker, or NULL. Only @sk's own state events, which its
 * lock serialises with this one, make a tracker for it or close it, so a
 * tracker that names @sk and is not closed is its open one, even if what
 * the index held a moment ago was another socket's, since freed.
 */
static struct silk_sockev_tracker *silk_tracker_find(const struct sock *sk)
{
	unsigned int mask = BIT(silk_sockev_index_bits) - 1;
	u32 h = silk_sockev_hash(sk), i;
	struct silk_sockev_tracker *t;

	for (i = 0; i < SILK_SOCKEV_PROBES; i++) {
		t = READ_ONCE(silk_sockev_index[(h + i) & mask]);
		if (t && READ_ONCE(t->sk) == sk && !READ_ONCE(t->closed))
			return t;
	}
	return NULL;
}

static struct silk_sockev_tracker *silk_tracker_new(struct silk_net *sn,
						    struct sock *sk)
{
	unsigned int mask = BIT(silk_sockev_index_bits) - 1;
	struct llist_node *n = silk_sockev_take(&silk_trackers_free);
	u32 h = silk_sockev_hash(sk), i;
	struct silk_sockev_tracker *t;

	if (!n)
		return NULL;
	t = llist_entry(n, struct silk_sockev_tracker, fnode);
	t->seen = 0;
	t->sn = sn;
	atomic_set(&t->ref, 1);
	WRITE_ONCE(t->closed, false);
	sock_hold(sk);
	WRITE_ONCE(t->sk, sk);
	/* cmpxchg() orders the fields before the index shows them. */
	for (i = 0; i < SILK_SOCKEV_PROBES; i++) {
		t->slot = (h + i) & mask;
		if (!cmpxchg(&silk_sockev_index[t->slot], NULL, t))
			return t;
	}
	WRITE_ONCE(t->sk, NULL);
	sock_put(sk);
	llist_add(&t->fnode, &silk_trackers_free);
	return NULL;
}

/* The thread's; also at detach, when nothing else runs. */
static void silk_tracker_put(struct silk_sockev_tracker *t)
{
	struct sock *sk;

	if (!atomic_dec_and_test(&t->ref))
		return;
	WRITE_ONCE(silk_sockev_index[t->slot], NULL);
	sk = t->sk;
	WRITE_ONCE(t->sk, NULL);
	sock_put(sk);
	llist_add(&t->fnode, &silk_trackers_free);
}

/* In the tracepoint, deferring: record @sk's event for @mask's _later. */
static void silk_sockev_defer_state(struct silk_net *sn, struct sock *sk,
				    int oldstate, int newstate,
				    unsigned int mask,
				    const struct silk_sockev_snap *snap)
{
	int k = silk_ev_kind(newstate);
	struct silk_sockev_tracker *t;

	if (WARN_ON_ONCE(k < 0))
		return;
	t = silk_tracker_find(sk);
	if (!t) {
		/* Nothing was made for it that its CLOSE could end. */
		if (k == SILK_EV_CLOSE)
			return;
		t = silk_tracker_new(sn, sk);
	}
	if (!t || test_and_set_bit(k, &t->seen)) {
		silk_sockev_missed(sn, mask);
		return;
	}
	t->snap[k] = *snap;
	t->subs[k] = mask;
	t->oldstate[k] = oldstate;
	t->newstate[k] = newstate;
	atomic_inc(&t->ref);
	if (k == SILK_EV_CLOSE)
		WRITE_ONCE(t->closed, true);
	silk_sockev_enqueue(&t->node[k]);
}

static struct silk_sockev_acc *silk_acc_new(void)
{
	struct llist_node *n = silk_sockev_take(&silk_accs_free);
	struct silk_sockev_acc *r;

	if (!n)
		return NULL;
	r = llist_entry(n, struct silk_sockev_acc, fnode);
	r->reserved = true;
	return r;
}

static void silk_acc_free(struct silk_sockev_acc *r)
{
	if (r->sk)
		sock_put(r->sk);
	if (r->lsk)
		sock_put(r->lsk);
	r->sk = NULL;
	r->lsk = NULL;
	r->reserved = false;
	llist_add(&r->fnode, &silk_accs_free);
}

static void silk_sockev_do_state(struct silk_sockev_tracker *t, int k)
{
	struct silk_sockev_ev ev = {
		.sk = t->sk,
		.oldstate = t->oldstate[k],
		.newstate = t->newstate[k],
		.snap = &t->snap[k],
	};
	unsigned int i;

	if (t->sn)
		for (i = 0; i < silk_sockev_nsubs; i++)
			if (t->subs[k] & BIT(i))
				silk_sockev_subs[i]->state_later(t->sn, &ev);
	if (k == SILK_EV_CLOSE)
		silk_tracker_put(t);
	silk_tracker_put(t);
}

static void silk_sockev_do_accepted(struct silk_sockev_acc *r)
{
	struct silk_sockev_ev ev = {
		.sk = r->sk,
		.lsk = r->lsk,
		.snap = &r->snap,
	};
	unsigned int i;

	if (r->sn)
		for (i = 0; i < silk_sockev_nsubs; i++)
			if (r->subs & BIT(i))
				silk_sockev_subs[i]->accepted_later(r->sn, &ev);
	silk_acc_free(r);
}

static void silk_sockev_do(struct llist_node *n)
{
	struct silk_sockev_tracker *t;
	unsigned long off;

	off = (unsigned long)n - (unsigned long)silk_trackers;
	if (off < silk_ntrackers * sizeof(*t)) {
		t = &silk_trackers[off / sizeof(*t)];
		silk_sockev_do_state(t, n - t->node);
		return;
	}
	silk_sockev_do_accepted(container_of(n, struct silk_sockev_acc, node));
}

/* The thread: the events recorded, in their order. */
static void silk_sockev_run(struct kthread_work *work)
{
	struct llist_node *n, *next;

	while ((n = llist_del_all(&silk_sockev_queue))) {
		for (n = llist_reverse_order(n); n; n = next) {
			/* Processing may free the record, and it be reused. */
			next = n->next;
			/* As in the events' context, which they were written for. */
			local_bh_disable();
			rcu_read_lock();
			silk_sockev_do(n);
			rcu_read_unlock();
			local_bh_enable();
			cond_resched();
		}
	}
}

/* No event recorded so far is still to be processed after this. */
static void silk_sockev_flush(void)
{
	if (silk_sockev_kw)
		kthread_flush_worker(silk_sockev_kw);
}

/* Let go of @events' records. */
static void silk_sockev_pool_free(unsigned int events)
{
	if (events & SILK_SOCKEV_STATE) {
		kvfree(silk_trackers);
		kvfree(silk_sockev_index);
		silk_trackers = NULL;
		silk_sockev_index = NULL;
		silk_ntrackers = 0;
	}
	if (events & SILK_SOCKEV_ACCEPT) {
		kvfree(silk_accs);
		silk_accs = NULL;
	}
}

/*
 * Deferring, the records of each kind in @events that is still to attach:
 * trackers for the state events, returns for accept(). Under
 * silk_sockev_lock.
 */
static int silk_sockev_pool_alloc(unsigned int events)
{
	unsigned int n = READ_ONCE(silk_sockev_records), i;

	if (!silk_sockev_defer)
		return 0;
	if ((events & SILK_SOCKEV_STATE) && !silk_trackers) {
		if (!n)
			n = max(2048 * num_online_cpus(), 4096U);
		silk_sockev_index_bits = ilog2(roundup_pow_of_two(2 * n));
		silk_trackers = kvcalloc(n, sizeof(*silk_trackers), GFP_KERNEL);
		silk_sockev_index = kvcalloc(BIT(silk_sockev_index_bits),
					     sizeof(*silk_sockev_index),
					     GFP_KERNEL);
		if (!silk_trackers || !silk_sockev_index)
			goto nomem;
		silk_ntrackers = n;
		init_llist_head(&silk_trackers_free);
		for (i = n; i--; )
			llist_add(&silk_trackers[i].fnode, &silk_trackers_free);
	}
	if ((events & SILK_SOCKEV_ACCEPT) && !silk_accs) {
		silk_accs = kvcalloc(SILK_SOCKEV_ACCS, sizeof(*silk_accs),
				     GFP_KERNEL);
		if (!silk_accs)
			goto nomem;
		init_llist_head(&silk_accs_free);
		for (i = SILK_SOCKEV_ACCS; i--; )
			llist_add(&silk_accs[i].fnode, &silk_accs_free);
	}
	return 0;
nomem:
	silk_sockev_pool_free(events & ~silk_sockev_attached);
	return -ENOMEM;
}

/*
 * After @events detached and what they recorded was processed: let go of
 * what no event will end any more, and of their records.
 */
static void silk_sockev_pool_release(unsigned int events)
{
	unsigned int i;

	if ((events & SILK_SOCKEV_STATE) && silk_trackers)
		for (i = 0; i < silk_ntrackers; i++)
			if (silk_trackers[i].sk) {
				atomic_set(&silk_trackers[i].ref, 1);
				silk_tracker_put(&silk_trackers[i]);
			}
	/* Entries whose return the probe's removal took away. */
	if ((events & SILK_SOCKEV_ACCEPT) && silk_accs)
		for (i = 0; i < SILK_SOCKEV_ACCS; i++)
			if (silk_accs[i].reserved)
				silk_acc_free(&silk_accs[i]);
	silk_sockev_pool_free(events);
}

struct silk_sockev_forget {
	struct kthread_work work;
	struct silk_net *sn;
};

static void silk_sockev_forget_work(struct kthread_work *work)
{
	struct silk_sockev_forget *f =
		container_of(work, struct silk_sockev_forget, work);
	unsigned int i;

	for (i = 0; i < silk_ntrackers; i++)
		if (silk_trackers[i].sk && silk_trackers[i].sn == f->sn)
			silk_trackers[i].sn = NULL;
}

/**
 * silk_sockev_forget - a namespace goes
 * @sn: it, whose subscribers no longer want any event and whose events
 *	that wanted them have returned (a grace period)
 *
 * Its events recorded so far are processed, and those of its sockets that
 * are still followed reach no subscriber any more: its kernel sockets may
 * close after it is gone.
 */
void silk_sockev_forget(struct silk_net *sn)
{
	struct silk_sockev_forget f = { .sn = sn };

	if (!silk_sockev_kw)
		return;
	mutex_lock(&silk_sockev_lock);
	if (silk_trackers) {
		kthread_init_work(&f.work, silk_sockev_forget_work);
		kthread_queue_work(silk_sockev_kw, &f.work);
		kthread_flush_work(&f.work);
	}
	mutex_unlock(&silk_sockev_lock);
	silk_sockev_flush();
}

/* Not deferring: a _later part runs in the event, right after its _now. */
static void silk_sockev_later(void (*later)(struct silk_net *sn,
					    const struct silk_sockev_ev *ev),
			      struct silk_net *sn,
			      const struct silk_sockev_ev *ev)
{
	rcu_read_lock();
	later(sn, ev);
	rcu_read_unlock();
}

static void silk_sockev_state(void *data, const struct sock *csk,
			      const int oldstate, const int newstate)
{
	struct sock *sk = (struct sock *)csk;
	const struct silk_sockev_ops *ops;
	struct silk_sockev_snap snap;
	struct silk_sockev_ev ev = {
		.sk = sk,
		.oldstate = oldstate,
		.newstate = newstate,
		.snap = &snap,
	};
	unsigned int i, mask = 0;
	struct silk_net *sn;

	if (sk->sk_protocol != IPPROTO_TCP)
		return;
	sn = silk_pernet(sock_net(sk));
	memset(&snap, 0, sizeof(snap));
	for (i = 0; i < silk_sockev_nsubs; i++) {
		ops = silk_sockev_subs[i];
		if (ops->state)
			ops->state(sn, sk, oldstate, newstate);
		if (!ops->state_now ||
		    !ops->state_now(sn, sk, oldstate, newstate, &snap))
			continue;
		if (silk_sockev_defer)
			mask |= BIT(i);
		else
			silk_sockev_later(ops->state_later, sn, &ev);
	}
	/* A CLOSE nobody wants still ends its socket's tracker. */
	if (mask || (silk_sockev_defer && newstate == TCP_CLOSE))
		silk_sockev_defer_state(sn, sk, oldstate, newstate, mask,
					&snap);
}

/*
 * The flags of an accept() on @lsk: O_NONBLOCK if it will not wait. They
 * come from the listener's file on every kernel (6.10 moved the argument
 * inet_csk_accept() gets them in into struct proto_accept_arg), so they
 * are read there. A kernel listener has no file and does not count as
 * waiting; io_uring's first try, which does not wait either, counts as
 * waiting until its return (the accepted callback) undoes it.
 */
static int silk_accept_flags(const struct sock *lsk)
{
	const struct socket *sock = READ_ONCE(lsk->sk_socket);
	const struct file *file = sock ? READ_ONCE(sock->file) : NULL;

	return file ? READ_ONCE(file->f_flags) : O_NONBLOCK;
}

static int silk_sockev_accept(struct kretprobe_instance *ri,
			      struct pt_regs *regs)
{
	struct silk_accept *a = (struct silk_accept *)ri->data;
	struct sock *lsk = (struct sock *)regs_get_kernel_argument(regs, 0);
	struct silk_net *sn = silk_pernet(sock_net(lsk));
	const struct silk_sockev_ops *ops;
	unsigned int i, later = 0;
	bool want = false;

	INIT_LIST_HEAD(&a->node);
	a->lsk = lsk;
	a->task = current;
	a->flags = silk_accept_flags(lsk);
	a->ret = NULL;
	for (i = 0; i < silk_sockev_nsubs; i++) {
		ops = silk_sockev_subs[i];
		if (ops->accept && ops->accept(sn, a)) {
			want = true;
			if (ops->accepted_later)
				later |= BIT(i);
		}
	}
	/* Deferring, the return needs a record: taken now, it cannot lack one. */
	if (later && silk_sockev_defer) {
		a->ret = silk_acc_new();
		if (!a->ret)
			silk_sockev_missed(sn, later);
	}
	/* Non-zero: no return probe for this call. */
	return !want;
}

static int silk_sockev_accepted(struct kretprobe_instance *ri,
				struct pt_regs *regs)
{
	struct silk_accept *a = (struct silk_accept *)ri->data;
	struct sock *sk = (struct sock *)regs_return_value(regs);
	struct silk_net *sn = silk_pernet(sock_net(a->lsk));
	struct silk_sockev_acc *r = a->ret;
	const struct silk_sockev_ops *ops;
	struct silk_sockev_snap snap;
	struct silk_sockev_ev ev = {
		.sk = sk,
		.lsk = a->lsk,
		.snap = &snap,
	};
	unsigned int i, mask = 0;

	memset(&snap, 0, sizeof(snap));
	for (i = 0; i < silk_sockev_nsubs; i++) {
		ops = silk_sockev_subs[i];
		if (ops->accepted)
			ops->accepted(sn, a, sk);
		if (!ops->accepted_now || (silk_sockev_defer && !r) ||
		    !ops->accepted_now(sn, a, sk, &snap))
			continue;
		if (silk_sockev_defer)
			mask |= BIT(i);
		else
			silk_sockev_later(ops->accepted_later, sn, &ev);
	}
	if (!r)
		return 0;
	if (!mask || WARN_ON_ONCE(!sk)) {
		silk_acc_free(r);
		return 0;
	}
	sock_hold(sk);
	sock_hold(a->lsk);
	r->sk = sk;
	r->lsk = a->lsk;
	r->sn = sn;
	r->snap = snap;
	r->subs = mask;
	r->reserved = false;
	silk_sockev_enqueue(&r->node);
	return 0;
}

static struct kretprobe silk_accept_probe = {
	.kp.symbol_name = "inet_csk_accept",
	.entry_handler = silk_sockev_accept,
	.handler = silk_sockev_accepted,
	.data_size = sizeof(struct silk_accept),
	/* Tasks blocked in accept() at once, each holding an instance. */
	.maxactive = 512,
};

/* Every IPv4 and IPv6 socket released passes here while attached. */
static int silk_sockev_close(struct kprobe *kp, struct pt_regs *regs)
{
	struct socket *sock = (struct socket *)regs_get_kernel_argument(regs, 0);
	struct sock *sk = sock->sk;
	unsigned int i;

	if (!sk)
		return 0;
	for (i = 0; i < silk_sockev_nsubs; i++)
		if (silk_sockev_subs[i]->close)
			silk_sockev_subs[i]->close(sk);
	return 0;
}

static struct kprobe silk_close_probe = {
	.symbol_name = "inet_release",
	.pre_handler = silk_sockev_close,
};

static struct tracepoint *silk_state_tp;

static void silk_sockev_tp_find(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "inet_sock_set_state"))
		silk_state_tp = tp;
}

/* Register subscriber @ops; at load, before anything can attach. */
void silk_sockev_register(const struct silk_sockev_ops *ops)
{
	if (!WARN_ON_ONCE(silk_sockev_nsubs == SILK_SOCKEV_SUBS))
		silk_sockev_subs[silk_sockev_nsubs++] = ops;
}

static void silk_sockev_notify(unsigned int events, bool on)
{
	unsigned int i;

	for (i = 0; i < silk_sockev_nsubs; i++)
		if (silk_sockev_subs[i]->attach)
			silk_sockev_subs[i]->attach(events, on);
}

static int silk_sockev_attach_one(unsigned int ev)
{
	silk_sockev_notify(ev, true);
	switch (ev) {
	case SILK_SOCKEV_STATE:
		if (!silk_state_tp)
			for_each_kernel_tracepoint(silk_sockev_tp_find, NULL);
		if (!silk_state_tp)
			return -ENOENT;
		return tracepoint_probe_register(silk_state_tp,
						 silk_sockev_state, NULL);
	case SILK_SOCKEV_ACCEPT:
		/* Registration fills these in; a second one wants them clear. */
		silk_accept_probe.kp.addr = NULL;
		silk_accept_probe.kp.flags = 0;
		return register_kretprobe(&silk_accept_probe);
	default:
		silk_close_probe.addr = NULL;
		silk_close_probe.flags = 0;
		return register_kprobe(&silk_close_probe);
	}
}

/* Detach every kind in @events; no callback of theirs runs after this. */
static void silk_sockev_detach(unsigned int events)
{
	unsigned int i;

	lockdep_assert_held(&silk_sockev_lock);
	events &= silk_sockev_attached;
	if (!events)
		return;
	silk_sockev_notify(events, false);
	if (events & SILK_SOCKEV_CLOSE)
		unregister_kprobe(&silk_close_probe);
	if (events & SILK_SOCKEV_ACCEPT) {
		unregister_kretprobe(&silk_accept_probe);
		/* Kept across attachments; the probe's own count starts over. */
		silk_sockev_nomem += silk_accept_probe.nmissed;
		silk_accept_probe.nmissed = 0;
	}
	if (events & SILK_SOCKEV_STATE) {
		tracepoint_probe_unregister(silk_state_tp, silk_sockev_state,
					    NULL);
		tracepoint_synchronize_unregister();
	}
	/* Nor a _later part of theirs. */
	silk_sockev_flush();
	silk_sockev_attached &= ~events;
	silk_sockev_pool_release(events);
	for (i = 0; i < silk_sockev_nsubs; i++)
		if (silk_sockev_subs[i]->detached)
			silk_sockev_subs[i]->detached(events);
}

/* Kinds that nobody uses. */
static unsigned int silk_sockev_unused(void)
{
	unsigned int i, events = 0;

	for (i = 0; i < SILK_SOCKEV_KINDS; i++)
		if (!silk_sockev_users[i])
			events |= BIT(i);
	return events;
}

static void silk_sockev_linger_end(struct work_struct *work)
{
	mutex_lock(&silk_sockev_lock);
	silk_sockev_detach(silk_sockev_unused());
	mutex_unlock(&silk_sockev_lock);
}

/**
 * silk_sockev_get - have the events @events attached until the put
 * @events: SILK_SOCKEV_* bits
 * @extack: why not
 *
 * They attach system-wide, so only the host's administrator may, unless
 * the module parameter ns_probes lets namespaces.
 */
int silk_sockev_get(unsigned int events, struct netlink_ext_ack *extack)
{
	unsigned int i, done = 0;
	int err = 0;

	if (!silk_probes_allowed(extack))
		return -EPERM;
	mutex_lock(&silk_sockev_lock);
	if (silk_sockev_stopped) {
		err = -ESHUTDOWN;
		goto out;
	}
	err = silk_sockev_pool_alloc(events);
	if (err) {
		NL_SET_ERR_MSG(extack,
			       "no memory for the socket event records (module parameter sockev_records)");
		goto out;
	}
	for (i = 0; i < SILK_SOCKEV_KINDS; i++) {
		if (!(events & BIT(i)))
			continue;
		if (!(silk_sockev_attached & BIT(i))) {
			err = silk_sockev_attach_one(BIT(i));
			if (err) {
				silk_sockev_notify(BIT(i), false);
				break;
			}
			silk_sockev_attached |= BIT(i);
		}
		silk_sockev_users[i]++;
		done |= BIT(i);
	}
	if (err) {
		pr_warn("cannot attach socket events %#x: %d\n", events, err);
		NL_SET_ERR_MSG(extack,
			       "cannot attach to the socket state tracepoint or the accept and close probes");
		for (i = 0; i < SILK_SOCKEV_KINDS; i++)
			if (done & BIT(i))
				silk_sockev_users[i]--;
		if (!delayed_work_pending(&silk_sockev_detach_work))
			silk_sockev_detach(silk_sockev_unused());
		silk_sockev_pool_free(events & ~silk_sockev_attached);
	}
out:
	mutex_unlock(&silk_sockev_lock);
	return err;
}

/* Let go of @events, which a silk_sockev_get() attached. */
void silk_sockev_put(unsigned int events)
{
	bool idle = false;
	unsigned int i;

	mutex_lock(&silk_sockev_lock);
	for (i = 0; i < SILK_SOCKEV_KINDS; i++)
		if ((events & BIT(i)) &&
		    !WARN_ON_ONCE(!silk_sockev_users[i]) &&
		    !--silk_sockev_users[i])
			idle = true;
	if (idle && !silk_sockev_stopped)
		mod_delayed_work(system_wq, &silk_sockev_detach_work,
				 SILK_SOCKEV_LINGER);
	mutex_unlock(&silk_sockev_lock);
}

/* accept() calls whose return was not seen (no free instance). */
u64 silk_sockev_accept_missed(void)
{
	return READ_ONCE(silk_sockev_nomem) +
	       READ_ONCE(silk_accept_probe.nmissed);
}

/* At load: the thread that runs the _later parts, when deferring. */
int silk_sockev_init(void)
{
	struct kthread_worker *kw;

	if (!silk_sockev_defer)
		return 0;
	kw = kthread_create_worker(0, "silk_sockev");
	if (IS_ERR(kw))
		return PTR_ERR(kw);
	/*
	 * Realtime, so that busy tasks cannot hold back the events that end
	 * what silk gave a connection (ordinary kworkers could be starved);
	 * the middle priority, as threaded interrupt handlers have.
	 */
	sched_set_fifo(kw->task);
	silk_sockev_kw = kw;
	return 0;
}

/*
 * Unload, before the namespaces go: their state must not be reached by a
 * callback once it is freed, so everything detaches now; their puts that
 * follow detach nothing.
 */
void silk_sockev_stop(void)
{
	mutex_lock(&silk_sockev_lock);
	silk_sockev_stopped = true;
	mutex_unlock(&silk_sockev_lock);
	cancel_delayed_work_sync(&silk_sockev_detach_work);
	mutex_lock(&silk_sockev_lock);
	silk_sockev_detach(silk_sockev_attached);
	mutex_unlock(&silk_sockev_lock);
}

/* Unload, last. */
void silk_sockev_exit(void)
{
	if (silk_sockev_kw)
		kthread_destroy_worker(silk_sockev_kw);
}
