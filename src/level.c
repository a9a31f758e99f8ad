// SPDX-License-Identifier: GPL-2.0
/*
 * Levels: the Linux scheduling attributes that mirror a path's class (see
 * include/uapi/linux/silk.h for the mapping), how they rank, and the one
 * thread that sets them.
 *
 * Probes and the packet hook run in atomic context, and sched_setattr()
 * sleeps, so every change of attributes, of tasks and of workers alike, is
 * made by one kthread_worker at a realtime priority above every priority
 * silk maps to: they only queue work for it.
 */
#include <linux/kthread.h>
#include <linux/sched.h>
#include <linux/sched/prio.h>
#include <linux/sched/rt.h>
#include <uapi/linux/sched/types.h>

#include "level.h"
#include "path.h"

unsigned int silk_level_rt_base = 1;
unsigned int silk_level_rt_ceiling = 49;
/* EDF tasks that admission control refused SCHED_DEADLINE. */
atomic64_t silk_level_dl_fallbacks = ATOMIC64_INIT(0);
/* The one thread that changes tasks' and workers' attributes. */
static struct kthread_worker *silk_level_kw;

u32 silk_attr_rank(const struct sched_attr *a)
{
	switch (a->sched_policy) {
	case SCHED_DEADLINE:
		return SILK_RANK_DL;
	case SCHED_FIFO:
	case SCHED_RR:
		return SILK_RANK_RT | a->sched_priority;
	case SCHED_IDLE:
		return 0;
	default:	/* nice -20..19 as 40..1 */
		return SILK_RANK_CFS | (20 - a->sched_nice);
	}
}

/*
 * The nice value whose CFS load weight is @w times nice 0's: each nice
 * step is a factor of 1.25, so -round(log1.25(w)), rounding at the
 * geometric midpoint 1.25^(n + 1/2) = 1.118 * 1.25^n.
 */
static int silk_weight_nice(u32 w)
{
	u64 v = 1ULL << 20, x = (u64)w << 20;
	int n = 0;

	while (n < 20 && x * 1000 > v * 1118) {
		v = v * 5 / 4;
		n++;
	}
	return -n;
}

static u32 silk_rt_prio(unsigned int prio)
{
	u32 ceil = clamp_val(READ_ONCE(silk_level_rt_ceiling), 1,
			     MAX_RT_PRIO - 2);

	return clamp_val(READ_ONCE(silk_level_rt_base) + prio, 1, ceil);
}

/**
 * silk_path_attr - the Linux attributes that mirror path @p
 * @p: the path
 * @task: for a task; else for a worker, which is bound to one CPU and so
 *	  cannot be SCHED_DEADLINE
 * @a: filled in
 */
void silk_path_attr(const struct silk_path *p, bool task, struct sched_attr *a)
{
	memset(a, 0, sizeof(*a));
	a->size = sizeof(*a);
	switch (READ_ONCE(p->class)) {
	case SILK_CLASS_EDF:
		if (task) {
			a->sched_policy = SCHED_DEADLINE;
			a->sched_runtime = READ_ONCE(p->runtime_ns);
			a->sched_deadline = READ_ONCE(p->deadline_ns);
			a->sched_period = READ_ONCE(p->period_ns);
		} else {
			a->sched_policy = SCHED_FIFO;
			a->sched_priority = silk_rt_prio(SILK_PRIO_MAX + 1);
		}
		break;
	case SILK_CLASS_WFQ:
		a->sched_policy = SCHED_NORMAL;
		a->sched_nice = silk_weight_nice(READ_ONCE(p->weight));
		break;
	default:
		a->sched_policy = SCHED_FIFO;
		a->sched_priority = silk_rt_prio(READ_ONCE(p->prio));
		break;
	}
	/* A child must not inherit what its parent's sockets earned. */
	if (task)
		a->sched_flags = SCHED_FLAG_RESET_ON_FORK;
}

/* Set @a on @t; SCHED_DEADLINE that admission control refuses: FIFO. */
int silk_attr_apply(struct task_struct *t, const struct sched_attr *a)
{
	struct sched_attr fb;
	int err;

	err = sched_setattr_nocheck(t, a);
	if (!err || a->sched_policy != SCHED_DEADLINE)
		return err;
	atomic64_inc(&silk_level_dl_fallbacks);
	fb = *a;
	fb.sched_policy = SCHED_FIFO;
	fb.sched_priority = silk_rt_prio(SILK_PRIO_MAX + 1);
	fb.sched_runtime = 0;
	fb.sched_deadline = 0;
	fb.sched_period = 0;
	return sched_setattr_nocheck(t, &fb);
}

/* Run @work on the level thread; true if it was not queued already. */
bool silk_level_queue(struct kthread_work *work)
{
	return kthread_queue_work(silk_level_kw, work);
}

void silk_level_queue_delayed(struct kthread_delayed_work *dwork,
			      unsigned long delay)
{
	kthread_queue_delayed_work(silk_level_kw, dwork, delay);
}

void silk_level_cancel(struct kthread_work *work)
{
	kthread_cancel_work_sync(work);
}

/* Wait until everything queued so far has run. */
void silk_level_flush(void)
{
	kthread_flush_worker(silk_level_kw);
}

int silk_level_init(void)
{
	struct sched_attr a = {
		.size = sizeof(a),
		.sched_policy = SCHED_FIFO,
		.sched_priority = MAX_RT_PRIO - 1,
	};

	silk_level_kw = kthread_create_worker(0, "silk_mirror");
	if (IS_ERR(silk_level_kw))
		return PTR_ERR(silk_level_kw);
	/* Above every priority silk maps to, so it is never the inversion. */
	sched_setattr_nocheck(silk_level_kw->task, &a);
	return 0;
}

void silk_level_exit(void)
{
	kthread_destroy_worker(silk_level_kw);
}

#ifdef SILK_DEBUG
#include "selftest.h"
#include "selftest/level.c"
#endif
