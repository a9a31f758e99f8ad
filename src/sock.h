/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The stack's TCP listeners, as silk looks at them.
 */
#ifndef _SILK_SOCK_H
#define _SILK_SOCK_H

#include <linux/netfilter.h>
#include <linux/types.h>

struct net;
struct silk_flow;
struct sk_buff;
struct sock;

struct sock *silk_listener(struct net *net, struct sk_buff *skb, int doff,
			   u8 family, const union nf_inet_addr *saddr,
			   __be16 sport, const union nf_inet_addr *daddr,
			   u16 hnum, int dif);
struct sock *silk_flow_listener(struct net *net, const struct silk_flow *f,
				int dif);
int silk_listeners_each(struct net *net,
			int (*fn)(struct sock *sk, void *arg), void *arg);
void silk_listen_backlogs(struct net *net, u32 *waiting);
u32 silk_listen_backlog(struct net *net, u16 port);

#endif /* _SILK_SOCK_H */
