// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU workers. Each namespace with paths has one kernel thread per CPU
 * that some path calls home. A worker takes its ready paths in strict
 * priority order, round robin among equal priorities, runs a bounded burst
 * of one path's packets through the rest of the stack, charges the CPU time
 * to that path, and puts it back at the tail of its priority if it still has
 * packets.
 *
 * A path is owned by at most one worker at a time (its 'scheduled' flag), so
 * its packets are processed in order on one CPU. A path whose home CPU was
 * changed moves to its new worker the next time it is picked.
 */
#include <linux/kthread.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/topology.h>
#include <net/ip.h>

#include "hook.h"
#include "netns.h"
#include "path.h"
#include "silk.h"
#include "worker.h"

void silk_worker_ready(struct silk_worker *w, struct silk_path *p)
{
	unsigned int prio = READ_ONCE(p->prio);
	bool wake;

	spin_lock_bh(&w->lock);
	wake = !w->ready_mask;
	list_add_tail(&p->ready_node, &w->ready[prio]);
	w->ready_mask |= BIT_ULL(prio);
	spin_unlock_bh(&w->lock);
	if (wake)
		wake_up_process(w->task);
}

static struct silk_path *silk_worker_pick(struct silk_worker *w)
{
	struct silk_path *p;
	unsigned int prio;

	spin_lock_bh(&w->lock);
	if (!w->ready_mask) {
		spin_unlock_bh(&w->lock);
		return NULL;
	}
	prio = __fls(w->ready_mask);
	p = list_first_entry(&w->ready[prio], struct silk_path, ready_node);
	list_del_init(&p->ready_node);
	if (list_empty(&w->ready[prio]))
		w->ready_mask &= ~BIT_ULL(prio);
	spin_unlock_bh(&w->lock);
	return p;
}

static void silk_worker_run(struct silk_worker *w, struct silk_path *p)
{
	silk_okfn_t okfn[SILK_NFAM];
	unsigned int n = 0, gone = 0;
	struct sk_buff_head batch;
	u64 bytes = 0, cpu_ns = 0;
	unsigned int size = 0;
	struct sk_buff *skb;
	bool more;
	int cpu;

	cpu = READ_ONCE(p->cpu);
	if (unlikely(cpu != w->cpu) && !READ_ONCE(p->dead)) {
		silk_worker_ready(w->sn->workers[cpu], p);
		return;
	}

	__skb_queue_head_init(&batch);
	spin_lock_bh(&p->q.lock);
	while (n < READ_ONCE(silk_burst) && (skb = __skb_dequeue(&p->q))) {
		size += skb->truesize;
		__skb_queue_tail(&batch, skb);
		n++;
	}
	p->qbytes -= size;
	/* The okfns that were current while these packets were queued. */
	memcpy(okfn, p->okfn, sizeof(okfn));
	spin_unlock_bh(&p->q.lock);
	if (size)
		atomic_long_sub(size, &silk_queued_bytes);

	while ((skb = __skb_dequeue(&batch))) {
		unsigned int len = skb->len;
		int fam = ip_hdr(skb)->version == 6 ? SILK_V6 : SILK_V4;

		if (silk_reinject(w->sn, skb, okfn[fam], &cpu_ns))
			bytes += len;
		else
			gone++;
	}

	spin_lock_bh(&p->q.lock);
	p->st.delivered_pkts += n - gone;
	p->st.delivered_bytes += bytes;
	p->st.devgone_pkts += gone;
	p->st.cpu_ns += cpu_ns;
	more = !skb_queue_empty(&p->q);
	if (!more)
		p->scheduled = false;
	spin_unlock_bh(&p->q.lock);

	if (more)
		silk_worker_ready(w, p);
	else
		silk_path_put(p);
}

static int silk_worker_fn(void *arg)
{
	struct silk_worker *w = arg;
	struct silk_path *p;

	for (;;) {
		p = silk_worker_pick(w);
		if (p) {
			silk_worker_run(w, p);
			cond_resched();
			continue;
		}
		set_current_state(TASK_INTERRUPTIBLE);
		if (READ_ONCE(w->ready_mask)) {
			__set_current_state(TASK_RUNNING);
			continue;
		}
		/* Stop only with nothing left to deliver. */
		if (kthread_should_stop()) {
			__set_current_state(TASK_RUNNING);
			break;
		}
		schedule();
	}
	return 0;
}

/* Make sure @cpu has a worker in @sn; called under sn->lock. */
int silk_worker_start(struct silk_net *sn, int cpu)
{
	struct task_struct *task;
	struct silk_worker *w;
	int i;

	lockdep_assert_held(&sn->lock);
	if (sn->workers[cpu])
		return 0;
	w = kzalloc_node(sizeof(*w), GFP_KERNEL, cpu_to_node(cpu));
	if (!w)
		return -ENOMEM;
	spin_lock_init(&w->lock);
	for (i = 0; i <= SILK_PRIO_MAX; i++)
		INIT_LIST_HEAD(&w->ready[i]);
	w->sn = sn;
	w->cpu = cpu;
	if (net_eq(sn->net, &init_net))
		task = kthread_create_on_node(silk_worker_fn, w, cpu_to_node(cpu),
					      "silk/%d", cpu);
	else
		task = kthread_create_on_node(silk_worker_fn, w, cpu_to_node(cpu),
					      "silk/%d:%u", cpu, sn->net->ns.inum);
	if (IS_ERR(task)) {
		kfree(w);
		return PTR_ERR(task);
	}
	kthread_bind(task, cpu);
	w->task = task;
	sn->workers[cpu] = w;
	wake_up_process(task);
	return 0;
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
		kthread_stop(w->task);
		WARN_ON_ONCE(w->ready_mask);
		sn->workers[cpu] = NULL;
		kfree(w);
	}
}
