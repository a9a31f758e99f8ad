// SPDX-License-Identifier: GPL-2.0
/*
 * Socket events. Connection paths, mirroring, sensors and socket groups
 * all follow what unmodified servers' TCP sockets do, without their help:
 *  - the sock:inet_sock_set_state tracepoint: a listener clones a child
 *    (LISTEN -> SYN_RECV), a connection is established, or closes (every
 *    TCP socket reaches CLOSE before it is freed);
 *  - a kretprobe on inet_csk_accept(): a task blocks on a listener and
 *    returns with a connection;
 *  - a kprobe on inet_release(): a task lets go of an IPv4 or IPv6
 *    socket, by its last close() or at exit. (Not filp_close(): on 6.12
 *    close() flushes and puts the file without it.)
 * Each is attached while some subscriber needs it, so an idle silk costs
 * the stack nothing; the subscribers register their callbacks at load and
 * are called in that order.
 *
 * Detaching waits for grace periods (several for a kretprobe), which under
 * a flood take seconds: the last put leaves the events attached for
 * SILK_SOCKEV_LINGER and a work detaches them, so that deleting the last
 * path that needed them returns at once, and a new user within the
 * linger finds them still there.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/file.h>
#include <linux/kprobes.h>
#include <linux/mutex.h>
#include <linux/net.h>
#include <linux/tracepoint.h>
#include <linux/workqueue.h>
#include <net/sock.h>

#include "netns.h"
#include "silk.h"
#include "sockev.h"

#define SILK_SOCKEV_LINGER	HZ
#define SILK_SOCKEV_SUBS	8
#define SILK_SOCKEV_KINDS	3

static const struct silk_sockev_ops *silk_sockev_subs[SILK_SOCKEV_SUBS];
static unsigned int silk_sockev_nsubs;

/* Under silk_sockev_lock: users of each kind, and what is attached. */
static DEFINE_MUTEX(silk_sockev_lock);
static unsigned int silk_sockev_users[SILK_SOCKEV_KINDS];
static unsigned int silk_sockev_attached;
static bool silk_sockev_stopped;
static u64 silk_sockev_nomem;	/* accept() calls missed in past attachments */
static void silk_sockev_linger_end(struct work_struct *work);
static DECLARE_DELAYED_WORK(silk_sockev_detach_work, silk_sockev_linger_end);

static void silk_sockev_state(void *data, const struct sock *sk,
			      const int oldstate, const int newstate)
{
	struct silk_net *sn;
	unsigned int i;

	if (sk->sk_protocol != IPPROTO_TCP)
		return;
	sn = silk_pernet(sock_net(sk));
	for (i = 0; i < silk_sockev_nsubs; i++)
		if (silk_sockev_subs[i]->state)
			silk_sockev_subs[i]->state(sn, (struct sock *)sk,
						   oldstate, newstate);
}

/*
 * The flags of an accept() on @lsk: O_NONBLOCK if it will not wait. They
 * come from the listener's file on every kernel (6.10 moved the argument
 * inet_csk_accept() gets them in into struct proto_accept_arg), so they
 * are read there. A kernel listener has no file and does not count as
 * waiting; io_uring's first try, which does not wait either, counts as
 * waiting until its return (the accepted callback) undoes it.
 */
static int silk_accept_flags(const struct sock *lsk)
{
	const struct socket *sock = READ_ONCE(lsk->sk_socket);
	const struct file *file = sock ? READ_ONCE(sock->file) : NULL;

	return file ? READ_ONCE(file->f_flags) : O_NONBLOCK;
}

static int silk_sockev_accept(struct kretprobe_instance *ri,
			      struct pt_regs *regs)
{
	struct silk_accept *a = (struct silk_accept *)ri->data;
	struct sock *lsk = (struct sock *)regs_get_kernel_argument(regs, 0);
	struct silk_net *sn = silk_pernet(sock_net(lsk));
	bool want = false;
	unsigned int i;

	INIT_LIST_HEAD(&a->node);
	a->lsk = lsk;
	a->task = current;
	a->flags = silk_accept_flags(lsk);
	for (i = 0; i < silk_sockev_nsubs; i++)
		if (silk_sockev_subs[i]->accept)
			want |= silk_sockev_subs[i]->accept(sn, a);
	/* Non-zero: no return probe for this call. */
	return !want;
}

