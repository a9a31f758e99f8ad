// SPDX-License-Identifier: LGPL-2.1
/*
 * libsilk: socket groups over the silk generic netlink family.
 */
#include <errno.h>
#include <string.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "libsilk.h"
#include "libsilk_int.h"

static const char *const libsilk_group_types[SILK_GROUP_TYPE_MAX + 1] = {
	[SILK_GROUP_RATE] = "rate",
	[SILK_GROUP_RATIO] = "ratio",
	[SILK_GROUP_OUTPUT] = "output",
};

const char *libsilk_group_type_name(uint8_t type)
{
	return libsilk_name(libsilk_group_types, SILK_GROUP_TYPE_MAX,
			    type, "?");
}

int libsilk_group_type_parse(const char *name)
{
	return libsilk_parse_name(libsilk_group_types, SILK_GROUP_TYPE_MAX,
				  name);
}

static int libsilk_put_group(struct nl_msg *msg, uint8_t cmd,
			     const struct libsilk_group *g)
{
	struct nlattr *ports, *one;
	unsigned int i;

	if (nla_put_string(msg, SILK_GROUP_A_NAME, g->name))
		return -EMSGSIZE;
	if (cmd == SILK_CMD_GROUP_NEW &&
	    nla_put_u8(msg, SILK_GROUP_A_TYPE, g->type))
		return -EMSGSIZE;
	/* One attribute per unit: bytes/s for output groups. */
	if (g->has_rate &&
	    nla_put_u64(msg, g->type == SILK_GROUP_OUTPUT ?
			     SILK_GROUP_A_OUTPUT_RATE :
			     SILK_GROUP_A_ACCEPT_RATE_MILLI, g->rate))
		return -EMSGSIZE;
	if (!g->nports)
		return 0;
	ports = nla_nest_start(msg, SILK_GROUP_A_PORTS | NLA_F_NESTED);
	if (!ports)
		return -EMSGSIZE;
	for (i = 0; i < g->nports; i++) {
		/* The entries' types are 1, 2, ...: the kernel ignores them. */
		one = nla_nest_start(msg, (i + 1) | NLA_F_NESTED);
		if (!one || nla_put_u16(msg, SILK_GPORT_A_PORT, g->port[i].port) ||
		    (g->port[i].weight &&
		     nla_put_u32(msg, SILK_GPORT_A_WEIGHT, g->port[i].weight)) ||
		    (g->port[i].ftp && nla_put_flag(msg, SILK_GPORT_A_FTP)))
			return -EMSGSIZE;
		nla_nest_end(msg, one);
	}
	nla_nest_end(msg, ports);
	return 0;
}

