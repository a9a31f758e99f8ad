// SPDX-License-Identifier: GPL-2.0
/*
 * Paths: the port table the hook looks packets up in, and the life of a
 * path from PATH_ADD to the moment its last queued packet is delivered.
 *
 * A path is referenced by its namespace's tables (from add to delete) and
 * by a worker while it is scheduled (from its first queued packet until its
 * queue runs empty). It is freed after an RCU grace period, because the hook
 * finds it under RCU.
 */
#include <linux/cpumask.h>
#include <linux/inetdevice.h>
#include <linux/jhash.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <net/ipv6.h>

#include "netns.h"
#include "path.h"
#include "silk.h"
#include "worker.h"

static const struct rhashtable_params silk_port_params = {
	.key_len = sizeof(u32),
	.key_offset = offsetof(struct silk_port, key),
	.head_offset = offsetof(struct silk_port, node),
	.automatic_shrinking = true,
};

static bool silk_binding_match(const struct silk_binding *b,
			       const struct silk_flow *f)
{
	if (b->family && b->family != f->family)
		return false;
	if (f->family == AF_INET) {
		if (b->has_laddr && b->laddr.ip != f->daddr4)
			return false;
		if (b->rplen &&
		    ((f->saddr4 ^ b->raddr.ip) & inet_make_mask(b->rplen)))
			return false;
	} else {
		if (b->has_laddr && !ipv6_addr_equal(&b->laddr.in6, f->daddr6))
			return false;
		if (b->rplen &&
		    !ipv6_prefix_equal(f->saddr6, &b->raddr.in6, b->rplen))
			return false;
	}
	return true;
}

/* Called by the hook under RCU. */
struct silk_path *silk_path_lookup(struct silk_net *sn,
				   const struct silk_flow *f)
{
	u32 key = silk_port_key(f->proto, f->dport);
	struct silk_port *port;
	struct silk_path *p;

	port = rhashtable_lookup(&sn->ports, &key, silk_port_params);
	if (!port)
		return NULL;
	list_for_each_entry_rcu(p, &port->paths, port_node)
		if (silk_binding_match(&p->b, f))
			return p;
	return NULL;
}

/* Order among paths of one port: more specific first. */
static unsigned int silk_binding_rank(const struct silk_binding *b)
{
	return (b->has_laddr ? 512 : 0) + b->rplen * 2 + (b->family ? 1 : 0);
}

static bool silk_binding_equal(const struct silk_binding *a,
			       const struct silk_binding *b)
{
	if (a->proto != b->proto || a->port != b->port ||
	    a->family != b->family || a->has_laddr != b->has_laddr ||
	    a->rplen != b->rplen)
		return false;
	if (a->has_laddr && !nf_inet_addr_cmp(&a->laddr, &b->laddr))
		return false;
	if (a->rplen && !nf_inet_addr_cmp(&a->raddr, &b->raddr))
		return false;
	return true;
}

struct silk_path *silk_path_find(struct silk_net *sn,
				 const struct silk_binding *b)
{
	u32 key = silk_port_key(b->proto, b->port);
	struct silk_port *port;
	struct silk_path *p;

	lockdep_assert_held(&sn->lock);
	port = rhashtable_lookup_fast(&sn->ports, &key, silk_port_params);
	if (!port)
		return NULL;
	list_for_each_entry(p, &port->paths, port_node)
		if (silk_binding_equal(&p->b, b))
			return p;
	return NULL;
}

static struct silk_port *silk_port_get(struct silk_net *sn, u32 key)
{
	struct silk_port *port;
	int err;

	port = rhashtable_lookup_fast(&sn->ports, &key, silk_port_params);
	if (port)
		return port;
	port = kzalloc(sizeof(*port), GFP_KERNEL);
	if (!port)
		return ERR_PTR(-ENOMEM);
	port->key = key;
	INIT_LIST_HEAD(&port->paths);
	err = rhashtable_insert_fast(&sn->ports, &port->node, silk_port_params);
	if (err) {
		kfree(port);
		return ERR_PTR(err);
	}
	return port;
}

static void silk_port_put(struct silk_net *sn, struct silk_port *port)
{
	if (!list_empty(&port->paths))
		return;
	rhashtable_remove_fast(&sn->ports, &port->node, silk_port_params);
	kfree_rcu(port, rcu);
}

/* Spread paths over the online CPUs unless told otherwise. */
static int silk_default_cpu(const struct silk_binding *b)
{
	u32 h = jhash_3words(b->proto, (__force u16)b->port, b->family, 0);

	return cpumask_nth(h % num_online_cpus(), cpu_online_mask);
}

struct silk_path *silk_path_add(struct silk_net *sn,
				const struct silk_path_cfg *cfg,
				struct netlink_ext_ack *extack)
{
	unsigned int rank = silk_binding_rank(&cfg->b);
	struct list_head *pos;
	struct silk_port *port;
	struct silk_path *p, *q;
	int err;

