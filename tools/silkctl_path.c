// SPDX-License-Identifier: GPL-2.0
/*
 * silkctl path, conn, takeover and placement: paths, the connection paths
 * a path makes, default paths for everything, and where connection paths
 * run.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "silkctl.h"

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
	if (cli_parse_u64(buf, 0, ULLONG_MAX / mult, v))
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
	if (cli_parse_u64(buf, 0, SILK_EDF_US_MAX / mult, &v))
		return -1;
	*us = v * mult;
	return 0;
}

static int parse_prefix(const char *s, struct libsilk_path *p)
{
	unsigned long long len;
	const char *slash;

	if (strlen(s) >= INET6_ADDRSTRLEN + 8)
		return cli_error("invalid remote prefix \"%s\"", s);
	if (cli_parse_prefix(s, &p->raddr_family, &p->raddr, &slash))
		return cli_error("invalid remote prefix \"%s\": expected ADDR[/LEN]", s);
	p->set |= LIBSILK_P_RADDR;
	if (slash) {
		if (cli_parse_u64(slash, 0, 255, &len))
			return cli_error("invalid prefix length \"%s\"", slash);
		p->rplen = len;
		p->set |= LIBSILK_P_RPLEN;
	}
	return 0;
}

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
			if (cli_parse_u64(*argv, 0, UINT8_MAX, &v))
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
				if (cli_parse_u64(*argv, 0, UINT32_MAX - 1, &v))
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
			if (cli_parse_port(*argv, 0, &p->port))
				return cli_error("invalid port \"%s\": expected 1..65535",
					     *argv);
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
			if (cli_parse_addr(*argv, &p->laddr_family, &p->laddr))
				return cli_error("invalid local address \"%s\"", *argv);
			p->set |= LIBSILK_P_LADDR;
		} else if ((allow & ALLOW_BINDING) && !strcmp(a, "remote")) {
			NEXT_ARG();
			if (parse_prefix(*argv, p))
				return -1;
		} else if ((allow & ALLOW_ID) && !strcmp(a, "id")) {
			NEXT_ARG();
			if (cli_parse_u64(*argv, 0, UINT32_MAX, &v) || !v)
				return cli_error("invalid id \"%s\"", *argv);
			p->id = v;
			p->set |= LIBSILK_P_ID;
		} else if ((allow & ALLOW_OPTS) && !strcmp(a, "prio")) {
			NEXT_ARG();
			if (cli_parse_u64(*argv, 0, UINT8_MAX, &v))
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
			if (cli_parse_u64(*argv, 0, UINT32_MAX, &v))
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
			if (cli_parse_u64(*argv, 0, UINT32_MAX, &v))
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
			if (cli_parse_u64(*argv, 0, UINT32_MAX, &v))
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

static void print_addr(enum output_type t, const char *key, const char *fmt,
		       uint8_t family, const struct in6_addr *a)
{
	char buf[INET6_ADDRSTRLEN] = "";

	inet_ntop(family, a, buf, sizeof(buf));
	print_string(t, key, fmt, buf);
}

/* A connection path's text is "conn REMOTE -> LOCAL path ID ..." instead. */
static void print_one(const struct libsilk_path *p, bool conn)
{
	const struct libsilk_path_stats *s = &p->stats;
	unsigned int set = p->set;
	bool fp, wfq, edf, js, line, tx, js2, line2;

	/* Which class's options the text shows. */
	wfq = p->class == SILK_CLASS_WFQ;
	if (conn) {
		fp = p->class == SILK_CLASS_FP;
		edf = !fp && !wfq;
	} else {
		edf = p->class == SILK_CLASS_EDF;
		fp = !edf && !wfq;
	}

	open_json_object(NULL);
	if (conn) {
		char ra[INET6_ADDRSTRLEN], la[INET6_ADDRSTRLEN];

		inet_ntop(p->raddr_family, &p->raddr, ra, sizeof(ra));
		inet_ntop(p->laddr_family, &p->laddr, la, sizeof(la));
		print_fp(p->raddr_family == AF_INET6 ? "conn [%s]:%u -> [%s]:%u" :
						       "conn %s:%u -> %s:%u",
			 ra, p->rport, la, p->lport);
	}
	print_uint(PRINT_ANY, "id", conn ? " path %u" : "path %u", p->id);
	if (set & LIBSILK_P_CONN) {
		print_addr(PRINT_JSON, "remote", NULL, p->raddr_family,
			   &p->raddr);
		print_uint(PRINT_JSON, "remote_port", NULL, p->rport);
		print_addr(PRINT_JSON, "local", NULL, p->laddr_family,
			   &p->laddr);
		print_uint(PRINT_JSON, "local_port", NULL, p->lport);
	}
	print_string(print_type(set & LIBSILK_P_PROTO, !conn), "proto", " %s",
		     libsilk_proto_name(p->proto));
	if (set & LIBSILK_P_DEFAULT)
		print_bool(print_type(true, !conn), "default", " default", true);
	else
		print_uint(print_type(set & LIBSILK_P_PORT, !conn), "port",
			   " port %u", p->port);
	if (set & LIBSILK_P_DSCP)
		print_uint(PRINT_JSON, "dscp", NULL, p->dscp);
	if (set & LIBSILK_P_FAMILY)
		print_string(print_type(true, !conn), "family", " family %s",
			     p->family == AF_INET ? "inet" : "inet6");
	if (set & LIBSILK_P_LADDR)
		print_addr(print_type(true, !conn), "local", " local %s",
			   p->laddr_family, &p->laddr);
	if (set & LIBSILK_P_RADDR) {
		print_addr(print_type(true, !conn), "remote", " remote %s",
			   p->raddr_family, &p->raddr);
		print_uint(print_type(true, !conn), "remote_plen", "/%u",
			   p->rplen);
	}
	if ((set & LIBSILK_P_DSCP) && !conn)
		print_fp(" dscp %u", p->dscp);
	print_string(print_type(true, conn || !fp), "class", " class %s",
		     libsilk_class_name(p->class));
	print_uint(print_type(true, fp), "prio", " prio %u", p->prio);
	print_uint(print_type(set & LIBSILK_P_WEIGHT, wfq), "weight",
		   " weight %u", p->weight);
	print_uint(print_type(set & LIBSILK_P_DEADLINE, edf), "deadline_us",
		   " deadline %uus", p->deadline_us);
	print_uint(print_type(set & LIBSILK_P_RUNTIME, edf), "runtime_us",
		   " runtime %uus", p->runtime_us);
	print_uint(print_type(set & LIBSILK_P_PERIOD, edf), "period_us",
		   " period %uus", p->period_us);
	print_uint(print_type(set & LIBSILK_P_LIMIT_PKTS, !conn), "limit",
		   " limit %u", p->limit_pkts);
	print_uint(print_type(set & LIBSILK_P_LIMIT_BYTES, !conn), "bytes",
		   " bytes %u", p->limit_bytes);
	if (conn && p->mirror)
		print_fp(" mirror on");
	print_uint(PRINT_ANY, "cpu", " cpu %u", p->cpu);
	print_on_off(print_type(set & LIBSILK_P_LAZY, !conn && p->lazy), "lazy",
		     " lazy %s", p->lazy);
	if (!conn && p->conns)
		print_fp(" conns on (%u)", p->nconns);
	print_on_off(print_type(set & LIBSILK_P_MIRROR, !conn && p->mirror),
		     "mirror", " mirror %s", p->mirror);
	print_uint(print_type(set & LIBSILK_P_MIRROR_UID,
			      !conn && (set & LIBSILK_P_MIRROR_UID)),
		   "mirror_uid", " uid %u", p->mirror_uid);
	print_uint(print_type(set & LIBSILK_P_MIRROR_GID,
			      !conn && (set & LIBSILK_P_MIRROR_GID)),
		   "mirror_gid", " gid %u", p->mirror_gid);
	if (set & LIBSILK_P_CONNS) {
		print_bool(PRINT_JSON, "conns", NULL, p->conns);
		print_uint(PRINT_JSON, "nconns", NULL, p->nconns);
	}
	if (set & LIBSILK_P_NAME)
		print_string(print_type(true, !conn), "name", " name %s",
			     p->name);
	if (set & LIBSILK_P_OWNER)
		print_uint(print_type(true, !conn), "owner_uid",
			   " socket of uid %u", p->owner_uid);
	print_nl();

	/*
	 * Counters (-s): JSON has them all; a path's text has them in three
	 * lines, a connection path's in one (and whether or not it says it
	 * has them). -s -s adds the drops by reason: JSON members and a
	 * line of text.
	 */
	js = opt.stats && (set & LIBSILK_P_STATS);
	line = conn ? opt.stats : js;
	tx = js && !conn;
	if (js)
		open_json_object("stats");
	print_u64(print_type(js, line), "delivered_pkts",
		  "    delivered %llu pkts", s->delivered_pkts);
	print_u64(print_type(js, line), "delivered_bytes", " %llu bytes",
		  s->delivered_bytes);
	print_u64(print_type(js, line), "dropped_pkts", "  dropped %llu pkts",
		  s->dropped_pkts);
	print_u64(print_type(js, tx), "dropped_bytes", " %llu bytes",
		  s->dropped_bytes);
	print_u64(print_type(js, line), "cpu_ns", "  cpu %llu ns\n", s->cpu_ns);
	print_u64(print_type(js, tx), "qlen", "    queue %llu pkts", s->qlen);
	print_u64(print_type(js, tx), "qbytes", " %llu bytes", s->qbytes);
	print_u64(print_type(js, tx), "qlen_peak", "  peak %llu pkts",
		  s->qlen_peak);
	print_u64(print_type(js, tx), "qbytes_peak", " %llu bytes",
		  s->qbytes_peak);
	print_u64(print_type(js, tx), "bypass_pkts", "  bypass %llu",
		  s->bypass_pkts);
	print_u64(print_type(js, tx), "devgone_pkts", "  devgone %llu\n",
		  s->devgone_pkts);
	print_u64(print_type(js, false), "sojourn_sum_ns", NULL,
		  s->sojourn_sum_ns);
	if (tx)
		print_fp("    sojourn avg %llu ns",
			 (unsigned long long)(s->delivered_pkts ?
			 s->sojourn_sum_ns / s->delivered_pkts : 0));
	print_u64(print_type(js, tx), "sojourn_max_ns", " max %llu ns",
		  s->sojourn_max_ns);
	print_u64(print_type(js, tx && p->class == SILK_CLASS_EDF),
		  "deadline_misses", "  deadline misses %llu",
		  s->deadline_misses);
	print_u64(print_type(js, tx && p->class == SILK_CLASS_EDF),
		  "throttled", "  throttled %llu", s->throttled);
	print_u64(print_type(js, tx && p->lazy), "parked", "  parked %llu",
		  s->parked);
	print_u64(print_type(js, tx), "direct_pkts", "  direct %llu",
		  s->direct_pkts);
	if (tx)
		print_nl();
	/* -s -s: the early drops by reason, in a line of their own. */
	js2 = js && opt.stats > 1;
	line2 = (conn ? line : tx) && opt.stats > 1;
	print_u64(print_type(js2, line2), "drop_limit_pkts",
		  "    drops: limit %llu", s->drop_limit_pkts);
	print_u64(print_type(js2, line2), "drop_limit_bytes", " bytes %llu",
		  s->drop_limit_bytes);
	print_u64(print_type(js2, line2), "drop_path_share", " share %llu",
		  s->drop_path_share);
	print_u64(print_type(js2, line2), "drop_cap_ns", " ns-cap %llu",
		  s->drop_cap_ns);
	print_u64(print_type(js2, line2), "drop_cap_global", " cap %llu",
		  s->drop_cap_global);
	print_u64(print_type(js2, line2), "drop_noref", " noref %llu\n",
		  s->drop_noref);
	if (js)
		close_json_object();
	close_json_object();
}

