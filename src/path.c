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
#include <linux/bitmap.h>
#include <linux/cpumask.h>
#include <linux/inetdevice.h>
#include <linux/jhash.h>
#include <linux/module.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <net/ipv6.h>

#include "conn.h"
#include "hook.h"
#include "mirror.h"
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
	if (b->has_dscp && b->dscp != f->dscp)
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
	unsigned long *dports = rcu_dereference(sn->dports);
	struct silk_port *port;
	struct silk_path *p;

	if (!dports || !test_bit(be16_to_cpu(f->dport), dports))
		return NULL;
	port = rhashtable_lookup(&sn->ports, &key, silk_port_params);
	if (!port)
		return NULL;
	list_for_each_entry_rcu(p, &port->paths, port_node)
		if (silk_binding_match(&p->b, f))
			return p;
	return NULL;
}

/*
 * Takeover: where a packet no path binds goes, if its namespace has a
 * default path for its protocol. Loopback traffic is left alone: it was
 * processed once already on its way out.
 */
struct silk_path *silk_dflt_lookup(struct silk_net *sn,
				   const struct sk_buff *skb, u8 proto)
{
	if (!READ_ONCE(sn->ndflt) || (skb->dev->flags & IFF_LOOPBACK))
		return NULL;
	return rcu_dereference(sn->dflt[silk_dflt_index(proto)]);
}

/*
 * Mirroring gives tasks realtime priorities, a machine-wide resource: it
 * needs CAP_SYS_NICE in the initial user namespace, as sched_setattr()
 * does, on top of the CAP_NET_ADMIN that changing paths needs.
 */
static int silk_mirror_on(struct silk_net *sn, struct netlink_ext_ack *extack)
{
	int err;

	if (!capable(CAP_SYS_NICE)) {
		NL_SET_ERR_MSG(extack, "mirroring needs CAP_SYS_NICE");
		return -EPERM;
	}
	err = silk_mirror_get(extack);
	if (err)
		return err;
	sn->nmirror++;
	return 0;
}

/* Whose tasks @p's mirroring may raise; the mirror lock's readers race. */
static void silk_mirror_owner_set(struct silk_path *p,
				  const struct silk_path_cfg *cfg)
{
	WRITE_ONCE(p->mirror_uid, cfg->mirror_uid);
	WRITE_ONCE(p->mirror_gid, cfg->mirror_gid);
}

static void silk_mirror_off(struct silk_net *sn, struct silk_path *p)
{
	silk_mirror_set(p, false);
	silk_conns_mirror(sn, p, false);
	sn->nmirror--;
	silk_mirror_put();
}

/* Order among paths of one port: more specific first. */
static unsigned int silk_binding_rank(const struct silk_binding *b)
{
	return (b->has_laddr ? 1024 : 0) + (b->has_dscp ? 512 : 0) +
	       b->rplen * 2 + (b->family ? 1 : 0);
}

static bool silk_binding_equal(const struct silk_binding *a,
			       const struct silk_binding *b)
{
	if (a->dflt != b->dflt)
		return false;
	if (a->proto != b->proto || a->port != b->port ||
	    a->family != b->family || a->has_laddr != b->has_laddr ||
	    a->rplen != b->rplen || a->has_dscp != b->has_dscp ||
	    a->dscp != b->dscp)
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
	if (b->dflt)
		return rcu_dereference_protected(sn->dflt[silk_dflt_index(b->proto)],
						 lockdep_is_held(&sn->lock));
	port = rhashtable_lookup_fast(&sn->ports, &key, silk_port_params);
	if (!port)
		return NULL;
	list_for_each_entry(p, &port->paths, port_node)
		if (silk_binding_equal(&p->b, b))
			return p;
	return NULL;
}

static unsigned long *silk_dports(struct silk_net *sn)
{
	return rcu_dereference_protected(sn->dports, lockdep_is_held(&sn->lock));
}

