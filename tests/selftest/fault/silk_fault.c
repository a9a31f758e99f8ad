// SPDX-License-Identifier: GPL-2.0
/*
 * silk_fault: the faults the test harness must catch (tests/selftest/run).
 * Never loaded outside the self-test's VM.
 *
 *   mode=warn          WARN at load
 *   mode=devleak dev=X take a reference on device X of the caller's network
 *                      namespace and never put it
 *   mode=unload_sleep  sleep 40 s under a mutex when unloaded
 *   mode=skbleak       allocate an skb and forget it (kmemleak)
 */
#include <linux/delay.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/nsproxy.h>
#include <linux/skbuff.h>
#include <net/net_namespace.h>

static char *mode = "";
module_param(mode, charp, 0444);
MODULE_PARM_DESC(mode, "warn, devleak, unload_sleep or skbleak");
static char *dev = "";
module_param(dev, charp, 0444);
MODULE_PARM_DESC(dev, "devleak: the device to hold");

static DEFINE_MUTEX(fault_lock);
static struct sk_buff *fault_skb;

static int __init fault_init(void)
{
	struct net_device *nd;

	if (!strcmp(mode, "warn")) {
		WARN(1, "silk_fault: a warning, as asked");
	} else if (!strcmp(mode, "devleak")) {
		nd = dev_get_by_name(current->nsproxy->net_ns, dev);
		if (!nd)
			return -ENODEV;
		pr_info("silk_fault: holding %s forever\n", nd->name);
	} else if (!strcmp(mode, "skbleak")) {
		fault_skb = alloc_skb(256, GFP_KERNEL);
		if (!fault_skb)
			return -ENOMEM;
		fault_skb = NULL;
	} else if (strcmp(mode, "unload_sleep")) {
		return -EINVAL;
	}
	return 0;
}

static void __exit fault_exit(void)
{
	if (!strcmp(mode, "unload_sleep")) {
		mutex_lock(&fault_lock);
		msleep(40000);
		mutex_unlock(&fault_lock);
	}
}

module_init(fault_init);
module_exit(fault_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("faults for silk's test-harness self-test");
