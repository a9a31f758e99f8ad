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
 * Each object has its own attribute space, declared below with the tree of
 * the commands that use it: paths SILK_PATH_A_* (connection paths add a
 * SILK_CONN_A_* nest), the namespace SILK_NS_A_* (the module's totals in a
 * SILK_GLOBAL_A_* nest), tcpchains rules SILK_CHAIN_A_* with conditions
 * SILK_COND_A_*, sensors SILK_METER_A_*, socket groups SILK_GROUP_A_* with
 * ports SILK_GPORT_A_*, and path statistics SILK_STATS_*. A request may
 * carry only the attributes its command reads: any other is refused
 * ("Unsupported attribute"; one that only appears in replies, with a
 * message that says so), as is a nest without NLA_F_NESTED. A command
 * documented with no attributes (STATS_GET, CHAIN_FLUSH) takes none. The
 * entries of a list (SILK_CHAIN_A_OPS, SILK_GROUP_A_PORTS) are nests whose
 * type the kernel ignores; number them 1, 2, ... Every attribute has one
 * unit, given in its name or beside it.
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
#define SILK_GENL_VERSION	2

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

/* Where connection paths run (SILK_NS_A_PLACEMENT). */
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

/*
 * Paths.
 *
 * SILK_CMD_PATH_ADD (admin): make a path; the reply is the path, as
 *	PATH_GET gives it.
 *	SILK_PATH_A_PROTO	u8	req.	IPPROTO_TCP or IPPROTO_UDP; with
 *						DEFAULT also IPPROTO_ICMP, or 0
 *						for every other protocol
 *	SILK_PATH_A_PORT	u16	req.	local port 1..65535, host order
 *						(none with DEFAULT)
 *	SILK_PATH_A_FAMILY	u8	opt.	AF_INET or AF_INET6; default:
 *						both, or the addresses' family
 *	SILK_PATH_A_LADDR4 / 6	4 / 16 bytes	local address
 *	SILK_PATH_A_RADDR4 / 6	4 / 16 bytes	remote prefix, with
 *	SILK_PATH_A_RPLEN	u8	opt.	its length in bits; default: full
 *	SILK_PATH_A_DSCP	u8	opt.	match this DSCP only, 0..63
 *	SILK_PATH_A_DEFAULT	flag	opt.	takeover's default path of PROTO:
 *						no PORT, FAMILY or addresses
 *	SILK_PATH_A_CLASS	u8	opt.	enum silk_class; default FP
 *	SILK_PATH_A_PRIO	u8	FP	0..SILK_PRIO_MAX, higher first
 *	SILK_PATH_A_DEADLINE_US	u32	EDF	relative deadline of each packet
 *	SILK_PATH_A_RUNTIME_US	u32	EDF	CPU budget per period
 *	SILK_PATH_A_PERIOD_US	u32	EDF	budget period; default: the
 *						deadline. runtime <= deadline <=
 *						period, as for SCHED_DEADLINE
 *	SILK_PATH_A_WEIGHT	u32	WFQ	share of CPU time; default 1
 *	SILK_PATH_A_LIMIT_PKTS	u32	opt.	queue limit, packets
 *	SILK_PATH_A_LIMIT_BYTES	u32	opt.	queue limit, bytes (truesize)
 *	SILK_PATH_A_CPU		u32	opt.	home CPU; default: a hash of the
 *						binding
 *	SILK_PATH_A_NAME	string	opt.	label, < SILK_NAME_MAX bytes
 *	SILK_PATH_A_LAZY	u8	opt.	1: lazy receiver processing
 *	SILK_PATH_A_CONNS	u8	opt.	TCP, 1: a path per connection
 *	SILK_PATH_A_MIRROR	u8	opt.	1: tasks using the path run at
 *						its level (CAP_SYS_NICE)
 *	SILK_PATH_A_MIRROR_UID	u32	opt.	with MIRROR: only tasks of this
 *						effective uid (default: the
 *						requester's, unless MIRROR_GID)
 *	SILK_PATH_A_MIRROR_GID	u32	opt.	with MIRROR: tasks of this
 *						effective gid too (or only)
 *
 * SILK_CMD_PATH_CHANGE (admin): change any attribute of PATH_ADD after the
 *	binding (a class parameter must belong to the class the path has
 *	after the change) of one path, named by SILK_PATH_A_ID or by its
 *	binding (PROTO, PORT, FAMILY, LADDR*, RADDR*, RPLEN, DSCP, DEFAULT as
 *	given when it was made). Reply: the path.
 *
 * SILK_CMD_PATH_DEL (admin): delete one path, named as for PATH_CHANGE.
 *	Packets already queued on it are still delivered.
 *
 * SILK_CMD_PATH_GET: one path, named as for PATH_CHANGE; dump: every path
 *	of the namespace, or only those of SILK_PATH_A_PROTO and/or
 *	SILK_PATH_A_PORT. Each path is one message: SILK_PATH_A_ID, every
 *	attribute of PATH_ADD that applies, and
 *	SILK_PATH_A_STATS	nest	SILK_STATS_*
 *	SILK_PATH_A_NCONNS	u32	a listen path's connection paths now
 *	SILK_PATH_A_OWNER_UID	u32	a socket option's path: the uid that
 *					made it (it goes with its socket)
 *
 * SILK_CMD_CONN_GET (dump only): every connection path, or only those of
 *	the listen path SILK_PATH_A_ID. Each is one message: the listen
 *	path's SILK_PATH_A_ID, CLASS and its parameters, PRIO, MIRROR, CPU,
 *	STATS, and
 *	SILK_PATH_A_CONN	nest
 *		SILK_CONN_A_RADDR4 / 6	4 / 16 bytes	remote address
 *		SILK_CONN_A_LADDR4 / 6	4 / 16 bytes	local address
 *		SILK_CONN_A_RPORT	u16	remote port, host order
 *		SILK_CONN_A_LPORT	u16	local port, host order
 */
