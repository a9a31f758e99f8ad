/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * silk: early demultiplexing of received packets into scheduled paths.
 *
 * This header is the only definition of what the silk module and its tools
 * share: the generic netlink family, its commands and attributes, and the
 * limits the module enforces.
 *
 * Generic netlink family SILK_GENL_NAME, version SILK_GENL_VERSION. Every
 * command acts on the network namespace of the requesting socket. Commands
 * that change state need CAP_NET_ADMIN in the user namespace that owns that
 * network namespace; reading is open to every user of the namespace. Every
 * rejected request is answered with an errno and an extended ack message.
 *
 * A path is a binding of a transport protocol and a local port (and
 * optionally a local address, a remote prefix and an address family) to a
 * queue with limits, a scheduling priority and a home CPU. Packets that match
 * a path are queued early in PRE_ROUTING and processed by a per-CPU worker.
 * When several paths bind the same protocol and port, the most specific one
 * wins: a local address beats none, then the longer remote prefix, then a
 * family restriction.
 *
 * Commands and their attributes ("req." = required, "opt." = optional):
 *
 * SILK_CMD_PATH_ADD (admin): create a path. Reply: the path, as PATH_GET.
 *	SILK_A_PATH_PROTO	u8	req.	IPPROTO_TCP or IPPROTO_UDP
 *	SILK_A_PATH_PORT	u16	req.	local port, 1..65535 (host order)
 *	SILK_A_PATH_FAMILY	u8	opt.	AF_INET or AF_INET6; default: both,
 *						or the family of the addresses
 *	SILK_A_PATH_LADDR4	4 bytes	opt.	local IPv4 address
 *	SILK_A_PATH_LADDR6	16 bytes opt.	local IPv6 address
 *	SILK_A_PATH_RADDR4	4 bytes	opt.	remote IPv4 prefix (with RPLEN)
 *	SILK_A_PATH_RADDR6	16 bytes opt.	remote IPv6 prefix (with RPLEN)
 *	SILK_A_PATH_RPLEN	u8	opt.	remote prefix length; default: full
 *	SILK_A_PATH_PRIO	u8	opt.	0..SILK_PRIO_MAX, higher runs first
 *	SILK_A_PATH_LIMIT_PKTS	u32	opt.	queue limit in packets
 *	SILK_A_PATH_LIMIT_BYTES	u32	opt.	queue limit in bytes (skb truesize)
 *	SILK_A_PATH_CPU		u32	opt.	home CPU; default: hash of binding
 *	SILK_A_PATH_NAME	string	opt.	label, < SILK_NAME_MAX bytes
 *
 * SILK_CMD_PATH_CHANGE (admin): change PRIO, LIMIT_*, CPU or NAME of one
 *	path, named by SILK_A_PATH_ID or by its binding (PROTO, PORT, FAMILY,
 *	LADDR*, RADDR* and RPLEN exactly as given when it was added).
 *	Reply: the path, as PATH_GET.
 *
 * SILK_CMD_PATH_DEL (admin): delete one path, named as for PATH_CHANGE.
 *	Packets already queued on it are still delivered.
 *
 * SILK_CMD_PATH_GET: one path, named as for PATH_CHANGE; with NLM_F_DUMP
 *	every path of the namespace, optionally only those matching
 *	SILK_A_PATH_PROTO and/or SILK_A_PATH_PORT. Each path is one message:
 *	SILK_A_PATH_ID u32 and every attribute of PATH_ADD that applies, plus
 *	SILK_A_PATH_STATS, a nest of SILK_STATS_* (all u64).
 *
 * SILK_CMD_STATS_GET: totals of the namespace and of the module, as
 *	SILK_A_NS_* attributes.
 */
#ifndef _UAPI_LINUX_SILK_H
#define _UAPI_LINUX_SILK_H

#include <linux/types.h>

#define SILK_GENL_NAME		"silk"
#define SILK_GENL_VERSION	1

