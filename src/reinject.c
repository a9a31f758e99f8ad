// SPDX-License-Identifier: GPL-2.0
/*
 * Re-injection: a queued packet continues exactly where silk's hook stole
 * it. The worker runs the PRE_ROUTING hooks after silk's (the
 * br_nf_hook_thresh() pattern) and then the okfn the packet was headed for.
 */
#include <linux/ip.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/sched/clock.h>

#include "netns.h"
#include "reinject.h"
#include "silk.h"

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
