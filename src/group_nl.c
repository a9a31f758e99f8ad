// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink commands of socket groups: requests parsed into a struct
 * silk_group_cfg for group.c, and groups put into replies.
 */
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include <uapi/linux/silk.h>

#include "group.h"
#include "netlink.h"
#include "netns.h"

static struct netlink_range_validation silk_weight_range = {
	.min = SILK_WEIGHT_MIN,
	.max = SILK_WEIGHT_MAX,
};

static const struct nla_policy silk_gport_policy[SILK_GPORT_A_MAX + 1] = {
	[SILK_GPORT_A_PAD]	= SILK_NL_REPLY_ONLY,
	[SILK_GPORT_A_PORT]	= NLA_POLICY_MIN(NLA_U16, 1),
	[SILK_GPORT_A_WEIGHT]	= NLA_POLICY_FULL_RANGE(NLA_U32,
							&silk_weight_range),
	[SILK_GPORT_A_FTP]	= { .type = NLA_FLAG },
	[SILK_GPORT_A_HELD]	= SILK_NL_REPLY_ONLY,
	[SILK_GPORT_A_ACCEPTED]	= SILK_NL_REPLY_ONLY,
};

#define SILK_GROUP_REPLY_POLICY \
	[SILK_GROUP_A_PAD]	= SILK_NL_REPLY_ONLY, \
	[SILK_GROUP_A_HELD]	= SILK_NL_REPLY_ONLY, \
	[SILK_GROUP_A_ACCEPTED]	= SILK_NL_REPLY_ONLY, \
	[SILK_GROUP_A_HIDDEN]	= SILK_NL_REPLY_ONLY, \
	[SILK_GROUP_A_MEMBERS]	= SILK_NL_REPLY_ONLY, \
	[SILK_GROUP_A_DATA_PORTS] = SILK_NL_REPLY_ONLY

#define SILK_GROUP_NAME_POLICY \
	[SILK_GROUP_A_NAME]	= { .type = NLA_NUL_STRING, \
				    .len = SILK_NAME_MAX - 1 }

/* GROUP_NEW, GROUP_CHANGE: the group, its rate and its ports. */
const struct nla_policy silk_group_set_policy[SILK_GROUP_A_MAX + 1] = {
	SILK_GROUP_REPLY_POLICY,
	SILK_GROUP_NAME_POLICY,
	[SILK_GROUP_A_TYPE]	= NLA_POLICY_MAX(NLA_U8, SILK_GROUP_TYPE_MAX),
	[SILK_GROUP_A_ACCEPT_RATE_MILLI] = { .type = NLA_U64 },
	[SILK_GROUP_A_OUTPUT_RATE] = { .type = NLA_U64 },
	[SILK_GROUP_A_PORTS]	= NLA_POLICY_NESTED_ARRAY(silk_gport_policy),
};

/* GROUP_DEL, GROUP_GET: the group's name. */
const struct nla_policy silk_group_name_policy[SILK_GROUP_A_MAX + 1] = {
	SILK_GROUP_REPLY_POLICY,
	SILK_GROUP_NAME_POLICY,
};

/* The name of the group a request names; required. */
static int silk_nl_group_name(struct genl_info *info, char *name)
{
	if (GENL_REQ_ATTR_CHECK(info, SILK_GROUP_A_NAME))
		return -EINVAL;
	nla_strscpy(name, info->attrs[SILK_GROUP_A_NAME], SILK_NAME_MAX);
	return 0;
}

static int silk_nl_group_parse(struct genl_info *info,
			       struct silk_group_cfg *c)
{
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr **tb = info->attrs, *a;
	int rem, err;

