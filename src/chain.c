// SPDX-License-Identifier: GPL-2.0
/*
 * tcpchains rules: which listener a new TCP connection goes to.
 *
 * The fast path first: a PRE_ROUTING hook (after silk's own, so that a
 * SYN queued on a path is steered when its path's worker processes it)
 * looks at the TCP packets to ports that have a rule. Those of existing
 * connections get their socket, as the stack's early demux would give it
 * to them, so the lookup costs nothing. For a SYN it resolves the rule
 * chain and, if that ends on another port, assigns the SYN to that port's
 * listener, as TPROXY does: the listener makes a request socket for the connection's own
 * addresses and ports, and __inet_inherit_port() gives the child a bind
 * bucket of the incoming port. An ACK without a socket (a SYN cookie coming
 * back) takes the same way, which the hash of a PROB rule makes the same.
 *
 * Rules are kept in an immutable, sorted table per namespace; every change,
 * or a batch of them, builds a new table and publishes it under RCU, so the
 * hook never takes a lock and a batch is one transaction.
 */
#include <linux/siphash.h>
#include <linux/slab.h>
#include <linux/inetdevice.h>
#include <linux/tcp.h>
#include <net/inet6_hashtables.h>
#include <net/inet_hashtables.h>
#include <net/inet_timewait_sock.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/tcp.h>

#include "chain.h"
#include "flow.h"
#include "lazy.h"
#include "netns.h"
#include "silk.h"
#include "sock.h"

/* A chain longer than this is cut there; validation forbids loops. */
#define SILK_CHAIN_DEPTH	16

