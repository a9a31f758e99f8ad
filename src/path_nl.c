// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink commands of paths and connection paths: requests parsed into a
 * struct silk_path_cfg for path.c, and paths put into replies.
 */
#include <linux/cpumask.h>
#include <linux/inetdevice.h>
#include <net/genetlink.h>
#include <net/ipv6.h>
#include <uapi/linux/silk.h>

#include "netlink.h"
#include "netns.h"
#include "path.h"
#include "port.h"
#include "queue.h"

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

static struct netlink_range_validation silk_weight_range = {
	.min = SILK_WEIGHT_MIN,
	.max = SILK_WEIGHT_MAX,
};

#define SILK_PATH_BINDING_POLICY \
	[SILK_PATH_A_PROTO]	= { .type = NLA_U8 }, \
	[SILK_PATH_A_PORT]	= NLA_POLICY_MIN(NLA_U16, 1), \
	[SILK_PATH_A_FAMILY]	= { .type = NLA_U8 }, \
	[SILK_PATH_A_LADDR4]	= NLA_POLICY_EXACT_LEN(sizeof(struct in_addr)), \
	[SILK_PATH_A_LADDR6]	= NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)), \
	[SILK_PATH_A_RADDR4]	= NLA_POLICY_EXACT_LEN(sizeof(struct in_addr)), \
	[SILK_PATH_A_RADDR6]	= NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)), \
	[SILK_PATH_A_RPLEN]	= NLA_POLICY_MAX(NLA_U8, 128), \
	[SILK_PATH_A_DSCP]	= NLA_POLICY_MAX(NLA_U8, SILK_DSCP_MAX), \
	[SILK_PATH_A_DEFAULT]	= { .type = NLA_FLAG }, \
	[SILK_PATH_A_PAD]	= SILK_NL_REPLY_ONLY, \
	[SILK_PATH_A_STATS]	= SILK_NL_REPLY_ONLY, \
	[SILK_PATH_A_NCONNS]	= SILK_NL_REPLY_ONLY, \
	[SILK_PATH_A_OWNER_UID]	= SILK_NL_REPLY_ONLY, \
	[SILK_PATH_A_CONN]	= SILK_NL_REPLY_ONLY

#define SILK_PATH_OPTS_POLICY \
	[SILK_PATH_A_CLASS]	= NLA_POLICY_MAX(NLA_U8, SILK_CLASS_MAX), \
	[SILK_PATH_A_PRIO]	= NLA_POLICY_MAX(NLA_U8, SILK_PRIO_MAX), \
	[SILK_PATH_A_DEADLINE_US] = NLA_POLICY_FULL_RANGE(NLA_U32, \
							  &silk_edf_us_range), \
	[SILK_PATH_A_RUNTIME_US] = NLA_POLICY_FULL_RANGE(NLA_U32, \
							 &silk_edf_us_range), \
	[SILK_PATH_A_PERIOD_US]	= NLA_POLICY_FULL_RANGE(NLA_U32, \
							&silk_edf_us_range), \
	[SILK_PATH_A_WEIGHT]	= NLA_POLICY_FULL_RANGE(NLA_U32, \
							&silk_weight_range), \
	[SILK_PATH_A_LIMIT_PKTS] = NLA_POLICY_FULL_RANGE(NLA_U32, \
							 &silk_limit_pkts_range), \
	[SILK_PATH_A_LIMIT_BYTES] = NLA_POLICY_FULL_RANGE(NLA_U32, \
							  &silk_limit_bytes_range), \
	[SILK_PATH_A_CPU]	= { .type = NLA_U32 }, \
	[SILK_PATH_A_NAME]	= { .type = NLA_NUL_STRING, \
				    .len = SILK_NAME_MAX - 1 }, \
	[SILK_PATH_A_LAZY]	= NLA_POLICY_MAX(NLA_U8, 1), \
	[SILK_PATH_A_CONNS]	= NLA_POLICY_MAX(NLA_U8, 1), \
	[SILK_PATH_A_MIRROR]	= NLA_POLICY_MAX(NLA_U8, 1), \
	[SILK_PATH_A_MIRROR_UID] = { .type = NLA_U32 }, \
	[SILK_PATH_A_MIRROR_GID] = { .type = NLA_U32 }

