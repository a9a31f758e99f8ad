// SPDX-License-Identifier: GPL-2.0
/*
 * silkctl: configure silk paths, in the style of iproute2.
 *
 *   silkctl [OPTIONS] path { add | change | del | show } ...
 *   silkctl [OPTIONS] stats
 *
 * Exit status is 0 only on success. Errors the kernel reports are printed
 * with its own message.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "json.h"
#include "libsilk.h"

static struct {
	bool json;
	bool pretty;
	bool stats;
	bool force;
	const char *batch;
} opt;

static struct libsilk_sock *sock;
static struct json js;

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: silkctl [OPTIONS] OBJECT COMMAND [ARGS]\n"
		"       silkctl [OPTIONS] -b FILE\n"
		"OBJECT := { path | conn | stats | takeover | placement | meter | group }\n"
		"OPTIONS := { -j[son] | -p[retty] | -s[tatistics] | -b[atch] FILE |\n"
		"             -f[orce] | -n[etns] NAME | -h[elp] | -V[ersion] }\n"
		"\n"
		"silkctl path add BINDING [ OPTS ]\n"
		"silkctl path change { id ID | BINDING } OPTS\n"
		"silkctl path del { id ID | BINDING }\n"
		"silkctl path show [ id ID | BINDING | PROTO | port PORT ]\n"
		"silkctl stats\n"
		"silkctl takeover { on | off } [ OPTS ]\n"
		"silkctl conn show [ id ID ]\n"
		"silkctl placement { hash | src | owner | rr }\n"
		"silkctl meter { on | off } [ interval MS ]\n"
		"silkctl meter interval MS\n"
		"silkctl group add NAME rate RATE GPORTS\n"
		"silkctl group add NAME ratio GPORTS\n"
		"silkctl group add NAME output rate BANDWIDTH GPORTS\n"
		"silkctl group change NAME { rate RATE | GPORTS }\n"
		"silkctl group del NAME\n"
		"silkctl group show [ NAME ]\n"
		"BINDING := PROTO port PORT [ family { inet | inet6 } ]\n"
		"           [ local ADDR ] [ remote PREFIX ] [ dscp 0-63 ] |\n"
		"           { tcp | udp | icmp | other } default\n"
		"PROTO := { tcp | udp }\n"
		"OPTS := [ CLASS ] [ limit PACKETS ] [ bytes SIZE ] [ cpu CPU ]\n"
		"        [ lazy { on | off } ] [ conns { on | off } ]\n"
		"        [ mirror { on | off } ] [ name NAME ]\n"
		"CLASS := { [ class fp ] prio 0-%d |\n"
		"           class edf deadline TIME runtime TIME [ period TIME ] |\n"
		"           class wfq [ weight %d-%d ] }\n"
		"TIME := microseconds, or a number with suffix us, ms or s\n"
		"RATE := connections per second (decimals allowed)\n"
		"BANDWIDTH := bytes per second, or N{bit|kbit|mbit|gbit|bps|kbps|mbps|gbps}\n"
		"GPORTS := port PORT [ weight 1-%d ] [ ftp ] [ port PORT ... ]\n",
		SILK_PRIO_MAX, SILK_WEIGHT_MIN, SILK_WEIGHT_MAX, SILK_WEIGHT_MAX);
}

static int kernel_error(int err)
{
	return cli_kernel_error(sock, err);
}

static bool matches(const char *arg, const char *full)
{
	size_t n = strlen(arg);

	return n && n <= strlen(full) && !strncmp(arg, full, n);
}

/* Option @name's value @arg, "on" or "off", into *@v. */
static int parse_on_off(const char *name, const char *arg, uint8_t *v)
{
	if (strcmp(arg, "on") && strcmp(arg, "off"))
		return cli_error("invalid %s \"%s\": expected on or off", name, arg);
	*v = !strcmp(arg, "on");
	return 0;
}

static int parse_u64(const char *s, unsigned long long max,
		     unsigned long long *v)
{
	char *end;

	if (!*s || !isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	*v = strtoull(s, &end, 0);
	if (errno || *end || *v > max)
		return -1;
	return 0;
}

/* SIZE: bytes with an optional k, m or g suffix (powers of 1024). */
static int parse_size(const char *s, unsigned long long *v)
{
	unsigned long long mult = 1;
	char buf[64], *suf;
	size_t n;

	snprintf(buf, sizeof(buf), "%s", s);
	n = strlen(buf);
	for (suf = buf; *suf && isdigit((unsigned char)*suf); suf++)
		;
	if (suf == buf || n >= sizeof(buf) - 1)
		return -1;
	if (*suf) {
		switch (tolower((unsigned char)*suf)) {
		case 'k':
			mult = 1ULL << 10;
			break;
		case 'm':
			mult = 1ULL << 20;
			break;
		case 'g':
			mult = 1ULL << 30;
			break;
		case 'b':
			break;
		default:
			return -1;
		}
		if (strcasecmp(suf + 1, "") && strcasecmp(suf + 1, "b") &&
		    strcasecmp(suf + 1, "ib"))
			return -1;
		*suf = 0;
	}
	if (parse_u64(buf, ULLONG_MAX / mult, v))
		return -1;
	*v *= mult;
	return 0;
}

/* TIME: microseconds, or with a us, ms or s suffix; 1 us .. 10 s. */
static int parse_time_us(const char *s, uint32_t *us)
{
	unsigned long long v, mult = 1;
	char buf[64], *suf;

	snprintf(buf, sizeof(buf), "%s", s);
	for (suf = buf; *suf && isdigit((unsigned char)*suf); suf++)
		;
	if (suf == buf)
		return -1;
	if (!strcmp(suf, "ms"))
		mult = 1000;
	else if (!strcmp(suf, "s"))
		mult = 1000000;
	else if (*suf && strcmp(suf, "us"))
		return -1;
	*suf = 0;
	if (parse_u64(buf, SILK_EDF_US_MAX / mult, &v))
		return -1;
	*us = v * mult;
	return 0;
}

static int parse_addr(const char *s, uint8_t *family, struct in6_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, a) == 1) {
		*family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, a) == 1) {
		*family = AF_INET6;
		return 0;
	}
	return -1;
}

