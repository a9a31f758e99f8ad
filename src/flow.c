// SPDX-License-Identifier: GPL-2.0
/*
 * The headers of a received packet that bindings match on, read once.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/skbuff.h>
#include <net/dsfield.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/tcp.h>

#include "flow.h"

bool silk_parse4(const struct sk_buff *skb, struct silk_flow *f)
{
	const struct iphdr *iph = ip_hdr(skb);
	__be16 _ports[2];
	const __be16 *ports;

	f->proto = iph->protocol;
	f->dscp = iph->tos >> 2;
	if (iph->protocol != IPPROTO_TCP && iph->protocol != IPPROTO_UDP)
		return false;
	/* A fragment here is one reassembly refused: leave it alone. */
	if (ip_is_fragment(iph))
		return false;
	ports = skb_header_pointer(skb, skb_network_offset(skb) + ip_hdrlen(skb),
				   sizeof(_ports), _ports);
	if (!ports)
		return false;
	f->family = AF_INET;
	f->sport = ports[0];
	f->dport = ports[1];
	f->thoff = skb_network_offset(skb) + ip_hdrlen(skb);
	f->saddr4 = iph->saddr;
	f->daddr4 = iph->daddr;
	return true;
}

bool silk_parse6(const struct sk_buff *skb, struct silk_flow *f)
{
	const struct ipv6hdr *ip6h = ipv6_hdr(skb);
	int off = skb_network_offset(skb) + sizeof(*ip6h);
	u8 nexthdr = ip6h->nexthdr;
	__be16 _ports[2];
	const __be16 *ports;
	__be16 frag_off;

	f->proto = nexthdr;
	f->dscp = ipv6_get_dsfield(ip6h) >> 2;
	if (nexthdr != IPPROTO_TCP && nexthdr != IPPROTO_UDP) {
		off = ipv6_skip_exthdr(skb, off, &nexthdr, &frag_off);
		if (off < 0 || (frag_off & htons(~0x7)))
			return false;
		f->proto = nexthdr;
		if (nexthdr != IPPROTO_TCP && nexthdr != IPPROTO_UDP)
			return false;
	}
	ports = skb_header_pointer(skb, off, sizeof(_ports), _ports);
	if (!ports)
		return false;
	f->family = AF_INET6;
	f->sport = ports[0];
	f->dport = ports[1];
	f->thoff = off;
	f->saddr6 = &ip6h->saddr;
	f->daddr6 = &ip6h->daddr;
	return true;
}

/* A TCP or UDP packet's flow, from its headers at PRE_ROUTING. */
bool silk_parse(const struct sk_buff *skb, struct silk_flow *f)
{
	if (ip_hdr(skb)->version == 6)
		return silk_parse6(skb, f);
	return silk_parse4(skb, f);
}
