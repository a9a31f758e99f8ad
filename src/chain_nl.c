// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink commands of tcpchains: a change or a batch of changes, parsed
 * into struct silk_chain_op for chain.c to apply in one transaction, and
 * the rules with their counters.
 */
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include <uapi/linux/silk.h>

#include "chain.h"
#include "netlink.h"
#include "netns.h"

static struct netlink_range_validation silk_chain_bytes_range = {
	.min = SILK_CHAIN_MAX_BYTES_MIN,
	.max = SILK_CHAIN_MAX_BYTES_MAX,
};

static struct netlink_range_validation silk_chain_timeout_range = {
	.min = SILK_CHAIN_TIMEOUT_MS_MIN,
	.max = SILK_CHAIN_TIMEOUT_MS_MAX,
};

/* A condition: COND_NEW gives one, CHAIN_DEL names one by INDEX. */
static const struct nla_policy silk_cond_policy[SILK_COND_A_MAX + 1] = {
	[SILK_COND_A_PAD]	= SILK_NL_REPLY_ONLY,
	[SILK_COND_A_INDEX]	= NLA_POLICY_MIN(NLA_U32, 1),
	[SILK_COND_A_OUT]	= NLA_POLICY_MIN(NLA_U16, 1),
	[SILK_COND_A_ADDR4]	= NLA_POLICY_EXACT_LEN(sizeof(struct in_addr)),
	[SILK_COND_A_ADDR6]	= NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[SILK_COND_A_PLEN]	= NLA_POLICY_MAX(NLA_U8, 128),
	[SILK_COND_A_STRING]	= NLA_POLICY_RANGE(NLA_BINARY, 1,
						   SILK_CHAIN_STRING_MAX),
	[SILK_COND_A_WEIGHT]	= NLA_POLICY_MAX(NLA_U16,
						 SILK_CHAIN_WEIGHT_TOTAL),
	[SILK_COND_A_HITS]	= SILK_NL_REPLY_ONLY,
};

#define SILK_CHAIN_REPLY_POLICY \
	[SILK_CHAIN_A_PAD]	= SILK_NL_REPLY_ONLY, \
	[SILK_CHAIN_A_HITS]	= SILK_NL_REPLY_ONLY, \
	[SILK_CHAIN_A_TIMEOUTS]	= SILK_NL_REPLY_ONLY, \
	[SILK_CHAIN_A_RESETS]	= SILK_NL_REPLY_ONLY, \
	[SILK_CHAIN_A_HANDED]	= SILK_NL_REPLY_ONLY, \
	[SILK_CHAIN_A_PENDING]	= SILK_NL_REPLY_ONLY

#define SILK_CHAIN_TYPE_POLICY \
	[SILK_CHAIN_A_TYPE]	= NLA_POLICY_MAX(NLA_U8, SILK_CHAIN_TYPE_MAX)
#define SILK_CHAIN_PORT_POLICY \
	[SILK_CHAIN_A_PORT]	= NLA_POLICY_MIN(NLA_U16, 1)
#define SILK_CHAIN_COND_POLICY \
	[SILK_CHAIN_A_COND]	= NLA_POLICY_NESTED(silk_cond_policy)
#define SILK_CHAIN_RULE_POLICY \
	[SILK_CHAIN_A_OUT]	= NLA_POLICY_MIN(NLA_U16, 1), \
	[SILK_CHAIN_A_MAX_BYTES] = NLA_POLICY_FULL_RANGE(NLA_U32, \
							 &silk_chain_bytes_range), \
	[SILK_CHAIN_A_TIMEOUT_MS] = NLA_POLICY_FULL_RANGE(NLA_U32, \
							  &silk_chain_timeout_range), \
	[SILK_CHAIN_A_ALGO]	= NLA_POLICY_MAX(NLA_U8, SILK_CHAIN_ALGO_MAX), \
	[SILK_CHAIN_A_REPLACE]	= { .type = NLA_FLAG }

