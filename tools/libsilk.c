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


/* What the user calls each attribute, for error messages. */
static const char *const libsilk_attr_names[SILK_A_MAX + 1] = {
	[SILK_A_PATH_ID] = "id",
	[SILK_A_PATH_PROTO] = "protocol",
	[SILK_A_PATH_PORT] = "port",
	[SILK_A_PATH_FAMILY] = "family",
	[SILK_A_PATH_LADDR4] = "local",
	[SILK_A_PATH_LADDR6] = "local",
	[SILK_A_PATH_RADDR4] = "remote",
	[SILK_A_PATH_RADDR6] = "remote",
	[SILK_A_PATH_RPLEN] = "remote prefix length",
	[SILK_A_PATH_PRIO] = "prio",
	[SILK_A_PATH_LIMIT_PKTS] = "limit",
	[SILK_A_PATH_LIMIT_BYTES] = "bytes",
	[SILK_A_PATH_CPU] = "cpu",
	[SILK_A_PATH_NAME] = "name",
	[SILK_A_PATH_CLASS] = "class",
	[SILK_A_PATH_DEADLINE_US] = "deadline (us)",
	[SILK_A_PATH_RUNTIME_US] = "runtime (us)",
	[SILK_A_PATH_PERIOD_US] = "period (us)",
	[SILK_A_PATH_WEIGHT] = "weight",
	[SILK_A_PATH_LAZY] = "lazy",
	[SILK_A_PATH_DEFAULT] = "default",
	[SILK_A_PATH_DSCP] = "dscp",
	[SILK_A_PATH_CONNS] = "conns",
	[SILK_A_PATH_MIRROR] = "mirror",
	[SILK_A_NS_PLACEMENT] = "placement",
	[SILK_A_CHAIN_TYPE] = "type",
	[SILK_A_CHAIN_PORT] = "incoming port",
	[SILK_A_CHAIN_OUT] = "outgoing port",
	[SILK_A_CHAIN_MAX_BYTES] = "max bytes",
	[SILK_A_CHAIN_TIMEOUT_MS] = "timeout (ms)",
	[SILK_A_CHAIN_ALGO] = "algorithm",
	[SILK_A_COND_INDEX] = "condition number",
	[SILK_A_COND_ADDR4] = "address",
	[SILK_A_COND_ADDR6] = "address",
	[SILK_A_COND_PLEN] = "prefix length",
	[SILK_A_COND_STRING] = "string",
	[SILK_A_COND_WEIGHT] = "weight",
	[SILK_A_NS_METER] = "sensors",
	[SILK_A_NS_METER_INTERVAL_MS] = "interval (ms)",
	[SILK_A_METER_PORT] = "port",
	[SILK_A_GROUP_NAME] = "group name",
	[SILK_A_GROUP_TYPE] = "group type",
	[SILK_A_GROUP_RATE] = "rate",
	[SILK_A_GROUP_PORTS] = "ports",
	[SILK_A_GROUP_PORT] = "port",
	[SILK_A_GPORT_PORT] = "port",
	[SILK_A_GPORT_WEIGHT] = "weight",
};

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