	err = silk_nl_group_name(info, c->name);
	if (err)
		return err;
	if (tb[SILK_GROUP_A_TYPE]) {
		c->type = nla_get_u8(tb[SILK_GROUP_A_TYPE]);
		c->has_type = true;
	}
	if (tb[SILK_GROUP_A_ACCEPT_RATE_MILLI] && tb[SILK_GROUP_A_OUTPUT_RATE]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[SILK_GROUP_A_OUTPUT_RATE],
				    "a group has one rate: of accepts or of bytes");
		return -EINVAL;
	}
	a = tb[SILK_GROUP_A_ACCEPT_RATE_MILLI];
	if (a) {
		c->rate_type = SILK_GROUP_RATE;
	} else {
		a = tb[SILK_GROUP_A_OUTPUT_RATE];
		c->rate_type = SILK_GROUP_OUTPUT;
	}
	if (a) {
		c->rate = nla_get_u64(a);
		c->has_rate = true;
	}
	if (!tb[SILK_GROUP_A_PORTS])
		return 0;
	nla_for_each_nested(a, tb[SILK_GROUP_A_PORTS], rem) {
		struct nlattr *pt[SILK_GPORT_A_MAX + 1];
		unsigned int i;
		u16 port;

		if (c->nports == SILK_GROUP_PORTS_MAX) {
			NL_SET_ERR_MSG_ATTR(extack, a, "too many ports in a group");
			return -E2BIG;
		}
		/* The policy has validated the nest. */
		err = nla_parse_nested(pt, SILK_GPORT_A_MAX, a,
				       silk_gport_policy, extack);
		if (err)
			return err;
		if (!pt[SILK_GPORT_A_PORT]) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "a group port needs a port number");
			return -EINVAL;
		}
		port = nla_get_u16(pt[SILK_GPORT_A_PORT]);
		for (i = 0; i < c->nports; i++)
			if (c->port[i] == port) {
				NL_SET_ERR_MSG_ATTR(extack, a,
						    "a port appears twice in the group");
				return -EINVAL;
			}
		c->port[c->nports] = port;
		c->weight[c->nports] = pt[SILK_GPORT_A_WEIGHT] ?
				       nla_get_u32(pt[SILK_GPORT_A_WEIGHT]) : 0;
		c->ftp[c->nports] = nla_get_flag(pt[SILK_GPORT_A_FTP]);
		c->nports++;
	}
	return 0;
}

/* GROUP_NEW and GROUP_CHANGE: parse, then let group.c do @set. */
static int silk_nl_group_set(struct genl_info *info,
			     int (*set)(struct silk_net *sn,
					const struct silk_group_cfg *c,
					struct netlink_ext_ack *extack))
{
	struct silk_net *sn = silk_pernet(genl_info_net(info));
	struct silk_group_cfg *c;
	int err;

	c = kzalloc(sizeof(*c), GFP_KERNEL_ACCOUNT);
	if (!c)
		return -ENOMEM;
	err = silk_nl_group_parse(info, c);
	if (!err)
		err = set(sn, c, info->extack);
	kfree(c);
	return err;
}

int silk_nl_group_new(struct sk_buff *skb, struct genl_info *info)
{
	/* No ports is refused by group.c, with a message that says so. */
	if (GENL_REQ_ATTR_CHECK(info, SILK_GROUP_A_TYPE))
		return -EINVAL;
	return silk_nl_group_set(info, silk_group_add);
}

int silk_nl_group_change(struct sk_buff *skb, struct genl_info *info)
{
	if (info->attrs[SILK_GROUP_A_TYPE]) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[SILK_GROUP_A_TYPE],
				    "a group keeps its type");
		return -EINVAL;
	}
	return silk_nl_group_set(info, silk_group_change);
}

int silk_nl_group_del(struct sk_buff *skb, struct genl_info *info)
{
	struct silk_net *sn = silk_pernet(genl_info_net(info));
	char name[SILK_NAME_MAX];
	int err;

	err = silk_nl_group_name(info, name);
	if (err)
		return err;
	return silk_group_del(sn, name, info->extack);
}

