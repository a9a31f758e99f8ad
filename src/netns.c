// SPDX-License-Identifier: GPL-2.0
/*
 * Per network namespace state. A namespace without paths has no hooks and
 * no workers: the first path brings them up, the last one's deletion takes
 * them down again once everything queued has been delivered.
 */
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/slab.h>

#include "conn.h"
#include "hook.h"
#include "netns.h"
#include "path.h"
#include "port.h"
#include "queue.h"
#include "reinject.h"
#include "silk.h"
#include "sockev.h"
#include "worker.h"

unsigned int silk_net_id __read_mostly;

/*
 * Set once the module starts unloading. Unregistering a netdevice notifier
 * replays NETDEV_UNREGISTER for every device; those replays must not drop
 * queued packets that the drain is about to deliver.
 */
static bool silk_unloading;

/* Every namespace's silk_net, for the module notifier. */
static LIST_HEAD(silk_nets);
static DEFINE_MUTEX(silk_nets_lock);

static int __net_init silk_net_init(struct net *net)
{
	struct silk_net *sn = silk_pernet(net);
	int err;

	sn->net = net;
	mutex_init(&sn->lock);
	INIT_LIST_HEAD(&sn->paths);
	silk_owned_init(sn);
	idr_init(&sn->ids);
	init_waitqueue_head(&sn->drained);
	atomic_set(&sn->nobjs, 0);
	INIT_LIST_HEAD(&sn->objs);
	spin_lock_init(&sn->objs_lock);
	atomic64_set(&sn->cap_drops, 0);
	atomic64_set(&sn->share_yields, 0);
	atomic64_set(&sn->level_changes, 0);
	sn->workers = kcalloc(nr_cpu_ids, sizeof(*sn->workers), GFP_KERNEL_ACCOUNT);
	if (!sn->workers)
		return -ENOMEM;
	atomic_set(&sn->conn.n, 0);
	atomic_set(&sn->conn.rr_next, 0);
	atomic64_set(&sn->conn.opened, 0);
	atomic64_set(&sn->conn.closed, 0);
	atomic64_set(&sn->conn.overflows, 0);
	silk_chain_ns_init(&sn->chain);
	silk_meter_ns_init(&sn->meter);
	silk_group_ns_init(&sn->group);
	err = silk_ports_init(sn);
	if (err)
		goto err_workers;
	err = silk_conns_init(sn);
	if (err)
		goto err_ports;
	mutex_lock(&silk_nets_lock);
	list_add_tail(&sn->nets_node, &silk_nets);
	mutex_unlock(&silk_nets_lock);
	return 0;

err_ports:
	silk_ports_destroy(sn);
err_workers:
	kfree(sn->workers);
	return err;
}

static void __net_exit silk_net_exit(struct net *net)
{
	struct silk_net *sn = silk_pernet(net);
	struct silk_path *p, *tmp;

	/* Only the gc re-arms itself; deleting every path ends its list. */
	cancel_delayed_work_sync(&sn->owned_gc);
	silk_chain_ns_exit(sn);
	silk_group_ns_exit(sn);
	silk_meter_ns_exit(sn);
	mutex_lock(&sn->lock);
	/*
	 * Paths that attached no probe first: their queues start draining at
	 * once, not after a probe's detach has waited for grace periods.
	 */
	list_for_each_entry_safe(p, tmp, &sn->paths, net_node)
		if (!p->mirror && !p->conns)
			silk_path_del(sn, p);
	list_for_each_entry_safe(p, tmp, &sn->paths, net_node)
		silk_path_del(sn, p);
	mutex_unlock(&sn->lock);

	/* A tracepoint probe may still be looking at the table. */
	if (sn->conn.used || silk_sockev_defer)
		synchronize_rcu();
	/* Or have recorded an event for later. */
	silk_sockev_forget(sn);
	silk_conns_destroy(sn);
	silk_ports_destroy(sn);
	idr_destroy(&sn->ids);
	kfree(sn->workers);
	/* Everything has drained: no okfn is left to forget. */
	mutex_lock(&silk_nets_lock);
	list_del(&sn->nets_node);
	mutex_unlock(&silk_nets_lock);
}

static struct pernet_operations silk_net_ops = {
	.init = silk_net_init,
	.exit = silk_net_exit,
	.id = &silk_net_id,
	.size = sizeof(struct silk_net),
};

/*
 * Drop what waits on a device that goes away: nothing can deliver it. Every
 * path object, deleted and connection ones too, may hold some.
 */
static int silk_netdev_event(struct notifier_block *nb, unsigned long event,
			     void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct silk_net *sn;
	struct silk_path *p;

	if (event != NETDEV_UNREGISTER || READ_ONCE(silk_unloading))
		return NOTIFY_DONE;
	sn = silk_pernet(dev_net(dev));
	rcu_read_lock();
	list_for_each_entry_rcu(p, &sn->objs, obj_node)
		silk_path_drop_dev(p, dev);
	rcu_read_unlock();
	return NOTIFY_DONE;
}

static struct notifier_block silk_netdev_notifier = {
	.notifier_call = silk_netdev_event,
};

/*
 * A module that called PRE_ROUTING with its own okfn (br_netfilter) is
 * going: its exit has unregistered its hooks, so no new packet comes with
 * that okfn, and its code is freed once this returns. What still waits for
 * it is dropped, as nf_queue drops what it holds when a hook goes.
 */
static int silk_module_event(struct notifier_block *nb, unsigned long event,
			     void *data)
{
	const struct module *mod = data;
	struct silk_net *sn;
	struct silk_path *p;
	bool had = false;

	if (event != MODULE_STATE_GOING)
		return NOTIFY_DONE;
	mutex_lock(&silk_nets_lock);
	list_for_each_entry(sn, &silk_nets, nets_node) {
		rcu_read_lock();
		list_for_each_entry_rcu(p, &sn->objs, obj_node)
			had |= silk_path_forget_module(p, mod);
		rcu_read_unlock();
	}
	mutex_unlock(&silk_nets_lock);
	if (had)
		silk_reinject_fence();
	return NOTIFY_DONE;
}

static struct notifier_block silk_module_notifier = {
	.notifier_call = silk_module_event,
};

int silk_netns_init(void)
{
	int err;

	err = register_pernet_subsys(&silk_net_ops);
	if (err)
		return err;
	err = register_netdevice_notifier(&silk_netdev_notifier);
	if (err)
		goto err_pernet;
	err = register_module_notifier(&silk_module_notifier);
	if (err)
		goto err_netdev;
	return 0;

err_netdev:
	unregister_netdevice_notifier(&silk_netdev_notifier);
err_pernet:
	unregister_pernet_subsys(&silk_net_ops);
	return err;
}

void silk_netns_exit(void)
{
	/*
	 * A device that really goes away from here on waits for its queued
	 * packets to drain below, which takes bounded time.
	 */
	WRITE_ONCE(silk_unloading, true);
	unregister_netdevice_notifier(&silk_netdev_notifier);
	unregister_pernet_subsys(&silk_net_ops);
	/* After the drain: it may still call a going module's okfn. */
	unregister_module_notifier(&silk_module_notifier);
}
