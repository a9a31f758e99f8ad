// SPDX-License-Identifier: GPL-2.0
/*
 * Early demultiplexing: a netfilter hook in IPv4 and IPv6 PRE_ROUTING,
 * after defragmentation and before the raw table and conntrack, that looks
 * each TCP/UDP packet's path up under RCU and either leaves the packet
 * alone, queues it on its path (NF_STOLEN) or drops it there because the
 * path is full (early drop).
 *
 * A queued packet later continues exactly where it left: the worker runs the
 * hooks after silk's (the br_nf_hook_thresh() pattern) and then the okfn the
 * packet was headed for. While it waits it holds what __nf_queue() holds for
 * a PRE_ROUTING packet: its input device and its dst; it has no socket and
 * no output device yet.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv6.h>
#include <linux/sched/clock.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/netfilter/ipv4/nf_defrag_ipv4.h>
#include <net/netfilter/ipv6/nf_defrag_ipv6.h>

#include "hook.h"
#include "netns.h"
#include "silk.h"
#include "worker.h"

static bool silk_parse4(const struct sk_buff *skb, struct silk_flow *f)
{
	const struct iphdr *iph = ip_hdr(skb);
	__be16 _ports[2];
	const __be16 *ports;

	if (iph->protocol != IPPROTO_TCP && iph->protocol != IPPROTO_UDP)
		return false;
	/* Defragmentation ran before us; a fragment here is not ours. */
	if (ip_is_fragment(iph))
		return false;
	ports = skb_header_pointer(skb, skb_network_offset(skb) + ip_hdrlen(skb),
				   sizeof(_ports), _ports);
	if (!ports)
		return false;
	f->family = AF_INET;
	f->proto = iph->protocol;
	f->sport = ports[0];
	f->dport = ports[1];
	f->saddr4 = iph->saddr;
	f->daddr4 = iph->daddr;
	return true;
}

static bool silk_parse6(const struct sk_buff *skb, struct silk_flow *f)
{
	const struct ipv6hdr *ip6h = ipv6_hdr(skb);
	int off = skb_network_offset(skb) + sizeof(*ip6h);
	u8 nexthdr = ip6h->nexthdr;
	__be16 _ports[2];
	const __be16 *ports;
	__be16 frag_off;

	if (nexthdr != IPPROTO_TCP && nexthdr != IPPROTO_UDP) {
		off = ipv6_skip_exthdr(skb, off, &nexthdr, &frag_off);
		if (off < 0 || (frag_off & htons(~0x7)))
			return false;
		if (nexthdr != IPPROTO_TCP && nexthdr != IPPROTO_UDP)
			return false;
	}
	ports = skb_header_pointer(skb, off, sizeof(_ports), _ports);
	if (!ports)
		return false;
	f->family = AF_INET6;
	f->proto = nexthdr;
	f->sport = ports[0];
	f->dport = ports[1];
	f->saddr6 = &ip6h->saddr;
	f->daddr6 = &ip6h->daddr;
	return true;
}

/* The highest global backlog seen, for checking the cap from outside. */
static void silk_note_peak(long total)
{
	long peak = atomic_long_read(&silk_queued_peak);

	while (total > peak &&
	       !atomic_long_try_cmpxchg(&silk_queued_peak, &peak, total))
		;
}

static unsigned int silk_enqueue(struct silk_net *sn, struct silk_path *p,
				 struct sk_buff *skb,
				 const struct nf_hook_state *state, int fam)
{
	unsigned int size = skb->truesize;
	bool kick = false;
	long total;
	int cpu = 0;

	/* Re-injection rebuilds exactly this state and nothing more. */
	if (unlikely(state->in != skb->dev || state->out || state->sk))
		return NF_ACCEPT;

	spin_lock_bh(&p->q.lock);
	if (unlikely(p->dead))
		goto pass;
	if (unlikely(p->okfn[fam] != state->okfn)) {
		if (!skb_queue_empty(&p->q)) {
			p->st.bypass_pkts++;
			goto pass;
		}
		p->okfn[fam] = state->okfn;
	}
	if (skb_queue_len(&p->q) >= p->limit_pkts ||
	    p->qbytes + size > p->limit_bytes)
		goto drop;
	total = atomic_long_add_return(size, &silk_queued_bytes);
	if (total > READ_ONCE(silk_max_queued_bytes)) {
		atomic_long_sub(size, &silk_queued_bytes);
		atomic64_inc(&sn->cap_drops);
		goto drop;
	}
	silk_note_peak(total);
	if (skb_dst(skb) && !skb_dst_force(skb)) {
		atomic_long_sub(size, &silk_queued_bytes);
		goto drop;
	}
	dev_hold(skb->dev);
	__skb_queue_tail(&p->q, skb);
	p->qbytes += size;
	if (skb_queue_len(&p->q) > p->st.qlen_peak)
		p->st.qlen_peak = skb_queue_len(&p->q);
	if (p->qbytes > p->st.qbytes_peak)
		p->st.qbytes_peak = p->qbytes;
	if (!p->scheduled) {
		/* The ready list's reference; the worker drops it. */
		p->scheduled = true;
		refcount_inc(&p->ref);
		cpu = READ_ONCE(p->cpu);
		kick = true;
	}
	spin_unlock_bh(&p->q.lock);
	if (kick)
		silk_worker_ready(sn->workers[cpu], p);
	return NF_STOLEN;

drop:
	p->st.dropped_pkts++;
	p->st.dropped_bytes += skb->len;
	spin_unlock_bh(&p->q.lock);
	return NF_DROP;
pass:
	spin_unlock_bh(&p->q.lock);
	return NF_ACCEPT;
}

