// SPDX-License-Identifier: GPL-2.0
/*
 * Extended paths: a task that uses a mirrored path runs, while it does,
 * under the Linux scheduling class that matches the path's class (see
 * include/uapi/linux/silk.h for the mapping).
 *
 * Legacy servers are found without their help. A kretprobe on
 * inet_csk_accept() sees a task block on a listener and return with a
 * connection; a kprobe on filp_close() sees it close the socket (exit
 * closes every file through it too). Each use of a path by a task for one
 * socket is a hold. A task runs at the highest of its holds, never below
 * its own attributes, which silk saves before it first changes them and
 * gives back, exactly, once the task has no hold left. A hold ends when
 * the task closes the socket (one on a connection it accepted a moment
 * later: see silk_hold_close()), or when the path goes (connection closed,
 * path deleted, mirroring turned off, namespace or module gone).
 *
 * Probes and the packet hook run in atomic context, and sched_setattr()
 * sleeps, so every change of attributes, of tasks and of workers alike, is
 * made by one kthread_worker at a realtime priority above every priority
 * silk maps to: holds and ready paths only queue work for it.
 */
#include <linux/file.h>
#include <linux/hashtable.h>
#include <linux/kprobes.h>
#include <linux/kthread.h>
#include <linux/net.h>
#include <linux/sched.h>
#include <linux/sched/prio.h>
#include <linux/sched/rt.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <net/inet_sock.h>
#include <net/ipv6.h>
#include <net/sock.h>
#include <uapi/linux/sched/types.h>

#include "conn.h"
#include "mirror.h"
#include "netns.h"
#include "path.h"
#include "silk.h"

unsigned int silk_mirror_rt_base = 1;
unsigned int silk_mirror_rt_ceiling = 49;
unsigned int silk_mirror_linger_us = 2000;

/* A task silk may have changed, and the holds that say how. */
struct silk_mtask {
	struct hlist_node hnode;	/* silk_mtasks, by task */
	struct task_struct *task;	/* referenced */
	struct list_head holds;		/* struct silk_mhold.tnode */
	struct kthread_work sync;
	struct kthread_delayed_work linger;	/* ends lingering holds */
	/*
	 * Runs of sync queued and not yet started; under silk_mirror_lock.
	 * A count, not a flag: a kick between the worker taking the work and
	 * the work starting queues a second run, which the first must see.
	 */
	unsigned int queued;
	/* Owned by the sync work. */
	bool saved_valid;
	bool applied_valid;
	struct sched_attr saved;	/* the task's own attributes */
	struct sched_attr applied;	/* what silk last set */
};

/* Task @mt uses path @p for socket @sk (compared only, not referenced). */
struct silk_mhold {
	struct list_head tnode;		/* silk_mtask.holds */
	struct list_head pnode;		/* silk_path.mholds */
	struct silk_mtask *mt;
	struct silk_path *p;
	const struct sock *sk;
	u64 linger_until;	/* closed: ends then, or at accept() (ns) */
};

/* Protects silk_mtasks, every holds list and path->mirror changes. */
static DEFINE_SPINLOCK(silk_mirror_lock);
static DEFINE_HASHTABLE(silk_mtasks, 8);
static atomic_t silk_nmtasks = ATOMIC_INIT(0);
static struct kthread_worker *silk_mirror_kw;

atomic64_t silk_mirror_applied = ATOMIC64_INIT(0);
atomic64_t silk_mirror_restored = ATOMIC64_INIT(0);
atomic64_t silk_mirror_dl_fallbacks = ATOMIC64_INIT(0);
static atomic64_t silk_mirror_nomem = ATOMIC64_INIT(0);
/* Holds not given: the task was not one the administrator named. */
atomic64_t silk_mirror_refused = ATOMIC64_INIT(0);

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
	u32 ceil = clamp_val(READ_ONCE(silk_mirror_rt_ceiling), 1,
			     MAX_RT_PRIO - 2);

	return clamp_val(READ_ONCE(silk_mirror_rt_base) + prio, 1, ceil);
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

