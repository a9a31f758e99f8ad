// SPDX-License-Identifier: LGPL-2.1
/*
 * libsilk: tcpchains rules over the silk generic netlink family.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "libsilk.h"
#include "libsilk_int.h"

static const char *const libsilk_chain_types[SILK_CHAIN_TYPE_MAX + 1] = {
	[SILK_CHAIN_ADDR] = "a",
	[SILK_CHAIN_CONTENT] = "c",
	[SILK_CHAIN_PROB] = "d",
};

static const char *const libsilk_chain_algos[SILK_CHAIN_ALGO_MAX + 1] = {
	[SILK_CHAIN_ALGO_KMP] = "kmp",
	[SILK_CHAIN_ALGO_BM] = "bm",
};

const char *libsilk_chain_type_name(uint8_t type)
{
	return libsilk_name(libsilk_chain_types, SILK_CHAIN_TYPE_MAX,
			    type, "?");
}

int libsilk_chain_type_parse(const char *name)
{
	return libsilk_parse_name(libsilk_chain_types, SILK_CHAIN_TYPE_MAX,
				  name);
}

const char *libsilk_chain_algo_name(uint8_t algo)
{
	return libsilk_name(libsilk_chain_algos, SILK_CHAIN_ALGO_MAX,
			    algo, "?");
}

int libsilk_chain_algo_parse(const char *name)
{
	return libsilk_parse_name(libsilk_chain_algos, SILK_CHAIN_ALGO_MAX,
				  name);
}

/* A condition: its outgoing port and what it matches, for a rule of @type. */
static int libsilk_put_cond(struct nl_msg *msg, uint8_t type,
			    const struct libsilk_chain_cond *c)
{
	int err = 0;

	err |= nla_put_u16(msg, SILK_COND_A_OUT, c->out);
	switch (type) {
	case SILK_CHAIN_ADDR:
		if (c->family == AF_INET)
			err |= nla_put(msg, SILK_COND_A_ADDR4, 4, &c->addr);
		else
			err |= nla_put(msg, SILK_COND_A_ADDR6, 16, &c->addr);
		err |= nla_put_u8(msg, SILK_COND_A_PLEN, c->plen);
		break;
	case SILK_CHAIN_CONTENT:
		err |= nla_put(msg, SILK_COND_A_STRING, c->len, c->str);
		break;
	case SILK_CHAIN_PROB:
		err |= nla_put_u16(msg, SILK_COND_A_WEIGHT, c->weight);
		break;
	}
	return err;
}

/* The attributes of one change, at the current level of @msg. */
static int libsilk_put_op(struct nl_msg *msg, const struct libsilk_chain_op *op)
{
	const struct libsilk_chain_rule *r = &op->rule;
	const struct libsilk_chain_cond *c = &op->cond;
	struct nlattr *nest;
	int err = 0;

	switch (op->cmd) {
	case SILK_CMD_CHAIN_NEW:
		err |= nla_put_u8(msg, SILK_CHAIN_A_TYPE, r->type);
		err |= nla_put_u16(msg, SILK_CHAIN_A_PORT, r->port);
		err |= nla_put_u16(msg, SILK_CHAIN_A_OUT, r->out);
		if (r->set & LIBSILK_CH_MAX_BYTES)
			err |= nla_put_u32(msg, SILK_CHAIN_A_MAX_BYTES,
					   r->max_bytes);
		if (r->set & LIBSILK_CH_TIMEOUT)
			err |= nla_put_u32(msg, SILK_CHAIN_A_TIMEOUT_MS,
					   r->timeout_ms);
		if (r->set & LIBSILK_CH_ALGO)
			err |= nla_put_u8(msg, SILK_CHAIN_A_ALGO, r->algo);
		break;
	case SILK_CMD_COND_NEW:
		err |= nla_put_u8(msg, SILK_CHAIN_A_TYPE, r->type);
		err |= nla_put_u16(msg, SILK_CHAIN_A_PORT, r->port);
		nest = nla_nest_start(msg, SILK_CHAIN_A_COND | NLA_F_NESTED);
		if (!nest)
			return -EMSGSIZE;
		err |= libsilk_put_cond(msg, r->type, c);
		nla_nest_end(msg, nest);
		break;
	case SILK_CMD_CHAIN_DEL:
		err |= nla_put_u16(msg, SILK_CHAIN_A_PORT, r->port);
		if (c->index) {
			nest = nla_nest_start(msg, SILK_CHAIN_A_COND | NLA_F_NESTED);
			if (!nest)
				return -EMSGSIZE;
			err |= nla_put_u32(msg, SILK_COND_A_INDEX, c->index);
			nla_nest_end(msg, nest);
		}
		break;
	case SILK_CMD_CHAIN_FLUSH:
		break;
	default:
		return -EINVAL;
	}
	return err ? -EMSGSIZE : 0;
}

