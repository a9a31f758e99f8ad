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
#include "flow.h"
#include "hook.h"
#include "netns.h"
#include "port.h"
#include "queue.h"
#include "silk.h"
#include "worker.h"

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
	if (skb_queue_len(&p->q) >= p->limit_pkts) {
		p->st.drop_limit_pkts++;
		goto drop;
	}
	if (p->qbytes + size > p->limit_bytes) {
		p->st.drop_limit_bytes++;
		goto drop;
	}
	share = silk_queued_ns_cap(sn);
	if (p->qbytes + size > share / 2) {
		p->st.drop_path_share++;
		atomic64_inc(&sn->cap_drops);
		goto drop;
	}
	switch (silk_queued_charge(sn, size, share)) {
	case SILK_CAP_OK:
		break;
	case SILK_CAP_NS:
		p->st.drop_cap_ns++;
		atomic64_inc(&sn->cap_drops);
		goto drop;
	case SILK_CAP_GLOBAL:
		p->st.drop_cap_global++;
		atomic64_inc(&sn->cap_drops);
		goto drop;
	}
	if ((skb_dst(skb) && !skb_dst_force(skb)) || !silk_skb_hold_sk(skb)) {
		silk_queued_uncharge(sn, size);
		p->st.drop_noref++;
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

	if (unlikely(READ_ONCE(p->conns)) && atomic_read(&sn->conn.n)) {
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
