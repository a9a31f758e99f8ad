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
 * queue with limits, a scheduling class and a home CPU. Packets that match
 * a path are queued early in PRE_ROUTING and processed by a per-CPU worker.
 * When several paths bind the same protocol and port, the most specific one
 * wins: a local address beats none, then a DSCP value, then the longer
 * remote prefix, then a family restriction.
 *
 * Commands and their attributes ("req." = required, "opt." = optional):
 *
 * SILK_CMD_PATH_ADD (admin): create a path. Reply: the path, as PATH_GET.
 *	SILK_A_PATH_PROTO	u8	req.	IPPROTO_TCP or IPPROTO_UDP
 *	SILK_A_PATH_PORT	u16	req.	local port, 1..65535 (host order),
 *						except for a DEFAULT path
 *	SILK_A_PATH_FAMILY	u8	opt.	AF_INET or AF_INET6; default: both,
 *						or the family of the addresses
 *	SILK_A_PATH_LADDR4	4 bytes	opt.	local IPv4 address
 *	SILK_A_PATH_LADDR6	16 bytes opt.	local IPv6 address
 *	SILK_A_PATH_RADDR4	4 bytes	opt.	remote IPv4 prefix (with RPLEN)
 *	SILK_A_PATH_RADDR6	16 bytes opt.	remote IPv6 prefix (with RPLEN)
 *	SILK_A_PATH_RPLEN	u8	opt.	remote prefix length; default: full
 *	SILK_A_PATH_CLASS	u8	opt.	enum silk_class; default FP
 *	SILK_A_PATH_PRIO	u8	opt.	FP: 0..SILK_PRIO_MAX, higher first
 *	SILK_A_PATH_DEADLINE_US	u32	EDF	relative deadline of each packet
 *	SILK_A_PATH_RUNTIME_US	u32	EDF	CPU budget per period
 *	SILK_A_PATH_PERIOD_US	u32	opt.	EDF: budget period; default: the
 *						deadline. runtime <= deadline <=
 *						period, as for SCHED_DEADLINE.
 *	SILK_A_PATH_WEIGHT	u32	opt.	WFQ: share of CPU time, default 1
 *	SILK_A_PATH_LIMIT_PKTS	u32	opt.	queue limit in packets
 *	SILK_A_PATH_LIMIT_BYTES	u32	opt.	queue limit in bytes (skb truesize)
 *	SILK_A_PATH_CPU		u32	opt.	home CPU; default: hash of binding
 *	SILK_A_PATH_NAME	string	opt.	label, < SILK_NAME_MAX bytes
 *	SILK_A_PATH_DSCP	u8	opt.	match this DSCP (0..63) only
 *	SILK_A_PATH_LAZY	u8	opt.	1: lazy receiver processing
 *	SILK_A_PATH_CONNS	u8	opt.	TCP, 1: a path per connection
 *	SILK_A_PATH_MIRROR	u8	opt.	1: tasks using the path run at its
 *						priority (needs CAP_SYS_NICE)
 *	SILK_A_PATH_DEFAULT	flag	opt.	the default path of PROTO for
 *						takeover: PROTO is TCP, UDP,
 *						ICMP (ICMP and ICMPv6) or 0
 *						(every other protocol); no
 *						PORT, FAMILY or addresses
 *
 * SILK_CMD_PATH_CHANGE (admin): change CLASS and its parameters, PRIO,
 *	LIMIT_*, CPU, LAZY or NAME of one path (a class parameter must belong to
 *	the class the path has after the change), named by SILK_A_PATH_ID
 *	or by its binding (PROTO, PORT, FAMILY,
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
 *	SILK_A_NS_* and SILK_A_GLOBAL_* attributes.
 *
 * SILK_CMD_NS_SET (admin): namespace settings; at least one of
 *	SILK_A_NS_PLACEMENT	u8	opt.	enum silk_placement
 *	SILK_A_NS_METER		u8	opt.	0 or 1: netmeter sensors off/on
 *	SILK_A_NS_METER_INTERVAL_MS u32	opt.	the sensors' rate interval,
 *						SILK_METER_INTERVAL_MIN_MS..
 *						SILK_METER_INTERVAL_MAX_MS
 *
 * netmeter sensors, per listening TCP port of the namespace: connections
 * waiting to be accepted (in the kernel's accept queues, or held by silk),
 * and, counted from when the sensors were turned on, the connections
 * accepted, the sum of their waits from the end of the handshake to
 * accept(), the bytes received and sent (acknowledged) by the connections
 * accepted from the port, closed and live, and the rates of each over the
 * last interval. A connection counts on the port of the listener it was
 * accepted from.
 *
 * Socket groups (actuators): a named set of listening TCP ports.
 *  - RATE: at most RATE/1000 connections per second are accepted from all
 *    the group's ports together; the others wait, established, in the
 *    kernel (up to the listener's backlog) and count as waiting.
 *  - RATIO: while several of the group's ports have connections waiting,
 *    their accepts follow the ports' WEIGHTs; a port with nothing waiting
 *    takes nothing from the others.
 *  - OUTPUT: the connections accepted from the group's ports send at most
 *    RATE bytes per second together, shared fairly among them and
 *    work-conserving inside the group (each connection's own pacing rate,
 *    reassigned every 100 ms). Turns the sensors on.
 * A port is in at most one RATE or RATIO group and one OUTPUT group. A RATE
 * or RATIO group takes hold of the listeners of its ports, those there now
 * and those that start later.
 *
 * SILK_CMD_GROUP_NEW (admin): a group.
 *	SILK_A_GROUP_NAME	string	req.	1..SILK_NAME_MAX-1 bytes
 *	SILK_A_GROUP_TYPE	u8	req.	enum silk_group_type
 *	SILK_A_GROUP_RATE	u64	RATE	accepts/s x 1000, 1..
 *						SILK_GROUP_RATE_MAX
 *					OUTPUT	bytes/s, SILK_GROUP_OUTPUT_MIN..
 *	SILK_A_GROUP_PORTS	nest	req.	1..SILK_GROUP_PORTS_MAX nests
 *						SILK_A_GROUP_PORT of
 *		SILK_A_GPORT_PORT	u16	req.	1..65535
 *		SILK_A_GPORT_WEIGHT	u32	RATIO	1..SILK_WEIGHT_MAX
 *		SILK_A_GPORT_FTP	flag	OUTPUT	the port serves FTP: the
 *			data ports its PASV and EPSV replies announce join the
 *			group (up to SILK_GROUP_DYN_MAX at once) until the data
 *			connections on them have closed, or for
 *			SILK_GROUP_FTP_EXPIRE_S if none comes
 * SILK_CMD_GROUP_CHANGE (admin): NAME, and a new RATE or new weights
 *	(SILK_A_GROUP_PORTS naming each port to change); in effect at once.
 * SILK_CMD_GROUP_DEL (admin): NAME; what it holds becomes acceptable.
 * SILK_CMD_GROUP_GET: NAME; dump: every group. Replies add
 *	SILK_A_GROUP_HELD (u32, now), SILK_A_GROUP_ACCEPTED and
 *	SILK_A_GROUP_HIDDEN (u64: connections that had to wait), for OUTPUT
 *	SILK_A_GROUP_MEMBERS (u32: connections sharing the rate now), for the group
 *	and, inside each port's nest, SILK_A_GPORT_HELD and
 *	SILK_A_GPORT_ACCEPTED.
 *
 * SILK_CMD_METER_GET: the port SILK_A_METER_PORT; dump: every port that
 *	something listens on or that has counted something. Each message:
 *	SILK_A_METER_PORT, SILK_A_METER_WAITING and, with the sensors on,
 *	the other SILK_A_METER_* attributes.
 *
 * SILK_CMD_CONN_GET (dump only): every connection path, optionally only
 *	those of listen path SILK_A_PATH_ID. Each is one message: the listen
 *	path's SILK_A_PATH_ID, SILK_A_CONN_{R,L}ADDR{4,6}, SILK_A_CONN_RPORT,
 *	SILK_A_CONN_LPORT, the class attributes, SILK_A_PATH_CPU and
 *	SILK_A_PATH_STATS.
 *
 * tcpchains: connection forwarding for servers that run one instance per
 * class on its own port. A rule binds an incoming TCP port to a default
 * outgoing port; its conditions, in the order added, each name an outgoing
 * port and the first satisfied one wins. The client keeps talking to the
 * incoming port; the server instance accepts on its own listener.
 *  - ADDR and PROB rules are decided at the SYN, which goes straight to the
 *    listener of the outgoing port. PROB picks by a hash of the connection's
 *    addresses and ports, so a retransmitted SYN or a SYN cookie's ACK takes
 *    the same way; a condition's WEIGHT is its share out of
 *    SILK_CHAIN_WEIGHT_TOTAL, the default port gets what the conditions
 *    leave.
 *  - CONTENT rules own their incoming port with a kernel listener, wait at
 *    most TIMEOUT_MS for the client's first data, look for each condition's
 *    STRING in what has arrived (at most MAX_BYTES bytes), then hand the
 *    established connection to the outgoing port's listener (of the same
 *    address family). No match, or no data in time: the default port.
 * An outgoing port may be another rule's incoming port (a chain); a change
 * that would make a loop is rejected. A target that does not listen falls
 * back to the rule's default port, else the connection is reset.
 *
 * SILK_CMD_CHAIN_NEW (admin): a rule. With SILK_A_CHAIN_REPLACE an
 *	existing rule of the same type on PORT gets the new OUT and options,
 *	keeping its conditions.
 *	SILK_A_CHAIN_TYPE	u8	req.	enum silk_chain_type
 *	SILK_A_CHAIN_PORT	u16	req.	incoming port
 *	SILK_A_CHAIN_OUT	u16	req.	default outgoing port
 *	SILK_A_CHAIN_MAX_BYTES	u32	opt.	CONTENT only
 *	SILK_A_CHAIN_TIMEOUT_MS	u32	opt.	CONTENT only
 *	SILK_A_CHAIN_ALGO	u8	opt.	CONTENT only; default BM
 * SILK_CMD_COND_NEW (admin): append a condition to the rule on PORT.
 *	SILK_A_CHAIN_TYPE	u8	req.	must be the rule's type
 *	SILK_A_CHAIN_PORT	u16	req.
 *	SILK_A_CHAIN_OUT	u16	req.	outgoing port if satisfied
 *	SILK_A_COND_ADDR4/6 + SILK_A_COND_PLEN (default: full)	ADDR
 *	SILK_A_COND_STRING	1..SILK_CHAIN_STRING_MAX bytes	CONTENT
 *	SILK_A_COND_WEIGHT	u16	PROB; the weights of a rule add up to at
 *					most SILK_CHAIN_WEIGHT_TOTAL. A PROB
 *					condition for an OUT that the rule has
 *					already changes that condition's weight.
 * SILK_CMD_CHAIN_DEL (admin): the rule on SILK_A_CHAIN_PORT, or only its
 *	condition SILK_A_COND_INDEX.
 * SILK_CMD_CHAIN_FLUSH (admin): every rule of the namespace.
 * SILK_CMD_CHAIN_GET: the rule on SILK_A_CHAIN_PORT; dump: every rule, by
 *	port. Each: TYPE, PORT, OUT, HITS, the CONTENT options and counters
 *	(TIMEOUTS, RESETS, HANDED, PENDING), and one SILK_A_CHAIN_COND nest per
 *	condition (COND_INDEX, CHAIN_OUT, the condition, COND_HITS).
 * SILK_CMD_CHAIN_BATCH (admin): SILK_A_CHAIN_OPS, a nest of up to
 *	SILK_CHAIN_OPS_MAX SILK_A_CHAIN_OP nests, each a SILK_A_CHAIN_CMD (one
 *	of the admin commands above) with that command's attributes. All are
 *	applied in one
 *	transaction, or none; the extack offset points at the SILK_A_CHAIN_OP
 *	that failed.
 *
 * Scheduling. Each CPU's worker serves its ready paths class by class:
 * every EDF path before any FP path, every FP path before any WFQ path.
 *  - EDF: earliest absolute deadline first. A path's deadline is set when
 *    it becomes ready (now + DEADLINE). Its CPU time is charged to a budget
 *    of RUNTIME per PERIOD (a constant bandwidth server): a path that has
 *    used up its budget waits, throttled, for the next replenishment, so no
 *    EDF path takes more than RUNTIME/PERIOD of a worker. A packet handed
 *    to the stack later than DEADLINE after it was queued is a deadline
 *    miss.
 *  - FP: strict priority, round robin among equal priorities.
 *  - WFQ: start-time fair queueing on virtual time, charged with the CPU
 *    time each path actually used, so backlogged paths get CPU time in
 *    proportion to their weights.
 *
 * Lazy receiver processing (LAZY): a lazy path's packets are processed only
 * while their socket can take them: a UDP socket's receive memory is below
 * its buffer size; a TCP listener's accept and SYN queues have room (SYNs
 * only). Otherwise they wait, and a full queue drops further packets before
 * any protocol work. A waiting path looks at its socket again every 1 ms.
 *
 * Connection paths (CONNS): a TCP path with CONNS is a listen path; each
 * connection established through it gets its own path (same class and
 * limits as the most specific path binding the connection, so more
 * specific paths of the port, by remote prefix or DSCP, are the
 * classification rules), placed on a CPU by the namespace's placement
 * policy, and removed when the connection closes.
 *
 * Extended paths (MIRROR): a task that uses a mirrored path runs, while
 * it does, under the Linux scheduling class that matches the path's:
 * FP priority p as SCHED_FIFO min(mirror_rt_base + p, mirror_rt_ceiling);
 * EDF as SCHED_DEADLINE with the path's runtime, deadline and period
 * (SCHED_FIFO mirror_rt_ceiling if admission control refuses); WFQ weight w
 * as the CFS nice value whose load weight is w times nice 0's (nice
 * -round(log1.25(w)), at most -20). A task uses a path while it is blocked
 * in accept() on a listener the path binds, and from accept() returning a
 * connection the path binds until it closes that socket or the connection
 * or path goes away; with several, the highest wins, and never lower than
 * its own attributes, which it gets back exactly when it uses none. A
 * connection of a mirrored path is accepted before the connections queued
 * ahead of it, and the tasks blocked in accept() on its port run at its
 * priority until one of them has accepted it.
 *
 * Levels: a worker runs at the mapping above of the highest path it runs
 * or has ready (EDF as SCHED_FIFO mirror_rt_ceiling, since workers are
 * bound to one CPU), so FP and EDF paths run above every ordinary task and
 * WFQ paths among them; once no path has used its level for 100 ms it runs
 * SCHED_BATCH nice 0. Workers of namespaces of other user namespaces,
 * and all with module parameter levels=0, follow only mirrored paths.
 *
 * Direct processing: a packet whose path has nothing queued, on a worker
 * with nothing ready, is processed at once in the hook's context and
 * charged to its path (module parameter direct).
 *
 * Takeover: once a namespace has a default path for a protocol, every
 * packet of that protocol that no other path binds goes through the
 * default path instead of being processed at softirq time, except on
 * loopback devices.
 *
 * Whatever the classes and levels, a worker that has used more than (100 -
 * linux_share)% of its CPU in the current 10 ms window while other tasks
 * are runnable on that CPU steps aside until the window ends (module
 * parameter linux_share, percent).
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
#define SILK_WEIGHT_MIN			1
#define SILK_WEIGHT_MAX			10000
#define SILK_WEIGHT_DEFAULT		1
#define SILK_EDF_US_MIN			1
#define SILK_EDF_US_MAX			10000000	/* 10 s */

