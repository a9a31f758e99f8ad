// SPDX-License-Identifier: GPL-2.0
/*
 * The "silk" generic netlink family: configuration and statistics, per
 * network namespace. Attributes are validated by policy; what a policy
 * cannot express is checked here, and every rejection says why in extack.
 * See include/uapi/linux/silk.h for the attribute tree of each command.
 */
#include <linux/cpumask.h>
#include <linux/inetdevice.h>
#include <net/genetlink.h>
#include <net/ipv6.h>
#include <uapi/linux/silk.h>

#include "chain.h"
#include "hook.h"
#include "level.h"
#include "mirror.h"
#include "netlink.h"
#include "netns.h"
#include "path.h"
#include "port.h"
#include "queue.h"
#include "silk.h"
#include "sock.h"

static struct netlink_range_validation silk_limit_pkts_range = {
	.min = SILK_LIMIT_PKTS_MIN,
	.max = SILK_LIMIT_PKTS_MAX,
};

static struct netlink_range_validation silk_limit_bytes_range = {
	.min = SILK_LIMIT_BYTES_MIN,
	.max = SILK_LIMIT_BYTES_MAX,
};

static struct netlink_range_validation silk_edf_us_range = {
	.min = SILK_EDF_US_MIN,
	.max = SILK_EDF_US_MAX,
};

static struct netlink_range_validation silk_chain_bytes_range = {
	.min = SILK_CHAIN_MAX_BYTES_MIN,
	.max = SILK_CHAIN_MAX_BYTES_MAX,
};

static struct netlink_range_validation silk_chain_timeout_range = {
	.min = SILK_CHAIN_TIMEOUT_MS_MIN,
	.max = SILK_CHAIN_TIMEOUT_MS_MAX,
};

static struct netlink_range_validation silk_weight_range = {
	.min = SILK_WEIGHT_MIN,
	.max = SILK_WEIGHT_MAX,
};

#define SILK_REPLY_ONLY { .type = NLA_REJECT, \
			  .reject_message = "attribute only appears in replies" }

static struct netlink_range_validation silk_meter_interval_range = {
	.min = SILK_METER_INTERVAL_MIN_MS,
	.max = SILK_METER_INTERVAL_MAX_MS,
};

