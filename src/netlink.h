/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SILK_NETLINK_H
#define _SILK_NETLINK_H

#include <net/genetlink.h>
#include <uapi/linux/silk.h>

extern struct genl_family silk_genl_family;
extern const struct nla_policy silk_policy[SILK_A_MAX + 1];

int silk_genl_init(void);
void silk_genl_exit(void);

#endif /* _SILK_NETLINK_H */
