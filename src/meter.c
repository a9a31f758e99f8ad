// SPDX-License-Identifier: GPL-2.0
/*
 * netmeter sensors (Zhang, Abdelzaher and Stankovic): for each listening
 * TCP port of a namespace, the connections waiting to be accepted, those
 * accepted so far and how long each waited between the end of its
 * handshake and accept(), and the bytes received and sent by the
 * connections accepted from the port, closed and live, with their rates
 * over the last interval.
 *
 * The moments come from what silk already attaches for connection paths
 * and mirroring, and only while a namespace has its sensors on:
 *  - the sock:inet_sock_set_state tracepoint fires when a listener clones a
 *    child (LISTEN -> SYN_RECV, the handshake's last ACK or a Fast Open
 *    SYN), while the child still carries its listener's port, and when a
 *    connection reaches CLOSE, which every TCP socket does before it is
 *    freed;
 *  - the inet_csk_accept() return probe says which listener handed which
 *    connection to the application. A connection is counted on the port of
 *    the listener that accepted it, which tcpchains may have made another
 *    than the one that cloned it.
 * Bytes are the connection's own RFC 4898 counters (bytes_received,
 * bytes_acked), read while it lives and folded into the port's totals when
 * it closes, so the totals only grow.
 *
 * Ports index a flat array of meters per namespace (512 KiB while the
 * sensors are on): the tracepoint finds or makes a port's meter with one
 * load or one cmpxchg, in any context, with no lock.
 */
#include <linux/ktime.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <net/inet_hashtables.h>
#include <net/inet_sock.h>
#include <net/tcp.h>
#include <net/tcp_states.h>

#include "conn.h"
#include "meter.h"
#include "mirror.h"
#include "netns.h"

/* A connection cloned by a listener of a namespace with sensors on. */
struct silk_mconn {
	struct rhash_head hnode;	/* silk_mconns, by socket */
	const struct sock *sk;		/* compared; read under mn->lock */
	struct silk_meter *m;
	struct list_head node;		/* m->conns */
	u64 born_ns;
	bool accepted;
	/* Output groups (silk_meter_pace()); under mn->lock. */
	bool paced;
	bool limited;			/* by the server or the client */
	u32 gen;			/* allocation round that fixed share */
	u64 out_prev;			/* bytes out at the last round */
	u32 rwnd_prev;			/* its window full, at the last round */
	u64 share;			/* bytes/s */
	unsigned long orig_pacing;	/* the socket's own max pacing rate */
	struct rcu_head rcu;
};

static const struct rhashtable_params silk_mconn_params = {
	.key_len = sizeof(const struct sock *),
	.key_offset = offsetof(struct silk_mconn, sk),
	.head_offset = offsetof(struct silk_mconn, hnode),
	.automatic_shrinking = true,
};

static struct rhashtable silk_mconns;

/* The meter of @port, made if there is none; any context, under RCU. */
static struct silk_meter *silk_meter_get(struct silk_meter_ns *mn, u16 port)
{
	struct silk_meter **slot = &mn->slots[port];
	struct silk_meter *m = READ_ONCE(*slot), *old;

	if (m)
		return m;
	m = kzalloc(sizeof(*m), GFP_ATOMIC);
	if (!m)
		return NULL;
	m->port = port;
	INIT_LIST_HEAD(&m->conns);
	m->t_ns = ktime_get_ns();
	old = cmpxchg(slot, NULL, m);
	if (old) {
		kfree(m);
		return old;
	}
	return m;
}

/*
 * RFC 4898's counters count a FIN as a byte once it is received or
 * acknowledged; the sensors count data.
 */
static u64 silk_mconn_in(const struct sock *sk)
{
	u64 n = READ_ONCE(tcp_sk(sk)->bytes_received);

	/* tcp_fin() sets SOCK_DONE as the FIN enters rcv_nxt. */
	return n && sock_flag(sk, SOCK_DONE) ? n - 1 : n;
}