enum silk_path_attr {
	SILK_PATH_A_UNSPEC,
	SILK_PATH_A_PAD,
	SILK_PATH_A_ID,			/* u32 */
	SILK_PATH_A_PROTO,		/* u8 */
	SILK_PATH_A_PORT,		/* u16 */
	SILK_PATH_A_FAMILY,		/* u8 */
	SILK_PATH_A_LADDR4,		/* 4 bytes, network order */
	SILK_PATH_A_LADDR6,		/* 16 bytes */
	SILK_PATH_A_RADDR4,		/* 4 bytes, network order */
	SILK_PATH_A_RADDR6,		/* 16 bytes */
	SILK_PATH_A_RPLEN,		/* u8 */
	SILK_PATH_A_DSCP,		/* u8 */
	SILK_PATH_A_DEFAULT,		/* flag */
	SILK_PATH_A_CLASS,		/* u8: enum silk_class */
	SILK_PATH_A_PRIO,		/* u8 */
	SILK_PATH_A_DEADLINE_US,	/* u32 */
	SILK_PATH_A_RUNTIME_US,		/* u32 */
	SILK_PATH_A_PERIOD_US,		/* u32 */
	SILK_PATH_A_WEIGHT,		/* u32 */
	SILK_PATH_A_LIMIT_PKTS,		/* u32 */
	SILK_PATH_A_LIMIT_BYTES,	/* u32 */
	SILK_PATH_A_CPU,		/* u32 */
	SILK_PATH_A_NAME,		/* NUL-terminated string */
	SILK_PATH_A_LAZY,		/* u8: 0 or 1 */
	SILK_PATH_A_CONNS,		/* u8: 0 or 1 */
	SILK_PATH_A_MIRROR,		/* u8: 0 or 1 */
	SILK_PATH_A_MIRROR_UID,		/* u32 */
	SILK_PATH_A_MIRROR_GID,		/* u32 */
	SILK_PATH_A_STATS,		/* nest: SILK_STATS_* */
	SILK_PATH_A_NCONNS,		/* u32 */
	SILK_PATH_A_OWNER_UID,		/* u32 */
	SILK_PATH_A_CONN,		/* nest: SILK_CONN_A_* */