static struct silk_port *silk_port_get(struct silk_net *sn, u8 proto,
				       __be16 dport)
{
	u32 key = silk_port_key(proto, dport);
	struct silk_port *port;
	unsigned long *dports;
	int err;

	port = rhashtable_lookup_fast(&sn->ports, &key, silk_port_params);
	if (port)
		return port;
	dports = silk_dports(sn);
	if (!dports) {
		dports = bitmap_zalloc(SILK_NPORTS, GFP_KERNEL_ACCOUNT);
		if (!dports)
			return ERR_PTR(-ENOMEM);
		rcu_assign_pointer(sn->dports, dports);
	}
	port = kzalloc(sizeof(*port), GFP_KERNEL_ACCOUNT);
	if (!port)
		return ERR_PTR(-ENOMEM);
	port->key = key;
	INIT_LIST_HEAD(&port->paths);
	err = rhashtable_insert_fast(&sn->ports, &port->node, silk_port_params);
	if (err) {
		kfree(port);
		return ERR_PTR(err);
	}
	set_bit(be16_to_cpu(dport), dports);
	return port;
}

static void silk_port_put(struct silk_net *sn, struct silk_port *port)
{
	u8 other = (port->key >> 16) == IPPROTO_TCP ? IPPROTO_UDP : IPPROTO_TCP;
	__be16 dport = (__force __be16)(u16)port->key;
	u32 key = silk_port_key(other, dport);

	if (!list_empty(&port->paths))
		return;
	rhashtable_remove_fast(&sn->ports, &port->node, silk_port_params);
	kfree_rcu(port, rcu);
	if (!rhashtable_lookup_fast(&sn->ports, &key, silk_port_params))
		clear_bit(be16_to_cpu(dport), silk_dports(sn));
}

/* Spread paths over the online CPUs unless told otherwise. */
static int silk_default_cpu(const struct silk_binding *b)
{
	u32 h = jhash_3words(b->proto, (__force u16)b->port, b->family, 0);
	unsigned int cpu = cpumask_nth(h % num_online_cpus(), cpu_online_mask);

	/* A CPU went offline between the count and the walk. */
	if (cpu >= nr_cpu_ids)
		cpu = cpumask_first(cpu_online_mask);
	return cpu;
}

/* A path's class and its parameters. */
struct silk_sched {
	u8 class;
	u32 weight;
	u64 deadline_ns;
	u64 runtime_ns;
	u64 period_ns;
};

static void silk_sched_get(const struct silk_path *p, struct silk_sched *s)
{
	s->class = p->class;
	s->weight = p->weight;
	s->deadline_ns = p->deadline_ns;
	s->runtime_ns = p->runtime_ns;
	s->period_ns = p->period_ns;
}

/*
 * Apply a request's class and class parameters to @s, the path's current
 * ones, and check the result. The policy has checked each value's range.
 */
static int silk_sched_apply(struct silk_sched *s,
			    const struct silk_path_cfg *cfg,
			    struct netlink_ext_ack *extack)
{
	if (cfg->set_class && cfg->class != s->class) {
		s->class = cfg->class;
		s->weight = SILK_WEIGHT_DEFAULT;
		s->deadline_ns = 0;
		s->runtime_ns = 0;
		s->period_ns = 0;
	}
	if (cfg->set_weight) {
		if (s->class != SILK_CLASS_WFQ) {
			NL_SET_ERR_MSG(extack, "weight applies to WFQ paths only");
			return -EINVAL;
		}
		s->weight = cfg->weight;
	}
	if (cfg->set_deadline || cfg->set_runtime || cfg->set_period) {
		if (s->class != SILK_CLASS_EDF) {
			NL_SET_ERR_MSG(extack,
				       "deadline, runtime and period apply to EDF paths only");
			return -EINVAL;
		}
		if (cfg->set_deadline)
			s->deadline_ns = (u64)cfg->deadline_us * NSEC_PER_USEC;
		if (cfg->set_runtime)
			s->runtime_ns = (u64)cfg->runtime_us * NSEC_PER_USEC;
		if (cfg->set_period)
			s->period_ns = (u64)cfg->period_us * NSEC_PER_USEC;
	}
	if (s->class != SILK_CLASS_EDF)
		return 0;
	if (!s->deadline_ns || !s->runtime_ns) {
		NL_SET_ERR_MSG(extack, "an EDF path needs a deadline and a runtime");
		return -EINVAL;
	}
	if (!s->period_ns)
		s->period_ns = s->deadline_ns;
	if (s->runtime_ns > s->deadline_ns || s->deadline_ns > s->period_ns) {
		NL_SET_ERR_MSG(extack,
			       "EDF needs runtime <= deadline <= period");
		return -EINVAL;
	}
	return 0;
}