static unsigned int silk_hook4(void *priv, struct sk_buff *skb,
			       const struct nf_hook_state *state)
{
	struct silk_path *p;
	struct silk_flow f;

	if (!silk_parse4(skb, &f))
		return NF_ACCEPT;
	p = silk_path_lookup(priv, &f);
	if (!p)
		return NF_ACCEPT;
	return silk_enqueue(priv, p, skb, state, SILK_V4);
}

static unsigned int silk_hook6(void *priv, struct sk_buff *skb,
			       const struct nf_hook_state *state)
{
	struct silk_path *p;
	struct silk_flow f;

	if (!silk_parse6(skb, &f))
		return NF_ACCEPT;
	p = silk_path_lookup(priv, &f);
	if (!p)
		return NF_ACCEPT;
	return silk_enqueue(priv, p, skb, state, SILK_V6);
}

/*
 * Index of the first hook that has not seen the packet yet: the one after
 * silk's own entry, or, once silk's hook is unregistered (draining at
 * teardown), the first one with a later priority.
 */
static unsigned int silk_hook_next(const struct nf_hook_entries *e,
				   const struct nf_hook_ops *self)
{
	struct nf_hook_ops **ops = nf_hook_entries_get_hook_ops(e);
	unsigned int i;

	for (i = 0; i < e->num_hook_entries; i++) {
		if (ops[i] == self)
			return i + 1;
		if (ops[i]->priority > SILK_HOOK_PRIORITY)
			break;
	}
	return i;
}

/**
 * silk_reinject - continue a queued packet where silk's hook stole it
 * @sn: the namespace the packet was received in
 * @skb: the packet, holding a reference on skb->dev
 * @okfn: where PRE_ROUTING hands the packet on
 * @cpu_ns: CPU time spent is added here
 *
 * Runs the remaining PRE_ROUTING hooks and then @okfn, with BHs disabled
 * and under RCU as in softirq. Drops the packet if its device is going
 * away. Returns true if the packet was handed on.
 */
bool silk_reinject(struct silk_net *sn, struct sk_buff *skb, silk_okfn_t okfn,
		   u64 *cpu_ns)
{
	struct net_device *dev = skb->dev;
	const struct nf_hook_entries *e;
	struct nf_hook_state state;
	const struct nf_hook_ops *self;
	bool delivered = false;
	u64 start;
	u8 pf;
	int ret;

	if (ip_hdr(skb)->version == 6) {
		pf = NFPROTO_IPV6;
		self = &sn->ops[SILK_V6];
	} else {
		pf = NFPROTO_IPV4;
		self = &sn->ops[SILK_V4];
	}

	local_bh_disable();
	start = local_clock();
	if (unlikely(READ_ONCE(dev->reg_state) != NETREG_REGISTERED || !okfn)) {
		kfree_skb_reason(skb, SKB_DROP_REASON_DEV_READY);
		goto out;
	}
	rcu_read_lock();
	if (pf == NFPROTO_IPV6)
		e = rcu_dereference(sn->net->nf.hooks_ipv6[NF_INET_PRE_ROUTING]);
	else
		e = rcu_dereference(sn->net->nf.hooks_ipv4[NF_INET_PRE_ROUTING]);
	nf_hook_state_init(&state, NF_INET_PRE_ROUTING, pf, dev, NULL, NULL,
			   sn->net, okfn);
	ret = e ? nf_hook_slow(skb, &state, e, silk_hook_next(e, self)) : 1;
	if (ret == 1)
		okfn(sn->net, NULL, skb);
	rcu_read_unlock();
	delivered = true;
out:
	*cpu_ns += local_clock() - start;
	local_bh_enable();
	dev_put(dev);
	return delivered;
}

int silk_hooks_register(struct silk_net *sn)
{
	struct net *net = sn->net;
	int err;

	sn->ops[SILK_V4] = (struct nf_hook_ops) {
		.hook = silk_hook4,
		.priv = sn,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = SILK_HOOK_PRIORITY,
	};
	sn->ops[SILK_V6] = (struct nf_hook_ops) {
		.hook = silk_hook6,
		.priv = sn,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = SILK_HOOK_PRIORITY,
	};

	/* Reassemble before us, so that every packet carries its ports. */
	err = nf_defrag_ipv4_enable(net);
	if (err)
		return err;
	err = nf_defrag_ipv6_enable(net);
	if (err)
		goto err_v4;
	err = nf_register_net_hooks(net, sn->ops, ARRAY_SIZE(sn->ops));
	if (err)
		goto err_v6;
	return 0;

err_v6:
	nf_defrag_ipv6_disable(net);
err_v4:
	nf_defrag_ipv4_disable(net);
	return err;
}

/* Returns once no CPU runs silk's hooks in this namespace any more. */
void silk_hooks_unregister(struct silk_net *sn)
{
	nf_unregister_net_hooks(sn->net, sn->ops, ARRAY_SIZE(sn->ops));
	nf_defrag_ipv6_disable(sn->net);
	nf_defrag_ipv4_disable(sn->net);
}
