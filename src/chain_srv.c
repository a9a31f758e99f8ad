// SPDX-License-Identifier: GPL-2.0
/*
 * Content rules: a kernel listener owns the rule's incoming port (one per
 * address family, so that every child has the family of the listener it
 * goes to), takes the established connections off its accept queue, waits
 * for their first data without reading it, decides on the data that has
 * arrived by the time it looks, and moves each connection, with
 * its request socket, onto the accept queue of the listener chosen by the
 * rules, as the stack's own inet_csk_complete_hashdance() queues a child.
 * The server then accept()s it as if it had arrived there; the data waits
 * in the socket for it.
 *
 * Listener and children share one sk_data_ready (children are clones).
 * The fast path is a child's: when its first data arrives, in softirq with
 * the child locked, it is searched and moved there and then, with no
 * context switch. Whatever the fast path cannot finish (no data before the
 * timeout, no listener on the target, a full target) goes to the port's
 * work, in process context, which waits, retries or resets. Every child
 * gets the stack's callback back before it leaves.
 */
#include <linux/in6.h>
#include <linux/security.h>
#include <linux/slab.h>
#include <net/inet_connection_sock.h>
#include <net/inet_hashtables.h>
#include <net/inet6_hashtables.h>
#include <net/ipv6.h>
#include <net/request_sock.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "chain.h"
#include "lazy.h"
#include "netns.h"
#include "sock.h"

/* A connection waits here at most this long for room in a full target. */
#define SILK_SRV_FULL_MS	1000

struct silk_pending {
	struct list_head node;
	struct request_sock *req;
	struct sock *child;
	unsigned long deadline;		/* jiffies: stop waiting for data */
	unsigned long full_until;	/* then stop waiting for room */
};

static void silk_srv_restore(struct silk_chain_srv *srv, struct sock *sk)
{
	write_lock_bh(&sk->sk_callback_lock);
	rcu_assign_sk_user_data(sk, NULL);
	sk->sk_data_ready = srv->data_ready;
	write_unlock_bh(&sk->sk_callback_lock);
}

/* Reset a connection nobody will take, as inet_child_forget() does. */
static void silk_srv_reset(struct silk_chain_srv *srv, struct silk_pending *p)
{
	struct sock *child = p->child;

	silk_srv_restore(srv, child);
	local_bh_disable();
	bh_lock_sock(child);
	sock_hold(child);
	child->sk_prot->disconnect(child, O_NONBLOCK);
	/* A Fast Open child: as inet_child_forget(), for tcp_v4_destroy_sock(). */
	if (tcp_rsk(p->req)->tfo_listener)
		RCU_INIT_POINTER(tcp_sk(child)->fastopen_rsk, NULL);
	sock_orphan(child);
	this_cpu_inc(*child->sk_prot->orphan_count);
	inet_csk_destroy_sock(child);
	bh_unlock_sock(child);
	local_bh_enable();
	sock_put(child);
	reqsk_put(p->req);
	atomic64_inc(&srv->resets);
	list_del(&p->node);
	srv->npending--;
	kfree(p);
}

/* Copies the data @child has received, unread, up to @max bytes. */
static unsigned int silk_srv_peek(struct sock *child, u8 *buf,
				  unsigned int max, bool *fin)
{
	u32 seq = tcp_sk(child)->copied_seq;
	unsigned int n = 0;
	struct sk_buff *skb;

	*fin = false;
	skb_queue_walk(&child->sk_receive_queue, skb) {
		u32 off = seq - TCP_SKB_CB(skb)->seq;
		unsigned int take;

		if (off < skb->len) {
			take = min_t(unsigned int, skb->len - off, max - n);
			if (skb_copy_bits(skb, off, buf + n, take))
				break;
			n += take;
			seq += take;
		}
		if (TCP_SKB_CB(skb)->tcp_flags & TCPHDR_FIN) {
			*fin = true;
			break;
		}
		if (n == max)
			break;
	}
	return n;
}

/* The listener of @port for @child's addresses, with a reference. */
static struct sock *silk_srv_target(struct net *net, struct sock *child,
				    u16 port)
{
	const struct inet_sock *inet = inet_sk(child);
	union nf_inet_addr raddr = {}, laddr = {};
	struct sock *sk;

	if (child->sk_family == AF_INET) {
		raddr.ip = inet->inet_daddr;
		laddr.ip = inet->inet_rcv_saddr;
	} else {
		raddr.in6 = child->sk_v6_daddr;
		laddr.in6 = child->sk_v6_rcv_saddr;
	}
	rcu_read_lock();
	sk = silk_listener(net, NULL, 0, child->sk_family, &raddr,
			   inet->inet_dport, &laddr, port,
			   READ_ONCE(child->sk_rx_dst_ifindex));
	/*
	 * A child only fits a listener of its own family: an IPv4 child
	 * has no IPv6 state for a dual-stack listener's accept().
	 */
	if (sk && (sk->sk_family != child->sk_family ||
		   !refcount_inc_not_zero(&sk->sk_refcnt)))
		sk = NULL;
	rcu_read_unlock();
	return sk;
}

