/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The headers of a received packet that bindings match on.
 */
#ifndef _SILK_FLOW_H
#define _SILK_FLOW_H

#include <linux/in6.h>
#include <linux/netfilter.h>
#include <linux/types.h>

struct sk_buff;

/* The parsed headers of one packet; addresses point into the packet. */
struct silk_flow {
	u8 family;
	u8 proto;
	__be16 sport;
	__be16 dport;
	u16 thoff;		/* transport header offset */
	u8 dscp;
	union {
		struct {
			__be32 saddr4;
			__be32 daddr4;
		};
		struct {
			const struct in6_addr *saddr6;
			const struct in6_addr *daddr6;
		};
	};
};

/* A connection, as the connection table keys it; padding zeroed. */
struct silk_conn_key {
	union nf_inet_addr raddr;
	union nf_inet_addr laddr;
	__be16 rport;
	__be16 lport;
	u8 family;
	u8 pad[3];
};

bool silk_parse4(const struct sk_buff *skb, struct silk_flow *f);
bool silk_parse6(const struct sk_buff *skb, struct silk_flow *f);
bool silk_parse(const struct sk_buff *skb, struct silk_flow *f);

#endif /* _SILK_FLOW_H */
