/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Socket groups: actuators on the listening ports of unmodified servers.
 */
#ifndef _SILK_GROUP_H
#define _SILK_GROUP_H

#include <linux/list.h>
#include <linux/netfilter.h>
#include <linux/types.h>
#include <linux/workqueue.h>

struct genl_info;
struct netlink_callback;
struct netlink_ext_ack;
struct nlattr;
struct silk_group;
struct silk_net;
struct sk_buff;
struct sock;

struct silk_group_ns {
	struct list_head groups;	/* sn->lock */
	unsigned int n;			/* groups; probes read it */
	struct silk_group __rcu **ports; /* accept groups, by port, while n */
	struct silk_group __rcu **oports; /* output groups, by port */
	/*
	 * Listeners of grouped ports that started, for the work to take, and
	 * held ones that closed, for it to let go (a held listener pins its
	 * namespace).
	 */
	spinlock_t lock;
	struct list_head started;
	struct list_head closed;
	struct work_struct work;
	/* FTP replies of output groups' FTP ports (ftp.c); sn->lock. */
	unsigned int nftp;
	bool ftp_hooked;
	struct nf_hook_ops ftp_ops[2];
};

void silk_group_ns_init(struct silk_group_ns *gn);
void silk_group_ns_exit(struct silk_net *sn);
void silk_group_state(struct silk_net *sn, struct sock *sk, int oldstate,
		      int newstate);
void silk_group_accepted(struct silk_net *sn, const struct sock *lsk);
u64 silk_group_output(struct silk_net *sn, u16 port, u32 *members);
bool silk_group_ftp_port(struct silk_net *sn, u16 port);
void silk_group_ftp_expect(struct silk_net *sn, u16 ctl, u16 data);
int silk_ftp_hooks(struct silk_net *sn, bool on);
int silk_group_init(void);
void silk_group_exit(void);

int silk_nl_group_new(struct sk_buff *skb, struct genl_info *info);
int silk_nl_group_change(struct sk_buff *skb, struct genl_info *info);
int silk_nl_group_del(struct sk_buff *skb, struct genl_info *info);
int silk_nl_group_get(struct sk_buff *skb, struct genl_info *info);
int silk_nl_group_dump(struct sk_buff *skb, struct netlink_callback *cb);

#endif /* _SILK_GROUP_H */
