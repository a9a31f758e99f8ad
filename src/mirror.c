// SPDX-License-Identifier: GPL-2.0
/*
 * Extended paths: a task that uses a mirrored path runs, while it does,
 * under the Linux scheduling class that matches the path's class (see
 * include/uapi/linux/silk.h for the mapping).
 *
 * Legacy servers are found without their help: the accept events
 * (sockev.c) show a task block on a listener and return with a connection,
 * the close events show it close the socket. Each use of a path by a task for one
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
 *
 * The accept and close events make and end holds in their own context,
 * preemption off, which PREEMPT_RT allows only with raw spinlocks and
 * without allocating or freeing: the lock is raw, every section under it
 * is bounded, and holds and tasks come from pools made with the first
 * mirrored path (mirror_max_holds), which also bounds what remote peers'
 * connections can make.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/file.h>
#include <linux/hashtable.h>
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
#include "level.h"
#include "mirror.h"
#include "netns.h"
#include "path.h"
#include "queue.h"
#include "silk.h"
#include "sockev.h"

unsigned int silk_mirror_linger_us = 2000;
unsigned int silk_mirror_max_holds = 16384;

/* A task silk may have changed, and the holds that say how. */
struct silk_mtask {
	struct hlist_node hnode;	/* silk_mtasks, by task */
	struct task_struct *task;	/* referenced */
	union {
		struct list_head holds;	/* struct silk_mhold.tnode */
		struct list_head free;	/* silk_mtasks_free, while free */
	};
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
	struct list_head tnode;		/* silk_mtask.holds; silk_mholds_free */
	struct list_head pnode;		/* silk_path.mholds */
	struct silk_mtask *mt;
	struct silk_path *p;
	const struct sock *sk;
	u64 linger_until;	/* closed: ends then, or at accept() (ns) */
};

/* Protects silk_mtasks, every holds list, path->mirror changes, pools. */
static DEFINE_RAW_SPINLOCK(silk_mirror_lock);
static LIST_HEAD(silk_mholds_free);
static LIST_HEAD(silk_mtasks_free);
static struct silk_mhold *silk_mholds_pool;	/* set once, at first use */
static struct silk_mtask *silk_mtasks_pool;
static DEFINE_MUTEX(silk_mirror_pool_lock);
static DEFINE_HASHTABLE(silk_mtasks, 8);
static atomic_t silk_nmtasks = ATOMIC_INIT(0);
atomic64_t silk_mirror_applied = ATOMIC64_INIT(0);
atomic64_t silk_mirror_restored = ATOMIC64_INIT(0);
/* Holds not made: the pools were empty. */
static atomic64_t silk_mirror_nomem = ATOMIC64_INIT(0);
/* Holds not given: the task was not one the administrator named. */
atomic64_t silk_mirror_refused = ATOMIC64_INIT(0);

/* The pools, before the first mirrored path attaches the events. */
static int silk_mirror_pools(void)
{
	unsigned int nh = READ_ONCE(silk_mirror_max_holds), nt, i;
	LIST_HEAD(holds);
	LIST_HEAD(tasks);
	struct silk_mhold *h;
	struct silk_mtask *t;

	if (READ_ONCE(silk_mholds_pool))
		return 0;
	mutex_lock(&silk_mirror_pool_lock);
	if (silk_mholds_pool)
		goto out;
	/* A task with a hold has at least one; most have a few. */
	nt = max(nh / 4, 64U);
	h = kvcalloc(nh, sizeof(*h), GFP_KERNEL);
	t = kvcalloc(nt, sizeof(*t), GFP_KERNEL);
	if (!h || !t) {
		kvfree(h);
		kvfree(t);
		mutex_unlock(&silk_mirror_pool_lock);
		return -ENOMEM;
	}
	for (i = 0; i < nh; i++)
		list_add_tail(&h[i].tnode, &holds);
	for (i = 0; i < nt; i++)
		list_add_tail(&t[i].free, &tasks);
	raw_spin_lock_irq(&silk_mirror_lock);
	list_splice(&holds, &silk_mholds_free);
	list_splice(&tasks, &silk_mtasks_free);
	raw_spin_unlock_irq(&silk_mirror_lock);
	silk_mtasks_pool = t;
	WRITE_ONCE(silk_mholds_pool, h);
out:
	mutex_unlock(&silk_mirror_pool_lock);
	return 0;
}

