// SPDX-License-Identifier: GPL-2.0
/*
 * Socket options for QoS-aware applications (include/uapi/linux/silk.h):
 * an application gives its own socket's path a class and parameters, turns
 * mirroring on or off, and reads the path's counters, without netlink and
 * within what its privileges allow.
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/netfilter.h>
#include <linux/sockptr.h>
#include <linux/uaccess.h>
#include <net/inet_sock.h>
#include <net/ipv6.h>
#include <net/sock.h>
#include <net/tcp_states.h>

#include "conn.h"
#include "mirror.h"
#include "netns.h"
#include "path.h"
#include "port.h"
#include "queue.h"
#include "silk.h"
#include "sock.h"
#include "sockopt.h"

int silk_unpriv_max_prio = -1;
unsigned int silk_unpriv_max_weight = SILK_WEIGHT_DEFAULT;

/* The binding "the socket's path" has: protocol, port, bound address. */
static int silk_so_binding(const struct sock *sk, struct silk_binding *b)
{
	memset(b, 0, sizeof(*b));
	if (sk->sk_protocol == IPPROTO_TCP && sk->sk_type == SOCK_STREAM)
		b->proto = IPPROTO_TCP;
	else if (sk->sk_protocol == IPPROTO_UDP && sk->sk_type == SOCK_DGRAM)
		b->proto = IPPROTO_UDP;
	else
		return -EPROTONOSUPPORT;
	b->port = inet_sk(sk)->inet_sport;
	if (!b->port)
		return -ENOTCONN;	/* not bound to a port */
#if IS_ENABLED(CONFIG_IPV6)
	if (sk->sk_family == AF_INET6 &&
	    !ipv6_addr_v4mapped(&sk->sk_v6_rcv_saddr)) {
		if (!ipv6_addr_any(&sk->sk_v6_rcv_saddr)) {
			b->has_laddr = true;
			b->family = AF_INET6;
			b->laddr.in6 = sk->sk_v6_rcv_saddr;
		}
		return 0;
	}
#endif
	if (sk->sk_rcv_saddr) {
		b->has_laddr = true;
		b->family = AF_INET;
		b->laddr.ip = sk->sk_rcv_saddr;
	}
	return 0;
}

/* A TCP connection's own path; under RCU. */
static struct silk_path *silk_so_conn(struct silk_net *sn, struct sock *sk,
				      const struct silk_binding *b)
{
	return b->proto == IPPROTO_TCP ? silk_sock_conn(sn, sk) : NULL;
}

/*
 * The socket's path: its connection's, else the one binding exactly what
 * the socket binds, else (reading only) its port's. Under sn->lock and RCU.
 */
static struct silk_path *silk_so_path(struct silk_net *sn, struct sock *sk,
				      struct silk_binding *b, bool write)
{
	struct silk_path *p = silk_so_conn(sn, sk, b);

	if (!p)
		p = silk_path_find(sn, b);
	if (!p && !write && b->has_laddr) {
		struct silk_binding any = *b;

		any.has_laddr = false;
		any.family = 0;
		memset(&any.laddr, 0, sizeof(any.laddr));
		p = silk_path_find(sn, &any);
	}
	return p;
}

/* Order of what a path gets: EDF, then FP by priority, then WFQ by weight. */
static u32 silk_so_rank(u8 class, u8 prio, u32 weight)
{
	switch (class) {
	case SILK_CLASS_EDF:
		return 3U << 24;
	case SILK_CLASS_FP:
		return 2U << 24 | prio;
	default:
		return 1U << 24 | weight;
	}
}

static int silk_so_check(const struct silk_so_path *sp)
{
	if (sp->flags || sp->id || sp->mirror > 1)
		return -EINVAL;
	switch (sp->sched_class) {
	case SILK_CLASS_FP:
		if (sp->prio > SILK_PRIO_MAX || sp->weight || sp->deadline_us ||
		    sp->runtime_us || sp->period_us)
			return -EINVAL;
		return 0;
	case SILK_CLASS_WFQ:
		if (sp->prio || sp->weight < SILK_WEIGHT_MIN ||
		    sp->weight > SILK_WEIGHT_MAX || sp->deadline_us ||
		    sp->runtime_us || sp->period_us)
			return -EINVAL;
		return 0;
	case SILK_CLASS_EDF:
		if (sp->prio || sp->weight ||
		    sp->deadline_us < SILK_EDF_US_MIN ||
		    sp->deadline_us > SILK_EDF_US_MAX ||
		    sp->runtime_us < SILK_EDF_US_MIN ||
		    sp->runtime_us > sp->deadline_us ||
		    (sp->period_us && (sp->period_us < sp->deadline_us ||
				       sp->period_us > SILK_EDF_US_MAX)))
			return -EINVAL;
		return 0;
	default:
		return -EINVAL;
	}
}

/* The namespace's administrator, who may change any path. */
static bool silk_so_admin(const struct sock *sk)
{
	return ns_capable(sock_net(sk)->user_ns, CAP_NET_ADMIN);
}

