/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The netfilter hook that demultiplexes early.
 */
#ifndef _SILK_HOOK_H
#define _SILK_HOOK_H

#include "path.h"

struct silk_net;

int silk_hooks_register(struct silk_net *sn);
void silk_hooks_unregister(struct silk_net *sn);

#endif /* _SILK_HOOK_H */
