/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Connection paths: one path per established TCP connection of a listen
 * path, created and removed by the inet_sock_set_state tracepoint.
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
void silk_conn_follow_owner(struct silk_net *sn, struct silk_path *c,
			    u32 hash);
/*
 * silk_conn_tp_get() and silk_mirror_get() fail with -EOPNOTSUPP on
 * PREEMPT_RT, where what their probes do needs preemption; both say why
 * in @extack.
 */
#define SILK_PROBES_RT_MSG \
	"connection paths, mirroring, sensors and socket groups are not available on PREEMPT_RT kernels"

int silk_conn_tp_get(struct netlink_ext_ack *extack);
void silk_conn_tp_put(void);

#endif /* _SILK_CONN_H */