static int parse_prefix(const char *s, struct libsilk_path *p)
{
	char buf[INET6_ADDRSTRLEN + 8], *slash;
	unsigned long long len;

	if (strlen(s) >= sizeof(buf))
		return cli_error("invalid remote prefix \"%s\"", s);
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (slash)
		*slash++ = 0;
	if (parse_addr(buf, &p->raddr_family, &p->raddr))
		return cli_error("invalid remote prefix \"%s\": expected ADDR[/LEN]", s);
	p->set |= LIBSILK_P_RADDR;
	if (slash) {
		if (parse_u64(slash, 255, &len))
			return cli_error("invalid prefix length \"%s\"", slash);
		p->rplen = len;
		p->set |= LIBSILK_P_RPLEN;
	}
	return 0;
}

#define NEXT_ARG() do {							\
		if (argc < 2)						\
			return cli_error("argument \"%s\" needs a value", *argv); \
		argc--;							\
		argv++;							\
	} while (0)

/* Parse BINDING, id and OPTS; @what says which are allowed. */
enum { ALLOW_ID = 1, ALLOW_BINDING = 2, ALLOW_OPTS = 4, ALLOW_FILTER = 8 };

static int parse_path_args(int argc, char **argv, struct libsilk_path *p,
			   int allow)
{
	unsigned long long v;

	memset(p, 0, sizeof(*p));
	for (; argc > 0; argc--, argv++) {
		const char *a = *argv;

		if ((allow & (ALLOW_BINDING | ALLOW_FILTER)) &&
		    (!strcmp(a, "tcp") || !strcmp(a, "udp") ||
		     !strcmp(a, "icmp") || !strcmp(a, "other"))) {
			if (p->set & LIBSILK_P_PROTO)
				return cli_error("protocol given twice");
			p->proto = !strcmp(a, "tcp") ? IPPROTO_TCP :
				   !strcmp(a, "udp") ? IPPROTO_UDP :
				   !strcmp(a, "icmp") ? IPPROTO_ICMP : 0;
			p->set |= LIBSILK_P_PROTO;
		} else if ((allow & ALLOW_BINDING) && !strcmp(a, "dscp")) {
			NEXT_ARG();
			if (parse_u64(*argv, UINT8_MAX, &v))
				return cli_error("invalid dscp \"%s\": expected 0..%d",
					     *argv, SILK_DSCP_MAX);
			p->dscp = v;
			p->set |= LIBSILK_P_DSCP;
		} else if ((allow & ALLOW_OPTS) && !strcmp(a, "conns")) {
			NEXT_ARG();
			if (parse_on_off(a, *argv, &p->conns))
				return -1;
			p->set |= LIBSILK_P_CONNS;
		} else if ((allow & ALLOW_OPTS) && !strcmp(a, "mirror")) {
			NEXT_ARG();
			if (parse_on_off(a, *argv, &p->mirror))
				return -1;
			p->set |= LIBSILK_P_MIRROR;
			/* mirror on [ uid UID ] [ gid GID ]: whose tasks. */
			while (p->mirror && argc > 1 &&
			       (!strcmp(argv[1], "uid") || !strcmp(argv[1], "gid"))) {
				bool uid = !strcmp(argv[1], "uid");

				NEXT_ARG();
				NEXT_ARG();
				if (parse_u64(*argv, UINT32_MAX - 1, &v))
					return cli_error("invalid mirror %s \"%s\"",
							 uid ? "uid" : "gid", *argv);
				if (uid) {
					p->mirror_uid = v;
					p->set |= LIBSILK_P_MIRROR_UID;
				} else {
					p->mirror_gid = v;
					p->set |= LIBSILK_P_MIRROR_GID;
				}
			}
		} else if ((allow & ALLOW_BINDING) && !strcmp(a, "default")) {
			p->set |= LIBSILK_P_DEFAULT;
		} else if ((allow & ALLOW_OPTS) && !strcmp(a, "lazy")) {
			NEXT_ARG();
			if (parse_on_off(a, *argv, &p->lazy))
				return -1;
			p->set |= LIBSILK_P_LAZY;
		} else if ((allow & (ALLOW_BINDING | ALLOW_FILTER)) &&
			   !strcmp(a, "port")) {
			NEXT_ARG();
			if (parse_u64(*argv, 65535, &v) || !v)
				return cli_error("invalid port \"%s\": expected 1..65535",
					     *argv);
			p->port = v;
			p->set |= LIBSILK_P_PORT;
		} else if ((allow & ALLOW_BINDING) && !strcmp(a, "family")) {
			NEXT_ARG();
			if (!strcmp(*argv, "inet") || !strcmp(*argv, "ipv4"))
				p->family = AF_INET;
			else if (!strcmp(*argv, "inet6") || !strcmp(*argv, "ipv6"))
				p->family = AF_INET6;
			else
				return cli_error("invalid family \"%s\": expected inet or inet6",
					     *argv);
			p->set |= LIBSILK_P_FAMILY;
		} else if ((allow & ALLOW_BINDING) && !strcmp(a, "local")) {
			NEXT_ARG();
			if (parse_addr(*argv, &p->laddr_family, &p->laddr))
				return cli_error("invalid local address \"%s\"", *argv);
			p->set |= LIBSILK_P_LADDR;
		} else if ((allow & ALLOW_BINDING) && !strcmp(a, "remote")) {
			NEXT_ARG();
			if (parse_prefix(*argv, p))
				return -1;
		} else if ((allow & ALLOW_ID) && !strcmp(a, "id")) {
			NEXT_ARG();
			if (parse_u64(*argv, UINT32_MAX, &v) || !v)
				return cli_error("invalid id \"%s\"", *argv);
			p->id = v;
			p->set |= LIBSILK_P_ID;
		} else if ((allow & ALLOW_OPTS) && !strcmp(a, "prio")) {
			NEXT_ARG();
			if (parse_u64(*argv, UINT8_MAX, &v))
				return cli_error("invalid prio \"%s\": expected 0..%d",
					     *argv, SILK_PRIO_MAX);
			p->prio = v;
			p->set |= LIBSILK_P_PRIO;
		} else if ((allow & ALLOW_OPTS) && !strcmp(a, "class")) {
			int c;

			NEXT_ARG();
			c = libsilk_class_parse(*argv);
			if (c < 0)
				return cli_error("invalid class \"%s\": expected fp, edf or wfq",
					     *argv);
			p->class = c;
			p->set |= LIBSILK_P_CLASS;
		} else if ((allow & ALLOW_OPTS) && !strcmp(a, "weight")) {
			NEXT_ARG();
			if (parse_u64(*argv, UINT32_MAX, &v))
				return cli_error("invalid weight \"%s\": expected %d..%d",
					     *argv, SILK_WEIGHT_MIN, SILK_WEIGHT_MAX);
			p->weight = v;
			p->set |= LIBSILK_P_WEIGHT;
		} else if ((allow & ALLOW_OPTS) &&
			   (!strcmp(a, "deadline") || !strcmp(a, "runtime") ||
			    !strcmp(a, "period"))) {
			uint32_t *dst = a[0] == 'd' ? &p->deadline_us :
					a[0] == 'r' ? &p->runtime_us : &p->period_us;

			NEXT_ARG();
			if (parse_time_us(*argv, dst))
				return cli_error("invalid %s \"%s\": expected a time such as 500us, 2ms or 1s, at most 10s",
					     a, *argv);
			p->set |= a[0] == 'd' ? LIBSILK_P_DEADLINE :
				  a[0] == 'r' ? LIBSILK_P_RUNTIME : LIBSILK_P_PERIOD;
		} else if ((allow & ALLOW_OPTS) && !strcmp(a, "limit")) {
			NEXT_ARG();
			if (parse_u64(*argv, UINT32_MAX, &v))
				return cli_error("invalid limit \"%s\": expected a number of packets",
					     *argv);
			p->limit_pkts = v;
			p->set |= LIBSILK_P_LIMIT_PKTS;
		} else if ((allow & ALLOW_OPTS) && !strcmp(a, "bytes")) {
			NEXT_ARG();
			if (parse_size(*argv, &v) || v > UINT32_MAX)
				return cli_error("invalid bytes \"%s\": expected a size such as 65536 or 4m",
					     *argv);
			p->limit_bytes = v;
			p->set |= LIBSILK_P_LIMIT_BYTES;
		} else if ((allow & ALLOW_OPTS) && !strcmp(a, "cpu")) {
			NEXT_ARG();
			if (parse_u64(*argv, UINT32_MAX, &v))
				return cli_error("invalid cpu \"%s\"", *argv);
			p->cpu = v;
			p->set |= LIBSILK_P_CPU;
		} else if ((allow & ALLOW_OPTS) && !strcmp(a, "name")) {
			NEXT_ARG();
			if (strlen(*argv) >= SILK_NAME_MAX)
				return cli_error("name \"%s\" is longer than %d bytes",
					     *argv, SILK_NAME_MAX - 1);
			snprintf(p->name, sizeof(p->name), "%s", *argv);
			p->set |= LIBSILK_P_NAME;
		} else if (!strcmp(a, "help")) {
			usage(stdout);
			exit(0);
		} else {
			return cli_error("unknown argument \"%s\"", a);
		}
	}
	return 0;
}