/* @state: the socket's state, or the one it leaves for CLOSE. */
static u64 silk_mconn_out(const struct sock *sk, int state)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	u64 n = READ_ONCE(tp->bytes_acked);
	bool fin_acked;

	/* States after our FIN, with nothing left unacknowledged. */
	fin_acked = (state == TCP_FIN_WAIT2 || state == TCP_CLOSING ||
		     state == TCP_LAST_ACK) &&
		    READ_ONCE(tp->snd_una) == READ_ONCE(tp->write_seq);
	return n && fin_acked ? n - 1 : n;
}

static void silk_meter_born(struct silk_net *sn, const struct sock *sk)
{
	struct silk_meter_ns *mn = &sn->meter;
	struct silk_mconn *c;
	struct silk_meter *m;
	unsigned long flags;

	/* The child still has its listener's port. */
	m = silk_meter_get(mn, inet_sk(sk)->inet_num);
	c = m ? kmalloc(sizeof(*c), GFP_ATOMIC) : NULL;
	if (!c)
		goto missed;
	c->sk = sk;
	c->m = m;
	c->born_ns = ktime_get_ns();
	c->accepted = false;
	c->paced = false;
	if (rhashtable_lookup_insert_fast(&silk_mconns, &c->hnode,
					  silk_mconn_params)) {
		kfree(c);
		goto missed;
	}
	raw_spin_lock_irqsave(&mn->lock, flags);
	list_add_tail(&c->node, &m->conns);
	m->created++;
	raw_spin_unlock_irqrestore(&mn->lock, flags);
	return;
missed:
	atomic64_inc(&mn->missed);
}

static void silk_mconn_free(struct silk_mconn *c)
{
	rhashtable_remove_fast(&silk_mconns, &c->hnode, silk_mconn_params);
	kfree_rcu(c, rcu);
}

static void silk_meter_closed(struct silk_meter_ns *mn, const struct sock *sk,
			      int oldstate)
{
	struct silk_mconn *c;
	struct silk_meter *m;
	unsigned long flags;

	c = rhashtable_lookup_fast(&silk_mconns, &sk, silk_mconn_params);
	if (!c)
		return;
	raw_spin_lock_irqsave(&mn->lock, flags);
	/* A second CLOSE of the same socket finds it gone. */
	if (list_empty(&c->node)) {
		raw_spin_unlock_irqrestore(&mn->lock, flags);
		return;
	}
	m = c->m;
	list_del_init(&c->node);
	if (c->accepted) {
		m->in_closed += silk_mconn_in(sk);
		m->out_closed += silk_mconn_out(sk, oldstate);
		m->live--;
	}
	raw_spin_unlock_irqrestore(&mn->lock, flags);
	silk_mconn_free(c);
}

/* From the inet_sock_set_state probe (conn.c), sensors on. */
void silk_meter_state(struct silk_net *sn, const struct sock *sk,
		      int oldstate, int newstate)
{
	if (newstate == TCP_SYN_RECV && oldstate == TCP_LISTEN)
		silk_meter_born(sn, sk);
	else if (newstate == TCP_CLOSE)
		silk_meter_closed(&sn->meter, sk, oldstate);
}

/*
 * Output groups: the connections accepted from a group's ports share its
 * bandwidth through their own pacing (SO_MAX_PACING_RATE, set as
 * sock_setsockopt() sets it: TCP paces internally without an fq qdisc).
 * A connection joins at accept(), before it can send, with a quarter of an
 * even share (those that joined since the last round counted), so that
 * connections joining together stay under the cap until the next round
 * gives them their due; every round (silk_meter_pace()) the group's rate is shared
 * max-min fairly: a connection that used less than 80% of its share
 * because it had nothing to send or no window asks for 1.5 times what it
 * used, and when it used more than 80% of that, for twice its share if it
 * is still so held back (a bursty reader) or else for all it can get; the
 * others (slow-starting ones included) ask for as much as they can get.
 */