static int silk_sockev_accepted(struct kretprobe_instance *ri,
				struct pt_regs *regs)
{
	struct silk_accept *a = (struct silk_accept *)ri->data;
	struct sock *sk = (struct sock *)regs_return_value(regs);
	struct silk_net *sn = silk_pernet(sock_net(a->lsk));
	unsigned int i;

	for (i = 0; i < silk_sockev_nsubs; i++)
		if (silk_sockev_subs[i]->accepted)
			silk_sockev_subs[i]->accepted(sn, a, sk);
	return 0;
}

static struct kretprobe silk_accept_probe = {
	.kp.symbol_name = "inet_csk_accept",
	.entry_handler = silk_sockev_accept,
	.handler = silk_sockev_accepted,
	.data_size = sizeof(struct silk_accept),
	/* Tasks blocked in accept() at once, each holding an instance. */
	.maxactive = 512,
};

/* Every IPv4 and IPv6 socket released passes here while attached. */
static int silk_sockev_close(struct kprobe *kp, struct pt_regs *regs)
{
	struct socket *sock = (struct socket *)regs_get_kernel_argument(regs, 0);
	struct sock *sk = sock->sk;
	unsigned int i;

	if (!sk)
		return 0;
	for (i = 0; i < silk_sockev_nsubs; i++)
		if (silk_sockev_subs[i]->close)
			silk_sockev_subs[i]->close(sk);
	return 0;
}

static struct kprobe silk_close_probe = {
	.symbol_name = "inet_release",
	.pre_handler = silk_sockev_close,
};

static struct tracepoint *silk_state_tp;

static void silk_sockev_tp_find(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "inet_sock_set_state"))
		silk_state_tp = tp;
}

/* Register subscriber @ops; at load, before anything can attach. */
void silk_sockev_register(const struct silk_sockev_ops *ops)
{
	if (!WARN_ON_ONCE(silk_sockev_nsubs == SILK_SOCKEV_SUBS))
		silk_sockev_subs[silk_sockev_nsubs++] = ops;
}

static void silk_sockev_notify(unsigned int events, bool on)
{
	unsigned int i;

	for (i = 0; i < silk_sockev_nsubs; i++)
		if (silk_sockev_subs[i]->attach)
			silk_sockev_subs[i]->attach(events, on);
}

static int silk_sockev_attach_one(unsigned int ev)
{
	silk_sockev_notify(ev, true);
	switch (ev) {
	case SILK_SOCKEV_STATE:
		if (!silk_state_tp)
			for_each_kernel_tracepoint(silk_sockev_tp_find, NULL);
		if (!silk_state_tp)
			return -ENOENT;
		return tracepoint_probe_register(silk_state_tp,
						 silk_sockev_state, NULL);
	case SILK_SOCKEV_ACCEPT:
		/* Registration fills these in; a second one wants them clear. */
		silk_accept_probe.kp.addr = NULL;
		silk_accept_probe.kp.flags = 0;
		return register_kretprobe(&silk_accept_probe);
	default:
		silk_close_probe.addr = NULL;
		silk_close_probe.flags = 0;
		return register_kprobe(&silk_close_probe);
	}
}

/* Detach every kind in @events; no callback of theirs runs after this. */
static void silk_sockev_detach(unsigned int events)
{
	unsigned int i;

	lockdep_assert_held(&silk_sockev_lock);
	events &= silk_sockev_attached;
	if (!events)
		return;
	silk_sockev_notify(events, false);
	if (events & SILK_SOCKEV_CLOSE)
		unregister_kprobe(&silk_close_probe);
	if (events & SILK_SOCKEV_ACCEPT) {
		unregister_kretprobe(&silk_accept_probe);
		/* Kept across attachments; the probe's own count starts over. */
		silk_sockev_nomem += silk_accept_probe.nmissed;
		silk_accept_probe.nmissed = 0;
	}
	if (events & SILK_SOCKEV_STATE) {
		tracepoint_probe_unregister(silk_state_tp, silk_sockev_state,
					    NULL);
		tracepoint_synchronize_unregister();
	}
	silk_sockev_attached &= ~events;
	for (i = 0; i < silk_sockev_nsubs; i++)
		if (silk_sockev_subs[i]->detached)
			silk_sockev_subs[i]->detached(events);
}

