// SPDX-License-Identifier: GPL-2.0
/*
 * silk: early demultiplexing of received packets into per-flow paths,
 * early drop, per-path accounting and scheduled protocol processing, as a
 * module for a stock kernel. See docs/silk.rst.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sched/prio.h>
#include <net/genetlink.h>
#include <uapi/linux/silk.h>

#include "chain.h"
#include "conn.h"
#include "level.h"
#include "meter.h"
#include "mirror.h"
#include "netlink.h"
#include "netns.h"
#include "output.h"
#include "selftest.h"
#include "silk.h"
#include "sockev.h"
#include "sockopt.h"

atomic_long_t silk_queued_bytes = ATOMIC_LONG_INIT(0);
atomic_long_t silk_queued_peak = ATOMIC_LONG_INIT(0);

/* Parameters are checked like netlink attributes: out of range is refused. */
static int silk_param_parse(const char *val, unsigned long min,
			    unsigned long max, unsigned long *v)
{
	int err = kstrtoul(val, 0, v);

	if (err)
		return err;
	return *v < min || *v > max ? -ERANGE : 0;
}

unsigned long silk_max_queued_bytes = 64UL << 20;
static int silk_set_max_queued(const char *val, const struct kernel_param *kp)
{
	unsigned long v;
	int err = silk_param_parse(val, 64UL << 10, 64UL << 30, &v);

	if (err)
		return err;
	WRITE_ONCE(*(unsigned long *)kp->arg, v);
	/* The peak is measured against the cap in force. */
	atomic_long_set(&silk_queued_peak, atomic_long_read(&silk_queued_bytes));
	return 0;
}

static const struct kernel_param_ops silk_max_queued_ops = {
	.set = silk_set_max_queued,
	.get = param_get_ulong,
};
module_param_cb(max_queued_bytes, &silk_max_queued_ops,
		&silk_max_queued_bytes, 0644);
MODULE_PARM_DESC(max_queued_bytes,
		 "Bytes (skb truesize) all paths of all namespaces may hold; beyond it packets are dropped early (64 KiB..64 GiB, default 64 MiB)");