	__SILK_PATH_A_MAX,
	SILK_PATH_A_MAX = __SILK_PATH_A_MAX - 1
};

enum silk_conn_attr {
	SILK_CONN_A_UNSPEC,
	SILK_CONN_A_RADDR4,		/* 4 bytes */
	SILK_CONN_A_RADDR6,		/* 16 bytes */
	SILK_CONN_A_LADDR4,		/* 4 bytes */
	SILK_CONN_A_LADDR6,		/* 16 bytes */
	SILK_CONN_A_RPORT,		/* u16, host order */
	SILK_CONN_A_LPORT,		/* u16, host order */

	__SILK_CONN_A_MAX,
	SILK_CONN_A_MAX = __SILK_CONN_A_MAX - 1
};

/*
 * The namespace.
 *
 * SILK_CMD_NS_SET (admin): namespace settings; at least one of
 *	SILK_NS_A_PLACEMENT	u8	enum silk_placement
 *	SILK_NS_A_METER		u8	0 or 1: netmeter sensors off or on
 *	SILK_NS_A_METER_INTERVAL_MS u32	the sensors' rate interval,
 *					SILK_METER_INTERVAL_MIN_MS..
 *					SILK_METER_INTERVAL_MAX_MS
 *
 * SILK_CMD_STATS_GET: the namespace's settings and totals, and the
 *	module's totals:
 *	SILK_NS_A_PLACEMENT, SILK_NS_A_METER, SILK_NS_A_METER_INTERVAL_MS
 *	SILK_NS_A_PATHS		u32	paths
 *	SILK_NS_A_QUEUED_BYTES	u64	bytes its paths hold now
 *	SILK_NS_A_CAP_BYTES	u64	what they may hold (max_queued_bytes,
 *					or ns_queued_share percent of it)
 *	SILK_NS_A_CAP_DROPS	u64	packets dropped for the caps
 *	SILK_NS_A_BYPASS	u64	matched packets passed unqueued
 *	SILK_NS_A_SHARE_YIELDS	u64	times a worker stepped aside
 *	SILK_NS_A_LEVEL_CHANGES	u64	workers' changes of level
 *	SILK_NS_A_CONNS		u32	connection paths now
 *	SILK_NS_A_CONNS_OPENED	u64
 *	SILK_NS_A_CONNS_CLOSED	u64
 *	SILK_NS_A_CONN_OVERFLOWS u64	connections left on the listen path
 *	SILK_NS_A_METER_MISSED	u64	connections not metered (memory)
 *	SILK_NS_A_GROUP_MISSED	u64	listeners not held and accepts not
 *					charged by socket groups (socket
 *					event records ran out)
 *	SILK_NS_A_GLOBAL	nest	every namespace together:
 *		SILK_GLOBAL_A_QUEUED_BYTES	u64	bytes queued now
 *		SILK_GLOBAL_A_CAP_BYTES		u64	max_queued_bytes
 *		SILK_GLOBAL_A_QUEUED_PEAK	u64	highest QUEUED_BYTES since
 *						load or max_queued_bytes was set
 *		SILK_GLOBAL_A_MIRROR_TASKS	u32	tasks silk has changed now
 *		SILK_GLOBAL_A_MIRROR_APPLIED	u64	attribute changes made
 *		SILK_GLOBAL_A_MIRROR_RESTORED	u64	tasks given their own back
 *		SILK_GLOBAL_A_MIRROR_DL_FALLBACKS u64	SCHED_DEADLINE refused,
 *							SCHED_FIFO used instead
 *		SILK_GLOBAL_A_MIRROR_MISSED	u64	accepts not seen (probe
 *						instances or memory ran out)
 *		SILK_GLOBAL_A_MIRROR_REFUSED	u64	tasks that used a mirrored
 *						path but were not of its uid/gid
 */
