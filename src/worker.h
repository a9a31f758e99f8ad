/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-CPU workers: they take ready paths in priority order and hand their
 * packets back to the stack.
 */
#ifndef _SILK_WORKER_H
#define _SILK_WORKER_H

#include <linux/list.h>
#include <linux/spinlock.h>
#include <uapi/linux/silk.h>

struct silk_net;
struct silk_path;

struct silk_worker {
	spinlock_t lock;		/* protects ready and ready_mask */
	u64 ready_mask;			/* bit p: ready[p] is not empty */
	struct list_head ready[SILK_PRIO_MAX + 1];
	struct task_struct *task;
	struct silk_net *sn;
	int cpu;
};

int silk_worker_start(struct silk_net *sn, int cpu);
void silk_workers_stop(struct silk_net *sn);
void silk_worker_ready(struct silk_worker *w, struct silk_path *p);

#endif /* _SILK_WORKER_H */
