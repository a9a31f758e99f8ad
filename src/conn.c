// SPDX-License-Identifier: GPL-2.0
/*
 * Connection paths. A TCP path with "conns on" is a listen path: it carries
 * SYNs, handshakes and anything that belongs to no connection it knows, and
 * every connection established through it gets a path of its own, created
 * when the connection becomes established and removed when it closes. Both
 * moments come from the socket state events (sockev.c), attached only
 * while some namespace has such a path.
 *
 * The class of a connection path comes from the most specific path that
 * binds the connection, which may be a path for a remote prefix or a DSCP
 * value of the same port: paths are the classification rules.
 *
 * Order: a connection's first packets may still wait on the listen path
 * when its connection path appears. Each packet queued on a listen path
 * gets a sequence number; a connection path holds the sequence number of
 * the last packet of its connection the hook queued on the listen path
 * while it knew of the connection path (barrier; none yet: U64_MAX), and
 * the hook keeps sending the connection's packets to the listen path until
 * the listen path has processed that one. Packets queued before the hook
 * could see the connection path have smaller numbers, so the first packet
 * after it appears always takes the listen path and covers them.
 */
#include <linux/jhash.h>
#include <linux/netdevice.h>
#include <linux/rhashtable.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <net/inet_connection_sock.h>
#include <net/inet_sock.h>
#include <net/request_sock.h>
#include <net/ipv6.h>
#include <net/tcp_states.h>

#include "conn.h"
#include "flow.h"
#include "lazy.h"
#include "mirror.h"
#include "netns.h"
#include "path.h"
#include "port.h"
#include "queue.h"
#include "sockev.h"
#include "silk.h"
#include "sock.h"
#include "worker.h"

static const struct rhashtable_params silk_conn_params = {
	.key_len = sizeof(struct silk_conn_key),
	.key_offset = offsetof(struct silk_path, ckey),
	.head_offset = offsetof(struct silk_path, conn_hnode),
	.automatic_shrinking = true,
};

static void silk_conn_key_flow(struct silk_conn_key *k,
			       const struct silk_flow *f)
{
	memset(k, 0, sizeof(*k));
	k->family = f->family;
	k->rport = f->sport;
	k->lport = f->dport;
	if (f->family == AF_INET) {
		k->raddr.ip = f->saddr4;
		k->laddr.ip = f->daddr4;
	} else {
		k->raddr.in6 = *f->saddr6;
		k->laddr.in6 = *f->daddr6;
	}
}

/* The flow a socket's packets have, DSCP included, and its key. */
static void silk_conn_sk_flow(const struct sock *sk, struct silk_flow *f,
			      struct silk_conn_key *k)
{
	memset(f, 0, sizeof(*f));
	f->proto = IPPROTO_TCP;
	f->sport = sk->sk_dport;
	/* Not sk_num: a socket going to TIME_WAIT has given its port up. */
	f->dport = inet_sk(sk)->inet_sport;
#if IS_ENABLED(CONFIG_IPV6)
	if (sk->sk_family == AF_INET6 &&
	    !ipv6_addr_v4mapped(&sk->sk_v6_daddr)) {
		f->family = AF_INET6;
		f->saddr6 = &sk->sk_v6_daddr;
		f->daddr6 = &sk->sk_v6_rcv_saddr;
		f->dscp = (ntohl(inet6_sk(sk)->rcv_flowinfo) >> 22) & 0x3f;
		silk_conn_key_flow(k, f);
		return;
	}
#endif
	f->family = AF_INET;
	f->saddr4 = sk->sk_daddr;
	f->daddr4 = sk->sk_rcv_saddr;
	f->dscp = inet_sk(sk)->rcv_tos >> 2;
	silk_conn_key_flow(k, f);
}

/* A TCP connection's own path, or NULL; under RCU. */
struct silk_path *silk_sock_conn(struct silk_net *sn, const struct sock *sk)
{
	struct silk_conn_key k;
	struct silk_flow f;

