// SPDX-License-Identifier: GPL-2.0
/*
 * The port table: every path of a namespace by (protocol, destination
 * port), most specific binding first, which the hook looks packets up in
 * under RCU; and the takeover default paths.
 */
#include <linux/bitmap.h>
#include <linux/inetdevice.h>
#include <linux/netdevice.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <net/ipv6.h>

#include "flow.h"
#include "netns.h"
#include "port.h"

static const struct rhashtable_params silk_port_params = {
	.key_len = sizeof(u32),
	.key_offset = offsetof(struct silk_port, key),
	.head_offset = offsetof(struct silk_port, node),
	.automatic_shrinking = true,
};

static bool silk_binding_match(const struct silk_binding *b,
			       const struct silk_flow *f)
{
	if (b->family && b->family != f->family)
		return false;
	if (b->has_dscp && b->dscp != f->dscp)
		return false;
	if (f->family == AF_INET) {
		if (b->has_laddr && b->laddr.ip != f->daddr4)
			return false;
		if (b->rplen &&
		    ((f->saddr4 ^ b->raddr.ip) & inet_make_mask(b->rplen)))
			return false;
	} else {
		if (b->has_laddr && !ipv6_addr_equal(&b->laddr.in6, f->daddr6))
			return false;
		if (b->rplen &&
		    !ipv6_prefix_equal(f->saddr6, &b->raddr.in6, b->rplen))
			return false;
	}
	return true;
}

/* Called by the hook under RCU. */
struct silk_path *silk_path_lookup(struct silk_net *sn,
				   const struct silk_flow *f)
{
	u32 key = silk_port_key(f->proto, f->dport);
	unsigned long *dports = rcu_dereference(sn->dports);
	struct silk_port *port;
	struct silk_path *p;

	if (!dports || !test_bit(be16_to_cpu(f->dport), dports))
		return NULL;
	port = rhashtable_lookup(&sn->ports, &key, silk_port_params);
	if (!port)
		return NULL;
	list_for_each_entry_rcu(p, &port->paths, port_node)
		if (silk_binding_match(&p->b, f))
			return p;
	return NULL;
}

/*
 * Takeover: where a packet no path binds goes, if its namespace has a
 * default path for its protocol. Loopback traffic is left alone: it was
 * processed once already on its way out.
 */
struct silk_path *silk_dflt_lookup(struct silk_net *sn,
				   const struct sk_buff *skb, u8 proto)
{
	if (!READ_ONCE(sn->ndflt) || (skb->dev->flags & IFF_LOOPBACK))
		return NULL;
	return rcu_dereference(sn->dflt[silk_dflt_index(proto)]);
}

/* Order among paths of one port: more specific first. */
static unsigned int silk_binding_rank(const struct silk_binding *b)
{
	return (b->has_laddr ? 1024 : 0) + (b->has_dscp ? 512 : 0) +
	       b->rplen * 2 + (b->family ? 1 : 0);
}

static bool silk_binding_equal(const struct silk_binding *a,
			       const struct silk_binding *b)
{
	if (a->dflt != b->dflt)
		return false;
	if (a->proto != b->proto || a->port != b->port ||
	    a->family != b->family || a->has_laddr != b->has_laddr ||
	    a->rplen != b->rplen || a->has_dscp != b->has_dscp ||
	    a->dscp != b->dscp)
		return false;
	if (a->has_laddr && !nf_inet_addr_cmp(&a->laddr, &b->laddr))
		return false;
	if (a->rplen && !nf_inet_addr_cmp(&a->raddr, &b->raddr))
		return false;
	return true;
}

struct silk_path *silk_path_find(struct silk_net *sn,
				 const struct silk_binding *b)
{
	u32 key = silk_port_key(b->proto, b->port);
	struct silk_port *port;
	struct silk_path *p;

	lockdep_assert_held(&sn->lock);
	if (b->dflt)
		return rcu_dereference_protected(sn->dflt[silk_dflt_index(b->proto)],
						 lockdep_is_held(&sn->lock));
	port = rhashtable_lookup_fast(&sn->ports, &key, silk_port_params);
	if (!port)
		return NULL;
	list_for_each_entry(p, &port->paths, port_node)
		if (silk_binding_equal(&p->b, b))
			return p;
	return NULL;
}

static unsigned long *silk_dports(struct silk_net *sn)
{
	return rcu_dereference_protected(sn->dports, lockdep_is_held(&sn->lock));
}

struct silk_port *silk_port_get(struct silk_net *sn, u8 proto, __be16 dport)
{
	u32 key = silk_port_key(proto, dport);
	struct silk_port *port;
	unsigned long *dports;
	int err;

	port = rhashtable_lookup_fast(&sn->ports, &key, silk_port_params);
	if (port)
		return port;
	dports = silk_dports(sn);
	if (!dports) {
		dports = bitmap_zalloc(SILK_NPORTS, GFP_KERNEL_ACCOUNT);
		if (!dports)
			return ERR_PTR(-ENOMEM);
		rcu_assign_pointer(sn->dports, dports);
	}
	port = kzalloc(sizeof(*port), GFP_KERNEL_ACCOUNT);
	if (!port)
		return ERR_PTR(-ENOMEM);
	port->key = key;
	INIT_LIST_HEAD(&port->paths);
	err = rhashtable_insert_fast(&sn->ports, &port->node, silk_port_params);
	if (err) {
		kfree(port);
		return ERR_PTR(err);
	}
	set_bit(be16_to_cpu(dport), dports);
	return port;
}

static void silk_port_put(struct silk_net *sn, struct silk_port *port)
{
	u8 other = (port->key >> 16) == IPPROTO_TCP ? IPPROTO_UDP : IPPROTO_TCP;
	__be16 dport = (__force __be16)(u16)port->key;
	u32 key = silk_port_key(other, dport);

	if (!list_empty(&port->paths))
		return;
	rhashtable_remove_fast(&sn->ports, &port->node, silk_port_params);
	kfree_rcu(port, rcu);
	if (!rhashtable_lookup_fast(&sn->ports, &key, silk_port_params))
		clear_bit(be16_to_cpu(dport), silk_dports(sn));
}

int silk_ports_init(struct silk_net *sn)
{
	return rhashtable_init(&sn->ports, &silk_port_params);
}

void silk_ports_destroy(struct silk_net *sn)
{
	rhashtable_destroy(&sn->ports);
	/* The hooks are gone: nobody reads the bitmap any more. */
	bitmap_free(rcu_dereference_protected(sn->dports, true));
}

/* Insert @p among @port's paths, more specific ones first; sn->lock. */
void silk_port_link(struct silk_port *port, struct silk_path *p)
{
	unsigned int rank = silk_binding_rank(&p->b);
	struct list_head *pos = &port->paths;
	struct silk_path *q;

	list_for_each_entry(q, &port->paths, port_node) {
		if (silk_binding_rank(&q->b) < rank) {
			pos = &q->port_node;
			break;
		}
	}
	list_add_tail_rcu(&p->port_node, pos);
}

/* Take @p off its port, and the port off the table if it was the last. */
void silk_port_unlink(struct silk_net *sn, struct silk_path *p)
{
	u32 key = silk_port_key(p->b.proto, p->b.port);
	struct silk_port *port;

	lockdep_assert_held(&sn->lock);
	port = rhashtable_lookup_fast(&sn->ports, &key, silk_port_params);
	list_del_rcu(&p->port_node);
	if (!WARN_ON_ONCE(!port))
		silk_port_put(sn, port);
}

#ifdef SILK_DEBUG
#include "selftest.h"
#include "selftest/port.c"
#endif
