// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU workers. Each namespace with paths has one kernel thread per CPU
 * that some path calls home. A worker picks its next path class by class,
 * EDF before FP before WFQ (see include/uapi/linux/silk.h), runs a bounded
 * burst of that path's packets through the rest of the stack, charges the
 * CPU time to the path, and makes it ready again if it still has packets.
 *
 * A path is owned by at most one worker at a time (its 'scheduled' flag), so
 * its packets are processed in order on one CPU, and its scheduling state is
 * only touched by the worker it is ready on, under that worker's lock. A
 * path whose home CPU was changed moves to its new worker the next time it
 * is picked.
 */
#include <linux/hashtable.h>
#include <linux/hrtimer.h>
#include <linux/kthread.h>
#include <linux/sched.h>
#include <linux/sched/rt.h>
#include <linux/sched/stat.h>
#include <linux/slab.h>
#include <linux/topology.h>
#include <net/ip.h>
#include <uapi/linux/sched/types.h>

#include "compat.h"
#include "conn.h"
#include "flow.h"
#include "hook.h"
#include "lazy.h"
#include "level.h"
#include "mirror.h"
#include "netns.h"
#include "path.h"
#include "queue.h"
#include "reinject.h"
#include "silk.h"
#include "worker.h"

/* The window over which a worker leaves linux_share of its CPU to tasks. */
#define SILK_SHARE_WINDOW_NS	(10 * NSEC_PER_MSEC)
/*
 * Above every task, a worker leaves the CPU in rests, by wall time: each
 * moment awake owes tasks share / (100 - share) of it, paid by sleeping,
 * once at least SILK_RT_REST_NS is owed (at most SILK_RT_REST_MAX_NS at a
 * time). Wall time, as it counts the softirqs that run in the worker's
 * time and its work between bursts, which tasks lose too. The share is
 * linux_share while a task waits, and never less than SILK_RT_LEAVE_PCT:
 * the kernel's RT throttling (sched_rt_runtime_us, by default 95% of each
 * second) would otherwise stop it, with every realtime task of its CPU,
 * for the last 50 ms of each second a flood kept it busy, which no EDF
 * deadline below that survives.
 */
#define SILK_RT_LEAVE_PCT	10
#define SILK_RT_REST_NS		(1 * NSEC_PER_MSEC)
#define SILK_RT_REST_MAX_NS	(10 * NSEC_PER_MSEC)
/*
 * Direct processing's window, in jiffies (no clock read per packet): about
 * SILK_SHARE_WINDOW_NS.
 */
#define SILK_DIRECT_WINDOW_JIFFIES	DIV_ROUND_UP(HZ, 100)
#define SILK_DIRECT_WINDOW_NS	(SILK_DIRECT_WINDOW_JIFFIES * TICK_NSEC)

/* The number of the current direct processing window. */
static unsigned long silk_direct_window(void)
{
	return READ_ONCE(jiffies) / SILK_DIRECT_WINDOW_JIFFIES;
}

/*
 * How often a lazy path whose socket is full looks again. Polling rather
 * than hooking the socket's wakeups keeps silk out of every socket's
 * callbacks; it costs one lookup per parked path and millisecond.
 */
#define SILK_LAZY_RETRY_NS	NSEC_PER_MSEC

static bool silk_edf_less(struct rb_node *a, const struct rb_node *b)
{
	return rb_entry(a, struct silk_path, ready_rb)->abs_deadline <
	       rb_entry(b, struct silk_path, ready_rb)->abs_deadline;
}

static bool silk_wfq_less(struct rb_node *a, const struct rb_node *b)
{
	return rb_entry(a, struct silk_path, ready_rb)->vstart <
	       rb_entry(b, struct silk_path, ready_rb)->vstart;
}

/*
 * A new budget period: debt from an overrun is carried into it, unused
 * budget is not. The activation starts over with a new deadline.
 */
static void silk_edf_replenish(struct silk_path *p, u64 now)
{
	s64 runtime = READ_ONCE(p->runtime_ns);
	u64 period = READ_ONCE(p->period_ns);

	p->budget_ns = min(p->budget_ns + runtime, runtime);
	p->repl_at += period;
	if (p->repl_at <= now)
		p->repl_at = now + period;
	p->abs_deadline = now + READ_ONCE(p->deadline_ns);
}

static const struct sched_attr silk_worker_attr = {
	.size = sizeof(struct sched_attr),
	.sched_policy = SCHED_BATCH,
	.sched_nice = 0,
};

/*
 * Levels: a worker runs at the Linux level (include/uapi/linux/silk.h) of
 * the highest path it runs or has ready, so that a path's class places its
 * processing relative to tasks as SILK's did: FP and EDF above every
 * ordinary task, WFQ among them. Going up is immediate. Going down is
 * too when the worker is about to run a lower path (else that path would
 * run above what its class allows: a WFQ path's packets above the tasks
 * it shares the CPU with), at most SILK_LEVEL_WIN_MAX changes a window;
 * an idle worker keeps its level until no path has used it for
 * SILK_LEVEL_HOLD_NS, so that a flow of requests keeps its worker where
 * it is. So sched_setattr() is called only when the highest ready class
 * changes, at most 2000 times a second. Namespaces of other user
 * namespaces get no realtime level (any local user owns one): their
 * workers follow only mirrored paths, which only the host's administrator
 * can make.
 */
