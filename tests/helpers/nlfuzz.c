// SPDX-License-Identifier: GPL-2.0
/*
 * nlfuzz: random and mutated generic netlink messages to silk's family.
 *
 *   nlfuzz [-n COUNT] [-s SEED] [-c EVERY] [-u]
 *
 * Each message gets a command (mostly silk's, some out of range), flags,
 * and random attributes of the command's attribute space (SILK_PATH_A_*,
 * SILK_NS_A_*, SILK_CHAIN_A_*, ...; now and then another's) and numbers
 * past its end: lengths of 0..300 bytes, values that sit on the edges of
 * silk's ranges, nests where the header has them (SILK_PATH_A_CONN,
 * SILK_CHAIN_A_COND, SILK_CHAIN_A_OPS, SILK_GROUP_A_PORTS, ...) filled from
 * the nested space, mostly with NLA_F_NESTED and sometimes without; or it
 * is a message that silk accepted earlier with bytes flipped, cut short or
 * grown, or attribute lengths made wrong. Every message must be answered
 * (an error, an ack or a whole dump) within 5 s.
 *
 * -c EVERY: every EVERY-th message that silk refused must leave its
 * configuration (paths, rules, groups, namespace settings: what the dumps
 * show) as it was. -u: the caller is unprivileged; then no command that
 * changes anything may succeed.
 *
 * Prints one JSON object: what was sent and how it was answered; exits
 * non-zero if a message went unanswered, a refused one changed the
 * configuration, or (-u) a change went through.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/silk.h>

#include "fuzz.h"

#define BUF_SIZE	65536
#define RING		64

static int fd;
static uint16_t family;
static uint32_t seq = 1;
static unsigned char rx[BUF_SIZE];

struct msg {
	size_t len;
	unsigned char buf[4096];
};

static int send_msg(struct msg *m)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)m->buf;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

	nlh->nlmsg_seq = ++seq;
	return sendto(fd, m->buf, m->len, 0, (struct sockaddr *)&sa,
		      sizeof(sa)) < 0 ? -errno : 0;
}

/*
 * Read the answer to the last message: returns 0 (ack or a dump's end),
 * a negative errno (silk's or netlink's), or 1 if none came. @digest, if
 * not NULL, hashes the payloads of what came.
 */
static int answer(uint64_t *digest)
{
	for (;;) {
		ssize_t n = recv(fd, rx, sizeof(rx), 0);
		struct nlmsghdr *h;

		if (n < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK ? 1 : -errno;
		for (h = (struct nlmsghdr *)rx; NLMSG_OK(h, (size_t)n);
		     h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_seq != seq)
				continue;	/* late parts of an old dump */
			if (h->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(h);

				return e->error;
			}
			if (h->nlmsg_type == NLMSG_DONE)
				return 0;
			if (digest) {
				const unsigned char *p = NLMSG_DATA(h);
				size_t i, l = h->nlmsg_len - NLMSG_HDRLEN;

				for (i = 0; i < l; i++)
					*digest = (*digest ^ p[i]) * 1099511628211ULL;
			}
			if (!(h->nlmsg_flags & NLM_F_MULTI))
				return 0;
		}
	}
}

static void put_hdr(struct msg *m, uint16_t type, uint16_t flags, uint8_t cmd,
		    uint8_t version)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)m->buf;
	struct genlmsghdr *g = NLMSG_DATA(nlh);

	memset(m->buf, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	g->cmd = cmd;
	g->version = version;
	m->len = NLMSG_HDRLEN + GENL_HDRLEN;
}

static void finish_msg(struct msg *m)
{
	((struct nlmsghdr *)m->buf)->nlmsg_len = m->len;
}