static int libsilk_group_cmd(struct libsilk_sock *s, uint8_t cmd,
			     const struct libsilk_group *g)
{
	struct nl_msg *msg = libsilk_msg(s, cmd, 0);

	if (!msg)
		return -ENOMEM;
	if (libsilk_put_group(msg, cmd, g)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return libsilk_transact(s, msg, NULL, NULL);
}

int libsilk_group_new(struct libsilk_sock *s, const struct libsilk_group *g)
{
	return libsilk_group_cmd(s, SILK_CMD_GROUP_NEW, g);
}

int libsilk_group_change(struct libsilk_sock *s, const struct libsilk_group *g)
{
	return libsilk_group_cmd(s, SILK_CMD_GROUP_CHANGE, g);
}

int libsilk_group_del(struct libsilk_sock *s, const char *name)
{
	struct libsilk_group g = {};

	strncpy(g.name, name, sizeof(g.name) - 1);
	return libsilk_group_cmd(s, SILK_CMD_GROUP_DEL, &g);
}

static uint64_t libsilk_group_u64(struct nlattr *a)
{
	return a ? nla_get_u64(a) : 0;
}

static int libsilk_parse_group(struct nlattr **tb, struct libsilk_group *g)
{
	struct nlattr *a, *rate;
	int rem;

	memset(g, 0, sizeof(*g));
	if (!tb[SILK_GROUP_A_NAME] || !tb[SILK_GROUP_A_TYPE])
		return -1;
	strncpy(g->name, nla_get_string(tb[SILK_GROUP_A_NAME]),
		sizeof(g->name) - 1);
	g->type = nla_get_u8(tb[SILK_GROUP_A_TYPE]);
	rate = tb[SILK_GROUP_A_ACCEPT_RATE_MILLI] ?: tb[SILK_GROUP_A_OUTPUT_RATE];
	g->has_rate = !!rate;
	g->rate = libsilk_group_u64(rate);
	g->held = tb[SILK_GROUP_A_HELD] ? nla_get_u32(tb[SILK_GROUP_A_HELD]) : 0;
	g->accepted = libsilk_group_u64(tb[SILK_GROUP_A_ACCEPTED]);
	g->hidden = libsilk_group_u64(tb[SILK_GROUP_A_HIDDEN]);
	g->members = tb[SILK_GROUP_A_MEMBERS] ?
		     nla_get_u32(tb[SILK_GROUP_A_MEMBERS]) : 0;
	g->data_ports = tb[SILK_GROUP_A_DATA_PORTS] ?
			nla_get_u32(tb[SILK_GROUP_A_DATA_PORTS]) : 0;
	if (!tb[SILK_GROUP_A_PORTS])
		return 0;
	nla_for_each_nested(a, tb[SILK_GROUP_A_PORTS], rem) {
		struct nlattr *pt[SILK_GPORT_A_MAX + 1];
		struct libsilk_group_port *p;

		if (g->nports == SILK_GROUP_PORTS_MAX ||
		    nla_parse_nested(pt, SILK_GPORT_A_MAX, a, NULL) < 0 ||
		    !pt[SILK_GPORT_A_PORT])
			continue;
		p = &g->port[g->nports++];
		p->port = nla_get_u16(pt[SILK_GPORT_A_PORT]);
		p->weight = pt[SILK_GPORT_A_WEIGHT] ?
			    nla_get_u32(pt[SILK_GPORT_A_WEIGHT]) : 0;
		p->held = pt[SILK_GPORT_A_HELD] ?
			  nla_get_u32(pt[SILK_GPORT_A_HELD]) : 0;
		p->accepted = libsilk_group_u64(pt[SILK_GPORT_A_ACCEPTED]);
		p->ftp = !!pt[SILK_GPORT_A_FTP];
	}
	return 0;
}

static int libsilk_parse_group_one(struct nlattr **tb, void *arg)
{
	libsilk_parse_group(tb, arg);
	return 0;
}

int libsilk_group_get(struct libsilk_sock *s, const char *name,
		      struct libsilk_group *out)
{
	struct nl_msg *msg = libsilk_msg(s, SILK_CMD_GROUP_GET, 0);

	if (!msg)
		return -ENOMEM;
	if (nla_put_string(msg, SILK_GROUP_A_NAME, name)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return libsilk_transact(s, msg, libsilk_parse_group_one, out);
}

struct libsilk_group_ctx {
	libsilk_group_cb cb;
	void *arg;
};

static int libsilk_parse_group_dump(struct nlattr **tb, void *arg)
{
	struct libsilk_group_ctx *ctx = arg;
	struct libsilk_group g;

	if (libsilk_parse_group(tb, &g))
		return 0;
	return ctx->cb(&g, ctx->arg);
}

int libsilk_group_dump(struct libsilk_sock *s, libsilk_group_cb cb, void *arg)
{
	struct libsilk_group_ctx ctx = { .cb = cb, .arg = arg };
	struct nl_msg *msg = libsilk_msg(s, SILK_CMD_GROUP_GET, NLM_F_DUMP);

	if (!msg)
		return -ENOMEM;
	return libsilk_transact(s, msg, libsilk_parse_group_dump, &ctx);
}