static void silk_task_attr(struct task_struct *t, struct sched_attr *a)
{
	memset(a, 0, sizeof(*a));
	a->size = sizeof(*a);
	a->sched_policy = READ_ONCE(t->policy);
	if (t->sched_reset_on_fork)
		a->sched_flags |= SCHED_FLAG_RESET_ON_FORK;
	switch (a->sched_policy) {
	case SCHED_DEADLINE:
		a->sched_runtime = t->dl.dl_runtime;
		a->sched_deadline = t->dl.dl_deadline;
		a->sched_period = t->dl.dl_period;
		break;
	case SCHED_FIFO:
	case SCHED_RR:
		a->sched_priority = t->rt_priority;
		break;
	default:
		a->sched_nice = task_nice(t);
		break;
	}
}

/* Set @a on @t; SCHED_DEADLINE that admission control refuses: FIFO. */
int silk_attr_apply(struct task_struct *t, const struct sched_attr *a)
{
	struct sched_attr fb;
	int err;

	err = sched_setattr_nocheck(t, a);
	if (!err || a->sched_policy != SCHED_DEADLINE)
		return err;
	atomic64_inc(&silk_mirror_dl_fallbacks);
	fb = *a;
	fb.sched_policy = SCHED_FIFO;
	fb.sched_priority = silk_rt_prio(SILK_PRIO_MAX + 1);
	fb.sched_runtime = 0;
	fb.sched_deadline = 0;
	fb.sched_period = 0;
	return sched_setattr_nocheck(t, &fb);
}

static struct silk_mtask *silk_mtask_find(const struct task_struct *t)
{
	struct silk_mtask *mt;

	hash_for_each_possible(silk_mtasks, mt, hnode, (unsigned long)t)
		if (mt->task == t)
			return mt;
	return NULL;
}

/*
 * Queue @mt's sync; under silk_mirror_lock, which every queueing takes, so
 * that the sync that frees @mt knows no other run of it is pending.
 */
static void silk_mtask_kick(struct silk_mtask *mt)
{
	lockdep_assert_held(&silk_mirror_lock);
	if (kthread_queue_work(silk_mirror_kw, &mt->sync))
		mt->queued++;
}

/* Make the task's attributes what its holds say; the only place that does. */
static void silk_mtask_sync(struct kthread_work *work)
{
	struct silk_mtask *mt = container_of(work, struct silk_mtask, sync);
	struct task_struct *t = mt->task;
	struct sched_attr want, a;
	struct silk_mhold *h;
	u32 rank, r;
	bool empty;
	int err;

	if (!mt->saved_valid) {
		silk_task_attr(t, &mt->saved);
		mt->saved_valid = true;
	}
	want = mt->saved;
	rank = silk_attr_rank(&want);
	spin_lock_irq(&silk_mirror_lock);
	mt->queued--;
	list_for_each_entry(h, &mt->holds, tnode) {
		silk_path_attr(h->p, true, &a);
		r = silk_attr_rank(&a);
		if (r > rank) {
			want = a;
			rank = r;
		}
	}
	empty = list_empty(&mt->holds);
	spin_unlock_irq(&silk_mirror_lock);

	if (mt->applied_valid ? memcmp(&want, &mt->applied, sizeof(want)) :
				memcmp(&want, &mt->saved, sizeof(want))) {
		/* An exiting task keeps what it has: it runs no more code of its own. */
		err = READ_ONCE(t->flags) & PF_EXITING ? 0 :
		      silk_attr_apply(t, &want);
		if (err)
			pr_warn_ratelimited("silk: cannot set policy %u prio %u nice %d of task %d: %d\n",
					    want.sched_policy,
					    want.sched_priority,
					    want.sched_nice, task_pid_nr(t),
					    err);
		else if (memcmp(&want, &mt->saved, sizeof(want)))
			atomic64_inc(&silk_mirror_applied);
		else
			atomic64_inc(&silk_mirror_restored);
		mt->applied = want;
		mt->applied_valid = true;
	}
	if (!empty)
		return;
	spin_lock_irq(&silk_mirror_lock);
	if (!list_empty(&mt->holds) || mt->queued) {
		/* Holds came (and maybe went): this work runs again. */
		spin_unlock_irq(&silk_mirror_lock);
		return;
	}
	hash_del(&mt->hnode);
	spin_unlock_irq(&silk_mirror_lock);
	/* Not running: this worker runs one work at a time. */
	kthread_cancel_delayed_work_sync(&mt->linger);
	atomic_dec(&silk_nmtasks);
	put_task_struct(t);
	kfree(mt);
}

