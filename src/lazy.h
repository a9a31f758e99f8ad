/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Lazy receiver processing: whether a packet's socket can take it now.
 */
#ifndef _SILK_LAZY_H
#define _SILK_LAZY_H

#include <linux/skbuff.h>

unsigned int silk_lazy_take(struct net *net, struct sk_buff_head *q,
			    struct sk_buff_head *batch, unsigned int burst,
			    unsigned int *size);

#endif /* _SILK_LAZY_H */