/* Limits and defaults enforced by the module. */
#define SILK_PRIO_MAX			63
#define SILK_PRIO_DEFAULT		0
#define SILK_LIMIT_PKTS_MIN		1
#define SILK_LIMIT_PKTS_MAX		(1U << 20)
#define SILK_LIMIT_PKTS_DEFAULT		1000
#define SILK_LIMIT_BYTES_MIN		4096U
#define SILK_LIMIT_BYTES_MAX		(1U << 30)
#define SILK_LIMIT_BYTES_DEFAULT	(4U << 20)
#define SILK_NAME_MAX			32

enum silk_cmd {
	SILK_CMD_UNSPEC,
	SILK_CMD_PATH_ADD,
	SILK_CMD_PATH_CHANGE,
	SILK_CMD_PATH_DEL,
	SILK_CMD_PATH_GET,
	SILK_CMD_STATS_GET,

	__SILK_CMD_MAX,
	SILK_CMD_MAX = __SILK_CMD_MAX - 1
};

enum silk_attr {
	SILK_A_UNSPEC,
	SILK_A_PAD,
	SILK_A_PATH_ID,		/* u32 */
	SILK_A_PATH_PROTO,	/* u8 */
	SILK_A_PATH_PORT,	/* u16 */
	SILK_A_PATH_FAMILY,	/* u8 */
	SILK_A_PATH_LADDR4,	/* 4 bytes, network order */
	SILK_A_PATH_LADDR6,	/* 16 bytes */
	SILK_A_PATH_RADDR4,	/* 4 bytes, network order */
	SILK_A_PATH_RADDR6,	/* 16 bytes */
	SILK_A_PATH_RPLEN,	/* u8 */
	SILK_A_PATH_PRIO,	/* u8 */
	SILK_A_PATH_LIMIT_PKTS,	/* u32 */
	SILK_A_PATH_LIMIT_BYTES, /* u32 */
	SILK_A_PATH_CPU,	/* u32 */
	SILK_A_PATH_NAME,	/* NUL-terminated string */
	SILK_A_PATH_STATS,	/* nest of SILK_STATS_*, replies only */

	SILK_A_NS_PATHS,	/* u32: paths in this namespace */
	SILK_A_NS_QUEUED_BYTES,	/* u64: bytes queued in this namespace */
	SILK_A_NS_CAP_DROPS,	/* u64: drops here because of the global cap */
	SILK_A_NS_BYPASS,	/* u64: matched packets passed unqueued */
	SILK_A_GLOBAL_QUEUED_BYTES, /* u64: bytes queued, all namespaces */
	SILK_A_GLOBAL_CAP_BYTES, /* u64: module parameter max_queued_bytes */
	SILK_A_GLOBAL_QUEUED_PEAK, /* u64: highest QUEUED_BYTES since load */

	__SILK_A_MAX,
	SILK_A_MAX = __SILK_A_MAX - 1
};

enum silk_stats_attr {
	SILK_STATS_UNSPEC,
	SILK_STATS_PAD,
	SILK_STATS_DELIVERED_PKTS,	/* processed and handed to the stack */
	SILK_STATS_DELIVERED_BYTES,	/* their IP length */
	SILK_STATS_DROPPED_PKTS,	/* dropped early: queue or cap full */
	SILK_STATS_DROPPED_BYTES,
	SILK_STATS_CPU_NS,		/* worker CPU time spent on the path */
	SILK_STATS_QLEN,		/* packets queued now */
	SILK_STATS_QBYTES,		/* bytes (truesize) queued now */
	SILK_STATS_QLEN_PEAK,		/* highest QLEN seen */
	SILK_STATS_QBYTES_PEAK,		/* highest QBYTES seen */
	SILK_STATS_BYPASS_PKTS,		/* matched, passed unqueued */
	SILK_STATS_DEVGONE_PKTS,	/* dropped: input device unregistered */

	__SILK_STATS_MAX,
	SILK_STATS_MAX = __SILK_STATS_MAX - 1
};

#endif /* _UAPI_LINUX_SILK_H */
