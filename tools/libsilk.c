// SPDX-License-Identifier: LGPL-2.1
/*
 * libsilk: the silk generic netlink family over libnl-genl-3.
 *
 * Requests ask for extended acks (NETLINK_EXT_ACK) so that a rejection
 * carries the kernel's own message, the offending attribute and, for range
 * errors, the valid range; libsilk_errmsg() puts them together.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>
#include <sys/socket.h>

#include "libsilk.h"
#include "libsilk_int.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif


/*
 * What the user calls each attribute, for error messages: one table per
 * attribute space.
 */
static const char *const libsilk_path_names[SILK_PATH_A_MAX + 1] = {
	[SILK_PATH_A_ID] = "id",
	[SILK_PATH_A_PROTO] = "protocol",
	[SILK_PATH_A_PORT] = "port",
	[SILK_PATH_A_FAMILY] = "family",
	[SILK_PATH_A_LADDR4] = "local",
	[SILK_PATH_A_LADDR6] = "local",
	[SILK_PATH_A_RADDR4] = "remote",
	[SILK_PATH_A_RADDR6] = "remote",
	[SILK_PATH_A_RPLEN] = "remote prefix length",
	[SILK_PATH_A_PRIO] = "prio",
	[SILK_PATH_A_LIMIT_PKTS] = "limit",
	[SILK_PATH_A_LIMIT_BYTES] = "bytes",
	[SILK_PATH_A_CPU] = "cpu",
	[SILK_PATH_A_NAME] = "name",
	[SILK_PATH_A_CLASS] = "class",
	[SILK_PATH_A_DEADLINE_US] = "deadline (us)",
	[SILK_PATH_A_RUNTIME_US] = "runtime (us)",
	[SILK_PATH_A_PERIOD_US] = "period (us)",
	[SILK_PATH_A_WEIGHT] = "weight",
	[SILK_PATH_A_LAZY] = "lazy",
	[SILK_PATH_A_DEFAULT] = "default",
	[SILK_PATH_A_DSCP] = "dscp",
	[SILK_PATH_A_CONNS] = "conns",
	[SILK_PATH_A_MIRROR] = "mirror",
};

static const char *const libsilk_ns_names[SILK_NS_A_MAX + 1] = {
	[SILK_NS_A_PLACEMENT] = "placement",
	[SILK_NS_A_METER] = "sensors",
	[SILK_NS_A_METER_INTERVAL_MS] = "interval (ms)",
};

static const char *const libsilk_chain_names[SILK_CHAIN_A_MAX + 1] = {
	[SILK_CHAIN_A_TYPE] = "type",
	[SILK_CHAIN_A_PORT] = "incoming port",
	[SILK_CHAIN_A_OUT] = "outgoing port",
	[SILK_CHAIN_A_MAX_BYTES] = "max bytes",
	[SILK_CHAIN_A_TIMEOUT_MS] = "timeout (ms)",
	[SILK_CHAIN_A_ALGO] = "algorithm",
};

static const char *const libsilk_cond_names[SILK_COND_A_MAX + 1] = {
	[SILK_COND_A_INDEX] = "condition number",
	[SILK_COND_A_OUT] = "outgoing port",
	[SILK_COND_A_ADDR4] = "address",
	[SILK_COND_A_ADDR6] = "address",
	[SILK_COND_A_PLEN] = "prefix length",
	[SILK_COND_A_STRING] = "string",
	[SILK_COND_A_WEIGHT] = "weight",
};

static const char *const libsilk_meter_names[SILK_METER_A_MAX + 1] = {
	[SILK_METER_A_PORT] = "port",
};

static const char *const libsilk_group_names[SILK_GROUP_A_MAX + 1] = {
	[SILK_GROUP_A_NAME] = "group name",
	[SILK_GROUP_A_TYPE] = "group type",
	[SILK_GROUP_A_ACCEPT_RATE_MILLI] = "rate",
	[SILK_GROUP_A_OUTPUT_RATE] = "rate",
	[SILK_GROUP_A_PORTS] = "ports",
};

struct libsilk_space {
	const char *const *names;
	unsigned int max;
};

#define LIBSILK_SPACE(n, m) ((struct libsilk_space){ n, m })

