// SPDX-License-Identifier: GPL-2.0
/*
 * The "silk" generic netlink family: configuration and statistics, per
 * network namespace. Each object's commands are in its own file (path_nl.c,
 * ns_nl.c, meter_nl.c, chain_nl.c, group_nl.c); here are the family, its
 * operations and what they share. Every command has its own policy over
 * its object's attribute space (include/uapi/linux/silk.h), validated
 * strictly: an attribute the command does not read is refused, not
 * ignored. What a policy cannot express is checked by the command, and
 * every rejection says why in extack.
 */
#include <net/genetlink.h>
#include <uapi/linux/silk.h>

#include "netlink.h"

/* A dump that takes no filter: any attribute is refused. */
int silk_nl_dump_all(struct netlink_callback *cb)
{
	unsigned int t, max = genl_dumpit_info(cb)->op.maxattr;
	struct nlattr **tb = silk_dump_attrs(cb);

	for (t = 1; tb && t <= max; t++) {
		if (tb[t]) {
			NL_SET_ERR_MSG_ATTR(cb->extack, tb[t],
					    "this dump takes no filter");
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * Commands that change state need CAP_NET_ADMIN in the namespace's user
 * namespace (GENL_UNS_ADMIN_PERM); reading is open to its users.
 */
static const struct genl_ops silk_genl_ops[] = {
	{
		.cmd = SILK_CMD_PATH_ADD,
		.doit = silk_nl_path_add,
		.policy = silk_path_add_policy,
		.maxattr = SILK_PATH_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = SILK_CMD_PATH_CHANGE,
		.doit = silk_nl_path_change,
		.policy = silk_path_change_policy,
		.maxattr = SILK_PATH_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = SILK_CMD_PATH_DEL,
		.doit = silk_nl_path_del,
		.policy = silk_path_get_policy,
		.maxattr = SILK_PATH_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = SILK_CMD_PATH_GET,
		.doit = silk_nl_path_get,
		.start = silk_nl_path_dump_start,
		.dumpit = silk_nl_path_dump,
		.policy = silk_path_get_policy,
		.maxattr = SILK_PATH_A_MAX,
	},
	{
		.cmd = SILK_CMD_CONN_GET,
		.dumpit = silk_nl_conn_dump,
		.policy = silk_conn_get_policy,
		.maxattr = SILK_PATH_A_MAX,
	},
	{
		.cmd = SILK_CMD_STATS_GET,
		.doit = silk_nl_stats_get,
	},
	{
		.cmd = SILK_CMD_NS_SET,
		.doit = silk_nl_ns_set,
		.policy = silk_ns_set_policy,
		.maxattr = SILK_NS_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = SILK_CMD_CHAIN_NEW,
		.doit = silk_nl_chain_cmd,
		.policy = silk_chain_new_policy,
		.maxattr = SILK_CHAIN_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = SILK_CMD_COND_NEW,
		.doit = silk_nl_chain_cmd,
		.policy = silk_cond_new_policy,
		.maxattr = SILK_CHAIN_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = SILK_CMD_CHAIN_DEL,
		.doit = silk_nl_chain_cmd,
		.policy = silk_chain_del_policy,
		.maxattr = SILK_CHAIN_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = SILK_CMD_CHAIN_FLUSH,
		.doit = silk_nl_chain_cmd,
		.policy = silk_chain_flush_policy,
		.maxattr = SILK_CHAIN_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = SILK_CMD_CHAIN_BATCH,
		.doit = silk_nl_chain_batch,
		.policy = silk_chain_batch_policy,
		.maxattr = SILK_CHAIN_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = SILK_CMD_CHAIN_GET,
		.doit = silk_nl_chain_get,
		.start = silk_nl_dump_all,
		.dumpit = silk_nl_chain_dump,
		.policy = silk_chain_get_policy,
		.maxattr = SILK_CHAIN_A_MAX,
	},
	{
		.cmd = SILK_CMD_METER_GET,
		.doit = silk_nl_meter_get,
		.start = silk_nl_meter_dump_start,
		.dumpit = silk_nl_meter_dump,
		.done = silk_nl_meter_dump_done,
		.policy = silk_meter_get_policy,
		.maxattr = SILK_METER_A_MAX,
	},
	{
		.cmd = SILK_CMD_GROUP_NEW,
		.doit = silk_nl_group_new,
		.policy = silk_group_set_policy,
		.maxattr = SILK_GROUP_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = SILK_CMD_GROUP_CHANGE,
		.doit = silk_nl_group_change,
		.policy = silk_group_set_policy,
		.maxattr = SILK_GROUP_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = SILK_CMD_GROUP_DEL,
		.doit = silk_nl_group_del,
		.policy = silk_group_name_policy,
		.maxattr = SILK_GROUP_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = SILK_CMD_GROUP_GET,
		.doit = silk_nl_group_get,
		.start = silk_nl_dump_all,
		.dumpit = silk_nl_group_dump,
		.policy = silk_group_name_policy,
		.maxattr = SILK_GROUP_A_MAX,
	},
};

struct genl_family silk_genl_family __ro_after_init = {
	.name = SILK_GENL_NAME,
	.version = SILK_GENL_VERSION,
	.netnsok = true,
	.parallel_ops = true,
	.module = THIS_MODULE,
	.ops = silk_genl_ops,
	.n_ops = ARRAY_SIZE(silk_genl_ops),
	/* Every command validates strictly: none predates the policies. */
	.resv_start_op = 0,
};

int __init silk_genl_init(void)
{
	return genl_register_family(&silk_genl_family);
}

void silk_genl_exit(void)
{
	genl_unregister_family(&silk_genl_family);
}