#define SILK_LEVEL_HOLD_NS	(100 * NSEC_PER_MSEC)
#define SILK_LEVEL_WIN_NS	(10 * NSEC_PER_MSEC)
#define SILK_LEVEL_WIN_MAX	20

static bool silk_path_levels(const struct silk_worker *w,
			     const struct silk_path *p)
{
	return READ_ONCE(p->mirror) || (w->levels && READ_ONCE(silk_levels));
}

/* The rank of the Linux level that mirrors @p, its attributes in @a. */
static u32 silk_path_rank(const struct silk_path *p, struct sched_attr *a)
{
	silk_path_attr(p, false, a);
	return silk_attr_rank(a);
}

/* Raise @want, of @rank, to @p's level if that is higher. */
static void silk_want_raise(const struct silk_path *p, struct sched_attr *want,
			    u32 *rank)
{
	struct sched_attr a;
	u32 r = silk_path_rank(p, &a);

	if (r > *rank) {
		*want = a;
		*rank = r;
	}
}

/* Raise w->want to @p's level if that is higher; under w->lock. */
static void silk_want_path(struct silk_worker *w, const struct silk_path *p)
{
	u32 rank = w->want_rank;

	silk_want_raise(p, &w->want, &rank);
	/* Read unlocked by direct processing. */
	WRITE_ONCE(w->want_rank, rank);
}

/* The first path in @w's ready order that counts for its level, or NULL. */
static struct silk_path *silk_want_top(struct silk_worker *w)
{
	struct silk_path *q;
	struct rb_node *node;
	int prio;

	for (node = rb_first_cached(&w->edf); node; node = rb_next(node)) {
		q = rb_entry(node, struct silk_path, ready_rb);
		if (q->ready_level)
			return q;
	}
	for (prio = SILK_PRIO_MAX; prio >= 0; prio--) {
		if (!(w->ready_mask & BIT_ULL(prio)))
			continue;
		list_for_each_entry(q, &w->ready[prio], ready_node)
			if (q->ready_level)
				return q;
	}
	for (node = rb_first_cached(&w->wfq); node; node = rb_next(node)) {
		q = rb_entry(node, struct silk_path, ready_rb);
		if (q->ready_level)
			return q;
	}
	return NULL;
}

/*
 * Recompute w->want for picked path @p (NULL: none); under w->lock. The
 * first counted path in silk's order of classes is the top one; of WFQ
 * paths, the one next in line. w->want_rank is written once, so that
 * direct processing never reads a rank lower than both old and new.
 */
static void silk_want_locked(struct silk_worker *w, struct silk_path *p)
{
	struct sched_attr want = silk_worker_attr;
	u32 rank = silk_attr_rank(&want);
	struct silk_path *q;

	lockdep_assert_held(&w->lock);
	if (p && silk_path_levels(w, p))
		silk_want_raise(p, &want, &rank);
	q = w->nlevel_ready ? silk_want_top(w) : NULL;
	if (q)
		silk_want_raise(q, &want, &rank);
	w->want = want;
	WRITE_ONCE(w->want_rank, rank);
}

/*
 * Have the worker run at w->want, if it does not; under w->lock. @busy: it
 * is about to run a path. Returns when a lower level is due (0: none is
 * pending).
 */
static u64 silk_worker_kick(struct silk_worker *w, u64 now, bool busy)
{
	u32 level = READ_ONCE(w->level_rank);

	lockdep_assert_held(&w->lock);
	if (w->stopping || w->want_rank == level)
		return 0;
	if (now - w->kick_win >= SILK_LEVEL_WIN_NS) {
		w->kick_win = now;
		w->kicks = 0;
	}
	if (w->want_rank < level) {
		if (!busy && now - w->level_at < SILK_LEVEL_HOLD_NS)
			return w->level_at + SILK_LEVEL_HOLD_NS;
		if (busy && w->kicks >= SILK_LEVEL_WIN_MAX)
			return w->kick_win + SILK_LEVEL_WIN_NS;
	}
	w->kicks++;
	w->level_at = now;
	silk_level_queue(&w->boost);
	return 0;
}

/*
 * On the mirror kthread_worker, at a priority above the worker's: a worker
 * waiting behind a task it must not wait behind is raised at once.
 */
static void silk_worker_boost(struct kthread_work *work)
{
	struct silk_worker *w = container_of(work, struct silk_worker, boost);
	struct sched_attr a;
	u32 rank;

	spin_lock_bh(&w->lock);
	a = w->want;
	rank = w->want_rank;
	spin_unlock_bh(&w->lock);
	if (rank == w->level_rank)
		return;
	if (!silk_attr_apply(w->task, &a)) {
		WRITE_ONCE(w->level_rank, rank);
		atomic64_inc(&w->sn->level_changes);
	}
}

/*
 * Make @p ready on @w. @fresh: the path has just become ready (it was idle,
 * or arrives from another worker) rather than being put back after a burst.
 */