static int need_binding(const struct libsilk_path *p)
{
	if ((p->set & LIBSILK_P_ID) && (p->set & LIBSILK_P_BINDING))
		return cli_error("name the path by id or by binding, not both");
	if (p->set & LIBSILK_P_ID)
		return 0;
	if (!(p->set & LIBSILK_P_PROTO))
		return cli_error("missing protocol: tcp or udp");
	if (p->set & LIBSILK_P_DEFAULT)
		return 0;
	if (p->proto != IPPROTO_TCP && p->proto != IPPROTO_UDP)
		return cli_error("only a default path binds %s",
			     libsilk_proto_name(p->proto));
	if (!(p->set & LIBSILK_P_PORT))
		return cli_error("missing port");
	return 0;
}

static void fmt_addr(char *buf, size_t len, uint8_t family,
		     const struct in6_addr *a)
{
	inet_ntop(family, a, buf, len);
}

static void print_path_json(const struct libsilk_path *p)
{
	char addr[INET6_ADDRSTRLEN];
	const struct libsilk_path_stats *s = &p->stats;

	json_obj_open(&js, NULL);
	json_uint(&js, "id", p->id);
	if (p->set & LIBSILK_P_CONN) {
		fmt_addr(addr, sizeof(addr), p->raddr_family, &p->raddr);
		json_str(&js, "remote", addr);
		json_uint(&js, "remote_port", p->rport);
		fmt_addr(addr, sizeof(addr), p->laddr_family, &p->laddr);
		json_str(&js, "local", addr);
		json_uint(&js, "local_port", p->lport);
	}
	if (p->set & LIBSILK_P_PROTO)
		json_str(&js, "proto", libsilk_proto_name(p->proto));
	if (p->set & LIBSILK_P_DEFAULT)
		json_bool(&js, "default", true);
	else if (p->set & LIBSILK_P_PORT)
		json_uint(&js, "port", p->port);
	if (p->set & LIBSILK_P_DSCP)
		json_uint(&js, "dscp", p->dscp);
	if (p->set & LIBSILK_P_FAMILY)
		json_str(&js, "family", p->family == AF_INET ? "inet" : "inet6");
	if (p->set & LIBSILK_P_LADDR) {
		fmt_addr(addr, sizeof(addr), p->laddr_family, &p->laddr);
		json_str(&js, "local", addr);
	}
	if (p->set & LIBSILK_P_RADDR) {
		fmt_addr(addr, sizeof(addr), p->raddr_family, &p->raddr);
		json_str(&js, "remote", addr);
		json_uint(&js, "remote_plen", p->rplen);
	}
	json_str(&js, "class", libsilk_class_name(p->class));
	json_uint(&js, "prio", p->prio);
	if (p->set & LIBSILK_P_WEIGHT)
		json_uint(&js, "weight", p->weight);
	if (p->set & LIBSILK_P_DEADLINE)
		json_uint(&js, "deadline_us", p->deadline_us);
	if (p->set & LIBSILK_P_RUNTIME)
		json_uint(&js, "runtime_us", p->runtime_us);
	if (p->set & LIBSILK_P_PERIOD)
		json_uint(&js, "period_us", p->period_us);
	if (p->set & LIBSILK_P_LIMIT_PKTS)
		json_uint(&js, "limit", p->limit_pkts);
	if (p->set & LIBSILK_P_LIMIT_BYTES)
		json_uint(&js, "bytes", p->limit_bytes);
	json_uint(&js, "cpu", p->cpu);
	if (p->set & LIBSILK_P_LAZY)
		json_bool(&js, "lazy", p->lazy);
	if (p->set & LIBSILK_P_MIRROR)
		json_bool(&js, "mirror", p->mirror);
	if (p->set & LIBSILK_P_MIRROR_UID)
		json_uint(&js, "mirror_uid", p->mirror_uid);
	if (p->set & LIBSILK_P_MIRROR_GID)
		json_uint(&js, "mirror_gid", p->mirror_gid);
	if (p->set & LIBSILK_P_CONNS) {
		json_bool(&js, "conns", p->conns);
		json_uint(&js, "nconns", p->nconns);
	}
	if (p->set & LIBSILK_P_NAME)
		json_str(&js, "name", p->name);
	if (p->set & LIBSILK_P_OWNER)
		json_uint(&js, "owner_uid", p->owner_uid);
	if (opt.stats && (p->set & LIBSILK_P_STATS)) {
		json_obj_open(&js, "stats");
		json_uint(&js, "delivered_pkts", s->delivered_pkts);
		json_uint(&js, "delivered_bytes", s->delivered_bytes);
		json_uint(&js, "dropped_pkts", s->dropped_pkts);
		json_uint(&js, "dropped_bytes", s->dropped_bytes);
		json_uint(&js, "cpu_ns", s->cpu_ns);
		json_uint(&js, "qlen", s->qlen);
		json_uint(&js, "qbytes", s->qbytes);
		json_uint(&js, "qlen_peak", s->qlen_peak);
		json_uint(&js, "qbytes_peak", s->qbytes_peak);
		json_uint(&js, "bypass_pkts", s->bypass_pkts);
		json_uint(&js, "devgone_pkts", s->devgone_pkts);
		json_uint(&js, "sojourn_sum_ns", s->sojourn_sum_ns);
		json_uint(&js, "sojourn_max_ns", s->sojourn_max_ns);
		json_uint(&js, "deadline_misses", s->deadline_misses);
		json_uint(&js, "throttled", s->throttled);
		json_uint(&js, "parked", s->parked);
		json_uint(&js, "direct_pkts", s->direct_pkts);
		json_obj_close(&js);
	}
	json_obj_close(&js);
}

