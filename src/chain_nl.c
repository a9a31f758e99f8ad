// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink commands of tcpchains: one change, a batch of changes in one
 * transaction, and the rules with their counters.
 */
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include <uapi/linux/silk.h>

#include "chain.h"
#include "netlink.h"
#include "netns.h"

/* CHAIN_NEW, COND_NEW, CHAIN_DEL, CHAIN_FLUSH: one change. */
int silk_nl_chain_cmd(struct sk_buff *skb, struct genl_info *info)
{
	struct silk_chain_op op = {
		.cmd = info->genlhdr->cmd,
		.replace = !!info->attrs[SILK_A_CHAIN_REPLACE],
		.tb = info->attrs,
	};

	if (info->attrs[SILK_A_CHAIN_OPS]) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[SILK_A_CHAIN_OPS],
				    "operations belong in a batch");
		return -EINVAL;
	}
	return silk_chain_apply(silk_pernet(genl_info_net(info)), &op, 1,
				info->extack);
}

int silk_nl_chain_batch(struct sk_buff *skb, struct genl_info *info)
{
	static const u8 changes[] = {
		SILK_CMD_CHAIN_NEW, SILK_CMD_COND_NEW, SILK_CMD_CHAIN_DEL,
		SILK_CMD_CHAIN_FLUSH,
	};
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *all = info->attrs[SILK_A_CHAIN_OPS], *a;
	struct silk_chain_op *ops = NULL;
	struct nlattr **tbs = NULL;
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
	tbs = kvcalloc(n * (SILK_A_MAX + 1), sizeof(*tbs), GFP_KERNEL);
	if (!ops || !tbs) {
		err = -ENOMEM;
		goto out;
	}
	i = 0;
	nla_for_each_nested(a, all, rem) {
		struct nlattr **tb = &tbs[i * (SILK_A_MAX + 1)];
		unsigned int c;

		if (nla_type(a) != SILK_A_CHAIN_OP) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "a batch holds SILK_A_CHAIN_OP nests only");
			err = -EINVAL;
			goto out;
		}
		err = nla_parse_nested(tb, SILK_A_MAX, a, silk_policy, extack);
		if (err)
			goto out;
		if (!tb[SILK_A_CHAIN_CMD] || tb[SILK_A_CHAIN_OPS]) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "an operation is one command, not a batch");
			err = -EINVAL;
			goto out;
		}
		ops[i].cmd = nla_get_u8(tb[SILK_A_CHAIN_CMD]);
		for (c = 0; c < ARRAY_SIZE(changes); c++)
			if (ops[i].cmd == changes[c])
				break;
		if (c == ARRAY_SIZE(changes)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[SILK_A_CHAIN_CMD],
					    "not a command that changes rules");
			err = -EINVAL;
			goto out;
		}
		err = silk_nl_cmd_attrs(tb, ops[i].cmd, SILK_A_CHAIN_CMD, extack);
		if (err)
			goto out;
		ops[i].replace = !!tb[SILK_A_CHAIN_REPLACE];
		ops[i].tb = tb;
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
	kvfree(tbs);
	kvfree(ops);
	return err;
}

static int silk_nl_put_cond(struct sk_buff *msg, const struct silk_chain *r,
			    unsigned int i)
{
	const struct silk_cond *c = &r->cond[i];
	struct nlattr *nest;
	int err = 0;

	nest = nla_nest_start(msg, SILK_A_CHAIN_COND);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(msg, SILK_A_COND_INDEX, i + 1) ||
	    nla_put_u16(msg, SILK_A_CHAIN_OUT, c->out) ||
	    nla_put_u64_64bit(msg, SILK_A_COND_HITS,
			      atomic64_read(&c->hits->n), SILK_A_PAD))
		return -EMSGSIZE;
	switch (r->type) {
	case SILK_CHAIN_ADDR:
		if (c->family == AF_INET)
			err = nla_put_in_addr(msg, SILK_A_COND_ADDR4, c->addr.ip);
		else
			err = nla_put_in6_addr(msg, SILK_A_COND_ADDR6,
					       &c->addr.in6);
		err = err ?: nla_put_u8(msg, SILK_A_COND_PLEN, c->plen);
		break;
	case SILK_CHAIN_PROB:
		err = nla_put_u16(msg, SILK_A_COND_WEIGHT, c->weight);
		break;
	case SILK_CHAIN_CONTENT:
		err = nla_put(msg, SILK_A_COND_STRING, c->len, c->str);
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

	if (nla_put_u8(msg, SILK_A_CHAIN_TYPE, r->type) ||
	    nla_put_u16(msg, SILK_A_CHAIN_PORT, r->port) ||
	    nla_put_u16(msg, SILK_A_CHAIN_OUT, r->out) ||
	    nla_put_u64_64bit(msg, SILK_A_CHAIN_HITS, atomic64_read(&r->hits->n),
			      SILK_A_PAD))
		return -EMSGSIZE;
	if (r->type == SILK_CHAIN_CONTENT &&
	    (nla_put_u32(msg, SILK_A_CHAIN_MAX_BYTES, r->max_bytes) ||
	     nla_put_u32(msg, SILK_A_CHAIN_TIMEOUT_MS, r->timeout_ms) ||
	     nla_put_u8(msg, SILK_A_CHAIN_ALGO, r->algo)))
		return -EMSGSIZE;
	if (srv &&
	    (nla_put_u64_64bit(msg, SILK_A_CHAIN_TIMEOUTS,
			       atomic64_read(&srv->timeouts), SILK_A_PAD) ||
	     nla_put_u64_64bit(msg, SILK_A_CHAIN_RESETS,
			       atomic64_read(&srv->resets), SILK_A_PAD) ||
	     nla_put_u64_64bit(msg, SILK_A_CHAIN_HANDED,
			       atomic64_read(&srv->handed), SILK_A_PAD) ||
	     nla_put_u32(msg, SILK_A_CHAIN_PENDING, silk_nl_waiting(srv))))
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

	if (!info->attrs[SILK_A_CHAIN_PORT]) {
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
	r = t ? silk_chain_find(t, nla_get_u16(info->attrs[SILK_A_CHAIN_PORT])) :
		NULL;
	err = r ? silk_nl_put_chain(msg, r) : -ENOENT;
	rcu_read_unlock();
	if (err) {
		if (err == -ENOENT)
			NL_SET_ERR_MSG_ATTR(info->extack,
					    info->attrs[SILK_A_CHAIN_PORT],
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
	if (err && !skb->len)
		return err;
	return skb->len;
}
