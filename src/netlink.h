/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The "silk" generic netlink family: its commands, by object, and the
 * policies they are validated with.
 */
#ifndef _SILK_NETLINK_H
#define _SILK_NETLINK_H

#include <net/genetlink.h>
#include <uapi/linux/silk.h>

#include "compat.h"

extern struct genl_family silk_genl_family;

/* An attribute of a space that requests must not carry. */
#define SILK_NL_REPLY_ONLY { .type = NLA_REJECT, \
			     .reject_message = "attribute only appears in replies" }

int silk_nl_dump_all(struct netlink_callback *cb);

/*
 * The end of one dumpit round that stopped with @err: what it filled is
 * sent and the dump goes on; an error only if not even one object fit.
 */
static inline int silk_nl_dump_end(struct sk_buff *skb, int err)
{
	return err && !skb->len ? err : skb->len;
}

/* path_nl.c */
extern const struct nla_policy silk_path_add_policy[SILK_PATH_A_MAX + 1];
extern const struct nla_policy silk_path_change_policy[SILK_PATH_A_MAX + 1];
extern const struct nla_policy silk_path_get_policy[SILK_PATH_A_MAX + 1];
extern const struct nla_policy silk_conn_get_policy[SILK_PATH_A_MAX + 1];
int silk_nl_path_add(struct sk_buff *skb, struct genl_info *info);
int silk_nl_path_change(struct sk_buff *skb, struct genl_info *info);
int silk_nl_path_del(struct sk_buff *skb, struct genl_info *info);
int silk_nl_path_get(struct sk_buff *skb, struct genl_info *info);
int silk_nl_path_dump_start(struct netlink_callback *cb);
int silk_nl_path_dump(struct sk_buff *skb, struct netlink_callback *cb);
int silk_nl_conn_dump(struct sk_buff *skb, struct netlink_callback *cb);

/* ns_nl.c */
extern const struct nla_policy silk_ns_set_policy[SILK_NS_A_MAX + 1];
int silk_nl_stats_get(struct sk_buff *skb, struct genl_info *info);
int silk_nl_ns_set(struct sk_buff *skb, struct genl_info *info);

/* meter_nl.c */
extern const struct nla_policy silk_meter_get_policy[SILK_METER_A_MAX + 1];
int silk_nl_meter_get(struct sk_buff *skb, struct genl_info *info);
int silk_nl_meter_dump_start(struct netlink_callback *cb);
int silk_nl_meter_dump(struct sk_buff *skb, struct netlink_callback *cb);
int silk_nl_meter_dump_done(struct netlink_callback *cb);

/* chain_nl.c */
extern const struct nla_policy silk_chain_new_policy[SILK_CHAIN_A_MAX + 1];
extern const struct nla_policy silk_cond_new_policy[SILK_CHAIN_A_MAX + 1];
extern const struct nla_policy silk_chain_del_policy[SILK_CHAIN_A_MAX + 1];
extern const struct nla_policy silk_chain_get_policy[SILK_CHAIN_A_MAX + 1];
extern const struct nla_policy silk_chain_batch_policy[SILK_CHAIN_A_MAX + 1];
extern const struct nla_policy silk_chain_flush_policy[SILK_CHAIN_A_MAX + 1];
int silk_nl_chain_cmd(struct sk_buff *skb, struct genl_info *info);
int silk_nl_chain_batch(struct sk_buff *skb, struct genl_info *info);
int silk_nl_chain_get(struct sk_buff *skb, struct genl_info *info);
int silk_nl_chain_dump(struct sk_buff *skb, struct netlink_callback *cb);

/* group_nl.c */
extern const struct nla_policy silk_group_set_policy[SILK_GROUP_A_MAX + 1];
extern const struct nla_policy silk_group_name_policy[SILK_GROUP_A_MAX + 1];
int silk_nl_group_new(struct sk_buff *skb, struct genl_info *info);
int silk_nl_group_change(struct sk_buff *skb, struct genl_info *info);
int silk_nl_group_del(struct sk_buff *skb, struct genl_info *info);
int silk_nl_group_get(struct sk_buff *skb, struct genl_info *info);
int silk_nl_group_dump(struct sk_buff *skb, struct netlink_callback *cb);

int silk_genl_init(void);
void silk_genl_exit(void);

#endif /* _SILK_NETLINK_H */
