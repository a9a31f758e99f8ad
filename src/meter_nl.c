// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink commands of the netmeter sensors: a port's, or every port's.
 */
#include <linux/mm.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include <uapi/linux/silk.h>

#include "meter.h"
#include "netlink.h"
#include "netns.h"
#include "sock.h"

/* METER_GET: the port; what it counted only appears in replies. */
const struct nla_policy silk_meter_get_policy[SILK_METER_A_MAX + 1] = {
	[SILK_METER_A_PAD]	= SILK_NL_REPLY_ONLY,
	[SILK_METER_A_PORT]	= { .type = NLA_U16 },
	[SILK_METER_A_WAITING]	= SILK_NL_REPLY_ONLY,
	[SILK_METER_A_LIVE]	= SILK_NL_REPLY_ONLY,
	[SILK_METER_A_ACCEPTED]	= SILK_NL_REPLY_ONLY,
	[SILK_METER_A_DELAY_SUM_NS] = SILK_NL_REPLY_ONLY,
	[SILK_METER_A_BYTES_IN]	= SILK_NL_REPLY_ONLY,
	[SILK_METER_A_BYTES_OUT] = SILK_NL_REPLY_ONLY,
	[SILK_METER_A_RATE_ACCEPT_MILLI] = SILK_NL_REPLY_ONLY,
	[SILK_METER_A_RATE_IN]	= SILK_NL_REPLY_ONLY,
	[SILK_METER_A_RATE_OUT]	= SILK_NL_REPLY_ONLY,
	[SILK_METER_A_RATE_DELAY_NS] = SILK_NL_REPLY_ONLY,
};

static int silk_nl_put_meter(struct sk_buff *msg, struct silk_net *sn,
			     u16 port, u32 waiting)
{
	struct silk_meter_read r;

	if (nla_put_u16(msg, SILK_METER_A_PORT, port))
		return -EMSGSIZE;
	if (!silk_meter_read(sn, port, waiting, &r))
		return nla_put_u32(msg, SILK_METER_A_WAITING, waiting) ?
		       -EMSGSIZE : 0;
	if (nla_put_u32(msg, SILK_METER_A_WAITING, r.waiting) ||
	    nla_put_u32(msg, SILK_METER_A_LIVE, r.live) ||
	    nla_put_u64_64bit(msg, SILK_METER_A_ACCEPTED, r.accepted,
			      SILK_METER_A_PAD) ||
	    nla_put_u64_64bit(msg, SILK_METER_A_DELAY_SUM_NS, r.delay_sum_ns,
			      SILK_METER_A_PAD) ||
	    nla_put_u64_64bit(msg, SILK_METER_A_BYTES_IN, r.bytes_in,
			      SILK_METER_A_PAD) ||
	    nla_put_u64_64bit(msg, SILK_METER_A_BYTES_OUT, r.bytes_out,
			      SILK_METER_A_PAD) ||
	    nla_put_u64_64bit(msg, SILK_METER_A_RATE_ACCEPT_MILLI,
			      r.rate_accept_milli, SILK_METER_A_PAD) ||
	    nla_put_u64_64bit(msg, SILK_METER_A_RATE_IN, r.rate_in,
			      SILK_METER_A_PAD) ||
	    nla_put_u64_64bit(msg, SILK_METER_A_RATE_OUT, r.rate_out,
			      SILK_METER_A_PAD) ||
	    nla_put_u64_64bit(msg, SILK_METER_A_RATE_DELAY_NS,
			      r.rate_delay_ns, SILK_METER_A_PAD))
		return -EMSGSIZE;
	return 0;
}

int silk_nl_meter_get(struct sk_buff *skb, struct genl_info *info)
{
	struct silk_net *sn = silk_pernet(genl_info_net(info));
	struct sk_buff *msg;
	u16 port;
	void *hdr;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, SILK_METER_A_PORT))
		return -EINVAL;
	port = nla_get_u16(info->attrs[SILK_METER_A_PORT]);
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
int silk_nl_meter_dump_start(struct netlink_callback *cb)
{
	int err = silk_nl_dump_all(cb);
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

int silk_nl_meter_dump_done(struct netlink_callback *cb)
{
	kvfree((u32 *)cb->args[1]);
	return 0;
}

/* cb->args[0]: the next port. */
int silk_nl_meter_dump(struct sk_buff *skb, struct netlink_callback *cb)
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
	return silk_nl_dump_end(skb, err);
}