/* The attribute space of @cmd's requests and replies. */
static struct libsilk_space libsilk_cmd_space(uint8_t cmd)
{
	switch (cmd) {
	case SILK_CMD_PATH_ADD:
	case SILK_CMD_PATH_CHANGE:
	case SILK_CMD_PATH_DEL:
	case SILK_CMD_PATH_GET:
	case SILK_CMD_CONN_GET:
		return LIBSILK_SPACE(libsilk_path_names, SILK_PATH_A_MAX);
	case SILK_CMD_STATS_GET:
	case SILK_CMD_NS_SET:
		return LIBSILK_SPACE(libsilk_ns_names, SILK_NS_A_MAX);
	case SILK_CMD_CHAIN_NEW:
	case SILK_CMD_CHAIN_DEL:
	case SILK_CMD_COND_NEW:
	case SILK_CMD_CHAIN_FLUSH:
	case SILK_CMD_CHAIN_GET:
	case SILK_CMD_CHAIN_BATCH:
		return LIBSILK_SPACE(libsilk_chain_names, SILK_CHAIN_A_MAX);
	case SILK_CMD_METER_GET:
		return LIBSILK_SPACE(libsilk_meter_names, SILK_METER_A_MAX);
	case SILK_CMD_GROUP_NEW:
	case SILK_CMD_GROUP_CHANGE:
	case SILK_CMD_GROUP_DEL:
	case SILK_CMD_GROUP_GET:
		return LIBSILK_SPACE(libsilk_group_names, SILK_GROUP_A_MAX);
	}
	return LIBSILK_SPACE(NULL, 0);
}

static const char *libsilk_space_name(struct libsilk_space sp, int type)
{
	return sp.names && type > 0 && (unsigned int)type <= sp.max ?
	       sp.names[type] : NULL;
}

const char *libsilk_name(const char *const *names, unsigned int max,
			 unsigned int v, const char *unknown)
{
	return v <= max ? names[v] : unknown;
}

int libsilk_parse_name(const char *const *names, unsigned int max,
		       const char *name)
{
	unsigned int i;

	for (i = 0; i <= max; i++)
		if (!strcmp(name, names[i]))
			return i;
	return -1;
}

static const char *const libsilk_placement_names[SILK_PLACE_MAX + 1] = {
	[SILK_PLACE_HASH] = "hash",
	[SILK_PLACE_SRC] = "src",
	[SILK_PLACE_OWNER] = "owner",
	[SILK_PLACE_RR] = "rr",
};

const char *libsilk_placement_name(uint8_t placement)
{
	return libsilk_name(libsilk_placement_names, SILK_PLACE_MAX,
			    placement, "unknown");
}

int libsilk_placement_parse(const char *name)
{
	return libsilk_parse_name(libsilk_placement_names, SILK_PLACE_MAX,
				  name);
}

static const char *const libsilk_class_names[SILK_CLASS_MAX + 1] = {
	[SILK_CLASS_FP] = "fp",
	[SILK_CLASS_EDF] = "edf",
	[SILK_CLASS_WFQ] = "wfq",
};

const char *libsilk_class_name(uint8_t class)
{
	return libsilk_name(libsilk_class_names, SILK_CLASS_MAX,
			    class, "unknown");
}

int libsilk_class_parse(const char *name)
{
	return libsilk_parse_name(libsilk_class_names, SILK_CLASS_MAX, name);
}

struct libsilk_req {
	struct libsilk_sock *s;
	struct nl_msg *msg;
	int done;
	int err;
	int (*parse)(struct nlattr **tb, void *arg);
	int (*raw)(struct nlmsghdr *nlh, void *arg);
	void *arg;
};

const char *libsilk_errmsg(const struct libsilk_sock *s)
{
	return s->errmsg;
}

const char *libsilk_err_attr(const struct libsilk_sock *s)
{
	return s->err_attr;
}

int libsilk_dump_interrupted(const struct libsilk_sock *s)
{
	return s->dump_intr;
}

const char *libsilk_proto_name(uint8_t proto)
{
	switch (proto) {
	case IPPROTO_TCP:
		return "tcp";
	case IPPROTO_UDP:
		return "udp";
	case IPPROTO_ICMP:
		return "icmp";
	case 0:
		return "other";
	default:
		return "?";
	}
}

/* Enter /run/netns/NAME, as "ip -n NAME" does. */
int libsilk_enter_netns(const char *name)
{
	char path[512];
	int fd, err = 0;

	if (strchr(name, '/'))
		snprintf(path, sizeof(path), "%s", name);
	else
		snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (setns(fd, CLONE_NEWNET))
		err = -errno;
	close(fd);
	return err;
}

struct libsilk_sock *libsilk_open(void)
{
	struct libsilk_sock *s = calloc(1, sizeof(*s));
	int one = 1;

	if (!s)
		return NULL;
	s->nl = nl_socket_alloc();
	if (!s->nl)
		goto err;
	if (genl_connect(s->nl)) {
		errno = ECONNREFUSED;
		goto err_sock;
	}
	setsockopt(nl_socket_get_fd(s->nl), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	setsockopt(nl_socket_get_fd(s->nl), SOL_NETLINK, NETLINK_CAP_ACK,
		   &one, sizeof(one));
	s->family = genl_ctrl_resolve(s->nl, SILK_GENL_NAME);
	if (s->family < 0) {
		errno = ENOENT;
		goto err_sock;
	}
	return s;

err_sock:
	nl_socket_free(s->nl);
err:
	free(s);
	return NULL;
}

void libsilk_close(struct libsilk_sock *s)
{
	if (!s)
		return;
	nl_socket_free(s->nl);
	free(s);
}

/*
 * What the user calls the attribute of our request at byte offset @off,
 * if anything: one at the top level, or one of a condition's (a COND_NEW
 * or CHAIN_DEL request's SILK_CHAIN_A_COND nest). Attributes deeper in
 * (a batch's commands, a group's ports) are not named.
 */
static const char *libsilk_attr_at(struct nl_msg *msg, uint32_t off)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct genlmsghdr *ghdr = nlmsg_data(nlh);
	struct libsilk_space sp = libsilk_cmd_space(ghdr->cmd);
	struct nlattr *a, *c;
	int rem, crem;