const struct nla_policy silk_chain_new_policy[SILK_CHAIN_A_MAX + 1] = {
	SILK_CHAIN_REPLY_POLICY,
	SILK_CHAIN_TYPE_POLICY,
	SILK_CHAIN_PORT_POLICY,
	SILK_CHAIN_RULE_POLICY,
};

const struct nla_policy silk_cond_new_policy[SILK_CHAIN_A_MAX + 1] = {
	SILK_CHAIN_REPLY_POLICY,
	SILK_CHAIN_TYPE_POLICY,
	SILK_CHAIN_PORT_POLICY,
	SILK_CHAIN_COND_POLICY,
};

/* CHAIN_DEL: a rule, or with COND { INDEX } one of its conditions. */
const struct nla_policy silk_chain_del_policy[SILK_CHAIN_A_MAX + 1] = {
	SILK_CHAIN_REPLY_POLICY,
	SILK_CHAIN_PORT_POLICY,
	SILK_CHAIN_COND_POLICY,
};

const struct nla_policy silk_chain_get_policy[SILK_CHAIN_A_MAX + 1] = {
	SILK_CHAIN_REPLY_POLICY,
	SILK_CHAIN_PORT_POLICY,
};

/* CHAIN_BATCH: nests of commands, each parsed by its command's policy. */
const struct nla_policy silk_chain_batch_policy[SILK_CHAIN_A_MAX + 1] = {
	SILK_CHAIN_REPLY_POLICY,
	[SILK_CHAIN_A_OPS]	= { .type = NLA_NESTED_ARRAY },
};

/* One command of a batch: any change's attributes, and which it is. */
static const struct nla_policy silk_chain_op_policy[SILK_CHAIN_A_MAX + 1] = {
	SILK_CHAIN_REPLY_POLICY,
	SILK_CHAIN_TYPE_POLICY,
	SILK_CHAIN_PORT_POLICY,
	SILK_CHAIN_COND_POLICY,
	SILK_CHAIN_RULE_POLICY,
	[SILK_CHAIN_A_CMD]	= NLA_POLICY_MAX(NLA_U8, SILK_CMD_MAX),
};

/* CHAIN_FLUSH takes nothing; its attribute table is the space's. */
const struct nla_policy silk_chain_flush_policy[SILK_CHAIN_A_MAX + 1] = {
	SILK_CHAIN_REPLY_POLICY,
};

/* The policy of each command that changes rules. */
static const struct nla_policy *silk_chain_cmd_policy(u8 cmd)
{
	switch (cmd) {
	case SILK_CMD_CHAIN_NEW:
		return silk_chain_new_policy;
	case SILK_CMD_COND_NEW:
		return silk_cond_new_policy;
	case SILK_CMD_CHAIN_DEL:
		return silk_chain_del_policy;
	case SILK_CMD_CHAIN_FLUSH:
		return silk_chain_flush_policy;
	default:
		return NULL;
	}
}

static int silk_nl_cond_parse(struct nlattr *nest, struct silk_chain_op *op,
			      struct netlink_ext_ack *extack)
{
	struct silk_cond_cfg *c = &op->cond;
	struct nlattr *tb[SILK_COND_A_MAX + 1], *a;
	int err, t;