	if (!READ_ONCE(sn->conn.nports) || sk->sk_state == TCP_LISTEN)
		return NULL;
	silk_conn_sk_flow(sk, &f, &k);
	return rhashtable_lookup(&sn->conn.table, &k, silk_conn_params);
}

/**
 * silk_sock_path - the path a TCP socket's packets take
 * @sn: the socket's namespace
 * @sk: a connection (its connection path, else its port's path) or a
 *	listener (its port's path for any remote address)
 *
 * Called under RCU.
 */
struct silk_path *silk_sock_path(struct silk_net *sn, const struct sock *sk)
{
	struct silk_path *p = silk_sock_conn(sn, sk);
	struct silk_conn_key k;
	struct silk_flow f;

	if (p)
		return p;
	silk_conn_sk_flow(sk, &f, &k);
	return silk_path_lookup(sn, &f);
}

/* Set mirroring of @p's connection paths; under sn->lock. */
void silk_conns_mirror(struct silk_net *sn, struct silk_path *p, bool on)
{
	struct silk_path *c;

	spin_lock_bh(&sn->conn.lock);
	list_for_each_entry(c, &p->conn_list, conn_node)
		silk_mirror_set(c, on);
	spin_unlock_bh(&sn->conn.lock);
}

/* Called by the hook under RCU for a packet that matched listen path @p. */
struct silk_path *silk_conn_lookup(struct silk_net *sn,
				   const struct silk_flow *f)
{
	struct silk_conn_key k;

	silk_conn_key_flow(&k, f);
	return rhashtable_lookup(&sn->conn.table, &k, silk_conn_params);
}

/* Where a new connection's path runs (namespace placement policy). */
static int silk_conn_cpu(struct silk_net *sn, struct silk_path *parent,
			 const struct silk_conn_key *k)
{
	unsigned int n = num_online_cpus(), i;
	u32 h;
	int cpu;

	switch (READ_ONCE(sn->conn.placement)) {
	case SILK_PLACE_SRC:
		h = ntohl(k->family == AF_INET ? k->raddr.ip :
			  k->raddr.in6.s6_addr32[3]);
		i = is_power_of_2(n) ? h & (n - 1) : h % n;
		break;
	case SILK_PLACE_RR:
		i = atomic_inc_return(&sn->conn.rr_next) % n;
		break;
	default:	/* hash; owner starts there, then follows the reader */
		h = jhash2((const u32 *)k, sizeof(*k) / sizeof(u32), 0);
		i = reciprocal_scale(h, n);
		break;
	}
	cpu = cpumask_nth(i, cpu_online_mask);
	/* Workers for every online CPU exist while conns are on. */
	if (cpu >= nr_cpu_ids || !READ_ONCE(sn->workers[cpu]))
		cpu = silk_path_cpu(parent);
	return cpu;
}

/*
 * A mirrored connection is accepted before the standard ones queued ahead
 * of it: a prefork server whose tasks are all busy takes it next, instead
 * of after everything in the accept queue. The child is in its listener's
 * accept queue by now (inet_csk_complete_hashdance() runs before the
 * child's state changes) and the queue lock is not held here.
 */
static void silk_conn_accept_first(struct sock *lsk, const struct sock *sk)
{
	struct request_sock *req, *prev = NULL;
	struct request_sock_queue *queue;

	if (!lsk || lsk->sk_state != TCP_LISTEN)
		return;
	queue = &inet_csk(lsk)->icsk_accept_queue;
	spin_lock_bh(&queue->rskq_lock);
	for (req = queue->rskq_accept_head; req; prev = req, req = req->dl_next)
		if (req->sk == sk)
			break;
	if (req && prev) {
		prev->dl_next = req->dl_next;
		if (queue->rskq_accept_tail == req)
			queue->rskq_accept_tail = prev;
		req->dl_next = queue->rskq_accept_head;
		WRITE_ONCE(queue->rskq_accept_head, req);
	}
	spin_unlock_bh(&queue->rskq_lock);
}