/* Scratch space for the first data, per CPU, used with BHs disabled. */
static u8 __percpu *silk_srv_buf;

struct silk_decision {
	u16 port;		/* 0: no data yet, wait */
	u16 dflt;		/* the rule's default, the fallback */
	int cond;		/* the condition that held, -1: none */
	bool timeout;		/* no data in time */
};

/*
 * Where @child goes, by the rule on the srv's port and what it has
 * received; @child locked, BHs off. -ENOENT: the rule is gone.
 */
static int silk_srv_decide(struct silk_chain_srv *srv, struct sock *child,
			   bool expired, struct silk_decision *d)
{
	u8 *buf = this_cpu_ptr(silk_srv_buf);
	const struct silk_chains *t;
	const struct silk_chain *r;
	union nf_inet_addr saddr;
	unsigned int len;
	bool fin;
	u32 hash;
	int err = 0;

	memset(d, 0, sizeof(*d));
	if (child->sk_state != TCP_ESTABLISHED &&
	    child->sk_state != TCP_CLOSE_WAIT)
		return -ECONNRESET;
	len = silk_srv_peek(child, buf, SILK_CHAIN_MAX_BYTES_MAX, &fin);
	if (child->sk_family == AF_INET)
		saddr.ip = inet_sk(child)->inet_daddr;
	else
		saddr.in6 = child->sk_v6_daddr;
	hash = silk_chain_sk_hash(&srv->sn->chain, child);

	rcu_read_lock();
	t = rcu_dereference(srv->sn->chain.table);
	r = t ? silk_chain_find(t, srv->port) : NULL;
	if (!r || r->type != SILK_CHAIN_CONTENT) {
		err = -ENOENT;
		goto out;
	}
	/* The first data decides, as in the paper; none yet: wait. */
	len = min(len, r->max_bytes);
	if (!len && !fin && !expired)
		goto out;
	d->cond = silk_chain_match(r, child->sk_family, &saddr, hash, buf,
				   len);
	d->timeout = !len && !fin;
	d->dflt = r->out;
	d->port = d->cond < 0 ? r->out : r->cond[d->cond].out;
	d->port = silk_chain_resolve(t, d->port, NULL, child->sk_family,
				     &saddr, hash, buf, len, true);
out:
	rcu_read_unlock();
	return err;
}

/* Count a decision that was carried out. */
static void silk_srv_count(struct silk_chain_srv *srv,
			   const struct silk_decision *d)
{
	const struct silk_chains *t;
	const struct silk_chain *r;

	rcu_read_lock();
	t = rcu_dereference(srv->sn->chain.table);
	r = t ? silk_chain_find(t, srv->port) : NULL;
	if (r && d->cond >= 0 && d->cond < r->ncond)
		atomic64_inc(&r->cond[d->cond].hits->n);
	else if (r)
		atomic64_inc(&r->hits->n);
	rcu_read_unlock();
	if (d->timeout)
		atomic64_inc(&srv->timeouts);
}

/* The target's listener for @d, with a reference, or NULL. */
static struct sock *silk_srv_pick(struct silk_chain_srv *srv,
				  struct sock *child,
				  const struct silk_decision *d)
{
	struct sock *target = silk_srv_target(srv->sn->net, child, d->port);

	if (!target && d->dflt != d->port)
		target = silk_srv_target(srv->sn->net, child, d->dflt);
	return target;
}

/*
 * inet_csk_reqsk_queue_add() without its reset of the child when the
 * target no longer listens, which must not happen inside the child's own
 * receive path: false then, and the caller still owns @req and @child.
 */
static bool silk_srv_queue(struct sock *target, struct request_sock *req,
			   struct sock *child)
{
	struct request_sock_queue *queue = &inet_csk(target)->icsk_accept_queue;
	bool ok = false;

	spin_lock(&queue->rskq_lock);
	if (target->sk_state == TCP_LISTEN) {
		req->sk = child;
		req->dl_next = NULL;
		if (!queue->rskq_accept_head)
			WRITE_ONCE(queue->rskq_accept_head, req);
		else
			queue->rskq_accept_tail->dl_next = req;
		queue->rskq_accept_tail = req;
		sk_acceptq_added(target);
		ok = true;
	}
	spin_unlock(&queue->rskq_lock);
	return ok;
}