/*
 * May the caller give @p (the socket's own path, or NULL for a new one)
 * what @sp asks? Less than it has, or what unpriv_max_* allow.
 */
static bool silk_so_allowed(const struct sock *sk, const struct silk_path *p,
			    const struct silk_so_path *sp)
{
	u32 rank = silk_so_rank(sp->sched_class, sp->prio, sp->weight);

	if (silk_so_admin(sk))
		return true;
	if (p && rank <= silk_so_rank(READ_ONCE(p->class), READ_ONCE(p->prio),
				      READ_ONCE(p->weight)))
		return true;
	if (sp->sched_class == SILK_CLASS_FP)
		return (int)sp->prio <= READ_ONCE(silk_unpriv_max_prio);
	if (sp->sched_class == SILK_CLASS_WFQ)
		return sp->weight <= READ_ONCE(silk_unpriv_max_weight);
	return false;
}

static int silk_so_set_path(struct sock *sk, const struct silk_so_path *sp)
{
	struct silk_net *sn = silk_pernet(sock_net(sk));
	struct silk_path_cfg cfg = {};
	struct silk_path *p;
	int err;

	err = silk_so_check(sp);
	if (err)
		return err;
	err = silk_so_binding(sk, &cfg.b);
	if (err)
		return err;
	cfg.class = sp->sched_class;
	cfg.set_class = true;
	switch (sp->sched_class) {
	case SILK_CLASS_FP:
		cfg.prio = sp->prio;
		cfg.set_prio = true;
		break;
	case SILK_CLASS_WFQ:
		cfg.weight = sp->weight;
		cfg.set_weight = true;
		break;
	default:
		cfg.deadline_us = sp->deadline_us;
		cfg.runtime_us = sp->runtime_us;
		cfg.period_us = sp->period_us ?: sp->deadline_us;
		cfg.set_deadline = true;
		cfg.set_runtime = true;
		cfg.set_period = true;
		break;
	}
	cfg.mirror = sp->mirror;
	cfg.set_mirror = true;
	/* Mirroring needs CAP_SYS_NICE: the caller's own tasks. */
	cfg.mirror_uid = current_euid();
	cfg.mirror_gid = INVALID_GID;

	mutex_lock(&sn->lock);
	rcu_read_lock();
	p = silk_so_conn(sn, sk, &cfg.b);
	if (p) {
		/* Mirroring is the listener's path's to set, for all of them. */
		if (!silk_so_allowed(sk, p, sp)) {
			err = -EPERM;
		} else if (sp->mirror != READ_ONCE(p->mirror)) {
			err = -EOPNOTSUPP;
		} else {
			/* Only class and priority: nothing that sleeps. */
			cfg.set_mirror = false;
			err = silk_path_change(sn, p, &cfg, NULL);
		}
		rcu_read_unlock();
		goto out;
	}
	rcu_read_unlock();
	/* Configured paths live while sn->lock is held. */
	p = silk_path_find(sn, &cfg.b);
	err = -EPERM;
	if (p) {
		/*
		 * An administrator's path, or another socket's: shared, so
		 * only an administrator changes it, even to less.
		 */
		if (p->owner != sk && !silk_so_admin(sk))
			goto out;
		if (!silk_so_allowed(sk, p, sp))
			goto out;
		err = silk_path_change(sn, p, &cfg, NULL);
	} else {
		if (!silk_so_allowed(sk, NULL, sp))
			goto out;
		/* Only an administrator brings silk up in a namespace. */
		if (!sn->active && !silk_so_admin(sk))
			goto out;
		cfg.owner = sk;
		cfg.owner_uid = current_euid();
		p = silk_path_add(sn, &cfg, NULL);
		err = PTR_ERR_OR_ZERO(p);
	}
	/* A UDP task has no accept(): it uses the path from now on. */
	if (!err && sp->mirror && cfg.b.proto == IPPROTO_UDP)
		silk_mirror_hold(p, sk);
out:
	mutex_unlock(&sn->lock);
	return err;
}

static int silk_so_set(struct sock *sk, int optval, sockptr_t arg,
		       unsigned int len)
{
	struct silk_so_path sp;

	if (optval != SILK_SO_PATH)
		return -ENOPROTOOPT;
	if (len != sizeof(sp))
		return -EINVAL;
	if (copy_from_sockptr(&sp, arg, sizeof(sp)))
		return -EFAULT;
	return silk_so_set_path(sk, &sp);
}

static void silk_so_fill_path(const struct silk_path *p,
			      struct silk_so_path *sp)
{
	memset(sp, 0, sizeof(*sp));
	sp->sched_class = READ_ONCE(p->class);
	sp->mirror = READ_ONCE(p->mirror);
	sp->flags = p->parent ? SILK_SO_F_CONN : 0;
	sp->id = p->parent ? p->parent->id : p->id;
	switch (sp->sched_class) {
	case SILK_CLASS_FP:
		sp->prio = READ_ONCE(p->prio);
		break;
	case SILK_CLASS_WFQ:
		sp->weight = READ_ONCE(p->weight);
		break;
	default:
		sp->deadline_us = div_u64(READ_ONCE(p->deadline_ns), NSEC_PER_USEC);
		sp->runtime_us = div_u64(READ_ONCE(p->runtime_ns), NSEC_PER_USEC);
		sp->period_us = div_u64(READ_ONCE(p->period_ns), NSEC_PER_USEC);
		break;
	}
}

