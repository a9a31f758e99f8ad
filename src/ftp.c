// SPDX-License-Identifier: GPL-2.0
/*
 * FTP data connections for output groups: when a port of an output group
 * serves FTP, the replies its control connections send to PASV (227) and
 * EPSV (229) name the port the server will accept the data connection on;
 * that port joins the group for a while, so the data connection shares the
 * group's bandwidth (Zhang et al., section 3). Only the first bytes of
 * segments leaving an FTP port are looked at, and only while some output
 * group has one.
 */
#include <linux/ctype.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/tcp.h>
#include <net/ipv6.h>

#include "group.h"
#include "netns.h"

/* "227 Entering Passive Mode (h1,h2,h3,h4,p1,p2)": the port, or 0. */
static u16 silk_ftp_227(const char *s, unsigned int len)
{
	unsigned int v[6] = {}, i = 0, k;

	/* The numbers start at the first digit after the code. */
	for (k = 4; k < len && !isdigit(s[k]); k++)
		;
	for (; k < len && i < 6; k++) {
		if (isdigit(s[k])) {
			v[i] = v[i] * 10 + s[k] - '0';
			if (v[i] > 255)
				return 0;
		} else if (s[k] == ',' && i < 5) {
			i++;
		} else {
			break;
		}
	}
	if (i != 5)
		return 0;
	return v[4] << 8 | v[5];
}

/* "229 Entering Extended Passive Mode (|||port|)": the port, or 0. */
static u16 silk_ftp_229(const char *s, unsigned int len)
{
	unsigned int k, port = 0;
	char d;

	for (k = 4; k < len && s[k] != '('; k++)
		;
	/* RFC 2428: three delimiters, the port, a delimiter. */
	if (k + 4 >= len)
		return 0;
	d = s[k + 1];
	if (s[k + 2] != d || s[k + 3] != d)
		return 0;
	for (k += 4; k < len && isdigit(s[k]); k++) {
		port = port * 10 + s[k] - '0';
		if (port > 65535)
			return 0;
	}
	return k < len && s[k] == d ? port : 0;
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
	if (!th || !silk_group_ftp_port(sn, ntohs(th->source)))
		return;
	off = thoff + __tcp_hdrlen(th);
	if (skb->len <= off + 4)
		return;
	len = min_t(unsigned int, skb->len - off, sizeof(buf));
	s = skb_header_pointer(skb, off, len, buf);
	if (!s)
		return;
	if (!memcmp(s, "227 ", 4))
		port = silk_ftp_227(s, len);
	else if (!memcmp(s, "229 ", 4))
		port = silk_ftp_229(s, len);
	if (port)
		silk_group_ftp_expect(sn, ntohs(th->source), port);
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
int silk_ftp_hooks(struct silk_net *sn, bool on)
{
	struct silk_group_ns *gn = &sn->group;
	int err;

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