/* Take @child's request off the srv's listener's accept queue. */
static struct request_sock *silk_srv_unlink(struct sock *lsk,
					    struct sock *child)
{
	struct request_sock_queue *queue = &inet_csk(lsk)->icsk_accept_queue;
	struct request_sock *req, *prev = NULL;

	spin_lock(&queue->rskq_lock);
	for (req = queue->rskq_accept_head; req; prev = req, req = req->dl_next)
		if (req->sk == child)
			break;
	if (req) {
		if (prev)
			prev->dl_next = req->dl_next;
		else
			WRITE_ONCE(queue->rskq_accept_head, req->dl_next);
		if (queue->rskq_accept_tail == req)
			queue->rskq_accept_tail = prev;
		sk_acceptq_removed(lsk);
	}
	spin_unlock(&queue->rskq_lock);
	return req;
}

/*
 * @child was cloned from a kernel listener, which holds no reference on
 * its namespace and has the context of whoever made the rule. Handed to
 * user space it must be like any accepted socket: hold its namespace (its
 * timers outlive the server's close(), and may outlive the namespace's
 * last process) and carry the target listener's LSM context.
 */
static bool silk_srv_adopt(struct sock *target, struct sock *child)
{
	struct net *net = sock_net(child);

	if (!child->sk_net_refcnt) {
		/* A namespace on its way out takes no new connection. */
		if (!maybe_get_net(net))
			return false;
		child->sk_net_refcnt = 1;
		netns_tracker_alloc(net, &child->ns_tracker, GFP_ATOMIC);
		sock_inuse_add(net, 1);
	}
	security_sk_clone(target, child);
	return true;
}

/* Hand over, then give the child the stack's callback and wake the target. */
static bool silk_srv_handover(struct silk_chain_srv *srv, struct sock *target,
			      struct request_sock *req, struct sock *child,
			      const struct silk_decision *d)
{
	if (!silk_srv_adopt(target, child) ||
	    !silk_srv_queue(target, req, child))
		return false;
	/* An accept() waits for the child's lock, which our caller holds. */
	write_lock_bh(&child->sk_callback_lock);
	rcu_assign_sk_user_data(child, NULL);
	child->sk_data_ready = srv->data_ready;
	write_unlock_bh(&child->sk_callback_lock);
	silk_srv_count(srv, d);
	atomic64_inc(&srv->handed);
	target->sk_data_ready(target);
	return true;
}

/* Keep a request the fast path could not hand over, for the work. */
static void silk_srv_park(struct silk_chain_srv *srv, struct request_sock *req)
{
	spin_lock(&srv->lock);
	req->dl_next = srv->parked;
	srv->parked = req;
	spin_unlock(&srv->lock);
}

/* Softirq, @child locked: its data arrived. False: leave it to the work. */
static bool silk_srv_fast(struct silk_chain_srv *srv, struct sock *child)
{
	struct socket *lsock = srv->sock[child->sk_family == AF_INET6];
	struct request_sock *req;
	struct silk_decision d;
	struct sock *target;
	bool done = false;

	if (!lsock || silk_srv_decide(srv, child, false, &d))
		return false;
	if (!d.port)
		return true;
	target = silk_srv_pick(srv, child, &d);
	if (!target)
		return false;
	if (!sk_acceptq_is_full(target)) {
		/* Not there: the work has taken it already. */
		req = silk_srv_unlink(lsock->sk, child);
		if (req) {
			done = silk_srv_handover(srv, target, req, child, &d);
			if (!done)
				silk_srv_park(srv, req);
		}
	}
	sock_put(target);
	return done;
}

static void silk_srv_data_ready(struct sock *sk)
{
	struct silk_chain_srv *srv;

	rcu_read_lock();
	srv = rcu_dereference_sk_user_data(sk);
	if (!srv || READ_ONCE(srv->dead))
		goto out;
	if (sk->sk_state == TCP_LISTEN) {
		/* A new child: if it stays silent, the work sees to it. */
		timer_reduce(&srv->timer, jiffies + READ_ONCE(srv->timeout));
		goto out;
	}
	if (!silk_srv_fast(srv, sk))
		queue_work(system_wq, &srv->work);
out:
	rcu_read_unlock();
}

static void silk_srv_timer(struct timer_list *t)
{
	struct silk_chain_srv *srv = from_timer(srv, t, timer);

	if (!READ_ONCE(srv->dead))
		queue_work(system_wq, &srv->work);
}