static void silk_ready_locked(struct silk_worker *w, struct silk_path *p,
			      bool fresh, u64 now)
{
	u8 class = READ_ONCE(p->class);
	unsigned int prio;

	lockdep_assert_held(&w->lock);
	/* A deleted path only drains, with no budget to wait for. */
	if (READ_ONCE(p->dead))
		class = SILK_CLASS_FP;
	p->ready_class = class;
	switch (class) {
	case SILK_CLASS_EDF:
		if (fresh) {
			if (now >= p->repl_at)
				silk_edf_replenish(p, now);
			p->abs_deadline = now + READ_ONCE(p->deadline_ns);
		}
		if (p->budget_ns <= 0) {
			list_add_tail(&p->ready_node, &w->throttled);
			w->nthrottled++;
			/* A worker about to sleep must see the new timer. */
			WRITE_ONCE(w->timers_gen, w->timers_gen + 1);
			return;
		}
		rb_add_cached(&p->ready_rb, &w->edf, silk_edf_less);
		break;
	case SILK_CLASS_WFQ:
		p->vstart = fresh ? max(w->vtime, p->vfinish) : p->vfinish;
		rb_add_cached(&p->ready_rb, &w->wfq, silk_wfq_less);
		break;
	default:
		prio = READ_ONCE(p->prio);
		list_add_tail(&p->ready_node, &w->ready[prio]);
		w->ready_mask |= BIT_ULL(prio);
		break;
	}
	w->nready++;
	if (silk_path_levels(w, p)) {
		p->ready_level = true;
		w->nlevel_ready++;
		silk_want_path(w, p);
		silk_worker_kick(w, now, false);
	}
}

/* @p has just become ready: called by the hook, or on a change of CPU. */
void silk_worker_ready(struct silk_worker *w, struct silk_path *p)
{
	u64 now = ktime_get_ns();
	bool wake;

	spin_lock_bh(&w->lock);
	/* Also when @p is throttled: the worker must learn its timer. */
	wake = !w->nready;
	silk_ready_locked(w, p, true, now);
	spin_unlock_bh(&w->lock);
	if (wake)
		wake_up_process(w->task);
}

/**
 * silk_workers_path_dead - a path was deleted
 * @sn: its namespace
 * @p: the path, marked dead
 *
 * A worker that holds it throttled (EDF) or parked (lazy) runs its timers
 * now, so that it drains at once rather than when its budget or retry was
 * due (an EDF period can be seconds). Workers exist while @p does. From
 * silk_path_kill() only; for a connection path under sn->conn.lock.
 */
void silk_workers_path_dead(struct silk_net *sn, struct silk_path *p)
{
	struct silk_worker *w;
	bool held;
	int cpu;

	if (READ_ONCE(p->class) != SILK_CLASS_EDF && !READ_ONCE(p->lazy))
		return;
	for_each_possible_cpu(cpu) {
		w = READ_ONCE(sn->workers[cpu]);
		if (!w)
			continue;
		spin_lock_bh(&w->lock);
		held = w->nthrottled || w->nparked;
		if (held)
			WRITE_ONCE(w->timers_gen, w->timers_gen + 1);
		spin_unlock_bh(&w->lock);
		if (held)
			wake_up_process(w->task);
	}
}

/*
 * Throttled EDF paths whose budget is due and parked lazy paths whose retry
 * is due become ready again. Returns the earliest time another one is due
 * (0: none waits).
 */
static u64 silk_worker_timers(struct silk_worker *w, u64 now)
{
	struct silk_path *p, *tmp;
	LIST_HEAD(due);
	u64 wake_at = 0;

	lockdep_assert_held(&w->lock);
	/* A deleted path drains at once, with no budget or socket to wait for. */
	list_for_each_entry_safe(p, tmp, &w->throttled, ready_node) {
		if (p->repl_at > now && !READ_ONCE(p->dead))
			continue;
		list_move_tail(&p->ready_node, &due);
		w->nthrottled--;
		silk_edf_replenish(p, now);
	}
	list_for_each_entry_safe(p, tmp, &w->parked, ready_node) {
		if (p->park_until > now && !READ_ONCE(p->dead))
			continue;
		list_move_tail(&p->ready_node, &due);
		w->nparked--;
	}
	/* A replenished path still in debt goes back to the throttled list. */
	list_for_each_entry_safe(p, tmp, &due, ready_node) {
		list_del(&p->ready_node);
		silk_ready_locked(w, p, false, now);
	}
	list_for_each_entry(p, &w->throttled, ready_node)
		if (!wake_at || p->repl_at < wake_at)
			wake_at = p->repl_at;
	list_for_each_entry(p, &w->parked, ready_node)
		if (!wake_at || p->park_until < wake_at)
			wake_at = p->park_until;
	return wake_at;
}

/*
 * The next path to run, or NULL; then *wake_at is the earliest time a
 * throttled or parked path becomes ready again (0: none waits).
 */
static struct silk_path *silk_worker_pick(struct silk_worker *w, u64 *wake_at)
{
	struct silk_path *p = NULL;
	struct rb_node *node;
	unsigned int prio;
	u64 now, lower;

	spin_lock_bh(&w->lock);
	now = ktime_get_ns();
	*wake_at = silk_worker_timers(w, now);
	w->timers_seen = w->timers_gen;
	node = rb_first_cached(&w->edf);
	if (node) {
		rb_erase_cached(node, &w->edf);
		p = rb_entry(node, struct silk_path, ready_rb);
	} else if (w->ready_mask) {
		prio = __fls(w->ready_mask);
		p = list_first_entry(&w->ready[prio], struct silk_path,
				     ready_node);
		list_del(&p->ready_node);
		if (list_empty(&w->ready[prio]))
			w->ready_mask &= ~BIT_ULL(prio);
	} else {
		node = rb_first_cached(&w->wfq);
		if (node) {
			rb_erase_cached(node, &w->wfq);
			p = rb_entry(node, struct silk_path, ready_rb);
			w->vtime = p->vstart;
		}
	}
	if (p) {
		w->nready--;
		if (p->ready_level) {
			p->ready_level = false;
			w->nlevel_ready--;
		}
	}
	/* Recompute while anything counts or the worker is above its base. */
	if (w->nlevel_ready || (p && silk_path_levels(w, p)) ||
	    w->want_rank != silk_attr_rank(&silk_worker_attr) ||
	    w->want_rank != READ_ONCE(w->level_rank)) {
		silk_want_locked(w, p);
		/* The level is in use: the hold starts again. */
		if (p && w->want_rank >= READ_ONCE(w->level_rank))
			w->level_at = now;
		lower = silk_worker_kick(w, now, !!p);
		/* Idle above its base: wake to go down when it may. */
		if (!p && lower && (!*wake_at || lower < *wake_at))
			*wake_at = lower;
	}
	w->running = !!p;
	spin_unlock_bh(&w->lock);
	return p;
}

