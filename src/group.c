// SPDX-License-Identifier: GPL-2.0
/*
 * Socket groups (Zhang, Abdelzaher and Stankovic): actuators on the
 * listening ports of unmodified servers. An accept-rate group lets at most
 * R connections per second be accepted from its ports; an accept-ratio
 * group makes the accepts of its ports follow their weights while they all
 * have connections waiting; an output group caps what the connections
 * accepted from its ports send together (their pacing: output.c).
 *
 * A connection waits established, in the kernel, where the stack put it:
 * the group takes hold of its ports' listeners (the stack's
 * sk_data_ready is wrapped, as sockmap does) and, when a new child makes
 * more of them visible than the group allows, takes the newest off the
 * accept queue and holds it, still counted in the listener's backlog, so
 * that the backlog bounds the wait as it would without silk and the
 * waiting sensor sees it. The group puts held children back as it allows
 * more: a token bucket (RATE) refilled by a timer, or start-time fair
 * queueing over the ports (RATIO). Accepts are seen by the
 * inet_csk_accept() return probe and charged to the group, so an accept
 * that took a child before the group could hide it still counts.
 *
 * Children are clones of their listener and would inherit the wrapper:
 * the tracepoint gives each new child the stack's callback back (the one
 * the listeners had; silk holds only listeners that all have the same).
 *
 * A listener that closes gets its held children back before the stack
 * disposes of its queue (the tracepoint fires first); deleting the group
 * or unloading silk makes every held child acceptable again. When the
 * socket events are deferred (PREEMPT_RT), the tracepoint cannot do that
 * (it would take spinlock_t locks with preemption off), so the listener's
 * protocol is wrapped too, as kTLS and sockmap wrap it: its close,
 * disconnect and destroy give the children back first, and the tracepoint
 * gives each new child the stack's protocol back.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/inet_connection_sock.h>
#include <net/inet_hashtables.h>
#include <net/request_sock.h>
#include <net/sock.h>
#include <net/tcp_states.h>
#include <uapi/linux/silk.h>

#include "group.h"
#include "netlink.h"
#include "netns.h"
#include "sock.h"
#include "output.h"
#include "silk.h"
#include "sockev.h"

/* RATIO: virtual time per accept is SILK_VSCALE / weight. */
#define SILK_VSCALE		BIT_ULL(32)
/* RATE: tokens are counted in thousandths. */
#define SILK_TOKEN		1000

/* A listener a group holds. */
struct silk_glsk {
	struct rhash_head hnode;	/* silk_glsks, by listener */
	struct sock *lsk;		/* referenced */
	struct silk_group *g;
	struct silk_gport *gp;
	void (*data_ready)(struct sock *sk);	/* the stack's */
	struct list_head gnode;		/* g->lsks, under g->lock */
	struct list_head wnode;		/* gn->closed, under gn->lock */
	bool gone;			/* being freed; gn->lock */
	bool dead;			/* closed or let go; g->lock */
	struct rcu_head rcu;
};

/* A child the group keeps off its listener's accept queue. */
struct silk_held {
	struct list_head node;		/* g->held */
	struct request_sock *req;
	struct silk_glsk *gl;
};

/* A listener that started on a grouped port, for the work. */
struct silk_started {
	struct list_head node;
	struct sock *lsk;		/* referenced */
};

static const struct rhashtable_params silk_glsk_params = {
	.key_len = sizeof(struct sock *),
	.key_offset = offsetof(struct silk_glsk, lsk),
	.head_offset = offsetof(struct silk_glsk, hnode),
	.automatic_shrinking = true,
};

static struct rhashtable silk_glsks;
/*
 * The stack's sk_data_ready of the listeners silk holds (sock_def_readable(),
 * which is not exported), taken from the first one; set once.
 */
static void (*silk_stack_readable)(struct sock *sk);

static void silk_gate_data_ready(struct sock *lsk);

/*
 * Deferring: the stack's protocols of the listeners silk holds (tcp_prot,
 * tcpv6_prot, not exported), taken from the first of each family, and
 * silk's copies of them that wrap what ends listening. Tasks in a wrapper,
 * for unload to wait for.
 */
static struct proto *silk_gate_base[2];
static struct proto silk_gate_prot[2];
static DEFINE_MUTEX(silk_gate_prot_lock);
static atomic_t silk_gate_in;

/* Children in @gp's listeners' accept queues (all ports: @gp NULL). */
static u32 silk_gate_visible(struct silk_group *g, struct silk_gport *gp)
{
	struct silk_glsk *gl;
	u32 n = 0, held;

	list_for_each_entry(gl, &g->lsks, gnode)
		if (!gl->dead && (!gp || gl->gp == gp))
			n += READ_ONCE(gl->lsk->sk_ack_backlog);
	/* Held children are still counted in their listener's backlog. */
	held = gp ? gp->nheld : g->nheld;
	return n > held ? n - held : 0;
}