enum silk_ns_attr {
	SILK_NS_A_UNSPEC,
	SILK_NS_A_PAD,
	SILK_NS_A_PLACEMENT,		/* u8 */
	SILK_NS_A_METER,		/* u8 */
	SILK_NS_A_METER_INTERVAL_MS,	/* u32 */
	SILK_NS_A_PATHS,		/* u32 */
	SILK_NS_A_QUEUED_BYTES,		/* u64 */
	SILK_NS_A_CAP_BYTES,		/* u64 */
	SILK_NS_A_CAP_DROPS,		/* u64 */
	SILK_NS_A_BYPASS,		/* u64 */
	SILK_NS_A_SHARE_YIELDS,		/* u64 */
	SILK_NS_A_LEVEL_CHANGES,	/* u64 */
	SILK_NS_A_CONNS,		/* u32 */
	SILK_NS_A_CONNS_OPENED,		/* u64 */
	SILK_NS_A_CONNS_CLOSED,		/* u64 */
	SILK_NS_A_CONN_OVERFLOWS,	/* u64 */
	SILK_NS_A_METER_MISSED,		/* u64 */
	SILK_NS_A_GLOBAL,		/* nest: SILK_GLOBAL_A_* */
	SILK_NS_A_GROUP_MISSED,		/* u64 */

	__SILK_NS_A_MAX,
	SILK_NS_A_MAX = __SILK_NS_A_MAX - 1
};

enum silk_global_attr {
	SILK_GLOBAL_A_UNSPEC,
	SILK_GLOBAL_A_PAD,
	SILK_GLOBAL_A_QUEUED_BYTES,	/* u64 */
	SILK_GLOBAL_A_CAP_BYTES,	/* u64 */
	SILK_GLOBAL_A_QUEUED_PEAK,	/* u64 */
	SILK_GLOBAL_A_MIRROR_TASKS,	/* u32 */
	SILK_GLOBAL_A_MIRROR_APPLIED,	/* u64 */
	SILK_GLOBAL_A_MIRROR_RESTORED,	/* u64 */
	SILK_GLOBAL_A_MIRROR_DL_FALLBACKS, /* u64 */
	SILK_GLOBAL_A_MIRROR_MISSED,	/* u64 */
	SILK_GLOBAL_A_MIRROR_REFUSED,	/* u64 */

	__SILK_GLOBAL_A_MAX,
	SILK_GLOBAL_A_MAX = __SILK_GLOBAL_A_MAX - 1
};

/*
 * tcpchains rules.
 *
 * SILK_CMD_CHAIN_NEW (admin): a rule. With REPLACE, an existing rule of
 *	the same type on PORT gets the new OUT and options, keeping its
 *	conditions.
 *	SILK_CHAIN_A_TYPE	u8	req.	enum silk_chain_type
 *	SILK_CHAIN_A_PORT	u16	req.	incoming port
 *	SILK_CHAIN_A_OUT	u16	req.	default outgoing port
 *	SILK_CHAIN_A_MAX_BYTES	u32	CONTENT	bytes looked at
 *	SILK_CHAIN_A_TIMEOUT_MS	u32	CONTENT	wait for the first data
 *	SILK_CHAIN_A_ALGO	u8	CONTENT	enum silk_chain_algo; default BM
 *	SILK_CHAIN_A_REPLACE	flag	opt.
 *
 * SILK_CMD_COND_NEW (admin): append a condition to the rule on PORT.
 *	SILK_CHAIN_A_TYPE	u8	req.	the rule's type
 *	SILK_CHAIN_A_PORT	u16	req.
 *	SILK_CHAIN_A_COND	nest	req.
 *		SILK_COND_A_OUT		u16	req.	outgoing port if satisfied
 *		SILK_COND_A_ADDR4 / 6	4 / 16 bytes	ADDR: source prefix, with
 *		SILK_COND_A_PLEN	u8	ADDR	its length; default: full
 *		SILK_COND_A_STRING	binary	CONTENT	1..SILK_CHAIN_STRING_MAX
 *		SILK_COND_A_WEIGHT	u16	PROB	out of
 *					SILK_CHAIN_WEIGHT_TOTAL, which a rule's
 *					weights add up to at most. A PROB
 *					condition for an OUT the rule has
 *					already changes that one's weight.
 *
 * SILK_CMD_CHAIN_DEL (admin): the rule on SILK_CHAIN_A_PORT, or with
 *	SILK_CHAIN_A_COND { SILK_COND_A_INDEX u32 } only that condition.
 *
 * SILK_CMD_CHAIN_FLUSH (admin): every rule of the namespace.
 *
 * SILK_CMD_CHAIN_GET: the rule on SILK_CHAIN_A_PORT; dump: every rule, by
 *	port. Each: TYPE, PORT, OUT, the CONTENT options, and
 *	SILK_CHAIN_A_HITS	u64	connections sent to the default port
 *	SILK_CHAIN_A_TIMEOUTS	u64	CONTENT: no data within the timeout
 *	SILK_CHAIN_A_RESETS	u64	CONTENT: no listener, reset
 *	SILK_CHAIN_A_HANDED	u64	CONTENT: connections handed over
 *	SILK_CHAIN_A_PENDING	u32	CONTENT: connections silk holds now
 *	SILK_CHAIN_A_COND	nest	one per condition, in order:
 *		SILK_COND_A_INDEX	u32	1 = the first
 *		SILK_COND_A_OUT, the condition's attributes, and
 *		SILK_COND_A_HITS	u64	connections it sent
 *
 * SILK_CMD_CHAIN_BATCH (admin): SILK_CHAIN_A_OPS, a nest of up to
 *	SILK_CHAIN_OPS_MAX nests, each one command: SILK_CHAIN_A_CMD (u8: one
 *	of the admin commands above) with that command's attributes. All are
 *	applied in one transaction, or none; the extack offset points at the
 *	command that failed.
 */