const struct nla_policy silk_policy[SILK_A_MAX + 1] = {
	[SILK_A_PAD]		= SILK_REPLY_ONLY,
	[SILK_A_PATH_ID]	= NLA_POLICY_MIN(NLA_U32, 1),
	[SILK_A_PATH_PROTO]	= { .type = NLA_U8 },
	[SILK_A_PATH_PORT]	= NLA_POLICY_MIN(NLA_U16, 1),
	[SILK_A_PATH_FAMILY]	= { .type = NLA_U8 },
	[SILK_A_PATH_LADDR4]	= NLA_POLICY_EXACT_LEN(sizeof(struct in_addr)),
	[SILK_A_PATH_LADDR6]	= NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[SILK_A_PATH_RADDR4]	= NLA_POLICY_EXACT_LEN(sizeof(struct in_addr)),
	[SILK_A_PATH_RADDR6]	= NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[SILK_A_PATH_RPLEN]	= NLA_POLICY_MAX(NLA_U8, 128),
	[SILK_A_PATH_PRIO]	= NLA_POLICY_MAX(NLA_U8, SILK_PRIO_MAX),
	[SILK_A_PATH_LIMIT_PKTS] = NLA_POLICY_FULL_RANGE(NLA_U32,
							 &silk_limit_pkts_range),
	[SILK_A_PATH_LIMIT_BYTES] = NLA_POLICY_FULL_RANGE(NLA_U32,
							  &silk_limit_bytes_range),
	[SILK_A_PATH_CPU]	= { .type = NLA_U32 },
	[SILK_A_PATH_NAME]	= { .type = NLA_NUL_STRING,
				    .len = SILK_NAME_MAX - 1 },
	[SILK_A_PATH_STATS]	= SILK_REPLY_ONLY,
	[SILK_A_NS_PATHS]	= SILK_REPLY_ONLY,
	[SILK_A_NS_QUEUED_BYTES] = SILK_REPLY_ONLY,
	[SILK_A_NS_CAP_DROPS]	= SILK_REPLY_ONLY,
	[SILK_A_NS_BYPASS]	= SILK_REPLY_ONLY,
	[SILK_A_GLOBAL_QUEUED_BYTES] = SILK_REPLY_ONLY,
	[SILK_A_GLOBAL_CAP_BYTES] = SILK_REPLY_ONLY,
	[SILK_A_GLOBAL_QUEUED_PEAK] = SILK_REPLY_ONLY,
	[SILK_A_PATH_CLASS]	= NLA_POLICY_MAX(NLA_U8, SILK_CLASS_MAX),
	[SILK_A_PATH_DEADLINE_US] = NLA_POLICY_FULL_RANGE(NLA_U32,
							  &silk_edf_us_range),
	[SILK_A_PATH_RUNTIME_US] = NLA_POLICY_FULL_RANGE(NLA_U32,
							 &silk_edf_us_range),
	[SILK_A_PATH_PERIOD_US]	= NLA_POLICY_FULL_RANGE(NLA_U32,
							&silk_edf_us_range),
	[SILK_A_PATH_WEIGHT]	= NLA_POLICY_FULL_RANGE(NLA_U32,
							&silk_weight_range),
	[SILK_A_NS_SHARE_YIELDS] = SILK_REPLY_ONLY,
	[SILK_A_PATH_LAZY]	= NLA_POLICY_MAX(NLA_U8, 1),
	[SILK_A_PATH_DEFAULT]	= { .type = NLA_FLAG },
	[SILK_A_PATH_DSCP]	= NLA_POLICY_MAX(NLA_U8, SILK_DSCP_MAX),
	[SILK_A_PATH_CONNS]	= NLA_POLICY_MAX(NLA_U8, 1),
	[SILK_A_PATH_MIRROR]	= NLA_POLICY_MAX(NLA_U8, 1),
	[SILK_A_GLOBAL_MIRROR_TASKS] = SILK_REPLY_ONLY,
	[SILK_A_GLOBAL_MIRROR_APPLIED] = SILK_REPLY_ONLY,
	[SILK_A_GLOBAL_MIRROR_RESTORED] = SILK_REPLY_ONLY,
	[SILK_A_GLOBAL_MIRROR_DL_FALLBACKS] = SILK_REPLY_ONLY,
	[SILK_A_GLOBAL_MIRROR_MISSED] = SILK_REPLY_ONLY,
	[SILK_A_PATH_NCONNS]	= SILK_REPLY_ONLY,
	[SILK_A_NS_PLACEMENT]	= NLA_POLICY_MAX(NLA_U8, SILK_PLACE_MAX),
	[SILK_A_NS_CONNS]	= SILK_REPLY_ONLY,
	[SILK_A_NS_CONNS_OPENED] = SILK_REPLY_ONLY,
	[SILK_A_NS_CONNS_CLOSED] = SILK_REPLY_ONLY,
	[SILK_A_NS_CONN_OVERFLOWS] = SILK_REPLY_ONLY,
	[SILK_A_CONN_RADDR4]	= SILK_REPLY_ONLY,
	[SILK_A_CONN_RADDR6]	= SILK_REPLY_ONLY,
	[SILK_A_CONN_LADDR4]	= SILK_REPLY_ONLY,
	[SILK_A_CONN_LADDR6]	= SILK_REPLY_ONLY,
	[SILK_A_CONN_RPORT]	= SILK_REPLY_ONLY,
	[SILK_A_CONN_LPORT]	= SILK_REPLY_ONLY,
	[SILK_A_CHAIN_TYPE]	= NLA_POLICY_MAX(NLA_U8, SILK_CHAIN_TYPE_MAX),
	[SILK_A_CHAIN_PORT]	= NLA_POLICY_MIN(NLA_U16, 1),
	[SILK_A_CHAIN_OUT]	= NLA_POLICY_MIN(NLA_U16, 1),
	[SILK_A_CHAIN_MAX_BYTES] = NLA_POLICY_FULL_RANGE(NLA_U32,
							 &silk_chain_bytes_range),
	[SILK_A_CHAIN_TIMEOUT_MS] = NLA_POLICY_FULL_RANGE(NLA_U32,
							  &silk_chain_timeout_range),
	[SILK_A_CHAIN_ALGO]	= NLA_POLICY_MAX(NLA_U8, SILK_CHAIN_ALGO_MAX),
	[SILK_A_CHAIN_COND]	= SILK_REPLY_ONLY,
	[SILK_A_CHAIN_HITS]	= SILK_REPLY_ONLY,
	[SILK_A_CHAIN_TIMEOUTS]	= SILK_REPLY_ONLY,
	[SILK_A_CHAIN_RESETS]	= SILK_REPLY_ONLY,
	[SILK_A_CHAIN_PENDING]	= SILK_REPLY_ONLY,
	[SILK_A_CHAIN_HANDED]	= SILK_REPLY_ONLY,
	[SILK_A_COND_INDEX]	= NLA_POLICY_MIN(NLA_U32, 1),
	[SILK_A_COND_ADDR4]	= NLA_POLICY_EXACT_LEN(sizeof(struct in_addr)),
	[SILK_A_COND_ADDR6]	= NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[SILK_A_COND_PLEN]	= NLA_POLICY_MAX(NLA_U8, 128),
	[SILK_A_COND_STRING]	= NLA_POLICY_RANGE(NLA_BINARY, 1,
						   SILK_CHAIN_STRING_MAX),
	[SILK_A_COND_WEIGHT]	= NLA_POLICY_MAX(NLA_U16,
						 SILK_CHAIN_WEIGHT_TOTAL),
	[SILK_A_COND_HITS]	= SILK_REPLY_ONLY,
	[SILK_A_CHAIN_OPS]	= { .type = NLA_NESTED },
	[SILK_A_CHAIN_OP]	= { .type = NLA_REJECT,
				    .reject_message = "an operation belongs in SILK_A_CHAIN_OPS" },
	[SILK_A_CHAIN_CMD]	= NLA_POLICY_MAX(NLA_U8, SILK_CMD_MAX),
	[SILK_A_CHAIN_REPLACE]	= { .type = NLA_FLAG },
	[SILK_A_NS_METER]	= NLA_POLICY_MAX(NLA_U8, 1),
	[SILK_A_NS_METER_INTERVAL_MS] = NLA_POLICY_FULL_RANGE(NLA_U32,
							      &silk_meter_interval_range),
	[SILK_A_NS_METER_MISSED] = SILK_REPLY_ONLY,
	[SILK_A_METER_PORT]	= { .type = NLA_U16 },
	[SILK_A_METER_WAITING]	= SILK_REPLY_ONLY,
	[SILK_A_METER_LIVE]	= SILK_REPLY_ONLY,
	[SILK_A_METER_ACCEPTED]	= SILK_REPLY_ONLY,
	[SILK_A_METER_DELAY_SUM_NS] = SILK_REPLY_ONLY,
	[SILK_A_METER_BYTES_IN]	= SILK_REPLY_ONLY,
	[SILK_A_METER_BYTES_OUT] = SILK_REPLY_ONLY,
	[SILK_A_METER_RATE_ACCEPT_MILLI] = SILK_REPLY_ONLY,
	[SILK_A_METER_RATE_IN]	= SILK_REPLY_ONLY,
	[SILK_A_METER_RATE_OUT]	= SILK_REPLY_ONLY,
	[SILK_A_METER_RATE_DELAY_NS] = SILK_REPLY_ONLY,
	[SILK_A_GROUP_NAME]	= { .type = NLA_NUL_STRING,
				    .len = SILK_NAME_MAX - 1 },
	[SILK_A_GROUP_TYPE]	= NLA_POLICY_MAX(NLA_U8, SILK_GROUP_TYPE_MAX),
	[SILK_A_GROUP_RATE]	= { .type = NLA_U64 },
	[SILK_A_GROUP_PORTS]	= { .type = NLA_NESTED },
	[SILK_A_GROUP_PORT]	= { .type = NLA_REJECT,
				    .reject_message = "a port goes in SILK_A_GROUP_PORTS" },
	[SILK_A_GPORT_PORT]	= NLA_POLICY_MIN(NLA_U16, 1),
	[SILK_A_GPORT_WEIGHT]	= NLA_POLICY_FULL_RANGE(NLA_U32,
							&silk_weight_range),
	[SILK_A_GROUP_HELD]	= SILK_REPLY_ONLY,
	[SILK_A_GROUP_ACCEPTED]	= SILK_REPLY_ONLY,
	[SILK_A_GROUP_HIDDEN]	= SILK_REPLY_ONLY,
	[SILK_A_GPORT_HELD]	= SILK_REPLY_ONLY,
	[SILK_A_GPORT_ACCEPTED]	= SILK_REPLY_ONLY,
	[SILK_A_GROUP_MEMBERS]	= SILK_REPLY_ONLY,
	[SILK_A_GPORT_FTP]	= { .type = NLA_FLAG },
	[SILK_A_GROUP_DATA_PORTS] = SILK_REPLY_ONLY,
	[SILK_A_PATH_OWNER_UID]	= SILK_REPLY_ONLY,
	[SILK_A_NS_CAP_BYTES]	= SILK_REPLY_ONLY,
	[SILK_A_PATH_MIRROR_UID] = { .type = NLA_U32 },
	[SILK_A_PATH_MIRROR_GID] = { .type = NLA_U32 },
	[SILK_A_GLOBAL_MIRROR_REFUSED] = SILK_REPLY_ONLY,
	[SILK_A_NS_LEVEL_CHANGES] = SILK_REPLY_ONLY,
};

static const u16 silk_binding_attrs[] = {
	SILK_A_PATH_PROTO, SILK_A_PATH_PORT, SILK_A_PATH_FAMILY,
	SILK_A_PATH_LADDR4, SILK_A_PATH_LADDR6, SILK_A_PATH_RADDR4,
	SILK_A_PATH_RADDR6, SILK_A_PATH_RPLEN, SILK_A_PATH_DEFAULT,
	SILK_A_PATH_DSCP, 0
};

/*
 * Which attributes each request takes: up to three lists, each ending in
 * 0. The policy says what an attribute is; this says who reads it, so
 * that an attribute a command would not read is refused instead of
 * ignored. (A PATH_ADD's path id is let through to be refused with its
 * own reason.)
 */
static const u16 silk_path_opt_attrs[] = {
	SILK_A_PATH_PRIO, SILK_A_PATH_CLASS, SILK_A_PATH_WEIGHT,
	SILK_A_PATH_DEADLINE_US, SILK_A_PATH_RUNTIME_US,
	SILK_A_PATH_PERIOD_US, SILK_A_PATH_LIMIT_PKTS,
	SILK_A_PATH_LIMIT_BYTES, SILK_A_PATH_CPU, SILK_A_PATH_NAME,
	SILK_A_PATH_LAZY, SILK_A_PATH_MIRROR, SILK_A_PATH_CONNS,
	SILK_A_PATH_MIRROR_UID, SILK_A_PATH_MIRROR_GID, 0
};

static const u16 silk_path_id_attr[] = { SILK_A_PATH_ID, 0 };

static const u16 silk_path_dump_attrs[] = {
	SILK_A_PATH_PROTO, SILK_A_PATH_PORT, 0
};

static const u16 silk_ns_set_attrs[] = {
	SILK_A_NS_PLACEMENT, SILK_A_NS_METER, SILK_A_NS_METER_INTERVAL_MS, 0
};