static void silk_sched_set(struct silk_path *p, const struct silk_sched *s)
{
	WRITE_ONCE(p->weight, s->weight);
	WRITE_ONCE(p->deadline_ns, s->deadline_ns);
	WRITE_ONCE(p->runtime_ns, s->runtime_ns);
	WRITE_ONCE(p->period_ns, s->period_ns);
	/* Takes effect the next time the path is made ready. */
	WRITE_ONCE(p->class, s->class);
}

/*
 * A listen path's connection paths follow its class, parameters and
 * priority; tasks mirroring any of them take the new attributes.
 */
static void silk_conns_follow(struct silk_net *sn, struct silk_path *p,
			      const struct silk_sched *s)
{
	struct silk_path *c;

	silk_mirror_changed(p);
	spin_lock_bh(&sn->conn_lock);
	list_for_each_entry(c, &p->conn_list, conn_node) {
		silk_sched_set(c, s);
		WRITE_ONCE(c->prio, READ_ONCE(p->prio));
		silk_mirror_changed(c);
	}
	spin_unlock_bh(&sn->conn_lock);
}

/* Turn connection paths on for listen path @p. */
static int silk_conns_on(struct silk_net *sn, struct silk_path *p,
			 struct netlink_ext_ack *extack)
{
	int cpu, err;

	lockdep_assert_held(&sn->lock);
	if (p->conns)
		return 0;
	if (p->b.proto != IPPROTO_TCP || p->b.dflt) {
		NL_SET_ERR_MSG(extack, "connection paths need a TCP port path");
		return -EINVAL;
	}
	/* Placement may choose any online CPU, from softirq context. */
	for_each_online_cpu(cpu) {
		err = silk_worker_start(sn, cpu, extack);
		if (err)
			return err;
	}
	err = silk_conn_tp_get(extack);
	if (err)
		return err;
	spin_lock_bh(&sn->conn_lock);
	p->conns = true;
	spin_unlock_bh(&sn->conn_lock);
	WRITE_ONCE(sn->nconnports, sn->nconnports + 1);
	sn->conns_used = true;
	return 0;
}

static void silk_conns_off(struct silk_net *sn, struct silk_path *p)
{
	lockdep_assert_held(&sn->lock);
	if (!p->conns)
		return;
	spin_lock_bh(&sn->conn_lock);
	p->conns = false;
	spin_unlock_bh(&sn->conn_lock);
	silk_conns_flush(sn, p);
	WRITE_ONCE(sn->nconnports, sn->nconnports - 1);
	silk_conn_tp_put();
}

/*
 * Socket options' paths. Any user may make one for a socket it owns (within
 * unpriv_max_*), so what they can cost is bounded: per namespace
 * (max_sock_paths), per user (max_sock_paths_per_user) and per port (the
 * hook walks a port's paths for each packet), and none counts against the
 * administrator's max_paths. Each holds its socket and goes within a
 * second of the socket's close.
 */
#define SILK_PORT_OWNED_MAX	8

static int silk_owned_room(struct silk_net *sn, const struct silk_path_cfg *cfg)
{
	unsigned int user = 0, port = 0;
	struct silk_path *p;

	lockdep_assert_held(&sn->lock);
	if (sn->nowned >= READ_ONCE(silk_max_sock_paths))
		return -ENOSPC;
	list_for_each_entry(p, &sn->owned, owned_node) {
		if (uid_eq(p->owner_uid, cfg->owner_uid))
			user++;
		if (p->b.proto == cfg->b.proto && p->b.port == cfg->b.port)
			port++;
	}
	if (user >= READ_ONCE(silk_max_sock_paths_per_user))
		return -EDQUOT;
	return port >= SILK_PORT_OWNED_MAX ? -ENOSPC : 0;
}

static void silk_owned_add(struct silk_net *sn, struct silk_path *p,
			   const struct silk_path_cfg *cfg)
{
	sock_hold(cfg->owner);
	p->owner = cfg->owner;
	p->owner_uid = cfg->owner_uid;
	list_add_tail(&p->owned_node, &sn->owned);
	if (!sn->nowned++)
		schedule_delayed_work(&sn->owned_gc, HZ);
}