/* Scheduling classes; a worker serves EDF, then FP, then WFQ. */
enum silk_class {
	SILK_CLASS_FP,		/* fixed priority */
	SILK_CLASS_EDF,		/* earliest deadline first, budgeted */
	SILK_CLASS_WFQ,		/* weighted fair share of CPU time */

	__SILK_CLASS_MAX,
	SILK_CLASS_MAX = __SILK_CLASS_MAX - 1
};

/* Where connection paths run (SILK_A_NS_PLACEMENT). */
enum silk_placement {
	SILK_PLACE_HASH,	/* hash of the connection's addresses and ports */
	SILK_PLACE_SRC,		/* source address modulo the online CPUs */
	SILK_PLACE_OWNER,	/* RFS: where the socket's reader last ran */
	SILK_PLACE_RR,		/* each new connection on the next CPU */

	__SILK_PLACE_MAX,
	SILK_PLACE_MAX = __SILK_PLACE_MAX - 1
};

#define SILK_DSCP_MAX			63

/* tcpchains rule types, the paper's -A a / c / d. */
enum silk_chain_type {
	SILK_CHAIN_ADDR,	/* by source prefix, decided at the SYN */
	SILK_CHAIN_CONTENT,	/* by a string in the first data */
	SILK_CHAIN_PROB,	/* by weight, decided at the SYN */

