/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Lazy receiver processing: whether a packet's socket can take it now; and
 * the socket lookup it shares with connection paths.
 */
#ifndef _SILK_LAZY_H
#define _SILK_LAZY_H

#include <linux/skbuff.h>

struct silk_flow;

unsigned int silk_lazy_take(struct net *net, struct sk_buff_head *q,
			    struct sk_buff_head *batch, unsigned int burst,
			    unsigned int *size);
struct sock *silk_listener(struct net *net, struct sk_buff *skb, int doff,
			   u8 family, const union nf_inet_addr *saddr,
			   __be16 sport, const union nf_inet_addr *daddr,
			   u16 hnum, int dif);
struct sock *silk_flow_listener(struct net *net, const struct silk_flow *f,
				int dif);

#endif /* _SILK_LAZY_H */