	nlmsg_for_each_attr(a, nlh, GENL_HDRLEN, rem) {
		long at = (char *)a - (char *)nlh;

		if (at == (long)off)
			return libsilk_space_name(sp, nla_type(a));
		if (sp.names != libsilk_chain_names ||
		    nla_type(a) != SILK_CHAIN_A_COND ||
		    (long)off < at || (long)off >= at + nla_len(a) + NLA_HDRLEN)
			continue;
		nla_for_each_nested(c, a, crem)
			if ((char *)c - (char *)nlh == (long)off)
				return libsilk_space_name(LIBSILK_SPACE(libsilk_cond_names,
									SILK_COND_A_MAX),
							  nla_type(c));
	}
	return NULL;
}

static int libsilk_err_cb(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1] = {};
	struct libsilk_req *r = arg;
	struct libsilk_sock *s = r->s;
	const char *msg = NULL, *name = NULL;
	char range[64] = "";
	int len, off;

	(void)nla;
	r->err = e->error;
	r->done = 1;
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS) {
		off = sizeof(*e);
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			off += e->msg.nlmsg_len - NLMSG_HDRLEN;
		len = nlh->nlmsg_len - NLMSG_HDRLEN - off;
		if (len > 0)
			nla_parse(tb, NLMSGERR_ATTR_MAX,
				  (struct nlattr *)((char *)e + off), len, NULL);
	}
	if (tb[NLMSGERR_ATTR_MSG])
		msg = nla_get_string(tb[NLMSGERR_ATTR_MSG]);
	if (tb[NLMSGERR_ATTR_OFFS])
		s->err_off = nla_get_u32(tb[NLMSGERR_ATTR_OFFS]);
	if (tb[NLMSGERR_ATTR_OFFS])
		name = libsilk_attr_at(r->msg, nla_get_u32(tb[NLMSGERR_ATTR_OFFS]));
	if (tb[NLMSGERR_ATTR_POLICY]) {
		struct nlattr *pt[NL_POLICY_TYPE_ATTR_MAX + 1] = {};

		nla_parse_nested(pt, NL_POLICY_TYPE_ATTR_MAX,
				 tb[NLMSGERR_ATTR_POLICY], NULL);
		if (pt[NL_POLICY_TYPE_ATTR_MIN_VALUE_U] &&
		    pt[NL_POLICY_TYPE_ATTR_MAX_VALUE_U])
			snprintf(range, sizeof(range), " (valid: %llu..%llu)",
				 (unsigned long long)nla_get_u64(pt[NL_POLICY_TYPE_ATTR_MIN_VALUE_U]),
				 (unsigned long long)nla_get_u64(pt[NL_POLICY_TYPE_ATTR_MAX_VALUE_U]));
		else if (pt[NL_POLICY_TYPE_ATTR_MAX_LENGTH])
			snprintf(range, sizeof(range), " (at most %u bytes)",
				 nla_get_u32(pt[NL_POLICY_TYPE_ATTR_MAX_LENGTH]));
	}
	s->err_attr = name;
	if (!e->error)
		return NL_STOP;
	if (!msg)
		msg = strerror(-e->error);
	snprintf(s->errmsg, sizeof(s->errmsg), "%s%s%s%s", name ? name : "",
		 name ? ": " : "", msg, range);
	return NL_STOP;
}

static int libsilk_ack_cb(struct nl_msg *msg, void *arg)
{
	struct libsilk_req *r = arg;

	(void)msg;
	r->done = 1;
	return NL_STOP;
}

static int libsilk_valid_cb(struct nl_msg *msg, void *arg)
{
	struct libsilk_req *r = arg;
	struct nlattr *tb[LIBSILK_ATTR_MAX + 1] = {};
	struct genlmsghdr *ghdr = nlmsg_data(nlmsg_hdr(r->msg));
	int err;

	if (nlmsg_hdr(msg)->nlmsg_flags & NLM_F_DUMP_INTR)
		r->s->dump_intr = 1;
	if (r->raw)
		return r->raw(nlmsg_hdr(msg), r->arg) ? NL_STOP : NL_OK;
	if (!r->parse)
		return NL_OK;
	/* Replies use the attribute space of the request's command. */
	err = genlmsg_parse(nlmsg_hdr(msg), 0, tb,
			    libsilk_cmd_space(ghdr->cmd).max, NULL);
	if (err < 0)
		return NL_SKIP;
	return r->parse(tb, r->arg) ? NL_STOP : NL_OK;
}

