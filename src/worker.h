/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-CPU workers: they serve ready paths class by class and hand their
 * packets back to the stack.
 */
#ifndef _SILK_WORKER_H
#define _SILK_WORKER_H

#include <linux/kthread.h>
#include <linux/list.h>
#include <linux/rbtree.h>
#include <linux/spinlock.h>
#include <uapi/linux/sched/types.h>
#include <uapi/linux/silk.h>

#include "path.h"

struct silk_net;
struct silk_path;
struct netlink_ext_ack;

struct silk_worker {
	spinlock_t lock;		/* protects everything up to task */
	unsigned int nready;		/* paths ready to run (not throttled) */
	unsigned int nthrottled;
	unsigned int nparked;
	struct rb_root_cached edf;	/* ready EDF paths by abs_deadline */
	u64 ready_mask;			/* bit p: ready[p] is not empty */
	struct list_head ready[SILK_PRIO_MAX + 1];	/* FP */
	struct rb_root_cached wfq;	/* ready WFQ paths by vstart */
	u64 vtime;			/* WFQ virtual time */
	struct list_head throttled;	/* EDF paths out of budget */
	struct list_head parked;	/* lazy paths whose socket is full */
	bool running;			/* in a burst */
	bool levels;			/* runs at its paths' levels */
	u64 level_at;			/* when its level was last changed or used */
	u64 kick_win;			/* start of the level change window */
	unsigned int kicks;		/* level changes in it */
	/* Direct processing's time in the current share window. */
	unsigned long dwin_start;	/* window number (jiffies) */
	u64 dwin_busy;
	unsigned int timers_gen;	/* bumped when a path is throttled */
	unsigned int timers_seen;	/* timers_gen at the last pick */
	/*
	 * The attributes the worker should run at: the highest of its base
	 * and the paths it runs or has ready (levels), or only the mirrored
	 * ones (no levels: a namespace of another user namespace).
	 */
	unsigned int nlevel_ready;
	u32 want_rank;
	struct sched_attr want;
	bool stopping;

	struct task_struct *task;
	struct silk_net *sn;
	int cpu;
	/*
	 * What the worker runs at: set only by the boost work, on the mirror
	 * kthread_worker, which serialises every change.
	 */
	u32 level_rank;
	struct kthread_work boost;	/* make the worker run at want */
	/* Linux share accounting, worker thread only. */
	u64 win_start;
	u64 win_busy;
	/* Rest accounting at a realtime level, worker thread only. */
	u64 awake_from;	/* when it last woke */
	u64 rt_owed;	/* ns of rest owed to tasks before then */
};

int silk_worker_start(struct silk_net *sn, int cpu,
		      struct netlink_ext_ack *extack);
void silk_workers_stop(struct silk_net *sn);
void silk_worker_ready(struct silk_worker *w, struct silk_path *p);
void silk_workers_path_dead(struct silk_net *sn, struct silk_path *p);
void silk_path_kill(struct silk_path *p);
bool silk_worker_direct_may(struct silk_worker *w, struct silk_path *p);
void silk_worker_direct(struct silk_worker *w, struct silk_path *p,
			struct sk_buff *skb, silk_okfn_t okfn, u64 seq);

#endif /* _SILK_WORKER_H */
