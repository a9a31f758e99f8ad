// SPDX-License-Identifier: GPL-2.0
/*
 * nlfuzz: random and mutated generic netlink messages to silk's family.
 *
 *   nlfuzz [-n COUNT] [-s SEED] [-c EVERY] [-u]
 *
 * Each message gets a command (mostly silk's, some out of range), flags,
 * and random attributes of every type silk knows and some it does not:
 * lengths of 0..300 bytes, values that sit on the edges of silk's ranges,
 * nests inside nests; or it is a message that silk accepted earlier with
 * bytes flipped, cut short or grown, or attribute lengths made wrong. Every
 * message must be answered (an error, an ack or a whole dump) within 5 s.
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

static bool is_nest(unsigned int type)
{
	return type == SILK_A_GROUP_PORTS || type == SILK_A_GROUP_PORT ||
	       type == SILK_A_CHAIN_OPS || type == SILK_A_CHAIN_OP ||
	       type == SILK_A_CHAIN_COND || type == SILK_A_PATH_STATS;
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

static void put_attrs(struct msg *m, int depth);

static void put_one(struct msg *m, int depth)
{
	static const size_t lens[] = { 0, 1, 2, 3, 4, 5, 8, 16, 17, 32 };
	unsigned int type = below(6) ? 1 + below(SILK_A_MAX) : below(SILK_A_MAX + 40);
	size_t start = m->len, len;
	unsigned char *p;

	if (below(16) == 0)
		type |= below(2) ? NLA_F_NESTED : NLA_F_NET_BYTEORDER;
	if (is_nest(type & NLA_TYPE_MASK) && depth < 4 && below(4)) {
		struct nlattr *a = (struct nlattr *)(m->buf + m->len);

		if (!put_attr(m, type | (below(4) ? NLA_F_NESTED : 0), 0))
			return;
		put_attrs(m, depth + 1);
		a->nla_len = m->len - start;
		return;
	}
	len = below(8) ? lens[below(10)] : below(300);
	p = put_attr(m, type, len);
	if (p)
		fill(p, len);
}

static void put_attrs(struct msg *m, int depth)
{
	unsigned int i, n = below(depth ? 4 : 9);

	for (i = 0; i < n; i++)
		put_one(m, depth);
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
	put_u(m, SILK_A_PATH_PROTO, 1, below(4) ? (below(2) ? 6 : 17) : edge());
	put_u(m, SILK_A_PATH_PORT, 2, port());
	if (below(3) == 0)
		put_u(m, SILK_A_PATH_FAMILY, 1, below(2) ? 2 : 10);
	if (below(4) == 0) {
		put_u(m, SILK_A_PATH_RADDR4, 4, rnd());
		put_u(m, SILK_A_PATH_RPLEN, 1, below(40));
	}
}

static void put_class(struct msg *m)
{
	put_u(m, SILK_A_PATH_CLASS, 1, below(5));
	if (below(2))
		put_u(m, SILK_A_PATH_PRIO, 1, below(70));
	if (below(2))
		put_u(m, SILK_A_PATH_WEIGHT, 4, below(2) ? below(10002) : edge());
	if (below(2)) {
		put_u(m, SILK_A_PATH_DEADLINE_US, 4, edge());
		put_u(m, SILK_A_PATH_RUNTIME_US, 4, edge());
	}
	if (below(4) == 0)
		put_u(m, SILK_A_PATH_LIMIT_PKTS, 4, edge());
	if (below(4) == 0)
		put_u(m, SILK_A_PATH_CPU, 4, below(4));
	if (below(4) == 0)
		put_u(m, below(3) ? SILK_A_PATH_LAZY : below(2) ? SILK_A_PATH_CONNS :
		      SILK_A_PATH_MIRROR, 1, below(3));
	if (below(6) == 0)
		put_str(m, SILK_A_PATH_NAME, below(2) ? "fuzz" : "a-name-longer-than-it-may-be-for-sure");
}

static void put_chain(struct msg *m, uint8_t cmd)
{
	put_u(m, SILK_A_CHAIN_PORT, 2, port());
	switch (cmd) {
	case SILK_CMD_CHAIN_NEW:
		put_u(m, SILK_A_CHAIN_TYPE, 1, below(4));
		put_u(m, SILK_A_CHAIN_OUT, 2, port());
		if (below(3) == 0)
			put_u(m, SILK_A_CHAIN_MAX_BYTES, 4, edge());
		if (below(3) == 0)
			put_u(m, SILK_A_CHAIN_TIMEOUT_MS, 4, edge());
		if (below(4) == 0)
			put_u(m, SILK_A_CHAIN_ALGO, 1, below(3));
		if (below(4) == 0)
			put_attr(m, SILK_A_CHAIN_REPLACE, 0);
		break;
	case SILK_CMD_COND_NEW:
		put_u(m, SILK_A_CHAIN_OUT, 2, port());
		switch (below(4)) {
		case 0:
			put_u(m, SILK_A_COND_ADDR4, 4, rnd());
			put_u(m, SILK_A_COND_PLEN, 1, below(40));
			break;
		case 1:
			put_u(m, SILK_A_COND_ADDR6, 8, rnd());
			put_u(m, SILK_A_COND_PLEN, 1, below(140));
			break;
		case 2:
			put_str(m, SILK_A_COND_STRING, below(2) ? "Host: x" : "");
			break;
		default:
			put_u(m, SILK_A_COND_WEIGHT, 2, below(2) ? below(10002) : edge());
		}
		break;
	case SILK_CMD_CHAIN_DEL:
		if (below(2))
			put_u(m, SILK_A_COND_INDEX, 4, below(5));
		break;
	}
}

static void put_group(struct msg *m, uint8_t cmd)
{
	static const char *const names[] = { "g", "web", "", "fuzz-group" };
	unsigned int i, n;
	long ports;

	put_str(m, SILK_A_GROUP_NAME, names[below(4)]);
	if (cmd == SILK_CMD_GROUP_NEW)
		put_u(m, SILK_A_GROUP_TYPE, 1, below(5));
	if (below(2))
		put_u(m, SILK_A_GROUP_RATE, 8, below(2) ? below(100000) : edge());
	if (cmd != SILK_CMD_GROUP_NEW && below(2))
		return;
	ports = nest_start(m, SILK_A_GROUP_PORTS);
	if (ports < 0)
		return;
	n = below(5);
	for (i = 0; i < n; i++) {
		long one = nest_start(m, SILK_A_GROUP_PORT);

		if (one < 0)
			break;
		put_u(m, SILK_A_GPORT_PORT, 2, port());
		if (below(2))
			put_u(m, SILK_A_GPORT_WEIGHT, 4, below(2) ? below(10002) : edge());
		if (below(4) == 0)
			put_attr(m, SILK_A_GPORT_FTP, 0);
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
		(below(6) == 0 ? NLM_F_DUMP : 0), cmd, 1);
	switch (cmd) {
	case SILK_CMD_PATH_ADD:
		put_binding(m);
		put_class(m);
		break;
	case SILK_CMD_PATH_CHANGE:
	case SILK_CMD_PATH_DEL:
	case SILK_CMD_PATH_GET:
		if (below(2))
			put_u(m, SILK_A_PATH_ID, 4, below(40));
		else
			put_binding(m);
		if (cmd == SILK_CMD_PATH_CHANGE)
			put_class(m);
		break;
	case SILK_CMD_NS_SET:
		if (below(2))
			put_u(m, SILK_A_NS_PLACEMENT, 1, below(6));
		if (below(2))
			put_u(m, SILK_A_NS_METER, 1, below(3));
		if (below(2))
			put_u(m, SILK_A_NS_METER_INTERVAL_MS, 4, edge());
		break;
	case SILK_CMD_CHAIN_BATCH: {
		long ops = nest_start(m, SILK_A_CHAIN_OPS), op;

		if (ops < 0)
			break;
		n = below(6);
		for (i = 0; i < n; i++) {
			static const uint8_t bc[] = {
				SILK_CMD_CHAIN_NEW, SILK_CMD_COND_NEW,
				SILK_CMD_CHAIN_DEL, SILK_CMD_CHAIN_FLUSH,
				SILK_CMD_PATH_ADD,
			};
			uint8_t c = bc[below(5)];

			op = nest_start(m, SILK_A_CHAIN_OP);
			if (op < 0)
				break;
			put_u(m, SILK_A_CHAIN_CMD, 1, c);
			put_chain(m, c);
			nest_end(m, op);
		}
		nest_end(m, ops);
		break;
	}
	case SILK_CMD_METER_GET:
		put_u(m, SILK_A_METER_PORT, 2, port());
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
		put_one(m, 0);
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
	put_hdr(m, family, flags, cmd, below(16) ? 1 : below(256));
	put_attrs(m, 0);
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
		put_one(m, 0);
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
		put_hdr(&m, family, NLM_F_REQUEST | NLM_F_DUMP, cmds[i], 1);
		finish_msg(&m);
		if (send_msg(&m) || answer(&d))
			d ^= 0xdead;
	}
	/* Namespace settings (placement, sensors): the stats reply. */
	put_hdr(&m, family, NLM_F_REQUEST, SILK_CMD_STATS_GET, 1);
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
		cmd = ((struct genlmsghdr *)NLMSG_DATA((struct nlmsghdr *)m.buf))->cmd;
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