/* PATH_ADD: a binding and options; the kernel picks the id. */
const struct nla_policy silk_path_add_policy[SILK_PATH_A_MAX + 1] = {
	SILK_PATH_BINDING_POLICY,
	SILK_PATH_OPTS_POLICY,
	[SILK_PATH_A_ID]	= { .type = NLA_REJECT,
				    .reject_message = "the kernel assigns path ids" },
};

/* PATH_CHANGE: a path by id or binding, and options. */
const struct nla_policy silk_path_change_policy[SILK_PATH_A_MAX + 1] = {
	SILK_PATH_BINDING_POLICY,
	SILK_PATH_OPTS_POLICY,
	[SILK_PATH_A_ID]	= NLA_POLICY_MIN(NLA_U32, 1),
};

/* PATH_DEL, PATH_GET: a path by id or binding; a dump: PROTO and PORT. */
const struct nla_policy silk_path_get_policy[SILK_PATH_A_MAX + 1] = {
	SILK_PATH_BINDING_POLICY,
	[SILK_PATH_A_ID]	= NLA_POLICY_MIN(NLA_U32, 1),
};

/* CONN_GET: the listen path's id. */
const struct nla_policy silk_conn_get_policy[SILK_PATH_A_MAX + 1] = {
	[SILK_PATH_A_ID]	= NLA_POLICY_MIN(NLA_U32, 1),
};

/* What binds a path, as PATH_CHANGE, DEL and GET name it. */
static const u16 silk_binding_attrs[] = {
	SILK_PATH_A_PROTO, SILK_PATH_A_PORT, SILK_PATH_A_FAMILY,
	SILK_PATH_A_LADDR4, SILK_PATH_A_LADDR6, SILK_PATH_A_RADDR4,
	SILK_PATH_A_RADDR6, SILK_PATH_A_RPLEN, SILK_PATH_A_DEFAULT,
	SILK_PATH_A_DSCP, 0
};

/* A takeover default path: a protocol class and nothing else. */
static int silk_nl_parse_dflt(struct nlattr **tb, struct silk_binding *b,
			      struct netlink_ext_ack *extack)
{
	int i;