	lockdep_assert_held(&sn->lock);
	if (silk_path_find(sn, &cfg->b)) {
		NL_SET_ERR_MSG(extack, "a path with this binding already exists");
		return ERR_PTR(-EEXIST);
	}
	if (sn->npaths >= READ_ONCE(silk_max_paths)) {
		NL_SET_ERR_MSG(extack,
			       "too many paths in this namespace (module parameter max_paths)");
		return ERR_PTR(-ENOSPC);
	}

	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return ERR_PTR(-ENOMEM);
	skb_queue_head_init(&p->q);
	p->sn = sn;
	p->b = cfg->b;
	p->limit_pkts = cfg->set_limit_pkts ? cfg->limit_pkts :
					      SILK_LIMIT_PKTS_DEFAULT;
	p->limit_bytes = cfg->set_limit_bytes ? cfg->limit_bytes :
						SILK_LIMIT_BYTES_DEFAULT;
	p->prio = cfg->set_prio ? cfg->prio : SILK_PRIO_DEFAULT;
	p->cpu = cfg->set_cpu ? cfg->cpu : silk_default_cpu(&cfg->b);
	if (cfg->set_name)
		strscpy(p->name, cfg->name, sizeof(p->name));
	INIT_LIST_HEAD(&p->ready_node);
	refcount_set(&p->ref, 1);

	err = idr_alloc_cyclic(&sn->ids, p, 1, INT_MAX, GFP_KERNEL);
	if (err < 0)
		goto err_free;
	p->id = err;

	if (!sn->active) {
		err = silk_net_activate(sn, extack);
		if (err)
			goto err_id;
	}
	err = silk_worker_start(sn, p->cpu);
	if (err) {
		NL_SET_ERR_MSG(extack, "cannot start the worker for this CPU");
		goto err_idle;
	}
	port = silk_port_get(sn, silk_port_key(p->b.proto, p->b.port));
	if (IS_ERR(port)) {
		err = PTR_ERR(port);
		goto err_idle;
	}

	/* Visible to the hook from here on. */
	pos = &port->paths;
	list_for_each_entry(q, &port->paths, port_node) {
		if (silk_binding_rank(&q->b) < rank) {
			pos = &q->port_node;
			break;
		}
	}
	atomic_inc(&sn->nobjs);
	list_add_tail_rcu(&p->port_node, pos);
	list_add_tail_rcu(&p->net_node, &sn->paths);
	sn->npaths++;
	return p;

err_idle:
	if (!sn->npaths)
		silk_net_deactivate(sn);
err_id:
	idr_remove(&sn->ids, p->id);
err_free:
	kfree(p);
	return ERR_PTR(err);
}

int silk_path_change(struct silk_net *sn, struct silk_path *p,
		     const struct silk_path_cfg *cfg,
		     struct netlink_ext_ack *extack)
{
	int err;

	lockdep_assert_held(&sn->lock);
	if (cfg->set_cpu) {
		err = silk_worker_start(sn, cfg->cpu);
		if (err) {
			NL_SET_ERR_MSG(extack, "cannot start the worker for this CPU");
			return err;
		}
		/* Its current worker hands it over once it is idle there. */
		WRITE_ONCE(p->cpu, cfg->cpu);
	}
	if (cfg->set_prio)
		WRITE_ONCE(p->prio, cfg->prio);
	if (cfg->set_limit_pkts || cfg->set_limit_bytes) {
		spin_lock_bh(&p->q.lock);
		if (cfg->set_limit_pkts)
			p->limit_pkts = cfg->limit_pkts;
		if (cfg->set_limit_bytes)
			p->limit_bytes = cfg->limit_bytes;
		spin_unlock_bh(&p->q.lock);
	}
	if (cfg->set_name)
		strscpy(p->name, cfg->name, sizeof(p->name));
	return 0;
}

void silk_path_put(struct silk_path *p)
{
	struct silk_net *sn = p->sn;

	if (!refcount_dec_and_test(&p->ref))
		return;
	WARN_ON_ONCE(!skb_queue_empty(&p->q));
	kfree_rcu(p, rcu);
	if (atomic_dec_and_test(&sn->nobjs))
		wake_up(&sn->drained);
}

/*
 * Unlink a path and stop admitting packets to it. What it has queued is
 * still delivered by its worker, which then drops the last reference.
 */
void silk_path_del(struct silk_net *sn, struct silk_path *p)
{
	struct silk_port *port;
	u32 key = silk_port_key(p->b.proto, p->b.port);

	lockdep_assert_held(&sn->lock);
	port = rhashtable_lookup_fast(&sn->ports, &key, silk_port_params);
	list_del_rcu(&p->port_node);
	if (!WARN_ON_ONCE(!port))
		silk_port_put(sn, port);
	list_del_rcu(&p->net_node);
	idr_remove(&sn->ids, p->id);

	spin_lock_bh(&p->q.lock);
	p->dead = true;
	spin_unlock_bh(&p->q.lock);
	silk_path_put(p);

	/* The last path: unhook and let the workers drain and exit. */
	if (!--sn->npaths)
		silk_net_deactivate(sn);
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
unsigned int silk_path_drop_dev(struct silk_path *p,
				const struct net_device *dev)
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
		atomic_long_sub(size, &silk_queued_bytes);
	while ((skb = __skb_dequeue(&gone))) {
		dev_put(skb->dev);
		kfree_skb_reason(skb, SKB_DROP_REASON_DEV_READY);
	}
	return n;
}

int silk_ports_init(struct silk_net *sn)
{
	return rhashtable_init(&sn->ports, &silk_port_params);
}

void silk_ports_destroy(struct silk_net *sn)
{
	rhashtable_destroy(&sn->ports);
}