static void silk_gate_refill(struct silk_group *g)
{
	u64 now = ktime_get_ns();
	s64 burst = max_t(s64, SILK_TOKEN, g->rate_milli / 10);

	if (g->type != SILK_GROUP_RATE)
		return;
	g->tokens += mul_u64_u64_div_u64(now - g->t_refill, g->rate_milli,
					 NSEC_PER_SEC);
	g->tokens = min(g->tokens, burst);
	g->t_refill = now;
}

/* RATIO: may @gp have a child visible now? */
static bool silk_gate_eligible(struct silk_group *g, struct silk_gport *gp)
{
	u64 vmin = U64_MAX;
	unsigned int i;

	for (i = 0; i < g->nports; i++) {
		struct silk_gport *o = &g->port[i];

		if (o->nheld || silk_gate_visible(g, o))
			vmin = min(vmin, o->vtime);
	}
	return gp->vtime <= vmin;
}

/* Put @h's child back on its listener's accept queue; g->lock held. */
static void silk_gate_release(struct silk_group *g, struct silk_held *h)
{
	struct request_sock *req = h->req;
	struct sock *lsk = h->gl->lsk;
	struct request_sock_queue *q = &inet_csk(lsk)->icsk_accept_queue;

	lockdep_assert_held(&g->lock);
	list_del(&h->node);
	g->nheld--;
	h->gl->gp->nheld--;
	spin_lock(&q->rskq_lock);
	req->dl_next = NULL;
	if (!q->rskq_accept_head)
		WRITE_ONCE(q->rskq_accept_head, req);
	else
		q->rskq_accept_tail->dl_next = req;
	q->rskq_accept_tail = req;
	spin_unlock(&q->rskq_lock);
	h->gl->data_ready(lsk);
	kfree(h);
}

/* The oldest child held for @gp (any port: NULL). */
static struct silk_held *silk_gate_oldest(struct silk_group *g,
					  struct silk_gport *gp)
{
	struct silk_held *h;

	list_for_each_entry(h, &g->held, node)
		if (!gp || h->gl->gp == gp)
			return h;
	return NULL;
}

/* Make visible what the group allows now; g->lock held. */
static void silk_gate_run(struct silk_group *g)
{
	struct silk_held *h;
	unsigned int i;

	lockdep_assert_held(&g->lock);
	if (g->type == SILK_GROUP_RATE) {
		silk_gate_refill(g);
		while (g->nheld && g->tokens >= SILK_TOKEN &&
		       silk_gate_visible(g, NULL) <
		       div_s64(g->tokens, SILK_TOKEN))
			silk_gate_release(g, silk_gate_oldest(g, NULL));
		if (g->nheld && g->tokens < SILK_TOKEN) {
			u64 ns = div64_u64((SILK_TOKEN - g->tokens) *
					   NSEC_PER_SEC, g->rate_milli);

			mod_timer(&g->timer,
				  jiffies + max(1UL, nsecs_to_jiffies(ns)));
		}
		return;
	}
	for (i = 0; i < g->nports; i++) {
		struct silk_gport *gp = &g->port[i];

		if (!gp->nheld || silk_gate_visible(g, gp) ||
		    !silk_gate_eligible(g, gp))
			continue;
		h = silk_gate_oldest(g, gp);
		if (h)
			silk_gate_release(g, h);
	}
}

/* How many children may be visible on @gl's port (RATE: on all). */
static u32 silk_gate_allowed(struct silk_group *g, struct silk_glsk *gl)
{
	if (g->type == SILK_GROUP_RATE)
		return g->tokens > 0 ? div_s64(g->tokens, SILK_TOKEN) : 0;
	return silk_gate_eligible(g, gl->gp) ? 1 : 0;
}

/*
 * A child arrived on @gl: hide the newest beyond what is allowed. False if
 * nothing is left to accept there, so that nobody is woken for nothing.
 */