static void silk_mconn_set_pace(struct silk_mconn *c, u64 share)
{
	struct sock *sk = (struct sock *)c->sk;
	unsigned long rate = max_t(u64, share, SILK_PACE_MIN);

	c->share = rate;
	cmpxchg(&sk->sk_pacing_status, SK_PACING_NONE, SK_PACING_NEEDED);
	WRITE_ONCE(sk->sk_max_pacing_rate, min(rate, c->orig_pacing));
	WRITE_ONCE(sk->sk_pacing_rate,
		   min(READ_ONCE(sk->sk_pacing_rate), rate));
}

/* Jiffies @tp has spent with a full receive window (TCP's chronograph). */
static u32 silk_mconn_rwnd_time(const struct tcp_sock *tp)
{
	u32 t = READ_ONCE(tp->chrono_stat[TCP_CHRONO_RWND_LIMITED - 1]);

	if (tp->chrono_type == TCP_CHRONO_RWND_LIMITED)
		t += tcp_jiffies32 - READ_ONCE(tp->chrono_start);
	return t;
}

/*
 * Is @c held back by something other than its pacing: nothing left to
 * send (the server is slow), or a receive window that is full now or was
 * at some time since the last round (the client is slow, or reads in
 * bursts)? Such a connection only gets a little more than it used.
 */
static bool silk_mconn_limited(struct silk_mconn *c)
{
	const struct tcp_sock *tp = tcp_sk(c->sk);
	u32 nxt = READ_ONCE(tp->snd_nxt), rwnd = silk_mconn_rwnd_time(tp);
	bool was = rwnd != c->rwnd_prev;

	c->rwnd_prev = rwnd;
	if (was || READ_ONCE(tp->write_seq) == nxt)
		return true;
	return (s32)(READ_ONCE(tp->snd_una) + READ_ONCE(tp->snd_wnd) - nxt) <
	       (s32)READ_ONCE(tp->mss_cache);
}

/* @c was accepted from @port; mn->lock held. */
static void silk_mconn_join(struct silk_net *sn, struct silk_mconn *c,
			    u16 port)
{
	u32 members;
	u64 rate = silk_group_output(sn, port, &members);

	if (!rate)
		return;
	c->paced = true;
	c->limited = false;
	c->orig_pacing = READ_ONCE(c->sk->sk_max_pacing_rate);
	c->out_prev = silk_mconn_out(c->sk, READ_ONCE(c->sk->sk_state));
	c->rwnd_prev = silk_mconn_rwnd_time(tcp_sk(c->sk));
	silk_mconn_set_pace(c, div_u64(rate, 4 * members));
}

/* Connections accepted from @port and open; any context. */
u32 silk_meter_live(struct silk_net *sn, u16 port)
{
	struct silk_meter_ns *mn = &sn->meter;
	unsigned long flags;
	u32 n = 0;

	raw_spin_lock_irqsave(&mn->lock, flags);
	if (mn->on && mn->slots[port])
		n = mn->slots[port]->live;
	raw_spin_unlock_irqrestore(&mn->lock, flags);
	return n;
}

/* Walks the accepted connections of an output group's ports. */
struct silk_paced_iter {
	struct silk_meter_ns *mn;
	const u16 *ports;
	unsigned int nports, i;
};

/* The accepted connection after @c (NULL: start over). */
static struct silk_mconn *silk_paced_next(struct silk_paced_iter *it,
					  struct silk_mconn *c)
{
	struct silk_meter *m;

	if (!c)
		it->i = 0;
	for (; it->i < it->nports; it->i++, c = NULL) {
		m = it->mn->slots[it->ports[it->i]];
		if (!m)
			continue;
		c = c ? list_next_entry(c, node) :
			list_first_entry(&m->conns, struct silk_mconn, node);
		for (; !list_entry_is_head(c, &m->conns, node);
		     c = list_next_entry(c, node))
			if (c->accepted)
				return c;
	}
	return NULL;
}