static const u16 silk_chain_new_attrs[] = {
	SILK_A_CHAIN_TYPE, SILK_A_CHAIN_PORT, SILK_A_CHAIN_OUT,
	SILK_A_CHAIN_MAX_BYTES, SILK_A_CHAIN_TIMEOUT_MS, SILK_A_CHAIN_ALGO,
	SILK_A_CHAIN_REPLACE, 0
};

static const u16 silk_cond_new_attrs[] = {
	SILK_A_CHAIN_TYPE, SILK_A_CHAIN_PORT, SILK_A_CHAIN_OUT,
	SILK_A_COND_ADDR4, SILK_A_COND_ADDR6, SILK_A_COND_PLEN,
	SILK_A_COND_STRING, SILK_A_COND_WEIGHT, 0
};

static const u16 silk_chain_del_attrs[] = {
	SILK_A_CHAIN_PORT, SILK_A_COND_INDEX, 0
};

static const u16 silk_chain_port_attr[] = { SILK_A_CHAIN_PORT, 0 };
static const u16 silk_chain_ops_attr[] = { SILK_A_CHAIN_OPS, 0 };
static const u16 silk_meter_port_attr[] = { SILK_A_METER_PORT, 0 };

static const u16 silk_group_attrs[] = {
	SILK_A_GROUP_NAME, SILK_A_GROUP_RATE, SILK_A_GROUP_PORTS, 0
};

static const u16 silk_group_type_attr[] = { SILK_A_GROUP_TYPE, 0 };
static const u16 silk_group_name_attr[] = { SILK_A_GROUP_NAME, 0 };

static const u16 silk_gport_list[] = {
	SILK_A_GPORT_PORT, SILK_A_GPORT_WEIGHT, SILK_A_GPORT_FTP, 0
};

const struct silk_nl_attrs silk_gport_attrs = {{ silk_gport_list }};

static const struct silk_nl_attrs silk_cmd_attrs[SILK_CMD_MAX + 1] = {
	[SILK_CMD_PATH_ADD] = {{ silk_path_id_attr, silk_binding_attrs,
				 silk_path_opt_attrs }},
	[SILK_CMD_PATH_CHANGE] = {{ silk_path_id_attr, silk_binding_attrs,
				    silk_path_opt_attrs }},
	[SILK_CMD_PATH_DEL] = {{ silk_path_id_attr, silk_binding_attrs }},
	[SILK_CMD_PATH_GET] = {{ silk_path_id_attr, silk_binding_attrs }},
	[SILK_CMD_NS_SET] = {{ silk_ns_set_attrs }},
	[SILK_CMD_CONN_GET] = {{ silk_path_id_attr }},
	[SILK_CMD_CHAIN_NEW] = {{ silk_chain_new_attrs }},
	[SILK_CMD_CHAIN_DEL] = {{ silk_chain_del_attrs }},
	[SILK_CMD_COND_NEW] = {{ silk_cond_new_attrs }},
	[SILK_CMD_CHAIN_GET] = {{ silk_chain_port_attr }},
	[SILK_CMD_CHAIN_BATCH] = {{ silk_chain_ops_attr }},
	[SILK_CMD_METER_GET] = {{ silk_meter_port_attr }},
	[SILK_CMD_GROUP_NEW] = {{ silk_group_attrs, silk_group_type_attr }},
	[SILK_CMD_GROUP_CHANGE] = {{ silk_group_attrs }},
	[SILK_CMD_GROUP_DEL] = {{ silk_group_name_attr }},
	[SILK_CMD_GROUP_GET] = {{ silk_group_name_attr }},
	/* STATS_GET and CHAIN_FLUSH take nothing. */
};

/* What dumps filter by; a dump of the others takes nothing. */
static const struct silk_nl_attrs silk_dump_attrs[SILK_CMD_MAX + 1] = {
	[SILK_CMD_PATH_GET] = {{ silk_path_dump_attrs }},
	[SILK_CMD_CONN_GET] = {{ silk_path_id_attr }},
};

static bool silk_nl_attr_in(const struct silk_nl_attrs *set, int t)
{
	const u16 *a;
	int i;

	for (i = 0; i < ARRAY_SIZE(set->lists) && set->lists[i]; i++)
		for (a = set->lists[i]; *a; a++)
			if (*a == t)
				return true;
	return false;
}

int silk_nl_attrs_only(struct nlattr **tb, const struct silk_nl_attrs *set,
		       u16 also, struct netlink_ext_ack *extack)
{
	int t;

	for (t = 1; tb && t <= SILK_A_MAX; t++) {
		if (tb[t] && t != also && !silk_nl_attr_in(set, t)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[t],
					    "this request does not take this attribute");
			return -EINVAL;
		}
	}
	return 0;
}

int silk_nl_cmd_attrs(struct nlattr **tb, u8 cmd, u16 also,
		      struct netlink_ext_ack *extack)
{
	return silk_nl_attrs_only(tb, &silk_cmd_attrs[cmd], also, extack);
}

static int silk_nl_pre_doit(const struct genl_ops *ops, struct sk_buff *skb,
			    struct genl_info *info)
{
	return silk_nl_cmd_attrs(info->attrs, ops->cmd, 0, info->extack);
}

static int silk_nl_dump_start(struct netlink_callback *cb)
{
	const struct genl_dumpit_info *info = genl_dumpit_info(cb);

	return silk_nl_attrs_only(info->attrs, &silk_dump_attrs[info->op.cmd],
				  0, cb->extack);
}

/* A takeover default path: a protocol class and nothing else. */
static int silk_nl_parse_dflt(struct nlattr **tb, struct silk_binding *b,
			      struct netlink_ext_ack *extack)
{
	int i;

	if (NL_REQ_ATTR_CHECK(extack, NULL, tb, SILK_A_PATH_PROTO)) {
		NL_SET_ERR_MSG(extack, "a default path needs a protocol");
		return -EINVAL;
	}
	for (i = 0; silk_binding_attrs[i]; i++) {
		int t = silk_binding_attrs[i];

		if (t != SILK_A_PATH_PROTO && t != SILK_A_PATH_DEFAULT && tb[t]) {
			NL_SET_ERR_MSG_ATTR(extack, tb[t],
					    "a default path binds a protocol only: no port, family or address");
			return -EINVAL;
		}
	}
	b->proto = nla_get_u8(tb[SILK_A_PATH_PROTO]);
	if (b->proto != IPPROTO_TCP && b->proto != IPPROTO_UDP &&
	    b->proto != IPPROTO_ICMP && b->proto) {
		NL_SET_ERR_MSG_ATTR(extack, tb[SILK_A_PATH_PROTO],
				    "a default path's protocol is TCP (6), UDP (17), ICMP (1) or 0 for every other");
		return -EINVAL;
	}
	b->dflt = true;
	return 0;
}

static int silk_nl_family(struct silk_binding *b, u8 family,
			  const struct nlattr *attr,
			  struct netlink_ext_ack *extack)
{
	if (b->family && b->family != family) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "address family differs from the path's family");
		return -EINVAL;
	}
	b->family = family;
	return 0;
}

/* The binding attributes of a request; protocol and port are required. */
static int silk_nl_parse_binding(struct nlattr **tb, struct silk_binding *b,
				 struct netlink_ext_ack *extack)
{
	struct nlattr *a;
	int err;

	memset(b, 0, sizeof(*b));
	if (tb[SILK_A_PATH_DEFAULT])
		return silk_nl_parse_dflt(tb, b, extack);
	if (NL_REQ_ATTR_CHECK(extack, NULL, tb, SILK_A_PATH_PROTO) ||
	    NL_REQ_ATTR_CHECK(extack, NULL, tb, SILK_A_PATH_PORT)) {
		NL_SET_ERR_MSG(extack, "a path needs a protocol and a port");
		return -EINVAL;
	}
	b->proto = nla_get_u8(tb[SILK_A_PATH_PROTO]);
	if (b->proto != IPPROTO_TCP && b->proto != IPPROTO_UDP) {
		NL_SET_ERR_MSG_ATTR(extack, tb[SILK_A_PATH_PROTO],
				    "protocol must be TCP (6) or UDP (17)");
		return -EINVAL;
	}
	b->port = htons(nla_get_u16(tb[SILK_A_PATH_PORT]));

