/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SILK_NETLINK_H
#define _SILK_NETLINK_H

#include <net/genetlink.h>
#include <uapi/linux/silk.h>

extern struct genl_family silk_genl_family;
extern const struct nla_policy silk_policy[SILK_A_MAX + 1];

/* Attributes a request or a nest takes: up to three lists ending in 0. */
struct silk_nl_attrs {
	const u16 *lists[3];
};

extern const struct silk_nl_attrs silk_gport_attrs;

int silk_nl_attrs_only(struct nlattr **tb, const struct silk_nl_attrs *set,
		       u16 also, struct netlink_ext_ack *extack);
int silk_nl_cmd_attrs(struct nlattr **tb, u8 cmd, u16 also,
		      struct netlink_ext_ack *extack);

int silk_genl_init(void);
void silk_genl_exit(void);

#endif /* _SILK_NETLINK_H */