static void print_path_text(const struct libsilk_path *p)
{
	char addr[INET6_ADDRSTRLEN];
	const struct libsilk_path_stats *s = &p->stats;

	if (p->set & LIBSILK_P_DEFAULT)
		printf("path %u %s default", p->id, libsilk_proto_name(p->proto));
	else
		printf("path %u %s port %u", p->id, libsilk_proto_name(p->proto),
		       p->port);
	if (p->set & LIBSILK_P_FAMILY)
		printf(" family %s", p->family == AF_INET ? "inet" : "inet6");
	if (p->set & LIBSILK_P_LADDR) {
		fmt_addr(addr, sizeof(addr), p->laddr_family, &p->laddr);
		printf(" local %s", addr);
	}
	if (p->set & LIBSILK_P_RADDR) {
		fmt_addr(addr, sizeof(addr), p->raddr_family, &p->raddr);
		printf(" remote %s/%u", addr, p->rplen);
	}
	if (p->set & LIBSILK_P_DSCP)
		printf(" dscp %u", p->dscp);
	switch (p->class) {
	case SILK_CLASS_EDF:
		printf(" class edf deadline %uus runtime %uus period %uus",
		       p->deadline_us, p->runtime_us, p->period_us);
		break;
	case SILK_CLASS_WFQ:
		printf(" class wfq weight %u", p->weight);
		break;
	default:
		printf(" prio %u", p->prio);
		break;
	}
	printf(" limit %u bytes %u cpu %u", p->limit_pkts, p->limit_bytes,
	       p->cpu);
	if (p->lazy)
		printf(" lazy on");
	if (p->conns)
		printf(" conns on (%u)", p->nconns);
	if (p->mirror)
		printf(" mirror on");
	if (p->set & LIBSILK_P_MIRROR_UID)
		printf(" uid %u", p->mirror_uid);
	if (p->set & LIBSILK_P_MIRROR_GID)
		printf(" gid %u", p->mirror_gid);
	if (p->set & LIBSILK_P_NAME)
		printf(" name %s", p->name);
	if (p->set & LIBSILK_P_OWNER)
		printf(" socket of uid %u", p->owner_uid);
	putchar('\n');
	if (opt.stats && (p->set & LIBSILK_P_STATS)) {
		printf("    delivered %llu pkts %llu bytes  dropped %llu pkts %llu bytes  cpu %llu ns\n",
		       (unsigned long long)s->delivered_pkts,
		       (unsigned long long)s->delivered_bytes,
		       (unsigned long long)s->dropped_pkts,
		       (unsigned long long)s->dropped_bytes,
		       (unsigned long long)s->cpu_ns);
		printf("    queue %llu pkts %llu bytes  peak %llu pkts %llu bytes  bypass %llu  devgone %llu\n",
		       (unsigned long long)s->qlen,
		       (unsigned long long)s->qbytes,
		       (unsigned long long)s->qlen_peak,
		       (unsigned long long)s->qbytes_peak,
		       (unsigned long long)s->bypass_pkts,
		       (unsigned long long)s->devgone_pkts);
		printf("    sojourn avg %llu ns max %llu ns",
		       (unsigned long long)(s->delivered_pkts ?
			s->sojourn_sum_ns / s->delivered_pkts : 0),
		       (unsigned long long)s->sojourn_max_ns);
		if (p->class == SILK_CLASS_EDF)
			printf("  deadline misses %llu  throttled %llu",
			       (unsigned long long)s->deadline_misses,
			       (unsigned long long)s->throttled);
		if (p->lazy)
			printf("  parked %llu",
			       (unsigned long long)s->parked);
		printf("  direct %llu", (unsigned long long)s->direct_pkts);
		putchar('\n');
	}
}