static void silk_mtask_linger(struct kthread_work *work);

/* Task @t uses @p for @sk; under silk_mirror_lock and RCU (@p is alive). */
/*
 * Realtime priority goes only to the tasks the administrator named with
 * mirroring on: by effective uid or gid (a connection path: its listen
 * path's).
 */
static bool silk_mirror_may(struct task_struct *t, const struct silk_path *p)
{
	const struct silk_path *o = p->parent ?: p;
	kuid_t uid = READ_ONCE(o->mirror_uid);
	kgid_t gid = READ_ONCE(o->mirror_gid);
	const struct cred *cred;
	bool ok;

	rcu_read_lock();
	cred = __task_cred(t);
	ok = (uid_valid(uid) && uid_eq(cred->euid, uid)) ||
	     (gid_valid(gid) && gid_eq(cred->egid, gid));
	rcu_read_unlock();
	return ok;
}

static void silk_hold_add_locked(struct task_struct *t, struct silk_path *p,
				 const struct sock *sk)
{
	struct silk_mtask *mt;
	struct silk_mhold *h;

	lockdep_assert_held(&silk_mirror_lock);
	/* silk_mirror_path_gone() has run or will see this hold. */
	if (READ_ONCE(p->dead) || !p->mirror)
		return;
	if (!silk_mirror_may(t, p)) {
		atomic64_inc(&silk_mirror_refused);
		return;
	}
	h = kzalloc(sizeof(*h), GFP_ATOMIC);
	if (!h)
		goto nomem;
	mt = silk_mtask_find(t);
	if (!mt) {
		mt = kzalloc(sizeof(*mt), GFP_ATOMIC);
		if (!mt) {
			kfree(h);
			goto nomem;
		}
		mt->task = get_task_struct(t);
		INIT_LIST_HEAD(&mt->holds);
		kthread_init_work(&mt->sync, silk_mtask_sync);
		kthread_init_delayed_work(&mt->linger, silk_mtask_linger);
		hash_add(silk_mtasks, &mt->hnode, (unsigned long)t);
		atomic_inc(&silk_nmtasks);
	}
	h->mt = mt;
	h->p = p;
	h->sk = sk;
	list_add_tail(&h->tnode, &mt->holds);
	list_add_tail(&h->pnode, &p->mholds);
	silk_mtask_kick(mt);
	return;
nomem:
	atomic64_inc(&silk_mirror_nomem);
}

static void silk_hold_add(struct silk_path *p, const struct sock *sk)
{
	unsigned long flags;

	spin_lock_irqsave(&silk_mirror_lock, flags);
	silk_hold_add_locked(current, p, sk);
	spin_unlock_irqrestore(&silk_mirror_lock, flags);
}

/*
 * Tasks blocked in accept() while the probes are attached, so that a
 * listener's path that starts to mirror finds those already waiting.
 */
struct silk_accept_data {
	struct list_head node;		/* silk_acceptors, while blocking */
	struct task_struct *task;
	struct sock *lsk;
};

static LIST_HEAD(silk_acceptors);	/* under silk_mirror_lock */
static bool silk_acceptors_live;	/* under silk_mirror_lock */

/* @p now mirrors: tasks already blocked in accept() on it use it too. */
void silk_mirror_adopt(struct silk_path *p)
{
	struct silk_accept_data *d;
	unsigned long flags;

	rcu_read_lock();
	spin_lock_irqsave(&silk_mirror_lock, flags);
	list_for_each_entry(d, &silk_acceptors, node)
		if (net_eq(sock_net(d->lsk), p->sn->net) &&
		    silk_sock_path(p->sn, d->lsk) == p)
			silk_hold_add_locked(d->task, p, d->lsk);
	spin_unlock_irqrestore(&silk_mirror_lock, flags);
	rcu_read_unlock();
}