/* Append an attribute of @len bytes at @m->len; returns its payload. */
static unsigned char *put_attr(struct msg *m, uint16_t type, size_t len)
{
	struct nlattr *a = (struct nlattr *)(m->buf + m->len);

	if (m->len + NLA_HDRLEN + NLA_ALIGN(len) > sizeof(m->buf))
		return NULL;
	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memset((unsigned char *)a + NLA_HDRLEN, 0, NLA_ALIGN(len));
	m->len += NLA_HDRLEN + NLA_ALIGN(len);
	return (unsigned char *)a + NLA_HDRLEN;
}

/* Open a nest: its offset, or -1 if the message is full. */
static long nest_start(struct msg *m, uint16_t type)
{
	size_t at = m->len;

	return put_attr(m, type | NLA_F_NESTED, 0) ? (long)at : -1;
}

static void nest_end(struct msg *m, long at)
{
	((struct nlattr *)(m->buf + at))->nla_len = m->len - at;
}

/* The attribute spaces of the header, and what nests in them. */
enum space {
	SP_PATH, SP_CONN, SP_NS, SP_GLOBAL, SP_CHAIN, SP_COND, SP_METER,
	SP_GROUP, SP_GPORT, SP_STATS,
	NSPACES
};

static const unsigned int space_max[NSPACES] = {
	[SP_PATH] = SILK_PATH_A_MAX,
	[SP_CONN] = SILK_CONN_A_MAX,
	[SP_NS] = SILK_NS_A_MAX,
	[SP_GLOBAL] = SILK_GLOBAL_A_MAX,
	[SP_CHAIN] = SILK_CHAIN_A_MAX,
	[SP_COND] = SILK_COND_A_MAX,
	[SP_METER] = SILK_METER_A_MAX,
	[SP_GROUP] = SILK_GROUP_A_MAX,
	[SP_GPORT] = SILK_GPORT_A_MAX,
	[SP_STATS] = SILK_STATS_MAX,
};

/*
 * The space nested in attribute @type of space @sp, or -1 if it is not a
 * nest; *@list says it is a nest of nests of that space.
 */
static int nested_space(int sp, unsigned int type, bool *list)
{
	*list = false;
	switch (sp) {
	case SP_PATH:
		if (type == SILK_PATH_A_STATS)
			return SP_STATS;
		if (type == SILK_PATH_A_CONN)
			return SP_CONN;
		break;
	case SP_NS:
		if (type == SILK_NS_A_GLOBAL)
			return SP_GLOBAL;
		break;
	case SP_CHAIN:
		if (type == SILK_CHAIN_A_COND)
			return SP_COND;
		if (type == SILK_CHAIN_A_OPS) {
			*list = true;
			return SP_CHAIN;
		}
		break;
	case SP_GROUP:
		if (type == SILK_GROUP_A_PORTS) {
			*list = true;
			return SP_GPORT;
		}
		break;
	}
	return -1;
}

/* The space of @cmd's requests; another one at random for a stray. */
static int cmd_space(uint8_t cmd)
{
	switch (cmd) {
	case SILK_CMD_PATH_ADD:
	case SILK_CMD_PATH_CHANGE:
	case SILK_CMD_PATH_DEL:
	case SILK_CMD_PATH_GET:
	case SILK_CMD_CONN_GET:
		return SP_PATH;
	case SILK_CMD_STATS_GET:
	case SILK_CMD_NS_SET:
		return SP_NS;
	case SILK_CMD_CHAIN_NEW:
	case SILK_CMD_CHAIN_DEL:
	case SILK_CMD_COND_NEW:
	case SILK_CMD_CHAIN_FLUSH:
	case SILK_CMD_CHAIN_GET:
	case SILK_CMD_CHAIN_BATCH:
		return SP_CHAIN;
	case SILK_CMD_METER_GET:
		return SP_METER;
	case SILK_CMD_GROUP_NEW:
	case SILK_CMD_GROUP_CHANGE:
	case SILK_CMD_GROUP_DEL:
	case SILK_CMD_GROUP_GET:
		return SP_GROUP;
	}
	return (int)below(NSPACES);
}