static bool silk_gate_arrived(struct silk_glsk *gl)
{
	struct silk_group *g = gl->g;
	struct request_sock_queue *q = &inet_csk(gl->lsk)->icsk_accept_queue;
	struct silk_gport *gp = g->type == SILK_GROUP_RATE ? NULL : gl->gp;
	struct list_head *pos;
	unsigned long flags;

	spin_lock_irqsave(&g->lock, flags);
	if (gl->dead)
		goto out;
	silk_gate_refill(g);
	if (g->type == SILK_GROUP_RATIO && !gl->gp->nheld &&
	    silk_gate_visible(g, gl->gp) <= 1) {
		/* Back from idle: no credit for the time it had nothing. */
		u64 vmin = U64_MAX;
		unsigned int i;

		for (i = 0; i < g->nports; i++) {
			struct silk_gport *o = &g->port[i];

			if (o != gl->gp &&
			    (o->nheld || silk_gate_visible(g, o)))
				vmin = min(vmin, o->vtime);
		}
		if (vmin != U64_MAX && gl->gp->vtime < vmin)
			gl->gp->vtime = vmin;
	}
	pos = g->held.prev;
	while (silk_gate_visible(g, gp) > silk_gate_allowed(g, gl)) {
		struct request_sock *req, *prev = NULL;
		struct silk_held *h = kmalloc(sizeof(*h), GFP_ATOMIC);

		if (!h)
			break;
		spin_lock(&q->rskq_lock);
		req = q->rskq_accept_head;
		while (req && req->dl_next) {
			prev = req;
			req = req->dl_next;
		}
		if (req) {
			if (prev)
				prev->dl_next = NULL;
			else
				WRITE_ONCE(q->rskq_accept_head, NULL);
			q->rskq_accept_tail = prev;
		}
		spin_unlock(&q->rskq_lock);
		if (!req) {
			kfree(h);
			break;
		}
		/* Newest first: each goes before the one hidden after it. */
		h->req = req;
		h->gl = gl;
		list_add(&h->node, pos);
		g->nheld++;
		gl->gp->nheld++;
		g->hidden++;
	}
	if (g->nheld)
		silk_gate_run(g);
out:
	spin_unlock_irqrestore(&g->lock, flags);
	return !reqsk_queue_empty(q);
}

static void silk_gate_data_ready(struct sock *lsk)
{
	void (*orig)(struct sock *sk) = NULL;
	struct silk_glsk *gl;

	rcu_read_lock();
	gl = rhashtable_lookup(&silk_glsks, &lsk, silk_glsk_params);
	if (gl) {
		orig = gl->data_ready;
		if (lsk->sk_state == TCP_LISTEN && !silk_gate_arrived(gl)) {
			rcu_read_unlock();
			return;
		}
	}
	rcu_read_unlock();
	/* A listener let go meanwhile, or a child not yet given its own. */
	if (!orig)
		orig = READ_ONCE(silk_stack_readable);
	orig(lsk);
}

/* Give every child held for @gl back to its queue; g->lock held. */
static void silk_gate_unhide(struct silk_group *g, struct silk_glsk *gl)
{
	struct silk_held *h, *tmp;

	lockdep_assert_held(&g->lock);
	list_for_each_entry_safe(h, tmp, &g->held, node)
		if (h->gl == gl)
			silk_gate_release(g, h);
}

/* Stop holding @gl's listener: mark it, give back what it held. */
static void silk_glsk_let_go(struct silk_glsk *gl)
{
	struct silk_group *g = gl->g;
	unsigned long flags;

	spin_lock_irqsave(&g->lock, flags);
	if (!gl->dead) {
		silk_gate_unhide(g, gl);
		gl->dead = true;
	}
	spin_unlock_irqrestore(&g->lock, flags);
}

/* A listener stops listening: let go, and have the work forget it. */
static void silk_glsk_closing(struct silk_glsk *gl)
{
	struct silk_group_ns *gn = &gl->g->sn->group;

	silk_glsk_let_go(gl);
	spin_lock_bh(&gn->lock);
	if (!gl->gone && list_empty(&gl->wnode))
		list_add_tail(&gl->wnode, &gn->closed);
	spin_unlock_bh(&gn->lock);
	queue_work(system_wq, &gn->work);
}

static int silk_gate_fam(const struct sock *sk)
{
	return sk->sk_family == AF_INET6;
}

/* Put the stack's protocol back on @sk, if it has silk's. */
static void silk_gate_prot_restore(struct sock *sk)
{
	int i = silk_gate_fam(sk);

	if (READ_ONCE(sk->sk_prot) == &silk_gate_prot[i])
		cmpxchg(&sk->sk_prot, &silk_gate_prot[i], silk_gate_base[i]);
}

/*
 * Called by a wrapper, process context: a listener silk may hold ends
 * listening. Its held children go back before the stack disposes of its
 * queue, and it gets the stack's protocol back.
 */
static struct proto *silk_gate_unwrap(struct sock *sk)
{
	struct silk_glsk *gl;

	rcu_read_lock();
	gl = rhashtable_lookup(&silk_glsks, &sk, silk_glsk_params);
	if (gl)
		silk_glsk_closing(gl);
	rcu_read_unlock();
	silk_gate_prot_restore(sk);
	return silk_gate_base[silk_gate_fam(sk)];
}

static void silk_gate_close(struct sock *sk, long timeout)
{
	atomic_inc(&silk_gate_in);
	silk_gate_unwrap(sk)->close(sk, timeout);
	atomic_dec(&silk_gate_in);
}

static int silk_gate_disconnect(struct sock *sk, int flags)
{
	int err;

	atomic_inc(&silk_gate_in);
	err = silk_gate_unwrap(sk)->disconnect(sk, flags);
	atomic_dec(&silk_gate_in);
	return err;
}

static int silk_gate_diag_destroy(struct sock *sk, int err)
{
	atomic_inc(&silk_gate_in);
	err = silk_gate_unwrap(sk)->diag_destroy(sk, err);
	atomic_dec(&silk_gate_in);
	return err;
}