/* The flow of connection @k's packets, whose DSCP is @dscp. */
static void silk_conn_key_to_flow(const struct silk_conn_key *k, u8 dscp,
				  struct silk_flow *f)
{
	memset(f, 0, sizeof(*f));
	f->family = k->family;
	f->proto = IPPROTO_TCP;
	f->sport = k->rport;
	f->dport = k->lport;
	f->dscp = dscp;
	if (k->family == AF_INET) {
		f->saddr4 = k->raddr.ip;
		f->daddr4 = k->laddr.ip;
	} else {
		f->saddr6 = &k->raddr.in6;
		f->daddr6 = &k->laddr.in6;
	}
}

/* Under RCU. */
static void silk_conn_open(struct silk_net *sn, struct sock *sk,
			   const struct silk_sockev_snap *snap)
{
	const struct silk_conn_key *k = &snap->key;
	struct silk_path *parent, *c;
	struct mem_cgroup *memcg;
	struct silk_flow f;
	struct sock *lsk;

	silk_conn_key_to_flow(k, snap->dscp, &f);
	parent = silk_path_lookup(sn, &f);
	if (!parent || !READ_ONCE(parent->conns))
		return;
	if (atomic_inc_return(&sn->conn.n) > READ_ONCE(silk_max_conns)) {
		atomic_dec(&sn->conn.n);
		atomic64_inc(&sn->conn.overflows);
		return;
	}
	/*
	 * Remote peers make connection paths: like the connections' sockets
	 * (at accept()), they are charged to the listener's memory cgroup.
	 */
	lsk = silk_flow_listener(sn->net, &f, 0);
	memcg = set_active_memcg(lsk ? lsk->sk_memcg : NULL);
	c = kzalloc(sizeof(*c), GFP_ATOMIC | __GFP_ACCOUNT);
	set_active_memcg(memcg);
	if (!c) {
		atomic_dec(&sn->conn.n);
		atomic64_inc(&sn->conn.overflows);
		return;
	}
	skb_queue_head_init(&c->q);
	INIT_LIST_HEAD(&c->conn_list);	/* always empty: no connections of its own */
	INIT_LIST_HEAD(&c->mholds);
	c->sn = sn;
	c->b = parent->b;
	c->ckey = *k;
	c->limit_pkts = READ_ONCE(parent->limit_pkts);
	c->limit_bytes = READ_ONCE(parent->limit_bytes);
	c->prio = READ_ONCE(parent->prio);
	c->lazy = false;
	c->mirror = READ_ONCE(parent->mirror);
	c->weight = READ_ONCE(parent->weight);
	c->deadline_ns = READ_ONCE(parent->deadline_ns);
	c->runtime_ns = READ_ONCE(parent->runtime_ns);
	c->period_ns = READ_ONCE(parent->period_ns);
	c->class = READ_ONCE(parent->class);
	c->cpu = silk_conn_cpu(sn, parent, k);
	c->parent = parent;
	/*
	 * Until the hook has sent one packet to the listen path knowing of
	 * this path, packets it queued there without knowing may be pending.
	 */
	c->barrier = U64_MAX;
	refcount_set(&c->ref, 1);

	spin_lock_bh(&sn->conn.lock);
	if (parent->dead || !parent->conns ||
	    rhashtable_lookup_insert_fast(&sn->conn.table, &c->conn_hnode,
					  silk_conn_params)) {
		spin_unlock_bh(&sn->conn.lock);
		atomic_dec(&sn->conn.n);
		kfree(c);
		return;
	}
	refcount_inc(&parent->ref);
	silk_path_obj_add(sn, c);
	list_add_tail(&c->conn_node, &parent->conn_list);
	parent->nconns_now++;
	sn->conn.gen++;
	spin_unlock_bh(&sn->conn.lock);
	atomic64_inc(&sn->conn.opened);
	if (c->mirror) {
		silk_conn_accept_first(lsk, sk);
		silk_mirror_conn_ready(c, sk);
	}
}

