/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * libsilk: a small C interface to the silk generic netlink family, used by
 * silkctl and netmeter and usable by any program that manages silk.
 *
 * Every call returns 0 or a negative errno; after a failure,
 * libsilk_errmsg() says why (the kernel's extended ack message when it sent
 * one) and libsilk_err_attr() names the attribute it pointed at.
 *
 * Its names are libsilk_*, struct libsilk_* and LIBSILK_* so that they do
 * not shadow the kernel module's silk_* ones, which mean other things;
 * SILK_* constants and enum silk_* are the uapi's, from linux/silk.h.
 */
#ifndef _LIBSILK_H
#define _LIBSILK_H

#include <netinet/in.h>
#include <stdint.h>
#include <linux/silk.h>

struct libsilk_sock;

struct libsilk_path_stats {
	uint64_t delivered_pkts;
	uint64_t delivered_bytes;
	uint64_t dropped_pkts;
	uint64_t dropped_bytes;
	uint64_t cpu_ns;
	uint64_t qlen;
	uint64_t qbytes;
	uint64_t qlen_peak;
	uint64_t qbytes_peak;
	uint64_t bypass_pkts;
	uint64_t devgone_pkts;
	uint64_t sojourn_sum_ns;
	uint64_t sojourn_max_ns;
	uint64_t deadline_misses;
	uint64_t throttled;
	uint64_t parked;
	uint64_t direct_pkts;
	/* Early drops (dropped_pkts) by reason. */
	uint64_t drop_limit_pkts;	/* the path's packet limit */
	uint64_t drop_limit_bytes;	/* the path's byte limit */
	uint64_t drop_path_share;	/* half of what the namespace may hold */
	uint64_t drop_cap_ns;		/* what the namespace may hold */
	uint64_t drop_cap_global;	/* max_queued_bytes */
	uint64_t drop_noref;		/* its route or socket was going */
};

/* Which optional fields of struct libsilk_path are set. */
enum {
	LIBSILK_P_ID		= 1 << 0,
	LIBSILK_P_PROTO		= 1 << 1,
	LIBSILK_P_PORT		= 1 << 2,
	LIBSILK_P_FAMILY		= 1 << 3,
	LIBSILK_P_LADDR		= 1 << 4,
	LIBSILK_P_RADDR		= 1 << 5,
	LIBSILK_P_RPLEN		= 1 << 6,
	LIBSILK_P_PRIO		= 1 << 7,
	LIBSILK_P_LIMIT_PKTS	= 1 << 8,
	LIBSILK_P_LIMIT_BYTES	= 1 << 9,
	LIBSILK_P_CPU		= 1 << 10,
	LIBSILK_P_NAME		= 1 << 11,
	LIBSILK_P_STATS		= 1 << 12,
	LIBSILK_P_CLASS		= 1 << 13,
	LIBSILK_P_WEIGHT		= 1 << 14,
	LIBSILK_P_DEADLINE		= 1 << 15,
	LIBSILK_P_RUNTIME		= 1 << 16,
	LIBSILK_P_PERIOD		= 1 << 17,
	LIBSILK_P_LAZY		= 1 << 18,
	LIBSILK_P_DEFAULT		= 1 << 19,
	LIBSILK_P_DSCP		= 1 << 20,
	LIBSILK_P_CONNS		= 1 << 21,
	LIBSILK_P_CONN		= 1 << 22,	/* a connection path */
	LIBSILK_P_MIRROR		= 1 << 23,
	LIBSILK_P_OWNER		= 1 << 24,
	LIBSILK_P_MIRROR_UID	= 1 << 25,
	LIBSILK_P_MIRROR_GID	= 1 << 26,
};

#define LIBSILK_P_BINDING	(LIBSILK_P_PROTO | LIBSILK_P_PORT | LIBSILK_P_FAMILY | \
			 LIBSILK_P_LADDR | LIBSILK_P_RADDR | LIBSILK_P_RPLEN | \
			 LIBSILK_P_DEFAULT | LIBSILK_P_DSCP)

