// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink commands of the namespace: its settings, and its totals with
 * the module's.
 */
#include <net/genetlink.h>
#include <uapi/linux/silk.h>

#include "level.h"
#include "meter.h"
#include "mirror.h"
#include "netlink.h"
#include "netns.h"
#include "queue.h"
#include "silk.h"

static struct netlink_range_validation silk_meter_interval_range = {
	.min = SILK_METER_INTERVAL_MIN_MS,
	.max = SILK_METER_INTERVAL_MAX_MS,
};

/* NS_SET: the settings; the totals only appear in STATS_GET's reply. */
const struct nla_policy silk_ns_set_policy[SILK_NS_A_MAX + 1] = {
	[SILK_NS_A_PAD]		= SILK_NL_REPLY_ONLY,
	[SILK_NS_A_PLACEMENT]	= NLA_POLICY_MAX(NLA_U8, SILK_PLACE_MAX),
	[SILK_NS_A_METER]	= NLA_POLICY_MAX(NLA_U8, 1),
	[SILK_NS_A_METER_INTERVAL_MS] = NLA_POLICY_FULL_RANGE(NLA_U32,
							      &silk_meter_interval_range),
	[SILK_NS_A_PATHS]	= SILK_NL_REPLY_ONLY,
	[SILK_NS_A_QUEUED_BYTES] = SILK_NL_REPLY_ONLY,
	[SILK_NS_A_CAP_BYTES]	= SILK_NL_REPLY_ONLY,
	[SILK_NS_A_CAP_DROPS]	= SILK_NL_REPLY_ONLY,
	[SILK_NS_A_BYPASS]	= SILK_NL_REPLY_ONLY,
	[SILK_NS_A_SHARE_YIELDS] = SILK_NL_REPLY_ONLY,
	[SILK_NS_A_LEVEL_CHANGES] = SILK_NL_REPLY_ONLY,
	[SILK_NS_A_CONNS]	= SILK_NL_REPLY_ONLY,
	[SILK_NS_A_CONNS_OPENED] = SILK_NL_REPLY_ONLY,
	[SILK_NS_A_CONNS_CLOSED] = SILK_NL_REPLY_ONLY,
	[SILK_NS_A_CONN_OVERFLOWS] = SILK_NL_REPLY_ONLY,
	[SILK_NS_A_METER_MISSED] = SILK_NL_REPLY_ONLY,
	[SILK_NS_A_GROUP_MISSED] = SILK_NL_REPLY_ONLY,
	[SILK_NS_A_GLOBAL]	= SILK_NL_REPLY_ONLY,
};