	__SILK_CHAIN_TYPE_MAX,
	SILK_CHAIN_TYPE_MAX = __SILK_CHAIN_TYPE_MAX - 1
};

/* Content rules: the textsearch algorithm. */
enum silk_chain_algo {
	SILK_CHAIN_ALGO_KMP,	/* Knuth-Morris-Pratt, "kmp" */
	SILK_CHAIN_ALGO_BM,	/* Boyer-Moore, "bm" */

	__SILK_CHAIN_ALGO_MAX,
	SILK_CHAIN_ALGO_MAX = __SILK_CHAIN_ALGO_MAX - 1
};

#define SILK_CHAIN_WEIGHT_TOTAL		10000
#define SILK_CHAIN_STRING_MAX		255
#define SILK_CHAIN_CONDS_MAX		256
#define SILK_CHAIN_RULES_MAX		1024
#define SILK_CHAIN_MAX_BYTES_MIN	16
#define SILK_CHAIN_MAX_BYTES_MAX	16384
#define SILK_CHAIN_MAX_BYTES_DEFAULT	1024
#define SILK_CHAIN_TIMEOUT_MS_MIN	1
#define SILK_CHAIN_TIMEOUT_MS_MAX	60000
#define SILK_CHAIN_TIMEOUT_MS_DEFAULT	1000
#define SILK_CHAIN_OPS_MAX		4096