/*
 * Could a task blocked in accept() on @lsk get the new connection @sk? Same
 * namespace and port, a family and bound address that take it.
 */
static bool silk_acceptor_of(const struct sock *lsk, const struct sock *sk)
{
	if (!net_eq(sock_net(lsk), sock_net(sk)) ||
	    inet_sk(lsk)->inet_sport != inet_sk(sk)->inet_sport)
		return false;
	if (lsk->sk_family == AF_INET)
		return sk->sk_family == AF_INET &&
		       (!lsk->sk_rcv_saddr ||
			lsk->sk_rcv_saddr == sk->sk_rcv_saddr);
#if IS_ENABLED(CONFIG_IPV6)
	if (sk->sk_family == AF_INET)
		return !ipv6_only_sock(lsk) &&
		       (ipv6_addr_any(&lsk->sk_v6_rcv_saddr) ||
			(ipv6_addr_v4mapped(&lsk->sk_v6_rcv_saddr) &&
			 lsk->sk_v6_rcv_saddr.s6_addr32[3] == sk->sk_rcv_saddr));
	return ipv6_addr_any(&lsk->sk_v6_rcv_saddr) ||
	       ipv6_addr_equal(&lsk->sk_v6_rcv_saddr, &sk->sk_v6_rcv_saddr);
#else
	return false;
#endif
}

/* Tasks that may get one new connection at most (of 512 in accept()). */
#define SILK_MIRROR_READY_MAX	16

/**
 * silk_mirror_conn_ready - a connection of mirrored path @c is acceptable
 * @c: its connection path, just created (softirq, under RCU)
 * @sk: the connection
 *
 * The task that will accept it is one of those blocked in accept() on its
 * port, and which one the kernel wakes is not known: each of them uses @c
 * until its accept() returns, so that the one woken runs at @c's priority
 * from its wakeup on, not only from accept()'s return.
 */
void silk_mirror_conn_ready(struct silk_path *c, const struct sock *sk)
{
	struct silk_accept_data *d;
	unsigned long flags;
	unsigned int n = 0;

	spin_lock_irqsave(&silk_mirror_lock, flags);
	list_for_each_entry(d, &silk_acceptors, node) {
		if (!silk_acceptor_of(d->lsk, sk))
			continue;
		silk_hold_add_locked(d->task, c, d->lsk);
		/* Work under this IRQ-off lock is bounded per connection. */
		if (++n == SILK_MIRROR_READY_MAX)
			break;
	}
	spin_unlock_irqrestore(&silk_mirror_lock, flags);
}

static void silk_acceptors_clear(bool live)
{
	struct silk_accept_data *d;

	spin_lock_irq(&silk_mirror_lock);
	silk_acceptors_live = live;
	while ((d = list_first_entry_or_null(&silk_acceptors,
					     struct silk_accept_data, node)))
		list_del_init(&d->node);
	spin_unlock_irq(&silk_mirror_lock);
}

static void silk_hold_free_locked(struct silk_mhold *h)
{
	lockdep_assert_held(&silk_mirror_lock);
	list_del(&h->tnode);
	list_del(&h->pnode);
	silk_mtask_kick(h->mt);
	kfree(h);
}

/*
 * End the lingering holds of @mt that are due (@all: every one); under
 * silk_mirror_lock. Returns the time the next one is due, 0 if none.
 */
static u64 silk_linger_end_locked(struct silk_mtask *mt, bool all, u64 now)
{
	struct silk_mhold *h, *tmp;
	u64 next = 0;

	lockdep_assert_held(&silk_mirror_lock);
	list_for_each_entry_safe(h, tmp, &mt->holds, tnode) {
		if (!h->linger_until)
			continue;
		if (all || h->linger_until <= now)
			silk_hold_free_locked(h);
		else if (!next || h->linger_until < next)
			next = h->linger_until;
	}
	return next;
}

static void silk_mtask_linger(struct kthread_work *work)
{
	struct silk_mtask *mt = container_of(work, struct silk_mtask,
					     linger.work);
	u64 now = ktime_get_ns(), next;

	spin_lock_irq(&silk_mirror_lock);
	next = silk_linger_end_locked(mt, false, now);
	if (next)
		kthread_queue_delayed_work(silk_mirror_kw, &mt->linger,
					   nsecs_to_jiffies(next - now) + 1);
	spin_unlock_irq(&silk_mirror_lock);
}