enum silk_chain_attr {
	SILK_CHAIN_A_UNSPEC,
	SILK_CHAIN_A_PAD,
	SILK_CHAIN_A_TYPE,		/* u8: enum silk_chain_type */
	SILK_CHAIN_A_PORT,		/* u16, host order */
	SILK_CHAIN_A_OUT,		/* u16, host order */
	SILK_CHAIN_A_MAX_BYTES,		/* u32 */
	SILK_CHAIN_A_TIMEOUT_MS,	/* u32 */
	SILK_CHAIN_A_ALGO,		/* u8: enum silk_chain_algo */
	SILK_CHAIN_A_REPLACE,		/* flag */
	SILK_CHAIN_A_COND,		/* nest: SILK_COND_A_* */
	SILK_CHAIN_A_HITS,		/* u64 */
	SILK_CHAIN_A_TIMEOUTS,		/* u64 */
	SILK_CHAIN_A_RESETS,		/* u64 */
	SILK_CHAIN_A_HANDED,		/* u64 */
	SILK_CHAIN_A_PENDING,		/* u32 */
	SILK_CHAIN_A_OPS,		/* nest of nests: SILK_CHAIN_A_* */
	SILK_CHAIN_A_CMD,		/* u8: enum silk_cmd, in an op */

	__SILK_CHAIN_A_MAX,
	SILK_CHAIN_A_MAX = __SILK_CHAIN_A_MAX - 1
};

enum silk_cond_attr {
	SILK_COND_A_UNSPEC,
	SILK_COND_A_PAD,
	SILK_COND_A_INDEX,		/* u32 */
	SILK_COND_A_OUT,		/* u16, host order */
	SILK_COND_A_ADDR4,		/* 4 bytes */
	SILK_COND_A_ADDR6,		/* 16 bytes */
	SILK_COND_A_PLEN,		/* u8 */
	SILK_COND_A_STRING,		/* binary */
	SILK_COND_A_WEIGHT,		/* u16 */
	SILK_COND_A_HITS,		/* u64 */

	__SILK_COND_A_MAX,
	SILK_COND_A_MAX = __SILK_COND_A_MAX - 1
};