struct libsilk_path {
	unsigned int set;		/* LIBSILK_P_* */
	uint32_t id;
	uint8_t proto;
	uint16_t port;
	uint8_t family;			/* AF_INET, AF_INET6 or 0 */
	uint8_t laddr_family;
	uint8_t raddr_family;
	uint8_t rplen;
	struct in6_addr laddr;		/* IPv4 in the first 4 bytes */
	struct in6_addr raddr;
	uint8_t prio;
	uint32_t limit_pkts;
	uint32_t limit_bytes;
	uint32_t cpu;
	uint8_t class;			/* enum silk_class */
	uint32_t weight;
	uint32_t deadline_us;
	uint32_t runtime_us;
	uint32_t period_us;
	uint8_t lazy;
	uint8_t dscp;
	uint8_t conns;			/* a path per connection */
	uint32_t nconns;		/* its connection paths now */
	uint8_t mirror;			/* tasks run at its priority */
	uint16_t rport;			/* connection paths: remote port */
	uint16_t lport;			/* and local port; addresses in */
					/* raddr and laddr */
	char name[SILK_NAME_MAX];
	uint32_t owner_uid;		/* a socket option's path: its maker */
	uint32_t mirror_uid;		/* mirroring raises this uid's tasks */
	uint32_t mirror_gid;		/* and this gid's */
	struct libsilk_path_stats stats;
};

struct libsilk_ns_stats {
	uint32_t paths;
	uint64_t queued_bytes;
	uint64_t cap_drops;
	uint64_t cap_bytes;		/* what this namespace may hold */
	uint64_t mirror_refused;
	uint64_t bypass;
	uint64_t global_queued_bytes;
	uint64_t global_cap_bytes;
	uint64_t global_queued_peak;
	uint64_t share_yields;
	uint64_t level_changes;
	uint8_t placement;		/* enum silk_placement */
	uint32_t conns;
	uint64_t conns_opened;
	uint64_t conns_closed;
	uint64_t conn_overflows;
	uint32_t mirror_tasks;		/* all namespaces */
	uint64_t mirror_applied;
	uint64_t mirror_restored;
	uint64_t mirror_dl_fallbacks;
	uint64_t mirror_missed;
	uint8_t meter_on;
	uint32_t meter_interval_ms;
	uint64_t meter_missed;
	uint64_t group_missed;
};

/* netmeter sensors of one listening port (see linux/silk.h). */
struct libsilk_meter {
	uint16_t port;
	int on;				/* the namespace's sensors are on */
	uint32_t waiting, live;
	uint64_t accepted, delay_sum_ns, bytes_in, bytes_out;
	uint64_t rate_accept_milli, rate_in, rate_out, rate_delay_ns;
};

typedef int (*libsilk_meter_cb)(const struct libsilk_meter *m, void *arg);

/* A socket group (see linux/silk.h). */
struct libsilk_group_port {
	uint16_t port;
	uint32_t weight;		/* ratio groups */
	int ftp;			/* output groups: serves FTP */
	uint32_t held;			/* replies */
	uint64_t accepted;		/* replies */
};

struct libsilk_group {
	char name[SILK_NAME_MAX];
	uint8_t type;			/* enum silk_group_type; a change */
					/* sends the rate of this type */
	int has_rate;
	uint64_t rate;			/* rate: accepts/s x 1000; output: B/s */
	unsigned int nports;
	struct libsilk_group_port port[SILK_GROUP_PORTS_MAX];
	uint32_t held;			/* replies */
	uint64_t accepted, hidden;	/* replies */
	uint32_t members;		/* replies: output groups */
	uint32_t data_ports;		/* replies: FTP data ports now */
};

typedef int (*libsilk_group_cb)(const struct libsilk_group *g, void *arg);

/* tcpchains: a rule and its conditions (see linux/silk.h). */
struct libsilk_chain_cond {
	uint32_t index;			/* replies: 1 = the first */
	uint16_t out;			/* outgoing port */
	uint8_t family;			/* address: AF_INET or AF_INET6 */
	uint8_t plen;
	struct in6_addr addr;		/* IPv4 in the first 4 bytes */
	uint16_t weight;		/* probabilistic, out of 10000 */
	uint16_t len;			/* content */
	uint8_t str[SILK_CHAIN_STRING_MAX];
	uint64_t hits;
};

enum {
	LIBSILK_CH_MAX_BYTES	= 1 << 0,
	LIBSILK_CH_TIMEOUT		= 1 << 1,
	LIBSILK_CH_ALGO		= 1 << 2,
};

struct libsilk_chain_rule {
	unsigned int set;		/* LIBSILK_CH_*: options given */
	uint8_t type;			/* enum silk_chain_type */
	uint16_t port;			/* incoming */
	uint16_t out;			/* default outgoing */
	uint32_t max_bytes;
	uint32_t timeout_ms;
	uint8_t algo;			/* enum silk_chain_algo */
	uint64_t hits, timeouts, resets, handed;
	uint32_t pending;
	unsigned int ncond;
	struct libsilk_chain_cond *cond;	/* replies: ncond of them */
};