const struct silk_chain *silk_chain_find(const struct silk_chains *t,
					 u16 port)
{
	unsigned int lo = 0, hi = t->n;

	if (!test_bit(port, t->ports))
		return NULL;
	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;
		u16 p = t->rule[mid]->port;

		if (p == port)
			return t->rule[mid];
		if (p < port)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static bool silk_cond_addr_match(const struct silk_cond *c, u8 family,
				 const union nf_inet_addr *a)
{
	if (c->family != family)
		return false;
	if (family == AF_INET)
		return !((a->ip ^ c->addr.ip) & inet_make_mask(c->plen));
	return ipv6_prefix_equal(&a->in6, &c->addr.in6, c->plen);
}

/*
 * Byte pairs present in the data a content rule looks at, per CPU: most
 * strings a text does not hold lack a pair of it, and a few bit tests
 * are much cheaper than a search. Used with BHs off; cleared after use.
 * Allocated, not static: 8 KiB a CPU would take a module's whole static
 * per-CPU reserve, and ip_tables or kvm could then no longer load.
 */
#define SILK_PAIRS_BYTES	(BITS_TO_LONGS(65536) * sizeof(unsigned long))
static unsigned long __percpu *silk_pairs;

static void silk_pairs_mark(unsigned long *map, const u8 *data,
			    unsigned int len, bool set)
{
	unsigned int i;

	for (i = 0; i + 1 < len; i++) {
		u16 pair = data[i] << 8 | data[i + 1];

		if (set)
			__set_bit(pair, map);
		else
			__clear_bit(pair, map);
	}
}

static bool silk_pairs_may_hold(const unsigned long *map,
				const struct silk_cond *c)
{
	unsigned int i;

	for (i = 0; i < c->npairs; i++)
		if (!test_bit(c->pairs[i], map))
			return false;
	return true;
}

/*
 * The first condition of @r that holds, or -1. Content conditions look at
 * @data (BHs off); without data (at the SYN) none holds.
 */
int silk_chain_match(const struct silk_chain *r, u8 family,
		     const union nf_inet_addr *saddr, u32 hash,
		     const u8 *data, unsigned int len)
{
	unsigned int i, acc = 0, pick;
	unsigned long *map = NULL;
	struct ts_state ts;
	int found = -1;

	if (r->type == SILK_CHAIN_CONTENT) {
		if (!data)
			return -1;
		map = this_cpu_ptr(silk_pairs);
		silk_pairs_mark(map, data, len, true);
		for (i = 0; i < r->ncond && found < 0; i++) {
			const struct silk_cond *c = &r->cond[i];

			if (len >= c->len && silk_pairs_may_hold(map, c) &&
			    textsearch_find_continuous(c->ts, &ts, data, len) !=
			    UINT_MAX)
				found = i;
		}
		silk_pairs_mark(map, data, len, false);
		return found;
	}

	pick = reciprocal_scale(hash_32(hash ^ r->port, 32),
				SILK_CHAIN_WEIGHT_TOTAL);
	for (i = 0; i < r->ncond; i++) {
		const struct silk_cond *c = &r->cond[i];

		switch (r->type) {
		case SILK_CHAIN_ADDR:
			if (silk_cond_addr_match(c, family, saddr))
				return i;
			break;
		case SILK_CHAIN_PROB:
			acc += c->weight;
			if (pick < acc)
				return i;
			break;
		case SILK_CHAIN_CONTENT:
			break;
		}
	}
	return -1;
}

static u16 silk_chain_take(const struct silk_chain *r, int i, bool count)
{
	if (i < 0) {
		if (count)
			atomic64_inc(&r->hits->n);
		return r->out;
	}
	if (count)
		atomic64_inc(&r->cond[i].hits->n);
	return r->cond[i].out;
}

/**
 * silk_chain_resolve - follow the rules from @port to the final port
 * @t: the namespace's rules
 * @port: where to start
 * @skb: unused
 * @family: the connection's address family
 * @saddr: its source address
 * @hash: a hash of its addresses and ports, for PROB rules
 * @data: its first data, or NULL at the SYN: a content rule then ends the
 *	chain, since its own listener takes the connection
 * @len: bytes at @data
 * @count: count the hits
 */
u16 silk_chain_resolve(const struct silk_chains *t, u16 port,
		       const struct sk_buff *skb, u8 family,
		       const union nf_inet_addr *saddr, u32 hash,
		       const u8 *data, unsigned int len, bool count)
{
	const struct silk_chain *r;
	int depth;

	for (depth = 0; depth < SILK_CHAIN_DEPTH; depth++) {
		r = silk_chain_find(t, port);
		if (!r || (r->type == SILK_CHAIN_CONTENT && !data))
			break;
		port = silk_chain_take(r, silk_chain_match(r, family, saddr,
							   hash, data, len),
				       count);
	}
	return port;
}

struct silk_chain_pkt {
	u8 family;
	bool syn;
	union nf_inet_addr saddr, daddr;
	__be16 sport, dport;
	unsigned int doff;	/* end of the TCP header */
	const struct tcphdr *th;
};

static u32 silk_chain_hash(const struct silk_chain_ns *cn,
			   const struct silk_chain_pkt *k)
{
	struct {
		union nf_inet_addr s, d;
		__be16 sp, dp;
		u32 pad;
	} h = { .s = k->saddr, .d = k->daddr, .sp = k->sport, .dp = k->dport };

	return siphash(&h, sizeof(h), &cn->key);
}

/*
 * The same keyed hash for a connection a content rule's listener accepted
 * (@sk: the child). Nothing a peer can learn of (no kernel address) goes in.
 */
u32 silk_chain_sk_hash(const struct silk_chain_ns *cn, const struct sock *sk)
{
	struct silk_chain_pkt k = {
		.family = sk->sk_family,
		.sport = inet_sk(sk)->inet_dport,
		.dport = inet_sk(sk)->inet_sport,
	};

	if (sk->sk_family == AF_INET) {
		k.saddr.ip = inet_sk(sk)->inet_daddr;
		k.daddr.ip = inet_sk(sk)->inet_rcv_saddr;
	} else {
		k.saddr.in6 = sk->sk_v6_daddr;
		k.daddr.in6 = sk->sk_v6_rcv_saddr;
	}
	return silk_chain_hash(cn, &k);
}

/* The socket of the packet's connection, if any, in the incoming port. */
static struct sock *silk_chain_established(struct net *net,
					   const struct silk_chain_pkt *k,
					   int dif)
{
	struct inet_hashinfo *h = net->ipv4.tcp_death_row.hashinfo;

	if (k->family == AF_INET)
		return __inet_lookup_established(net, h, k->saddr.ip, k->sport,
						 k->daddr.ip, ntohs(k->dport),
						 dif, 0);
#if IS_ENABLED(CONFIG_IPV6)
	return __inet6_lookup_established(net, h, &k->saddr.in6, k->sport,
					  &k->daddr.in6, ntohs(k->dport),
					  dif, 0);
#else
	return NULL;
#endif
}

static struct sock *silk_chain_listener(struct net *net, struct sk_buff *skb,
					const struct silk_chain_pkt *k,
					u16 port, int dif)
{
	return silk_listener(net, skb, k->doff, k->family, &k->saddr, k->sport,
			     &k->daddr, port, dif);
}

/*
 * Give @skb the socket of its connection, as the stack's early demux
 * would (with the route the socket cached), so that looking it up here
 * costs the stack nothing.
 */
static void silk_chain_demux(struct net *net, struct sk_buff *skb,
			     struct sock *sk, u8 family)
{
	struct dst_entry *dst;

	if (!READ_ONCE(net->ipv4.sysctl_ip_early_demux)) {
		sock_gen_put(sk);
		return;
	}
	skb_orphan(skb);
	skb->sk = sk;
	skb->destructor = sock_edemux;
	if (!sk_fullsock(sk))
		return;
	dst = rcu_dereference(sk->sk_rx_dst);
	if (dst)
		dst = dst_check(dst, family == AF_INET ? 0 :
				READ_ONCE(sk->sk_rx_dst_cookie));
	if (dst && READ_ONCE(sk->sk_rx_dst_ifindex) == skb->skb_iif)
		skb_dst_set_noref(skb, dst);
}

/*
 * The TSval of @k's timestamp option, if it has one. Not
 * tcp_parse_options(): it reads the header in place at the transport
 * offset, which PRE_ROUTING promises neither linear nor, for IPv6 with
 * extension headers, set.
 */
static bool silk_chain_tsval(const struct sk_buff *skb,
			     const struct silk_chain_pkt *k, u32 *tsval)
{
	unsigned int len = __tcp_hdrlen(k->th) - sizeof(*k->th), i = 0;
	u8 buf[MAX_TCP_OPTION_SPACE];
	const u8 *o = NULL;

	/* The options end the TCP header, at k->doff. */
	if (len)
		o = skb_header_pointer(skb, k->doff - len, len, buf);
	while (o && i < len) {
		if (o[i] == TCPOPT_EOL)
			break;
		if (o[i] == TCPOPT_NOP) {
			i++;
			continue;
		}
		if (i + 1 >= len || o[i + 1] < 2 || o[i + 1] > len - i)
			break;
		if (o[i] == TCPOPT_TIMESTAMP && o[i + 1] == TCPOLEN_TIMESTAMP) {
			*tsval = get_unaligned_be32(o + i + 2);
			return true;
		}
		i += o[i + 1];
	}
	return false;
}

/*
 * Would the stack let the SYN @k reopen the connection in TIME_WAIT @tw
 * (tcp_timewait_state_process()'s TCP_TW_SYN)? Only then does silk end
 * @tw and steer the SYN: an old duplicate (sequence number not past the
 * old connection's, timestamp not newer, or rejected by PAWS) goes to
 * @tw, which answers it as without silk.
 */
static bool silk_chain_tw_reopens(const struct sk_buff *skb,
				  const struct silk_chain_pkt *k,
				  const struct inet_timewait_sock *tw)
{
	const struct tcp_timewait_sock *tcptw = tcp_twsk((struct sock *)tw);
	struct tcp_options_received o = {};

	if (tw->tw_substate != TCP_TIME_WAIT)
		return false;
	if (tcptw->tw_ts_recent_stamp && silk_chain_tsval(skb, k, &o.rcv_tsval)) {
		o.saw_tstamp = 1;
		o.ts_recent = tcptw->tw_ts_recent;
		o.ts_recent_stamp = tcptw->tw_ts_recent_stamp;
		if (tcp_paws_reject(&o, 0))
			return false;
		if ((s32)(tcptw->tw_ts_recent - o.rcv_tsval) < 0)
			return true;
	}
	return after(ntohl(k->th->seq), tcptw->tw_rcv_nxt);
}

static unsigned int silk_chain_steer(struct silk_net *sn, struct sk_buff *skb,
				     const struct silk_chain_pkt *k)
{
	struct silk_chain_ns *cn = &sn->chain;
	const struct silk_chains *t = rcu_dereference(cn->table);
	int dif = skb->dev->ifindex;
	u16 dport = ntohs(k->dport);
	const struct silk_chain *r;
	struct sock *sk;
	u16 port;

	if (!t || !test_bit(dport, t->ports))
		return NF_ACCEPT;
	/* Packets of existing connections go to them. */
	sk = silk_chain_established(sn->net, k, dif);
	if (sk) {
		/* A SYN may end a TIME_WAIT where the stack would let it. */
		if (!k->syn || sk->sk_state != TCP_TIME_WAIT ||
		    !silk_chain_tw_reopens(skb, k, inet_twsk(sk))) {
			silk_chain_demux(sn->net, skb, sk, k->family);
			return NF_ACCEPT;
		}
		inet_twsk_deschedule_put(inet_twsk(sk));
	}
	/*
	 * A SYN, or an ACK with no socket (a SYN cookie's, or junk, which
	 * goes where its SYN went).
	 */
	port = silk_chain_resolve(t, dport, skb, k->family, &k->saddr,
				  silk_chain_hash(cn, k), NULL, 0, k->syn);
	if (port == dport)
		return NF_ACCEPT;
	sk = silk_chain_listener(sn->net, skb, k, port, dif);
	if (!sk) {
		/* Nobody listens there: the incoming port's default. */
		r = silk_chain_find(t, dport);
		if (!r || r->out == port)
			return NF_ACCEPT;
		sk = silk_chain_listener(sn->net, skb, k, r->out, dif);
		if (!sk)
			return NF_ACCEPT;
	}
	if (!refcount_inc_not_zero(&sk->sk_refcnt))
		return NF_ACCEPT;
	skb_orphan(skb);
	skb->sk = sk;
	skb->destructor = sock_edemux;
	return NF_ACCEPT;
}

static bool silk_chain_th(struct sk_buff *skb, unsigned int thoff,
			  struct silk_chain_pkt *k, struct tcphdr *buf)
{
	const struct tcphdr *th;

	th = skb_header_pointer(skb, thoff, sizeof(*buf), buf);
	if (!th || th->rst)
		return false;
	/* SYN|FIN opens nothing: the stack drops it. */
	if (th->syn && !th->ack && !th->fin)
		k->syn = true;
	else if (th->syn || !th->ack)
		return false;
	k->sport = th->source;
	k->dport = th->dest;
	k->th = th;
	k->doff = thoff + __tcp_hdrlen(th);
	return true;
}

static unsigned int silk_chain_hook4(void *priv, struct sk_buff *skb,
				     const struct nf_hook_state *state)
{
	const struct iphdr *iph = ip_hdr(skb);
	struct silk_chain_pkt k = { .family = AF_INET };
	struct tcphdr buf;

	if (iph->protocol != IPPROTO_TCP || ip_is_fragment(iph) || skb->sk ||
	    !silk_chain_th(skb, ip_hdrlen(skb), &k, &buf))
		return NF_ACCEPT;
	k.saddr.ip = iph->saddr;
	k.daddr.ip = iph->daddr;
	return silk_chain_steer(priv, skb, &k);
}

#if IS_ENABLED(CONFIG_IPV6)
static unsigned int silk_chain_hook6(void *priv, struct sk_buff *skb,
				     const struct nf_hook_state *state)
{
	const struct ipv6hdr *ip6h = ipv6_hdr(skb);
	struct silk_chain_pkt k = { .family = AF_INET6 };
	struct tcphdr buf;
	__be16 frag_off;
	u8 nexthdr = ip6h->nexthdr;
	int thoff;

	if (skb->sk)
		return NF_ACCEPT;
	thoff = ipv6_skip_exthdr(skb, sizeof(*ip6h), &nexthdr, &frag_off);
	if (thoff < 0 || nexthdr != IPPROTO_TCP || (frag_off & htons(~0x7)) ||
	    !silk_chain_th(skb, thoff, &k, &buf))
		return NF_ACCEPT;
	k.saddr.in6 = ip6h->saddr;
	k.daddr.in6 = ip6h->daddr;
	return silk_chain_steer(priv, skb, &k);
}
#endif

/* Rule versions, tables and transactions. */

static struct silk_ctr *silk_ctr_new(void)
{
	struct silk_ctr *c = kzalloc(sizeof(*c), GFP_KERNEL_ACCOUNT);

	if (c)
		refcount_set(&c->ref, 1);
	return c;
}

static struct silk_ctr *silk_ctr_get(struct silk_ctr *c)
{
	refcount_inc(&c->ref);
	return c;
}

static void silk_ctr_put(struct silk_ctr *c)
{
	if (c && refcount_dec_and_test(&c->ref))
		kfree(c);
}

static void silk_chain_free(struct silk_chain *r)
{
	unsigned int i;

	for (i = 0; i < r->ncond; i++) {
		if (r->cond[i].ts)
			textsearch_destroy(r->cond[i].ts);
		kfree(r->cond[i].str);
		silk_ctr_put(r->cond[i].hits);
	}
	silk_ctr_put(r->hits);
	kfree(r);
}

static void silk_chain_put(struct silk_chain *r)
{
	if (refcount_dec_and_test(&r->ref))
		silk_chain_free(r);
}

static const char * const silk_chain_algo_name[] = {
	[SILK_CHAIN_ALGO_KMP] = "kmp",
	[SILK_CHAIN_ALGO_BM] = "bm",
};

static int silk_cond_prepare(struct silk_cond *c, u8 algo)
{
	struct ts_config *ts;
	unsigned int i, j, n = c->len - 1;

	/* Byte pairs spread over the string, for the filter. */
	c->npairs = 0;
	for (i = 0; i < SILK_COND_PAIRS && i < n; i++) {
		unsigned int at = n <= SILK_COND_PAIRS ? i :
				  i * (n - 1) / (SILK_COND_PAIRS - 1);
		u16 pair = c->str[at] << 8 | c->str[at + 1];

		for (j = 0; j < c->npairs && c->pairs[j] != pair; j++)
			;
		if (j == c->npairs)
			c->pairs[c->npairs++] = pair;
	}

	ts = textsearch_prepare(silk_chain_algo_name[algo], c->str, c->len,
				GFP_KERNEL_ACCOUNT, TS_AUTOLOAD);
	if (IS_ERR(ts))
		return PTR_ERR(ts);
	c->ts = ts;
	return 0;
}

/*
 * A new version of @old (or an empty rule) with room for @extra more
 * conditions; counters shared, content patterns compiled anew for @algo.
 */
static struct silk_chain *silk_chain_dup(const struct silk_chain *old,
					 unsigned int extra, u8 algo)
{
	unsigned int n = (old ? old->ncond : 0) + extra, i;
	struct silk_chain *r;

	r = kzalloc(struct_size(r, cond, n), GFP_KERNEL_ACCOUNT);
	if (!r)
		return NULL;
	refcount_set(&r->ref, 1);
	if (!old) {
		r->hits = silk_ctr_new();
		if (!r->hits) {
			kfree(r);
			return NULL;
		}
		return r;
	}
	r->port = old->port;
	r->out = old->out;
	r->type = old->type;
	r->algo = algo;
	r->max_bytes = old->max_bytes;
	r->timeout_ms = old->timeout_ms;
	r->srv = old->srv;
	r->hits = silk_ctr_get(old->hits);
	for (i = 0; i < old->ncond; i++) {
		struct silk_cond *c = &r->cond[i];

		*c = old->cond[i];
		c->ts = NULL;
		c->str = NULL;
		c->hits = silk_ctr_get(old->cond[i].hits);
		r->ncond++;
		if (old->type != SILK_CHAIN_CONTENT)
			continue;
		c->str = kmemdup(old->cond[i].str, c->len, GFP_KERNEL_ACCOUNT);
		if (!c->str || silk_cond_prepare(c, algo)) {
			silk_chain_free(r);
			return NULL;
		}
	}
	return r;
}

struct silk_chain_txn {
	struct silk_net *sn;
	struct silk_chains *t;
};

static void silk_chains_free(struct silk_chains *t)
{
	unsigned int i;

	if (!t)
		return;
	for (i = 0; i < t->n; i++)
		silk_chain_put(t->rule[i]);
	kvfree(t->rule);
	kvfree(t);
}

static void silk_chains_free_rcu(struct rcu_head *head)
{
	silk_chains_free(container_of(head, struct silk_chains, rcu));
}

static struct silk_chains *silk_chains_clone(const struct silk_chains *old)
{
	struct silk_chains *t;
	unsigned int i;

	t = kvzalloc(sizeof(*t), GFP_KERNEL_ACCOUNT);
	if (!t)
		return NULL;
	if (!old)
		return t;
	t->rule = kvmalloc_array(old->n ?: 1, sizeof(*t->rule), GFP_KERNEL_ACCOUNT);
	if (!t->rule) {
		kvfree(t);
		return NULL;
	}
	t->max = old->n ?: 1;
	for (i = 0; i < old->n; i++) {
		t->rule[i] = old->rule[i];
		refcount_inc(&t->rule[i]->ref);
	}
	t->n = old->n;
	bitmap_copy(t->ports, old->ports, 65536);
	return t;
}

/* Where the rule on @port is or would go in the sorted table. */
static unsigned int silk_chains_pos(const struct silk_chains *t, u16 port,
				    bool *found)
{
	unsigned int lo = 0, hi = t->n;

	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;

		if (t->rule[mid]->port < port)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < t->n && t->rule[lo]->port == port;
	return lo;
}

static int silk_chains_insert(struct silk_chains *t, struct silk_chain *r)
{
	bool found;
	unsigned int i = silk_chains_pos(t, r->port, &found);

	if (t->n == t->max) {
		unsigned int max = t->max ? t->max * 2 : 8;
		struct silk_chain **a;

		a = kvmalloc_array(max, sizeof(*a), GFP_KERNEL_ACCOUNT);
		if (!a)
			return -ENOMEM;
		if (t->n)
			memcpy(a, t->rule, t->n * sizeof(*a));
		kvfree(t->rule);
		t->rule = a;
		t->max = max;
	}
	memmove(&t->rule[i + 1], &t->rule[i], (t->n - i) * sizeof(*t->rule));
	t->rule[i] = r;
	t->n++;
	__set_bit(r->port, t->ports);
	return 0;
}

/* Swap the rule at its port for @r (a new version); drops the old one. */
static void silk_chains_swap(struct silk_chains *t, struct silk_chain *r)
{
	bool found;
	unsigned int i = silk_chains_pos(t, r->port, &found);

	silk_chain_put(t->rule[i]);
	t->rule[i] = r;
}

static void silk_chains_remove(struct silk_chains *t, unsigned int i)
{
	__clear_bit(t->rule[i]->port, t->ports);
	silk_chain_put(t->rule[i]);
	memmove(&t->rule[i], &t->rule[i + 1], (t->n - i - 1) * sizeof(*t->rule));
	t->n--;
}

static struct silk_chain *silk_txn_rule(struct silk_chain_txn *x,
					const struct silk_chain_op *op,
					struct netlink_ext_ack *extack)
{
	struct silk_chain *r;

	if (!op->has_port) {
		NL_SET_ERR_MSG(extack, "the rule needs an incoming port");
		return ERR_PTR(-EINVAL);
	}
	r = (struct silk_chain *)silk_chain_find(x->t, op->port);
	if (!r) {
		NL_SET_ERR_MSG(extack, "no rule on this port");
		return ERR_PTR(-ENOENT);
	}
	return r;
}

static int silk_txn_chain_new(struct silk_chain_txn *x,
			      const struct silk_chain_op *op,
			      struct netlink_ext_ack *extack)
{
	struct silk_chain *old, *r;
	unsigned int pos;
	bool found;
	u8 algo;
	int err;

	if (!op->has_type || !op->has_port || !op->has_out) {
		NL_SET_ERR_MSG(extack,
			       "a rule needs a type, an incoming port and a default outgoing port");
		return -EINVAL;
	}
	if (op->type != SILK_CHAIN_CONTENT &&
	    (op->has_max_bytes || op->has_timeout || op->has_algo)) {
		NL_SET_ERR_MSG(extack,
			       "only a content rule has a byte limit, a timeout or an algorithm");
		return -EINVAL;
	}
	/* Where the rule would go may be one past the last: read it if found. */
	pos = silk_chains_pos(x->t, op->port, &found);
	old = found ? x->t->rule[pos] : NULL;
	if (old && !op->replace) {
		NL_SET_ERR_MSG(extack,
			       "this port already has a rule: delete it, or replace it");
		return -EEXIST;
	}
	if (old && old->type != op->type) {
		NL_SET_ERR_MSG(extack,
			       "a rule keeps its type: delete it to change the type");
		return -EINVAL;
	}
	if (!old && x->t->n >= SILK_CHAIN_RULES_MAX) {
		NL_SET_ERR_MSG(extack, "too many rules in this namespace");
		return -ENOSPC;
	}
	algo = op->has_algo ? op->algo : old ? old->algo : SILK_CHAIN_ALGO_BM;
	r = silk_chain_dup(old, 0, algo);
	if (!r)
		return -ENOMEM;
	if (!old) {
		r->port = op->port;
		r->type = op->type;
		r->algo = algo;
		r->max_bytes = SILK_CHAIN_MAX_BYTES_DEFAULT;
		r->timeout_ms = SILK_CHAIN_TIMEOUT_MS_DEFAULT;
	}
	r->out = op->out;
	if (op->has_max_bytes)
		r->max_bytes = op->max_bytes;
	if (op->has_timeout)
		r->timeout_ms = op->timeout_ms;
	if (old) {
		silk_chains_swap(x->t, r);
		return 0;
	}
	err = silk_chains_insert(x->t, r);
	if (err)
		silk_chain_put(r);
	return err;
}

static int silk_txn_cond_parse(struct silk_cond *c, const struct silk_chain *r,
			       const struct silk_cond_cfg *cfg,
			       struct netlink_ext_ack *extack)
{
	if ((r->type != SILK_CHAIN_ADDR && (cfg->family || cfg->has_plen)) ||
	    (r->type != SILK_CHAIN_PROB && cfg->has_weight) ||
	    (r->type != SILK_CHAIN_CONTENT && cfg->str)) {
		NL_SET_ERR_MSG(extack,
			       "the condition does not fit the rule's type: address rules take a source prefix, content rules a string, probabilistic rules a weight");
		return -EINVAL;
	}
	switch (r->type) {
	case SILK_CHAIN_ADDR:
		if (!cfg->family) {
			NL_SET_ERR_MSG(extack,
				       "an address condition needs one source prefix, IPv4 or IPv6");
			return -EINVAL;
		}
		c->family = cfg->family;
		if (cfg->family == AF_INET) {
			c->plen = cfg->has_plen ? cfg->plen : 32;
			if (c->plen > 32) {
				NL_SET_ERR_MSG(extack,
					       "IPv4 prefix length is at most 32");
				return -EINVAL;
			}
			c->addr.ip = cfg->addr.ip & inet_make_mask(c->plen);
		} else {
			c->plen = cfg->has_plen ? cfg->plen : 128;
			ipv6_addr_prefix(&c->addr.in6, &cfg->addr.in6, c->plen);
		}
		break;
	case SILK_CHAIN_PROB:
		if (!cfg->has_weight) {
			NL_SET_ERR_MSG(extack,
				       "a probabilistic condition needs a weight out of 10000");
			return -EINVAL;
		}
		c->weight = cfg->weight;
		break;
	case SILK_CHAIN_CONTENT:
		if (!cfg->str) {
			NL_SET_ERR_MSG(extack, "a content condition needs a string");
			return -EINVAL;
		}
		c->len = cfg->len;
		c->str = kmemdup(cfg->str, c->len, GFP_KERNEL_ACCOUNT);
		if (!c->str)
			return -ENOMEM;
		if (silk_cond_prepare(c, r->algo)) {
			NL_SET_ERR_MSG(extack, "textsearch algorithm not available");
			return -ENOENT;
		}
		break;
	}
	return 0;
}

static int silk_txn_cond_new(struct silk_chain_txn *x,
			     const struct silk_chain_op *op,
			     struct netlink_ext_ack *extack)
{
	struct silk_chain *old, *r;
	unsigned int i, sum = 0;
	struct silk_cond *c;
	int err;

	old = silk_txn_rule(x, op, extack);
	if (IS_ERR(old))
		return PTR_ERR(old);
	if (!op->has_type || !op->has_cond) {
		NL_SET_ERR_MSG(extack,
			       "a condition needs the rule's type and an outgoing port");
		return -EINVAL;
	}
	if (op->type != old->type) {
		NL_SET_ERR_MSG(extack, "condition type differs from the rule's");
		return -EINVAL;
	}
	if (old->ncond >= SILK_CHAIN_CONDS_MAX) {
		NL_SET_ERR_MSG(extack, "too many conditions on this rule");
		return -ENOSPC;
	}
	r = silk_chain_dup(old, 1, old->algo);
	if (!r)
		return -ENOMEM;
	c = &r->cond[r->ncond];
	c->out = op->cond.out;
	err = silk_txn_cond_parse(c, r, &op->cond, extack);
	if (err)
		goto err;
	if (r->type == SILK_CHAIN_PROB) {
		/* A weight for a port that has one changes it. */
		for (i = 0; i < r->ncond; i++) {
			if (r->cond[i].out == c->out) {
				r->cond[i].weight = c->weight;
				c = NULL;
				break;
			}
		}
		for (i = 0; i < r->ncond; i++)
			sum += r->cond[i].weight;
		if (c)
			sum += c->weight;
		if (sum > SILK_CHAIN_WEIGHT_TOTAL) {
			NL_SET_ERR_MSG(extack,
				       "the weights of a rule add up to more than 10000");
			err = -ERANGE;
			goto err;
		}
	}
	if (c) {
		c->hits = silk_ctr_new();
		if (!c->hits) {
			err = -ENOMEM;
			goto err;
		}
		r->ncond++;
	}
	silk_chains_swap(x->t, r);
	return 0;
err:
	if (c && c->ts)
		textsearch_destroy(c->ts);
	if (c)
		kfree(c->str);
	silk_chain_free(r);
	return err;
}

static int silk_txn_chain_del(struct silk_chain_txn *x,
			      const struct silk_chain_op *op,
			      struct netlink_ext_ack *extack)
{
	struct silk_chain *old, *r;
	unsigned int i, j;
	bool found;

	old = silk_txn_rule(x, op, extack);
	if (IS_ERR(old))
		return PTR_ERR(old);
	if (!op->index) {
		silk_chains_remove(x->t, silk_chains_pos(x->t, old->port,
							 &found));
		return 0;
	}
	if (op->index > old->ncond) {
		NL_SET_ERR_MSG(extack, "the rule has no condition with this number");
		return -ENOENT;
	}
	r = silk_chain_dup(old, 0, old->algo);
	if (!r)
		return -ENOMEM;
	/* Drop the condition, keep the order of the others. */
	i = op->index - 1;
	if (r->cond[i].ts)
		textsearch_destroy(r->cond[i].ts);
	kfree(r->cond[i].str);
	silk_ctr_put(r->cond[i].hits);
	for (j = i; j + 1 < r->ncond; j++)
		r->cond[j] = r->cond[j + 1];
	r->ncond--;
	silk_chains_swap(x->t, r);
	return 0;
}

static int silk_txn_flush(struct silk_chain_txn *x)
{
	while (x->t->n)
		silk_chains_remove(x->t, x->t->n - 1);
	return 0;
}

struct silk_chains_frame {
	unsigned int rule;
	unsigned int edge;	/* next of the rule's ncond + 1 outgoing ports */
};

/*
 * Does a path through the rules' outgoing ports, starting at @root, come
 * back to a rule on it? Depth-first with an explicit stack: a chain can be
 * as long as the table (SILK_CHAIN_RULES_MAX rules), far too deep to
 * recurse on a kernel stack. @state: 0 unseen, 1 on the stack, 2 done.
 */
static bool silk_chains_loop(const struct silk_chains *t, unsigned int root,
			     u8 *state, struct silk_chains_frame *stack)
{
	unsigned int depth = 0;

	if (state[root])
		return false;
	stack[depth++] = (struct silk_chains_frame){ .rule = root };
	state[root] = 1;
	while (depth) {
		struct silk_chains_frame *f = &stack[depth - 1];
		const struct silk_chain *r = t->rule[f->rule];
		unsigned int j;
		bool found;
		u16 out;

		if (f->edge > r->ncond) {
			state[f->rule] = 2;
			depth--;
			continue;
		}
		out = f->edge < r->ncond ? r->cond[f->edge].out : r->out;
		f->edge++;
		j = silk_chains_pos(t, out, &found);
		if (!found || state[j] == 2)
			continue;
		if (state[j] == 1)
			return true;
		/* Each rule is on the stack at most once: depth < t->n. */
		state[j] = 1;
		stack[depth++] = (struct silk_chains_frame){ .rule = j };
	}
	return false;
}

static int silk_chains_check(const struct silk_chains *t,
			     struct netlink_ext_ack *extack)
{
	struct silk_chains_frame *stack;
	unsigned int i;
	int err = 0;
	u8 *state;

	if (!t->n)
		return 0;
	state = kvzalloc(t->n, GFP_KERNEL_ACCOUNT);
	stack = kvmalloc_array(t->n, sizeof(*stack), GFP_KERNEL_ACCOUNT);
	if (!state || !stack) {
		err = -ENOMEM;
		goto out;
	}
	for (i = 0; i < t->n; i++) {
		if (silk_chains_loop(t, i, state, stack)) {
			NL_SET_ERR_MSG(extack,
				       "rejected: the rules would forward connections in a loop");
			err = -ELOOP;
			break;
		}
	}
out:
	kvfree(stack);
	kvfree(state);
	return err;
}

static int silk_chain_hooks(struct silk_net *sn, bool on)
{
	struct silk_chain_ns *cn = &sn->chain;
	int err;

	if (on == cn->hooked)
		return 0;
	if (!on) {
		nf_unregister_net_hooks(sn->net, cn->ops, ARRAY_SIZE(cn->ops));
		cn->hooked = false;
		return 0;
	}
	cn->ops[0] = (struct nf_hook_ops) {
		.hook = silk_chain_hook4,
		.priv = sn,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = SILK_HOOK_PRIORITY + 1,
	};
#if IS_ENABLED(CONFIG_IPV6)
	cn->ops[1] = (struct nf_hook_ops) {
		.hook = silk_chain_hook6,
		.priv = sn,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = SILK_HOOK_PRIORITY + 1,
	};
#endif
	err = nf_register_net_hooks(sn->net, cn->ops, ARRAY_SIZE(cn->ops));
	cn->hooked = !err;
	return err;
}

/* Content rules get their port's listener; others drop theirs. */
static int silk_chains_srvs(struct silk_net *sn, struct silk_chains *t,
			    struct netlink_ext_ack *extack)
{
	struct silk_chain_srv *srv;
	unsigned int i;

	list_for_each_entry(srv, &sn->chain.srvs, node)
		srv->used = false;
	for (i = 0; i < t->n; i++) {
		struct silk_chain *r = t->rule[i];

		if (r->type != SILK_CHAIN_CONTENT)
			continue;
		if (!r->srv) {
			srv = silk_chain_srv_get(sn, r->port, extack);
			if (IS_ERR(srv))
				return PTR_ERR(srv);
			r->srv = srv;
		}
		r->srv->used = true;
		WRITE_ONCE(r->srv->timeout, msecs_to_jiffies(r->timeout_ms));
	}
	return 0;
}

static void silk_chains_srvs_gc(struct silk_net *sn)
{
	struct silk_chain_srv *srv, *tmp;
	LIST_HEAD(gone);

	list_for_each_entry_safe(srv, tmp, &sn->chain.srvs, node)
		if (!srv->used)
			list_move(&srv->node, &gone);
	if (list_empty(&gone))
		return;
	/* The hook and the works look srvs up in tables under RCU. */
	synchronize_rcu();
	list_for_each_entry_safe(srv, tmp, &gone, node) {
		list_del(&srv->node);
		silk_chain_srv_stop(srv);
	}
}

/**
 * silk_chain_apply - apply commands to a namespace's rules, all or none
 * @sn: the namespace
 * @ops: commands and their parsed attributes; the one that fails is marked
 * @nops: how many
 * @extack: why not
 */
int silk_chain_apply(struct silk_net *sn, struct silk_chain_op *ops,
		     unsigned int nops, struct netlink_ext_ack *extack)
{
	struct silk_chain_ns *cn = &sn->chain;
	struct silk_chains *old;
	struct silk_chain_txn x = { .sn = sn };
	unsigned int i;
	int err = 0;

	mutex_lock(&cn->lock);
	old = rcu_dereference_protected(cn->table, lockdep_is_held(&cn->lock));
	x.t = silk_chains_clone(old);
	if (!x.t) {
		err = -ENOMEM;
		goto out;
	}
	for (i = 0; i < nops && !err; i++) {
		switch (ops[i].cmd) {
		case SILK_CMD_CHAIN_NEW:
			err = silk_txn_chain_new(&x, &ops[i], extack);
			break;
		case SILK_CMD_COND_NEW:
			err = silk_txn_cond_new(&x, &ops[i], extack);
			break;
		case SILK_CMD_CHAIN_DEL:
			err = silk_txn_chain_del(&x, &ops[i], extack);
			break;
		case SILK_CMD_CHAIN_FLUSH:
			err = silk_txn_flush(&x);
			break;
		default:
			NL_SET_ERR_MSG(extack, "not a command that changes rules");
			err = -EOPNOTSUPP;
		}
		if (err)
			ops[i].failed = true;
	}
	if (!err)
		err = silk_chains_check(x.t, extack);
	if (!err)
		err = silk_chains_srvs(sn, x.t, extack);
	if (!err && x.t->n) {
		err = silk_chain_hooks(sn, true);
		if (err)
			NL_SET_ERR_MSG(extack, "cannot register the netfilter hooks");
	}
	if (err) {
		/* Listeners made for this change go again. */
		if (old)
			silk_chains_srvs(sn, old, NULL);
		if (!old || !old->n)
			silk_chain_hooks(sn, false);
		silk_chains_srvs_gc(sn);
		silk_chains_free(x.t);
		goto out;
	}
	rcu_assign_pointer(cn->table, x.t);
	if (!x.t->n)
		silk_chain_hooks(sn, false);
	if (old)
		call_rcu(&old->rcu, silk_chains_free_rcu);
	silk_chains_srvs_gc(sn);
out:
	mutex_unlock(&cn->lock);
	return err;
}

int silk_chain_init(void)
{
	silk_pairs = __alloc_percpu(SILK_PAIRS_BYTES, sizeof(unsigned long));
	return silk_pairs ? 0 : -ENOMEM;
}

void silk_chain_exit(void)
{
	free_percpu(silk_pairs);
}

void silk_chain_ns_init(struct silk_chain_ns *cn)
{
	mutex_init(&cn->lock);
	RCU_INIT_POINTER(cn->table, NULL);
	INIT_LIST_HEAD(&cn->srvs);
	get_random_bytes(&cn->key, sizeof(cn->key));
}

void silk_chain_ns_exit(struct silk_net *sn)
{
	struct silk_chain_ns *cn = &sn->chain;
	struct silk_chain_srv *srv;
	struct silk_chains *old;

	mutex_lock(&cn->lock);
	silk_chain_hooks(sn, false);
	old = rcu_dereference_protected(cn->table, lockdep_is_held(&cn->lock));
	RCU_INIT_POINTER(cn->table, NULL);
	synchronize_rcu();
	silk_chains_free(old);
	list_for_each_entry(srv, &cn->srvs, node)
		srv->used = false;
	silk_chains_srvs_gc(sn);
	mutex_unlock(&cn->lock);
}

#ifdef SILK_DEBUG
#include "selftest.h"
#include "selftest/chain.c"
#endif