/* Unlink @c under sn->conn.lock; its worker delivers what it holds. */
static void silk_conn_unlink(struct silk_net *sn, struct silk_path *c)
{
	lockdep_assert_held(&sn->conn.lock);
	rhashtable_remove_fast(&sn->conn.table, &c->conn_hnode, silk_conn_params);
	list_del(&c->conn_node);
	c->parent->nconns_now--;
	sn->conn.gen++;
	atomic_dec(&sn->conn.n);
	silk_path_kill(c);
	silk_mirror_path_gone(c);
}

static void silk_conn_close(struct silk_net *sn, const struct silk_conn_key *k)
{
	struct silk_path *c;

	spin_lock_bh(&sn->conn.lock);
	c = rhashtable_lookup_fast(&sn->conn.table, k, silk_conn_params);
	if (c)
		silk_conn_unlink(sn, c);
	spin_unlock_bh(&sn->conn.lock);
	if (c) {
		atomic64_inc(&sn->conn.closed);
		silk_path_put(c);
	}
}

/* Remove every connection path of listen path @p (deleted or conns off). */
void silk_conns_flush(struct silk_net *sn, struct silk_path *p)
{
	struct silk_path *c;

	for (;;) {
		spin_lock_bh(&sn->conn.lock);
		c = list_first_entry_or_null(&p->conn_list, struct silk_path,
					     conn_node);
		if (c)
			silk_conn_unlink(sn, c);
		spin_unlock_bh(&sn->conn.lock);
		if (!c)
			return;
		silk_path_put(c);
	}
}

/*
 * A connection of a listen path is established or closed: its address
 * and DSCP, which a disconnect after CLOSE clears.
 */
static bool silk_conn_state_now(struct silk_net *sn, struct sock *sk,
				int oldstate, int newstate,
				struct silk_sockev_snap *snap)
{
	struct silk_path *parent;
	struct silk_flow f;
	bool conns;

	if (newstate != TCP_CLOSE &&
	    !(newstate == TCP_ESTABLISHED && oldstate == TCP_SYN_RECV))
		return false;
	if (!READ_ONCE(sn->conn.nports))
		return false;
	silk_conn_sk_flow(sk, &f, &snap->key);
	snap->dscp = f.dscp;
	if (newstate == TCP_CLOSE)
		return true;
	/* Only a listen path's connections get paths (and need a record). */
	rcu_read_lock();
	parent = silk_path_lookup(sn, &f);
	conns = parent && READ_ONCE(parent->conns);
	rcu_read_unlock();
	return conns;
}

static void silk_conn_state_later(struct silk_net *sn,
				  const struct silk_sockev_ev *ev)
{
	if (ev->newstate == TCP_ESTABLISHED)
		silk_conn_open(sn, ev->sk, ev->snap);
	/* Opens come first, deferred or not: none, nothing to close. */
	else if (atomic_read(&sn->conn.n))
		silk_conn_close(sn, &ev->snap->key);
}

/* A connection the records could not follow stays on its listen path. */
static void silk_conn_missed(struct silk_net *sn)
{
	atomic64_inc(&sn->conn.overflows);
}

static const struct silk_sockev_ops silk_conn_sockev = {
	.state_now = silk_conn_state_now,
	.state_later = silk_conn_state_later,
	.missed = silk_conn_missed,
};

/* Listen paths need the socket state events while they exist. */
int silk_conns_get(struct netlink_ext_ack *extack)
{
	return silk_sockev_get(SILK_SOCKEV_STATE, extack);
}

void silk_conns_put(void)
{
	silk_sockev_put(SILK_SOCKEV_STATE);
}

void silk_conn_init(void)
{
	silk_sockev_register(&silk_conn_sockev);
}

int silk_conns_init(struct silk_net *sn)
{
	spin_lock_init(&sn->conn.lock);
	return rhashtable_init(&sn->conn.table, &silk_conn_params);
}

void silk_conns_destroy(struct silk_net *sn)
{
	rhashtable_destroy(&sn->conn.table);
}