int libsilk_chain_do(struct libsilk_sock *s, const struct libsilk_chain_op *op)
{
	struct nl_msg *msg;
	int err;

	msg = libsilk_msg(s, op->cmd, NLM_F_ACK);
	if (!msg)
		return -ENOMEM;
	err = libsilk_put_op(msg, op);
	if (!err && op->replace && nla_put_flag(msg, SILK_CHAIN_A_REPLACE))
		err = -EMSGSIZE;
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return libsilk_transact(s, msg, NULL, NULL);
}

int libsilk_chain_batch(struct libsilk_sock *s, const struct libsilk_chain_op *ops,
			unsigned int n, unsigned int *failed)
{
	struct nlattr *all, *one;
	struct nl_msg *msg;
	uint32_t *offs;
	unsigned int i;
	int err = 0;

	*failed = 0;
	offs = calloc(n ? n : 1, sizeof(*offs));
	/* A big batch needs a bigger message than the default page. */
	msg = nlmsg_alloc_size(4096 + 512 * (size_t)n);
	if (!offs || !msg ||
	    !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, s->family, 0,
			 NLM_F_ACK, SILK_CMD_CHAIN_BATCH, SILK_GENL_VERSION) ||
	    !(all = nla_nest_start(msg, SILK_CHAIN_A_OPS | NLA_F_NESTED))) {
		free(offs);
		if (msg)
			nlmsg_free(msg);
		return -ENOMEM;
	}
	for (i = 0; i < n && !err; i++) {
		offs[i] = (char *)nlmsg_tail(nlmsg_hdr(msg)) -
			  (char *)nlmsg_hdr(msg);
		/* One nest per command, of types 1, 2, ...: ignored. */
		one = nla_nest_start(msg, (i % 0x3fff + 1) | NLA_F_NESTED);
		if (!one || nla_put_u8(msg, SILK_CHAIN_A_CMD, ops[i].cmd) ||
		    (ops[i].replace && nla_put_flag(msg, SILK_CHAIN_A_REPLACE))) {
			err = -EMSGSIZE;
			break;
		}
		err = libsilk_put_op(msg, &ops[i]);
		nla_nest_end(msg, one);
	}
	if (err) {
		*failed = i ? i - 1 : 0;
		free(offs);
		nlmsg_free(msg);
		return err;
	}
	nla_nest_end(msg, all);
	err = libsilk_transact(s, msg, NULL, NULL);
	if (err && s->err_off) {
		for (i = 0; i < n; i++)
			if (offs[i] <= s->err_off)
				*failed = i;
	}
	free(offs);
	return err;
}

struct libsilk_chain_ctx {
	libsilk_chain_cb cb;
	void *arg;
	int err;
};

static void libsilk_parse_cond(struct nlattr *nest, struct libsilk_chain_cond *c)
{
	struct nlattr *tb[SILK_COND_A_MAX + 1];

	memset(c, 0, sizeof(*c));
	if (nla_parse_nested(tb, SILK_COND_A_MAX, nest, NULL) < 0)
		return;
	if (tb[SILK_COND_A_INDEX])
		c->index = nla_get_u32(tb[SILK_COND_A_INDEX]);
	if (tb[SILK_COND_A_OUT])
		c->out = nla_get_u16(tb[SILK_COND_A_OUT]);
	if (tb[SILK_COND_A_HITS])
		c->hits = nla_get_u64(tb[SILK_COND_A_HITS]);
	if (tb[SILK_COND_A_ADDR4]) {
		c->family = AF_INET;
		memcpy(&c->addr, nla_data(tb[SILK_COND_A_ADDR4]), 4);
	} else if (tb[SILK_COND_A_ADDR6]) {
		c->family = AF_INET6;
		memcpy(&c->addr, nla_data(tb[SILK_COND_A_ADDR6]), 16);
	}
	if (tb[SILK_COND_A_PLEN])
		c->plen = nla_get_u8(tb[SILK_COND_A_PLEN]);
	if (tb[SILK_COND_A_WEIGHT])
		c->weight = nla_get_u16(tb[SILK_COND_A_WEIGHT]);
	if (tb[SILK_COND_A_STRING]) {
		int len = nla_len(tb[SILK_COND_A_STRING]);

		if (len > SILK_CHAIN_STRING_MAX)
			len = SILK_CHAIN_STRING_MAX;
		c->len = len;
		memcpy(c->str, nla_data(tb[SILK_COND_A_STRING]), len);
	}
}