#define SILK_GROUP_PORTS_MAX		64
#define SILK_GROUP_RATE_MAX		(1000000ULL * 1000)
#define SILK_GROUP_OUTPUT_MIN		1024
#define SILK_GROUP_DYN_MAX		256
#define SILK_GROUP_FTP_EXPIRE_S		120

#define SILK_METER_INTERVAL_MIN_MS	100
#define SILK_METER_INTERVAL_MAX_MS	60000

enum silk_group_type {
	SILK_GROUP_RATE,
	SILK_GROUP_RATIO,
	SILK_GROUP_OUTPUT,

	__SILK_GROUP_TYPE_MAX,
	SILK_GROUP_TYPE_MAX = __SILK_GROUP_TYPE_MAX - 1
};

/*
 * Socket options for QoS-aware applications, on their own TCP and UDP
 * sockets of either family: level SOL_IP (SOL_IPV6 works too on AF_INET6
 * sockets). "The socket's path" is the connection path of a TCP connection
 * that has one; otherwise the path that binds exactly the socket's protocol
 * and local port (and local address, if the socket is bound to one), which
 * SILK_SO_PATH creates if there is none.
 *
 * SILK_SO_PATH (set, get): struct silk_so_path. A path a set creates
 *	belongs to the socket and goes with it (module parameters
 *	max_sock_paths, max_sock_paths_per_user: ENOSPC, EDQUOT; 8 a port).
 *	Without CAP_NET_ADMIN in the namespace's user namespace a set may
 *	change only the socket's own path, create one only where the
 *	namespace has paths already, and ask no more than the path's current
 *	class or the unprivileged ceiling (module parameters unpriv_max_prio
 *	and unpriv_max_weight); classes rank EDF, then FP by priority, then
 *	WFQ by weight. Turning mirroring on needs CAP_SYS_NICE, as
 *	sched_setattr() does for realtime policies.
 *	Get fails with ENOENT if the socket has no path.
 * SILK_SO_STATS (get): struct silk_so_stats of the socket's path.
 * SILK_SO_METER (get): struct silk_so_meter, the netmeter sensors of the
 *	socket's local TCP port (see SILK_CMD_METER_GET). ENOENT: the
 *	namespace's sensors are off.
 *
 * Lengths must be exactly the size of the struct; reserved fields zero.
 */