/* Once a second while there are any: the paths of closed sockets go. */
static void silk_owned_gc(struct work_struct *work)
{
	struct silk_net *sn = container_of(to_delayed_work(work),
					   struct silk_net, owned_gc);
	struct silk_path *p, *tmp;

	mutex_lock(&sn->lock);
	list_for_each_entry_safe(p, tmp, &sn->owned, owned_node)
		if (sock_flag(p->owner, SOCK_DEAD))
			silk_path_del(sn, p);
	if (sn->nowned)
		schedule_delayed_work(&sn->owned_gc, HZ);
	mutex_unlock(&sn->lock);
}

void silk_owned_init(struct silk_net *sn)
{
	INIT_LIST_HEAD(&sn->owned);
	INIT_DELAYED_WORK(&sn->owned_gc, silk_owned_gc);
}

struct silk_path *silk_path_add(struct silk_net *sn,
				const struct silk_path_cfg *cfg,
				struct netlink_ext_ack *extack)
{
	unsigned int rank = silk_binding_rank(&cfg->b);
	struct silk_sched sched = { .weight = SILK_WEIGHT_DEFAULT };
	struct list_head *pos;
	struct silk_port *port;
	struct silk_path *p, *q;
	int err;

	lockdep_assert_held(&sn->lock);
	err = silk_sched_apply(&sched, cfg, extack);
	if (err)
		return ERR_PTR(err);
	if (silk_path_find(sn, &cfg->b)) {
		NL_SET_ERR_MSG(extack, "a path with this binding already exists");
		return ERR_PTR(-EEXIST);
	}
	if (cfg->owner) {
		err = silk_owned_room(sn, cfg);
		if (err)
			return ERR_PTR(err);
	} else if (sn->npaths - sn->nowned >= READ_ONCE(silk_max_paths)) {
		NL_SET_ERR_MSG(extack,
			       "too many paths in this namespace (module parameter max_paths)");
		return ERR_PTR(-ENOSPC);
	}

	p = kzalloc(sizeof(*p), GFP_KERNEL_ACCOUNT);
	if (!p)
		return ERR_PTR(-ENOMEM);
	skb_queue_head_init(&p->q);
	INIT_LIST_HEAD(&p->conn_list);
	INIT_LIST_HEAD(&p->mholds);
	p->sn = sn;
	p->b = cfg->b;
	p->lazy = cfg->set_lazy && cfg->lazy;
	p->limit_pkts = cfg->set_limit_pkts ? cfg->limit_pkts :
					      SILK_LIMIT_PKTS_DEFAULT;
	p->limit_bytes = cfg->set_limit_bytes ? cfg->limit_bytes :
						SILK_LIMIT_BYTES_DEFAULT;
	p->prio = cfg->set_prio ? cfg->prio : SILK_PRIO_DEFAULT;
	p->cpu = cfg->set_cpu ? cfg->cpu : silk_default_cpu(&cfg->b);
	silk_sched_set(p, &sched);
	if (cfg->set_name)
		strscpy(p->name, cfg->name, sizeof(p->name));
	refcount_set(&p->ref, 1);

	err = idr_alloc_cyclic(&sn->ids, p, 1, INT_MAX, GFP_KERNEL_ACCOUNT);
	if (err < 0)
		goto err_free;
	p->id = err;

