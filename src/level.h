/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Levels: the Linux scheduling attributes that mirror a path's class.
 */
#ifndef _SILK_LEVEL_H
#define _SILK_LEVEL_H

#include <linux/atomic.h>
#include <linux/types.h>

struct kthread_delayed_work;
struct kthread_work;
struct sched_attr;
struct silk_path;
struct task_struct;

extern unsigned int silk_level_rt_base;
extern unsigned int silk_level_rt_ceiling;
extern atomic64_t silk_level_dl_fallbacks;

/* Ranks order attributes: deadline, then realtime by priority, then CFS. */
#define SILK_RANK_BAND	0x10000U
#define SILK_RANK_DL	(3 * SILK_RANK_BAND)
#define SILK_RANK_RT	(2 * SILK_RANK_BAND)
#define SILK_RANK_CFS	SILK_RANK_BAND

u32 silk_attr_rank(const struct sched_attr *a);
void silk_path_attr(const struct silk_path *p, bool task, struct sched_attr *a);
int silk_attr_apply(struct task_struct *t, const struct sched_attr *a);
bool silk_level_queue(struct kthread_work *work);
void silk_level_queue_delayed(struct kthread_delayed_work *dwork,
			      unsigned long delay);
void silk_level_cancel(struct kthread_work *work);
void silk_level_flush(void);
int silk_level_init(void);
void silk_level_exit(void);

#endif /* _SILK_LEVEL_H */