#define SILK_SO_BASE			0x5349
enum {
	SILK_SO_PATH = SILK_SO_BASE,
	SILK_SO_STATS,
	SILK_SO_METER,

	__SILK_SO_END			/* one past the last option */
};

struct silk_so_path {
	__u8	sched_class;	/* enum silk_class */
	__u8	prio;		/* FP: 0..SILK_PRIO_MAX */
	__u8	mirror;		/* 0 or 1 */
	__u8	flags;		/* get: SILK_SO_F_*; set: 0 */
	__u32	weight;		/* WFQ */
	__u32	deadline_us;	/* EDF */
	__u32	runtime_us;	/* EDF */
	__u32	period_us;	/* EDF; 0: the deadline */
	__u32	id;		/* get: the path's id; set: 0 */
};

#define SILK_SO_F_CONN		0x1	/* a connection path */

struct silk_so_stats {
	__u64	delivered_pkts;
	__u64	delivered_bytes;
	__u64	dropped_pkts;
	__u64	dropped_bytes;
	__u64	cpu_ns;
	__u64	sojourn_sum_ns;
	__u64	sojourn_max_ns;
	__u64	deadline_misses;
	__u32	qlen;
	__u32	qbytes;
};

struct silk_so_meter {
	__u32	waiting;	/* established, not yet accepted */
	__u32	live;		/* accepted and still open */
	__u64	accepted;
	__u64	delay_sum_ns;	/* handshake to accept(), summed */
	__u64	bytes_in;	/* received by the accepted connections */
	__u64	bytes_out;	/* sent and acknowledged */
	__u64	rate_accept_milli; /* accepts per second x 1000, last interval */
	__u64	rate_in;	/* bytes per second, last interval */
	__u64	rate_out;
	__u64	rate_delay_ns;	/* mean wait of the last interval's accepts */
};