/* The command of the message in @m. */
static uint8_t msg_cmd(const struct msg *m)
{
	return ((struct genlmsghdr *)NLMSG_DATA((struct nlmsghdr *)m->buf))->cmd;
}

/* NLA_F_NESTED, as the kernel wants it, but not always. */
static uint16_t nested_flag(void)
{
	return below(8) ? NLA_F_NESTED : 0;
}

/* A value on or near the edge of something silk checks. */
static uint64_t edge(void)
{
	static const uint64_t v[] = {
		0, 1, 2, 3, 7, 8, 15, 16, 21, 63, 64, 80, 98, 99, 100, 127,
		128, 255, 256, 1023, 1024, 8080, 9999, 10000, 10001, 65535,
		65536, 1000000, 0x7fffffff, 0x80000000, 0xffffffff,
		0x100000000ULL, 0x7fffffffffffffffULL, ~0ULL,
	};

	return below(4) ? v[below(sizeof(v) / sizeof(v[0]))] : rnd();
}

static void fill(unsigned char *p, size_t len)
{
	uint64_t x;
	size_t i;

	switch (below(4)) {
	case 0:		/* a number, as silk's u8..u64 */
		x = edge();
		memcpy(p, &x, len < 8 ? len : 8);
		break;
	case 1:		/* text, terminated or not */
		for (i = 0; i < len; i++)
			p[i] = "www.example.com/ \r\nHost:"[below(24)];
		if (len && below(2))
			p[len - 1] = 0;
		break;
	case 2:		/* an address */
		for (i = 0; i < len; i++)
			p[i] = below(2) ? 10 : below(256);
		break;
	default:
		for (i = 0; i < len; i++)
			p[i] = rnd();
	}
}

static void put_attrs(struct msg *m, int sp, int depth);

/* A nest of @sp's attributes, or (@list) of nests of them, as @type. */
static void put_nest(struct msg *m, unsigned int type, int sp, bool list,
		     int depth)
{
	size_t start = m->len;
	struct nlattr *a = (struct nlattr *)(m->buf + m->len);
	unsigned int i, n;

	if (!put_attr(m, type | nested_flag(), 0))
		return;
	if (!list) {
		put_attrs(m, sp, depth + 1);
	} else {
		n = below(4);
		for (i = 0; i < n; i++) {
			size_t one = m->len;
			struct nlattr *e = (struct nlattr *)(m->buf + m->len);

			/* Entries are numbered 1, 2, ...: or not. */
			if (!put_attr(m, (below(8) ? i + 1 : below(70000) & NLA_TYPE_MASK) |
				      nested_flag(), 0))
				break;
			put_attrs(m, sp, depth + 2);
			e->nla_len = m->len - one;
		}
	}
	a->nla_len = m->len - start;
}

/* One attribute of space @sp, mostly; its number may be past the end. */
static void put_one(struct msg *m, int sp, int depth)
{
	static const size_t lens[] = { 0, 1, 2, 3, 4, 5, 8, 16, 17, 32 };
	unsigned int max = space_max[sp];
	unsigned int type = below(6) ? 1 + below(max) : below(max + 40);
	size_t len;
	unsigned char *p;
	bool list;
	int inner;

	inner = nested_space(sp, type, &list);
	if (inner >= 0 && depth < 4 && below(4)) {
		put_nest(m, type, inner, list, depth);
		return;
	}
	if (below(16) == 0)
		type |= below(2) ? NLA_F_NESTED : NLA_F_NET_BYTEORDER;
	len = below(8) ? lens[below(10)] : below(300);
	p = put_attr(m, type, len);
	if (p)
		fill(p, len);
}

static void put_attrs(struct msg *m, int sp, int depth)
{
	unsigned int i, n = below(depth ? 4 : 9);

	for (i = 0; i < n; i++)
		put_one(m, sp, depth);
}

static void put_u(struct msg *m, uint16_t type, size_t len, uint64_t v)
{
	unsigned char *p = put_attr(m, type, len);

	if (p)
		memcpy(p, &v, len);	/* little-endian, as the VM's CPU */
}

