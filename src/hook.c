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
#include <linux/timekeeping.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/ipv6_frag.h>
#include <net/netfilter/ipv6/nf_defrag_ipv6.h>

#include "conn.h"
#include "hook.h"
#include "netns.h"
#include "silk.h"
#include "worker.h"

static bool silk_parse4(const struct sk_buff *skb, struct silk_flow *f)
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

static bool silk_parse6(const struct sk_buff *skb, struct silk_flow *f)
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

/* The highest global backlog seen, for checking the cap from outside. */
static void silk_note_peak(long total)
{
	long peak = atomic_long_read(&silk_queued_peak);

	while (total > peak &&
	       !atomic_long_try_cmpxchg(&silk_queued_peak, &peak, total))
		;
}

/*
 * Memory queued packets hold (skb truesize), bounded three ways: all
 * namespaces together by max_queued_bytes; a namespace other than the
 * initial one by its share of it (ns_queued_share percent), and all of
 * those together by the rest, so that no container can make another's
 * paths, or the host's, drop; and a path by half its namespace's bound,
 * so that one reader that never reads leaves its namespace's other paths
 * room.
 */
static atomic_long_t silk_queued_guests = ATOMIC_LONG_INIT(0);

unsigned long silk_queued_ns_cap(const struct silk_net *sn)
{
	unsigned long cap = READ_ONCE(silk_max_queued_bytes);

	if (net_eq(sn->net, &init_net))
		return cap;
	return mult_frac(cap, READ_ONCE(silk_ns_queued_share), 100);
}

/* @share: silk_queued_ns_cap(sn), which the caller has at hand. */
static bool silk_queued_charge(struct silk_net *sn, unsigned int size,
			       unsigned long share)
{
	unsigned long cap = READ_ONCE(silk_max_queued_bytes);
	long total;

	total = atomic_long_add_return(size, &silk_queued_bytes);
	if ((unsigned long)total > cap)
		goto global;
	if (!net_eq(sn->net, &init_net)) {
		if ((unsigned long)atomic_long_add_return(size, &sn->queued_bytes) >
		    share)
			goto ns;
		/* The initial namespace keeps a share for itself. */
		if ((unsigned long)atomic_long_add_return(size, &silk_queued_guests) >
		    cap - min(share, cap / 2))
			goto guests;
	} else {
		atomic_long_add(size, &sn->queued_bytes);
	}
	silk_note_peak(total);
	return true;

guests:
	atomic_long_sub(size, &silk_queued_guests);
ns:
	atomic_long_sub(size, &sn->queued_bytes);
global:
	atomic_long_sub(size, &silk_queued_bytes);
	return false;
}

/* Bytes taken off a queue and put back: they were within the caps. */
void silk_queued_recharge(struct silk_net *sn, unsigned int size)
{
	if (!net_eq(sn->net, &init_net))
		atomic_long_add(size, &silk_queued_guests);
	atomic_long_add(size, &sn->queued_bytes);
	atomic_long_add(size, &silk_queued_bytes);
}

void silk_queued_uncharge(struct silk_net *sn, unsigned int size)
{
	if (!net_eq(sn->net, &init_net))
		atomic_long_sub(size, &silk_queued_guests);
	atomic_long_sub(size, &sn->queued_bytes);
	atomic_long_sub(size, &silk_queued_bytes);
}

/*
 * A socket that a TC BPF program gave @skb (bpf_sk_assign) holds no
 * reference: take one while the packet waits, as __nf_queue() does.
 */
static bool silk_skb_hold_sk(struct sk_buff *skb)
{
	struct sock *sk = skb->sk;

	if (!skb_sk_is_prefetched(skb) || sk_is_refcounted(sk))
		return true;
	if (!refcount_inc_not_zero(&sk->sk_refcnt))
		return false;
	/* skb_orphan() puts it. */
	skb->destructor = sock_edemux;
	return true;
}

/*
 * Queue @skb on @p. @conn: a connection path whose packets still go to
 * its listen path @p; it then waits for this packet too.
 */