	a = tb[SILK_A_PATH_FAMILY];
	if (a) {
		b->family = nla_get_u8(a);
		if (b->family != AF_INET && b->family != AF_INET6) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "family must be AF_INET (2) or AF_INET6 (10)");
			return -EINVAL;
		}
	}

	if (tb[SILK_A_PATH_LADDR4] && tb[SILK_A_PATH_LADDR6]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[SILK_A_PATH_LADDR6],
				    "a path has at most one local address");
		return -EINVAL;
	}
	a = tb[SILK_A_PATH_LADDR4];
	if (a) {
		err = silk_nl_family(b, AF_INET, a, extack);
		if (err)
			return err;
		b->laddr.ip = nla_get_in_addr(a);
		if (ipv4_is_zeronet(b->laddr.ip)) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "local address is unspecified; leave it out to match any");
			return -EINVAL;
		}
		b->has_laddr = true;
	}
	a = tb[SILK_A_PATH_LADDR6];
	if (a) {
		err = silk_nl_family(b, AF_INET6, a, extack);
		if (err)
			return err;
		b->laddr.in6 = nla_get_in6_addr(a);
		if (ipv6_addr_any(&b->laddr.in6)) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "local address is unspecified; leave it out to match any");
			return -EINVAL;
		}
		b->has_laddr = true;
	}

	if (tb[SILK_A_PATH_RADDR4] && tb[SILK_A_PATH_RADDR6]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[SILK_A_PATH_RADDR6],
				    "a path has at most one remote prefix");
		return -EINVAL;
	}
	a = tb[SILK_A_PATH_RADDR4];
	if (a) {
		err = silk_nl_family(b, AF_INET, a, extack);
		if (err)
			return err;
		b->rplen = tb[SILK_A_PATH_RPLEN] ?
			   nla_get_u8(tb[SILK_A_PATH_RPLEN]) : 32;
		if (b->rplen > 32) {
			NL_SET_ERR_MSG_ATTR(extack, tb[SILK_A_PATH_RPLEN],
					    "IPv4 prefix length is at most 32");
			return -EINVAL;
		}
		b->raddr.ip = nla_get_in_addr(a);
		if (b->raddr.ip & ~inet_make_mask(b->rplen)) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "remote prefix has host bits set beyond its length");
			return -EINVAL;
		}
	}
	a = tb[SILK_A_PATH_RADDR6];
	if (a) {
		struct in6_addr masked;

		err = silk_nl_family(b, AF_INET6, a, extack);
		if (err)
			return err;
		b->rplen = tb[SILK_A_PATH_RPLEN] ?
			   nla_get_u8(tb[SILK_A_PATH_RPLEN]) : 128;
		b->raddr.in6 = nla_get_in6_addr(a);
		ipv6_addr_prefix(&masked, &b->raddr.in6, b->rplen);
		if (!ipv6_addr_equal(&masked, &b->raddr.in6)) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "remote prefix has host bits set beyond its length");
			return -EINVAL;
		}
	}
	if (tb[SILK_A_PATH_RPLEN] && !tb[SILK_A_PATH_RADDR4] &&
	    !tb[SILK_A_PATH_RADDR6]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[SILK_A_PATH_RPLEN],
				    "prefix length without a remote prefix");
		return -EINVAL;
	}
	/* A /0 prefix only restricts the family, which is already set. */
	b->has_raddr = b->rplen > 0;
	if (tb[SILK_A_PATH_DSCP]) {
		b->dscp = nla_get_u8(tb[SILK_A_PATH_DSCP]);
		b->has_dscp = true;
	}
	return 0;
}

/*
 * Whose tasks mirroring may raise: a uid, a gid or both, as given;
 * neither: the requester's effective uid. Realtime priority goes to no
 * task the administrator did not name.
 */
static int silk_nl_mirror_owner(struct nlattr **tb, struct silk_path_cfg *cfg,
				struct netlink_ext_ack *extack)
{
	struct nlattr *u = tb[SILK_A_PATH_MIRROR_UID];
	struct nlattr *g = tb[SILK_A_PATH_MIRROR_GID];

	cfg->mirror_uid = INVALID_UID;
	cfg->mirror_gid = INVALID_GID;
	if ((u || g) && !(cfg->set_mirror && cfg->mirror)) {
		NL_SET_ERR_MSG_ATTR(extack, u ?: g,
				    "the tasks to mirror are given with mirroring on");
		return -EINVAL;
	}
	if (u) {
		cfg->mirror_uid = make_kuid(current_user_ns(), nla_get_u32(u));
		if (!uid_valid(cfg->mirror_uid)) {
			NL_SET_ERR_MSG_ATTR(extack, u, "no such uid here");
			return -EINVAL;
		}
	}
	if (g) {
		cfg->mirror_gid = make_kgid(current_user_ns(), nla_get_u32(g));
		if (!gid_valid(cfg->mirror_gid)) {
			NL_SET_ERR_MSG_ATTR(extack, g, "no such gid here");
			return -EINVAL;
		}
	}
	if (!u && !g)
		cfg->mirror_uid = current_euid();
	cfg->set_mirror_owner = cfg->set_mirror && cfg->mirror;
	return 0;
}

static int silk_nl_parse_opts(struct nlattr **tb, struct silk_path_cfg *cfg,
			      struct netlink_ext_ack *extack)
{
	struct nlattr *a;

	if (tb[SILK_A_PATH_PRIO]) {
		cfg->prio = nla_get_u8(tb[SILK_A_PATH_PRIO]);
		cfg->set_prio = true;
	}
	if (tb[SILK_A_PATH_CLASS]) {
		cfg->class = nla_get_u8(tb[SILK_A_PATH_CLASS]);
		cfg->set_class = true;
	}
	if (tb[SILK_A_PATH_WEIGHT]) {
		cfg->weight = nla_get_u32(tb[SILK_A_PATH_WEIGHT]);
		cfg->set_weight = true;
	}
	if (tb[SILK_A_PATH_DEADLINE_US]) {
		cfg->deadline_us = nla_get_u32(tb[SILK_A_PATH_DEADLINE_US]);
		cfg->set_deadline = true;
	}
	if (tb[SILK_A_PATH_RUNTIME_US]) {
		cfg->runtime_us = nla_get_u32(tb[SILK_A_PATH_RUNTIME_US]);
		cfg->set_runtime = true;
	}
	if (tb[SILK_A_PATH_PERIOD_US]) {
		cfg->period_us = nla_get_u32(tb[SILK_A_PATH_PERIOD_US]);
		cfg->set_period = true;
	}
	if (tb[SILK_A_PATH_LIMIT_PKTS]) {
		cfg->limit_pkts = nla_get_u32(tb[SILK_A_PATH_LIMIT_PKTS]);
		cfg->set_limit_pkts = true;
	}
	if (tb[SILK_A_PATH_LIMIT_BYTES]) {
		cfg->limit_bytes = nla_get_u32(tb[SILK_A_PATH_LIMIT_BYTES]);
		cfg->set_limit_bytes = true;
	}
	a = tb[SILK_A_PATH_CPU];
	if (a) {
		u32 cpu = nla_get_u32(a);

		if (cpu >= nr_cpu_ids || !cpu_online(cpu)) {
			NL_SET_ERR_MSG_ATTR(extack, a, "CPU is not online");
			return -EINVAL;
		}
		cfg->cpu = cpu;
		cfg->set_cpu = true;
	}
	if (tb[SILK_A_PATH_NAME]) {
		nla_strscpy(cfg->name, tb[SILK_A_PATH_NAME], sizeof(cfg->name));
		cfg->set_name = true;
	}
	if (tb[SILK_A_PATH_LAZY]) {
		cfg->lazy = nla_get_u8(tb[SILK_A_PATH_LAZY]);
		cfg->set_lazy = true;
	}
	if (tb[SILK_A_PATH_MIRROR]) {
		cfg->mirror = nla_get_u8(tb[SILK_A_PATH_MIRROR]);
		cfg->set_mirror = true;
	}
	if (tb[SILK_A_PATH_CONNS]) {
		cfg->conns = nla_get_u8(tb[SILK_A_PATH_CONNS]);
		cfg->set_conns = true;
	}
	return silk_nl_mirror_owner(tb, cfg, extack);
}