/*
 * netmeter sensors, per listening TCP port of the namespace: connections
 * waiting to be accepted (in the kernel's accept queues, or held by silk),
 * and, counted from when the sensors were turned on, the connections
 * accepted, the sum of their waits from the end of the handshake to
 * accept(), the bytes received and sent (acknowledged) by the connections
 * accepted from the port, closed and live, and the rates of each over the
 * last interval. A connection counts on the port of the listener it was
 * accepted from.
 *
 * SILK_CMD_METER_GET: the port SILK_METER_A_PORT; dump: every port that
 *	something listens on or that has counted something. Each message:
 *	SILK_METER_A_PORT	u16	host order
 *	SILK_METER_A_WAITING	u32	connections waiting to be accepted
 *	and, with the sensors on, counted since they were turned on:
 *	SILK_METER_A_LIVE	u32	accepted and open
 *	SILK_METER_A_ACCEPTED	u64
 *	SILK_METER_A_DELAY_SUM_NS u64	handshake to accept(), summed
 *	SILK_METER_A_BYTES_IN	u64	received by the accepted connections
 *	SILK_METER_A_BYTES_OUT	u64	sent by them and acknowledged
 *	SILK_METER_A_RATE_ACCEPT_MILLI u64 accepts/s x 1000, last interval
 *	SILK_METER_A_RATE_IN	u64	bytes/s, last interval
 *	SILK_METER_A_RATE_OUT	u64	bytes/s, last interval
 *	SILK_METER_A_RATE_DELAY_NS u64	mean wait of the interval's accepts
 */
enum silk_meter_attr {
	SILK_METER_A_UNSPEC,
	SILK_METER_A_PAD,
	SILK_METER_A_PORT,		/* u16 */
	SILK_METER_A_WAITING,		/* u32 */
	SILK_METER_A_LIVE,		/* u32 */
	SILK_METER_A_ACCEPTED,		/* u64 */
	SILK_METER_A_DELAY_SUM_NS,	/* u64 */
	SILK_METER_A_BYTES_IN,		/* u64 */
	SILK_METER_A_BYTES_OUT,		/* u64 */
	SILK_METER_A_RATE_ACCEPT_MILLI,	/* u64 */
	SILK_METER_A_RATE_IN,		/* u64 */
	SILK_METER_A_RATE_OUT,		/* u64 */
	SILK_METER_A_RATE_DELAY_NS,	/* u64 */

	__SILK_METER_A_MAX,
	SILK_METER_A_MAX = __SILK_METER_A_MAX - 1
};

/*
 * Socket groups (actuators): a named set of listening TCP ports.
 *  - RATE: at most ACCEPT_RATE_MILLI/1000 connections per second are
 *    accepted from all the group's ports together; the others wait,
 *    established, in the kernel (up to the listener's backlog) and count
 *    as waiting.
 *  - RATIO: while several of the group's ports have connections waiting,
 *    their accepts follow the ports' WEIGHTs; a port with nothing waiting
 *    takes nothing from the others. It has no rate.
 *  - OUTPUT: the connections accepted from the group's ports send at most
 *    OUTPUT_RATE bytes per second together, shared fairly among them and
 *    work-conserving inside the group (each connection's own pacing rate,
 *    reassigned every 100 ms). Turns the sensors on.
 * A port is in at most one RATE or RATIO group and one OUTPUT group. A RATE
 * or RATIO group takes hold of the listeners of its ports, those there now
 * and those that start later.
 *
 * SILK_CMD_GROUP_NEW (admin): a group.
 *	SILK_GROUP_A_NAME	string	req.	1..SILK_NAME_MAX-1 bytes
 *	SILK_GROUP_A_TYPE	u8	req.	enum silk_group_type
 *	SILK_GROUP_A_ACCEPT_RATE_MILLI u64 RATE	accepts/s x 1000, 1..
 *						SILK_GROUP_RATE_MAX
 *	SILK_GROUP_A_OUTPUT_RATE u64	OUTPUT	bytes/s, at least
 *						SILK_GROUP_OUTPUT_MIN
 *	SILK_GROUP_A_PORTS	nest	req.	1..SILK_GROUP_PORTS_MAX nests:
 *		SILK_GPORT_A_PORT	u16	req.	1..65535
 *		SILK_GPORT_A_WEIGHT	u32	RATIO	1..SILK_WEIGHT_MAX
 *		SILK_GPORT_A_FTP	flag	OUTPUT	the port serves FTP: the
 *			data ports its PASV and EPSV replies announce join the
 *			group (up to SILK_GROUP_DYN_MAX at once) until the data
 *			connections on them have closed, or for
 *			SILK_GROUP_FTP_EXPIRE_S if none comes
 *
 * SILK_CMD_GROUP_CHANGE (admin): NAME, and a new rate of the group's own
 *	kind or new weights (SILK_GROUP_A_PORTS naming each port to change);
 *	in effect at once. A group keeps its type: no TYPE.
 *
 * SILK_CMD_GROUP_DEL (admin): NAME; what it holds becomes acceptable.
 *
 * SILK_CMD_GROUP_GET: NAME; dump: every group. Replies give NAME, TYPE,
 *	the rate of its kind, its PORTS, and
 *	SILK_GROUP_A_HELD	u32	connections held now
 *	SILK_GROUP_A_ACCEPTED	u64	accepted from the group's ports
 *	SILK_GROUP_A_HIDDEN	u64	connections that had to wait
 *	SILK_GROUP_A_MEMBERS	u32	OUTPUT: connections sharing it now
 *	SILK_GROUP_A_DATA_PORTS	u32	OUTPUT: FTP data ports in it now
 *	and in each port's nest SILK_GPORT_A_HELD (u32) and
 *	SILK_GPORT_A_ACCEPTED (u64).
 */