static unsigned int silk_enqueue(struct silk_net *sn, struct silk_path *p,
				 struct sk_buff *skb,
				 const struct nf_hook_state *state, int fam,
				 struct silk_path *conn)
{
	unsigned int size = skb->truesize;
	struct silk_worker *w;
	unsigned long share;
	bool kick = false;
	int cpu = 0;
	u64 seq;

	BUILD_BUG_ON(sizeof(struct inet_skb_parm) > SILK_CB_SEQ_OFF);
	BUILD_BUG_ON(sizeof(struct inet6_skb_parm) > SILK_CB_SEQ_OFF);

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
		WRITE_ONCE(p->okfn[fam], state->okfn);
	}
	if (!conn && !p->scheduled && skb_queue_empty(&p->q)) {
		w = sn->workers[silk_path_cpu(p)];
		if (silk_worker_direct_may(w, p)) {
			/* Owned as a worker owns it: later packets queue. */
			p->scheduled = true;
			refcount_inc(&p->ref);
			seq = ++p->enq_seq;
			spin_unlock_bh(&p->q.lock);
			dev_hold(skb->dev);
			silk_worker_direct(w, p, skb, state->okfn, seq);
			return NF_STOLEN;
		}
	}
	if (skb_queue_len(&p->q) >= p->limit_pkts ||
	    p->qbytes + size > p->limit_bytes)
		goto drop;
	share = silk_queued_ns_cap(sn);
	if (p->qbytes + size > share / 2 ||
	    !silk_queued_charge(sn, size, share)) {
		atomic64_inc(&sn->cap_drops);
		goto drop;
	}
	if ((skb_dst(skb) && !skb_dst_force(skb)) || !silk_skb_hold_sk(skb)) {
		silk_queued_uncharge(sn, size);
		goto drop;
	}
	dev_hold(skb->dev);
	*silk_skb_enq_ns(skb) = ktime_get_ns();
	*silk_skb_seq(skb) = ++p->enq_seq;
	if (conn)
		WRITE_ONCE(conn->barrier, p->enq_seq);
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
		cpu = silk_path_cpu(p);
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

/*
 * A packet that matched path @p; if @p is a listen path and the packet's
 * connection has a path, it goes there once the listen path has processed
 * the connection's earlier packets.
 */
static unsigned int silk_enqueue_flow(struct silk_net *sn,
				      struct silk_path *p,
				      const struct silk_flow *f,
				      struct sk_buff *skb,
				      const struct nf_hook_state *state,
				      int fam)
{
	struct silk_path *c = NULL;

	if (unlikely(READ_ONCE(p->conns)) && atomic_read(&sn->nconns)) {
		c = silk_conn_lookup(sn, f);
		/* Pairs with the worker's release after each packet. */
		if (c && READ_ONCE(c->barrier) <= smp_load_acquire(&p->done_seq))
			return silk_enqueue(sn, c, skb, state, fam, NULL);
	}
	return silk_enqueue(sn, p, skb, state, fam, c);
}

/*
 * Reassemble here rather than by enabling nf_defrag's own hooks: that
 * would cost every packet one more hook call, and fragments are rare. The
 * defrag user is conntrack's, so that with conntrack loaded (whose defrag
 * hook runs before silk's) both share one set of queues.
 */
static int silk_defrag4(struct net *net, struct sk_buff *skb)
{
	int err;

	local_bh_disable();
	err = ip_defrag(net, skb, IP_DEFRAG_CONNTRACK_IN);
	local_bh_enable();
	if (!err)
		skb->ignore_df = 1;
	return err;
}

/*
 * A VRF device's second PRE_ROUTING pass (vrf_ip_rcv(), vrf_ip6_rcv()):
 * silk saw the packet on the enslaved device already, and this pass's okfn
 * only frees it.
 */
static bool silk_hook_skip(const struct nf_hook_state *state)
{
	return netif_is_l3_master(state->in);
}

static unsigned int silk_hook4(void *priv, struct sk_buff *skb,
			       const struct nf_hook_state *state)
{
	struct silk_path *p;
	struct silk_flow f;

	if (unlikely(silk_hook_skip(state)))
		return NF_ACCEPT;
	if (unlikely(ip_is_fragment(ip_hdr(skb))) &&
	    silk_defrag4(state->net, skb))
		return NF_STOLEN;
	p = silk_parse4(skb, &f) ? silk_path_lookup(priv, &f) : NULL;
	if (p)
		return silk_enqueue_flow(priv, p, &f, skb, state, SILK_V4);
	p = silk_dflt_lookup(priv, skb, f.proto);
	if (!p)
		return NF_ACCEPT;
	return silk_enqueue(priv, p, skb, state, SILK_V4, NULL);
}

