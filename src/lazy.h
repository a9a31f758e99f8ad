/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Lazy receiver processing: whether a packet's socket can take it now.
 */
#ifndef _SILK_LAZY_H
#define _SILK_LAZY_H

#include <linux/skbuff.h>

unsigned int silk_lazy_room(struct net *net, const struct sk_buff *skb);

#endif /* _SILK_LAZY_H */