static void put_str(struct msg *m, uint16_t type, const char *s)
{
	unsigned char *p = put_attr(m, type, strlen(s) + 1);

	if (p)
		strcpy((char *)p, s);
}

/* A port, often one that others in the run use too. */
static uint16_t port(void)
{
	static const uint16_t v[] = { 21, 80, 8080, 8081, 9000, 9001, 9002 };

	return below(4) ? v[below(7)] : rnd();
}

static void put_binding(struct msg *m)
{
	put_u(m, SILK_PATH_A_PROTO, 1, below(4) ? (below(2) ? 6 : 17) : edge());
	put_u(m, SILK_PATH_A_PORT, 2, port());
	if (below(3) == 0)
		put_u(m, SILK_PATH_A_FAMILY, 1, below(2) ? 2 : 10);
	if (below(4) == 0) {
		put_u(m, SILK_PATH_A_RADDR4, 4, rnd());
		put_u(m, SILK_PATH_A_RPLEN, 1, below(40));
	}
	if (below(8) == 0)
		put_u(m, SILK_PATH_A_DSCP, 1, below(70));
}

static void put_class(struct msg *m)
{
	put_u(m, SILK_PATH_A_CLASS, 1, below(5));
	if (below(2))
		put_u(m, SILK_PATH_A_PRIO, 1, below(70));
	if (below(2))
		put_u(m, SILK_PATH_A_WEIGHT, 4, below(2) ? below(10002) : edge());
	if (below(2)) {
		put_u(m, SILK_PATH_A_DEADLINE_US, 4, edge());
		put_u(m, SILK_PATH_A_RUNTIME_US, 4, edge());
	}
	if (below(4) == 0)
		put_u(m, SILK_PATH_A_LIMIT_PKTS, 4, edge());
	if (below(4) == 0)
		put_u(m, SILK_PATH_A_CPU, 4, below(4));
	if (below(4) == 0)
		put_u(m, below(3) ? SILK_PATH_A_LAZY : below(2) ? SILK_PATH_A_CONNS :
		      SILK_PATH_A_MIRROR, 1, below(3));
	if (below(8) == 0)
		put_u(m, below(2) ? SILK_PATH_A_MIRROR_UID : SILK_PATH_A_MIRROR_GID,
		      4, below(2) ? 0 : edge());
	if (below(6) == 0)
		put_str(m, SILK_PATH_A_NAME, below(2) ? "fuzz" : "a-name-longer-than-it-may-be-for-sure");
}

/* A condition's nest: its outgoing port and one condition, or an index. */
static void put_cond(struct msg *m, uint8_t cmd)
{
	long c = nest_start(m, SILK_CHAIN_A_COND);

	if (c < 0)
		return;
	if (below(8) == 0)	/* a nest without its flag */
		((struct nlattr *)(m->buf + c))->nla_type &= ~NLA_F_NESTED;
	if (cmd == SILK_CMD_CHAIN_DEL) {
		put_u(m, SILK_COND_A_INDEX, 4, below(5));
		nest_end(m, c);
		return;
	}
	if (below(8))
		put_u(m, SILK_COND_A_OUT, 2, port());
	switch (below(5)) {
	case 0:
		put_u(m, SILK_COND_A_ADDR4, 4, rnd());
		put_u(m, SILK_COND_A_PLEN, 1, below(40));
		break;
	case 1:
		put_u(m, SILK_COND_A_ADDR6, below(4) ? 16 : 8, rnd());
		put_u(m, SILK_COND_A_PLEN, 1, below(140));
		break;
	case 2:
		put_str(m, SILK_COND_A_STRING, below(2) ? "Host: x" : "");
		break;
	case 3:
		put_u(m, SILK_COND_A_WEIGHT, 2, below(2) ? below(10002) : edge());
		break;
	default:	/* something a request does not carry */
		put_u(m, below(2) ? SILK_COND_A_HITS : SILK_COND_A_INDEX, 8,
		      edge());
	}
	nest_end(m, c);
}