/* Decide and hand over one pending connection; false: it waits. */
static bool silk_srv_one(struct silk_chain_srv *srv, struct silk_pending *p,
			 unsigned long *when)
{
	struct sock *child = p->child, *target = NULL;
	struct silk_decision d;
	bool handed = false;
	int err;

	local_bh_disable();
	bh_lock_sock(child);
	err = silk_srv_decide(srv, child, time_after_eq(jiffies, p->deadline),
			      &d);
	bh_unlock_sock(child);
	local_bh_enable();
	if (err)
		goto reset;
	if (!d.port) {
		*when = p->deadline;
		return false;
	}
	target = silk_srv_pick(srv, child, &d);
	if (!target)
		goto reset;
	if (sk_acceptq_is_full(target)) {
		/* The server is behind: wait a while for room. */
		if (!p->full_until)
			p->full_until = jiffies +
					msecs_to_jiffies(SILK_SRV_FULL_MS);
		if (time_before(jiffies, p->full_until)) {
			sock_put(target);
			*when = jiffies + max(1UL, msecs_to_jiffies(10));
			return false;
		}
		/* Still full: refused, as a SYN to a full backlog is. */
		goto reset;
	}
	local_bh_disable();
	bh_lock_sock(child);
	handed = silk_srv_handover(srv, target, p->req, child, &d);
	bh_unlock_sock(child);
	local_bh_enable();
	if (!handed)
		goto reset;
	sock_put(target);
	list_del(&p->node);
	srv->npending--;
	kfree(p);
	return true;
reset:
	if (target)
		sock_put(target);
	silk_srv_reset(srv, p);
	return true;
}

static bool silk_srv_add(struct silk_chain_srv *srv, struct request_sock *req,
			 unsigned long timeout)
{
	struct silk_pending *p = kmalloc(sizeof(*p), GFP_KERNEL);
	u32 age;

	if (!p)
		return false;
	p->req = req;
	p->child = req->sk;
	/* The wait for data counts from the child's creation. */
	age = tcp_jiffies32 - inet_csk(p->child)->icsk_ack.lrcvtime;
	p->deadline = jiffies + timeout - min_t(unsigned long, age, timeout);
	p->full_until = 0;
	list_add_tail(&p->node, &srv->pending);
	srv->npending++;
	return true;
}

/* Move the accept queues' children and the parked ones to the pending list. */
static void silk_srv_take(struct silk_chain_srv *srv, unsigned long timeout)
{
	struct request_sock *req, *next;
	int i;

	spin_lock_bh(&srv->lock);
	req = srv->parked;
	srv->parked = NULL;
	spin_unlock_bh(&srv->lock);
	for (; req; req = next) {
		next = req->dl_next;
		if (!silk_srv_add(srv, req, timeout)) {
			local_bh_disable();
			silk_srv_park(srv, req);
			local_bh_enable();
		}
	}
	for (i = 0; i < ARRAY_SIZE(srv->sock); i++) {
		struct sock *lsk = srv->sock[i] ? srv->sock[i]->sk : NULL;
		struct request_sock_queue *queue;

		if (!lsk)
			continue;
		queue = &inet_csk(lsk)->icsk_accept_queue;
		while (srv->npending < SOMAXCONN && !reqsk_queue_empty(queue)) {
			req = reqsk_queue_remove(queue, lsk);
			if (!req)
				break;
			if (!silk_srv_add(srv, req, timeout)) {
				local_bh_disable();
				silk_srv_park(srv, req);
				local_bh_enable();
				return;
			}
		}
	}
}

static void silk_srv_work(struct work_struct *work)
{
	struct silk_chain_srv *srv = container_of(work, struct silk_chain_srv,
						  work);
	unsigned long next = 0, when;
	struct silk_pending *p, *tmp;

	silk_srv_take(srv, READ_ONCE(srv->timeout));
	list_for_each_entry_safe(p, tmp, &srv->pending, node) {
		if (silk_srv_one(srv, p, &when))
			continue;
		if (!next || time_before(when, next))
			next = when;
	}
	if (next && !READ_ONCE(srv->dead))
		timer_reduce(&srv->timer, next);
}

static int silk_srv_listen(struct silk_chain_srv *srv, int family,
			   struct socket **res)
{
	struct sockaddr_storage ss = {};
	struct socket *sock;
	struct sock *sk;
	int err, len;