/* The module's totals, every namespace together. */
static int silk_nl_put_global(struct sk_buff *msg)
{
	struct nlattr *nest = nla_nest_start(msg, SILK_NS_A_GLOBAL);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(msg, SILK_GLOBAL_A_QUEUED_BYTES,
			      atomic_long_read(&silk_queued_bytes),
			      SILK_GLOBAL_A_PAD) ||
	    nla_put_u64_64bit(msg, SILK_GLOBAL_A_CAP_BYTES,
			      READ_ONCE(silk_max_queued_bytes),
			      SILK_GLOBAL_A_PAD) ||
	    nla_put_u64_64bit(msg, SILK_GLOBAL_A_QUEUED_PEAK,
			      atomic_long_read(&silk_queued_peak),
			      SILK_GLOBAL_A_PAD) ||
	    nla_put_u32(msg, SILK_GLOBAL_A_MIRROR_TASKS, silk_mirror_tasks()) ||
	    nla_put_u64_64bit(msg, SILK_GLOBAL_A_MIRROR_APPLIED,
			      atomic64_read(&silk_mirror_applied),
			      SILK_GLOBAL_A_PAD) ||
	    nla_put_u64_64bit(msg, SILK_GLOBAL_A_MIRROR_RESTORED,
			      atomic64_read(&silk_mirror_restored),
			      SILK_GLOBAL_A_PAD) ||
	    nla_put_u64_64bit(msg, SILK_GLOBAL_A_MIRROR_DL_FALLBACKS,
			      atomic64_read(&silk_level_dl_fallbacks),
			      SILK_GLOBAL_A_PAD) ||
	    nla_put_u64_64bit(msg, SILK_GLOBAL_A_MIRROR_MISSED,
			      silk_mirror_missed(), SILK_GLOBAL_A_PAD) ||
	    nla_put_u64_64bit(msg, SILK_GLOBAL_A_MIRROR_REFUSED,
			      atomic64_read(&silk_mirror_refused),
			      SILK_GLOBAL_A_PAD)) {
		nla_nest_cancel(msg, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}

int silk_nl_stats_get(struct sk_buff *skb, struct genl_info *info)
{
	struct silk_net *sn = silk_pernet(genl_info_net(info));
	struct silk_path_stats st;
	struct silk_path *p;
	u64 bypass = 0;
	u32 qlen, qbytes;
	struct sk_buff *msg;
	unsigned int n;
	void *hdr;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&sn->lock);
	n = sn->npaths;
	list_for_each_entry(p, &sn->paths, net_node) {
		silk_path_stats_read(p, &st, &qlen, &qbytes);
		bypass += st.bypass_pkts;
	}
	mutex_unlock(&sn->lock);

	hdr = genlmsg_put_reply(msg, info, &silk_genl_family, 0,
				SILK_CMD_STATS_GET);
	if (!hdr ||
	    nla_put_u32(msg, SILK_NS_A_PATHS, n) ||
	    nla_put_u64_64bit(msg, SILK_NS_A_QUEUED_BYTES,
			      atomic_long_read(&sn->queued_bytes), SILK_NS_A_PAD) ||
	    nla_put_u64_64bit(msg, SILK_NS_A_CAP_DROPS,
			      atomic64_read(&sn->cap_drops), SILK_NS_A_PAD) ||
	    nla_put_u64_64bit(msg, SILK_NS_A_CAP_BYTES, silk_queued_ns_cap(sn),
			      SILK_NS_A_PAD) ||
	    nla_put_u64_64bit(msg, SILK_NS_A_BYPASS, bypass, SILK_NS_A_PAD) ||
	    nla_put_u64_64bit(msg, SILK_NS_A_SHARE_YIELDS,
			      atomic64_read(&sn->share_yields), SILK_NS_A_PAD) ||
	    nla_put_u64_64bit(msg, SILK_NS_A_LEVEL_CHANGES,
			      atomic64_read(&sn->level_changes), SILK_NS_A_PAD) ||
	    nla_put_u8(msg, SILK_NS_A_PLACEMENT, READ_ONCE(sn->conn.placement)) ||
	    nla_put_u32(msg, SILK_NS_A_CONNS, atomic_read(&sn->conn.n)) ||
	    nla_put_u64_64bit(msg, SILK_NS_A_CONNS_OPENED,
			      atomic64_read(&sn->conn.opened), SILK_NS_A_PAD) ||
	    nla_put_u64_64bit(msg, SILK_NS_A_CONNS_CLOSED,
			      atomic64_read(&sn->conn.closed), SILK_NS_A_PAD) ||
	    nla_put_u64_64bit(msg, SILK_NS_A_CONN_OVERFLOWS,
			      atomic64_read(&sn->conn.overflows), SILK_NS_A_PAD) ||
	    nla_put_u8(msg, SILK_NS_A_METER, READ_ONCE(sn->meter.on)) ||
	    nla_put_u32(msg, SILK_NS_A_METER_INTERVAL_MS,
			READ_ONCE(sn->meter.interval_ms)) ||
	    nla_put_u64_64bit(msg, SILK_NS_A_METER_MISSED,
			      atomic64_read(&sn->meter.missed), SILK_NS_A_PAD) ||
	    nla_put_u64_64bit(msg, SILK_NS_A_GROUP_MISSED,
			      atomic64_read(&sn->group.missed), SILK_NS_A_PAD) ||
	    silk_nl_put_global(msg)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

int silk_nl_ns_set(struct sk_buff *skb, struct genl_info *info)
{
	struct silk_net *sn = silk_pernet(genl_info_net(info));
	struct nlattr **tb = info->attrs;
	u32 interval = 0;
	int err = 0;

	if (!tb[SILK_NS_A_PLACEMENT] && !tb[SILK_NS_A_METER] &&
	    !tb[SILK_NS_A_METER_INTERVAL_MS]) {
		NL_SET_ERR_MSG(info->extack,
			       "nothing to change: give a placement policy or sensor settings");
		return -EINVAL;
	}
	if (tb[SILK_NS_A_METER_INTERVAL_MS])
		interval = nla_get_u32(tb[SILK_NS_A_METER_INTERVAL_MS]);
	mutex_lock(&sn->lock);
	if (tb[SILK_NS_A_METER] || interval)
		err = silk_meter_set(sn, tb[SILK_NS_A_METER] ?
				     nla_get_u8(tb[SILK_NS_A_METER]) :
				     sn->meter.explicit, interval,
				     info->extack);
	if (!err && tb[SILK_NS_A_PLACEMENT])
		WRITE_ONCE(sn->conn.placement, nla_get_u8(tb[SILK_NS_A_PLACEMENT]));
	mutex_unlock(&sn->lock);
	return err;
}