/*
 * May silk hold listener @lsk (its lock held)? Deferring, only with the
 * stack's protocol, which the first of its family tells.
 */
static bool silk_gate_prot_ok(struct sock *lsk)
{
	struct proto *p = READ_ONCE(lsk->sk_prot);
	int i = silk_gate_fam(lsk);

	if (!silk_sockev_defer)
		return true;
	mutex_lock(&silk_gate_prot_lock);
	if (!silk_gate_base[i]) {
		silk_gate_prot[i] = *p;
		silk_gate_prot[i].close = silk_gate_close;
		silk_gate_prot[i].disconnect = silk_gate_disconnect;
		if (p->diag_destroy)
			silk_gate_prot[i].diag_destroy = silk_gate_diag_destroy;
		/* The copy before the base: readers check the base. */
		smp_store_release(&silk_gate_base[i], p);
	}
	mutex_unlock(&silk_gate_prot_lock);
	if (p == silk_gate_base[i])
		return true;
	pr_warn_ratelimited("a listener on port %u has another owner's protocol; not holding it\n",
			    inet_sk(lsk)->inet_num);
	return false;
}

static void silk_glsk_free_rcu(struct rcu_head *head)
{
	struct silk_glsk *gl = container_of(head, struct silk_glsk, rcu);

	sock_put(gl->lsk);
	kfree(gl);
}

/* Process context: the stack's callback back, then forget @gl. */
static void silk_glsk_remove(struct silk_glsk *gl)
{
	struct silk_group_ns *gn = &gl->g->sn->group;
	struct sock *lsk = gl->lsk;
	struct silk_group *g = gl->g;

	silk_glsk_let_go(gl);
	spin_lock_bh(&gn->lock);
	list_del_init(&gl->wnode);
	gl->gone = true;
	spin_unlock_bh(&gn->lock);
	write_lock_bh(&lsk->sk_callback_lock);
	if (lsk->sk_data_ready == silk_gate_data_ready)
		lsk->sk_data_ready = gl->data_ready;
	write_unlock_bh(&lsk->sk_callback_lock);
	silk_gate_prot_restore(lsk);
	spin_lock_irq(&g->lock);
	list_del(&gl->gnode);
	spin_unlock_irq(&g->lock);
	rhashtable_remove_fast(&silk_glsks, &gl->hnode, silk_glsk_params);
	/* A wrapper running now still finds it, and its callback. */
	call_rcu(&gl->rcu, silk_glsk_free_rcu);
}

static struct silk_group *silk_group_of(struct silk_net *sn, u16 port)
{
	struct silk_group __rcu **ports = READ_ONCE(sn->group.ports);

	return ports ? rcu_dereference(ports[port]) : NULL;
}

/* Take hold of listener @lsk; process context, sn->lock not needed. */
static void silk_glsk_add(struct silk_net *sn, struct sock *lsk)
{
	struct silk_glsk *gl;
	struct silk_group *g;

	lock_sock(lsk);
	if (lsk->sk_state != TCP_LISTEN ||
	    lsk->sk_data_ready == silk_gate_data_ready)
		goto out;
	/* The first listener tells what the stack's callback is. */
	cmpxchg(&silk_stack_readable, NULL, lsk->sk_data_ready);
	if (lsk->sk_data_ready != READ_ONCE(silk_stack_readable)) {
		pr_warn_ratelimited("a listener on port %u has another owner's callback; not holding it\n",
				    inet_sk(lsk)->inet_num);
		goto out;
	}
	if (!silk_gate_prot_ok(lsk))
		goto out;
	rcu_read_lock();
	g = silk_group_of(sn, inet_sk(lsk)->inet_num);
	rcu_read_unlock();
	if (!g)
		goto out;
	gl = kzalloc(sizeof(*gl), GFP_KERNEL_ACCOUNT);
	if (!gl)
		goto out;
	sock_hold(lsk);
	gl->lsk = lsk;
	gl->g = g;
	gl->gp = silk_gport(g, inet_sk(lsk)->inet_num);
	INIT_LIST_HEAD(&gl->wnode);
	if (rhashtable_lookup_insert_fast(&silk_glsks, &gl->hnode,
					  silk_glsk_params)) {
		sock_put(lsk);
		kfree(gl);
		goto out;
	}
	spin_lock_irq(&g->lock);
	list_add_tail(&gl->gnode, &g->lsks);
	spin_unlock_irq(&g->lock);
	write_lock_bh(&lsk->sk_callback_lock);
	gl->data_ready = lsk->sk_data_ready;
	lsk->sk_data_ready = silk_gate_data_ready;
	write_unlock_bh(&lsk->sk_callback_lock);
	if (silk_sockev_defer)
		WRITE_ONCE(lsk->sk_prot, &silk_gate_prot[silk_gate_fam(lsk)]);
out:
	release_sock(lsk);
}

