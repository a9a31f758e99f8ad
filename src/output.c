// SPDX-License-Identifier: GPL-2.0
/*
 * Output groups (Zhang, Abdelzaher and Stankovic): the connections accepted
 * from a group's ports share its bandwidth through their own pacing.
 *
 * A connection joins at accept() (the accept events, after the sensors have
 * counted it on the port of the listener that accepted it), and every
 * SILK_GROUP_PACE_MS a round shares the group's rate among its
 * connections (silk_output_share()). The sensors' per-connection state
 * (struct silk_mconn, meter.c) carries each one's share.
 *
 * FTP: when a port of an output group serves FTP, the replies its control
 * connections send to PASV and EPSV (ftp.c) name the port the server will
 * accept the data connection on; that port joins the group for a while,
 * so the data connection shares the group's bandwidth (Zhang et al.,
 * section 3). Only the first bytes of segments leaving an FTP port are
 * looked at, and only while some output group has one.
 */
#include <linux/jiffies.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/tcp.h>
#include <net/ipv6.h>
#include <net/tcp.h>

#include "ftp.h"
#include "group.h"
#include "meter.h"
#include "netns.h"
#include "output.h"
#include "sockev.h"

/* How often a group shares out its rate anew. */
#define SILK_GROUP_PACE_MS	100

/*
 * A connection accepted from @port joins its output group: the group's
 * rate and its connections, this one included; 0 if none. RCU.
 */
static u64 silk_output_of(struct silk_net *sn, u16 port, u32 *members)
{
	struct silk_group __rcu **oports = READ_ONCE(sn->group.oports);
	struct silk_group *g = oports ? rcu_dereference(oports[port]) : NULL;

	if (!g)
		return 0;
	*members = READ_ONCE(g->members) + atomic_inc_return(&g->joined);
	return READ_ONCE(g->rate_milli);
}

/*
 * Output groups: the connections accepted from a group's ports share its
 * bandwidth through their own pacing (SO_MAX_PACING_RATE, set as
 * sock_setsockopt() sets it: TCP paces internally without an fq qdisc).
 * A connection joins at accept(), before it can send, with a quarter of an
 * even share (those that joined since the last round counted), so that
 * connections joining together stay under the cap until the next round
 * gives them their due; every round (silk_output_share()) the group's rate is
 * shared max-min fairly: a connection that used less than 80% of its share
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
	u64 rate = silk_output_of(sn, port, &members);

	lockdep_assert_held(&sn->meter.lock);
	if (!rate)
		return;
	c->paced = true;
	c->limited = false;
	c->orig_pacing = READ_ONCE(c->sk->sk_max_pacing_rate);
	c->out_prev = silk_mconn_out(c->sk, READ_ONCE(c->sk->sk_state));
	c->rwnd_prev = silk_mconn_rwnd_time(tcp_sk(c->sk));
	silk_mconn_set_pace(c, div_u64(rate, 4 * members));
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
 * silk_output_share - share an output group's rate among its connections
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
static u32 silk_output_share(struct silk_net *sn, const u16 *ports,
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

/* A connection accepted from an output group's port joins the group. */
static bool silk_output_accept(struct silk_net *sn, struct silk_accept *a)
{
	return READ_ONCE(sn->group.n) && silk_meter_on(&sn->meter);
}

static bool silk_output_accepted_now(struct silk_net *sn,
				     struct silk_accept *a, struct sock *sk,
				     struct silk_sockev_snap *snap)
{
	return sk && READ_ONCE(sn->group.n) && silk_meter_on(&sn->meter);
}

/* After the sensors' part, which counted it on its listener's port. */
static void silk_output_accepted_later(struct silk_net *sn,
				       const struct silk_sockev_ev *ev)
{
	struct silk_meter_ns *mn = &sn->meter;
	struct silk_mconn *c;
	unsigned long flags;

	if (!READ_ONCE(sn->group.n) || !silk_meter_on(mn))
		return;
	c = silk_mconn_lookup(ev->sk);
	if (!c)
		return;
	raw_spin_lock_irqsave(&mn->lock, flags);
	/* A round may have been first. */
	if (!list_empty(&c->node) && c->accepted && !c->paced)
		silk_mconn_join(sn, c, c->m->port);
	raw_spin_unlock_irqrestore(&mn->lock, flags);
}

static const struct silk_sockev_ops silk_output_sockev = {
	.accept = silk_output_accept,
	.accepted_now = silk_output_accepted_now,
	.accepted_later = silk_output_accepted_later,
};

/* Forget data port @i of @g; g->lock held. */
static void silk_output_dyn_del(struct silk_group *g, unsigned int i)
{
	lockdep_assert_held(&g->lock);
	RCU_INIT_POINTER(g->sn->group.oports[g->dyn[i]], NULL);
	g->ndyn--;
	g->dyn[i] = g->dyn[g->ndyn];
	g->dyn_until[i] = g->dyn_until[g->ndyn];
	g->dyn_used[i] = g->dyn_used[g->ndyn];
}