	if (NL_REQ_ATTR_CHECK(extack, NULL, tb, SILK_PATH_A_PROTO)) {
		NL_SET_ERR_MSG(extack, "a default path needs a protocol");
		return -EINVAL;
	}
	for (i = 0; silk_binding_attrs[i]; i++) {
		int t = silk_binding_attrs[i];

		if (t != SILK_PATH_A_PROTO && t != SILK_PATH_A_DEFAULT && tb[t]) {
			NL_SET_ERR_MSG_ATTR(extack, tb[t],
					    "a default path binds a protocol only: no port, family or address");
			return -EINVAL;
		}
	}
	b->proto = nla_get_u8(tb[SILK_PATH_A_PROTO]);
	if (b->proto != IPPROTO_TCP && b->proto != IPPROTO_UDP &&
	    b->proto != IPPROTO_ICMP && b->proto) {
		NL_SET_ERR_MSG_ATTR(extack, tb[SILK_PATH_A_PROTO],
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

/*
 * The address of @tb's attribute @a4 (IPv4) or else @a6 (IPv6) into
 * @addr; its family also the binding's. Returns the family, 0 if neither
 * is given, or an error.
 */
static int silk_nl_addr(struct nlattr **tb, int a4, int a6,
			struct silk_binding *b, union nf_inet_addr *addr,
			struct netlink_ext_ack *extack)
{
	struct nlattr *a = tb[a4] ?: tb[a6];
	u8 family = tb[a4] ? AF_INET : AF_INET6;
	int err;

	if (!a)
		return 0;
	if (tb[a4] && tb[a6]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[a6],
				    "a path has at most one address on each side: IPv4 or IPv6");
		return -EINVAL;
	}
	err = silk_nl_family(b, family, a, extack);
	if (err)
		return err;
	if (family == AF_INET)
		addr->ip = nla_get_in_addr(a);
	else
		addr->in6 = nla_get_in6_addr(a);
	return family;
}

/* The binding attributes of a request; protocol and port are required. */
static int silk_nl_parse_binding(struct nlattr **tb, struct silk_binding *b,
				 struct netlink_ext_ack *extack)
{
	struct nlattr *a;
	int fam;

	memset(b, 0, sizeof(*b));
	if (tb[SILK_PATH_A_DEFAULT])
		return silk_nl_parse_dflt(tb, b, extack);
	if (NL_REQ_ATTR_CHECK(extack, NULL, tb, SILK_PATH_A_PROTO) ||
	    NL_REQ_ATTR_CHECK(extack, NULL, tb, SILK_PATH_A_PORT)) {
		NL_SET_ERR_MSG(extack, "a path needs a protocol and a port");
		return -EINVAL;
	}
	b->proto = nla_get_u8(tb[SILK_PATH_A_PROTO]);
	if (b->proto != IPPROTO_TCP && b->proto != IPPROTO_UDP) {
		NL_SET_ERR_MSG_ATTR(extack, tb[SILK_PATH_A_PROTO],
				    "protocol must be TCP (6) or UDP (17)");
		return -EINVAL;
	}
	b->port = htons(nla_get_u16(tb[SILK_PATH_A_PORT]));

	a = tb[SILK_PATH_A_FAMILY];
	if (a) {
		b->family = nla_get_u8(a);
		if (b->family != AF_INET && b->family != AF_INET6) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "family must be AF_INET (2) or AF_INET6 (10)");
			return -EINVAL;
		}
	}