/* Charge CPU time to @p as a path of @class; under w->lock. */
static void silk_charge_locked(struct silk_worker *w, struct silk_path *p,
			       u8 class, u64 cost)
{
	u32 weight;

	lockdep_assert_held(&w->lock);
	switch (class) {
	case SILK_CLASS_EDF:
		p->budget_ns -= cost;
		if (p->budget_ns <= 0)
			p->throttled++;
		break;
	case SILK_CLASS_WFQ:
		weight = max_t(u32, READ_ONCE(p->weight), SILK_WEIGHT_MIN);
		p->vfinish = p->vstart + div_u64(cost * SILK_WEIGHT_MAX, weight);
		break;
	}
}

/* Charge a burst's CPU time to the path's class; the worker owns @p. */
static void silk_charge(struct silk_worker *w, struct silk_path *p, u64 cost)
{
	spin_lock_bh(&w->lock);
	silk_charge_locked(w, p, p->ready_class, cost);
	spin_unlock_bh(&w->lock);
}

/*
 * Put @batch, taken from the head of @p's queue, back where it was; the
 * bytes were counted there already. Returns how many packets. The worker
 * owns @p.
 */
static unsigned int silk_requeue(struct silk_net *sn, struct silk_path *p,
				 struct sk_buff_head *batch)
{
	unsigned int n = skb_queue_len(batch), size = 0;
	struct sk_buff *skb;

	skb_queue_walk(batch, skb)
		size += skb->truesize;
	silk_queued_recharge(sn, size);
	spin_lock_bh(&p->q.lock);
	skb_queue_splice_init(batch, &p->q);
	p->qbytes += size;
	spin_unlock_bh(&p->q.lock);
	return n;
}

/* @p's socket is full: look again in a while. The worker owns @p. */
static void silk_park(struct silk_worker *w, struct silk_path *p)
{
	spin_lock_bh(&w->lock);
	p->parked++;
	p->park_until = ktime_get_ns() + SILK_LAZY_RETRY_NS;
	list_add_tail(&p->ready_node, &w->parked);
	w->nparked++;
	spin_unlock_bh(&w->lock);
}

/* What a worker above every task leaves of its CPU now, in percent. */
static unsigned int silk_rt_share(void)
{
	unsigned int share = single_task_running() ? 0 :
			     READ_ONCE(silk_linux_share);

	/* linux_share is at most 90: share / (100 - share) stays finite. */
	return max_t(unsigned int, share, SILK_RT_LEAVE_PCT);
}

/*
 * Above every task: when the time awake reaches what the next rest is due
 * for (silk_worker_rest()), in ktime_get_ns(); U64_MAX among tasks.
 */
static u64 silk_rest_at(const struct silk_worker *w)
{
	unsigned int share;

	if (!rt_task(current))
		return U64_MAX;
	if (w->rt_owed >= SILK_RT_REST_NS)
		return w->awake_from;
	share = silk_rt_share();
	return w->awake_from +
	       div_u64((SILK_RT_REST_NS - w->rt_owed) * (100 - share), share);
}

/**
 * silk_follow_owner - placement owner: move to the reader's CPU
 * @sn: the namespace
 * @c: a connection path, owned by the calling worker
 * @hash: the flow hash of one of its packets (skb_get_hash())
 *
 * RFS records, for each flow hash, the CPU where the socket's reader last
 * called recvmsg() (net.core.rps_sock_flow_entries must be set, as for RFS
 * itself). The path moves there the next time it is picked.
 */
static void silk_follow_owner(struct silk_net *sn, struct silk_path *c,
			      u32 hash)
{
#ifdef CONFIG_RPS
	struct rps_sock_flow_table *t;
	u32 ident;
	int cpu;

	if (!hash || READ_ONCE(sn->conn.placement) != SILK_PLACE_OWNER)
		return;
	rcu_read_lock();
	t = rcu_dereference(silk_rps_sock_flow_table);
	if (t) {
		ident = READ_ONCE(t->ents[hash & t->mask]);
		cpu = ident & silk_rps_cpu_mask;
		if (!((ident ^ hash) & ~silk_rps_cpu_mask) && cpu < nr_cpu_ids &&
		    cpu_online(cpu) && READ_ONCE(sn->workers[cpu]))
			/* After the worker we saw: silk_path_cpu(). */
			smp_store_release(&c->cpu, cpu);
	}
	rcu_read_unlock();
#endif
}