enum silk_group_attr {
	SILK_GROUP_A_UNSPEC,
	SILK_GROUP_A_PAD,
	SILK_GROUP_A_NAME,		/* string */
	SILK_GROUP_A_TYPE,		/* u8: enum silk_group_type */
	SILK_GROUP_A_ACCEPT_RATE_MILLI,	/* u64 */
	SILK_GROUP_A_OUTPUT_RATE,	/* u64: bytes/s */
	SILK_GROUP_A_PORTS,		/* nest of nests: SILK_GPORT_A_* */
	SILK_GROUP_A_HELD,		/* u32 */
	SILK_GROUP_A_ACCEPTED,		/* u64 */
	SILK_GROUP_A_HIDDEN,		/* u64 */
	SILK_GROUP_A_MEMBERS,		/* u32 */
	SILK_GROUP_A_DATA_PORTS,	/* u32 */

	__SILK_GROUP_A_MAX,
	SILK_GROUP_A_MAX = __SILK_GROUP_A_MAX - 1
};

enum silk_gport_attr {
	SILK_GPORT_A_UNSPEC,
	SILK_GPORT_A_PAD,
	SILK_GPORT_A_PORT,		/* u16 */
	SILK_GPORT_A_WEIGHT,		/* u32 */
	SILK_GPORT_A_FTP,		/* flag */
	SILK_GPORT_A_HELD,		/* u32 */
	SILK_GPORT_A_ACCEPTED,		/* u64 */

	__SILK_GPORT_A_MAX,
	SILK_GPORT_A_MAX = __SILK_GPORT_A_MAX - 1
};

/* A path's statistics, SILK_PATH_A_STATS. */
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
	/* Early drops (DROPPED_PKTS) by reason: */
	SILK_STATS_DROP_LIMIT_PKTS,	/* the path's packet limit */
	SILK_STATS_DROP_LIMIT_BYTES,	/* the path's byte limit */
	SILK_STATS_DROP_PATH_SHARE,	/* half of what its namespace may hold */
	SILK_STATS_DROP_CAP_NS,		/* what its namespace may hold, or
					 * all namespaces but the initial one
					 */
	SILK_STATS_DROP_CAP_GLOBAL,	/* max_queued_bytes */
	SILK_STATS_DROP_NOREF,		/* its route or socket was going */

	__SILK_STATS_MAX,
	SILK_STATS_MAX = __SILK_STATS_MAX - 1
};

#endif /* _UAPI_LINUX_SILK_H */