/* The path a CHANGE, DEL or GET names, by id or by binding. */
static struct silk_path *silk_nl_path(struct silk_net *sn, struct nlattr **tb,
				      struct netlink_ext_ack *extack)
{
	struct silk_binding b;
	struct silk_path *p;
	int i, err;

	lockdep_assert_held(&sn->lock);
	if (tb[SILK_A_PATH_ID]) {
		for (i = 0; silk_binding_attrs[i]; i++) {
			if (tb[silk_binding_attrs[i]]) {
				NL_SET_ERR_MSG_ATTR(extack, tb[silk_binding_attrs[i]],
						    "name the path by id or by binding, not both");
				return ERR_PTR(-EINVAL);
			}
		}
		p = idr_find(&sn->ids, nla_get_u32(tb[SILK_A_PATH_ID]));
		if (!p) {
			NL_SET_ERR_MSG_ATTR(extack, tb[SILK_A_PATH_ID],
					    "no path with this id");
			return ERR_PTR(-ENOENT);
		}
		return p;
	}
	err = silk_nl_parse_binding(tb, &b, extack);
	if (err)
		return ERR_PTR(err);
	p = silk_path_find(sn, &b);
	if (!p) {
		NL_SET_ERR_MSG(extack, "no path with this binding");
		return ERR_PTR(-ENOENT);
	}
	return p;
}

