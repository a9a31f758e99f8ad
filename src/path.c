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
#include "port.h"
#include "queue.h"
#include "silk.h"
#include "worker.h"

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
	spin_lock_bh(&sn->conn.lock);
	list_for_each_entry(c, &p->conn_list, conn_node) {
		silk_sched_set(c, s);
		WRITE_ONCE(c->prio, READ_ONCE(p->prio));
		silk_mirror_changed(c);
	}
	spin_unlock_bh(&sn->conn.lock);
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
	err = silk_conns_get(extack);
	if (err)
		return err;
	spin_lock_bh(&sn->conn.lock);
	p->conns = true;
	spin_unlock_bh(&sn->conn.lock);
	WRITE_ONCE(sn->conn.nports, sn->conn.nports + 1);
	sn->conn.used = true;
	return 0;
}

static void silk_conns_off(struct silk_net *sn, struct silk_path *p)
{
	lockdep_assert_held(&sn->lock);
	if (!p->conns)
		return;
	spin_lock_bh(&sn->conn.lock);
	p->conns = false;
	spin_unlock_bh(&sn->conn.lock);
	silk_conns_flush(sn, p);
	WRITE_ONCE(sn->conn.nports, sn->conn.nports - 1);
	silk_conns_put();
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

/* The first path hooks the namespace in; workers start per path. */
static int silk_net_activate(struct silk_net *sn,
			     struct netlink_ext_ack *extack)
{
	int err;

	lockdep_assert_held(&sn->lock);
	err = silk_hooks_register(sn);
	if (err) {
		NL_SET_ERR_MSG(extack, "cannot register the netfilter hooks");
		return err;
	}
	sn->active = true;
	return 0;
}

static void silk_net_deactivate(struct silk_net *sn)
{
	lockdep_assert_held(&sn->lock);
	if (!sn->active)
		return;
	/* No new packets; then wait for the queued ones to be delivered. */
	silk_hooks_unregister(sn);
	wait_event(sn->drained, !atomic_read(&sn->nobjs));
	silk_workers_stop(sn);
	sn->active = false;
}

struct silk_path *silk_path_add(struct silk_net *sn,
				const struct silk_path_cfg *cfg,
				struct netlink_ext_ack *extack)
{
	struct silk_sched sched = { .weight = SILK_WEIGHT_DEFAULT };
	struct silk_port *port;
	struct silk_path *p;
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
	silk_path_obj_add(sn, p);
	/* Visible to the hook from here on. */
	silk_port_link(port, p);
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

/*
 * Unlink a path and stop admitting packets to it. What it has queued is
 * still delivered by its worker, which then drops the last reference.
 */
void silk_path_del(struct silk_net *sn, struct silk_path *p)
{
	lockdep_assert_held(&sn->lock);
	if (p->mirror)
		silk_mirror_off(sn, p);
	silk_conns_off(sn, p);
	if (p->b.dflt) {
		RCU_INIT_POINTER(sn->dflt[silk_dflt_index(p->b.proto)], NULL);
		WRITE_ONCE(sn->ndflt, sn->ndflt - 1);
	} else {
		silk_port_unlink(sn, p);
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