struct silk_lsk_list {
	struct silk_net *sn;
	struct sock *sk[64];
	unsigned int n;
	bool more;
};

static int silk_glsk_collect(struct sock *sk, void *arg)
{
	struct silk_lsk_list *l = arg;

	if (sk->sk_data_ready == silk_gate_data_ready ||
	    !silk_group_of(l->sn, inet_sk(sk)->inet_num))
		return 0;
	if (l->n == ARRAY_SIZE(l->sk)) {
		l->more = true;
		return 1;
	}
	sock_hold(sk);
	l->sk[l->n++] = sk;
	return 0;
}

/* Take hold of every listener of a grouped port not held yet. */
static void silk_group_scan(struct silk_net *sn)
{
	struct silk_lsk_list l = { .sn = sn };
	unsigned int i;

	do {
		l.n = 0;
		l.more = false;
		rcu_read_lock();
		silk_listeners_each(sn->net, silk_glsk_collect, &l);
		rcu_read_unlock();
		for (i = 0; i < l.n; i++) {
			silk_glsk_add(sn, l.sk[i]);
			sock_put(l.sk[i]);
		}
	} while (l.more);
}

static void silk_group_work(struct work_struct *work)
{
	struct silk_group_ns *gn = container_of(work, struct silk_group_ns,
						work);
	struct silk_net *sn = container_of(gn, struct silk_net, group);
	struct silk_started *s, *tmp;
	struct silk_glsk *gl;
	LIST_HEAD(list);

	/* sn->lock first: a group's deletion lets go of its own. */
	mutex_lock(&sn->lock);
	spin_lock_bh(&gn->lock);
	list_splice_init(&gn->started, &list);
	gl = list_first_entry_or_null(&gn->closed, struct silk_glsk, wnode);
	spin_unlock_bh(&gn->lock);
	while (gl) {
		silk_glsk_remove(gl);
		spin_lock_bh(&gn->lock);
		gl = list_first_entry_or_null(&gn->closed, struct silk_glsk,
					      wnode);
		spin_unlock_bh(&gn->lock);
	}
	list_for_each_entry_safe(s, tmp, &list, node) {
		if (READ_ONCE(gn->n))
			silk_glsk_add(sn, s->lsk);
		sock_put(s->lsk);
		kfree(s);
	}
	mutex_unlock(&sn->lock);
}

/*
 * A new child, unseen by anyone yet, cloned from a listener silk may hold
 * (or have held a moment ago): the stack's callback and protocol, also as
 * the one it was made with (sk_clone_lock() set it to the listener's),
 * which frees it and its timewait socket.
 */
static void silk_gate_child(struct sock *sk)
{
	int i = silk_gate_fam(sk);

	if (sk->sk_data_ready == silk_gate_data_ready)
		sk->sk_data_ready = READ_ONCE(silk_stack_readable);
	if (!silk_sockev_defer)
		return;
	silk_gate_prot_restore(sk);
	if (sk->sk_prot_creator == &silk_gate_prot[i])
		sk->sk_prot_creator = silk_gate_base[i];
}

/* A socket of a namespace with groups changed state. */
static bool silk_group_state_now(struct silk_net *sn, struct sock *sk,
				 int oldstate, int newstate,
				 struct silk_sockev_snap *snap)
{
	bool grouped;

	if (newstate == TCP_SYN_RECV && oldstate == TCP_LISTEN) {
		silk_gate_child(sk);
		return false;
	}
	if (!READ_ONCE(sn->group.n))
		return false;
	if (newstate == TCP_LISTEN) {
		rcu_read_lock();
		grouped = silk_group_of(sn, inet_sk(sk)->inet_num);
		rcu_read_unlock();
		return grouped;
	}
	/* Deferring, the protocol's wrappers have let go of it first. */
	return oldstate == TCP_LISTEN;
}

static void silk_group_state_later(struct silk_net *sn,
				   const struct silk_sockev_ev *ev)
{
	struct silk_group_ns *gn = &sn->group;
	struct silk_started *s;
	struct silk_glsk *gl;

	if (ev->newstate == TCP_LISTEN) {
		/* Listening starts under the socket lock: the work waits. */
		if (!silk_group_of(sn, inet_sk(ev->sk)->inet_num))
			return;
		s = kmalloc(sizeof(*s), GFP_ATOMIC);
		if (!s)
			return;
		sock_hold(ev->sk);
		s->lsk = ev->sk;
		spin_lock_bh(&gn->lock);
		list_add_tail(&s->node, &gn->started);
		spin_unlock_bh(&gn->lock);
		queue_work(system_wq, &gn->work);
		return;
	}
	/* Before the stack disposes of the queue: the held ones go back. */
	gl = rhashtable_lookup(&silk_glsks, &ev->sk, silk_glsk_params);
	if (gl)
		silk_glsk_closing(gl);
}

static bool silk_group_accept(struct silk_net *sn, struct silk_accept *a)
{
	return READ_ONCE(sn->group.n);
}