static int silk_nl_put_stats(struct sk_buff *msg, struct silk_path *p)
{
	struct silk_path_stats st;
	u32 qlen, qbytes;
	struct nlattr *nest;

	silk_path_stats_read(p, &st, &qlen, &qbytes);
	nest = nla_nest_start(msg, SILK_A_PATH_STATS);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(msg, SILK_STATS_DELIVERED_PKTS, st.delivered_pkts,
			      SILK_STATS_PAD) ||
	    nla_put_u64_64bit(msg, SILK_STATS_DELIVERED_BYTES, st.delivered_bytes,
			      SILK_STATS_PAD) ||
	    nla_put_u64_64bit(msg, SILK_STATS_DROPPED_PKTS, st.dropped_pkts,
			      SILK_STATS_PAD) ||
	    nla_put_u64_64bit(msg, SILK_STATS_DROPPED_BYTES, st.dropped_bytes,
			      SILK_STATS_PAD) ||
	    nla_put_u64_64bit(msg, SILK_STATS_CPU_NS, st.cpu_ns,
			      SILK_STATS_PAD) ||
	    nla_put_u64_64bit(msg, SILK_STATS_QLEN, qlen, SILK_STATS_PAD) ||
	    nla_put_u64_64bit(msg, SILK_STATS_QBYTES, qbytes, SILK_STATS_PAD) ||
	    nla_put_u64_64bit(msg, SILK_STATS_QLEN_PEAK, st.qlen_peak,
			      SILK_STATS_PAD) ||
	    nla_put_u64_64bit(msg, SILK_STATS_QBYTES_PEAK, st.qbytes_peak,
			      SILK_STATS_PAD) ||
	    nla_put_u64_64bit(msg, SILK_STATS_BYPASS_PKTS, st.bypass_pkts,
			      SILK_STATS_PAD) ||
	    nla_put_u64_64bit(msg, SILK_STATS_DEVGONE_PKTS, st.devgone_pkts,
			      SILK_STATS_PAD) ||
	    nla_put_u64_64bit(msg, SILK_STATS_SOJOURN_SUM_NS, st.sojourn_sum_ns,
			      SILK_STATS_PAD) ||
	    nla_put_u64_64bit(msg, SILK_STATS_SOJOURN_MAX_NS, st.sojourn_max_ns,
			      SILK_STATS_PAD) ||
	    nla_put_u64_64bit(msg, SILK_STATS_DEADLINE_MISSES,
			      st.deadline_misses, SILK_STATS_PAD) ||
	    nla_put_u64_64bit(msg, SILK_STATS_THROTTLED, READ_ONCE(p->throttled),
			      SILK_STATS_PAD) ||
	    nla_put_u64_64bit(msg, SILK_STATS_PARKED, READ_ONCE(p->parked),
			      SILK_STATS_PAD) ||
	    nla_put_u64_64bit(msg, SILK_STATS_DIRECT_PKTS, st.direct_pkts,
			      SILK_STATS_PAD)) {
		nla_nest_cancel(msg, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}

static int silk_nl_put_binding(struct sk_buff *msg, const struct silk_binding *b)
{
	if (b->dflt)
		return nla_put_u8(msg, SILK_A_PATH_PROTO, b->proto) ||
		       nla_put_flag(msg, SILK_A_PATH_DEFAULT) ? -EMSGSIZE : 0;
	if (nla_put_u8(msg, SILK_A_PATH_PROTO, b->proto) ||
	    nla_put_u16(msg, SILK_A_PATH_PORT, ntohs(b->port)))
		return -EMSGSIZE;
	if (b->family && nla_put_u8(msg, SILK_A_PATH_FAMILY, b->family))
		return -EMSGSIZE;
	if (b->has_laddr) {
		if (b->family == AF_INET ?
		    nla_put_in_addr(msg, SILK_A_PATH_LADDR4, b->laddr.ip) :
		    nla_put_in6_addr(msg, SILK_A_PATH_LADDR6, &b->laddr.in6))
			return -EMSGSIZE;
	}
	if (b->has_raddr) {
		if (b->family == AF_INET ?
		    nla_put_in_addr(msg, SILK_A_PATH_RADDR4, b->raddr.ip) :
		    nla_put_in6_addr(msg, SILK_A_PATH_RADDR6, &b->raddr.in6))
			return -EMSGSIZE;
		if (nla_put_u8(msg, SILK_A_PATH_RPLEN, b->rplen))
			return -EMSGSIZE;
	}
	if (b->has_dscp && nla_put_u8(msg, SILK_A_PATH_DSCP, b->dscp))
		return -EMSGSIZE;
	return 0;
}

static int silk_nl_put_class(struct sk_buff *msg, const struct silk_path *p)
{
	u8 class = READ_ONCE(p->class);

	if (nla_put_u8(msg, SILK_A_PATH_CLASS, class))
		return -EMSGSIZE;
	if (class == SILK_CLASS_WFQ)
		return nla_put_u32(msg, SILK_A_PATH_WEIGHT, READ_ONCE(p->weight));
	if (class != SILK_CLASS_EDF)
		return 0;
	if (nla_put_u32(msg, SILK_A_PATH_DEADLINE_US,
			div_u64(READ_ONCE(p->deadline_ns), NSEC_PER_USEC)) ||
	    nla_put_u32(msg, SILK_A_PATH_RUNTIME_US,
			div_u64(READ_ONCE(p->runtime_ns), NSEC_PER_USEC)) ||
	    nla_put_u32(msg, SILK_A_PATH_PERIOD_US,
			div_u64(READ_ONCE(p->period_ns), NSEC_PER_USEC)))
		return -EMSGSIZE;
	return 0;
}

static int silk_nl_put_mirror_owner(struct sk_buff *msg,
				    const struct silk_path *p)
{
	struct user_namespace *ns = p->sn->net->user_ns;
	kuid_t uid = READ_ONCE(p->mirror_uid);
	kgid_t gid = READ_ONCE(p->mirror_gid);

	if (!READ_ONCE(p->mirror))
		return 0;
	if (uid_valid(uid) &&
	    nla_put_u32(msg, SILK_A_PATH_MIRROR_UID, from_kuid_munged(ns, uid)))
		return -EMSGSIZE;
	if (gid_valid(gid) &&
	    nla_put_u32(msg, SILK_A_PATH_MIRROR_GID, from_kgid_munged(ns, gid)))
		return -EMSGSIZE;
	return 0;
}

static int silk_nl_fill_path(struct sk_buff *msg, struct silk_path *p,
			     u32 portid, u32 seq, int flags, u8 cmd)
{
	void *hdr;

	hdr = genlmsg_put(msg, portid, seq, &silk_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(msg, SILK_A_PATH_ID, p->id) ||
	    silk_nl_put_binding(msg, &p->b) ||
	    nla_put_u8(msg, SILK_A_PATH_PRIO, READ_ONCE(p->prio)) ||
	    silk_nl_put_class(msg, p) ||
	    nla_put_u32(msg, SILK_A_PATH_LIMIT_PKTS, READ_ONCE(p->limit_pkts)) ||
	    nla_put_u32(msg, SILK_A_PATH_LIMIT_BYTES, READ_ONCE(p->limit_bytes)) ||
	    nla_put_u32(msg, SILK_A_PATH_CPU, READ_ONCE(p->cpu)) ||
	    nla_put_u8(msg, SILK_A_PATH_LAZY, READ_ONCE(p->lazy)) ||
	    nla_put_u8(msg, SILK_A_PATH_CONNS, READ_ONCE(p->conns)) ||
	    nla_put_u8(msg, SILK_A_PATH_MIRROR, READ_ONCE(p->mirror)) ||
	    nla_put_u32(msg, SILK_A_PATH_NCONNS, READ_ONCE(p->nconns_now)) ||
	    (p->name[0] && nla_put_string(msg, SILK_A_PATH_NAME, p->name)) ||
	    (p->owner &&
	     nla_put_u32(msg, SILK_A_PATH_OWNER_UID,
			 from_kuid_munged(p->sn->net->user_ns, p->owner_uid))) ||
	    silk_nl_put_mirror_owner(msg, p) ||
	    silk_nl_put_stats(msg, p)) {
		genlmsg_cancel(msg, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return 0;
}

static int silk_nl_reply_path(struct genl_info *info, struct silk_path *p,
			      struct sk_buff *msg)
{
	int err;

	err = silk_nl_fill_path(msg, p, info->snd_portid, info->snd_seq, 0,
				info->genlhdr->cmd);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

static int silk_nl_path_add(struct sk_buff *skb, struct genl_info *info)
{
	struct silk_net *sn = silk_pernet(genl_info_net(info));
	struct silk_path_cfg cfg = {};
	struct silk_path *p;
	struct sk_buff *msg;
	int err;

	if (info->attrs[SILK_A_PATH_ID]) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[SILK_A_PATH_ID],
				    "the kernel assigns path ids");
		return -EINVAL;
	}
	err = silk_nl_parse_binding(info->attrs, &cfg.b, info->extack);
	if (err)
		return err;
	err = silk_nl_parse_opts(info->attrs, &cfg, info->extack);
	if (err)
		return err;
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	mutex_lock(&sn->lock);
	p = silk_path_add(sn, &cfg, info->extack);
	if (IS_ERR(p)) {
		mutex_unlock(&sn->lock);
		nlmsg_free(msg);
		return PTR_ERR(p);
	}
	err = silk_nl_reply_path(info, p, msg);
	mutex_unlock(&sn->lock);
	return err;
}

static int silk_nl_path_change(struct sk_buff *skb, struct genl_info *info)
{
	struct silk_net *sn = silk_pernet(genl_info_net(info));
	struct silk_path_cfg cfg = {};
	struct silk_path *p;
	struct sk_buff *msg;
	int err;

	err = silk_nl_parse_opts(info->attrs, &cfg, info->extack);
	if (err)
		return err;
	if (!cfg.set_prio && !cfg.set_limit_pkts && !cfg.set_limit_bytes &&
	    !cfg.set_cpu && !cfg.set_name && !cfg.set_class &&
	    !cfg.set_weight && !cfg.set_deadline && !cfg.set_runtime &&
	    !cfg.set_period && !cfg.set_lazy && !cfg.set_conns &&
	    !cfg.set_mirror) {
		NL_SET_ERR_MSG(info->extack,
			       "nothing to change: give a class, class parameter, priority, limit, CPU, lazy, conns, mirror or name");
		return -EINVAL;
	}
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	mutex_lock(&sn->lock);
	p = silk_nl_path(sn, info->attrs, info->extack);
	if (IS_ERR(p)) {
		err = PTR_ERR(p);
		goto err_unlock;
	}
	err = silk_path_change(sn, p, &cfg, info->extack);
	if (err)
		goto err_unlock;
	err = silk_nl_reply_path(info, p, msg);
	mutex_unlock(&sn->lock);
	return err;

err_unlock:
	mutex_unlock(&sn->lock);
	nlmsg_free(msg);
	return err;
}

static int silk_nl_path_del(struct sk_buff *skb, struct genl_info *info)
{
	struct silk_net *sn = silk_pernet(genl_info_net(info));
	struct silk_path *p;
	int err = 0;

	mutex_lock(&sn->lock);
	p = silk_nl_path(sn, info->attrs, info->extack);
	if (IS_ERR(p))
		err = PTR_ERR(p);
	else
		silk_path_del(sn, p);
	mutex_unlock(&sn->lock);
	return err;
}

static int silk_nl_path_get(struct sk_buff *skb, struct genl_info *info)
{
	struct silk_net *sn = silk_pernet(genl_info_net(info));
	struct silk_path *p;
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&sn->lock);
	p = silk_nl_path(sn, info->attrs, info->extack);
	if (IS_ERR(p)) {
		mutex_unlock(&sn->lock);
		nlmsg_free(msg);
		return PTR_ERR(p);
	}
	err = silk_nl_reply_path(info, p, msg);
	mutex_unlock(&sn->lock);
	return err;
}

static int silk_nl_path_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct silk_net *sn = silk_pernet(sock_net(skb->sk));
	const struct genl_dumpit_info *info = genl_dumpit_info(cb);
	struct nlattr **tb = info->attrs;
	int id = cb->args[0];
	struct silk_path *p;
	int err = 0;

	mutex_lock(&sn->lock);
	for (p = idr_get_next(&sn->ids, &id); p;
	     id++, p = idr_get_next(&sn->ids, &id)) {
		if (tb[SILK_A_PATH_PROTO] &&
		    p->b.proto != nla_get_u8(tb[SILK_A_PATH_PROTO]))
			continue;
		if (tb[SILK_A_PATH_PORT] &&
		    (p->b.dflt ||
		     ntohs(p->b.port) != nla_get_u16(tb[SILK_A_PATH_PORT])))
			continue;
		err = silk_nl_fill_path(skb, p, NETLINK_CB(cb->skb).portid,
					cb->nlh->nlmsg_seq, NLM_F_MULTI,
					SILK_CMD_PATH_GET);
		if (err)
			break;
	}
	mutex_unlock(&sn->lock);
	cb->args[0] = id;
	if (err && !skb->len)
		return err;
	return skb->len;
}