static void silk_so_fill_stats(struct silk_path *p, struct silk_so_stats *ss)
{
	struct silk_path_stats st;
	u32 qlen, qbytes;

	silk_path_stats_read(p, &st, &qlen, &qbytes);
	memset(ss, 0, sizeof(*ss));
	ss->delivered_pkts = st.delivered_pkts;
	ss->delivered_bytes = st.delivered_bytes;
	ss->dropped_pkts = st.dropped_pkts;
	ss->dropped_bytes = st.dropped_bytes;
	ss->cpu_ns = st.cpu_ns;
	ss->sojourn_sum_ns = st.sojourn_sum_ns;
	ss->sojourn_max_ns = st.sojourn_max_ns;
	ss->deadline_misses = st.deadline_misses;
	ss->qlen = qlen;
	ss->qbytes = qbytes;
}

/* The sensors of @sk's local TCP port. */
static int silk_so_get_meter(struct sock *sk, void __user *user, int *len)
{
	struct silk_net *sn = silk_pernet(sock_net(sk));
	struct silk_so_meter sm = {};
	struct silk_meter_read r;
	u16 port;
	bool on;

	if (*len < (int)sizeof(sm))
		return -EINVAL;
	if (sk->sk_protocol != IPPROTO_TCP)
		return -EOPNOTSUPP;
	port = READ_ONCE(inet_sk(sk)->inet_num);
	mutex_lock(&sn->lock);
	on = silk_meter_read(sn, port, silk_listen_backlog(sn->net, port), &r);
	mutex_unlock(&sn->lock);
	if (!on)
		return -ENOENT;
	sm.waiting = r.waiting;
	sm.live = r.live;
	sm.accepted = r.accepted;
	sm.delay_sum_ns = r.delay_sum_ns;
	sm.bytes_in = r.bytes_in;
	sm.bytes_out = r.bytes_out;
	sm.rate_accept_milli = r.rate_accept_milli;
	sm.rate_in = r.rate_in;
	sm.rate_out = r.rate_out;
	sm.rate_delay_ns = r.rate_delay_ns;
	if (copy_to_user(user, &sm, sizeof(sm)))
		return -EFAULT;
	*len = sizeof(sm);
	return 0;
}

static int silk_so_get(struct sock *sk, int optval, void __user *user,
		       int *len)
{
	struct silk_net *sn = silk_pernet(sock_net(sk));
	union {
		struct silk_so_path sp;
		struct silk_so_stats ss;
	} u;
	struct silk_binding b;
	struct silk_path *p;
	unsigned int size;
	int err;

	switch (optval) {
	case SILK_SO_PATH:
		size = sizeof(u.sp);
		break;
	case SILK_SO_STATS:
		size = sizeof(u.ss);
		break;
	case SILK_SO_METER:
		return silk_so_get_meter(sk, user, len);
	default:
		return -ENOPROTOOPT;
	}
	/* Signed: IPv6's getsockopt passes a negative length on unchecked. */
	if (*len < (int)size)
		return -EINVAL;
	err = silk_so_binding(sk, &b);
	if (err)
		return err;
	mutex_lock(&sn->lock);
	rcu_read_lock();
	p = silk_so_path(sn, sk, &b, false);
	if (p && optval == SILK_SO_PATH)
		silk_so_fill_path(p, &u.sp);
	else if (p)
		silk_so_fill_stats(p, &u.ss);
	rcu_read_unlock();
	mutex_unlock(&sn->lock);
	if (!p)
		return -ENOENT;
	if (copy_to_user(user, &u, size))
		return -EFAULT;
	*len = size;
	return 0;
}

/* The same options at SOL_IP and SOL_IPV6; IPv4 ones reach AF_INET6 too. */
#define SILK_SOCKOPTS(family) {			\
	.pf = family,				\
	.set_optmin = SILK_SO_BASE,		\
	.set_optmax = __SILK_SO_END,		\
	.set = silk_so_set,			\
	.get_optmin = SILK_SO_BASE,		\
	.get_optmax = __SILK_SO_END,		\
	.get = silk_so_get,			\
	.owner = THIS_MODULE,			\
}

static struct nf_sockopt_ops silk_sockopts[] = {
	SILK_SOCKOPTS(PF_INET),
	SILK_SOCKOPTS(PF_INET6),
};

int silk_sockopt_init(void)
{
	int err;

	err = nf_register_sockopt(&silk_sockopts[0]);
	if (err)
		return err;
	err = nf_register_sockopt(&silk_sockopts[1]);
	if (err)
		nf_unregister_sockopt(&silk_sockopts[0]);
	return err;
}

void silk_sockopt_exit(void)
{
	nf_unregister_sockopt(&silk_sockopts[1]);
	nf_unregister_sockopt(&silk_sockopts[0]);
}