static int print_path(const struct libsilk_path *p, void *arg)
{
	(void)arg;
	if (opt.json)
		print_path_json(p);
	else
		print_path_text(p);
	return 0;
}

static int path_add(int argc, char **argv)
{
	struct libsilk_path req, out;
	int err;

	if (parse_path_args(argc, argv, &req, ALLOW_BINDING | ALLOW_OPTS))
		return -1;
	if (need_binding(&req))
		return -1;
	err = libsilk_path_add(sock, &req, &out);
	if (err)
		return kernel_error(err);
	if (opt.json)
		print_path(&out, NULL);
	return 0;
}

static int path_change(int argc, char **argv)
{
	struct libsilk_path req, out;
	int err;

	if (parse_path_args(argc, argv, &req,
			    ALLOW_ID | ALLOW_BINDING | ALLOW_OPTS))
		return -1;
	if (need_binding(&req))
		return -1;
	err = libsilk_path_change(sock, &req, &out);
	if (err)
		return kernel_error(err);
	if (opt.json)
		print_path(&out, NULL);
	return 0;
}

static int path_del(int argc, char **argv)
{
	struct libsilk_path req;
	int err;

	if (parse_path_args(argc, argv, &req, ALLOW_ID | ALLOW_BINDING))
		return -1;
	if (need_binding(&req))
		return -1;
	err = libsilk_path_del(sock, &req);
	if (err)
		return kernel_error(err);
	return 0;
}

static int path_show(int argc, char **argv)
{
	struct libsilk_path req, out;
	int err;

	if (parse_path_args(argc, argv, &req,
			    ALLOW_ID | ALLOW_BINDING | ALLOW_FILTER))
		return -1;
	if (opt.json)
		json_arr_open(&js, NULL);
	if ((req.set & LIBSILK_P_ID) ||
	    (req.set & (LIBSILK_P_FAMILY | LIBSILK_P_LADDR | LIBSILK_P_RADDR))) {
		if (need_binding(&req))
			return -1;
		err = libsilk_path_get(sock, &req, &out);
		if (!err)
			print_path(&out, NULL);
	} else {
		err = libsilk_path_dump(sock, &req, print_path, NULL);
	}
	if (opt.json)
		json_arr_close(&js);
	if (err)
		return kernel_error(err);
	return 0;
}

static int do_path(int argc, char **argv)
{
	if (argc < 1)
		return path_show(0, NULL);
	if (matches(*argv, "add"))
		return path_add(argc - 1, argv + 1);
	if (matches(*argv, "change") || matches(*argv, "set"))
		return path_change(argc - 1, argv + 1);
	if (matches(*argv, "delete"))
		return path_del(argc - 1, argv + 1);
	if (matches(*argv, "show") || matches(*argv, "list"))
		return path_show(argc - 1, argv + 1);
	if (matches(*argv, "help")) {
		usage(stdout);
		return 0;
	}
	return cli_error("unknown command \"%s\" for path; try \"silkctl help\"",
		     *argv);
}

/*
 * takeover on [OPTS]: a default path for each of tcp, udp, icmp and other
 * that does not have one yet; takeover off: delete them.
 */
static int do_takeover(int argc, char **argv)
{
	static const uint8_t protos[] = { IPPROTO_TCP, IPPROTO_UDP,
					  IPPROTO_ICMP, 0 };
	struct libsilk_path req, out;
	bool on;
	size_t i;
	int err;

	if (argc < 1 || (strcmp(*argv, "on") && strcmp(*argv, "off")))
		return cli_error("expected \"takeover on [OPTS]\" or \"takeover off\"");
	on = !strcmp(*argv, "on");
	if (parse_path_args(argc - 1, argv + 1, &req, on ? ALLOW_OPTS : 0))
		return -1;
	for (i = 0; i < sizeof(protos); i++) {
		req.set = (req.set & ~LIBSILK_P_BINDING) | LIBSILK_P_PROTO |
			  LIBSILK_P_DEFAULT;
		req.proto = protos[i];
		err = on ? libsilk_path_add(sock, &req, &out) :
			   libsilk_path_del(sock, &req);
		if (err && err != (on ? -EEXIST : -ENOENT))
			return kernel_error(err);
	}
	return 0;
}

static void print_conn_text(const struct libsilk_path *c)
{
	char ra[INET6_ADDRSTRLEN], la[INET6_ADDRSTRLEN];
	const struct libsilk_path_stats *s = &c->stats;

	fmt_addr(ra, sizeof(ra), c->raddr_family, &c->raddr);
	fmt_addr(la, sizeof(la), c->laddr_family, &c->laddr);
	printf(c->raddr_family == AF_INET6 ? "conn [%s]:%u -> [%s]:%u" :
					     "conn %s:%u -> %s:%u",
	       ra, c->rport, la, c->lport);
	printf(" path %u class %s", c->id, libsilk_class_name(c->class));
	if (c->class == SILK_CLASS_FP)
		printf(" prio %u", c->prio);
	else if (c->class == SILK_CLASS_WFQ)
		printf(" weight %u", c->weight);
	else
		printf(" deadline %uus runtime %uus period %uus",
		       c->deadline_us, c->runtime_us, c->period_us);
	if (c->mirror)
		printf(" mirror on");
	printf(" cpu %u\n", c->cpu);
	if (opt.stats)
		printf("    delivered %llu pkts %llu bytes  dropped %llu pkts  cpu %llu ns\n",
		       (unsigned long long)s->delivered_pkts,
		       (unsigned long long)s->delivered_bytes,
		       (unsigned long long)s->dropped_pkts,
		       (unsigned long long)s->cpu_ns);
}

static int print_conn(const struct libsilk_path *c, void *arg)
{
	(void)arg;
	if (opt.json)
		print_path_json(c);
	else
		print_conn_text(c);
	return 0;
}

