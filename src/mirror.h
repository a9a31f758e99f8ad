/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Extended paths: tasks and workers run at the Linux priority that
 * mirrors the paths they serve.
 */
#ifndef _SILK_MIRROR_H
#define _SILK_MIRROR_H

#include <linux/atomic.h>
#include <linux/types.h>

struct kthread_work;
struct netlink_ext_ack;
struct sched_attr;
struct silk_path;
struct sock;
struct task_struct;

extern unsigned int silk_mirror_linger_us;
extern unsigned int silk_mirror_max_holds;
extern atomic64_t silk_mirror_applied;
extern atomic64_t silk_mirror_restored;

void silk_mirror_set(struct silk_path *p, bool on);
void silk_mirror_adopt(struct silk_path *p);
void silk_mirror_conn_ready(struct silk_path *c, const struct sock *sk);
void silk_mirror_hold(struct silk_path *p, const struct sock *sk);
void silk_mirror_path_gone(struct silk_path *p);
void silk_mirror_changed(struct silk_path *p);
int silk_mirror_get(struct netlink_ext_ack *extack);
void silk_mirror_put(void);
u32 silk_mirror_tasks(void);
u64 silk_mirror_missed(void);
extern atomic64_t silk_mirror_refused;
void silk_mirror_init(void);
void silk_mirror_exit(void);

#endif /* _SILK_MIRROR_H */