	if (!sn->active) {
		err = silk_net_activate(sn, extack);
		if (err)
			goto err_id;
	}
	err = silk_worker_start(sn, p->cpu, extack);
	if (err)
		goto err_idle;
	if (cfg->set_conns && cfg->conns) {
		err = silk_conns_on(sn, p, extack);
		if (err)
			goto err_idle;
	}
	if (cfg->set_mirror && cfg->mirror) {
		err = silk_mirror_on(sn, extack);
		if (err) {
			silk_conns_off(sn, p);
			goto err_idle;
		}
		p->mirror = true;
		silk_mirror_owner_set(p, cfg);
	}
	if (p->b.dflt) {
		silk_path_obj_add(sn, p);
		rcu_assign_pointer(sn->dflt[silk_dflt_index(p->b.proto)], p);
		WRITE_ONCE(sn->ndflt, sn->ndflt + 1);
		list_add_tail_rcu(&p->net_node, &sn->paths);
		sn->npaths++;
		return p;
	}
	port = silk_port_get(sn, p->b.proto, p->b.port);
	if (IS_ERR(port)) {
		err = PTR_ERR(port);
		if (p->mirror)
			silk_mirror_off(sn, p);
		silk_conns_off(sn, p);
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
	silk_path_obj_add(sn, p);
	list_add_tail_rcu(&p->port_node, pos);
	list_add_tail_rcu(&p->net_node, &sn->paths);
	sn->npaths++;
	if (cfg->owner)
		silk_owned_add(sn, p, cfg);
	if (p->mirror)
		silk_mirror_adopt(p);
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
	struct silk_sched sched;
	int err;

	lockdep_assert_held(&sn->lock);
	silk_sched_get(p, &sched);
	err = silk_sched_apply(&sched, cfg, extack);
	if (err)
		return err;
	/* First what can fail, so that a refused change changes nothing. */
	if (cfg->set_mirror && cfg->mirror && !p->mirror) {
		err = silk_mirror_on(sn, extack);
		if (err)
			return err;
	}
	if (cfg->set_cpu) {
		err = silk_worker_start(sn, cfg->cpu, extack);
		if (err)
			goto err_mirror;
		/* Its current worker hands it over once it is idle there. */
		smp_store_release(&p->cpu, cfg->cpu);
	}
	if (cfg->set_prio)
		WRITE_ONCE(p->prio, cfg->prio);
	if (cfg->set_lazy)
		WRITE_ONCE(p->lazy, cfg->lazy);
	if (cfg->set_conns && cfg->conns) {
		err = silk_conns_on(sn, p, extack);
		if (err)
			goto err_mirror;
	} else if (cfg->set_conns) {
		silk_conns_off(sn, p);
	}
	silk_sched_set(p, &sched);
	if (cfg->set_class || cfg->set_weight || cfg->set_deadline ||
	    cfg->set_runtime || cfg->set_period || cfg->set_prio)
		silk_conns_follow(sn, p, &sched);
	if (cfg->set_mirror && cfg->mirror &&
	    (cfg->set_mirror_owner || !p->mirror))
		silk_mirror_owner_set(p, cfg);
	if (cfg->set_mirror && cfg->mirror != p->mirror) {
		if (cfg->mirror) {
			silk_mirror_set(p, true);
			silk_conns_mirror(sn, p, true);
			silk_mirror_adopt(p);
		} else {
			silk_mirror_off(sn, p);
		}
	}
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

err_mirror:
	if (cfg->set_mirror && cfg->mirror && !p->mirror) {
		sn->nmirror--;
		silk_mirror_put();
	}
	return err;
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

/*
 * Unlink a path and stop admitting packets to it. What it has queued is
 * still delivered by its worker, which then drops the last reference.
 */
void silk_path_del(struct silk_net *sn, struct silk_path *p)
{
	struct silk_port *port;
	u32 key = silk_port_key(p->b.proto, p->b.port);

	lockdep_assert_held(&sn->lock);
	if (p->mirror)
		silk_mirror_off(sn, p);
	silk_conns_off(sn, p);
	if (p->b.dflt) {
		RCU_INIT_POINTER(sn->dflt[silk_dflt_index(p->b.proto)], NULL);
		WRITE_ONCE(sn->ndflt, sn->ndflt - 1);
	} else {
		port = rhashtable_lookup_fast(&sn->ports, &key,
					      silk_port_params);
		list_del_rcu(&p->port_node);
		if (!WARN_ON_ONCE(!port))
			silk_port_put(sn, port);
	}
	list_del_rcu(&p->net_node);
	idr_remove(&sn->ids, p->id);
	if (p->owner) {
		list_del(&p->owned_node);
		sn->nowned--;
		sock_put(p->owner);
		p->owner = NULL;
	}

	silk_path_kill(p);
	silk_path_put(p);

	/* The last path: unhook and let the workers drain and exit. */
	if (!--sn->npaths)
		silk_net_deactivate(sn);
}

/*
 * @p takes no more packets and delivers what it holds at once: a worker
 * that holds it throttled or parked is told (silk_workers_path_dead()).
 */
void silk_path_kill(struct silk_path *p)
{
	spin_lock_bh(&p->q.lock);
	p->dead = true;
	spin_unlock_bh(&p->q.lock);
	silk_workers_path_dead(p->sn, p);
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

int silk_ports_init(struct silk_net *sn)
{
	return rhashtable_init(&sn->ports, &silk_port_params);
}

void silk_ports_destroy(struct silk_net *sn)
{
	rhashtable_destroy(&sn->ports);
	/* The hooks are gone: nobody reads the bitmap any more. */
	bitmap_free(rcu_dereference_protected(sn->dports, true));
}