	err = sock_create_kern(srv->sn->net, family, SOCK_STREAM, IPPROTO_TCP,
			       &sock);
	if (err)
		return err;
	sk = sock->sk;
	sock_set_reuseaddr(sk);
	if (family == AF_INET6) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		ip6_sock_set_v6only(sk);
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(srv->port);
		len = sizeof(*sin6);
	} else {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(srv->port);
		len = sizeof(*sin);
	}
	write_lock_bh(&sk->sk_callback_lock);
	srv->data_ready = sk->sk_data_ready;
	rcu_assign_sk_user_data(sk, srv);
	sk->sk_data_ready = silk_srv_data_ready;
	write_unlock_bh(&sk->sk_callback_lock);
	err = kernel_bind(sock, (struct sockaddr *)&ss, len);
	if (!err)
		err = kernel_listen(sock, SOMAXCONN);
	if (err) {
		silk_srv_restore(srv, sk);
		sock_release(sock);
		return err;
	}
	*res = sock;
	return 0;
}

/**
 * silk_chain_srv_get - the kernel listener of a content rule on @port
 * @sn: the namespace
 * @port: the rule's incoming port
 * @extack: why not
 *
 * Called with the namespace's chain lock held.
 */
struct silk_chain_srv *silk_chain_srv_get(struct silk_net *sn, u16 port,
					  struct netlink_ext_ack *extack)
{
	struct silk_chain_srv *srv;
	int err;

	lockdep_assert_held(&sn->chain.lock);
	list_for_each_entry(srv, &sn->chain.srvs, node)
		if (srv->port == port)
			return srv;
	srv = kzalloc(sizeof(*srv), GFP_KERNEL_ACCOUNT);
	if (!srv)
		return ERR_PTR(-ENOMEM);
	srv->sn = sn;
	srv->port = port;
	INIT_LIST_HEAD(&srv->pending);
	spin_lock_init(&srv->lock);
	INIT_WORK(&srv->work, silk_srv_work);
	timer_setup(&srv->timer, silk_srv_timer, 0);
	srv->timeout = msecs_to_jiffies(SILK_CHAIN_TIMEOUT_MS_DEFAULT);
	atomic64_set(&srv->timeouts, 0);
	atomic64_set(&srv->resets, 0);
	atomic64_set(&srv->handed, 0);
	err = silk_srv_listen(srv, AF_INET, &srv->sock[0]);
	if (!err && IS_ENABLED(CONFIG_IPV6)) {
		err = silk_srv_listen(srv, AF_INET6, &srv->sock[1]);
		/* A namespace may have IPv6 off. */
		if (err == -EAFNOSUPPORT || err == -EADDRNOTAVAIL)
			err = 0;
	}
	if (err) {
		if (err == -EADDRINUSE)
			NL_SET_ERR_MSG(extack,
				       "a content rule's incoming port must be free, but a socket is bound to it");
		else
			NL_SET_ERR_MSG(extack, "cannot listen on the content rule's incoming port");
		srv->dead = true;
		silk_chain_srv_stop(srv);
		return ERR_PTR(err);
	}
	list_add(&srv->node, &sn->chain.srvs);
	return srv;
}

/*
 * Stop a listener that no published rule refers to any more (after an RCU
 * grace period): its queued and pending connections are reset.
 */
void silk_chain_srv_stop(struct silk_chain_srv *srv)
{
	struct silk_pending *p, *tmp;
	int i;

	WRITE_ONCE(srv->dead, true);
	for (i = 0; i < ARRAY_SIZE(srv->sock); i++)
		if (srv->sock[i])
			silk_srv_restore(srv, srv->sock[i]->sk);
	/* No callback runs any more, and no child is being cloned. */
	synchronize_rcu();
	del_timer_sync(&srv->timer);
	cancel_work_sync(&srv->work);
	del_timer_sync(&srv->timer);
	for (i = 0; i < ARRAY_SIZE(srv->sock); i++) {
		if (srv->sock[i]) {
			kernel_sock_shutdown(srv->sock[i], SHUT_RDWR);
			sock_release(srv->sock[i]);
			/* Its memory goes after a grace period, maybe now. */
			srv->sock[i] = NULL;
		}
	}
	/* The parked children: the accept queues' went with their listeners. */
	silk_srv_take(srv, 0);
	list_for_each_entry_safe(p, tmp, &srv->pending, node)
		silk_srv_reset(srv, p);
	kfree_rcu(srv, rcu);
}

int silk_chain_srv_init(void)
{
	silk_srv_buf = __alloc_percpu(SILK_CHAIN_MAX_BYTES_MAX, 8);
	return silk_srv_buf ? 0 : -ENOMEM;
}

void silk_chain_srv_exit(void)
{
	free_percpu(silk_srv_buf);
}