static bool silk_group_accepted_now(struct silk_net *sn,
				    struct silk_accept *a, struct sock *sk,
				    struct silk_sockev_snap *snap)
{
	return sk && READ_ONCE(sn->group.n);
}

/* @ev->lsk gave out a child: charge it to the listener's group. */
static void silk_group_accepted_later(struct silk_net *sn,
				      const struct silk_sockev_ev *ev)
{
	struct silk_glsk *gl;
	struct silk_group *g;
	unsigned long flags;

	if (!READ_ONCE(sn->group.n))
		return;
	gl = rhashtable_lookup(&silk_glsks, &ev->lsk, silk_glsk_params);
	if (!gl)
		return;
	g = gl->g;
	spin_lock_irqsave(&g->lock, flags);
	if (!gl->dead) {
		gl->gp->accepted++;
		g->accepted++;
		if (g->type == SILK_GROUP_RATE) {
			silk_gate_refill(g);
			g->tokens -= SILK_TOKEN;
		} else {
			gl->gp->vtime += div_u64(SILK_VSCALE, gl->gp->weight);
		}
		silk_gate_run(g);
	}
	spin_unlock_irqrestore(&g->lock, flags);
}

/* A listener not held, or an accept() not charged. */
static void silk_group_missed(struct silk_net *sn)
{
	atomic64_inc(&sn->group.missed);
}

static const struct silk_sockev_ops silk_group_sockev = {
	.state_now = silk_group_state_now,
	.state_later = silk_group_state_later,
	.accept = silk_group_accept,
	.accepted_now = silk_group_accepted_now,
	.accepted_later = silk_group_accepted_later,
	.missed = silk_group_missed,
};

static void silk_group_timer(struct timer_list *t)
{
	struct silk_group *g = from_timer(g, t, timer);
	unsigned long flags;

	spin_lock_irqsave(&g->lock, flags);
	silk_gate_run(g);
	spin_unlock_irqrestore(&g->lock, flags);
}

/* Configuration, under sn->lock. */

struct silk_group *silk_group_find(struct silk_net *sn, const char *name)
{
	struct silk_group *g;

	lockdep_assert_held(&sn->lock);
	list_for_each_entry(g, &sn->group.groups, node)
		if (!strcmp(g->name, name))
			return g;
	return NULL;
}

/* The port map groups of @type are in. */
static struct silk_group __rcu **silk_group_map(struct silk_net *sn, u8 type)
{
	return type == SILK_GROUP_OUTPUT ? sn->group.oports : sn->group.ports;
}

/*
 * No group is left in @sn: unpublish its port maps and let go of the
 * probes. The probes of other namespaces' groups stay attached, and one
 * that read a map pointer may still be looking at the map: it is freed
 * after a grace period.
 */
static void silk_group_maps_put(struct silk_net *sn)
{
	struct silk_group __rcu **ports = sn->group.ports;
	struct silk_group __rcu **oports = sn->group.oports;

	WRITE_ONCE(sn->group.ports, NULL);
	WRITE_ONCE(sn->group.oports, NULL);
	silk_sockev_put(SILK_SOCKEV_STATE | SILK_SOCKEV_ACCEPT);
	synchronize_rcu();
	kvfree(ports);
	kvfree(oports);
}

/* Let go of every listener of @g and stop it; sn->lock held. */
static void silk_group_free(struct silk_net *sn, struct silk_group *g)
{
	struct silk_group __rcu **map = silk_group_map(sn, g->type);
	struct silk_glsk *gl, *tmp;
	unsigned int i;

	lockdep_assert_held(&sn->lock);
	for (i = 0; i < g->nports; i++)
		RCU_INIT_POINTER(map[g->port[i].port], NULL);
	list_del(&g->node);
	/* Probes that found the group are done after this. */
	synchronize_rcu();
	list_for_each_entry_safe(gl, tmp, &g->lsks, gnode)
		silk_glsk_remove(gl);
	del_timer_sync(&g->timer);
	WARN_ON(g->nheld);
	if (g->type == SILK_GROUP_OUTPUT)
		silk_output_stop(sn, g);
	/* Wrappers of removed listeners may still look at g. */
	synchronize_rcu();
	kfree(g->portnums);
	kfree(g);
	if (!--sn->group.n)
		silk_group_maps_put(sn);
}

/*
 * A rate fits the group's type: accepts for a RATE group, bytes for an
 * OUTPUT group, none for a RATIO group.
 */