/**
 * silk_meter_pace - share an output group's rate among its connections
 * @sn: the namespace
 * @ports: the group's ports
 * @nports: how many
 * @rate: bytes per second, 0 to let the connections go
 * @dt_ns: time since the last round
 * @gen: the round's number, other than the last one's
 * @sent: if not NULL, set to the bytes the connections had acknowledged since
 *	the last round
 *
 * Returns how many connections the group has.
 */
u32 silk_meter_pace(struct silk_net *sn, const u16 *ports,
		    unsigned int nports, u64 rate, u64 dt_ns, u32 gen,
		    u64 *sent)
{
	struct silk_meter_ns *mn = &sn->meter;
	struct silk_paced_iter it = {
		.mn = mn, .ports = ports, .nports = nports,
	};
	u64 left = rate, fair = 0, floor;
	struct silk_mconn *c;
	unsigned int round;
	u32 n = 0, open;
	u64 acked = 0;

	raw_spin_lock_irq(&mn->lock);
	if (!mn->on)
		goto out;
	for (c = silk_paced_next(&it, NULL); c; c = silk_paced_next(&it, c)) {
		u64 out = silk_mconn_out(c->sk, READ_ONCE(c->sk->sk_state));
		u64 used = dt_ns ? mul_u64_u64_div_u64(out - c->out_prev,
						       NSEC_PER_SEC, dt_ns) : 0;
		bool held;

		if (c->paced)
			acked += out - c->out_prev;
		c->out_prev = out;
		if (!rate) {
			if (c->paced)
				WRITE_ONCE(((struct sock *)c->sk)->sk_max_pacing_rate,
					   c->orig_pacing);
			c->paced = false;
			continue;
		}
		if (!c->paced) {
			/* Accepted before the group was made. */
			c->paced = true;
			c->limited = false;
			c->orig_pacing = READ_ONCE(c->sk->sk_max_pacing_rate);
			c->share = 0;
			used = 0;
		}
		/* Its demand, in share until fixed; 0 gen: still open. */
		c->gen = 0;
		held = silk_mconn_limited(c);
		if (!c->limited) {
			c->limited = used * 5 < c->share * 4 && held;
			c->share = c->limited ? used * 3 / 2 : U64_MAX;
		} else if (used * 5 >= c->share * 4) {
			/*
			 * It wants more: all it can get once nothing but its
			 * pacing holds it back; else (a bursty reader) probe.
			 */
			c->limited = held;
			c->share = held ? c->share * 2 : U64_MAX;
		} else {
			c->share = used * 3 / 2;
		}
		n++;
	}
	if (!rate || !n)
		goto out;
	/* Water-filling: fix the demands below the fair share, repeat. */
	floor = div_u64(rate, 16 * n);
	open = n;
	for (round = 0; round < 16 && open; round++) {
		bool fixed = false;

		fair = div_u64(left, open);
		for (c = silk_paced_next(&it, NULL); c; c = silk_paced_next(&it, c)) {
			if (c->gen || c->share == U64_MAX)
				continue;
			if (max(c->share, floor) <= fair) {
				c->share = max(c->share, floor);
				c->gen = gen;
				left -= c->share;
				open--;
				fixed = true;
			}
		}
		if (!fixed)
			break;
	}
	fair = open ? div_u64(left, open) : 0;
	for (c = silk_paced_next(&it, NULL); c; c = silk_paced_next(&it, c)) {
		/* Those that got the fair share are limited by it alone. */
		if (!c->gen)
			c->limited = false;
		silk_mconn_set_pace(c, c->gen ? c->share : fair);
	}
out:
	raw_spin_unlock_irq(&mn->lock);
	if (sent)
		*sent = acked;
	return n;
}