/* Run a burst of @p; returns the CPU time its packets took. */
static u64 silk_worker_run(struct silk_worker *w, struct silk_path *p)
{
	u64 bytes = 0, cpu_ns = 0, soj_sum = 0, soj_max = 0, deadline = 0, now;
	u64 rest_at;
	s64 budget = 0;
	unsigned int n = 0, gone = 0, misses = 0, epoch;
	silk_okfn_t okfn[SILK_NFAM];
	struct sk_buff_head batch;
	unsigned int size = 0;
	struct sk_buff *skb;
	bool more, lazy;
	u32 hash = 0;
	int cpu;

	cpu = silk_path_cpu(p);
	if (unlikely(cpu != w->cpu) && !READ_ONCE(p->dead)) {
		/* Virtual times of different workers do not compare. */
		p->vfinish = 0;
		silk_worker_ready(w->sn->workers[cpu], p);
		return 0;
	}
	if (p->ready_class == SILK_CLASS_EDF) {
		deadline = READ_ONCE(p->deadline_ns);
		budget = p->budget_ns;
	}
	/* A deleted path drains whatever its sockets think. */
	lazy = READ_ONCE(p->lazy) && !READ_ONCE(p->dead);

	__skb_queue_head_init(&batch);
	spin_lock_bh(&p->q.lock);
	if (lazy) {
		n = silk_lazy_take(w->sn->net, &p->q, &batch,
				   READ_ONCE(silk_burst), &size);
		if (!n && !skb_queue_empty(&p->q)) {
			spin_unlock_bh(&p->q.lock);
			silk_park(w, p);
			return 0;
		}
	} else {
		while (n < READ_ONCE(silk_burst) && (skb = skb_peek(&p->q))) {
			__skb_unlink(skb, &p->q);
			size += skb->truesize;
			__skb_queue_tail(&batch, skb);
			n++;
		}
	}
	p->qbytes -= size;
	/* The okfns that were current while these packets were queued. */
	memcpy(okfn, p->okfn, sizeof(okfn));
	epoch = silk_okfn_epoch_read();
	spin_unlock_bh(&p->q.lock);
	if (size)
		silk_queued_uncharge(w->sn, size);

	/*
	 * One clocksource read a burst: each packet starts when the one
	 * before it ended, by its cost.
	 */
	now = ktime_get_ns();
	rest_at = silk_rest_at(w);
	while ((skb = __skb_dequeue(&batch))) {
		u64 enq = *silk_skb_enq_ns(skb), cost = 0, soj;
		int fam = ip_hdr(skb)->version == 6 ? SILK_V6 : SILK_V4;
		unsigned int len = skb->len;
		u64 seq = *silk_skb_seq(skb);

		if (p->parent && !hash)
			hash = skb_get_hash(skb);

		if (silk_reinject(w->sn, skb, okfn[fam], epoch, &cost))
			bytes += len;
		else
			gone++;
		/* Its connection's later packets may now take their own path. */
		smp_store_release(&p->done_seq, seq);
		cpu_ns += cost;
		soj = now > enq ? now - enq : 0;
		soj_sum += soj;
		soj_max = max(soj_max, soj);
		now += cost;
		if (deadline && now > enq + deadline)
			misses++;
		/*
		 * EDF: the burst ends with the budget, so that expensive
		 * packets cannot overrun it by a burst; the rest wait, in
		 * order, for the next period. Above every task it ends when a
		 * rest is due too, so that tasks get their share on time, not
		 * a burst late (a 100 ms window got 0.0875 of linux_share 10).
		 */
		if (((deadline && (s64)cpu_ns >= budget) || now >= rest_at) &&
		    !skb_queue_empty(&batch)) {
			n -= silk_requeue(w->sn, p, &batch);
			break;
		}
	}
	silk_charge(w, p, cpu_ns);
	if (p->parent)
		silk_follow_owner(w->sn, p, hash);

	spin_lock_bh(&p->q.lock);
	p->st.delivered_pkts += n - gone;
	p->st.delivered_bytes += bytes;
	p->st.devgone_pkts += gone;
	p->st.cpu_ns += cpu_ns;
	p->st.sojourn_sum_ns += soj_sum;
	p->st.sojourn_max_ns = max(p->st.sojourn_max_ns, soj_max);
	p->st.deadline_misses += misses;
	more = !skb_queue_empty(&p->q);
	if (!more)
		p->scheduled = false;
	spin_unlock_bh(&p->q.lock);

	if (more) {
		spin_lock_bh(&w->lock);
		silk_ready_locked(w, p, false, ktime_get_ns());
		spin_unlock_bh(&w->lock);
	} else {
		silk_path_put(p);
	}
	return cpu_ns;
}

/*
 * Direct processing: a packet whose path is idle is processed at once
 * where it arrived, as the stack would have, instead of waiting for the
 * worker's wakeup. It keeps its order (the path's queue is empty and the
 * caller owns the path until it is done) and is charged to the path as the
 * worker would charge it. In softirq a packet runs above every task, where
 * only a path at a realtime level (FP or EDF, with levels) belongs; such a
 * path goes ahead of what its worker is busy with, as the worker would
 * take it next: only a path of the same or a higher level makes it queue.
 * That also spares the worker a change of class for one packet, which
 * costs a CFS worker its lead (6.1's CFS measures it from min_vruntime,
 * which the worker itself holds when it is owed time; seen: a nice 0 loop
 * got 0.26-0.30 of the CPU instead of 0.25 beside a weight 3 WFQ path
 * with an FP packet every 20 ms through the worker). Any other path (WFQ,
 * or no levels) is processed directly only while its worker has nothing
 * to do and no other task wants this CPU. Either stops when the path is
 * out of EDF budget or lazy, or direct processing for this worker has used
 * its (100 - linux_share)% of the current window (jiffies-based, so that
 * the check reads no clock); then packets queue and the scheduler decides
 * as always. Checked without the worker's lock: a race lets one more
 * packet through directly.
 */