	err = nla_parse_nested(tb, SILK_COND_A_MAX, nest, silk_cond_policy,
			       extack);
	if (err)
		return err;
	if (op->cmd == SILK_CMD_CHAIN_DEL) {
		for (t = 1; t <= SILK_COND_A_MAX; t++)
			if (tb[t] && t != SILK_COND_A_INDEX) {
				NL_SET_ERR_MSG_ATTR(extack, tb[t],
						    "a condition to delete is named by its index only");
				return -EINVAL;
			}
		if (NL_REQ_ATTR_CHECK(extack, nest, tb, SILK_COND_A_INDEX)) {
			NL_SET_ERR_MSG_ATTR(extack, nest,
					    "a condition to delete needs its index");
			return -EINVAL;
		}
		op->index = nla_get_u32(tb[SILK_COND_A_INDEX]);
		return 0;
	}
	if (tb[SILK_COND_A_INDEX]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[SILK_COND_A_INDEX],
				    "a new condition goes last: it has no index");
		return -EINVAL;
	}
	if (tb[SILK_COND_A_ADDR4] && tb[SILK_COND_A_ADDR6]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[SILK_COND_A_ADDR6],
				    "an address condition needs one source prefix, IPv4 or IPv6");
		return -EINVAL;
	}
	if (tb[SILK_COND_A_ADDR4]) {
		c->family = AF_INET;
		c->addr.ip = nla_get_in_addr(tb[SILK_COND_A_ADDR4]);
	} else if (tb[SILK_COND_A_ADDR6]) {
		c->family = AF_INET6;
		c->addr.in6 = nla_get_in6_addr(tb[SILK_COND_A_ADDR6]);
	}
	if (tb[SILK_COND_A_PLEN]) {
		c->plen = nla_get_u8(tb[SILK_COND_A_PLEN]);
		c->has_plen = true;
	}
	if (tb[SILK_COND_A_WEIGHT]) {
		c->weight = nla_get_u16(tb[SILK_COND_A_WEIGHT]);
		c->has_weight = true;
	}
	a = tb[SILK_COND_A_STRING];
	if (a) {
		c->str = nla_data(a);
		c->len = nla_len(a);
	}
	if (tb[SILK_COND_A_OUT]) {
		c->out = nla_get_u16(tb[SILK_COND_A_OUT]);
		op->has_cond = true;
	}
	return 0;
}

/* @tb, validated by @op->cmd's policy, into @op. */
static int silk_nl_chain_op(struct nlattr **tb, struct silk_chain_op *op,
			    struct netlink_ext_ack *extack)
{
	op->replace = nla_get_flag(tb[SILK_CHAIN_A_REPLACE]);
	if (tb[SILK_CHAIN_A_TYPE]) {
		op->type = nla_get_u8(tb[SILK_CHAIN_A_TYPE]);
		op->has_type = true;
	}
	if (tb[SILK_CHAIN_A_PORT]) {
		op->port = nla_get_u16(tb[SILK_CHAIN_A_PORT]);
		op->has_port = true;
	}
	if (tb[SILK_CHAIN_A_OUT]) {
		op->out = nla_get_u16(tb[SILK_CHAIN_A_OUT]);
		op->has_out = true;
	}
	if (tb[SILK_CHAIN_A_MAX_BYTES]) {
		op->max_bytes = nla_get_u32(tb[SILK_CHAIN_A_MAX_BYTES]);
		op->has_max_bytes = true;
	}
	if (tb[SILK_CHAIN_A_TIMEOUT_MS]) {
		op->timeout_ms = nla_get_u32(tb[SILK_CHAIN_A_TIMEOUT_MS]);
		op->has_timeout = true;
	}
	if (tb[SILK_CHAIN_A_ALGO]) {
		op->algo = nla_get_u8(tb[SILK_CHAIN_A_ALGO]);
		op->has_algo = true;
	}
	if (tb[SILK_CHAIN_A_COND])
		return silk_nl_cond_parse(tb[SILK_CHAIN_A_COND], op, extack);
	return 0;
}

/* CHAIN_NEW, COND_NEW, CHAIN_DEL, CHAIN_FLUSH: one change. */
int silk_nl_chain_cmd(struct sk_buff *skb, struct genl_info *info)
{
	struct silk_chain_op op = { .cmd = info->genlhdr->cmd };
	int err;

	err = silk_nl_chain_op(info->attrs, &op, info->extack);
	if (err)
		return err;
	return silk_chain_apply(silk_pernet(genl_info_net(info)), &op, 1,
				info->extack);
}

/* An operation @tb of a batch takes only what its command reads. */
static int silk_nl_chain_op_check(struct nlattr **tb, struct nlattr *a,
				  struct silk_chain_op *op,
				  struct netlink_ext_ack *extack)
{
	const struct nla_policy *policy;
	int t;