/* Kinds that nobody uses. */
static unsigned int silk_sockev_unused(void)
{
	unsigned int i, events = 0;

	for (i = 0; i < SILK_SOCKEV_KINDS; i++)
		if (!silk_sockev_users[i])
			events |= BIT(i);
	return events;
}

static void silk_sockev_linger_end(struct work_struct *work)
{
	mutex_lock(&silk_sockev_lock);
	silk_sockev_detach(silk_sockev_unused());
	mutex_unlock(&silk_sockev_lock);
}

/**
 * silk_sockev_get - have the events @events attached until the put
 * @events: SILK_SOCKEV_* bits
 * @extack: why not
 *
 * They attach system-wide, so only the host's administrator may, unless
 * the module parameter ns_probes lets namespaces.
 */
int silk_sockev_get(unsigned int events, struct netlink_ext_ack *extack)
{
	unsigned int i, done = 0;
	int err = 0;

	/*
	 * The callbacks run with preemption off and take the stack's
	 * request-queue and listener locks, or allocate: on PREEMPT_RT
	 * those sleep.
	 */
	if (IS_ENABLED(CONFIG_PREEMPT_RT)) {
		NL_SET_ERR_MSG(extack, SILK_PROBES_RT_MSG);
		return -EOPNOTSUPP;
	}
	if (!silk_probes_allowed(extack))
		return -EPERM;
	mutex_lock(&silk_sockev_lock);
	if (silk_sockev_stopped) {
		err = -ESHUTDOWN;
		goto out;
	}
	for (i = 0; i < SILK_SOCKEV_KINDS; i++) {
		if (!(events & BIT(i)))
			continue;
		if (!(silk_sockev_attached & BIT(i))) {
			err = silk_sockev_attach_one(BIT(i));
			if (err) {
				silk_sockev_notify(BIT(i), false);
				break;
			}
			silk_sockev_attached |= BIT(i);
		}
		silk_sockev_users[i]++;
		done |= BIT(i);
	}
	if (err) {
		pr_warn("cannot attach socket events %#x: %d\n", events, err);
		NL_SET_ERR_MSG(extack,
			       "cannot attach to the socket state tracepoint or the accept and close probes");
		for (i = 0; i < SILK_SOCKEV_KINDS; i++)
			if (done & BIT(i))
				silk_sockev_users[i]--;
		if (!delayed_work_pending(&silk_sockev_detach_work))
			silk_sockev_detach(silk_sockev_unused());
	}
out:
	mutex_unlock(&silk_sockev_lock);
	return err;
}

/* Let go of @events, which a silk_sockev_get() attached. */
void silk_sockev_put(unsigned int events)
{
	bool idle = false;
	unsigned int i;

	mutex_lock(&silk_sockev_lock);
	for (i = 0; i < SILK_SOCKEV_KINDS; i++)
		if ((events & BIT(i)) &&
		    !WARN_ON_ONCE(!silk_sockev_users[i]) &&
		    !--silk_sockev_users[i])
			idle = true;
	if (idle && !silk_sockev_stopped)
		mod_delayed_work(system_wq, &silk_sockev_detach_work,
				 SILK_SOCKEV_LINGER);
	mutex_unlock(&silk_sockev_lock);
}

/* accept() calls whose return was not seen (no free instance). */
u64 silk_sockev_accept_missed(void)
{
	return READ_ONCE(silk_sockev_nomem) +
	       READ_ONCE(silk_accept_probe.nmissed);
}

/*
 * Unload, before the namespaces go: their state must not be reached by a
 * callback once it is freed, so everything detaches now; their puts that
 * follow detach nothing.
 */
void silk_sockev_exit(void)
{
	mutex_lock(&silk_sockev_lock);
	silk_sockev_stopped = true;
	mutex_unlock(&silk_sockev_lock);
	cancel_delayed_work_sync(&silk_sockev_detach_work);
	mutex_lock(&silk_sockev_lock);
	silk_sockev_detach(silk_sockev_attached);
	mutex_unlock(&silk_sockev_lock);
}