/* From the inet_csk_accept() return probe: @lsk handed out @sk. */
void silk_meter_accepted(struct silk_net *sn, const struct sock *lsk,
			 const struct sock *sk)
{
	struct silk_meter_ns *mn = &sn->meter;
	struct silk_meter *m, *to;
	struct silk_mconn *c;
	unsigned long flags;
	u64 now = ktime_get_ns();

	rcu_read_lock();
	c = rhashtable_lookup_fast(&silk_mconns, &sk, silk_mconn_params);
	if (!c || READ_ONCE(c->accepted))
		goto out;
	/* Only accept() moves it, and a socket is accepted once. */
	m = READ_ONCE(c->m);
	to = m;
	if (inet_sk(lsk)->inet_num != m->port) {
		/* Handed over to another port's listener (tcpchains). */
		to = silk_meter_get(mn, inet_sk(lsk)->inet_num);
		if (!to)
			to = m;
	}
	raw_spin_lock_irqsave(&mn->lock, flags);
	if (!list_empty(&c->node) && !c->accepted) {
		list_move_tail(&c->node, &to->conns);
		c->m = to;
		c->accepted = true;
		to->accepted++;
		to->live++;
		to->delay_sum_ns += now - c->born_ns;
		silk_mconn_join(sn, c, to->port);
	}
	raw_spin_unlock_irqrestore(&mn->lock, flags);
out:
	rcu_read_unlock();
}

/* Totals of @m, live connections included; under mn->lock. */
static void silk_meter_sum(struct silk_meter *m, u64 *in, u64 *out)
{
	struct silk_mconn *c;

	*in = m->in_closed;
	*out = m->out_closed;
	list_for_each_entry(c, &m->conns, node) {
		if (!c->accepted)
			continue;
		*in += silk_mconn_in(c->sk);
		*out += silk_mconn_out(c->sk, READ_ONCE(c->sk->sk_state));
	}
}

static u64 silk_per_sec(u64 delta, u64 dt_ns, u64 scale)
{
	return dt_ns ? mul_u64_u64_div_u64(delta * scale, NSEC_PER_SEC,
					   dt_ns) : 0;
}

static void silk_meter_tick_one(struct silk_meter_ns *mn, struct silk_meter *m,
				u64 now)
{
	u64 in, out, dt, n;

	raw_spin_lock_irq(&mn->lock);
	silk_meter_sum(m, &in, &out);
	dt = now - m->t_ns;
	n = m->accepted - m->last_accepted;
	m->rate_accept_milli = silk_per_sec(n, dt, 1000);
	m->rate_in = silk_per_sec(in - m->last_in, dt, 1);
	m->rate_out = silk_per_sec(out - m->last_out, dt, 1);
	m->rate_delay_ns = n ? div64_u64(m->delay_sum_ns - m->last_delay_ns,
					 n) : 0;
	m->t_ns = now;
	m->last_accepted = m->accepted;
	m->last_delay_ns = m->delay_sum_ns;
	m->last_in = in;
	m->last_out = out;
	raw_spin_unlock_irq(&mn->lock);
}

static void silk_meter_tick(struct work_struct *work)
{
	struct silk_meter_ns *mn = container_of(to_delayed_work(work),
						struct silk_meter_ns, tick);
	struct silk_meter **slots = mn->slots;
	u64 now = ktime_get_ns();
	unsigned int port;

	for (port = 0; port < SILK_NPORTS; port++) {
		struct silk_meter *m = READ_ONCE(slots[port]);

		if (m)
			silk_meter_tick_one(mn, m, now);
	}
	queue_delayed_work(system_wq, &mn->tick,
			   msecs_to_jiffies(READ_ONCE(mn->interval_ms)));
}

/**
 * silk_meter_read - what the sensors of @port say
 * @sn: the namespace
 * @port: the listening port
 * @waiting: connections waiting in the port's listeners' queues
 * @r: filled in
 *
 * Returns false if the sensors are off. Under sn->lock or RCU.
 */