/*
 * TCP's pacing is loose: the first ten segments of a connection go
 * unpaced, and a connection whose pacing timer fired late catches up by up
 * to half of each packet's time (tcp_update_skb_after_send()), which a busy
 * or virtual machine makes the rule. So each round shares out the cap less
 * what the group sent beyond it and has not repaid yet, spread over
 * SILK_GROUP_REPAY_MS; sending less than the cap earns no credit.
 */
#define SILK_GROUP_REPAY_MS	500

static u64 silk_output_budget(const struct silk_group *g, u64 rate)
{
	u64 back = div_u64(g->excess * MSEC_PER_SEC, SILK_GROUP_REPAY_MS);

	return rate - min(back, rate / 2);
}

static void silk_output_account(struct silk_group *g, u64 rate, u64 sent,
				u64 dt_ns)
{
	u64 due = mul_u64_u64_div_u64(rate, dt_ns, NSEC_PER_SEC);

	/* A new cap starts with a clean slate. */
	if (rate != g->pace_rate) {
		g->pace_rate = rate;
		g->excess = 0;
		return;
	}
	g->excess = sent > due ? min(g->excess + sent - due, rate) :
		    g->excess - min(g->excess, due - sent);
}

static void silk_output_round(struct work_struct *work)
{
	struct silk_group *g = container_of(to_delayed_work(work),
					    struct silk_group, pace);
	u16 ports[SILK_GROUP_PORTS_MAX + SILK_GROUP_DYN_MAX];
	u64 now = ktime_get_ns(), rate, sent;
	unsigned int i, n;

	/*
	 * A data port goes once the connections it was announced for have
	 * come and gone, or when none came before it expired.
	 */
	spin_lock_irq(&g->lock);
	for (i = 0; i < g->ndyn; i++) {
		if (silk_meter_live(g->sn, g->dyn[i]))
			g->dyn_used[i] = true;
		else if (g->dyn_used[i] ||
			 time_after(jiffies, g->dyn_until[i]))
			silk_output_dyn_del(g, i--);
	}
	memcpy(ports, g->portnums, g->nports * sizeof(*ports));
	memcpy(ports + g->nports, g->dyn, g->ndyn * sizeof(*ports));
	n = g->nports + g->ndyn;
	spin_unlock_irq(&g->lock);
	/* Round numbers are never 0: 0 marks a demand not yet fixed. */
	if (!++g->gen)
		g->gen++;
	atomic_set(&g->joined, 0);
	rate = READ_ONCE(g->rate_milli);
	WRITE_ONCE(g->members,
		   silk_output_share(g->sn, ports, n,
				     silk_output_budget(g, rate),
				     now - g->t_pace, g->gen, &sent));
	silk_output_account(g, rate, sent, now - g->t_pace);
	g->t_pace = now;
	queue_delayed_work(system_wq, &g->pace,
			   msecs_to_jiffies(SILK_GROUP_PACE_MS));
}

/* Does @port serve FTP for an output group? Any context. */
static bool silk_output_ftp_port(struct silk_net *sn, u16 port)
{
	struct silk_group __rcu **oports;
	struct silk_group *g;
	bool ftp = false;
	unsigned int i;

	rcu_read_lock();
	oports = READ_ONCE(sn->group.oports);
	g = oports ? rcu_dereference(oports[port]) : NULL;
	for (i = 0; g && i < g->nports; i++)
		if (g->port[i].port == port)
			ftp = g->port[i].ftp;
	rcu_read_unlock();
	return ftp;
}

/* FTP port @ctl announced data port @data: it joins @ctl's group. */
static void silk_output_ftp_expect(struct silk_net *sn, u16 ctl, u16 data)
{
	unsigned long until = jiffies + SILK_GROUP_FTP_EXPIRE_S * HZ;
	struct silk_group __rcu **oports;
	struct silk_group *g, *o;
	unsigned long flags;
	unsigned int i;

	rcu_read_lock();
	oports = READ_ONCE(sn->group.oports);
	g = oports ? rcu_dereference(oports[ctl]) : NULL;
	if (!g)
		goto out;
	spin_lock_irqsave(&g->lock, flags);
	if (g->dead || silk_gport(g, data))
		goto unlock;
	for (i = 0; i < g->ndyn; i++)
		if (g->dyn[i] == data)
			break;
	if (i == g->ndyn) {
		o = rcu_dereference(oports[data]);
		/* Full, or the port is another group's. */
		if (i == SILK_GROUP_DYN_MAX || (o && o != g))
			goto unlock;
		g->dyn[g->ndyn++] = data;
		rcu_assign_pointer(oports[data], g);
	}
	g->dyn_until[i] = until;
	g->dyn_used[i] = false;
unlock:
	spin_unlock_irqrestore(&g->lock, flags);
out:
	rcu_read_unlock();
}