static void *silk_pool_get(struct list_head *free)
{
	struct list_head *e = free->next;

	lockdep_assert_held(&silk_mirror_lock);
	if (e == free)
		return NULL;
	list_del(e);
	return e;
}

static struct silk_mhold *silk_mhold_alloc(void)
{
	struct list_head *e = silk_pool_get(&silk_mholds_free);

	if (!e)
		return NULL;
	return memset(list_entry(e, struct silk_mhold, tnode), 0,
		      sizeof(struct silk_mhold));
}

static struct silk_mtask *silk_mtask_alloc(void)
{
	struct list_head *e = silk_pool_get(&silk_mtasks_free);

	if (!e)
		return NULL;
	return memset(list_entry(e, struct silk_mtask, free), 0,
		      sizeof(struct silk_mtask));
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
	if (silk_level_queue(&mt->sync))
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
	raw_spin_lock_irq(&silk_mirror_lock);
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
	raw_spin_unlock_irq(&silk_mirror_lock);

	if (mt->applied_valid ? memcmp(&want, &mt->applied, sizeof(want)) :
				memcmp(&want, &mt->saved, sizeof(want))) {
		/* An exiting task keeps what it has: it runs no more code of its own. */
		err = READ_ONCE(t->flags) & PF_EXITING ? 0 :
		      silk_attr_apply(t, &want);
		if (err)
			pr_warn_ratelimited("cannot set policy %u prio %u nice %d of task %d: %d\n",
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
	raw_spin_lock_irq(&silk_mirror_lock);
	if (!list_empty(&mt->holds) || mt->queued) {
		/* Holds came (and maybe went): this work runs again. */
		raw_spin_unlock_irq(&silk_mirror_lock);
		return;
	}
	hash_del(&mt->hnode);
	raw_spin_unlock_irq(&silk_mirror_lock);
	/* Not running: this worker runs one work at a time. */
	kthread_cancel_delayed_work_sync(&mt->linger);
	atomic_dec(&silk_nmtasks);
	put_task_struct(t);
	raw_spin_lock_irq(&silk_mirror_lock);
	list_add(&mt->free, &silk_mtasks_free);
	raw_spin_unlock_irq(&silk_mirror_lock);
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
	h = silk_mhold_alloc();
	if (!h)
		goto nomem;
	mt = silk_mtask_find(t);
	if (!mt) {
		mt = silk_mtask_alloc();
		if (!mt) {
			list_add(&h->tnode, &silk_mholds_free);
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

	raw_spin_lock_irqsave(&silk_mirror_lock, flags);
	silk_hold_add_locked(current, p, sk);
	raw_spin_unlock_irqrestore(&silk_mirror_lock, flags);
}

/*
 * Tasks blocked in accept() while the accept events are attached, so that
 * a listener's path that starts to mirror finds those already waiting:
 * struct silk_accept by node.
 */
static LIST_HEAD(silk_acceptors);	/* under silk_mirror_lock */
static bool silk_acceptors_live;	/* under silk_mirror_lock */

/* @p now mirrors: tasks already blocked in accept() on it use it too. */
void silk_mirror_adopt(struct silk_path *p)
{
	struct silk_accept *d;
	unsigned long flags;

	rcu_read_lock();
	raw_spin_lock_irqsave(&silk_mirror_lock, flags);
	list_for_each_entry(d, &silk_acceptors, node)
		if (net_eq(sock_net(d->lsk), p->sn->net) &&
		    silk_sock_path(p->sn, d->lsk) == p)
			silk_hold_add_locked(d->task, p, d->lsk);
	raw_spin_unlock_irqrestore(&silk_mirror_lock, flags);
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
	struct silk_accept *d;
	unsigned long flags;
	unsigned int n = 0;

	raw_spin_lock_irqsave(&silk_mirror_lock, flags);
	list_for_each_entry(d, &silk_acceptors, node) {
		if (!silk_acceptor_of(d->lsk, sk))
			continue;
		silk_hold_add_locked(d->task, c, d->lsk);
		/* Work under this IRQ-off lock is bounded per connection. */
		if (++n == SILK_MIRROR_READY_MAX)
			break;
	}
	raw_spin_unlock_irqrestore(&silk_mirror_lock, flags);
}

static void silk_acceptors_clear(bool live)
{
	struct silk_accept *d;

	raw_spin_lock_irq(&silk_mirror_lock);
	silk_acceptors_live = live;
	while ((d = list_first_entry_or_null(&silk_acceptors,
					     struct silk_accept, node)))
		list_del_init(&d->node);
	raw_spin_unlock_irq(&silk_mirror_lock);
}

static void silk_hold_free_locked(struct silk_mhold *h)
{
	lockdep_assert_held(&silk_mirror_lock);
	list_del(&h->tnode);
	list_del(&h->pnode);
	silk_mtask_kick(h->mt);
	list_add(&h->tnode, &silk_mholds_free);
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

	raw_spin_lock_irq(&silk_mirror_lock);
	next = silk_linger_end_locked(mt, false, now);
	if (next)
		silk_level_queue_delayed(&mt->linger, nsecs_to_jiffies(next - now) + 1);
	raw_spin_unlock_irq(&silk_mirror_lock);
}

/* @current no longer uses whatever it used for @sk. */
static void silk_hold_del(const struct sock *sk)
{
	struct silk_mhold *h, *tmp;
	struct silk_mtask *mt;
	unsigned long flags;

	raw_spin_lock_irqsave(&silk_mirror_lock, flags);
	mt = silk_mtask_find(current);
	if (mt)
		list_for_each_entry_safe(h, tmp, &mt->holds, tnode)
			if (h->sk == sk)
				silk_hold_free_locked(h);
	raw_spin_unlock_irqrestore(&silk_mirror_lock, flags);
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

	raw_spin_lock_irqsave(&silk_mirror_lock, flags);
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
		silk_level_queue_delayed(&mt->linger, nsecs_to_jiffies(linger) + 1);
	raw_spin_unlock_irqrestore(&silk_mirror_lock, flags);
}

/* @current waits for a new connection: what it closed lingers no more. */
static void silk_linger_end(void)
{
	struct silk_mtask *mt;
	unsigned long flags;

	raw_spin_lock_irqsave(&silk_mirror_lock, flags);
	mt = silk_mtask_find(current);
	if (mt)
		silk_linger_end_locked(mt, true, 0);
	raw_spin_unlock_irqrestore(&silk_mirror_lock, flags);
}

/* Every task that uses @p for another socket than @sk (NULL: any) lets go. */
static void silk_hold_drop_others(struct silk_path *p, const struct sock *sk)
{
	struct silk_mhold *h, *tmp;
	unsigned long flags;

	raw_spin_lock_irqsave(&silk_mirror_lock, flags);
	list_for_each_entry_safe(h, tmp, &p->mholds, pnode)
		if (h->sk != sk)
			silk_hold_free_locked(h);
	raw_spin_unlock_irqrestore(&silk_mirror_lock, flags);
}

/* @p's class or parameters changed: its tasks take the new attributes. */
void silk_mirror_changed(struct silk_path *p)
{
	struct silk_mhold *h;
	unsigned long flags;

	raw_spin_lock_irqsave(&silk_mirror_lock, flags);
	list_for_each_entry(h, &p->mholds, pnode)
		silk_mtask_kick(h->mt);
	raw_spin_unlock_irqrestore(&silk_mirror_lock, flags);
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

	raw_spin_lock_irqsave(&silk_mirror_lock, flags);
	p->mirror = on;
	raw_spin_unlock_irqrestore(&silk_mirror_lock, flags);
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

/* A task is about to accept() on @a->lsk: a return to see if it mirrors. */
static bool silk_mirror_accept(struct silk_net *sn, struct silk_accept *a)
{
	unsigned long irqflags;

	if (atomic_read(&silk_nmtasks))
		silk_linger_end();
	/* Other namespaces' accept() calls leave the global lock alone. */
	if (!READ_ONCE(sn->nmirror))
		return false;
	if (a->flags & O_NONBLOCK)
		return true;
	raw_spin_lock_irqsave(&silk_mirror_lock, irqflags);
	if (silk_acceptors_live)
		list_add_tail(&a->node, &silk_acceptors);
	raw_spin_unlock_irqrestore(&silk_mirror_lock, irqflags);
	/* A task that will block waits at the listen path's priority. */
	silk_mirror_use(a->lsk);
	return true;
}

static void silk_mirror_accepted(struct silk_net *sn, struct silk_accept *a,
				 struct sock *sk)
{
	unsigned long irqflags;

	if (!list_empty(&a->node)) {
		raw_spin_lock_irqsave(&silk_mirror_lock, irqflags);
		list_del_init(&a->node);
		raw_spin_unlock_irqrestore(&silk_mirror_lock, irqflags);
	}
	/* The connection's hold first, so the task does not flicker down. */
	silk_mirror_use(sk);
	if (atomic_read(&silk_nmtasks))
		silk_hold_del(a->lsk);
}

static void silk_mirror_close(struct sock *sk)
{
	if (atomic_read(&silk_nmtasks))
		silk_hold_close(sk);
}

/* Drop every hold; with the probes gone nothing else would. */
static void silk_mirror_drop_all(void)
{
	struct silk_mhold *h, *tmp;
	struct silk_mtask *mt;
	unsigned int bkt;

	raw_spin_lock_irq(&silk_mirror_lock);
	hash_for_each(silk_mtasks, bkt, mt, hnode)
		list_for_each_entry_safe(h, tmp, &mt->holds, tnode)
			silk_hold_free_locked(h);
	raw_spin_unlock_irq(&silk_mirror_lock);
}

static void silk_mirror_attach(unsigned int events, bool on)
{
	if (events & SILK_SOCKEV_ACCEPT)
		silk_acceptors_clear(on);
}

static void silk_mirror_detached(unsigned int events)
{
	/* Return handlers that ran meanwhile left nothing behind. */
	if (events & SILK_SOCKEV_ACCEPT)
		silk_acceptors_clear(false);
	/* A task still blocked in accept() gets no return probe. */
	if (events & SILK_SOCKEV_CLOSE)
		silk_mirror_drop_all();
}

static const struct silk_sockev_ops silk_mirror_sockev = {
	.accept = silk_mirror_accept,
	.accepted = silk_mirror_accepted,
	.close = silk_mirror_close,
	.attach = silk_mirror_attach,
	.detached = silk_mirror_detached,
};

/*
 * Mirroring needs the accept and close events while any path mirrors: an
 * idle silk costs no close() anything.
 */
int silk_mirror_get(struct netlink_ext_ack *extack)
{
	if (silk_mirror_pools()) {
		NL_SET_ERR_MSG(extack,
			       "no memory for mirroring's holds (module parameter mirror_max_holds)");
		return -ENOMEM;
	}
	return silk_sockev_get(SILK_SOCKEV_ACCEPT | SILK_SOCKEV_CLOSE, extack);
}

void silk_mirror_put(void)
{
	silk_sockev_put(SILK_SOCKEV_ACCEPT | SILK_SOCKEV_CLOSE);
}

u32 silk_mirror_tasks(void)
{
	return atomic_read(&silk_nmtasks);
}

u64 silk_mirror_missed(void)
{
	return atomic64_read(&silk_mirror_nomem) + silk_sockev_accept_missed();
}

void silk_mirror_init(void)
{
	silk_sockev_register(&silk_mirror_sockev);
}

/* After every namespace is gone: their paths let every task go. */
void silk_mirror_exit(void)
{
	silk_mirror_drop_all();
	silk_level_flush();
	WARN_ON(atomic_read(&silk_nmtasks));
	kvfree(silk_mholds_pool);
	kvfree(silk_mtasks_pool);
}