/* Send @msg and read replies until the ack, error or end of dump. */
static int libsilk_do(struct libsilk_sock *s, struct libsilk_req r)
{
	struct nl_cb *cb;
	int err;

	s->errmsg[0] = 0;
	s->err_attr = NULL;
	s->err_off = 0;
	s->dump_intr = 0;
	cb = nl_cb_alloc(NL_CB_CUSTOM);
	if (!cb) {
		nlmsg_free(r.msg);
		return -ENOMEM;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, libsilk_valid_cb, &r);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, libsilk_ack_cb, &r);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, libsilk_ack_cb, &r);
	nl_cb_err(cb, NL_CB_CUSTOM, libsilk_err_cb, &r);

	err = nl_send_auto(s->nl, r.msg);
	while (err >= 0 && !r.done)
		err = nl_recvmsgs(s->nl, cb);
	nl_cb_put(cb);
	nlmsg_free(r.msg);
	if (r.err)
		return r.err;
	if (err < 0) {
		snprintf(s->errmsg, sizeof(s->errmsg), "netlink: %s",
			 nl_geterror(err));
		return -EIO;
	}
	return 0;
}

int libsilk_transact(struct libsilk_sock *s, struct nl_msg *msg,
		     int (*parse)(struct nlattr **, void *), void *arg)
{
	return libsilk_do(s, (struct libsilk_req){ .s = s, .msg = msg,
					     .parse = parse, .arg = arg });
}

int libsilk_transact_raw(struct libsilk_sock *s, struct nl_msg *msg,
			 int (*raw)(struct nlmsghdr *, void *), void *arg)
{
	return libsilk_do(s, (struct libsilk_req){ .s = s, .msg = msg,
					     .raw = raw, .arg = arg });
}

