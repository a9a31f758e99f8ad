// SPDX-License-Identifier: GPL-2.0
/*
 * The stack's TCP listeners, as silk looks at them: which one a flow's SYN
 * reaches, every one of a namespace, and what waits in their accept queues.
 */
#include <net/inet6_hashtables.h>
#include <net/inet_hashtables.h>
#include <net/sock.h>

#include "flow.h"
#include "sock.h"

/**
 * silk_listener - the TCP listener a SYN from @saddr:@sport to
 *	@daddr:@hnum would reach
 * @net: the namespace
 * @skb: the SYN, for a reuseport group's BPF (data at @doff), or NULL
 * @doff: where the SYN's payload starts in @skb
 * @family: AF_INET or AF_INET6
 * @saddr: source address
 * @sport: source port
 * @daddr: destination address
 * @hnum: destination port, host order
 * @dif: the input device's ifindex, or 0
 *
 * Called under RCU: listeners are RCU-freed; no reference is taken.
 */
struct sock *silk_listener(struct net *net, struct sk_buff *skb, int doff,
			   u8 family, const union nf_inet_addr *saddr,
			   __be16 sport, const union nf_inet_addr *daddr,
			   u16 hnum, int dif)
{
	struct inet_hashinfo *hinfo = net->ipv4.tcp_death_row.hashinfo;

	if (family == AF_INET)
		return __inet_lookup_listener(net, hinfo, skb, doff, saddr->ip,
					      sport, daddr->ip, hnum, dif, 0);
#if IS_ENABLED(CONFIG_IPV6)
	return inet6_lookup_listener(net, hinfo, skb, doff, &saddr->in6, sport,
				     &daddr->in6, hnum, dif, 0);
#else
	return NULL;
#endif
}

/* The TCP listener a flow's SYN would reach; under RCU. */
struct sock *silk_flow_listener(struct net *net, const struct silk_flow *f,
				int dif)
{
	union nf_inet_addr s = {}, d = {};

	/* No skb: a reuseport group's BPF would read it at the wrong offset. */
	if (f->family == AF_INET) {
		s.ip = f->saddr4;
		d.ip = f->daddr4;
	} else {
		s.in6 = *f->saddr6;
		d.in6 = *f->daddr6;
	}
	return silk_listener(net, NULL, 0, f->family, &s, f->sport, &d,
			     ntohs(f->dport), dif);
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
 * silk_listen_backlogs - the TCP ports @net listens on
 * @net: the namespace
 * @waiting: SILK_NPORTS counters, zeroed; for each port something listens
 *	on, set to 1 + the connections waiting in its listeners' accept queues
 */
void silk_listen_backlogs(struct net *net, u32 *waiting)
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
u32 silk_listen_backlog(struct net *net, u16 port)
{
	struct silk_waiting w = { .port = port };

	silk_listeners_each(net, silk_listener_waiting, &w);
	return w.n;
}