bool silk_meter_read(struct silk_net *sn, u16 port, u32 waiting,
		     struct silk_meter_read *r)
{
	struct silk_meter_ns *mn = &sn->meter;
	struct silk_meter *m;

	memset(r, 0, sizeof(*r));
	r->waiting = waiting;
	if (!READ_ONCE(mn->on))
		return false;
	m = READ_ONCE(mn->slots[port]);
	if (!m)
		return true;
	raw_spin_lock_irq(&mn->lock);
	r->live = m->live;
	r->accepted = m->accepted;
	r->delay_sum_ns = m->delay_sum_ns;
	silk_meter_sum(m, &r->bytes_in, &r->bytes_out);
	r->rate_accept_milli = m->rate_accept_milli;
	r->rate_in = m->rate_in;
	r->rate_out = m->rate_out;
	r->rate_delay_ns = m->rate_delay_ns;
	raw_spin_unlock_irq(&mn->lock);
	return true;
}

/* Call @fn on each TCP listener of @net; stops at a non-zero return. */
int silk_listeners_each(struct net *net,
			int (*fn)(struct sock *sk, void *arg), void *arg)
{
	struct inet_hashinfo *h = net->ipv4.tcp_death_row.hashinfo;
	struct hlist_nulls_node *node;
	unsigned int i;
	struct sock *sk;
	int err = 0;

	for (i = 0; i <= h->lhash2_mask && !err; i++) {
		struct inet_listen_hashbucket *ilb = &h->lhash2[i];

		if (hlist_nulls_empty(&ilb->nulls_head))
			continue;
		spin_lock_bh(&ilb->lock);
		sk_nulls_for_each(sk, node, &ilb->nulls_head) {
			if (!net_eq(sock_net(sk), net))
				continue;
			err = fn(sk, arg);
			if (err)
				break;
		}
		spin_unlock_bh(&ilb->lock);
	}
	return err;
}

static int silk_listener_count(struct sock *sk, void *arg)
{
	u32 *waiting = arg;

	/* +1: a port with a listener shows even with nothing waiting. */
	waiting[inet_sk(sk)->inet_num] += READ_ONCE(sk->sk_ack_backlog) + 1;
	return 0;
}

/**
 * silk_meter_listening - the TCP ports @net listens on
 * @net: the namespace
 * @waiting: SILK_NPORTS counters, zeroed; for each port something listens
 *	on, set to 1 + the connections waiting in its listeners' accept queues
 */
void silk_meter_listening(struct net *net, u32 *waiting)
{
	silk_listeners_each(net, silk_listener_count, waiting);
}

struct silk_waiting {
	u16 port;
	u32 n;
};

static int silk_listener_waiting(struct sock *sk, void *arg)
{
	struct silk_waiting *w = arg;

	if (inet_sk(sk)->inet_num == w->port)
		w->n += READ_ONCE(sk->sk_ack_backlog);
	return 0;
}

/* Connections established and not yet accepted on @port's listeners. */
u32 silk_meter_waiting(struct net *net, u16 port)
{
	struct silk_waiting w = { .port = port };

	silk_listeners_each(net, silk_listener_waiting, &w);
	return w.n;
}

/* Sensors off: forget every connection and meter. sn->lock, probes quiet. */
static void silk_meter_flush(struct silk_meter_ns *mn)
{
	struct silk_meter **slots = mn->slots;
	struct silk_mconn *c, *tmp;
	unsigned int port;

	for (port = 0; port < SILK_NPORTS; port++) {
		struct silk_meter *m = slots[port];

		if (!m)
			continue;
		list_for_each_entry_safe(c, tmp, &m->conns, node)
			silk_mconn_free(c);
		slots[port] = NULL;
		kfree_rcu(m, rcu);
	}
}

static int silk_meter_start(struct silk_net *sn,
			    struct netlink_ext_ack *extack)
{
	struct silk_meter_ns *mn = &sn->meter;
	int err;