bool silk_worker_direct_may(struct silk_worker *w, struct silk_path *p)
{
	unsigned int share = READ_ONCE(silk_linux_share);
	u64 allow = (u64)(100 - share) * SILK_DIRECT_WINDOW_NS / 100;
	bool idle = !READ_ONCE(w->nready) && !READ_ONCE(w->running);
	struct sched_attr a;
	u32 rank = 0;

	if (!READ_ONCE(silk_direct) || READ_ONCE(p->lazy))
		return false;
	if (READ_ONCE(w->dwin_busy) >= allow &&
	    READ_ONCE(w->dwin_start) == silk_direct_window())
		return false;
	if (READ_ONCE(p->class) == SILK_CLASS_EDF &&
	    READ_ONCE(p->budget_ns) <= 0 && ktime_get_ns() < READ_ONCE(p->repl_at))
		return false;
	if (silk_path_levels(w, p))
		rank = silk_path_rank(p, &a);
	if (rank >= SILK_RANK_RT)
		return idle || rank > READ_ONCE(w->want_rank);
	return idle && (is_idle_task(current) || single_task_running());
}

/**
 * silk_worker_direct - process a packet of @p at once
 * @w: @p's worker
 * @p: the path, idle with an empty queue, which the caller made scheduled
 *	and holds a reference on
 * @skb: its packet, holding a reference on skb->dev
 * @okfn: where PRE_ROUTING hands it on
 * @seq: its number in @p's queue
 *
 * In the hook's context (BHs off). Packets that came meanwhile are then
 * the worker's.
 */
void silk_worker_direct(struct silk_worker *w, struct silk_path *p,
			struct sk_buff *skb, silk_okfn_t okfn, u64 seq)
{
	u32 hash = p->parent ? skb_get_hash(skb) : 0;
	unsigned int len = skb->len;
	unsigned long win = silk_direct_window();
	u64 cost, now;
	bool ok, more;
	u8 class;

	ok = silk_reinject(w->sn, skb, okfn, silk_okfn_epoch_read(), &cost);
	/* Its connection's later packets may now take their own path. */
	smp_store_release(&p->done_seq, seq);
	if (hash)
		silk_follow_owner(w->sn, p, hash);

	spin_lock_bh(&w->lock);
	if (w->dwin_start != win) {
		w->dwin_start = win;
		w->dwin_busy = 0;
	}
	w->dwin_busy += cost;
	/* As if it had just become ready and been run at once. */
	class = READ_ONCE(p->class);
	if (class == SILK_CLASS_EDF) {
		now = ktime_get_ns();
		if (now >= p->repl_at)
			silk_edf_replenish(p, now);
	} else if (class == SILK_CLASS_WFQ) {
		p->vstart = max(w->vtime, p->vfinish);
	}
	silk_charge_locked(w, p, class, cost);
	spin_unlock_bh(&w->lock);

	spin_lock_bh(&p->q.lock);
	if (ok) {
		p->st.delivered_pkts++;
		p->st.delivered_bytes += len;
	} else {
		p->st.devgone_pkts++;
	}
	p->st.direct_pkts++;
	p->st.cpu_ns += cost;
	more = !skb_queue_empty(&p->q);
	if (!more)
		p->scheduled = false;
	spin_unlock_bh(&p->q.lock);
	/* The caller's reference goes to the ready list, or goes. */
	if (more)
		silk_worker_ready(w->sn->workers[silk_path_cpu(p)], p);
	else
		silk_path_put(p);
}

/*
 * Sleep, the task state set by the caller, until @kt (%NULL: until woken).
 * At a realtime level the time awake before adds to what tasks are owed,
 * and the time asleep pays it.
 */
static void silk_worker_sleep(struct silk_worker *w, ktime_t *kt,
			      enum hrtimer_mode mode)
{
	u64 t = ktime_get_ns(), slept;
	unsigned int share;

	if (rt_task(current)) {
		share = silk_rt_share();
		w->rt_owed += div_u64((t - w->awake_from) * share, 100 - share);
	}
	if (kt)
		schedule_hrtimeout(kt, mode);
	else
		schedule();
	w->awake_from = ktime_get_ns();
	slept = w->awake_from - t;
	w->rt_owed = w->rt_owed > slept ? w->rt_owed - slept : 0;
}

/*
 * Leave linux_share percent of the CPU to tasks, at a CFS level (above
 * every task, rests do it: silk_worker_rest()). The CPU time of the
 * worker's packets (@busy, after each burst; 0 before it) is counted in
 * 10 ms windows: while other tasks wait for this CPU, a worker that has
 * used its (100 - linux_share)% of the window sleeps until the window
 * ends. CPU time, not a burst's wall time: that includes the slices of
 * the tasks that preempted the worker in it, and a worker preempted often
 * (going up for an FP packet and down again every 20 ms) yielded 130
 * times a second and got a third less than its CFS weight. A WFQ burst is
 * not cut short (its packets stay in order), so it can overrun the
 * allowance; the overrun is carried into the next window, up to one
 * allowance, so that the share holds on average. @now is ktime_get_ns():
 * local_clock() is filtered per CPU when the TSC is not stable (seen in
 * VMs), and ran ahead there, so that workers yielded far too often.
 */