static int libsilk_parse_chain(struct nlmsghdr *nlh, void *arg)
{
	struct libsilk_chain_ctx *ctx = arg;
	struct nlattr *tb[SILK_CHAIN_A_MAX + 1], *a;
	struct libsilk_chain_rule r = {};
	int rem, ret;

	if (genlmsg_parse(nlh, 0, tb, SILK_CHAIN_A_MAX, NULL) < 0 ||
	    !tb[SILK_CHAIN_A_PORT] || !tb[SILK_CHAIN_A_TYPE])
		return 0;
	r.type = nla_get_u8(tb[SILK_CHAIN_A_TYPE]);
	r.port = nla_get_u16(tb[SILK_CHAIN_A_PORT]);
	if (tb[SILK_CHAIN_A_OUT])
		r.out = nla_get_u16(tb[SILK_CHAIN_A_OUT]);
#define U64(attr) (tb[attr] ? nla_get_u64(tb[attr]) : 0)
	r.hits = U64(SILK_CHAIN_A_HITS);
	r.timeouts = U64(SILK_CHAIN_A_TIMEOUTS);
	r.resets = U64(SILK_CHAIN_A_RESETS);
	r.handed = U64(SILK_CHAIN_A_HANDED);
#undef U64
	if (tb[SILK_CHAIN_A_PENDING])
		r.pending = nla_get_u32(tb[SILK_CHAIN_A_PENDING]);
	if (tb[SILK_CHAIN_A_MAX_BYTES]) {
		r.max_bytes = nla_get_u32(tb[SILK_CHAIN_A_MAX_BYTES]);
		r.set |= LIBSILK_CH_MAX_BYTES;
	}
	if (tb[SILK_CHAIN_A_TIMEOUT_MS]) {
		r.timeout_ms = nla_get_u32(tb[SILK_CHAIN_A_TIMEOUT_MS]);
		r.set |= LIBSILK_CH_TIMEOUT;
	}
	if (tb[SILK_CHAIN_A_ALGO]) {
		r.algo = nla_get_u8(tb[SILK_CHAIN_A_ALGO]);
		r.set |= LIBSILK_CH_ALGO;
	}
	/* Conditions: one SILK_CHAIN_A_COND nest each, in order. */
	nlmsg_for_each_attr(a, nlh, GENL_HDRLEN, rem)
		if (nla_type(a) == SILK_CHAIN_A_COND)
			r.ncond++;
	if (r.ncond) {
		r.cond = calloc(r.ncond, sizeof(*r.cond));
		if (!r.cond) {
			ctx->err = -ENOMEM;
			return 1;
		}
		r.ncond = 0;
		nlmsg_for_each_attr(a, nlh, GENL_HDRLEN, rem)
			if (nla_type(a) == SILK_CHAIN_A_COND)
				libsilk_parse_cond(a, &r.cond[r.ncond++]);
	}
	ret = ctx->cb(&r, ctx->arg);
	free(r.cond);
	return ret;
}

int libsilk_chain_get(struct libsilk_sock *s, uint16_t port, libsilk_chain_cb cb,
		      void *arg)
{
	struct libsilk_chain_ctx ctx = { .cb = cb, .arg = arg };
	struct nl_msg *msg;
	int err;

	msg = libsilk_msg(s, SILK_CMD_CHAIN_GET, 0);
	if (!msg)
		return -ENOMEM;
	if (nla_put_u16(msg, SILK_CHAIN_A_PORT, port)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	err = libsilk_transact_raw(s, msg, libsilk_parse_chain, &ctx);
	return err ?: ctx.err;
}

int libsilk_chain_dump(struct libsilk_sock *s, libsilk_chain_cb cb, void *arg)
{
	struct libsilk_chain_ctx ctx = { .cb = cb, .arg = arg };
	struct nl_msg *msg;
	int err;

	msg = libsilk_msg(s, SILK_CMD_CHAIN_GET, NLM_F_DUMP);
	if (!msg)
		return -ENOMEM;
	err = libsilk_transact_raw(s, msg, libsilk_parse_chain, &ctx);
	return err ?: ctx.err;
}