enum silk_cmd {
	SILK_CMD_UNSPEC,
	SILK_CMD_PATH_ADD,
	SILK_CMD_PATH_CHANGE,
	SILK_CMD_PATH_DEL,
	SILK_CMD_PATH_GET,
	SILK_CMD_STATS_GET,
	SILK_CMD_NS_SET,
	SILK_CMD_CONN_GET,
	SILK_CMD_CHAIN_NEW,
	SILK_CMD_CHAIN_DEL,
	SILK_CMD_COND_NEW,
	SILK_CMD_CHAIN_FLUSH,
	SILK_CMD_CHAIN_GET,
	SILK_CMD_CHAIN_BATCH,
	SILK_CMD_METER_GET,
	SILK_CMD_GROUP_NEW,
	SILK_CMD_GROUP_CHANGE,
	SILK_CMD_GROUP_DEL,
	SILK_CMD_GROUP_GET,

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
	SILK_A_GLOBAL_QUEUED_PEAK, /* u64: highest QUEUED_BYTES since load or
				    * since max_queued_bytes was last set
				    */
	SILK_A_PATH_CLASS,	/* u8: enum silk_class */
	SILK_A_PATH_DEADLINE_US, /* u32 */
	SILK_A_PATH_RUNTIME_US,	/* u32 */
	SILK_A_PATH_PERIOD_US,	/* u32 */
	SILK_A_PATH_WEIGHT,	/* u32 */
	SILK_A_NS_SHARE_YIELDS,	/* u64: times a worker stepped aside (share, rest) */
	SILK_A_PATH_LAZY,	/* u8: 0 or 1 */
	SILK_A_PATH_DEFAULT,	/* flag */
	SILK_A_PATH_DSCP,	/* u8: 0..SILK_DSCP_MAX */
	SILK_A_PATH_CONNS,	/* u8: 0 or 1 */
	SILK_A_PATH_NCONNS,	/* u32: connection paths now, replies only */
	SILK_A_NS_PLACEMENT,	/* u8: enum silk_placement */
	SILK_A_NS_CONNS,	/* u32: connection paths now */
	SILK_A_NS_CONNS_OPENED,	/* u64 */
	SILK_A_NS_CONNS_CLOSED,	/* u64 */
	SILK_A_NS_CONN_OVERFLOWS, /* u64: connections left on the listen path */
	SILK_A_CONN_RADDR4,	/* 4 bytes */
	SILK_A_CONN_RADDR6,	/* 16 bytes */
	SILK_A_CONN_LADDR4,	/* 4 bytes */
	SILK_A_CONN_LADDR6,	/* 16 bytes */
	SILK_A_CONN_RPORT,	/* u16, host order */
	SILK_A_CONN_LPORT,	/* u16, host order */
	SILK_A_PATH_MIRROR,	/* u8: 0 or 1 */
	SILK_A_GLOBAL_MIRROR_TASKS,	/* u32: tasks silk has changed now */
	SILK_A_GLOBAL_MIRROR_APPLIED,	/* u64: attribute changes made */
	SILK_A_GLOBAL_MIRROR_RESTORED,	/* u64: tasks given their own back */
	SILK_A_GLOBAL_MIRROR_DL_FALLBACKS, /* u64: SCHED_DEADLINE refused,
					    * SCHED_FIFO used instead
					    */
	SILK_A_GLOBAL_MIRROR_MISSED,	/* u64: accepts not seen (probe
					 * instances or memory ran out)
					 */
	SILK_A_CHAIN_TYPE,	/* u8: enum silk_chain_type */
	SILK_A_CHAIN_PORT,	/* u16: incoming port, host order */
	SILK_A_CHAIN_OUT,	/* u16: outgoing port, host order */
	SILK_A_CHAIN_MAX_BYTES,	/* u32: content: bytes looked at */
	SILK_A_CHAIN_TIMEOUT_MS, /* u32: content: wait for data */
	SILK_A_CHAIN_ALGO,	/* u8: enum silk_chain_algo */
	SILK_A_CHAIN_COND,	/* nest: one condition, replies only */
	SILK_A_CHAIN_HITS,	/* u64: connections sent to the default */
	SILK_A_CHAIN_TIMEOUTS,	/* u64: content: no data within the timeout */
	SILK_A_CHAIN_RESETS,	/* u64: content: no listener, reset */
	SILK_A_CHAIN_PENDING,	/* u32: content: connections silk holds now */
	SILK_A_COND_INDEX,	/* u32: 1 = the first condition */
	SILK_A_COND_ADDR4,	/* 4 bytes: source prefix */
	SILK_A_COND_ADDR6,	/* 16 bytes: source prefix */
	SILK_A_COND_PLEN,	/* u8: its length */
	SILK_A_COND_STRING,	/* binary: content pattern */
	SILK_A_COND_WEIGHT,	/* u16: probabilistic, out of
				 * SILK_CHAIN_WEIGHT_TOTAL
				 */
	SILK_A_COND_HITS,	/* u64: connections sent by the condition */
	SILK_A_CHAIN_OPS,	/* nest of SILK_A_CHAIN_OP nests */
	SILK_A_CHAIN_OP,	/* nest: one command (SILK_A_CHAIN_CMD) and
				 * its attributes
				 */
	SILK_A_CHAIN_CMD,	/* u8: enum silk_cmd, inside SILK_A_CHAIN_OP */
	SILK_A_CHAIN_HANDED,	/* u64: content: connections handed over */
	SILK_A_CHAIN_REPLACE,	/* flag: CHAIN_NEW replaces the port's rule */
	SILK_A_NS_METER,	/* u8: 0 or 1 */
	SILK_A_NS_METER_INTERVAL_MS, /* u32 */
	SILK_A_NS_METER_MISSED,	/* u64: connections not metered (memory) */
	SILK_A_METER_PORT,	/* u16, host order */
	SILK_A_METER_WAITING,	/* u32 */
	SILK_A_METER_LIVE,	/* u32 */
	SILK_A_METER_ACCEPTED,	/* u64 */
	SILK_A_METER_DELAY_SUM_NS, /* u64 */
	SILK_A_METER_BYTES_IN,	/* u64 */
	SILK_A_METER_BYTES_OUT,	/* u64 */
	SILK_A_METER_RATE_ACCEPT_MILLI, /* u64: accepts/s x 1000 */
	SILK_A_METER_RATE_IN,	/* u64: bytes/s */
	SILK_A_METER_RATE_OUT,	/* u64: bytes/s */
	SILK_A_METER_RATE_DELAY_NS, /* u64: mean wait, last interval */
	SILK_A_GROUP_NAME,	/* string */
	SILK_A_GROUP_TYPE,	/* u8: enum silk_group_type */
	SILK_A_GROUP_RATE,	/* u64 */
	SILK_A_GROUP_PORTS,	/* nest of SILK_A_GROUP_PORT */
	SILK_A_GROUP_PORT,	/* nest: one port */
	SILK_A_GPORT_PORT,	/* u16 */
	SILK_A_GPORT_WEIGHT,	/* u32 */
	SILK_A_GROUP_HELD,	/* u32: connections held now */
	SILK_A_GROUP_ACCEPTED,	/* u64: accepted from the group's ports */
	SILK_A_GROUP_HIDDEN,	/* u64: connections that had to wait */
	SILK_A_GPORT_HELD,	/* u32 */
	SILK_A_GPORT_ACCEPTED,	/* u64 */
	SILK_A_GROUP_MEMBERS,	/* u32 */
	SILK_A_GPORT_FTP,	/* flag */
	SILK_A_GROUP_DATA_PORTS, /* u32: FTP data ports in the group now */
	SILK_A_PATH_OWNER_UID,	/* u32: a socket option's path: the uid
				 * that made it (it goes with its socket);
				 * replies only
				 */
	SILK_A_NS_CAP_BYTES,	/* u64: what this namespace's paths may hold
				 * (max_queued_bytes, or ns_queued_share
				 * percent of it), replies only
				 */
	SILK_A_PATH_MIRROR_UID,	/* u32: with MIRROR 1, only tasks of this
				 * effective uid are mirrored (default: the
				 * requester's effective uid, unless
				 * MIRROR_GID is given)
				 */
	SILK_A_PATH_MIRROR_GID,	/* u32: with MIRROR 1, also (or only)
				 * tasks of this effective gid
				 */
	/* u64: tasks that used a mirrored path but were not of its uid or gid */
	SILK_A_GLOBAL_MIRROR_REFUSED,
	SILK_A_NS_LEVEL_CHANGES, /* u64: workers' changes of scheduling level */

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
	SILK_STATS_SOJOURN_SUM_NS,	/* sum of the waits of delivered
					 * packets, queueing to the stack
					 */
	SILK_STATS_SOJOURN_MAX_NS,	/* the longest of those times */
	SILK_STATS_DEADLINE_MISSES,	/* EDF: packets delivered late */
	SILK_STATS_THROTTLED,		/* EDF: times the budget ran out */
	SILK_STATS_PARKED,		/* lazy: times the socket was full */
	SILK_STATS_DIRECT_PKTS,		/* processed at once where they
					 * arrived (direct processing)
					 */

	__SILK_STATS_MAX,
	SILK_STATS_MAX = __SILK_STATS_MAX - 1
};

#endif /* _UAPI_LINUX_SILK_H */