/* One change: SILK_CMD_CHAIN_NEW, COND_NEW, CHAIN_DEL or CHAIN_FLUSH. */
struct libsilk_chain_op {
	uint8_t cmd;
	int replace;			/* CHAIN_NEW: replace the rule */
	struct libsilk_chain_rule rule;	/* NEW: all; COND_NEW: type, port;
					 * DEL: port
					 */
	struct libsilk_chain_cond cond;	/* COND_NEW; DEL: index, 0 = rule */
};

typedef int (*libsilk_chain_cb)(const struct libsilk_chain_rule *r, void *arg);

typedef int (*libsilk_path_cb)(const struct libsilk_path *p, void *arg);

struct libsilk_sock *libsilk_open(void);
void libsilk_close(struct libsilk_sock *s);
const char *libsilk_errmsg(const struct libsilk_sock *s);
const char *libsilk_err_attr(const struct libsilk_sock *s);
/*
 * 1 when the kernel's state changed while the last dump ran
 * (NLM_F_DUMP_INTR): what it listed may be inconsistent; dump again.
 */
int libsilk_dump_interrupted(const struct libsilk_sock *s);

int libsilk_path_add(struct libsilk_sock *s, const struct libsilk_path *req,
		     struct libsilk_path *out);
int libsilk_path_change(struct libsilk_sock *s, const struct libsilk_path *req,
			struct libsilk_path *out);
int libsilk_path_del(struct libsilk_sock *s, const struct libsilk_path *req);
int libsilk_path_get(struct libsilk_sock *s, const struct libsilk_path *req,
		     struct libsilk_path *out);
/* Every path, or those of req's protocol and/or port when req sets them. */
int libsilk_path_dump(struct libsilk_sock *s, const struct libsilk_path *req,
		      libsilk_path_cb cb, void *arg);
int libsilk_stats_get(struct libsilk_sock *s, struct libsilk_ns_stats *out);
int libsilk_placement_set(struct libsilk_sock *s, uint8_t placement);
/* Sensors on (1), off (0) or unchanged (-1); interval 0 keeps it. */
int libsilk_meter_set(struct libsilk_sock *s, int on, uint32_t interval_ms);
int libsilk_meter_get(struct libsilk_sock *s, uint16_t port, struct libsilk_meter *out);
int libsilk_meter_dump(struct libsilk_sock *s, libsilk_meter_cb cb, void *arg);
int libsilk_group_new(struct libsilk_sock *s, const struct libsilk_group *g);
/* A new rate (has_rate) and/or new weights for the ports given. */
int libsilk_group_change(struct libsilk_sock *s, const struct libsilk_group *g);
int libsilk_group_del(struct libsilk_sock *s, const char *name);
int libsilk_group_get(struct libsilk_sock *s, const char *name,
		      struct libsilk_group *out);
int libsilk_group_dump(struct libsilk_sock *s, libsilk_group_cb cb, void *arg);
const char *libsilk_group_type_name(uint8_t type);	/* "rate", "ratio", "output" */
int libsilk_group_type_parse(const char *name);	/* or -1 */
/* Every connection path, or those of listen path @id when it is not 0. */
int libsilk_conn_dump(struct libsilk_sock *s, uint32_t id, libsilk_path_cb cb,
		      void *arg);

/* Helpers for tools. */
int libsilk_chain_do(struct libsilk_sock *s, const struct libsilk_chain_op *op);
/* All or nothing; on failure *failed is the index of the op that failed. */
int libsilk_chain_batch(struct libsilk_sock *s, const struct libsilk_chain_op *ops,
			unsigned int n, unsigned int *failed);
int libsilk_chain_get(struct libsilk_sock *s, uint16_t port, libsilk_chain_cb cb,
		      void *arg);
int libsilk_chain_dump(struct libsilk_sock *s, libsilk_chain_cb cb, void *arg);
const char *libsilk_chain_type_name(uint8_t type);	/* "a", "c", "d" */
int libsilk_chain_type_parse(const char *name);	/* or -1 */
const char *libsilk_chain_algo_name(uint8_t algo);
int libsilk_chain_algo_parse(const char *name);	/* or -1 */

const char *libsilk_proto_name(uint8_t proto);
const char *libsilk_class_name(uint8_t class);
int libsilk_class_parse(const char *name);	/* enum silk_class or -1 */
const char *libsilk_placement_name(uint8_t placement);
int libsilk_placement_parse(const char *name);	/* enum silk_placement or -1 */
int libsilk_enter_netns(const char *name);

#endif /* _LIBSILK_H */
