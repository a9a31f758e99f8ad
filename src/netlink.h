/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SILK_NETLINK_H
#define _SILK_NETLINK_H

int silk_genl_init(void);
void silk_genl_exit(void);

#endif /* _SILK_NETLINK_H */
