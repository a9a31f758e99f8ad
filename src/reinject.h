/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Re-injection: a queued packet continues where silk's hook stole it.
 */
#ifndef _SILK_REINJECT_H
#define _SILK_REINJECT_H

#include "path.h"

struct silk_net;

unsigned int silk_okfn_epoch_read(void);
void silk_reinject_fence(void);
bool silk_reinject(struct silk_net *sn, struct sk_buff *skb, silk_okfn_t okfn,
		   unsigned int epoch, u64 *cost_ns);

#endif /* _SILK_REINJECT_H */
