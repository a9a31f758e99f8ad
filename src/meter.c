// SPDX-License-Identifier: GPL-2.0
/*
 * netmeter sensors (Zhang, Abdelzaher and Stankovic): for each listening
 * TCP port of a namespace, the connections waiting to be accepted, those
 * accepted so far and how long each waited between the end of its
 * handshake and accept(), and the bytes received and sent by the
 * connections accepted from the port, closed and live, with their rates
 * over the last interval.
 *
 * The moments come from the socket events (sockev.c), attached while a
 * namespace has its sensors on:
 *  - the state events: a listener clones a child (LISTEN -> SYN_RECV, the
 *    handshake's last ACK or a Fast Open SYN), while the child still
 *    carries its listener's port, and a connection reaches CLOSE, which
 *    every TCP socket does before it is freed;
 *  - the accept events say which listener handed which connection to the
 *    application. A connection is counted on the port of
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

#include "meter.h"
#include "netns.h"
#include "sockev.h"

static const struct rhashtable_params silk_mconn_params = {
	.key_len = sizeof(const struct sock *),
	.key_offset = offsetof(struct silk_mconn, sk),
	.head_offset = offsetof(struct silk_mconn, hnode),
	.automatic_shrinking = true,
};

static struct rhashtable silk_mconns;

/* The sensors' record of connection @sk, or NULL; under RCU. */
struct silk_mconn *silk_mconn_lookup(const struct sock *sk)
{
	return rhashtable_lookup(&silk_mconns, &sk, silk_mconn_params);
}

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
u64 silk_mconn_out(const struct sock *sk, int state)
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

static void silk_meter_born(struct silk_net *sn, const struct sock *sk,
			    const struct silk_sockev_snap *snap)
{
	struct silk_meter_ns *mn = &sn->meter;
	struct silk_mconn *c;
	struct silk_meter *m;
	unsigned long flags;

	/* Turned off since, when the event was deferred. */
	if (!silk_meter_on(mn))
		return;
	m = silk_meter_get(mn, snap->port);
	c = m ? kmalloc(sizeof(*c), GFP_ATOMIC) : NULL;
	if (!c)
		goto missed;
	c->sk = sk;
	c->m = m;
	c->born_ns = snap->t_ns;
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
			      const struct silk_sockev_snap *snap)
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
		m->in_closed += snap->in;
		m->out_closed += snap->out;
		m->live--;
	}
	raw_spin_unlock_irqrestore(&mn->lock, flags);
	silk_mconn_free(c);
}

/*
 * A child is cloned (it still has its listener's port) or a connection
 * closes (its byte counters, which a disconnect that may follow clears).
 */
static bool silk_meter_state_now(struct silk_net *sn, struct sock *sk,
				 int oldstate, int newstate,
				 struct silk_sockev_snap *snap)
{
	if (!silk_meter_on(&sn->meter))
		return false;
	if (newstate == TCP_SYN_RECV && oldstate == TCP_LISTEN) {
		snap->port = inet_sk(sk)->inet_num;
		snap->t_ns = ktime_get_ns();
		return true;
	}
	if (newstate != TCP_CLOSE)
		return false;
	snap->in = silk_mconn_in(sk);
	snap->out = silk_mconn_out(sk, oldstate);
	return true;
}

static void silk_meter_state_later(struct silk_net *sn,
				   const struct silk_sockev_ev *ev)
{
	if (ev->newstate == TCP_SYN_RECV)
		silk_meter_born(sn, ev->sk, ev->snap);
	else
		silk_meter_closed(&sn->meter, ev->sk, ev->snap);
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

/* @a->lsk handed out @sk: when, and the listener's port. */
static bool silk_meter_accepted_now(struct silk_net *sn, struct silk_accept *a,
				    struct sock *sk,
				    struct silk_sockev_snap *snap)
{
	if (!sk || !silk_meter_on(&sn->meter))
		return false;
	snap->t_ns = ktime_get_ns();
	snap->port = inet_sk(a->lsk)->inet_num;
	return true;
}

/* Count it on that listener's port. */
static void silk_meter_accepted_later(struct silk_net *sn,
				      const struct silk_sockev_ev *ev)
{
	struct silk_meter_ns *mn = &sn->meter;
	struct silk_meter *m, *to;
	struct silk_mconn *c;
	unsigned long flags;

	if (!silk_meter_on(mn))
		return;
	c = rhashtable_lookup(&silk_mconns, &ev->sk, silk_mconn_params);
	if (!c || READ_ONCE(c->accepted))
		return;
	/* Only accept() moves it, and a socket is accepted once. */
	m = READ_ONCE(c->m);
	to = m;
	if (ev->snap->port != m->port) {
		/* Handed over to another port's listener (tcpchains). */
		to = silk_meter_get(mn, ev->snap->port);
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
		to->delay_sum_ns += ev->snap->t_ns - c->born_ns;
	}
	raw_spin_unlock_irqrestore(&mn->lock, flags);
}

static bool silk_meter_accept(struct silk_net *sn, struct silk_accept *a)
{
	return silk_meter_on(&sn->meter);
}

/* A connection the records could not follow is not counted. */
static void silk_meter_missed(struct silk_net *sn)
{
	atomic64_inc(&sn->meter.missed);
}

static const struct silk_sockev_ops silk_meter_sockev = {
	.state_now = silk_meter_state_now,
	.state_later = silk_meter_state_later,
	.accept = silk_meter_accept,
	.accepted_now = silk_meter_accepted_now,
	.accepted_later = silk_meter_accepted_later,
	.missed = silk_meter_missed,
};

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
	err = silk_sockev_get(SILK_SOCKEV_STATE | SILK_SOCKEV_ACCEPT, extack);
	if (err)
		goto fail;
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
	silk_sockev_put(SILK_SOCKEV_STATE | SILK_SOCKEV_ACCEPT);
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
	silk_sockev_register(&silk_meter_sockev);
	return rhashtable_init(&silk_mconns, &silk_mconn_params);
}

void silk_meter_exit(void)
{
	rhashtable_destroy(&silk_mconns);
}