/* The attribute of our request at byte offset @off, if any. */
static int libsilk_attr_at(struct nl_msg *msg, uint32_t off)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *a;
	int rem;

	nlmsg_for_each_attr(a, nlh, GENL_HDRLEN, rem) {
		if ((char *)a - (char *)nlh == (long)off)
			return nla_type(a);
	}
	return -1;
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
	if (tb[NLMSGERR_ATTR_OFFS]) {
		int type = libsilk_attr_at(r->msg, nla_get_u32(tb[NLMSGERR_ATTR_OFFS]));

		if (type > 0 && type <= SILK_A_MAX)
			name = libsilk_attr_names[type];
	}
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
	struct nlattr *tb[SILK_A_MAX + 1];
	int err;

	if (nlmsg_hdr(msg)->nlmsg_flags & NLM_F_DUMP_INTR)
		r->s->dump_intr = 1;
	if (r->raw)
		return r->raw(nlmsg_hdr(msg), r->arg) ? NL_STOP : NL_OK;
	if (!r->parse)
		return NL_OK;
	err = genlmsg_parse(nlmsg_hdr(msg), 0, tb, SILK_A_MAX, NULL);
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
		err |= nla_put_u32(msg, SILK_A_PATH_ID, p->id);
	if (set & LIBSILK_P_PROTO)
		err |= nla_put_u8(msg, SILK_A_PATH_PROTO, p->proto);
	if (set & LIBSILK_P_PORT)
		err |= nla_put_u16(msg, SILK_A_PATH_PORT, p->port);
	if (set & LIBSILK_P_FAMILY)
		err |= nla_put_u8(msg, SILK_A_PATH_FAMILY, p->family);
	if (set & LIBSILK_P_LADDR)
		err |= libsilk_put_addr(msg, SILK_A_PATH_LADDR4, SILK_A_PATH_LADDR6,
					p->laddr_family, &p->laddr);
	if (set & LIBSILK_P_RADDR)
		err |= libsilk_put_addr(msg, SILK_A_PATH_RADDR4, SILK_A_PATH_RADDR6,
					p->raddr_family, &p->raddr);
	if (set & LIBSILK_P_RPLEN)
		err |= nla_put_u8(msg, SILK_A_PATH_RPLEN, p->rplen);
	if (set & LIBSILK_P_PRIO)
		err |= nla_put_u8(msg, SILK_A_PATH_PRIO, p->prio);
	if (set & LIBSILK_P_LIMIT_PKTS)
		err |= nla_put_u32(msg, SILK_A_PATH_LIMIT_PKTS, p->limit_pkts);
	if (set & LIBSILK_P_LIMIT_BYTES)
		err |= nla_put_u32(msg, SILK_A_PATH_LIMIT_BYTES, p->limit_bytes);
	if (set & LIBSILK_P_CPU)
		err |= nla_put_u32(msg, SILK_A_PATH_CPU, p->cpu);
	if (set & LIBSILK_P_NAME)
		err |= nla_put_string(msg, SILK_A_PATH_NAME, p->name);
	if (set & LIBSILK_P_CLASS)
		err |= nla_put_u8(msg, SILK_A_PATH_CLASS, p->class);
	if (set & LIBSILK_P_WEIGHT)
		err |= nla_put_u32(msg, SILK_A_PATH_WEIGHT, p->weight);
	if (set & LIBSILK_P_DEADLINE)
		err |= nla_put_u32(msg, SILK_A_PATH_DEADLINE_US, p->deadline_us);
	if (set & LIBSILK_P_RUNTIME)
		err |= nla_put_u32(msg, SILK_A_PATH_RUNTIME_US, p->runtime_us);
	if (set & LIBSILK_P_PERIOD)
		err |= nla_put_u32(msg, SILK_A_PATH_PERIOD_US, p->period_us);
	if (set & LIBSILK_P_LAZY)
		err |= nla_put_u8(msg, SILK_A_PATH_LAZY, p->lazy);
	if (set & LIBSILK_P_DEFAULT)
		err |= nla_put_flag(msg, SILK_A_PATH_DEFAULT);
	if (set & LIBSILK_P_DSCP)
		err |= nla_put_u8(msg, SILK_A_PATH_DSCP, p->dscp);
	if (set & LIBSILK_P_CONNS)
		err |= nla_put_u8(msg, SILK_A_PATH_CONNS, p->conns);
	if (set & LIBSILK_P_MIRROR)
		err |= nla_put_u8(msg, SILK_A_PATH_MIRROR, p->mirror);
	if (set & LIBSILK_P_MIRROR_UID)
		err |= nla_put_u32(msg, SILK_A_PATH_MIRROR_UID, p->mirror_uid);
	if (set & LIBSILK_P_MIRROR_GID)
		err |= nla_put_u32(msg, SILK_A_PATH_MIRROR_GID, p->mirror_gid);
	return err ? -EMSGSIZE : 0;
}

static uint64_t libsilk_u64(struct nlattr *a)
{
	return a ? nla_get_u64(a) : 0;
}

