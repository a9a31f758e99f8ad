/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * libsilk: a small C interface to the silk generic netlink family, used by
 * silkctl and netmeter and usable by any program that manages silk.
 *
 * Every call returns 0 or a negative errno; after a failure,
 * silk_errmsg() says why (the kernel's extended ack message when it sent
 * one) and silk_err_attr() names the attribute it pointed at.
 */
#ifndef _LIBSILK_H
#define _LIBSILK_H

#include <netinet/in.h>
#include <stdint.h>
#include <linux/silk.h>

struct silk_sock;

struct silk_path_stats {
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
};

/* Which optional fields of struct silk_path are set. */
enum {
	SILK_P_ID		= 1 << 0,
	SILK_P_PROTO		= 1 << 1,
	SILK_P_PORT		= 1 << 2,
	SILK_P_FAMILY		= 1 << 3,
	SILK_P_LADDR		= 1 << 4,
	SILK_P_RADDR		= 1 << 5,
	SILK_P_RPLEN		= 1 << 6,
	SILK_P_PRIO		= 1 << 7,
	SILK_P_LIMIT_PKTS	= 1 << 8,
	SILK_P_LIMIT_BYTES	= 1 << 9,
	SILK_P_CPU		= 1 << 10,
	SILK_P_NAME		= 1 << 11,
	SILK_P_STATS		= 1 << 12,
	SILK_P_CLASS		= 1 << 13,
	SILK_P_WEIGHT		= 1 << 14,
	SILK_P_DEADLINE		= 1 << 15,
	SILK_P_RUNTIME		= 1 << 16,
	SILK_P_PERIOD		= 1 << 17,
	SILK_P_LAZY		= 1 << 18,
	SILK_P_DEFAULT		= 1 << 19,
	SILK_P_DSCP		= 1 << 20,
	SILK_P_CONNS		= 1 << 21,
	SILK_P_CONN		= 1 << 22,	/* a connection path */
	SILK_P_MIRROR		= 1 << 23,
	SILK_P_OWNER		= 1 << 24,
	SILK_P_MIRROR_UID	= 1 << 25,
	SILK_P_MIRROR_GID	= 1 << 26,
};

#define SILK_P_BINDING	(SILK_P_PROTO | SILK_P_PORT | SILK_P_FAMILY | \
			 SILK_P_LADDR | SILK_P_RADDR | SILK_P_RPLEN | \
			 SILK_P_DEFAULT | SILK_P_DSCP)

struct silk_path {
	unsigned int set;		/* SILK_P_* */
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
	struct silk_path_stats stats;
};

struct silk_ns_stats {
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
};

/* netmeter sensors of one listening port (see linux/silk.h). */
struct silk_meter {
	uint16_t port;
	int on;				/* the namespace's sensors are on */
	uint32_t waiting, live;
	uint64_t accepted, delay_sum_ns, bytes_in, bytes_out;
	uint64_t rate_accept_milli, rate_in, rate_out, rate_delay_ns;
};

typedef int (*silk_meter_cb)(const struct silk_meter *m, void *arg);

/* A socket group (see linux/silk.h). */
struct silk_group_port {
	uint16_t port;
	uint32_t weight;		/* ratio groups */
	int ftp;			/* output groups: serves FTP */
	uint32_t held;			/* replies */
	uint64_t accepted;		/* replies */
};

struct silk_group {
	char name[SILK_NAME_MAX];
	uint8_t type;			/* enum silk_group_type */
	int has_rate;
	uint64_t rate;			/* rate: accepts/s x 1000; output: B/s */
	unsigned int nports;
	struct silk_group_port port[SILK_GROUP_PORTS_MAX];
	uint32_t held;			/* replies */
	uint64_t accepted, hidden;	/* replies */
	uint32_t members;		/* replies: output groups */
	uint32_t data_ports;		/* replies: FTP data ports now */
};

typedef int (*silk_group_cb)(const struct silk_group *g, void *arg);

/* tcpchains: a rule and its conditions (see linux/silk.h). */
struct silk_chain_cond {
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
	SILK_CH_MAX_BYTES	= 1 << 0,
	SILK_CH_TIMEOUT		= 1 << 1,
	SILK_CH_ALGO		= 1 << 2,
};