static int silk_nl_stats_get(struct sk_buff *skb, struct genl_info *info)
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
	    nla_put_u32(msg, SILK_A_NS_PATHS, n) ||
	    nla_put_u64_64bit(msg, SILK_A_NS_QUEUED_BYTES,
			      atomic_long_read(&sn->queued_bytes), SILK_A_PAD) ||
	    nla_put_u64_64bit(msg, SILK_A_NS_CAP_DROPS,
			      atomic64_read(&sn->cap_drops), SILK_A_PAD) ||
	    nla_put_u64_64bit(msg, SILK_A_NS_CAP_BYTES, silk_queued_ns_cap(sn),
			      SILK_A_PAD) ||
	    nla_put_u64_64bit(msg, SILK_A_NS_BYPASS, bypass, SILK_A_PAD) ||
	    nla_put_u64_64bit(msg, SILK_A_NS_SHARE_YIELDS,
			      atomic64_read(&sn->share_yields), SILK_A_PAD) ||
	    nla_put_u64_64bit(msg, SILK_A_NS_LEVEL_CHANGES,
			      atomic64_read(&sn->level_changes), SILK_A_PAD) ||
	    nla_put_u8(msg, SILK_A_NS_PLACEMENT, READ_ONCE(sn->conn.placement)) ||
	    nla_put_u32(msg, SILK_A_NS_CONNS, atomic_read(&sn->conn.n)) ||
	    nla_put_u64_64bit(msg, SILK_A_NS_CONNS_OPENED,
			      atomic64_read(&sn->conn.opened), SILK_A_PAD) ||
	    nla_put_u64_64bit(msg, SILK_A_NS_CONNS_CLOSED,
			      atomic64_read(&sn->conn.closed), SILK_A_PAD) ||
	    nla_put_u64_64bit(msg, SILK_A_NS_CONN_OVERFLOWS,
			      atomic64_read(&sn->conn.overflows), SILK_A_PAD) ||
	    nla_put_u64_64bit(msg, SILK_A_GLOBAL_QUEUED_BYTES,
			      atomic_long_read(&silk_queued_bytes), SILK_A_PAD) ||
	    nla_put_u64_64bit(msg, SILK_A_GLOBAL_CAP_BYTES,
			      READ_ONCE(silk_max_queued_bytes), SILK_A_PAD) ||
	    nla_put_u64_64bit(msg, SILK_A_GLOBAL_QUEUED_PEAK,
			      atomic_long_read(&silk_queued_peak), SILK_A_PAD) ||
	    nla_put_u32(msg, SILK_A_GLOBAL_MIRROR_TASKS, silk_mirror_tasks()) ||
	    nla_put_u64_64bit(msg, SILK_A_GLOBAL_MIRROR_APPLIED,
			      atomic64_read(&silk_mirror_applied), SILK_A_PAD) ||
	    nla_put_u64_64bit(msg, SILK_A_GLOBAL_MIRROR_RESTORED,
			      atomic64_read(&silk_mirror_restored), SILK_A_PAD) ||
	    nla_put_u64_64bit(msg, SILK_A_GLOBAL_MIRROR_DL_FALLBACKS,
			      atomic64_read(&silk_level_dl_fallbacks),
			      SILK_A_PAD) ||
	    nla_put_u64_64bit(msg, SILK_A_GLOBAL_MIRROR_MISSED,
			      silk_mirror_missed(), SILK_A_PAD) ||
	    nla_put_u64_64bit(msg, SILK_A_GLOBAL_MIRROR_REFUSED,
			      atomic64_read(&silk_mirror_refused), SILK_A_PAD) ||
	    nla_put_u8(msg, SILK_A_NS_METER, READ_ONCE(sn->meter.on)) ||
	    nla_put_u32(msg, SILK_A_NS_METER_INTERVAL_MS,
			READ_ONCE(sn->meter.interval_ms)) ||
	    nla_put_u64_64bit(msg, SILK_A_NS_METER_MISSED,
			      atomic64_read(&sn->meter.missed), SILK_A_PAD)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int silk_nl_ns_set(struct sk_buff *skb, struct genl_info *info)
{
	struct silk_net *sn = silk_pernet(genl_info_net(info));
	struct nlattr **tb = info->attrs;
	u32 interval = 0;
	int err = 0;

	if (!tb[SILK_A_NS_PLACEMENT] && !tb[SILK_A_NS_METER] &&
	    !tb[SILK_A_NS_METER_INTERVAL_MS]) {
		NL_SET_ERR_MSG(info->extack,
			       "nothing to change: give a placement policy or sensor settings");
		return -EINVAL;
	}
	if (tb[SILK_A_NS_METER_INTERVAL_MS])
		interval = nla_get_u32(tb[SILK_A_NS_METER_INTERVAL_MS]);
	mutex_lock(&sn->lock);
	if (tb[SILK_A_NS_METER] || interval)
		err = silk_meter_set(sn, tb[SILK_A_NS_METER] ?
				     nla_get_u8(tb[SILK_A_NS_METER]) :
				     sn->meter.explicit, interval,
				     info->extack);
	if (!err && tb[SILK_A_NS_PLACEMENT])
		WRITE_ONCE(sn->conn.placement, nla_get_u8(tb[SILK_A_NS_PLACEMENT]));
	mutex_unlock(&sn->lock);
	return err;
}

static int silk_nl_put_meter(struct sk_buff *msg, struct silk_net *sn,
			     u16 port, u32 waiting)
{
	struct silk_meter_read r;

	if (nla_put_u16(msg, SILK_A_METER_PORT, port))
		return -EMSGSIZE;
	if (!silk_meter_read(sn, port, waiting, &r))
		return nla_put_u32(msg, SILK_A_METER_WAITING, waiting) ?
		       -EMSGSIZE : 0;
	if (nla_put_u32(msg, SILK_A_METER_WAITING, r.waiting) ||
	    nla_put_u32(msg, SILK_A_METER_LIVE, r.live) ||
	    nla_put_u64_64bit(msg, SILK_A_METER_ACCEPTED, r.accepted,
			      SILK_A_PAD) ||
	    nla_put_u64_64bit(msg, SILK_A_METER_DELAY_SUM_NS, r.delay_sum_ns,
			      SILK_A_PAD) ||
	    nla_put_u64_64bit(msg, SILK_A_METER_BYTES_IN, r.bytes_in,
			      SILK_A_PAD) ||
	    nla_put_u64_64bit(msg, SILK_A_METER_BYTES_OUT, r.bytes_out,
			      SILK_A_PAD) ||
	    nla_put_u64_64bit(msg, SILK_A_METER_RATE_ACCEPT_MILLI,
			      r.rate_accept_milli, SILK_A_PAD) ||
	    nla_put_u64_64bit(msg, SILK_A_METER_RATE_IN, r.rate_in,
			      SILK_A_PAD) ||
	    nla_put_u64_64bit(msg, SILK_A_METER_RATE_OUT, r.rate_out,
			      SILK_A_PAD) ||
	    nla_put_u64_64bit(msg, SILK_A_METER_RATE_DELAY_NS,
			      r.rate_delay_ns, SILK_A_PAD))
		return -EMSGSIZE;
	return 0;
}

static int silk_nl_meter_get(struct sk_buff *skb, struct genl_info *info)
{
	struct silk_net *sn = silk_pernet(genl_info_net(info));
	struct sk_buff *msg;
	u16 port;
	void *hdr;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, SILK_A_METER_PORT))
		return -EINVAL;
	port = nla_get_u16(info->attrs[SILK_A_METER_PORT]);
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &silk_genl_family, 0,
				SILK_CMD_METER_GET);
	mutex_lock(&sn->lock);
	err = hdr ? silk_nl_put_meter(msg, sn, port,
				      silk_listen_backlog(sn->net, port)) :
		    -EMSGSIZE;
	mutex_unlock(&sn->lock);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/*
 * The listeners are counted once a dump, not once a message: the walk
 * covers every namespace's listening hash, and anybody may dump.
 * cb->args[1]: the counts (silk_listen_backlogs()), charged to the caller.
 */
static int silk_nl_meter_dump_start(struct netlink_callback *cb)
{
	int err = silk_nl_dump_start(cb);
	u32 *waiting;

	if (err)
		return err;
	waiting = kvcalloc(SILK_NPORTS, sizeof(*waiting), GFP_KERNEL_ACCOUNT);
	if (!waiting)
		return -ENOMEM;
	silk_listen_backlogs(sock_net(cb->skb->sk), waiting);
	cb->args[1] = (unsigned long)waiting;
	return 0;
}