struct nl_msg *libsilk_msg(struct libsilk_sock *s, uint8_t cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, s->family, 0, flags,
			 cmd, SILK_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static int libsilk_put_addr(struct nl_msg *msg, int a4, int a6, uint8_t family,
			    const struct in6_addr *addr)
{
	if (family == AF_INET)
		return nla_put(msg, a4, 4, addr);
	return nla_put(msg, a6, 16, addr);
}

static int libsilk_put_path(struct nl_msg *msg, const struct libsilk_path *p)
{
	unsigned int set = p->set;
	int err = 0;

	if (set & LIBSILK_P_ID)
		err |= nla_put_u32(msg, SILK_PATH_A_ID, p->id);
	if (set & LIBSILK_P_PROTO)
		err |= nla_put_u8(msg, SILK_PATH_A_PROTO, p->proto);
	if (set & LIBSILK_P_PORT)
		err |= nla_put_u16(msg, SILK_PATH_A_PORT, p->port);
	if (set & LIBSILK_P_FAMILY)
		err |= nla_put_u8(msg, SILK_PATH_A_FAMILY, p->family);
	if (set & LIBSILK_P_LADDR)
		err |= libsilk_put_addr(msg, SILK_PATH_A_LADDR4, SILK_PATH_A_LADDR6,
					p->laddr_family, &p->laddr);
	if (set & LIBSILK_P_RADDR)
		err |= libsilk_put_addr(msg, SILK_PATH_A_RADDR4, SILK_PATH_A_RADDR6,
					p->raddr_family, &p->raddr);
	if (set & LIBSILK_P_RPLEN)
		err |= nla_put_u8(msg, SILK_PATH_A_RPLEN, p->rplen);
	if (set & LIBSILK_P_PRIO)
		err |= nla_put_u8(msg, SILK_PATH_A_PRIO, p->prio);
	if (set & LIBSILK_P_LIMIT_PKTS)
		err |= nla_put_u32(msg, SILK_PATH_A_LIMIT_PKTS, p->limit_pkts);
	if (set & LIBSILK_P_LIMIT_BYTES)
		err |= nla_put_u32(msg, SILK_PATH_A_LIMIT_BYTES, p->limit_bytes);
	if (set & LIBSILK_P_CPU)
		err |= nla_put_u32(msg, SILK_PATH_A_CPU, p->cpu);
	if (set & LIBSILK_P_NAME)
		err |= nla_put_string(msg, SILK_PATH_A_NAME, p->name);
	if (set & LIBSILK_P_CLASS)
		err |= nla_put_u8(msg, SILK_PATH_A_CLASS, p->class);
	if (set & LIBSILK_P_WEIGHT)
		err |= nla_put_u32(msg, SILK_PATH_A_WEIGHT, p->weight);
	if (set & LIBSILK_P_DEADLINE)
		err |= nla_put_u32(msg, SILK_PATH_A_DEADLINE_US, p->deadline_us);
	if (set & LIBSILK_P_RUNTIME)
		err |= nla_put_u32(msg, SILK_PATH_A_RUNTIME_US, p->runtime_us);
	if (set & LIBSILK_P_PERIOD)
		err |= nla_put_u32(msg, SILK_PATH_A_PERIOD_US, p->period_us);
	if (set & LIBSILK_P_LAZY)
		err |= nla_put_u8(msg, SILK_PATH_A_LAZY, p->lazy);
	if (set & LIBSILK_P_DEFAULT)
		err |= nla_put_flag(msg, SILK_PATH_A_DEFAULT);
	if (set & LIBSILK_P_DSCP)
		err |= nla_put_u8(msg, SILK_PATH_A_DSCP, p->dscp);
	if (set & LIBSILK_P_CONNS)
		err |= nla_put_u8(msg, SILK_PATH_A_CONNS, p->conns);
	if (set & LIBSILK_P_MIRROR)
		err |= nla_put_u8(msg, SILK_PATH_A_MIRROR, p->mirror);
	if (set & LIBSILK_P_MIRROR_UID)
		err |= nla_put_u32(msg, SILK_PATH_A_MIRROR_UID, p->mirror_uid);
	if (set & LIBSILK_P_MIRROR_GID)
		err |= nla_put_u32(msg, SILK_PATH_A_MIRROR_GID, p->mirror_gid);
	return err ? -EMSGSIZE : 0;
}

static uint64_t libsilk_u64(struct nlattr *a)
{
	return a ? nla_get_u64(a) : 0;
}

static int libsilk_parse_path(struct nlattr **tb, struct libsilk_path *p)
{
	memset(p, 0, sizeof(*p));
	if (!tb[SILK_PATH_A_ID])
		return -EINVAL;
	p->set = LIBSILK_P_ID;
	p->id = nla_get_u32(tb[SILK_PATH_A_ID]);
	if (tb[SILK_PATH_A_PROTO]) {
		p->proto = nla_get_u8(tb[SILK_PATH_A_PROTO]);
		p->set |= LIBSILK_P_PROTO;
	}
	if (tb[SILK_PATH_A_PORT]) {
		p->port = nla_get_u16(tb[SILK_PATH_A_PORT]);
		p->set |= LIBSILK_P_PORT;
	}
	if (tb[SILK_PATH_A_FAMILY]) {
		p->family = nla_get_u8(tb[SILK_PATH_A_FAMILY]);
		p->set |= LIBSILK_P_FAMILY;
	}
	if (tb[SILK_PATH_A_LADDR4] || tb[SILK_PATH_A_LADDR6]) {
		struct nlattr *a = tb[SILK_PATH_A_LADDR4] ?: tb[SILK_PATH_A_LADDR6];

		p->laddr_family = tb[SILK_PATH_A_LADDR4] ? AF_INET : AF_INET6;
		memcpy(&p->laddr, nla_data(a), nla_len(a) > 16 ? 16 : nla_len(a));
		p->set |= LIBSILK_P_LADDR;
	}
	if (tb[SILK_PATH_A_RADDR4] || tb[SILK_PATH_A_RADDR6]) {
		struct nlattr *a = tb[SILK_PATH_A_RADDR4] ?: tb[SILK_PATH_A_RADDR6];

		p->raddr_family = tb[SILK_PATH_A_RADDR4] ? AF_INET : AF_INET6;
		memcpy(&p->raddr, nla_data(a), nla_len(a) > 16 ? 16 : nla_len(a));
		p->set |= LIBSILK_P_RADDR;
	}
	if (tb[SILK_PATH_A_RPLEN]) {
		p->rplen = nla_get_u8(tb[SILK_PATH_A_RPLEN]);
		p->set |= LIBSILK_P_RPLEN;
	}
	if (tb[SILK_PATH_A_PRIO]) {
		p->prio = nla_get_u8(tb[SILK_PATH_A_PRIO]);
		p->set |= LIBSILK_P_PRIO;
	}
	if (tb[SILK_PATH_A_LIMIT_PKTS]) {
		p->limit_pkts = nla_get_u32(tb[SILK_PATH_A_LIMIT_PKTS]);
		p->set |= LIBSILK_P_LIMIT_PKTS;
	}
	if (tb[SILK_PATH_A_LIMIT_BYTES]) {
		p->limit_bytes = nla_get_u32(tb[SILK_PATH_A_LIMIT_BYTES]);
		p->set |= LIBSILK_P_LIMIT_BYTES;
	}
	if (tb[SILK_PATH_A_CPU]) {
		p->cpu = nla_get_u32(tb[SILK_PATH_A_CPU]);
		p->set |= LIBSILK_P_CPU;
	}
	if (tb[SILK_PATH_A_NAME]) {
		snprintf(p->name, sizeof(p->name), "%s",
			 nla_get_string(tb[SILK_PATH_A_NAME]));
		p->set |= LIBSILK_P_NAME;
	}
	if (tb[SILK_PATH_A_CLASS]) {
		p->class = nla_get_u8(tb[SILK_PATH_A_CLASS]);
		p->set |= LIBSILK_P_CLASS;
	}
	if (tb[SILK_PATH_A_WEIGHT]) {
		p->weight = nla_get_u32(tb[SILK_PATH_A_WEIGHT]);
		p->set |= LIBSILK_P_WEIGHT;
	}
	if (tb[SILK_PATH_A_DEADLINE_US]) {
		p->deadline_us = nla_get_u32(tb[SILK_PATH_A_DEADLINE_US]);
		p->set |= LIBSILK_P_DEADLINE;
	}
	if (tb[SILK_PATH_A_RUNTIME_US]) {
		p->runtime_us = nla_get_u32(tb[SILK_PATH_A_RUNTIME_US]);
		p->set |= LIBSILK_P_RUNTIME;
	}
	if (tb[SILK_PATH_A_PERIOD_US]) {
		p->period_us = nla_get_u32(tb[SILK_PATH_A_PERIOD_US]);
		p->set |= LIBSILK_P_PERIOD;
	}
	if (tb[SILK_PATH_A_LAZY]) {
		p->lazy = nla_get_u8(tb[SILK_PATH_A_LAZY]);
		p->set |= LIBSILK_P_LAZY;
	}
	if (tb[SILK_PATH_A_DEFAULT])
		p->set |= LIBSILK_P_DEFAULT;
	if (tb[SILK_PATH_A_DSCP]) {
		p->dscp = nla_get_u8(tb[SILK_PATH_A_DSCP]);
		p->set |= LIBSILK_P_DSCP;
	}
	if (tb[SILK_PATH_A_CONNS]) {
		p->conns = nla_get_u8(tb[SILK_PATH_A_CONNS]);
		p->set |= LIBSILK_P_CONNS;
	}
	if (tb[SILK_PATH_A_MIRROR]) {
		p->mirror = nla_get_u8(tb[SILK_PATH_A_MIRROR]);
		p->set |= LIBSILK_P_MIRROR;
	}
	if (tb[SILK_PATH_A_NCONNS])
		p->nconns = nla_get_u32(tb[SILK_PATH_A_NCONNS]);
	if (tb[SILK_PATH_A_MIRROR_UID]) {
		p->mirror_uid = nla_get_u32(tb[SILK_PATH_A_MIRROR_UID]);
		p->set |= LIBSILK_P_MIRROR_UID;
	}
	if (tb[SILK_PATH_A_MIRROR_GID]) {
		p->mirror_gid = nla_get_u32(tb[SILK_PATH_A_MIRROR_GID]);
		p->set |= LIBSILK_P_MIRROR_GID;
	}
	if (tb[SILK_PATH_A_OWNER_UID]) {
		p->owner_uid = nla_get_u32(tb[SILK_PATH_A_OWNER_UID]);
		p->set |= LIBSILK_P_OWNER;
	}
	if (tb[SILK_PATH_A_CONN]) {
		struct nlattr *ct[SILK_CONN_A_MAX + 1] = {};
		struct nlattr *r, *l;

		nla_parse_nested(ct, SILK_CONN_A_MAX, tb[SILK_PATH_A_CONN], NULL);
		r = ct[SILK_CONN_A_RADDR4] ?: ct[SILK_CONN_A_RADDR6];
		l = ct[SILK_CONN_A_LADDR4] ?: ct[SILK_CONN_A_LADDR6];
		p->set |= LIBSILK_P_CONN;
		p->rport = ct[SILK_CONN_A_RPORT] ?
			   nla_get_u16(ct[SILK_CONN_A_RPORT]) : 0;
		p->lport = ct[SILK_CONN_A_LPORT] ?
			   nla_get_u16(ct[SILK_CONN_A_LPORT]) : 0;
		p->raddr_family = ct[SILK_CONN_A_RADDR4] ? AF_INET : AF_INET6;
		p->laddr_family = p->raddr_family;
		if (r)
			memcpy(&p->raddr, nla_data(r),
			       nla_len(r) > 16 ? 16 : nla_len(r));
		if (l)
			memcpy(&p->laddr, nla_data(l),
			       nla_len(l) > 16 ? 16 : nla_len(l));
	}
	if (tb[SILK_PATH_A_STATS]) {
		struct nlattr *st[SILK_STATS_MAX + 1] = {};
		struct libsilk_path_stats *s = &p->stats;

		nla_parse_nested(st, SILK_STATS_MAX, tb[SILK_PATH_A_STATS], NULL);
		s->delivered_pkts = libsilk_u64(st[SILK_STATS_DELIVERED_PKTS]);
		s->delivered_bytes = libsilk_u64(st[SILK_STATS_DELIVERED_BYTES]);
		s->dropped_pkts = libsilk_u64(st[SILK_STATS_DROPPED_PKTS]);
		s->dropped_bytes = libsilk_u64(st[SILK_STATS_DROPPED_BYTES]);
		s->cpu_ns = libsilk_u64(st[SILK_STATS_CPU_NS]);
		s->qlen = libsilk_u64(st[SILK_STATS_QLEN]);
		s->qbytes = libsilk_u64(st[SILK_STATS_QBYTES]);
		s->qlen_peak = libsilk_u64(st[SILK_STATS_QLEN_PEAK]);
		s->qbytes_peak = libsilk_u64(st[SILK_STATS_QBYTES_PEAK]);
		s->bypass_pkts = libsilk_u64(st[SILK_STATS_BYPASS_PKTS]);
		s->devgone_pkts = libsilk_u64(st[SILK_STATS_DEVGONE_PKTS]);
		s->sojourn_sum_ns = libsilk_u64(st[SILK_STATS_SOJOURN_SUM_NS]);
		s->sojourn_max_ns = libsilk_u64(st[SILK_STATS_SOJOURN_MAX_NS]);
		s->deadline_misses = libsilk_u64(st[SILK_STATS_DEADLINE_MISSES]);
		s->throttled = libsilk_u64(st[SILK_STATS_THROTTLED]);
		s->parked = libsilk_u64(st[SILK_STATS_PARKED]);
		s->direct_pkts = libsilk_u64(st[SILK_STATS_DIRECT_PKTS]);
		s->drop_limit_pkts = libsilk_u64(st[SILK_STATS_DROP_LIMIT_PKTS]);
		s->drop_limit_bytes = libsilk_u64(st[SILK_STATS_DROP_LIMIT_BYTES]);
		s->drop_path_share = libsilk_u64(st[SILK_STATS_DROP_PATH_SHARE]);
		s->drop_cap_ns = libsilk_u64(st[SILK_STATS_DROP_CAP_NS]);
		s->drop_cap_global = libsilk_u64(st[SILK_STATS_DROP_CAP_GLOBAL]);
		s->drop_noref = libsilk_u64(st[SILK_STATS_DROP_NOREF]);
		p->set |= LIBSILK_P_STATS;
	}
	return 0;
}

static int libsilk_parse_one(struct nlattr **tb, void *arg)
{
	libsilk_parse_path(tb, arg);
	return 0;
}

static int libsilk_path_cmd(struct libsilk_sock *s, uint8_t cmd,
			    const struct libsilk_path *req, struct libsilk_path *out)
{
	struct libsilk_path tmp;
	struct nl_msg *msg = libsilk_msg(s, cmd, 0);

	if (!msg)
		return -ENOMEM;
	if (libsilk_put_path(msg, req)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return libsilk_transact(s, msg, libsilk_parse_one, out ? out : &tmp);
}

int libsilk_path_add(struct libsilk_sock *s, const struct libsilk_path *req,
		     struct libsilk_path *out)
{
	return libsilk_path_cmd(s, SILK_CMD_PATH_ADD, req, out);
}

int libsilk_path_change(struct libsilk_sock *s, const struct libsilk_path *req,
			struct libsilk_path *out)
{
	return libsilk_path_cmd(s, SILK_CMD_PATH_CHANGE, req, out);
}

int libsilk_path_del(struct libsilk_sock *s, const struct libsilk_path *req)
{
	return libsilk_path_cmd(s, SILK_CMD_PATH_DEL, req, NULL);
}

int libsilk_path_get(struct libsilk_sock *s, const struct libsilk_path *req,
		     struct libsilk_path *out)
{
	return libsilk_path_cmd(s, SILK_CMD_PATH_GET, req, out);
}

struct libsilk_dump_ctx {
	libsilk_path_cb cb;
	void *arg;
};

static int libsilk_parse_dump(struct nlattr **tb, void *arg)
{
	struct libsilk_dump_ctx *ctx = arg;
	struct libsilk_path p;

	if (libsilk_parse_path(tb, &p))
		return 0;
	return ctx->cb(&p, ctx->arg);
}

int libsilk_path_dump(struct libsilk_sock *s, const struct libsilk_path *req,
		      libsilk_path_cb cb, void *arg)
{
	struct libsilk_dump_ctx ctx = { .cb = cb, .arg = arg };
	struct nl_msg *msg = libsilk_msg(s, SILK_CMD_PATH_GET, NLM_F_DUMP);
	struct libsilk_path filter = {};

	if (!msg)
		return -ENOMEM;
	if (req) {
		filter = *req;
		filter.set &= LIBSILK_P_PROTO | LIBSILK_P_PORT;
	}
	if (libsilk_put_path(msg, &filter)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return libsilk_transact(s, msg, libsilk_parse_dump, &ctx);
}

static int libsilk_parse_stats(struct nlattr **tb, void *arg)
{
	struct nlattr *gt[SILK_GLOBAL_A_MAX + 1] = {};
	struct libsilk_ns_stats *st = arg;

	st->paths = tb[SILK_NS_A_PATHS] ? nla_get_u32(tb[SILK_NS_A_PATHS]) : 0;
	st->queued_bytes = libsilk_u64(tb[SILK_NS_A_QUEUED_BYTES]);
	st->cap_drops = libsilk_u64(tb[SILK_NS_A_CAP_DROPS]);
	st->cap_bytes = libsilk_u64(tb[SILK_NS_A_CAP_BYTES]);
	st->bypass = libsilk_u64(tb[SILK_NS_A_BYPASS]);
	st->share_yields = libsilk_u64(tb[SILK_NS_A_SHARE_YIELDS]);
	st->level_changes = libsilk_u64(tb[SILK_NS_A_LEVEL_CHANGES]);
	st->placement = tb[SILK_NS_A_PLACEMENT] ?
			nla_get_u8(tb[SILK_NS_A_PLACEMENT]) : 0;
	st->conns = tb[SILK_NS_A_CONNS] ? nla_get_u32(tb[SILK_NS_A_CONNS]) : 0;
	st->conns_opened = libsilk_u64(tb[SILK_NS_A_CONNS_OPENED]);
	st->conns_closed = libsilk_u64(tb[SILK_NS_A_CONNS_CLOSED]);
	st->conn_overflows = libsilk_u64(tb[SILK_NS_A_CONN_OVERFLOWS]);
	st->meter_on = tb[SILK_NS_A_METER] ? nla_get_u8(tb[SILK_NS_A_METER]) : 0;
	st->meter_interval_ms = tb[SILK_NS_A_METER_INTERVAL_MS] ?
				nla_get_u32(tb[SILK_NS_A_METER_INTERVAL_MS]) : 0;
	st->meter_missed = libsilk_u64(tb[SILK_NS_A_METER_MISSED]);
	st->group_missed = libsilk_u64(tb[SILK_NS_A_GROUP_MISSED]);
	/* The module's totals, every namespace together. */
	if (tb[SILK_NS_A_GLOBAL])
		nla_parse_nested(gt, SILK_GLOBAL_A_MAX, tb[SILK_NS_A_GLOBAL],
				 NULL);
	st->global_queued_bytes = libsilk_u64(gt[SILK_GLOBAL_A_QUEUED_BYTES]);
	st->global_cap_bytes = libsilk_u64(gt[SILK_GLOBAL_A_CAP_BYTES]);
	st->global_queued_peak = libsilk_u64(gt[SILK_GLOBAL_A_QUEUED_PEAK]);
	st->mirror_tasks = gt[SILK_GLOBAL_A_MIRROR_TASKS] ?
			   nla_get_u32(gt[SILK_GLOBAL_A_MIRROR_TASKS]) : 0;
	st->mirror_applied = libsilk_u64(gt[SILK_GLOBAL_A_MIRROR_APPLIED]);
	st->mirror_restored = libsilk_u64(gt[SILK_GLOBAL_A_MIRROR_RESTORED]);
	st->mirror_dl_fallbacks = libsilk_u64(gt[SILK_GLOBAL_A_MIRROR_DL_FALLBACKS]);
	st->mirror_missed = libsilk_u64(gt[SILK_GLOBAL_A_MIRROR_MISSED]);
	st->mirror_refused = libsilk_u64(gt[SILK_GLOBAL_A_MIRROR_REFUSED]);
	return 0;
}

int libsilk_stats_get(struct libsilk_sock *s, struct libsilk_ns_stats *out)
{
	struct nl_msg *msg = libsilk_msg(s, SILK_CMD_STATS_GET, 0);

	if (!msg)
		return -ENOMEM;
	memset(out, 0, sizeof(*out));
	return libsilk_transact(s, msg, libsilk_parse_stats, out);
}

int libsilk_placement_set(struct libsilk_sock *s, uint8_t placement)
{
	struct nl_msg *msg = libsilk_msg(s, SILK_CMD_NS_SET, 0);

	if (!msg)
		return -ENOMEM;
	if (nla_put_u8(msg, SILK_NS_A_PLACEMENT, placement)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return libsilk_transact(s, msg, NULL, NULL);
}

int libsilk_conn_dump(struct libsilk_sock *s, uint32_t id, libsilk_path_cb cb,
		      void *arg)
{
	struct libsilk_dump_ctx ctx = { .cb = cb, .arg = arg };
	struct nl_msg *msg = libsilk_msg(s, SILK_CMD_CONN_GET, NLM_F_DUMP);

	if (!msg)
		return -ENOMEM;
	if (id && nla_put_u32(msg, SILK_PATH_A_ID, id)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return libsilk_transact(s, msg, libsilk_parse_dump, &ctx);
}