static void put_chain(struct msg *m, uint8_t cmd)
{
	switch (cmd) {
	case SILK_CMD_CHAIN_NEW:
		put_u(m, SILK_CHAIN_A_TYPE, 1, below(4));
		put_u(m, SILK_CHAIN_A_PORT, 2, port());
		put_u(m, SILK_CHAIN_A_OUT, 2, port());
		if (below(3) == 0)
			put_u(m, SILK_CHAIN_A_MAX_BYTES, 4, edge());
		if (below(3) == 0)
			put_u(m, SILK_CHAIN_A_TIMEOUT_MS, 4, edge());
		if (below(4) == 0)
			put_u(m, SILK_CHAIN_A_ALGO, 1, below(3));
		if (below(4) == 0)
			put_attr(m, SILK_CHAIN_A_REPLACE, 0);
		break;
	case SILK_CMD_COND_NEW:
		if (below(8))
			put_u(m, SILK_CHAIN_A_TYPE, 1, below(4));
		put_u(m, SILK_CHAIN_A_PORT, 2, port());
		if (below(8))
			put_cond(m, cmd);
		else	/* the old way: the condition's port at the top */
			put_u(m, SILK_CHAIN_A_OUT, 2, port());
		break;
	case SILK_CMD_CHAIN_DEL:
		put_u(m, SILK_CHAIN_A_PORT, 2, port());
		if (below(2))
			put_cond(m, cmd);
		break;
	case SILK_CMD_CHAIN_FLUSH:
		if (below(8) == 0)
			put_u(m, SILK_CHAIN_A_PORT, 2, port());
		break;
	default:
		put_u(m, SILK_CHAIN_A_PORT, 2, port());
	}
}

static void put_group(struct msg *m, uint8_t cmd)
{
	static const char *const names[] = { "g", "web", "", "fuzz-group" };
	unsigned int i, n;
	long ports;

	put_str(m, SILK_GROUP_A_NAME, names[below(4)]);
	if (cmd == SILK_CMD_GROUP_NEW)
		put_u(m, SILK_GROUP_A_TYPE, 1, below(5));
	if (below(2))
		put_u(m, below(2) ? SILK_GROUP_A_ACCEPT_RATE_MILLI :
		      SILK_GROUP_A_OUTPUT_RATE, 8,
		      below(2) ? below(100000) : edge());
	if (cmd != SILK_CMD_GROUP_NEW && below(2))
		return;
	ports = nest_start(m, SILK_GROUP_A_PORTS);
	if (ports < 0)
		return;
	if (below(8) == 0)
		((struct nlattr *)(m->buf + ports))->nla_type &= ~NLA_F_NESTED;
	n = below(5);
	for (i = 0; i < n; i++) {
		long one = nest_start(m, i + 1);

		if (one < 0)
			break;
		if (below(8) == 0)
			((struct nlattr *)(m->buf + one))->nla_type &= ~NLA_F_NESTED;
		put_u(m, SILK_GPORT_A_PORT, 2, port());
		if (below(2))
			put_u(m, SILK_GPORT_A_WEIGHT, 4, below(2) ? below(10002) : edge());
		if (below(4) == 0)
			put_attr(m, SILK_GPORT_A_FTP, 0);
		nest_end(m, one);
	}
	nest_end(m, ports);
}

