// SPDX-License-Identifier: GPL-2.0
/*
 * What a path's queue holds and costs: the caps on queued memory, a path
 * object's life from its first reference to its last, and its queue's
 * statistics and clean-ups.
 */
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/slab.h>

#include "netns.h"
#include "queue.h"
#include "silk.h"

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
enum silk_cap silk_queued_charge(struct silk_net *sn, unsigned int size,
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
	return SILK_CAP_OK;

guests:
	atomic_long_sub(size, &silk_queued_guests);
ns:
	atomic_long_sub(size, &sn->queued_bytes);
	atomic_long_sub(size, &silk_queued_bytes);
	return SILK_CAP_NS;
global:
	atomic_long_sub(size, &silk_queued_bytes);
	return SILK_CAP_GLOBAL;
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

/* Count @p among its namespace's path objects until its last put. */
void silk_path_obj_add(struct silk_net *sn, struct silk_path *p)
{
	atomic_inc(&sn->nobjs);
	spin_lock_bh(&sn->objs_lock);
	list_add_tail_rcu(&p->obj_node, &sn->objs);
	spin_unlock_bh(&sn->objs_lock);
}

void silk_path_put(struct silk_path *p)
{
	struct silk_path *parent = p->parent;
	struct silk_net *sn = p->sn;

	if (!refcount_dec_and_test(&p->ref))
		return;
	WARN_ON_ONCE(!skb_queue_empty(&p->q));
	spin_lock_bh(&sn->objs_lock);
	list_del_rcu(&p->obj_node);
	spin_unlock_bh(&sn->objs_lock);
	kfree_rcu(p, rcu);
	if (atomic_dec_and_test(&sn->nobjs))
		wake_up(&sn->drained);
	/* A connection path keeps its listen path until it is gone. */
	if (parent)
		silk_path_put(parent);
}

void silk_path_stats_read(struct silk_path *p, struct silk_path_stats *st,
			  u32 *qlen, u32 *qbytes)
{
	spin_lock_bh(&p->q.lock);
	*st = p->st;
	*qlen = skb_queue_len(&p->q);
	*qbytes = p->qbytes;
	spin_unlock_bh(&p->q.lock);
}

/*
 * The device is being unregistered: its queued packets can no longer be
 * delivered, and they hold references that unregistration waits for.
 */
void silk_path_drop_dev(struct silk_path *p, const struct net_device *dev)
{
	struct sk_buff *skb, *tmp;
	struct sk_buff_head gone;
	unsigned int n = 0, size = 0;

	__skb_queue_head_init(&gone);
	spin_lock_bh(&p->q.lock);
	skb_queue_walk_safe(&p->q, skb, tmp) {
		if (skb->dev != dev)
			continue;
		__skb_unlink(skb, &p->q);
		__skb_queue_tail(&gone, skb);
		size += skb->truesize;
		n++;
	}
	p->qbytes -= size;
	p->st.devgone_pkts += n;
	spin_unlock_bh(&p->q.lock);

	if (size)
		silk_queued_uncharge(p->sn, size);
	while ((skb = __skb_dequeue(&gone))) {
		dev_put(skb->dev);
		kfree_skb_reason(skb, SKB_DROP_REASON_DEV_READY);
	}
}

/*
 * Module @mod is going (its exit has run; its code is still there): @p
 * forgets an okfn in it, so that its worker drops the packets that would
 * have continued there instead of calling freed code. Returns whether it
 * had one.
 */
bool silk_path_forget_module(struct silk_path *p, const struct module *mod)
{
	bool had = false;
	int fam;

	/*
	 * Without the lock first: no packet brings an okfn of @mod any more
	 * (its hooks are gone), and most paths never had one.
	 */
	for (fam = 0; fam < SILK_NFAM; fam++)
		had |= within_module((unsigned long)READ_ONCE(p->okfn[fam]), mod);
	if (!had)
		return false;
	spin_lock_bh(&p->q.lock);
	for (fam = 0; fam < SILK_NFAM; fam++)
		if (within_module((unsigned long)p->okfn[fam], mod))
			WRITE_ONCE(p->okfn[fam], NULL);
	spin_unlock_bh(&p->q.lock);
	return true;
}