static int silk_nl_put_gport(struct sk_buff *msg, const struct silk_gport *gp)
{
	struct nlattr *nest = nla_nest_start(msg, 1);

	if (!nest || nla_put_u16(msg, SILK_GPORT_A_PORT, gp->port) ||
	    (gp->weight && nla_put_u32(msg, SILK_GPORT_A_WEIGHT, gp->weight)) ||
	    (gp->ftp && nla_put_flag(msg, SILK_GPORT_A_FTP)) ||
	    nla_put_u32(msg, SILK_GPORT_A_HELD, gp->nheld) ||
	    nla_put_u64_64bit(msg, SILK_GPORT_A_ACCEPTED, gp->accepted,
			      SILK_GPORT_A_PAD))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

/* @g, under sn->lock. */
static int silk_nl_put_group(struct sk_buff *msg, struct silk_group *g)
{
	struct nlattr *ports;
	unsigned int i;
	int err = -EMSGSIZE;

	spin_lock_irq(&g->lock);
	if (nla_put_string(msg, SILK_GROUP_A_NAME, g->name) ||
	    nla_put_u8(msg, SILK_GROUP_A_TYPE, g->type) ||
	    (g->type == SILK_GROUP_RATE &&
	     nla_put_u64_64bit(msg, SILK_GROUP_A_ACCEPT_RATE_MILLI,
			       g->rate_milli, SILK_GROUP_A_PAD)) ||
	    (g->type == SILK_GROUP_OUTPUT &&
	     nla_put_u64_64bit(msg, SILK_GROUP_A_OUTPUT_RATE, g->rate_milli,
			       SILK_GROUP_A_PAD)) ||
	    nla_put_u32(msg, SILK_GROUP_A_MEMBERS, READ_ONCE(g->members)) ||
	    nla_put_u32(msg, SILK_GROUP_A_DATA_PORTS, g->ndyn) ||
	    nla_put_u32(msg, SILK_GROUP_A_HELD, g->nheld) ||
	    nla_put_u64_64bit(msg, SILK_GROUP_A_ACCEPTED, g->accepted,
			      SILK_GROUP_A_PAD) ||
	    nla_put_u64_64bit(msg, SILK_GROUP_A_HIDDEN, g->hidden,
			      SILK_GROUP_A_PAD))
		goto out;
	ports = nla_nest_start(msg, SILK_GROUP_A_PORTS);
	if (!ports)
		goto out;
	for (i = 0; i < g->nports; i++)
		if (silk_nl_put_gport(msg, &g->port[i]))
			goto out;
	nla_nest_end(msg, ports);
	err = 0;
out:
	spin_unlock_irq(&g->lock);
	return err;
}

int silk_nl_group_get(struct sk_buff *skb, struct genl_info *info)
{
	struct silk_net *sn = silk_pernet(genl_info_net(info));
	char name[SILK_NAME_MAX];
	struct silk_group *g;
	struct sk_buff *msg;
	void *hdr;
	int err;

	err = silk_nl_group_name(info, name);
	if (err)
		return err;
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&sn->lock);
	g = silk_group_find(sn, name);
	hdr = genlmsg_put_reply(msg, info, &silk_genl_family, 0,
				SILK_CMD_GROUP_GET);
	if (!g) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[SILK_GROUP_A_NAME],
				    "no group of that name");
		err = -ENOENT;
	} else {
		err = hdr ? silk_nl_put_group(msg, g) : -EMSGSIZE;
	}
	mutex_unlock(&sn->lock);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/* cb->args[0]: groups done. */
int silk_nl_group_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct silk_net *sn = silk_pernet(sock_net(skb->sk));
	long i = 0, skip = cb->args[0];
	struct silk_group *g;
	int err = 0;
	void *hdr;

	mutex_lock(&sn->lock);
	list_for_each_entry(g, &sn->group.groups, node) {
		if (i++ < skip)
			continue;
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &silk_genl_family,
				  NLM_F_MULTI, SILK_CMD_GROUP_GET);
		if (!hdr || silk_nl_put_group(skb, g)) {
			if (hdr)
				genlmsg_cancel(skb, hdr);
			err = -EMSGSIZE;
			i--;
			break;
		}
		genlmsg_end(skb, hdr);
	}
	mutex_unlock(&sn->lock);
	cb->args[0] = i;
	return silk_nl_dump_end(skb, err);
}
