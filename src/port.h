/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The port table that the hook looks packets up in.
 */
#ifndef _SILK_PORT_H
#define _SILK_PORT_H

#include "path.h"

struct silk_flow;
struct silk_net;

/* Everything bound to one (protocol, port), most specific path first. */
struct silk_port {
	struct rhash_head node;
	u32 key;
	struct list_head paths;
	struct rcu_head rcu;
};

static inline u32 silk_port_key(u8 proto, __be16 port)
{
	return (u32)proto << 16 | (__force u16)port;
}

int silk_ports_init(struct silk_net *sn);
void silk_ports_destroy(struct silk_net *sn);
struct silk_path *silk_path_lookup(struct silk_net *sn,
				   const struct silk_flow *f);
struct silk_path *silk_dflt_lookup(struct silk_net *sn,
				   const struct sk_buff *skb, u8 proto);
struct silk_path *silk_path_find(struct silk_net *sn,
				 const struct silk_binding *b);
struct silk_port *silk_port_get(struct silk_net *sn, u8 proto, __be16 dport);
void silk_port_link(struct silk_port *port, struct silk_path *p);
void silk_port_unlink(struct silk_net *sn, struct silk_path *p);

#endif /* _SILK_PORT_H */