static int do_conn(int argc, char **argv)
{
	unsigned long long id = 0;
	int err;

	if (argc > 0 && !matches(*argv, "show") && !matches(*argv, "list"))
		return cli_error("unknown command \"%s\" for conn; try \"silkctl help\"",
			     *argv);
	if (argc > 0) {
		argc--;
		argv++;
	}
	if (argc == 2 && !strcmp(argv[0], "id")) {
		if (parse_u64(argv[1], UINT32_MAX, &id) || !id)
			return cli_error("invalid id \"%s\"", argv[1]);
	} else if (argc) {
		return cli_error("expected \"conn show [ id ID ]\"");
	}
	if (opt.json)
		json_arr_open(&js, NULL);
	err = libsilk_conn_dump(sock, id, print_conn, NULL);
	if (opt.json)
		json_arr_close(&js);
	return err ? kernel_error(err) : 0;
}

static int do_placement(int argc, char **argv)
{
	int pl, err;

	pl = argc == 1 ? libsilk_placement_parse(*argv) : -1;
	if (pl < 0)
		return cli_error("expected \"placement { hash | src | owner | rr }\"");
	err = libsilk_placement_set(sock, pl);
	return err ? kernel_error(err) : 0;
}

/* netmeter sensors: "meter { on | off } [ interval MS ]". */
static int do_meter(int argc, char **argv)
{
	unsigned long interval = 0;
	int on = -1, err;
	char *end;

	if (argc > 0 && (!strcmp(*argv, "on") || !strcmp(*argv, "off"))) {
		on = !strcmp(*argv, "on");
		argc--;
		argv++;
	}
	if (argc == 2 && !strcmp(argv[0], "interval")) {
		errno = 0;
		interval = strtoul(argv[1], &end, 10);
		if (errno || *end || end == argv[1] ||
		    interval < SILK_METER_INTERVAL_MIN_MS ||
		    interval > SILK_METER_INTERVAL_MAX_MS)
			return cli_error("invalid interval \"%s\": expected %d..%d milliseconds",
					 argv[1], SILK_METER_INTERVAL_MIN_MS,
					 SILK_METER_INTERVAL_MAX_MS);
		argc -= 2;
	}
	if (argc || (on < 0 && !interval))
		return cli_error("expected \"meter { on | off } [ interval MS ]\"");
	err = libsilk_meter_set(sock, on, interval);
	return err ? kernel_error(err) : 0;
}

/* An output rate, tc style: bytes/s, or with bit|kbit|mbit|gbit|bps|kbps|mbps|gbps. */
static int parse_bandwidth(const char *s, uint64_t *bytes)
{
	static const struct { const char *sfx; double mult; } units[] = {
		{ "", 1 }, { "bps", 1 }, { "kbps", 1e3 }, { "mbps", 1e6 },
		{ "gbps", 1e9 }, { "bit", 1 / 8.0 }, { "kbit", 1e3 / 8 },
		{ "mbit", 1e6 / 8 }, { "gbit", 1e9 / 8 },
	};
	char *end;
	double v;
	size_t i;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || !(v > 0))
		return -1;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcasecmp(end, units[i].sfx)) {
			v *= units[i].mult;
			if (v > 1e15)
				return -1;
			*bytes = v + 0.5;
			return 0;
		}
	return -1;
}

/* "rate RATE" and "port P [weight W]..." into @g, whose type is set. */
static int group_args(int argc, char **argv, struct libsilk_group *g)
{
	struct libsilk_group_port *p = NULL;
	unsigned long long v;
	double rate;
	char *end;

	for (; argc > 0; argc -= 2, argv += 2) {
		if (!strcmp(*argv, "ftp")) {
			if (!p)
				return cli_error("\"ftp\" belongs after a port");
			p->ftp = 1;
			/* A flag: one word, not two. */
			argc++;
			argv--;
			continue;
		}
		if (argc < 2)
			return cli_error("\"%s\" needs a value", *argv);
		if (!strcmp(*argv, "rate") && g->type == SILK_GROUP_OUTPUT) {
			if (parse_bandwidth(argv[1], &g->rate) ||
			    g->rate < SILK_GROUP_OUTPUT_MIN)
				return cli_error("invalid rate \"%s\": expected bytes per second (at least %d), or a number with bit, kbit, mbit, gbit, bps, kbps, mbps or gbps",
						 argv[1], SILK_GROUP_OUTPUT_MIN);
			g->has_rate = 1;
		} else if (!strcmp(*argv, "rate")) {
			errno = 0;
			rate = strtod(argv[1], &end);
			if (errno || *end || end == argv[1] || !(rate > 0) ||
			    rate * 1000 > SILK_GROUP_RATE_MAX)
				return cli_error("invalid rate \"%s\": expected connections per second, above 0 and at most 1000000",
						 argv[1]);
			g->rate = rate * 1000 + 0.5;
			g->has_rate = 1;
		} else if (!strcmp(*argv, "port")) {
			if (parse_u64(argv[1], 65535, &v) || !v)
				return cli_error("invalid port \"%s\": expected 1..65535",
						 argv[1]);
			if (g->nports == SILK_GROUP_PORTS_MAX)
				return cli_error("too many ports: at most %d",
						 SILK_GROUP_PORTS_MAX);
			p = &g->port[g->nports++];
			p->port = v;
		} else if (!strcmp(*argv, "weight")) {
			if (!p)
				return cli_error("\"weight\" belongs after a port");
			if (parse_u64(argv[1], SILK_WEIGHT_MAX, &v) ||
			    v < SILK_WEIGHT_MIN)
				return cli_error("invalid weight \"%s\": expected %d..%d",
						 argv[1], SILK_WEIGHT_MIN,
						 SILK_WEIGHT_MAX);
			p->weight = v;
		} else {
			return cli_error("unknown argument \"%s\"", *argv);
		}
	}
	return 0;
}

static int group_name(const char *arg, struct libsilk_group *g)
{
	if (!*arg || strlen(arg) >= sizeof(g->name))
		return cli_error("invalid group name \"%s\": 1..%zu characters",
				 arg, sizeof(g->name) - 1);
	strcpy(g->name, arg);
	return 0;
}