/* @current no longer uses whatever it used for @sk. */
static void silk_hold_del(const struct sock *sk)
{
	struct silk_mhold *h, *tmp;
	struct silk_mtask *mt;
	unsigned long flags;

	spin_lock_irqsave(&silk_mirror_lock, flags);
	mt = silk_mtask_find(current);
	if (mt)
		list_for_each_entry_safe(h, tmp, &mt->holds, tnode)
			if (h->sk == sk)
				silk_hold_free_locked(h);
	spin_unlock_irqrestore(&silk_mirror_lock, flags);
}

/*
 * @current closes @sk. Its holds for a connection it accepted linger for
 * mirror_linger_us: the close itself (tcp_close() sends the FIN from task
 * work on the way back to user mode) and the way back to accept() are part
 * of serving the connection, and given back its own attributes at once the
 * task would do them behind every task the path put it above. They end at
 * its next accept(), at the latest when the time is up.
 */
static void silk_hold_close(const struct sock *sk)
{
	u64 linger = (u64)READ_ONCE(silk_mirror_linger_us) * NSEC_PER_USEC;
	u64 now = ktime_get_ns();
	struct silk_mhold *h, *tmp;
	struct silk_mtask *mt;
	unsigned long flags;
	bool queue = false;

	spin_lock_irqsave(&silk_mirror_lock, flags);
	mt = silk_mtask_find(current);
	if (mt)
		list_for_each_entry_safe(h, tmp, &mt->holds, tnode) {
			if (h->sk != sk || h->linger_until)
				continue;
			if (!linger || !h->p->parent) {
				silk_hold_free_locked(h);
				continue;
			}
			h->linger_until = now + linger;
			queue = true;
		}
	if (queue)
		kthread_queue_delayed_work(silk_mirror_kw, &mt->linger,
					   nsecs_to_jiffies(linger) + 1);
	spin_unlock_irqrestore(&silk_mirror_lock, flags);
}

/* @current waits for a new connection: what it closed lingers no more. */
static void silk_linger_end(void)
{
	struct silk_mtask *mt;
	unsigned long flags;

	spin_lock_irqsave(&silk_mirror_lock, flags);
	mt = silk_mtask_find(current);
	if (mt)
		silk_linger_end_locked(mt, true, 0);
	spin_unlock_irqrestore(&silk_mirror_lock, flags);
}

/* Every task that uses @p for another socket than @sk (NULL: any) lets go. */
static void silk_hold_drop_others(struct silk_path *p, const struct sock *sk)
{
	struct silk_mhold *h, *tmp;
	unsigned long flags;

	spin_lock_irqsave(&silk_mirror_lock, flags);
	list_for_each_entry_safe(h, tmp, &p->mholds, pnode)
		if (h->sk != sk)
			silk_hold_free_locked(h);
	spin_unlock_irqrestore(&silk_mirror_lock, flags);
}

/* @p's class or parameters changed: its tasks take the new attributes. */
void silk_mirror_changed(struct silk_path *p)
{
	struct silk_mhold *h;
	unsigned long flags;

	spin_lock_irqsave(&silk_mirror_lock, flags);
	list_for_each_entry(h, &p->mholds, pnode)
		silk_mtask_kick(h->mt);
	spin_unlock_irqrestore(&silk_mirror_lock, flags);
}

/* Path @p is going, or mirrors no more: every task using it lets go. */
void silk_mirror_path_gone(struct silk_path *p)
{
	silk_hold_drop_others(p, NULL);
}

/* Turn mirroring of @p on or off; off lets every task using it go. */
void silk_mirror_set(struct silk_path *p, bool on)
{
	unsigned long flags;

	spin_lock_irqsave(&silk_mirror_lock, flags);
	p->mirror = on;
	spin_unlock_irqrestore(&silk_mirror_lock, flags);
	if (!on)
		silk_mirror_path_gone(p);
}