/* A message much like the tools send, with values at and past the edges. */
static void make_plausible(struct msg *m)
{
	static const uint8_t cmds[] = {
		SILK_CMD_PATH_ADD, SILK_CMD_PATH_ADD, SILK_CMD_PATH_CHANGE,
		SILK_CMD_PATH_DEL, SILK_CMD_PATH_GET, SILK_CMD_NS_SET,
		SILK_CMD_CHAIN_NEW, SILK_CMD_CHAIN_NEW, SILK_CMD_COND_NEW,
		SILK_CMD_COND_NEW, SILK_CMD_CHAIN_DEL, SILK_CMD_CHAIN_FLUSH,
		SILK_CMD_CHAIN_BATCH, SILK_CMD_METER_GET, SILK_CMD_GROUP_NEW,
		SILK_CMD_GROUP_NEW, SILK_CMD_GROUP_CHANGE, SILK_CMD_GROUP_DEL,
		SILK_CMD_CONN_GET, SILK_CMD_CHAIN_GET, SILK_CMD_GROUP_GET,
	};
	uint8_t cmd = cmds[below(sizeof(cmds))];
	unsigned int i, n;

	put_hdr(m, family, NLM_F_REQUEST | NLM_F_ACK |
		(below(6) == 0 ? NLM_F_DUMP : 0), cmd, SILK_GENL_VERSION);
	switch (cmd) {
	case SILK_CMD_PATH_ADD:
		put_binding(m);
		put_class(m);
		break;
	case SILK_CMD_PATH_CHANGE:
	case SILK_CMD_PATH_DEL:
	case SILK_CMD_PATH_GET:
		if (below(2))
			put_u(m, SILK_PATH_A_ID, 4, below(40));
		else
			put_binding(m);
		if (cmd == SILK_CMD_PATH_CHANGE)
			put_class(m);
		break;
	case SILK_CMD_NS_SET:
		if (below(2))
			put_u(m, SILK_NS_A_PLACEMENT, 1, below(6));
		if (below(2))
			put_u(m, SILK_NS_A_METER, 1, below(3));
		if (below(2))
			put_u(m, SILK_NS_A_METER_INTERVAL_MS, 4, edge());
		break;
	case SILK_CMD_CHAIN_BATCH: {
		long ops = nest_start(m, SILK_CHAIN_A_OPS), op;

		if (ops < 0)
			break;
		if (below(8) == 0)
			((struct nlattr *)(m->buf + ops))->nla_type &= ~NLA_F_NESTED;
		n = below(6);
		for (i = 0; i < n; i++) {
			static const uint8_t bc[] = {
				SILK_CMD_CHAIN_NEW, SILK_CMD_COND_NEW,
				SILK_CMD_CHAIN_DEL, SILK_CMD_CHAIN_FLUSH,
				SILK_CMD_PATH_ADD,
			};
			uint8_t c = bc[below(5)];

			/* Entries of types 1, 2, ...; the kernel ignores them. */
			op = nest_start(m, below(8) ? i + 1 : rnd() & NLA_TYPE_MASK);
			if (op < 0)
				break;
			if (below(8) == 0)
				((struct nlattr *)(m->buf + op))->nla_type &= ~NLA_F_NESTED;
			put_u(m, SILK_CHAIN_A_CMD, 1, c);
			put_chain(m, c);
			nest_end(m, op);
		}
		nest_end(m, ops);
		break;
	}
	case SILK_CMD_METER_GET:
		put_u(m, SILK_METER_A_PORT, 2, port());
		break;
	case SILK_CMD_CONN_GET:
		if (below(2))
			put_u(m, SILK_PATH_A_ID, 4, below(40));
		break;
	case SILK_CMD_GROUP_NEW:
	case SILK_CMD_GROUP_CHANGE:
	case SILK_CMD_GROUP_DEL:
	case SILK_CMD_GROUP_GET:
		put_group(m, cmd);
		break;
	default:
		put_chain(m, cmd);
	}
	/* Now and then, something that does not belong. */
	if (below(8) == 0)
		put_one(m, below(4) ? cmd_space(cmd) : (int)below(NSPACES), 0);
	finish_msg(m);
}