	fam = silk_nl_addr(tb, SILK_PATH_A_LADDR4, SILK_PATH_A_LADDR6, b,
			   &b->laddr, extack);
	if (fam < 0)
		return fam;
	if (fam) {
		if (fam == AF_INET ? ipv4_is_zeronet(b->laddr.ip) :
		    ipv6_addr_any(&b->laddr.in6)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[SILK_PATH_A_LADDR4] ?:
					    tb[SILK_PATH_A_LADDR6],
					    "local address is unspecified; leave it out to match any");
			return -EINVAL;
		}
		b->has_laddr = true;
	}
	fam = silk_nl_addr(tb, SILK_PATH_A_RADDR4, SILK_PATH_A_RADDR6, b,
			   &b->raddr, extack);
	if (fam < 0)
		return fam;
	a = tb[SILK_PATH_A_RADDR4] ?: tb[SILK_PATH_A_RADDR6];
	if (fam == AF_INET) {
		b->rplen = tb[SILK_PATH_A_RPLEN] ?
			   nla_get_u8(tb[SILK_PATH_A_RPLEN]) : 32;
		if (b->rplen > 32) {
			NL_SET_ERR_MSG_ATTR(extack, tb[SILK_PATH_A_RPLEN],
					    "IPv4 prefix length is at most 32");
			return -EINVAL;
		}
		if (b->raddr.ip & ~inet_make_mask(b->rplen)) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "remote prefix has host bits set beyond its length");
			return -EINVAL;
		}
	} else if (fam == AF_INET6) {
		struct in6_addr masked;

		b->rplen = tb[SILK_PATH_A_RPLEN] ?
			   nla_get_u8(tb[SILK_PATH_A_RPLEN]) : 128;
		ipv6_addr_prefix(&masked, &b->raddr.in6, b->rplen);
		if (!ipv6_addr_equal(&masked, &b->raddr.in6)) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "remote prefix has host bits set beyond its length");
			return -EINVAL;
		}
	}
	if (tb[SILK_PATH_A_RPLEN] && !tb[SILK_PATH_A_RADDR4] &&
	    !tb[SILK_PATH_A_RADDR6]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[SILK_PATH_A_RPLEN],
				    "prefix length without a remote prefix");
		return -EINVAL;
	}
	/* A /0 prefix only restricts the family, which is already set. */
	b->has_raddr = b->rplen > 0;
	if (tb[SILK_PATH_A_DSCP]) {
		b->dscp = nla_get_u8(tb[SILK_PATH_A_DSCP]);
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
	struct nlattr *u = tb[SILK_PATH_A_MIRROR_UID];
	struct nlattr *g = tb[SILK_PATH_A_MIRROR_GID];

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

	if (tb[SILK_PATH_A_PRIO]) {
		cfg->prio = nla_get_u8(tb[SILK_PATH_A_PRIO]);
		cfg->set_prio = true;
	}
	if (tb[SILK_PATH_A_CLASS]) {
		cfg->class = nla_get_u8(tb[SILK_PATH_A_CLASS]);
		cfg->set_class = true;
	}
	if (tb[SILK_PATH_A_WEIGHT]) {
		cfg->weight = nla_get_u32(tb[SILK_PATH_A_WEIGHT]);
		cfg->set_weight = true;
	}
	if (tb[SILK_PATH_A_DEADLINE_US]) {
		cfg->deadline_us = nla_get_u32(tb[SILK_PATH_A_DEADLINE_US]);
		cfg->set_deadline = true;
	}
	if (tb[SILK_PATH_A_RUNTIME_US]) {
		cfg->runtime_us = nla_get_u32(tb[SILK_PATH_A_RUNTIME_US]);
		cfg->set_runtime = true;
	}
	if (tb[SILK_PATH_A_PERIOD_US]) {
		cfg->period_us = nla_get_u32(tb[SILK_PATH_A_PERIOD_US]);
		cfg->set_period = true;
	}
	if (tb[SILK_PATH_A_LIMIT_PKTS]) {
		cfg->limit_pkts = nla_get_u32(tb[SILK_PATH_A_LIMIT_PKTS]);
		cfg->set_limit_pkts = true;
	}
	if (tb[SILK_PATH_A_LIMIT_BYTES]) {
		cfg->limit_bytes = nla_get_u32(tb[SILK_PATH_A_LIMIT_BYTES]);
		cfg->set_limit_bytes = true;
	}
	a = tb[SILK_PATH_A_CPU];
	if (a) {
		u32 cpu = nla_get_u32(a);

		if (cpu >= nr_cpu_ids || !cpu_online(cpu)) {
			NL_SET_ERR_MSG_ATTR(extack, a, "CPU is not online");
			return -EINVAL;
		}
		cfg->cpu = cpu;
		cfg->set_cpu = true;
	}
	if (tb[SILK_PATH_A_NAME]) {
		nla_strscpy(cfg->name, tb[SILK_PATH_A_NAME], sizeof(cfg->name));
		cfg->set_name = true;
	}
	if (tb[SILK_PATH_A_LAZY]) {
		cfg->lazy = nla_get_u8(tb[SILK_PATH_A_LAZY]);
		cfg->set_lazy = true;
	}
	if (tb[SILK_PATH_A_MIRROR]) {
		cfg->mirror = nla_get_u8(tb[SILK_PATH_A_MIRROR]);
		cfg->set_mirror = true;
	}
	if (tb[SILK_PATH_A_CONNS]) {
		cfg->conns = nla_get_u8(tb[SILK_PATH_A_CONNS]);
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
	if (tb[SILK_PATH_A_ID]) {
		for (i = 0; silk_binding_attrs[i]; i++) {
			if (tb[silk_binding_attrs[i]]) {
				NL_SET_ERR_MSG_ATTR(extack, tb[silk_binding_attrs[i]],
						    "name the path by id or by binding, not both");
				return ERR_PTR(-EINVAL);
			}
		}
		p = idr_find(&sn->ids, nla_get_u32(tb[SILK_PATH_A_ID]));
		if (!p) {
			NL_SET_ERR_MSG_ATTR(extack, tb[SILK_PATH_A_ID],
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

/* The statistics kept in struct silk_path_stats, and their attributes. */
static const struct {
	u16 attr;
	u16 off;
} silk_nl_stats[] = {
#define SILK_NL_STAT(a, f) { SILK_STATS_##a, offsetof(struct silk_path_stats, f) }
	SILK_NL_STAT(DELIVERED_PKTS, delivered_pkts),
	SILK_NL_STAT(DELIVERED_BYTES, delivered_bytes),
	SILK_NL_STAT(DROPPED_PKTS, dropped_pkts),
	SILK_NL_STAT(DROPPED_BYTES, dropped_bytes),
	SILK_NL_STAT(CPU_NS, cpu_ns),
	SILK_NL_STAT(BYPASS_PKTS, bypass_pkts),
	SILK_NL_STAT(DEVGONE_PKTS, devgone_pkts),
	SILK_NL_STAT(SOJOURN_SUM_NS, sojourn_sum_ns),
	SILK_NL_STAT(SOJOURN_MAX_NS, sojourn_max_ns),
	SILK_NL_STAT(DEADLINE_MISSES, deadline_misses),
	SILK_NL_STAT(DIRECT_PKTS, direct_pkts),
	SILK_NL_STAT(DROP_LIMIT_PKTS, drop_limit_pkts),
	SILK_NL_STAT(DROP_LIMIT_BYTES, drop_limit_bytes),
	SILK_NL_STAT(DROP_PATH_SHARE, drop_path_share),
	SILK_NL_STAT(DROP_CAP_NS, drop_cap_ns),
	SILK_NL_STAT(DROP_CAP_GLOBAL, drop_cap_global),
	SILK_NL_STAT(DROP_NOREF, drop_noref),
#undef SILK_NL_STAT
};

static int silk_nl_put_stats(struct sk_buff *msg, struct silk_path *p)
{
	struct silk_path_stats st;
	u32 qlen, qbytes;
	struct nlattr *nest;
	unsigned int i;

	silk_path_stats_read(p, &st, &qlen, &qbytes);
	nest = nla_nest_start(msg, SILK_PATH_A_STATS);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < ARRAY_SIZE(silk_nl_stats); i++)
		if (nla_put_u64_64bit(msg, silk_nl_stats[i].attr,
				      *(u64 *)((u8 *)&st + silk_nl_stats[i].off),
				      SILK_STATS_PAD))
			goto cancel;
	if (nla_put_u64_64bit(msg, SILK_STATS_QLEN, qlen, SILK_STATS_PAD) ||
	    nla_put_u64_64bit(msg, SILK_STATS_QBYTES, qbytes, SILK_STATS_PAD) ||
	    nla_put_u64_64bit(msg, SILK_STATS_QLEN_PEAK, st.qlen_peak,
			      SILK_STATS_PAD) ||
	    nla_put_u64_64bit(msg, SILK_STATS_QBYTES_PEAK, st.qbytes_peak,
			      SILK_STATS_PAD) ||
	    nla_put_u64_64bit(msg, SILK_STATS_THROTTLED, READ_ONCE(p->throttled),
			      SILK_STATS_PAD) ||
	    nla_put_u64_64bit(msg, SILK_STATS_PARKED, READ_ONCE(p->parked),
			      SILK_STATS_PAD))
		goto cancel;
	nla_nest_end(msg, nest);
	return 0;
cancel:
	nla_nest_cancel(msg, nest);
	return -EMSGSIZE;
}

static int silk_nl_put_binding(struct sk_buff *msg, const struct silk_binding *b)
{
	if (b->dflt)
		return nla_put_u8(msg, SILK_PATH_A_PROTO, b->proto) ||
		       nla_put_flag(msg, SILK_PATH_A_DEFAULT) ? -EMSGSIZE : 0;
	if (nla_put_u8(msg, SILK_PATH_A_PROTO, b->proto) ||
	    nla_put_u16(msg, SILK_PATH_A_PORT, ntohs(b->port)))
		return -EMSGSIZE;
	if (b->family && nla_put_u8(msg, SILK_PATH_A_FAMILY, b->family))
		return -EMSGSIZE;
	if (b->has_laddr) {
		if (b->family == AF_INET ?
		    nla_put_in_addr(msg, SILK_PATH_A_LADDR4, b->laddr.ip) :
		    nla_put_in6_addr(msg, SILK_PATH_A_LADDR6, &b->laddr.in6))
			return -EMSGSIZE;
	}
	if (b->has_raddr) {
		if (b->family == AF_INET ?
		    nla_put_in_addr(msg, SILK_PATH_A_RADDR4, b->raddr.ip) :
		    nla_put_in6_addr(msg, SILK_PATH_A_RADDR6, &b->raddr.in6))
			return -EMSGSIZE;
		if (nla_put_u8(msg, SILK_PATH_A_RPLEN, b->rplen))
			return -EMSGSIZE;
	}
	if (b->has_dscp && nla_put_u8(msg, SILK_PATH_A_DSCP, b->dscp))
		return -EMSGSIZE;
	return 0;
}

static int silk_nl_put_class(struct sk_buff *msg, const struct silk_path *p)
{
	u8 class = READ_ONCE(p->class);

	if (nla_put_u8(msg, SILK_PATH_A_CLASS, class))
		return -EMSGSIZE;
	if (class == SILK_CLASS_WFQ)
		return nla_put_u32(msg, SILK_PATH_A_WEIGHT, READ_ONCE(p->weight));
	if (class != SILK_CLASS_EDF)
		return 0;
	if (nla_put_u32(msg, SILK_PATH_A_DEADLINE_US,
			div_u64(READ_ONCE(p->deadline_ns), NSEC_PER_USEC)) ||
	    nla_put_u32(msg, SILK_PATH_A_RUNTIME_US,
			div_u64(READ_ONCE(p->runtime_ns), NSEC_PER_USEC)) ||
	    nla_put_u32(msg, SILK_PATH_A_PERIOD_US,
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
	    nla_put_u32(msg, SILK_PATH_A_MIRROR_UID, from_kuid_munged(ns, uid)))
		return -EMSGSIZE;
	if (gid_valid(gid) &&
	    nla_put_u32(msg, SILK_PATH_A_MIRROR_GID, from_kgid_munged(ns, gid)))
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
	if (nla_put_u32(msg, SILK_PATH_A_ID, p->id) ||
	    silk_nl_put_binding(msg, &p->b) ||
	    nla_put_u8(msg, SILK_PATH_A_PRIO, READ_ONCE(p->prio)) ||
	    silk_nl_put_class(msg, p) ||
	    nla_put_u32(msg, SILK_PATH_A_LIMIT_PKTS, READ_ONCE(p->limit_pkts)) ||
	    nla_put_u32(msg, SILK_PATH_A_LIMIT_BYTES, READ_ONCE(p->limit_bytes)) ||
	    nla_put_u32(msg, SILK_PATH_A_CPU, READ_ONCE(p->cpu)) ||
	    nla_put_u8(msg, SILK_PATH_A_LAZY, READ_ONCE(p->lazy)) ||
	    nla_put_u8(msg, SILK_PATH_A_CONNS, READ_ONCE(p->conns)) ||
	    nla_put_u8(msg, SILK_PATH_A_MIRROR, READ_ONCE(p->mirror)) ||
	    nla_put_u32(msg, SILK_PATH_A_NCONNS, READ_ONCE(p->nconns_now)) ||
	    (p->name[0] && nla_put_string(msg, SILK_PATH_A_NAME, p->name)) ||
	    (p->owner &&
	     nla_put_u32(msg, SILK_PATH_A_OWNER_UID,
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

int silk_nl_path_add(struct sk_buff *skb, struct genl_info *info)
{
	struct silk_net *sn = silk_pernet(genl_info_net(info));
	struct silk_path_cfg cfg = {};
	struct silk_path *p;
	struct sk_buff *msg;
	int err;

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

int silk_nl_path_change(struct sk_buff *skb, struct genl_info *info)
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

int silk_nl_path_del(struct sk_buff *skb, struct genl_info *info)
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

int silk_nl_path_get(struct sk_buff *skb, struct genl_info *info)
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

/* A dump of paths filters by protocol and port, nothing else. */
int silk_nl_path_dump_start(struct netlink_callback *cb)
{
	struct nlattr **tb = silk_dump_attrs(cb);
	int t;

	for (t = 1; t <= SILK_PATH_A_MAX; t++) {
		if (tb[t] && t != SILK_PATH_A_PROTO && t != SILK_PATH_A_PORT) {
			NL_SET_ERR_MSG_ATTR(cb->extack, tb[t],
					    "a dump of paths filters by protocol and port only");
			return -EINVAL;
		}
	}
	return 0;
}

int silk_nl_path_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct silk_net *sn = silk_pernet(sock_net(skb->sk));
	struct nlattr **tb = silk_dump_attrs(cb);
	int id = cb->args[0];
	struct silk_path *p;
	int err = 0;

	mutex_lock(&sn->lock);
	for (p = idr_get_next(&sn->ids, &id); p;
	     id++, p = idr_get_next(&sn->ids, &id)) {
		if (tb[SILK_PATH_A_PROTO] &&
		    p->b.proto != nla_get_u8(tb[SILK_PATH_A_PROTO]))
			continue;
		if (tb[SILK_PATH_A_PORT] &&
		    (p->b.dflt ||
		     ntohs(p->b.port) != nla_get_u16(tb[SILK_PATH_A_PORT])))
			continue;
		err = silk_nl_fill_path(skb, p, NETLINK_CB(cb->skb).portid,
					cb->nlh->nlmsg_seq, NLM_F_MULTI,
					SILK_CMD_PATH_GET);
		if (err)
			break;
	}
	mutex_unlock(&sn->lock);
	cb->args[0] = id;
	return silk_nl_dump_end(skb, err);
}

static int silk_nl_put_conn(struct sk_buff *msg, struct silk_path *c)
{
	const struct silk_conn_key *k = &c->ckey;
	int err;

	struct nlattr *nest;

	nest = nla_nest_start(msg, SILK_PATH_A_CONN);
	if (!nest)
		return -EMSGSIZE;
	if (k->family == AF_INET)
		err = nla_put_in_addr(msg, SILK_CONN_A_RADDR4, k->raddr.ip) ||
		      nla_put_in_addr(msg, SILK_CONN_A_LADDR4, k->laddr.ip);
	else
		err = nla_put_in6_addr(msg, SILK_CONN_A_RADDR6, &k->raddr.in6) ||
		      nla_put_in6_addr(msg, SILK_CONN_A_LADDR6, &k->laddr.in6);
	if (err ||
	    nla_put_u16(msg, SILK_CONN_A_RPORT, ntohs(k->rport)) ||
	    nla_put_u16(msg, SILK_CONN_A_LPORT, ntohs(k->lport)))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	if (nla_put_u32(msg, SILK_PATH_A_ID, c->parent->id) ||
	    nla_put_u8(msg, SILK_PATH_A_PRIO, READ_ONCE(c->prio)) ||
	    silk_nl_put_class(msg, c) ||
	    nla_put_u8(msg, SILK_PATH_A_MIRROR, READ_ONCE(c->mirror)) ||
	    nla_put_u32(msg, SILK_PATH_A_CPU, READ_ONCE(c->cpu)) ||
	    silk_nl_put_stats(msg, c))
		return -EMSGSIZE;
	return 0;
}

/*
 * cb->args[0]: listen path id; cb->args[1]: connections of it done. A
 * dump resumes by position: if connections came or went in between, its
 * messages say so (NLM_F_DUMP_INTR), as rtnetlink's do.
 */
int silk_nl_conn_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct silk_net *sn = silk_pernet(sock_net(skb->sk));
	struct nlattr *only = silk_dump_attrs(cb)[SILK_PATH_A_ID];
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
	return silk_nl_dump_end(skb, err);
}