static unsigned int silk_hook6(void *priv, struct sk_buff *skb,
			       const struct nf_hook_state *state)
{
	struct silk_path *p;
	struct silk_flow f;
	int err;

	if (unlikely(silk_hook_skip(state)))
		return NF_ACCEPT;
	/* Only a packet with extension headers can be a fragment. */
	if (unlikely(ipv6_hdr(skb)->nexthdr != IPPROTO_TCP &&
		     ipv6_hdr(skb)->nexthdr != IPPROTO_UDP)) {
		err = nf_ct_frag6_gather(state->net, skb,
					 IP6_DEFRAG_CONNTRACK_IN);
		if (err == -EINPROGRESS)
			return NF_STOLEN;
		if (err)	/* as nf_defrag_ipv6 does */
			return NF_DROP;
	}
	p = silk_parse6(skb, &f) ? silk_path_lookup(priv, &f) : NULL;
	if (p)
		return silk_enqueue_flow(priv, p, &f, skb, state, SILK_V6);
	p = silk_dflt_lookup(priv, skb, f.proto);
	if (!p)
		return NF_ACCEPT;
	return silk_enqueue(priv, p, skb, state, SILK_V6, NULL);
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

/*
 * Bumped when a path forgot an okfn because its module went: a worker that
 * read the okfn before then drops the packets it still has for it.
 */
static atomic_t silk_okfn_epoch = ATOMIC_INIT(0);

unsigned int silk_okfn_epoch_read(void)
{
	return atomic_read(&silk_okfn_epoch);
}

/*
 * Paths have forgotten okfns (silk_path_forget_module()): once this
 * returns, no worker calls one any more.
 */
void silk_reinject_fence(void)
{
	atomic_inc(&silk_okfn_epoch);
	/* Re-injections run with BHs off: readers of the old epoch. */
	synchronize_rcu();
}

/**
 * silk_reinject - continue a queued packet where silk's hook stole it
 * @sn: the namespace the packet was received in
 * @skb: the packet, holding a reference on skb->dev
 * @okfn: where PRE_ROUTING hands the packet on
 * @epoch: silk_okfn_epoch_read() when @okfn was read from the path
 * @cost_ns: set to the CPU time spent on the packet
 *
 * The cost is a sched_clock() difference: on one CPU, with BHs off, it is
 * exact, and it costs no clocksource read (an HPET read, where the TSC is
 * not trusted, costs more than a small packet's whole way in a VM). Not
 * local_clock(): where the TSC is not stable, that one is held within a
 * tick of the clocksource, and packets timed at a tick's end cost nothing
 * (an EDF path got 0.30 of the CPU for a budget of 0.20).
 * Runs the remaining PRE_ROUTING hooks and then @okfn, with BHs disabled
 * and under RCU as in softirq. Drops the packet if its device is going
 * away, or @okfn's module. Returns true if the packet was handed on.
 */
bool silk_reinject(struct silk_net *sn, struct sk_buff *skb, silk_okfn_t okfn,
		   unsigned int epoch, u64 *cost_ns)
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
	start = sched_clock();
	if (unlikely(READ_ONCE(dev->reg_state) != NETREG_REGISTERED || !okfn ||
		     atomic_read(&silk_okfn_epoch) != epoch)) {
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
	*cost_ns = sched_clock() - start;
	local_bh_enable();
	dev_put(dev);
	return delivered;
}

int silk_hooks_register(struct silk_net *sn)
{
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

	return nf_register_net_hooks(sn->net, sn->ops, ARRAY_SIZE(sn->ops));
}

/* Returns once no CPU runs silk's hooks in this namespace any more. */
void silk_hooks_unregister(struct silk_net *sn)
{
	nf_unregister_net_hooks(sn->net, sn->ops, ARRAY_SIZE(sn->ops));
}