	if (!tb[SILK_CHAIN_A_CMD]) {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "an operation of a batch names its command");
		return -EINVAL;
	}
	op->cmd = nla_get_u8(tb[SILK_CHAIN_A_CMD]);
	policy = silk_chain_cmd_policy(op->cmd);
	if (!policy) {
		NL_SET_ERR_MSG_ATTR(extack, tb[SILK_CHAIN_A_CMD],
				    "not a command that changes rules");
		return -EINVAL;
	}
	for (t = 1; t <= SILK_CHAIN_A_MAX; t++) {
		if (tb[t] && t != SILK_CHAIN_A_CMD &&
		    policy[t].type == NLA_UNSPEC) {
			NL_SET_ERR_MSG_ATTR(extack, tb[t], "Unsupported attribute");
			return -EINVAL;
		}
	}
	return 0;
}

int silk_nl_chain_batch(struct sk_buff *skb, struct genl_info *info)
{
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *all = info->attrs[SILK_CHAIN_A_OPS], *a;
	struct nlattr *tb[SILK_CHAIN_A_MAX + 1];
	struct silk_chain_op *ops = NULL;
	unsigned int n = 0, i;
	int rem, err = 0;

	if (!all) {
		NL_SET_ERR_MSG(extack, "a batch needs its operations");
		return -EINVAL;
	}
	nla_for_each_nested(a, all, rem)
		n++;
	if (!n || n > SILK_CHAIN_OPS_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, all,
				    "a batch has 1 to 4096 operations");
		return -EINVAL;
	}
	ops = kvcalloc(n, sizeof(*ops), GFP_KERNEL);
	if (!ops)
		return -ENOMEM;
	i = 0;
	nla_for_each_nested(a, all, rem) {
		err = nla_parse_nested(tb, SILK_CHAIN_A_MAX, a,
				       silk_chain_op_policy, extack);
		if (!err)
			err = silk_nl_chain_op_check(tb, a, &ops[i], extack);
		if (!err)
			err = silk_nl_chain_op(tb, &ops[i], extack);
		if (err)
			goto out;
		i++;
	}
	err = silk_chain_apply(silk_pernet(genl_info_net(info)), ops, n,
			       extack);
	if (err) {
		/* Point at the operation that failed. */
		i = 0;
		nla_for_each_nested(a, all, rem) {
			if (i < n && ops[i].failed) {
				extack->bad_attr = a;
				break;
			}
			i++;
		}
	}
out:
	kvfree(ops);
	return err;
}

static int silk_nl_put_cond(struct sk_buff *msg, const struct silk_chain *r,
			    unsigned int i)
{
	const struct silk_cond *c = &r->cond[i];
	struct nlattr *nest;
	int err = 0;

	nest = nla_nest_start(msg, SILK_CHAIN_A_COND);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(msg, SILK_COND_A_INDEX, i + 1) ||
	    nla_put_u16(msg, SILK_COND_A_OUT, c->out) ||
	    nla_put_u64_64bit(msg, SILK_COND_A_HITS,
			      atomic64_read(&c->hits->n), SILK_COND_A_PAD))
		return -EMSGSIZE;
	switch (r->type) {
	case SILK_CHAIN_ADDR:
		if (c->family == AF_INET)
			err = nla_put_in_addr(msg, SILK_COND_A_ADDR4, c->addr.ip);
		else
			err = nla_put_in6_addr(msg, SILK_COND_A_ADDR6,
					       &c->addr.in6);
		err = err ?: nla_put_u8(msg, SILK_COND_A_PLEN, c->plen);
		break;
	case SILK_CHAIN_PROB:
		err = nla_put_u16(msg, SILK_COND_A_WEIGHT, c->weight);
		break;
	case SILK_CHAIN_CONTENT:
		err = nla_put(msg, SILK_COND_A_STRING, c->len, c->str);
		break;
	}
	if (err)
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

/* Content connections silk holds: queued on its listeners, or pending. */
static u32 silk_nl_waiting(const struct silk_chain_srv *srv)
{
	u32 n = READ_ONCE(srv->npending);
	int i;

	for (i = 0; i < ARRAY_SIZE(srv->sock); i++)
		if (srv->sock[i])
			n += READ_ONCE(srv->sock[i]->sk->sk_ack_backlog);
	return n;
}