static int print_group(const struct libsilk_group *g, void *arg)
{
	unsigned int i;

	if (opt.json) {
		json_obj_open(&js, NULL);
		json_str(&js, "name", g->name);
		json_str(&js, "type", libsilk_group_type_name(g->type));
		if (g->has_rate && g->type == SILK_GROUP_OUTPUT)
			json_uint(&js, "rate", g->rate);
		else if (g->has_rate)
			json_float(&js, "rate", g->rate / 1000.0);
		if (g->type == SILK_GROUP_OUTPUT)
			json_uint(&js, "members", g->members);
		json_uint(&js, "held", g->held);
		json_uint(&js, "accepted", g->accepted);
		json_uint(&js, "hidden", g->hidden);
		if (g->type == SILK_GROUP_OUTPUT)
			json_uint(&js, "data_ports", g->data_ports);
		json_arr_open(&js, "ports");
		for (i = 0; i < g->nports; i++) {
			json_obj_open(&js, NULL);
			json_uint(&js, "port", g->port[i].port);
			if (g->port[i].ftp)
				json_bool(&js, "ftp", true);
			if (g->port[i].weight)
				json_uint(&js, "weight", g->port[i].weight);
			json_uint(&js, "held", g->port[i].held);
			json_uint(&js, "accepted", g->port[i].accepted);
			json_obj_close(&js);
		}
		json_arr_close(&js);
		json_obj_close(&js);
		return 0;
	}
	/* As "group add" takes it: a rate group's type is its "rate". */
	printf("group %s", g->name);
	if (g->type != SILK_GROUP_RATE)
		printf(" %s", libsilk_group_type_name(g->type));
	if (g->has_rate && g->type == SILK_GROUP_OUTPUT)
		printf(" rate %llu", (unsigned long long)g->rate);
	else if (g->has_rate)
		printf(" rate %g", g->rate / 1000.0);
	for (i = 0; i < g->nports; i++) {
		printf(" port %u", g->port[i].port);
		if (g->port[i].weight)
			printf(" weight %u", g->port[i].weight);
		if (g->port[i].ftp)
			printf(" ftp");
	}
	putchar('\n');
	if (opt.stats) {
		if (g->type == SILK_GROUP_OUTPUT)
			printf("    connections %u ftp data ports %u\n",
			       g->members, g->data_ports);
		else
			printf("    held %u accepted %llu hidden %llu\n", g->held,
			       (unsigned long long)g->accepted,
			       (unsigned long long)g->hidden);
		for (i = 0; i < g->nports; i++)
			printf("    port %u held %u accepted %llu\n",
			       g->port[i].port, g->port[i].held,
			       (unsigned long long)g->port[i].accepted);
	}
	return 0;
}

/* Socket groups: accept rate and accept ratio. */
static int do_group(int argc, char **argv)
{
	struct libsilk_group g = {}, out;
	int err, type;

	if (argc < 1 || matches(*argv, "show") || matches(*argv, "list")) {
		if (argc > 2)
			return cli_error("expected \"group show [ NAME ]\"");
		if (opt.json)
			json_arr_open(&js, NULL);
		if (argc == 2) {
			err = libsilk_group_get(sock, argv[1], &out);
			if (!err)
				print_group(&out, NULL);
		} else {
			err = libsilk_group_dump(sock, print_group, NULL);
		}
		if (opt.json)
			json_arr_close(&js);
		return err ? kernel_error(err) : 0;
	}
	if (matches(*argv, "add")) {
		if (argc < 3)
			return cli_error("expected \"group add NAME { rate RATE | ratio | output rate BYTES } GPORTS\"");
		if (group_name(argv[1], &g))
			return -1;
		type = libsilk_group_type_parse(argv[2]);
		if (type < 0)
			return cli_error("invalid group type \"%s\": expected rate, ratio or output",
					 argv[2]);
		g.type = type;
		/* "rate RATE" names the type and gives the rate. */
		if (group_args(argc - (type == SILK_GROUP_RATE ? 2 : 3),
			       argv + (type == SILK_GROUP_RATE ? 2 : 3), &g))
			return -1;
		err = libsilk_group_new(sock, &g);
		return err ? kernel_error(err) : 0;
	}
	if (matches(*argv, "change") || matches(*argv, "set")) {
		if (argc < 2)
			return cli_error("expected \"group change NAME { rate RATE | GPORTS }\"");
		if (group_name(argv[1], &g))
			return -1;
		/* The rate's unit depends on the group's type. */
		err = libsilk_group_get(sock, g.name, &out);
		if (err)
			return kernel_error(err);
		g.type = out.type;
		if (group_args(argc - 2, argv + 2, &g))
			return -1;
		err = libsilk_group_change(sock, &g);
		return err ? kernel_error(err) : 0;
	}
	if (matches(*argv, "delete")) {
		if (argc != 2)
			return cli_error("expected \"group del NAME\"");
		err = libsilk_group_del(sock, argv[1]);
		return err ? kernel_error(err) : 0;
	}
	return cli_error("unknown command \"%s\" for group; try \"silkctl help\"",
			 *argv);
}