	mn->slots = kvcalloc(SILK_NPORTS, sizeof(void *), GFP_KERNEL_ACCOUNT);
	if (!mn->slots)
		return -ENOMEM;
	err = silk_conn_tp_get(extack);
	if (err)
		goto fail;
	err = silk_mirror_get(extack);
	if (err) {
		silk_conn_tp_put();
		goto fail;
	}
	/* The slots before on: see silk_meter_on(). */
	smp_store_release(&mn->on, true);
	queue_delayed_work(system_wq, &mn->tick,
			   msecs_to_jiffies(mn->interval_ms));
	return 0;
fail:
	kvfree(mn->slots);
	mn->slots = NULL;
	return err;
}

static void silk_meter_stop(struct silk_net *sn)
{
	struct silk_meter_ns *mn = &sn->meter;

	WRITE_ONCE(mn->on, false);
	cancel_delayed_work_sync(&mn->tick);
	/* Probes that saw the sensors on have returned after this. */
	synchronize_rcu();
	silk_meter_flush(mn);
	silk_mirror_put();
	silk_conn_tp_put();
	kvfree(mn->slots);
	mn->slots = NULL;
}

/**
 * silk_meter_set - turn a namespace's sensors on or off
 * @sn: the namespace, sn->lock held
 * @on: the new state
 * @interval_ms: the rates' interval, 0 to keep it
 * @extack: why not
 *
 * Counting starts when they are turned on; off forgets everything, and is
 * refused while output groups use the sensors.
 */
int silk_meter_set(struct silk_net *sn, bool on, u32 interval_ms,
		   struct netlink_ext_ack *extack)
{
	struct silk_meter_ns *mn = &sn->meter;
	u32 old = mn->interval_ms;
	int err = 0;

	lockdep_assert_held(&sn->lock);
	/* What can be refused first: a refused request changes nothing. */
	if (!on && mn->users) {
		NL_SET_ERR_MSG(extack,
			       "output groups use the sensors: delete them first");
		return -EBUSY;
	}
	if (interval_ms)
		WRITE_ONCE(mn->interval_ms, interval_ms);
	if (on && mn->explicit)
		return 0;
	if (on) {
		if (!mn->on)
			err = silk_meter_start(sn, extack);
		if (err)
			WRITE_ONCE(mn->interval_ms, old);
		mn->explicit = !err;
		return err;
	}
	if (mn->on)
		silk_meter_stop(sn);
	mn->explicit = false;
	return 0;
}

/* An output group needs the sensors' connections; sn->lock held. */
int silk_meter_hold(struct silk_net *sn, struct netlink_ext_ack *extack)
{
	struct silk_meter_ns *mn = &sn->meter;
	int err;

	lockdep_assert_held(&sn->lock);
	if (!mn->on) {
		err = silk_meter_start(sn, extack);
		if (err)
			return err;
	}
	mn->users++;
	return 0;
}

void silk_meter_unhold(struct silk_net *sn)
{
	struct silk_meter_ns *mn = &sn->meter;

	lockdep_assert_held(&sn->lock);
	if (!--mn->users && !mn->explicit)
		silk_meter_stop(sn);
}

void silk_meter_ns_init(struct silk_meter_ns *mn)
{
	mn->interval_ms = SILK_METER_INTERVAL_MS;
	raw_spin_lock_init(&mn->lock);
	INIT_DELAYED_WORK(&mn->tick, silk_meter_tick);
	atomic64_set(&mn->missed, 0);
}

void silk_meter_ns_exit(struct silk_net *sn)
{
	mutex_lock(&sn->lock);
	/* Groups went first: nothing holds the sensors now. */
	if (sn->meter.on)
		silk_meter_stop(sn);
	sn->meter.explicit = false;
	mutex_unlock(&sn->lock);
}

int silk_meter_init(void)
{
	return rhashtable_init(&silk_mconns, &silk_mconn_params);
}

void silk_meter_exit(void)
{
	rhashtable_destroy(&silk_mconns);
}