static int silk_group_rate_check(const struct silk_group_cfg *c, u8 type,
				 struct netlink_ext_ack *extack)
{
	if (!c->has_rate)
		return 0;
	if (type == SILK_GROUP_RATIO) {
		NL_SET_ERR_MSG(extack,
			       "an accept-ratio group has weights, not a rate");
		return -EINVAL;
	}
	if (c->rate_type != type && type == SILK_GROUP_RATE) {
		NL_SET_ERR_MSG(extack,
			       "an accept-rate group's rate is in accepts per second");
		return -EINVAL;
	}
	if (c->rate_type != type) {
		NL_SET_ERR_MSG(extack,
			       "an output group's rate is in bytes per second");
		return -EINVAL;
	}
	if (type == SILK_GROUP_RATE &&
	    (!c->rate || c->rate > SILK_GROUP_RATE_MAX)) {
		NL_SET_ERR_MSG(extack,
			       "the rate must be above 0 and at most 1000000 per second");
		return -ERANGE;
	}
	if (type == SILK_GROUP_OUTPUT && c->rate < SILK_GROUP_OUTPUT_MIN) {
		NL_SET_ERR_MSG(extack,
			       "an output group's rate is at least 1024 bytes per second");
		return -ERANGE;
	}
	return 0;
}

/**
 * silk_group_add - make a group
 * @sn: the namespace
 * @c: what the request gives: a name, a type and its rate, ports
 * @extack: why not
 */
int silk_group_add(struct silk_net *sn, const struct silk_group_cfg *c,
		   struct netlink_ext_ack *extack)
{
	struct silk_group *g = NULL, *o;
	unsigned int i;
	int err;

	err = silk_group_rate_check(c, c->type, extack);
	if (err)
		return err;
	err = -EINVAL;
	if (!c->nports) {
		NL_SET_ERR_MSG(extack, "a group needs at least one port");
		return err;
	}
	if (c->type != SILK_GROUP_RATIO && !c->has_rate) {
		NL_SET_ERR_MSG(extack, "a rate or output group needs a rate");
		return err;
	}
	if (c->type == SILK_GROUP_RATIO) {
		if (c->has_rate) {
			NL_SET_ERR_MSG(extack,
				       "an accept-ratio group has weights, not a rate");
			return err;
		}
		if (c->nports < 2) {
			NL_SET_ERR_MSG(extack,
				       "an accept-ratio group needs at least two ports");
			return err;
		}
		for (i = 0; i < c->nports; i++)
			if (!c->weight[i]) {
				NL_SET_ERR_MSG(extack,
					       "every port of an accept-ratio group needs a weight");
				return err;
			}
	} else {
		for (i = 0; i < c->nports; i++)
			if (c->weight[i]) {
				NL_SET_ERR_MSG(extack,
					       "only the ports of an accept-ratio group have weights");
				return err;
			}
	}
	for (i = 0; i < c->nports; i++)
		if (c->ftp[i] && c->type != SILK_GROUP_OUTPUT) {
			NL_SET_ERR_MSG(extack,
				       "only the ports of an output group serve FTP for it");
			return err;
		}

	mutex_lock(&sn->lock);
	if (silk_group_find(sn, c->name)) {
		NL_SET_ERR_MSG(extack, "a group of that name exists");
		err = -EEXIST;
		goto unlock;
	}
	list_for_each_entry(o, &sn->group.groups, node)
		for (i = 0; i < c->nports; i++)
			if (silk_group_map(sn, o->type) ==
			    silk_group_map(sn, c->type) &&
			    silk_gport(o, c->port[i])) {
				NL_SET_ERR_MSG(extack,
					       "a port of the group is in another group already");
				err = -EBUSY;
				goto unlock;
			}
	g = kzalloc(struct_size(g, port, c->nports), GFP_KERNEL_ACCOUNT);
	err = -ENOMEM;
	if (!g)
		goto unlock;
	g->portnums = kcalloc(c->nports, sizeof(*g->portnums), GFP_KERNEL_ACCOUNT);
	if (!g->portnums)
		goto unlock;
	if (!sn->group.n) {
		struct silk_group __rcu **ports, **oports;

		ports = kvcalloc(SILK_NPORTS, sizeof(*ports), GFP_KERNEL_ACCOUNT);
		oports = kvcalloc(SILK_NPORTS, sizeof(*oports), GFP_KERNEL_ACCOUNT);
		if (!ports || !oports) {
			kvfree(ports);
			kvfree(oports);
			goto unlock;
		}
		err = silk_sockev_get(SILK_SOCKEV_STATE | SILK_SOCKEV_ACCEPT,
				      extack);
		if (err) {
			kvfree(ports);
			kvfree(oports);
			goto unlock;
		}
		WRITE_ONCE(sn->group.ports, ports);
		WRITE_ONCE(sn->group.oports, oports);
	}
	err = 0;
	if (c->type == SILK_GROUP_OUTPUT) {
		err = silk_output_hold(sn, c->ftp, c->nports, extack);
		if (err) {
			if (!sn->group.n)
				silk_group_maps_put(sn);
			goto unlock;
		}
	}
	g->sn = sn;
	strscpy(g->name, c->name, sizeof(g->name));
	g->type = c->type;
	g->rate_milli = c->rate;
	g->tokens = SILK_TOKEN;
	g->t_refill = ktime_get_ns();
	spin_lock_init(&g->lock);
	timer_setup(&g->timer, silk_group_timer, 0);
	INIT_LIST_HEAD(&g->held);
	INIT_LIST_HEAD(&g->lsks);
	silk_output_init_group(g);
	g->nports = c->nports;
	for (i = 0; i < c->nports; i++) {
		g->port[i].port = c->port[i];
		g->port[i].weight = c->weight[i];
		g->port[i].ftp = c->ftp[i];
		g->portnums[i] = c->port[i];
	}
	list_add_tail(&g->node, &sn->group.groups);
	WRITE_ONCE(sn->group.n, sn->group.n + 1);
	for (i = 0; i < c->nports; i++)
		rcu_assign_pointer(silk_group_map(sn, c->type)[c->port[i]], g);
	if (c->type == SILK_GROUP_OUTPUT)
		silk_output_kick(g);
	/* Listeners that start from here on are the work's to take. */
	silk_group_scan(sn);
	err = 0;
unlock:
	if (err && g) {
		kfree(g->portnums);
		kfree(g);
	}
	mutex_unlock(&sn->lock);
	return err;
}