static int do_stats(int argc, char **argv)
{
	struct libsilk_ns_stats st;
	int err;

	if (argc > 0)
		return cli_error("unknown argument \"%s\"", *argv);
	err = libsilk_stats_get(sock, &st);
	if (err)
		return kernel_error(err);
	if (opt.json) {
		json_obj_open(&js, NULL);
		json_uint(&js, "paths", st.paths);
		json_uint(&js, "queued_bytes", st.queued_bytes);
		json_uint(&js, "cap_drops", st.cap_drops);
		json_uint(&js, "cap_bytes", st.cap_bytes);
		json_uint(&js, "bypass", st.bypass);
		json_uint(&js, "share_yields", st.share_yields);
		json_uint(&js, "level_changes", st.level_changes);
		json_str(&js, "placement", libsilk_placement_name(st.placement));
		json_uint(&js, "conns", st.conns);
		json_uint(&js, "conns_opened", st.conns_opened);
		json_uint(&js, "conns_closed", st.conns_closed);
		json_uint(&js, "conn_overflows", st.conn_overflows);
		json_uint(&js, "global_queued_bytes", st.global_queued_bytes);
		json_uint(&js, "global_cap_bytes", st.global_cap_bytes);
		json_uint(&js, "global_queued_peak", st.global_queued_peak);
		json_uint(&js, "mirror_tasks", st.mirror_tasks);
		json_uint(&js, "mirror_applied", st.mirror_applied);
		json_uint(&js, "mirror_restored", st.mirror_restored);
		json_uint(&js, "mirror_dl_fallbacks", st.mirror_dl_fallbacks);
		json_uint(&js, "mirror_missed", st.mirror_missed);
		json_uint(&js, "mirror_refused", st.mirror_refused);
		json_bool(&js, "meter", st.meter_on);
		json_uint(&js, "meter_interval_ms", st.meter_interval_ms);
		json_uint(&js, "meter_missed", st.meter_missed);
		json_obj_close(&js);
	} else {
		printf("paths %u queued %llu bytes of %llu cap_drops %llu bypass %llu share_yields %llu level_changes %llu\n",
		       st.paths, (unsigned long long)st.queued_bytes,
		       (unsigned long long)st.cap_bytes,
		       (unsigned long long)st.cap_drops,
		       (unsigned long long)st.bypass,
		       (unsigned long long)st.share_yields,
		       (unsigned long long)st.level_changes);
		printf("placement %s conns %u opened %llu closed %llu overflows %llu\n",
		       libsilk_placement_name(st.placement), st.conns,
		       (unsigned long long)st.conns_opened,
		       (unsigned long long)st.conns_closed,
		       (unsigned long long)st.conn_overflows);
		printf("all namespaces: queued %llu bytes of %llu, peak %llu\n",
		       (unsigned long long)st.global_queued_bytes,
		       (unsigned long long)st.global_cap_bytes,
		       (unsigned long long)st.global_queued_peak);
		printf("mirrored tasks %u applied %llu restored %llu deadline fallbacks %llu missed %llu refused %llu\n",
		       st.mirror_tasks,
		       (unsigned long long)st.mirror_applied,
		       (unsigned long long)st.mirror_restored,
		       (unsigned long long)st.mirror_dl_fallbacks,
		       (unsigned long long)st.mirror_missed,
		       (unsigned long long)st.mirror_refused);
		printf("meter %s interval %u ms missed %llu\n",
		       st.meter_on ? "on" : "off", st.meter_interval_ms,
		       (unsigned long long)st.meter_missed);
	}
	return 0;
}

static const struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
} cmds[] = {
	{ "path", do_path },
	{ "stats", do_stats },
	{ "takeover", do_takeover },
	{ "conn", do_conn },
	{ "placement", do_placement },
	{ "meter", do_meter },
	{ "group", do_group },
};

static int do_cmd(int argc, char **argv)
{
	size_t i;

	if (argc < 1) {
		usage(stderr);
		return -1;
	}
	if (matches(*argv, "help")) {
		usage(stdout);
		return 0;
	}
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		if (matches(*argv, cmds[i].name)) {
			int ret = cmds[i].fn(argc - 1, argv + 1);

			/* As ip(8) says it. */
			if (sock && libsilk_dump_interrupted(sock))
				fprintf(stderr, "Dump was interrupted and may be inconsistent.\n");
			return ret;
		}
	}
	return cli_error("object \"%s\" is unknown; try \"silkctl help\"", *argv);
}

/* Split a batch line into words; "..." and '...' group, # comments. */
static int split_line(char *line, char **argv, int max)
{
	int argc = 0;
	char *p = line, *w;

	while (*p) {
		while (isspace((unsigned char)*p))
			p++;
		if (!*p || *p == '#')
			break;
		if (argc == max)
			return -1;
		if (*p == '"' || *p == '\'') {
			char q = *p++;

			w = p;
			while (*p && *p != q)
				p++;
			if (!*p)
				return -1;
			*p++ = 0;
		} else {
			w = p;
			while (*p && !isspace((unsigned char)*p))
				p++;
			if (*p)
				*p++ = 0;
		}
		argv[argc++] = w;
	}
	return argc;
}

static int do_batch(const char *name)
{
	FILE *f = strcmp(name, "-") ? fopen(name, "r") : stdin;
	char *line = NULL, *argv[64];
	size_t cap = 0;
	int lineno = 0, argc, ret = 0;

	if (!f) {
		fprintf(stderr, "Cannot open file \"%s\" for reading: %s\n",
			name, strerror(errno));
		return -1;
	}
	while (getline(&line, &cap, f) > 0) {
		lineno++;
		argc = split_line(line, argv, 64);
		if (argc == 0)
			continue;
		if (argc < 0 || do_cmd(argc, argv)) {
			if (argc < 0)
				cli_error("cannot parse the line");
			fprintf(stderr, "Command failed %s:%d\n", name, lineno);
			ret = -1;
			if (!opt.force)
				break;
		}
	}
	free(line);
	if (f != stdin)
		fclose(f);
	return ret;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "statistics", no_argument, NULL, 's' },
		{ "stats", no_argument, NULL, 's' },
		{ "batch", required_argument, NULL, 'b' },
		{ "force", no_argument, NULL, 'f' },
		{ "netns", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ "Version", no_argument, NULL, 'V' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c, ret;

	/* Options before the object only, as in ip(8). */
	while ((c = getopt_long_only(argc, argv, "+jpsb:fn:hV", longopts,
				     NULL)) != -1) {
		switch (c) {
		case 'j':
			opt.json = true;
			break;
		case 'p':
			opt.pretty = true;
			break;
		case 's':
			opt.stats = true;
			break;
		case 'b':
			opt.batch = optarg;
			break;
		case 'f':
			opt.force = true;
			break;
		case 'n':
			if (libsilk_enter_netns(optarg)) {
				fprintf(stderr, "Cannot enter network namespace \"%s\": %s\n",
					optarg, strerror(errno));
				return 1;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("silkctl, silk genl version %d\n", SILK_GENL_VERSION);
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	argc -= optind;
	argv += optind;
	if (!opt.batch && argc < 1) {
		usage(stderr);
		return 1;
	}

	/* Help needs no module. */
	if (!opt.batch && matches(*argv, "help")) {
		usage(stdout);
		return 0;
	}
	sock = libsilk_open();
	if (!sock) {
		fprintf(stderr,
			"Error: cannot reach the silk netlink family: %s (is the silk module loaded?).\n",
			strerror(errno));
		return 1;
	}
	json_init(&js, stdout, opt.pretty);
	ret = opt.batch ? do_batch(opt.batch) : do_cmd(argc, argv);
	libsilk_close(sock);
	return ret ? 1 : 0;
}
