/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The netfilter hook that demultiplexes early, and the re-injection that
 * continues the hook chain after it.
 */
#ifndef _SILK_HOOK_H
#define _SILK_HOOK_H

#include "path.h"

struct silk_net;

int silk_hooks_register(struct silk_net *sn);
void silk_hooks_unregister(struct silk_net *sn);
bool silk_parse(const struct sk_buff *skb, struct silk_flow *f);
void silk_queued_uncharge(struct silk_net *sn, unsigned int size);
void silk_queued_recharge(struct silk_net *sn, unsigned int size);
unsigned long silk_queued_ns_cap(const struct silk_net *sn);
unsigned int silk_okfn_epoch_read(void);
void silk_reinject_fence(void);
bool silk_reinject(struct silk_net *sn, struct sk_buff *skb, silk_okfn_t okfn,
		   unsigned int epoch, u64 *cost_ns);

#endif /* _SILK_HOOK_H */