static int libsilk_parse_path(struct nlattr **tb, struct libsilk_path *p)
{
	memset(p, 0, sizeof(*p));
	if (!tb[SILK_A_PATH_ID])
		return -EINVAL;
	p->set = LIBSILK_P_ID;
	p->id = nla_get_u32(tb[SILK_A_PATH_ID]);
	if (tb[SILK_A_PATH_PROTO]) {
		p->proto = nla_get_u8(tb[SILK_A_PATH_PROTO]);
		p->set |= LIBSILK_P_PROTO;
	}
	if (tb[SILK_A_PATH_PORT]) {
		p->port = nla_get_u16(tb[SILK_A_PATH_PORT]);
		p->set |= LIBSILK_P_PORT;
	}
	if (tb[SILK_A_PATH_FAMILY]) {
		p->family = nla_get_u8(tb[SILK_A_PATH_FAMILY]);
		p->set |= LIBSILK_P_FAMILY;
	}
	if (tb[SILK_A_PATH_LADDR4] || tb[SILK_A_PATH_LADDR6]) {
		struct nlattr *a = tb[SILK_A_PATH_LADDR4] ?: tb[SILK_A_PATH_LADDR6];

		p->laddr_family = tb[SILK_A_PATH_LADDR4] ? AF_INET : AF_INET6;
		memcpy(&p->laddr, nla_data(a), nla_len(a) > 16 ? 16 : nla_len(a));
		p->set |= LIBSILK_P_LADDR;
	}
	if (tb[SILK_A_PATH_RADDR4] || tb[SILK_A_PATH_RADDR6]) {
		struct nlattr *a = tb[SILK_A_PATH_RADDR4] ?: tb[SILK_A_PATH_RADDR6];

		p->raddr_family = tb[SILK_A_PATH_RADDR4] ? AF_INET : AF_INET6;
		memcpy(&p->raddr, nla_data(a), nla_len(a) > 16 ? 16 : nla_len(a));
		p->set |= LIBSILK_P_RADDR;
	}
	if (tb[SILK_A_PATH_RPLEN]) {
		p->rplen = nla_get_u8(tb[SILK_A_PATH_RPLEN]);
		p->set |= LIBSILK_P_RPLEN;
	}
	if (tb[SILK_A_PATH_PRIO]) {
		p->prio = nla_get_u8(tb[SILK_A_PATH_PRIO]);
		p->set |= LIBSILK_P_PRIO;
	}
	if (tb[SILK_A_PATH_LIMIT_PKTS]) {
		p->limit_pkts = nla_get_u32(tb[SILK_A_PATH_LIMIT_PKTS]);
		p->set |= LIBSILK_P_LIMIT_PKTS;
	}
	if (tb[SILK_A_PATH_LIMIT_BYTES]) {
		p->limit_bytes = nla_get_u32(tb[SILK_A_PATH_LIMIT_BYTES]);
		p->set |= LIBSILK_P_LIMIT_BYTES;
	}
	if (tb[SILK_A_PATH_CPU]) {
		p->cpu = nla_get_u32(tb[SILK_A_PATH_CPU]);
		p->set |= LIBSILK_P_CPU;
	}
	if (tb[SILK_A_PATH_NAME]) {
		snprintf(p->name, sizeof(p->name), "%s",
			 nla_get_string(tb[SILK_A_PATH_NAME]));
		p->set |= LIBSILK_P_NAME;
	}
	if (tb[SILK_A_PATH_CLASS]) {
		p->class = nla_get_u8(tb[SILK_A_PATH_CLASS]);
		p->set |= LIBSILK_P_CLASS;
	}
	if (tb[SILK_A_PATH_WEIGHT]) {
		p->weight = nla_get_u32(tb[SILK_A_PATH_WEIGHT]);
		p->set |= LIBSILK_P_WEIGHT;
	}
	if (tb[SILK_A_PATH_DEADLINE_US]) {
		p->deadline_us = nla_get_u32(tb[SILK_A_PATH_DEADLINE_US]);
		p->set |= LIBSILK_P_DEADLINE;
	}
	if (tb[SILK_A_PATH_RUNTIME_US]) {
		p->runtime_us = nla_get_u32(tb[SILK_A_PATH_RUNTIME_US]);
		p->set |= LIBSILK_P_RUNTIME;
	}
	if (tb[SILK_A_PATH_PERIOD_US]) {
		p->period_us = nla_get_u32(tb[SILK_A_PATH_PERIOD_US]);
		p->set |= LIBSILK_P_PERIOD;
	}
	if (tb[SILK_A_PATH_LAZY]) {
		p->lazy = nla_get_u8(tb[SILK_A_PATH_LAZY]);
		p->set |= LIBSILK_P_LAZY;
	}
	if (tb[SILK_A_PATH_DEFAULT])
		p->set |= LIBSILK_P_DEFAULT;
	if (tb[SILK_A_PATH_DSCP]) {
		p->dscp = nla_get_u8(tb[SILK_A_PATH_DSCP]);
		p->set |= LIBSILK_P_DSCP;
	}
	if (tb[SILK_A_PATH_CONNS]) {
		p->conns = nla_get_u8(tb[SILK_A_PATH_CONNS]);
		p->set |= LIBSILK_P_CONNS;
	}
	if (tb[SILK_A_PATH_MIRROR]) {
		p->mirror = nla_get_u8(tb[SILK_A_PATH_MIRROR]);
		p->set |= LIBSILK_P_MIRROR;
	}
	if (tb[SILK_A_PATH_NCONNS])
		p->nconns = nla_get_u32(tb[SILK_A_PATH_NCONNS]);
	if (tb[SILK_A_PATH_MIRROR_UID]) {
		p->mirror_uid = nla_get_u32(tb[SILK_A_PATH_MIRROR_UID]);
		p->set |= LIBSILK_P_MIRROR_UID;
	}
	if (tb[SILK_A_PATH_MIRROR_GID]) {
		p->mirror_gid = nla_get_u32(tb[SILK_A_PATH_MIRROR_GID]);
		p->set |= LIBSILK_P_MIRROR_GID;
	}
	if (tb[SILK_A_PATH_OWNER_UID]) {
		p->owner_uid = nla_get_u32(tb[SILK_A_PATH_OWNER_UID]);
		p->set |= LIBSILK_P_OWNER;
	}
	if (tb[SILK_A_CONN_RPORT]) {
		struct nlattr *r = tb[SILK_A_CONN_RADDR4] ?: tb[SILK_A_CONN_RADDR6];
		struct nlattr *l = tb[SILK_A_CONN_LADDR4] ?: tb[SILK_A_CONN_LADDR6];

		p->set |= LIBSILK_P_CONN;
		p->rport = nla_get_u16(tb[SILK_A_CONN_RPORT]);
		p->lport = tb[SILK_A_CONN_LPORT] ?
			   nla_get_u16(tb[SILK_A_CONN_LPORT]) : 0;
		p->raddr_family = tb[SILK_A_CONN_RADDR4] ? AF_INET : AF_INET6;
		p->laddr_family = p->raddr_family;
		if (r)
			memcpy(&p->raddr, nla_data(r),
			       nla_len(r) > 16 ? 16 : nla_len(r));
		if (l)
			memcpy(&p->laddr, nla_data(l),
			       nla_len(l) > 16 ? 16 : nla_len(l));
	}
	if (tb[SILK_A_PATH_STATS]) {
		struct nlattr *st[SILK_STATS_MAX + 1] = {};
		struct libsilk_path_stats *s = &p->stats;

		nla_parse_nested(st, SILK_STATS_MAX, tb[SILK_A_PATH_STATS], NULL);
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
	struct libsilk_ns_stats *st = arg;

	st->paths = tb[SILK_A_NS_PATHS] ? nla_get_u32(tb[SILK_A_NS_PATHS]) : 0;
	st->queued_bytes = libsilk_u64(tb[SILK_A_NS_QUEUED_BYTES]);
	st->cap_drops = libsilk_u64(tb[SILK_A_NS_CAP_DROPS]);
	st->cap_bytes = libsilk_u64(tb[SILK_A_NS_CAP_BYTES]);
	st->bypass = libsilk_u64(tb[SILK_A_NS_BYPASS]);
	st->global_queued_bytes = libsilk_u64(tb[SILK_A_GLOBAL_QUEUED_BYTES]);
	st->global_cap_bytes = libsilk_u64(tb[SILK_A_GLOBAL_CAP_BYTES]);
	st->global_queued_peak = libsilk_u64(tb[SILK_A_GLOBAL_QUEUED_PEAK]);
	st->share_yields = libsilk_u64(tb[SILK_A_NS_SHARE_YIELDS]);
	st->level_changes = libsilk_u64(tb[SILK_A_NS_LEVEL_CHANGES]);
	st->placement = tb[SILK_A_NS_PLACEMENT] ?
			nla_get_u8(tb[SILK_A_NS_PLACEMENT]) : 0;
	st->conns = tb[SILK_A_NS_CONNS] ? nla_get_u32(tb[SILK_A_NS_CONNS]) : 0;
	st->conns_opened = libsilk_u64(tb[SILK_A_NS_CONNS_OPENED]);
	st->conns_closed = libsilk_u64(tb[SILK_A_NS_CONNS_CLOSED]);
	st->conn_overflows = libsilk_u64(tb[SILK_A_NS_CONN_OVERFLOWS]);
	st->mirror_tasks = tb[SILK_A_GLOBAL_MIRROR_TASKS] ?
			   nla_get_u32(tb[SILK_A_GLOBAL_MIRROR_TASKS]) : 0;
	st->mirror_applied = libsilk_u64(tb[SILK_A_GLOBAL_MIRROR_APPLIED]);
	st->mirror_restored = libsilk_u64(tb[SILK_A_GLOBAL_MIRROR_RESTORED]);
	st->mirror_dl_fallbacks = libsilk_u64(tb[SILK_A_GLOBAL_MIRROR_DL_FALLBACKS]);
	st->mirror_missed = libsilk_u64(tb[SILK_A_GLOBAL_MIRROR_MISSED]);
	st->mirror_refused = libsilk_u64(tb[SILK_A_GLOBAL_MIRROR_REFUSED]);
	st->meter_on = tb[SILK_A_NS_METER] ? nla_get_u8(tb[SILK_A_NS_METER]) : 0;
	st->meter_interval_ms = tb[SILK_A_NS_METER_INTERVAL_MS] ?
				nla_get_u32(tb[SILK_A_NS_METER_INTERVAL_MS]) : 0;
	st->meter_missed = libsilk_u64(tb[SILK_A_NS_METER_MISSED]);
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
	if (nla_put_u8(msg, SILK_A_NS_PLACEMENT, placement)) {
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
	if (id && nla_put_u32(msg, SILK_A_PATH_ID, id)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return libsilk_transact(s, msg, libsilk_parse_dump, &ctx);
}