/* The path a TCP socket's task uses: its connection's, or its port's. */
static void silk_mirror_use(struct sock *sk)
{
	struct silk_net *sn;
	struct silk_path *p;

	if (!sk || sk->sk_protocol != IPPROTO_TCP ||
	    (sk->sk_family != AF_INET && sk->sk_family != AF_INET6))
		return;
	sn = silk_pernet(sock_net(sk));
	if (!READ_ONCE(sn->nmirror))
		return;
	rcu_read_lock();
	p = silk_sock_path(sn, sk);
	if (p && READ_ONCE(p->mirror)) {
		silk_hold_add(p, sk);
		/* Accepted: the other candidates (conn_ready) let go. */
		if (p->parent)
			silk_hold_drop_others(p, sk);
	}
	rcu_read_unlock();
}

/* @current uses @p for @sk from now on (sockopt: UDP has no accept()). */
void silk_mirror_hold(struct silk_path *p, const struct sock *sk)
{
	rcu_read_lock();
	silk_hold_add(p, sk);
	rcu_read_unlock();
}

static int silk_accept_entry(struct kretprobe_instance *ri,
			     struct pt_regs *regs)
{
	struct silk_accept_data *d = (struct silk_accept_data *)ri->data;
	struct sock *sk = (struct sock *)regs_get_kernel_argument(regs, 0);
	int flags = regs_get_kernel_argument(regs, 1);
	struct silk_net *sn = silk_pernet(sock_net(sk));
	unsigned long irqflags;

	INIT_LIST_HEAD(&d->node);
	d->lsk = sk;
	d->task = current;
	if (atomic_read(&silk_nmtasks))
		silk_linger_end();
	if (flags & O_NONBLOCK)
		/* Nothing to mirror or meter here: no return probe. */
		return !READ_ONCE(sn->nmirror) && !silk_meter_on(&sn->meter) &&
		       !READ_ONCE(sn->group.n);
	/* Other namespaces' accept() calls leave the global lock alone. */
	if (!READ_ONCE(sn->nmirror))
		return 0;
	spin_lock_irqsave(&silk_mirror_lock, irqflags);
	if (silk_acceptors_live)
		list_add_tail(&d->node, &silk_acceptors);
	spin_unlock_irqrestore(&silk_mirror_lock, irqflags);
	/* A task that will block waits at the listen path's priority. */
	silk_mirror_use(sk);
	return 0;
}

static int silk_accept_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct silk_accept_data *d = (struct silk_accept_data *)ri->data;
	struct sock *newsk = (struct sock *)regs_return_value(regs);
	unsigned long irqflags;

	if (!list_empty(&d->node)) {
		spin_lock_irqsave(&silk_mirror_lock, irqflags);
		list_del_init(&d->node);
		spin_unlock_irqrestore(&silk_mirror_lock, irqflags);
	}
	if (newsk) {
		struct silk_net *sn = silk_pernet(sock_net(d->lsk));

		if (silk_meter_on(&sn->meter))
			silk_meter_accepted(sn, d->lsk, newsk);
		if (READ_ONCE(sn->group.n))
			silk_group_accepted(sn, d->lsk);
	}
	/* The connection's hold first, so the task does not flicker down. */
	silk_mirror_use(newsk);
	if (atomic_read(&silk_nmtasks))
		silk_hold_del(d->lsk);
	return 0;
}

static struct kretprobe silk_accept_probe = {
	.kp.symbol_name = "inet_csk_accept",
	.entry_handler = silk_accept_entry,
	.handler = silk_accept_ret,
	.data_size = sizeof(struct silk_accept_data),
	/* Tasks blocked in accept() at once, each holding an instance. */
	.maxactive = 512,
};

static int silk_close_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct file *file = (struct file *)regs_get_kernel_argument(regs, 0);
	struct socket *sock;

	if (!atomic_read(&silk_nmtasks))
		return 0;
	sock = sock_from_file(file);
	if (sock && sock->sk)
		silk_hold_close(sock->sk);
	return 0;
}

static struct kprobe silk_close_probe = {
	.symbol_name = "filp_close",
	.pre_handler = silk_close_pre,
};

/*
 * The probes are attached while any path mirrors: an idle silk costs no
 * close() anything.
 */
