// SPDX-License-Identifier: LGPL-2.1
/*
 * libsilk: netmeter sensors over the silk generic netlink family.
 */
#include <errno.h>
#include <string.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "libsilk.h"
#include "libsilk_int.h"

static uint64_t libsilk_meter_u64(struct nlattr *a)
{
	return a ? nla_get_u64(a) : 0;
}

static int libsilk_parse_meter(struct nlattr **tb, struct libsilk_meter *m)
{
	memset(m, 0, sizeof(*m));
	if (!tb[SILK_METER_A_PORT])
		return -1;
	m->port = nla_get_u16(tb[SILK_METER_A_PORT]);
	m->waiting = tb[SILK_METER_A_WAITING] ?
		     nla_get_u32(tb[SILK_METER_A_WAITING]) : 0;
	m->on = !!tb[SILK_METER_A_ACCEPTED];
	m->live = tb[SILK_METER_A_LIVE] ? nla_get_u32(tb[SILK_METER_A_LIVE]) : 0;
	m->accepted = libsilk_meter_u64(tb[SILK_METER_A_ACCEPTED]);
	m->delay_sum_ns = libsilk_meter_u64(tb[SILK_METER_A_DELAY_SUM_NS]);
	m->bytes_in = libsilk_meter_u64(tb[SILK_METER_A_BYTES_IN]);
	m->bytes_out = libsilk_meter_u64(tb[SILK_METER_A_BYTES_OUT]);
	m->rate_accept_milli = libsilk_meter_u64(tb[SILK_METER_A_RATE_ACCEPT_MILLI]);
	m->rate_in = libsilk_meter_u64(tb[SILK_METER_A_RATE_IN]);
	m->rate_out = libsilk_meter_u64(tb[SILK_METER_A_RATE_OUT]);
	m->rate_delay_ns = libsilk_meter_u64(tb[SILK_METER_A_RATE_DELAY_NS]);
	return 0;
}

static int libsilk_parse_meter_one(struct nlattr **tb, void *arg)
{
	libsilk_parse_meter(tb, arg);
	return 0;
}

int libsilk_meter_get(struct libsilk_sock *s, uint16_t port, struct libsilk_meter *out)
{
	struct nl_msg *msg = libsilk_msg(s, SILK_CMD_METER_GET, 0);

	if (!msg)
		return -ENOMEM;
	if (nla_put_u16(msg, SILK_METER_A_PORT, port)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return libsilk_transact(s, msg, libsilk_parse_meter_one, out);
}

struct libsilk_meter_ctx {
	libsilk_meter_cb cb;
	void *arg;
};

static int libsilk_parse_meter_dump(struct nlattr **tb, void *arg)
{
	struct libsilk_meter_ctx *ctx = arg;
	struct libsilk_meter m;

	if (libsilk_parse_meter(tb, &m))
		return 0;
	return ctx->cb(&m, ctx->arg);
}

int libsilk_meter_dump(struct libsilk_sock *s, libsilk_meter_cb cb, void *arg)
{
	struct libsilk_meter_ctx ctx = { .cb = cb, .arg = arg };
	struct nl_msg *msg = libsilk_msg(s, SILK_CMD_METER_GET, NLM_F_DUMP);

	if (!msg)
		return -ENOMEM;
	return libsilk_transact(s, msg, libsilk_parse_meter_dump, &ctx);
}

int libsilk_meter_set(struct libsilk_sock *s, int on, uint32_t interval_ms)
{
	struct nl_msg *msg = libsilk_msg(s, SILK_CMD_NS_SET, 0);

	if (!msg)
		return -ENOMEM;
	if ((on >= 0 && nla_put_u8(msg, SILK_NS_A_METER, !!on)) ||
	    (interval_ms &&
	     nla_put_u32(msg, SILK_NS_A_METER_INTERVAL_MS, interval_ms))) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return libsilk_transact(s, msg, NULL, NULL);
}
