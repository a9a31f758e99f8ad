/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Connection paths: one path per established TCP connection of a listen
 * path, created and removed as the connection opens and closes.
 */
#ifndef _SILK_CONN_H
#define _SILK_CONN_H

#include <linux/types.h>

struct net_device;
struct netlink_ext_ack;
struct silk_flow;
struct silk_net;
struct silk_path;
struct sock;

int silk_conns_init(struct silk_net *sn);
void silk_conns_destroy(struct silk_net *sn);
struct silk_path *silk_conn_lookup(struct silk_net *sn,
				   const struct silk_flow *f);
void silk_conns_flush(struct silk_net *sn, struct silk_path *p);
struct silk_path *silk_sock_path(struct silk_net *sn, const struct sock *sk);
struct silk_path *silk_sock_conn(struct silk_net *sn, const struct sock *sk);
void silk_conns_mirror(struct silk_net *sn, struct silk_path *p, bool on);
int silk_conns_get(struct netlink_ext_ack *extack);
void silk_conns_put(void);
void silk_conn_init(void);

#endif /* _SILK_CONN_H */