static void silk_worker_share(struct silk_worker *w, u64 now, u64 busy)
{
	unsigned int share = READ_ONCE(silk_linux_share);
	u64 allow = (u64)(100 - share) * SILK_SHARE_WINDOW_NS / 100;
	u64 wend;
	ktime_t kt;

	/* Above every task, rests leave the share (silk_worker_rest()). */
	if (!share || single_task_running() || rt_task(current)) {
		/* Nobody to leave time to: no debt either. */
		w->win_start = now;
		w->win_busy = 0;
		return;
	}
	if (now - w->win_start >= SILK_SHARE_WINDOW_NS) {
		w->win_busy = w->win_busy > allow ?
			      min(w->win_busy - allow, allow) : 0;
		w->win_start = now - min(busy, SILK_SHARE_WINDOW_NS);
	}
	w->win_busy += busy;
	wend = w->win_start + SILK_SHARE_WINDOW_NS;
	if (w->win_busy < allow || wend <= now)
		return;
	atomic64_inc(&w->sn->share_yields);
	kt = ns_to_ktime(wend - now);
	set_current_state(TASK_IDLE);
	silk_worker_sleep(w, &kt, HRTIMER_MODE_REL);
}

/*
 * Above every task, pay tasks what they are owed (see SILK_RT_REST_NS).
 * Time at a CFS level owes nothing (the scheduler divides it): a worker
 * that goes up for a moment, for one packet, owes only for that moment.
 */
static void silk_worker_rest(struct silk_worker *w, u64 now)
{
	unsigned int share;
	u64 owed;
	ktime_t kt;

	if (!rt_task(current)) {
		w->awake_from = now;
		return;
	}
	share = silk_rt_share();
	owed = w->rt_owed + div_u64((now - w->awake_from) * share, 100 - share);
	if (owed < SILK_RT_REST_NS)
		return;
	atomic64_inc(&w->sn->share_yields);
	kt = ns_to_ktime(min_t(u64, owed, SILK_RT_REST_MAX_NS));
	set_current_state(TASK_IDLE);
	silk_worker_sleep(w, &kt, HRTIMER_MODE_REL);
}

static int silk_worker_fn(void *arg)
{
	struct silk_worker *w = arg;
	struct silk_path *p;
	u64 busy, wake_at, now;
	ktime_t kt;

	w->awake_from = ktime_get_ns();
	for (;;) {
		/*
		 * Taking its CPU offline moved the worker elsewhere for good
		 * (kthread_bind() is not remembered): move back once the CPU
		 * takes tasks again. Until then it serves its paths from there.
		 */
		if (unlikely(raw_smp_processor_id() != w->cpu) &&
		    cpu_active(w->cpu))
			set_cpus_allowed_ptr(current, cpumask_of(w->cpu));
		p = silk_worker_pick(w, &wake_at);
		if (p) {
			silk_worker_share(w, ktime_get_ns(), 0);
			busy = silk_worker_run(w, p);
			WRITE_ONCE(w->running, false);
			now = ktime_get_ns();
			/* First: it marks time among tasks as owing nothing. */
			silk_worker_rest(w, now);
			silk_worker_share(w, now, busy);
			cond_resched();
			continue;
		}
		set_current_state(TASK_INTERRUPTIBLE);
		/*
		 * A path that became ready, or throttled with a timer that
		 * wake_at does not know, since the pick: pick again. Its
		 * waker saw nready == 0 and woke us, maybe before we slept.
		 */
		if (READ_ONCE(w->nready) ||
		    READ_ONCE(w->timers_gen) != w->timers_seen) {
			__set_current_state(TASK_RUNNING);
			continue;
		}
		/* Stop only with nothing left to deliver. */
		if (kthread_should_stop() && !READ_ONCE(w->nthrottled) &&
		    !READ_ONCE(w->nparked)) {
			__set_current_state(TASK_RUNNING);
			break;
		}
		if (wake_at) {
			kt = ns_to_ktime(wake_at);
			silk_worker_sleep(w, &kt, HRTIMER_MODE_ABS);
		} else {
			silk_worker_sleep(w, NULL, HRTIMER_MODE_REL);
		}
	}
	return 0;
}

/*
 * Workers are kernel threads, which no memory cgroup bounds and which take
 * the machine's PIDs: the namespaces of user namespaces other than the
 * initial one (any user's) have at most max_ns_workers of them together,
 * and those of one user (the user namespaces' owner)
 * max_ns_workers_per_user.
 */
struct silk_user_workers {
	struct hlist_node node;
	kuid_t uid;
	unsigned int n;
};

static DEFINE_HASHTABLE(silk_user_workers, 6);
static DEFINE_MUTEX(silk_user_workers_lock);
static unsigned int silk_guest_workers;

static bool silk_workers_charged(const struct silk_net *sn)
{
	return sn->net->user_ns != &init_user_ns;
}

static struct silk_user_workers *silk_user_workers_find(kuid_t uid)
{
	struct silk_user_workers *u;

	hash_for_each_possible(silk_user_workers, u, node, __kuid_val(uid))
		if (uid_eq(u->uid, uid))
			return u;
	return NULL;
}

static int silk_worker_charge(struct silk_net *sn,
			      struct netlink_ext_ack *extack)
{
	kuid_t uid = sn->net->user_ns->owner;
	struct silk_user_workers *u;
	int err = 0;