struct silk_chain_rule {
	unsigned int set;		/* SILK_CH_*: options given */
	uint8_t type;			/* enum silk_chain_type */
	uint16_t port;			/* incoming */
	uint16_t out;			/* default outgoing */
	uint32_t max_bytes;
	uint32_t timeout_ms;
	uint8_t algo;			/* enum silk_chain_algo */
	uint64_t hits, timeouts, resets, handed;
	uint32_t pending;
	unsigned int ncond;
	struct silk_chain_cond *cond;	/* replies: ncond of them */
};

/* One change: SILK_CMD_CHAIN_NEW, COND_NEW, CHAIN_DEL or CHAIN_FLUSH. */
struct silk_chain_op {
	uint8_t cmd;
	int replace;			/* CHAIN_NEW: replace the rule */
	struct silk_chain_rule rule;	/* NEW: all; COND_NEW: type, port;
					 * DEL: port
					 */
	struct silk_chain_cond cond;	/* COND_NEW; DEL: index, 0 = rule */
};

typedef int (*silk_chain_cb)(const struct silk_chain_rule *r, void *arg);

typedef int (*silk_path_cb)(const struct silk_path *p, void *arg);

struct silk_sock *silk_open(void);
void silk_close(struct silk_sock *s);
const char *silk_errmsg(const struct silk_sock *s);
const char *silk_err_attr(const struct silk_sock *s);
/*
 * 1 when the kernel's state changed while the last dump ran
 * (NLM_F_DUMP_INTR): what it listed may be inconsistent; dump again.
 */
int silk_dump_interrupted(const struct silk_sock *s);

int silk_path_add(struct silk_sock *s, const struct silk_path *req,
		  struct silk_path *out);
int silk_path_change(struct silk_sock *s, const struct silk_path *req,
		     struct silk_path *out);
int silk_path_del(struct silk_sock *s, const struct silk_path *req);
int silk_path_get(struct silk_sock *s, const struct silk_path *req,
		  struct silk_path *out);
/* Every path, or those of req's protocol and/or port when req sets them. */
int silk_path_dump(struct silk_sock *s, const struct silk_path *req,
		   silk_path_cb cb, void *arg);
int silk_stats_get(struct silk_sock *s, struct silk_ns_stats *out);
int silk_placement_set(struct silk_sock *s, uint8_t placement);
/* Sensors on (1), off (0) or unchanged (-1); interval 0 keeps it. */
int silk_meter_set(struct silk_sock *s, int on, uint32_t interval_ms);
int silk_meter_get(struct silk_sock *s, uint16_t port, struct silk_meter *out);
int silk_meter_dump(struct silk_sock *s, silk_meter_cb cb, void *arg);
int silk_group_new(struct silk_sock *s, const struct silk_group *g);
/* A new rate (has_rate) and/or new weights for the ports given. */
int silk_group_change(struct silk_sock *s, const struct silk_group *g);
int silk_group_del(struct silk_sock *s, const char *name);
int silk_group_get(struct silk_sock *s, const char *name,
		   struct silk_group *out);
int silk_group_dump(struct silk_sock *s, silk_group_cb cb, void *arg);
const char *silk_group_type_name(uint8_t type);	/* "rate", "ratio", "output" */
int silk_group_type_parse(const char *name);	/* or -1 */
/* Every connection path, or those of listen path @id when it is not 0. */
int silk_conn_dump(struct silk_sock *s, uint32_t id, silk_path_cb cb,
		   void *arg);

/* Helpers for tools. */
int silk_chain_do(struct silk_sock *s, const struct silk_chain_op *op);
/* All or nothing; on failure *failed is the index of the op that failed. */
int silk_chain_batch(struct silk_sock *s, const struct silk_chain_op *ops,
		     unsigned int n, unsigned int *failed);
int silk_chain_get(struct silk_sock *s, uint16_t port, silk_chain_cb cb,
		   void *arg);
int silk_chain_dump(struct silk_sock *s, silk_chain_cb cb, void *arg);
const char *silk_chain_type_name(uint8_t type);	/* "a", "c", "d" */
int silk_chain_type_parse(const char *name);	/* or -1 */
const char *silk_chain_algo_name(uint8_t algo);
int silk_chain_algo_parse(const char *name);	/* or -1 */

const char *silk_proto_name(uint8_t proto);
const char *silk_class_name(uint8_t class);
int silk_class_parse(const char *name);	/* enum silk_class or -1 */
const char *silk_placement_name(uint8_t placement);
int silk_placement_parse(const char *name);	/* enum silk_placement or -1 */
int silk_enter_netns(const char *name);

#endif /* _LIBSILK_H */