/* Give group @c->name a new rate or new port weights. */
int silk_group_change(struct silk_net *sn, const struct silk_group_cfg *c,
		      struct netlink_ext_ack *extack)
{
	struct silk_group *g;
	unsigned int i;
	int err;

	mutex_lock(&sn->lock);
	g = silk_group_find(sn, c->name);
	err = -ENOENT;
	if (!g) {
		NL_SET_ERR_MSG(extack, "no group of that name");
		goto unlock;
	}
	err = silk_group_rate_check(c, g->type, extack);
	if (err)
		goto unlock;
	err = -EINVAL;
	if (!c->has_rate && !c->nports) {
		NL_SET_ERR_MSG(extack, "nothing to change: give a rate or weights");
		goto unlock;
	}
	for (i = 0; i < c->nports; i++) {
		if (!silk_gport(g, c->port[i])) {
			NL_SET_ERR_MSG(extack, "a port to change is not in the group");
			goto unlock;
		}
		if (g->type != SILK_GROUP_RATIO || !c->weight[i] || c->ftp[i]) {
			NL_SET_ERR_MSG(extack,
				       "a change can only give an accept-ratio group's port a new weight");
			goto unlock;
		}
	}
	spin_lock_irq(&g->lock);
	if (c->has_rate) {
		silk_gate_refill(g);
		WRITE_ONCE(g->rate_milli, c->rate);
	}
	for (i = 0; i < c->nports; i++)
		silk_gport(g, c->port[i])->weight = c->weight[i];
	if (g->type != SILK_GROUP_OUTPUT)
		silk_gate_run(g);
	spin_unlock_irq(&g->lock);
	/* A new cap applies at once, not at the next round. */
	if (g->type == SILK_GROUP_OUTPUT)
		silk_output_kick(g);
	err = 0;
unlock:
	mutex_unlock(&sn->lock);
	return err;
}

/* Delete group @name: what it holds becomes acceptable. */
int silk_group_del(struct silk_net *sn, const char *name,
		   struct netlink_ext_ack *extack)
{
	struct silk_group *g;
	int err = 0;

	mutex_lock(&sn->lock);
	g = silk_group_find(sn, name);
	if (g) {
		silk_group_free(sn, g);
	} else {
		NL_SET_ERR_MSG(extack, "no group of that name");
		err = -ENOENT;
	}
	mutex_unlock(&sn->lock);
	return err;
}

void silk_group_ns_init(struct silk_group_ns *gn)
{
	INIT_LIST_HEAD(&gn->groups);
	spin_lock_init(&gn->lock);
	INIT_LIST_HEAD(&gn->started);
	INIT_LIST_HEAD(&gn->closed);
	INIT_WORK(&gn->work, silk_group_work);
}

void silk_group_ns_exit(struct silk_net *sn)
{
	struct silk_group *g, *tmp;

	mutex_lock(&sn->lock);
	list_for_each_entry_safe(g, tmp, &sn->group.groups, node)
		silk_group_free(sn, g);
	mutex_unlock(&sn->lock);
	/* Listeners that started meanwhile: the work drops them. */
	flush_work(&sn->group.work);
}

int silk_group_init(void)
{
	silk_sockev_register(&silk_group_sockev);
	return rhashtable_init(&silk_glsks, &silk_glsk_params);
}

void silk_group_exit(void)
{
	/*
	 * Every listener has the stack's protocol back, but a task may have
	 * loaded silk's before and be about to call a wrapper (it has not
	 * been through a voluntary switch since), or be in one.
	 */
	if (silk_gate_base[0] || silk_gate_base[1]) {
		synchronize_rcu_tasks();
		while (atomic_read(&silk_gate_in))
			msleep(20);
		/* And back out of it. */
		synchronize_rcu_tasks();
	}
	rhashtable_destroy(&silk_glsks);
}