static void silk_ftp_seen(struct silk_net *sn, struct sk_buff *skb,
			  unsigned int thoff)
{
	char buf[96];
	const char *s;
	struct tcphdr _th;
	const struct tcphdr *th;
	unsigned int off, len;
	u16 port = 0;

	th = skb_header_pointer(skb, thoff, sizeof(_th), &_th);
	if (!th || !silk_output_ftp_port(sn, ntohs(th->source)))
		return;
	off = thoff + __tcp_hdrlen(th);
	if (skb->len <= off)
		return;
	len = min_t(unsigned int, skb->len - off, sizeof(buf));
	s = skb_header_pointer(skb, off, len, buf);
	if (!s)
		return;
	port = silk_ftp_data_port(s, len);
	if (port)
		silk_output_ftp_expect(sn, ntohs(th->source), port);
}

static unsigned int silk_ftp_hook4(void *priv, struct sk_buff *skb,
				   const struct nf_hook_state *state)
{
	const struct iphdr *iph = ip_hdr(skb);

	if (iph->protocol == IPPROTO_TCP && !ip_is_fragment(iph))
		silk_ftp_seen(priv, skb, ip_hdrlen(skb));
	return NF_ACCEPT;
}

#if IS_ENABLED(CONFIG_IPV6)
static unsigned int silk_ftp_hook6(void *priv, struct sk_buff *skb,
				   const struct nf_hook_state *state)
{
	u8 nexthdr = ipv6_hdr(skb)->nexthdr;
	__be16 frag_off;
	int thoff;

	thoff = ipv6_skip_exthdr(skb, sizeof(struct ipv6hdr), &nexthdr,
				 &frag_off);
	if (thoff >= 0 && nexthdr == IPPROTO_TCP && !(frag_off & htons(~0x7)))
		silk_ftp_seen(priv, skb, thoff);
	return NF_ACCEPT;
}
#endif

/* Look at what FTP ports send, or stop; sn->lock held. */
static int silk_ftp_hooks(struct silk_net *sn, bool on)
{
	struct silk_group_ns *gn = &sn->group;
	int err;

	lockdep_assert_held(&sn->lock);
	if (on == gn->ftp_hooked)
		return 0;
	if (!on) {
		nf_unregister_net_hooks(sn->net, gn->ftp_ops,
					ARRAY_SIZE(gn->ftp_ops));
		gn->ftp_hooked = false;
		return 0;
	}
	gn->ftp_ops[0] = (struct nf_hook_ops) {
		.hook = silk_ftp_hook4,
		.priv = sn,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_LOCAL_OUT,
		.priority = NF_IP_PRI_LAST,
	};
#if IS_ENABLED(CONFIG_IPV6)
	gn->ftp_ops[1] = (struct nf_hook_ops) {
		.hook = silk_ftp_hook6,
		.priv = sn,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_LOCAL_OUT,
		.priority = NF_IP6_PRI_LAST,
	};
#endif
	err = nf_register_net_hooks(sn->net, gn->ftp_ops,
				    ARRAY_SIZE(gn->ftp_ops));
	gn->ftp_hooked = !err;
	return err;
}

/**
 * silk_output_hold - what output group ports need, before the group is made
 * @sn: the namespace, sn->lock held
 * @ftp: which of the ports serve FTP
 * @n: how many ports
 * @extack: why not
 */
int silk_output_hold(struct silk_net *sn, const bool *ftp, unsigned int n,
		     struct netlink_ext_ack *extack)
{
	unsigned int i, nftp = 0;
	int err = 0;

	lockdep_assert_held(&sn->lock);
	for (i = 0; i < n; i++)
		nftp += ftp[i];
	if (nftp)
		err = silk_ftp_hooks(sn, true);
	if (err) {
		NL_SET_ERR_MSG(extack, "cannot register the FTP reply hooks");
		return err;
	}
	err = silk_meter_hold(sn, extack);
	if (err) {
		if (!sn->group.nftp)
			silk_ftp_hooks(sn, false);
		return err;
	}
	sn->group.nftp += nftp;
	return 0;
}

void silk_output_init_group(struct silk_group *g)
{
	INIT_DELAYED_WORK(&g->pace, silk_output_round);
	g->t_pace = ktime_get_ns();
}

/* @g is published: its first round, or a round at once for a new rate. */
void silk_output_kick(struct silk_group *g)
{
	mod_delayed_work(system_wq, &g->pace, 0);
}

/* @g is unpublished: its connections get their own pacing back. */
void silk_output_stop(struct silk_net *sn, struct silk_group *g)
{
	u16 ports[SILK_GROUP_DYN_MAX];
	unsigned int i, n;

	lockdep_assert_held(&sn->lock);
	cancel_delayed_work_sync(&g->pace);
	spin_lock_irq(&g->lock);
	g->dead = true;
	n = g->ndyn;
	memcpy(ports, g->dyn, n * sizeof(*ports));
	while (g->ndyn)
		silk_output_dyn_del(g, 0);
	spin_unlock_irq(&g->lock);
	silk_output_share(sn, g->portnums, g->nports, 0, 0, 1, NULL);
	silk_output_share(sn, ports, n, 0, 0, 1, NULL);
	silk_meter_unhold(sn);
	for (i = 0; i < g->nports; i++)
		if (g->port[i].ftp && !--sn->group.nftp)
			silk_ftp_hooks(sn, false);
}

void silk_output_init(void)
{
	silk_sockev_register(&silk_output_sockev);
}