static int silk_nl_meter_dump_done(struct netlink_callback *cb)
{
	kvfree((u32 *)cb->args[1]);
	return 0;
}

/* cb->args[0]: the next port. */
static int silk_nl_meter_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct silk_net *sn = silk_pernet(sock_net(skb->sk));
	const u32 *waiting = (const u32 *)cb->args[1];
	unsigned long port = cb->args[0];
	int err = 0;
	void *hdr;

	mutex_lock(&sn->lock);
	for (; port < SILK_NPORTS; port++) {
		if (!waiting[port] &&
		    !(sn->meter.on && READ_ONCE(sn->meter.slots[port])))
			continue;
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &silk_genl_family,
				  NLM_F_MULTI, SILK_CMD_METER_GET);
		if (!hdr || silk_nl_put_meter(skb, sn, port,
					      waiting[port] ? waiting[port] - 1 :
					      0)) {
			if (hdr)
				genlmsg_cancel(skb, hdr);
			err = -EMSGSIZE;
			break;
		}
		genlmsg_end(skb, hdr);
	}
	mutex_unlock(&sn->lock);
	cb->args[0] = port;
	if (err && !skb->len)
		return err;
	return skb->len;
}

static int silk_nl_put_conn(struct sk_buff *msg, struct silk_path *c)
{
	const struct silk_conn_key *k = &c->ckey;
	int err;

	if (k->family == AF_INET)
		err = nla_put_in_addr(msg, SILK_A_CONN_RADDR4, k->raddr.ip) ||
		      nla_put_in_addr(msg, SILK_A_CONN_LADDR4, k->laddr.ip);
	else
		err = nla_put_in6_addr(msg, SILK_A_CONN_RADDR6, &k->raddr.in6) ||
		      nla_put_in6_addr(msg, SILK_A_CONN_LADDR6, &k->laddr.in6);
	if (err ||
	    nla_put_u32(msg, SILK_A_PATH_ID, c->parent->id) ||
	    nla_put_u16(msg, SILK_A_CONN_RPORT, ntohs(k->rport)) ||
	    nla_put_u16(msg, SILK_A_CONN_LPORT, ntohs(k->lport)) ||
	    nla_put_u8(msg, SILK_A_PATH_PRIO, READ_ONCE(c->prio)) ||
	    silk_nl_put_class(msg, c) ||
	    nla_put_u8(msg, SILK_A_PATH_MIRROR, READ_ONCE(c->mirror)) ||
	    nla_put_u32(msg, SILK_A_PATH_CPU, READ_ONCE(c->cpu)) ||
	    silk_nl_put_stats(msg, c))
		return -EMSGSIZE;
	return 0;
}

/*
 * cb->args[0]: listen path id; cb->args[1]: connections of it done. A
 * dump resumes by position: if connections came or went in between, its
 * messages say so (NLM_F_DUMP_INTR), as rtnetlink's do.
 */
static int silk_nl_conn_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct silk_net *sn = silk_pernet(sock_net(skb->sk));
	const struct genl_dumpit_info *info = genl_dumpit_info(cb);
	struct nlattr *only = info->attrs[SILK_A_PATH_ID];
	int id = cb->args[0];
	long skip = cb->args[1], n;
	struct silk_path *p, *c;
	int err = 0;
	void *hdr;

	mutex_lock(&sn->lock);
	for (p = idr_get_next(&sn->ids, &id); p;
	     id++, skip = 0, p = idr_get_next(&sn->ids, &id)) {
		if (only && p->id != nla_get_u32(only))
			continue;
		n = 0;
		spin_lock_bh(&sn->conn.lock);
		/* 0 means "not set" to the consistency check. */
		cb->seq = sn->conn.gen + 1;
		list_for_each_entry(c, &p->conn_list, conn_node) {
			if (n++ < skip)
				continue;
			hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
					  cb->nlh->nlmsg_seq, &silk_genl_family,
					  NLM_F_MULTI, SILK_CMD_CONN_GET);
			if (hdr)
				genl_dump_check_consistent(cb, hdr);
			if (!hdr || silk_nl_put_conn(skb, c)) {
				if (hdr)
					genlmsg_cancel(skb, hdr);
				err = -EMSGSIZE;
				break;
			}
			genlmsg_end(skb, hdr);
			skip = n;
		}
		spin_unlock_bh(&sn->conn.lock);
		if (err)
			break;
	}
	mutex_unlock(&sn->lock);
	cb->args[0] = id;
	cb->args[1] = skip;
	if (err && !skb->len)
		return err;
	return skb->len;
}

/* Commands that dump: their requests are checked when a dump starts. */
static const struct genl_ops silk_genl_full_ops[] = {
	{
		.cmd = SILK_CMD_PATH_GET,
		.doit = silk_nl_path_get,
		.start = silk_nl_dump_start,
		.dumpit = silk_nl_path_dump,
	},
	{
		.cmd = SILK_CMD_CONN_GET,
		.start = silk_nl_dump_start,
		.dumpit = silk_nl_conn_dump,
	},
	{
		.cmd = SILK_CMD_CHAIN_GET,
		.doit = silk_nl_chain_get,
		.start = silk_nl_dump_start,
		.dumpit = silk_nl_chain_dump,
	},
	{
		.cmd = SILK_CMD_METER_GET,
		.doit = silk_nl_meter_get,
		.start = silk_nl_meter_dump_start,
		.dumpit = silk_nl_meter_dump,
		.done = silk_nl_meter_dump_done,
	},
	{
		.cmd = SILK_CMD_GROUP_GET,
		.doit = silk_nl_group_get,
		.start = silk_nl_dump_start,
		.dumpit = silk_nl_group_dump,
	},
};

static const struct genl_small_ops silk_genl_ops[] = {
	{
		.cmd = SILK_CMD_PATH_ADD,
		.doit = silk_nl_path_add,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = SILK_CMD_PATH_CHANGE,
		.doit = silk_nl_path_change,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = SILK_CMD_PATH_DEL,
		.doit = silk_nl_path_del,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = SILK_CMD_STATS_GET,
		.doit = silk_nl_stats_get,
	},
	{
		.cmd = SILK_CMD_NS_SET,
		.doit = silk_nl_ns_set,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = SILK_CMD_CHAIN_NEW,
		.doit = silk_nl_chain_cmd,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = SILK_CMD_CHAIN_DEL,
		.doit = silk_nl_chain_cmd,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = SILK_CMD_COND_NEW,
		.doit = silk_nl_chain_cmd,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = SILK_CMD_CHAIN_FLUSH,
		.doit = silk_nl_chain_cmd,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = SILK_CMD_CHAIN_BATCH,
		.doit = silk_nl_chain_batch,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = SILK_CMD_GROUP_NEW,
		.doit = silk_nl_group_new,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = SILK_CMD_GROUP_CHANGE,
		.doit = silk_nl_group_change,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = SILK_CMD_GROUP_DEL,
		.doit = silk_nl_group_del,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

struct genl_family silk_genl_family __ro_after_init = {
	.name = SILK_GENL_NAME,
	.version = SILK_GENL_VERSION,
	.maxattr = SILK_A_MAX,
	.policy = silk_policy,
	.netnsok = true,
	.parallel_ops = true,
	.module = THIS_MODULE,
	.ops = silk_genl_full_ops,
	.n_ops = ARRAY_SIZE(silk_genl_full_ops),
	.small_ops = silk_genl_ops,
	.n_small_ops = ARRAY_SIZE(silk_genl_ops),
	.pre_doit = silk_nl_pre_doit,
};

int __init silk_genl_init(void)
{
	return genl_register_family(&silk_genl_family);
}

void silk_genl_exit(void)
{
	genl_unregister_family(&silk_genl_family);
}