static void make_random(struct msg *m)
{
	/* Always an ack: a change that succeeds is otherwise silent. */
	uint16_t flags = NLM_F_REQUEST | NLM_F_ACK;
	uint8_t cmd = below(8) ? 1 + below(SILK_CMD_MAX) : below(256);

	if (below(5) == 0)
		flags |= NLM_F_DUMP;
	if (below(16) == 0)
		flags |= rnd() & 0xfff0;
	put_hdr(m, family, flags, cmd,
		below(16) ? SILK_GENL_VERSION : below(256));
	put_attrs(m, cmd_space(cmd), 0);
	finish_msg(m);
}

static void mutate(struct msg *m)
{
	size_t hdr = NLMSG_HDRLEN + GENL_HDRLEN, i;
	struct nlattr *a;

	switch (below(5)) {
	case 0:		/* flip bytes after the netlink header */
		for (i = 0; i < 1 + below(4) && m->len > NLMSG_HDRLEN; i++)
			m->buf[NLMSG_HDRLEN + below(m->len - NLMSG_HDRLEN)] ^= 1 << below(8);
		break;
	case 1:		/* cut short */
		if (m->len > hdr)
			m->len = hdr + below(m->len - hdr);
		break;
	case 2:		/* grow */
		for (i = 0; i < 1 + below(64) && m->len < sizeof(m->buf); i++)
			m->buf[m->len++] = rnd();
		break;
	case 3:		/* an attribute length made wrong */
		if (m->len > hdr + NLA_HDRLEN) {
			a = (struct nlattr *)(m->buf + hdr);
			a->nla_len = below(2) ? below(8) : a->nla_len + 1 + below(600);
		}
		break;
	default:	/* another attribute */
		put_one(m, cmd_space(msg_cmd(m)), 0);
	}
	/*
	 * nlmsg_len itself stays right: netlink, not silk, checks it, and a
	 * short one would make the rest a message to any family.
	 */
	finish_msg(m);
}

/* Changes configuration: every command but the GETs. */
static bool is_change(uint8_t cmd)
{
	return cmd != SILK_CMD_PATH_GET && cmd != SILK_CMD_STATS_GET &&
	       cmd != SILK_CMD_CONN_GET && cmd != SILK_CMD_CHAIN_GET &&
	       cmd != SILK_CMD_METER_GET && cmd != SILK_CMD_GROUP_GET &&
	       cmd >= 1 && cmd <= SILK_CMD_MAX;
}

/* What the dumps show of the configuration. */
static uint64_t state(void)
{
	static const uint8_t cmds[] = {
		SILK_CMD_PATH_GET, SILK_CMD_CHAIN_GET, SILK_CMD_GROUP_GET,
	};
	uint64_t d = 1469598103934665603ULL;
	struct msg m;
	unsigned int i;

	for (i = 0; i < sizeof(cmds); i++) {
		put_hdr(&m, family, NLM_F_REQUEST | NLM_F_DUMP, cmds[i],
			SILK_GENL_VERSION);
		finish_msg(&m);
		if (send_msg(&m) || answer(&d))
			d ^= 0xdead;
	}
	/* Namespace settings (placement, sensors): the stats reply. */
	put_hdr(&m, family, NLM_F_REQUEST, SILK_CMD_STATS_GET, SILK_GENL_VERSION);
	finish_msg(&m);
	if (send_msg(&m) || answer(&d))
		d ^= 0xbeef;
	return d;
}

static int resolve(void)
{
	struct msg m;
	struct nlmsghdr *h = (struct nlmsghdr *)rx;
	struct nlattr *a;
	unsigned char *p;
	ssize_t n;
	int len;

	put_hdr(&m, GENL_ID_CTRL, NLM_F_REQUEST, CTRL_CMD_GETFAMILY, 1);
	p = put_attr(&m, CTRL_ATTR_FAMILY_NAME, strlen(SILK_GENL_NAME) + 1);
	strcpy((char *)p, SILK_GENL_NAME);
	finish_msg(&m);
	if (send_msg(&m))
		return -1;
	n = recv(fd, rx, sizeof(rx), 0);
	if (n <= 0 || !NLMSG_OK(h, (size_t)n) || h->nlmsg_type == NLMSG_ERROR)
		return -1;
	len = h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	a = (struct nlattr *)((unsigned char *)NLMSG_DATA(h) + GENL_HDRLEN);
	for (; len >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= len;
	     len -= NLA_ALIGN(a->nla_len),
	     a = (struct nlattr *)((unsigned char *)a + NLA_ALIGN(a->nla_len)))
		if (a->nla_type == CTRL_ATTR_FAMILY_ID) {
			memcpy(&family, (unsigned char *)a + NLA_HDRLEN, 2);
			return 0;
		}
	return -1;
}