static int print_path(const struct libsilk_path *p, void *arg)
{
	print_one(p, false);
	return 0;
}

static int print_conn(const struct libsilk_path *c, void *arg)
{
	print_one(c, true);
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
	open_json_array(NULL);
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
	close_json_array();
	if (err)
		return kernel_error(err);
	return 0;
}

static int path_help(int argc, char **argv)
{
	usage(stdout);
	return 0;
}

/* In this order: "s" is "set", "d" "delete". */
static const struct cli_cmd path_cmds[] = {
	{ "add", path_add },
	{ "change", path_change },
	{ "set", path_change },
	{ "delete", path_del },
	{ "show", path_show },
	{ "list", path_show },
	{ "help", path_help },
	{ NULL },
};

int do_path(int argc, char **argv)
{
	return do_subcmd("path", path_cmds, path_show, argc, argv);
}

/*
 * takeover on [OPTS]: a default path for each of tcp, udp, icmp and other
 * that does not have one yet; takeover off: delete them.
 */
int do_takeover(int argc, char **argv)
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

int do_conn(int argc, char **argv)
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
		if (cli_parse_u64(argv[1], 0, UINT32_MAX, &id) || !id)
			return cli_error("invalid id \"%s\"", argv[1]);
	} else if (argc) {
		return cli_error("expected \"conn show [ id ID ]\"");
	}
	open_json_array(NULL);
	err = libsilk_conn_dump(sock, id, print_conn, NULL);
	close_json_array();
	return err ? kernel_error(err) : 0;
}

int do_placement(int argc, char **argv)
{
	int pl, err;

	pl = argc == 1 ? libsilk_placement_parse(*argv) : -1;
	if (pl < 0)
		return cli_error("expected \"placement { hash | src | owner | rr }\"");
	err = libsilk_placement_set(sock, pl);
	return err ? kernel_error(err) : 0;
}