/* An unsigned int parameter checked against [min, max] on every write. */
#define SILK_UINT_PARAM(name, var, min, max)				\
static int silk_set_##name(const char *val, const struct kernel_param *kp) \
{									\
	unsigned long v;						\
	int err = silk_param_parse(val, min, max, &v);			\
									\
	if (!err)							\
		WRITE_ONCE(*(unsigned int *)kp->arg, v);		\
	return err;							\
}									\
static const struct kernel_param_ops silk_##name##_ops = {		\
	.set = silk_set_##name,						\
	.get = param_get_uint,						\
};									\
module_param_cb(name, &silk_##name##_ops, &(var), 0644)

unsigned int silk_ns_queued_share = 25;
SILK_UINT_PARAM(ns_queued_share, silk_ns_queued_share, 1, 100);
MODULE_PARM_DESC(ns_queued_share,
		 "Percent of max_queued_bytes a namespace other than the initial one may hold, and that the initial one keeps for itself; a path holds at most half its namespace's (1..100, default 25)");

unsigned int silk_burst = 16;
SILK_UINT_PARAM(burst, silk_burst, 1, 1024);
MODULE_PARM_DESC(burst,
		 "Packets a worker processes from one path before it picks again (1..1024, default 16)");

unsigned int silk_max_paths = 65536;
SILK_UINT_PARAM(max_paths, silk_max_paths, 1, 1U << 24);
MODULE_PARM_DESC(max_paths,
		 "Paths one network namespace may have (1..16777216, default 65536)");

unsigned int silk_max_sock_paths = 1024;
SILK_UINT_PARAM(max_sock_paths, silk_max_sock_paths, 0, 1U << 20);
MODULE_PARM_DESC(max_sock_paths,
		 "Paths socket options may make in one network namespace, apart from max_paths (0..1048576, default 1024)");

unsigned int silk_max_sock_paths_per_user = 64;
SILK_UINT_PARAM(max_sock_paths_per_user, silk_max_sock_paths_per_user, 0,
		1U << 20);
MODULE_PARM_DESC(max_sock_paths_per_user,
		 "Of those, what one user may make (0..1048576, default 64)");

unsigned int silk_linux_share = 10;
SILK_UINT_PARAM(linux_share, silk_linux_share, 0, 90);
MODULE_PARM_DESC(linux_share,
		 "Percent of a CPU its worker leaves to other runnable tasks under overload (0..90, default 10)");

bool silk_levels = true;
module_param_named(levels, silk_levels, bool, 0644);
MODULE_PARM_DESC(levels,
		 "Workers of the initial user namespace's network namespaces run at the Linux scheduling level of the highest path they run or have ready: FP and EDF above ordinary tasks (SCHED_FIFO), WFQ among them (CFS, nice from the weight) (default Y)");

bool silk_direct = true;
module_param_named(direct, silk_direct, bool, 0644);
MODULE_PARM_DESC(direct,
		 "A packet whose path and worker have nothing queued is processed at once where it arrived, as the stack would, and charged to its path (default Y)");

unsigned int silk_max_conns = 65536;
SILK_UINT_PARAM(max_conns, silk_max_conns, 0, 1U << 24);
MODULE_PARM_DESC(max_conns,
		 "Connection paths one network namespace may have; beyond it connections stay on their listen path (0..16777216, default 65536)");

unsigned int silk_max_ns_workers = 1024;
SILK_UINT_PARAM(max_ns_workers, silk_max_ns_workers, 0, 1U << 20);
MODULE_PARM_DESC(max_ns_workers,
		 "Worker threads all network namespaces of non-initial user namespaces may have together (0..1048576, default 1024)");

unsigned int silk_max_ns_workers_per_user = 128;
SILK_UINT_PARAM(max_ns_workers_per_user, silk_max_ns_workers_per_user, 0,
		1U << 20);
MODULE_PARM_DESC(max_ns_workers_per_user,
		 "Of those, what the namespaces of user namespaces one user owns may have (0..1048576, default 128)");

bool silk_sockev_defer = IS_ENABLED(CONFIG_PREEMPT_RT);
module_param_named(sockev_defer, silk_sockev_defer, bool, 0444);
MODULE_PARM_DESC(sockev_defer,
		 "What connection paths and sensors do at a socket's state change or accept() runs in a thread of its own, after the event, not in the event's context (default Y on PREEMPT_RT, where it must, N otherwise)");

unsigned int silk_sockev_records;
SILK_UINT_PARAM(sockev_records, silk_sockev_records, 0, 1U << 20);
MODULE_PARM_DESC(sockev_records,
		 "With sockev_defer: sockets followed at once; beyond, a new connection is not followed (counted as missed); applies when the events next attach (0..1048576, default 0: 2048 per CPU, at least 4096)");

bool silk_ns_probes;
module_param_named(ns_probes, silk_ns_probes, bool, 0644);
MODULE_PARM_DESC(ns_probes,
		 "Let namespace administrators without CAP_NET_ADMIN in the initial user namespace turn on what attaches system-wide probes: connection paths, sensors, socket groups (default N)");

SILK_UINT_PARAM(mirror_rt_base, silk_level_rt_base, 1, MAX_RT_PRIO - 2);
MODULE_PARM_DESC(mirror_rt_base,
		 "SCHED_FIFO priority that mirrors FP priority 0 (1..98, default 1)");

SILK_UINT_PARAM(mirror_linger_us, silk_mirror_linger_us, 0, 100000);
MODULE_PARM_DESC(mirror_linger_us,
		 "Microseconds a task keeps a mirrored connection's priority after it closes it, unless it calls accept() first (0..100000, default 2000)");

SILK_UINT_PARAM(mirror_max_holds, silk_mirror_max_holds, 64, 1U << 20);
MODULE_PARM_DESC(mirror_max_holds,
		 "Uses of mirrored paths by tasks at once (one per task and socket), and a quarter as many tasks; set before the first mirrored path (64..1048576, default 16384)");

SILK_UINT_PARAM(mirror_rt_ceiling, silk_level_rt_ceiling, 1, MAX_RT_PRIO - 2);
MODULE_PARM_DESC(mirror_rt_ceiling,
		 "Highest SCHED_FIFO priority silk gives a task or worker; EDF paths get it when SCHED_DEADLINE cannot be used (1..98, default 49: below threaded interrupt handlers)");

static int silk_set_unpriv_max_prio(const char *val,
				    const struct kernel_param *kp)
{
	int v, err = kstrtoint(val, 0, &v);

	if (err)
		return err;
	if (v < -1 || v > SILK_PRIO_MAX)
		return -ERANGE;
	WRITE_ONCE(silk_unpriv_max_prio, v);
	return 0;
}

static const struct kernel_param_ops silk_unpriv_max_prio_ops = {
	.set = silk_set_unpriv_max_prio,
	.get = param_get_int,
};
module_param_cb(unpriv_max_prio, &silk_unpriv_max_prio_ops,
		&silk_unpriv_max_prio, 0644);
MODULE_PARM_DESC(unpriv_max_prio,
		 "Highest FP priority a process without CAP_NET_ADMIN may give its socket's path (-1: none, the default; ..63)");

SILK_UINT_PARAM(unpriv_max_weight, silk_unpriv_max_weight, SILK_WEIGHT_MIN,
		SILK_WEIGHT_MAX);
MODULE_PARM_DESC(unpriv_max_weight,
		 "Highest WFQ weight a process without CAP_NET_ADMIN may give its socket's path (1..10000, default 1)");

static int __init silk_init(void)
{
	int err;

	if (!silk_selftests()) {
		pr_err("self-tests failed\n");
		return -ENOTRECOVERABLE;
	}
	err = silk_chain_init();
	if (err)
		return err;
	err = silk_chain_srv_init();
	if (err)
		goto err_chain;
	/* Socket event subscribers, called in this order. */
	err = silk_meter_init();
	if (err)
		goto err_chain_srv;
	silk_output_init();
	err = silk_group_init();
	if (err)
		goto err_meter;
	silk_conn_init();
	silk_mirror_init();
	err = silk_sockev_init();
	if (err)
		goto err_group;
	err = silk_level_init();
	if (err)
		goto err_sockev;
	err = silk_netns_init();
	if (err)
		goto err_mirror;
	err = silk_genl_init();
	if (err)
		goto err_netns;
	err = silk_sockopt_init();
	if (err)
		goto err_genl;
	pr_info("loaded\n");
	return 0;

err_genl:
	silk_genl_exit();
	silk_sockev_stop();
err_netns:
	silk_netns_exit();
err_mirror:
	silk_mirror_exit();
	silk_level_exit();
err_sockev:
	silk_sockev_exit();
err_group:
	silk_group_exit();
err_meter:
	silk_meter_exit();
err_chain_srv:
	silk_chain_srv_exit();
err_chain:
	silk_chain_exit();
	return err;
}

static void __exit silk_exit(void)
{
	/* No more configuration; then every namespace drains and unhooks. */
	silk_sockopt_exit();
	silk_genl_exit();
	/* Nothing may reach a namespace's state once it is gone. */
	silk_sockev_stop();
	silk_netns_exit();
	/* Their paths are gone: every task silk changed gets its own back. */
	silk_mirror_exit();
	silk_level_exit();
	silk_sockev_exit();
	/* Paths, ports and meters are freed after a grace period. */
	rcu_barrier();
	silk_group_exit();
	silk_meter_exit();
	silk_chain_srv_exit();
	silk_chain_exit();
	WARN_ON(atomic_long_read(&silk_queued_bytes));
	pr_info("unloaded\n");
}

module_init(silk_init);
module_exit(silk_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("early demultiplexing into scheduled per-flow paths");
MODULE_AUTHOR("silk developers");
MODULE_VERSION(SILK_VERSION);
MODULE_ALIAS_GENL_FAMILY(SILK_GENL_NAME);