	if (!silk_workers_charged(sn))
		return 0;
	mutex_lock(&silk_user_workers_lock);
	u = silk_user_workers_find(uid);
	if ((u ? u->n : 0) >= READ_ONCE(silk_max_ns_workers_per_user)) {
		NL_SET_ERR_MSG(extack,
			       "no worker for this CPU: the namespaces of this user's user namespaces have max_ns_workers_per_user already");
		err = -EDQUOT;
	} else if (silk_guest_workers >= READ_ONCE(silk_max_ns_workers)) {
		NL_SET_ERR_MSG(extack,
			       "no worker for this CPU: the namespaces of user namespaces have max_ns_workers already");
		err = -ENOSPC;
	} else if (!u) {
		u = kzalloc(sizeof(*u), GFP_KERNEL_ACCOUNT);
		if (u) {
			u->uid = uid;
			hash_add(silk_user_workers, &u->node, __kuid_val(uid));
		} else {
			err = -ENOMEM;
		}
	}
	if (!err) {
		u->n++;
		silk_guest_workers++;
	}
	mutex_unlock(&silk_user_workers_lock);
	return err;
}

static void silk_worker_uncharge(struct silk_net *sn)
{
	struct silk_user_workers *u;

	if (!silk_workers_charged(sn))
		return;
	mutex_lock(&silk_user_workers_lock);
	u = silk_user_workers_find(sn->net->user_ns->owner);
	if (!WARN_ON_ONCE(!u) && !--u->n) {
		hash_del(&u->node);
		kfree(u);
	}
	silk_guest_workers--;
	mutex_unlock(&silk_user_workers_lock);
}

/* Make sure @cpu has a worker in @sn; called under sn->lock. */
int silk_worker_start(struct silk_net *sn, int cpu,
		      struct netlink_ext_ack *extack)
{
	struct task_struct *task;
	struct silk_worker *w;
	int i, err;

	lockdep_assert_held(&sn->lock);
	if (sn->workers[cpu])
		return 0;
	err = silk_worker_charge(sn, extack);
	if (err)
		return err;
	w = kzalloc_node(sizeof(*w), GFP_KERNEL_ACCOUNT, cpu_to_node(cpu));
	if (!w)
		goto nomem;
	spin_lock_init(&w->lock);
	kthread_init_work(&w->boost, silk_worker_boost);
	w->want = silk_worker_attr;
	w->want_rank = silk_attr_rank(&silk_worker_attr);
	w->level_rank = w->want_rank;
	for (i = 0; i <= SILK_PRIO_MAX; i++)
		INIT_LIST_HEAD(&w->ready[i]);
	w->edf = RB_ROOT_CACHED;
	w->wfq = RB_ROOT_CACHED;
	INIT_LIST_HEAD(&w->throttled);
	INIT_LIST_HEAD(&w->parked);
	w->sn = sn;
	w->cpu = cpu;
	w->levels = !silk_workers_charged(sn);
	if (net_eq(sn->net, &init_net))
		task = kthread_create_on_node(silk_worker_fn, w, cpu_to_node(cpu),
					      "silk/%d", cpu);
	else
		task = kthread_create_on_node(silk_worker_fn, w, cpu_to_node(cpu),
					      "silk/%d:%u", cpu, sn->net->ns.inum);
	if (IS_ERR(task)) {
		kfree(w);
		err = PTR_ERR(task);
		goto fail;
	}
	kthread_bind(task, cpu);
	/*
	 * SCHED_BATCH: a wakeup does not preempt the running task, so a
	 * worker sharing its CPU with a busy sender runs at the next
	 * scheduling point and then drains a batch, instead of switching in
	 * for every packet (3.3 context switches per packet measured with
	 * SCHED_NORMAL, 0.02 with SCHED_BATCH, 2.5 times the packet rate).
	 * An idle CPU still runs it at once.
	 */
	sched_setattr_nocheck(task, &silk_worker_attr);
	w->task = task;
	/* Readers that find it use it at once (silk_path_cpu()). */
	smp_store_release(&sn->workers[cpu], w);
	wake_up_process(task);
	return 0;

nomem:
	err = -ENOMEM;
fail:
	NL_SET_ERR_MSG(extack, "cannot start the worker for this CPU");
	silk_worker_uncharge(sn);
	return err;
}

/* Every path is dead by now: each worker delivers what it has, then exits. */
void silk_workers_stop(struct silk_net *sn)
{
	struct silk_worker *w;
	int cpu;

	lockdep_assert_held(&sn->lock);
	for_each_possible_cpu(cpu) {
		w = sn->workers[cpu];
		if (!w)
			continue;
		spin_lock_bh(&w->lock);
		w->stopping = true;
		spin_unlock_bh(&w->lock);
		silk_level_cancel(&w->boost);
		kthread_stop(w->task);
		WARN_ON_ONCE(w->nready || w->nthrottled || w->nparked);
		sn->workers[cpu] = NULL;
		kfree(w);
		silk_worker_uncharge(sn);
	}
}

/*
 * @p takes no more packets and delivers what it holds at once: a worker
 * that holds it throttled or parked is told (silk_workers_path_dead()).
 */
void silk_path_kill(struct silk_path *p)
{
	spin_lock_bh(&p->q.lock);
	p->dead = true;
	spin_unlock_bh(&p->q.lock);
	silk_workers_path_dead(p->sn, p);
}

#ifdef SILK_DEBUG
#include "selftest.h"
#include "selftest/worker.c"
#endif