static int silk_nl_put_chain(struct sk_buff *msg, const struct silk_chain *r)
{
	const struct silk_chain_srv *srv = r->srv;
	unsigned int i;

	if (nla_put_u8(msg, SILK_CHAIN_A_TYPE, r->type) ||
	    nla_put_u16(msg, SILK_CHAIN_A_PORT, r->port) ||
	    nla_put_u16(msg, SILK_CHAIN_A_OUT, r->out) ||
	    nla_put_u64_64bit(msg, SILK_CHAIN_A_HITS, atomic64_read(&r->hits->n),
			      SILK_CHAIN_A_PAD))
		return -EMSGSIZE;
	if (r->type == SILK_CHAIN_CONTENT &&
	    (nla_put_u32(msg, SILK_CHAIN_A_MAX_BYTES, r->max_bytes) ||
	     nla_put_u32(msg, SILK_CHAIN_A_TIMEOUT_MS, r->timeout_ms) ||
	     nla_put_u8(msg, SILK_CHAIN_A_ALGO, r->algo)))
		return -EMSGSIZE;
	if (srv &&
	    (nla_put_u64_64bit(msg, SILK_CHAIN_A_TIMEOUTS,
			       atomic64_read(&srv->timeouts), SILK_CHAIN_A_PAD) ||
	     nla_put_u64_64bit(msg, SILK_CHAIN_A_RESETS,
			       atomic64_read(&srv->resets), SILK_CHAIN_A_PAD) ||
	     nla_put_u64_64bit(msg, SILK_CHAIN_A_HANDED,
			       atomic64_read(&srv->handed), SILK_CHAIN_A_PAD) ||
	     nla_put_u32(msg, SILK_CHAIN_A_PENDING, silk_nl_waiting(srv))))
		return -EMSGSIZE;
	for (i = 0; i < r->ncond; i++)
		if (silk_nl_put_cond(msg, r, i))
			return -EMSGSIZE;
	return 0;
}

int silk_nl_chain_get(struct sk_buff *skb, struct genl_info *info)
{
	struct silk_net *sn = silk_pernet(genl_info_net(info));
	const struct silk_chains *t;
	const struct silk_chain *r;
	struct sk_buff *msg;
	void *hdr;
	int err;

	if (!info->attrs[SILK_CHAIN_A_PORT]) {
		NL_SET_ERR_MSG(info->extack, "which port's rule? (or dump them all)");
		return -EINVAL;
	}
	msg = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &silk_genl_family, 0,
				SILK_CMD_CHAIN_GET);
	if (!hdr) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	rcu_read_lock();
	t = rcu_dereference(sn->chain.table);
	r = t ? silk_chain_find(t, nla_get_u16(info->attrs[SILK_CHAIN_A_PORT])) :
		NULL;
	err = r ? silk_nl_put_chain(msg, r) : -ENOENT;
	rcu_read_unlock();
	if (err) {
		if (err == -ENOENT)
			NL_SET_ERR_MSG_ATTR(info->extack,
					    info->attrs[SILK_CHAIN_A_PORT],
					    "no rule on this port");
		nlmsg_free(msg);
		return err;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/* cb->args[0]: the next port to dump. */
int silk_nl_chain_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct silk_net *sn = silk_pernet(sock_net(skb->sk));
	const struct silk_chains *t;
	unsigned int i;
	int err = 0;
	void *hdr;

	rcu_read_lock();
	t = rcu_dereference(sn->chain.table);
	for (i = 0; t && i < t->n; i++) {
		const struct silk_chain *r = t->rule[i];

		if (r->port < cb->args[0])
			continue;
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &silk_genl_family,
				  NLM_F_MULTI, SILK_CMD_CHAIN_GET);
		if (!hdr || silk_nl_put_chain(skb, r)) {
			if (hdr)
				genlmsg_cancel(skb, hdr);
			err = -EMSGSIZE;
			break;
		}
		genlmsg_end(skb, hdr);
		cb->args[0] = r->port + 1;
	}
	rcu_read_unlock();
	return silk_nl_dump_end(skb, err);
}