int main(int argc, char **argv)
{
	unsigned long count = 10000, every = 0, i, checked = 0, changed = 0;
	unsigned long sent = 0, ok = 0, refused = 0, noreply = 0, unpriv_ok = 0;
	unsigned long errs[256] = { 0 };
	struct timeval tv = { .tv_sec = 5 };
	static struct msg ring[RING], m;
	unsigned int nring = 0;
	bool unpriv = false, known = false;
	uint64_t before = 0, seed = 1;
	int opt, e;

	while ((opt = getopt(argc, argv, "n:s:c:u")) != -1) {
		switch (opt) {
		case 'n': count = strtoul(optarg, NULL, 0); break;
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 'c': every = strtoul(optarg, NULL, 0); break;
		case 'u': unpriv = true; break;
		default:
			fprintf(stderr, "usage: nlfuzz [-n COUNT] [-s SEED] [-c EVERY] [-u]\n");
			return 2;
		}
	}
	fuzz_seed(seed);
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) ||
	    resolve()) {
		fprintf(stderr, "nlfuzz: cannot reach the %s family\n", SILK_GENL_NAME);
		return 2;
	}
	/* Extended acks, so that their building is exercised too. */
	e = 1;
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &e, sizeof(e));
	for (i = 0; i < count; i++) {
		bool check;
		uint8_t cmd;

		if (nring && below(3) == 0) {
			m = ring[below(nring)];
			mutate(&m);
		} else if (below(2)) {
			make_plausible(&m);
		} else {
			make_random(&m);
		}
		cmd = msg_cmd(&m);
		check = every && is_change(cmd) && below(every) == 0;
		if (check && !known) {
			before = state();
			known = true;
		}
		if (send_msg(&m)) {
			errs[0]++;	/* the socket refused to send it */
			continue;
		}
		sent++;
		e = answer(NULL);
		if (e == 1) {
			fprintf(stderr, "nlfuzz: no answer to command %u, flags %#x, %zu bytes\n",
				cmd, ((struct nlmsghdr *)m.buf)->nlmsg_flags, m.len);
			noreply++;
			known = false;
			continue;
		}
		if (e == 0) {
			ok++;
			known = false;
			if (unpriv && is_change(cmd))
				unpriv_ok++;
			if (m.len < sizeof(ring[0]))
				ring[nring < RING ? nring++ : below(RING)] = m;
			continue;
		}
		refused++;
		errs[-e < 256 ? -e : 255]++;
		if (check) {
			checked++;
			if (state() != before) {
				changed++;
				known = false;
				fprintf(stderr, "nlfuzz: refused command %u (error %d) changed the configuration\n",
					cmd, e);
			}
		}
	}
	printf("{\"sent\":%lu,\"ok\":%lu,\"refused\":%lu,\"noreply\":%lu,"
	       "\"checked\":%lu,\"changed\":%lu,\"unpriv_ok\":%lu,\"errors\":{",
	       sent, ok, refused, noreply, checked, changed, unpriv_ok);
	for (i = 0, opt = 0; i < 256; i++)
		if (errs[i])
			printf("%s\"%s\":%lu", opt++ ? "," : "",
			       i ? strerror(i) : "unsent", errs[i]);
	printf("}}\n");
	return noreply || changed || unpriv_ok ? 1 : 0;
}