static DEFINE_MUTEX(silk_probe_lock);
static unsigned int silk_probe_users;

int silk_mirror_get(struct netlink_ext_ack *extack)
{
	int err = 0;

	/* Kprobe handlers run with preemption off: see silk_conn_tp_get(). */
	if (IS_ENABLED(CONFIG_PREEMPT_RT)) {
		NL_SET_ERR_MSG(extack, SILK_PROBES_RT_MSG);
		return -EOPNOTSUPP;
	}
	if (!silk_probes_allowed(extack))
		return -EPERM;
	mutex_lock(&silk_probe_lock);
	if (silk_probe_users++)
		goto out;
	/* Registration fills these in; a second one wants them clear. */
	silk_accept_probe.kp.addr = NULL;
	silk_accept_probe.kp.flags = 0;
	silk_close_probe.addr = NULL;
	silk_close_probe.flags = 0;
	silk_acceptors_clear(true);
	err = register_kretprobe(&silk_accept_probe);
	if (err)
		goto fail;
	err = register_kprobe(&silk_close_probe);
	if (err) {
		unregister_kretprobe(&silk_accept_probe);
		goto fail;
	}
	goto out;
fail:
	pr_warn("silk: cannot attach the accept/close probes: %d\n", err);
	NL_SET_ERR_MSG(extack, "cannot attach the accept and close probes");
	silk_probe_users--;
out:
	mutex_unlock(&silk_probe_lock);
	return err;
}

/* Drop every hold; with the probes gone nothing else would. */
static void silk_mirror_drop_all(void)
{
	struct silk_mhold *h, *tmp;
	struct silk_mtask *mt;
	unsigned int bkt;

	spin_lock_irq(&silk_mirror_lock);
	hash_for_each(silk_mtasks, bkt, mt, hnode)
		list_for_each_entry_safe(h, tmp, &mt->holds, tnode)
			silk_hold_free_locked(h);
	spin_unlock_irq(&silk_mirror_lock);
}

void silk_mirror_put(void)
{
	mutex_lock(&silk_probe_lock);
	if (!WARN_ON_ONCE(!silk_probe_users) && !--silk_probe_users) {
		unregister_kprobe(&silk_close_probe);
		silk_acceptors_clear(false);
		unregister_kretprobe(&silk_accept_probe);
		/* Return handlers that ran meanwhile left nothing behind. */
		silk_acceptors_clear(false);
		/* Kept across attachments; the probe's own count starts over. */
		atomic64_add(silk_accept_probe.nmissed, &silk_mirror_nomem);
		silk_accept_probe.nmissed = 0;
		/* A task still blocked in accept() gets no return probe. */
		silk_mirror_drop_all();
	}
	mutex_unlock(&silk_probe_lock);
}

u32 silk_mirror_tasks(void)
{
	return atomic_read(&silk_nmtasks);
}

u64 silk_mirror_missed(void)
{
	return atomic64_read(&silk_mirror_nomem) +
	       READ_ONCE(silk_accept_probe.nmissed);
}

void silk_mirror_queue(struct kthread_work *work)
{
	kthread_queue_work(silk_mirror_kw, work);
}

void silk_mirror_cancel(struct kthread_work *work)
{
	kthread_cancel_work_sync(work);
}

int silk_mirror_init(void)
{
	struct sched_attr a = {
		.size = sizeof(a),
		.sched_policy = SCHED_FIFO,
		.sched_priority = MAX_RT_PRIO - 1,
	};

	silk_mirror_kw = kthread_create_worker(0, "silk_mirror");
	if (IS_ERR(silk_mirror_kw))
		return PTR_ERR(silk_mirror_kw);
	/* Above every priority silk maps to, so it is never the inversion. */
	sched_setattr_nocheck(silk_mirror_kw->task, &a);
	return 0;
}

/* After every namespace is gone: their paths let every task go. */
void silk_mirror_exit(void)
{
	silk_mirror_drop_all();
	kthread_flush_worker(silk_mirror_kw);
	WARN_ON(atomic_read(&silk_nmtasks));
	kthread_destroy_worker(silk_mirror_kw);
}
