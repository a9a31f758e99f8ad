// SPDX-License-Identifier: GPL-2.0
/*
 * netmeter: silk's meters, as a table or as JSON.
 *
 *   netmeter [-j [-P]] [-p PORT] [-w SEC [-c COUNT]] [-n NETNS] [-V]
 *            [paths | ports]
 *
 * The paths view (the default) shows each path's packets; the ports view
 * shows the sensors of each listening TCP port (silkctl meter on). Without
 * -w it prints the counters once. With -w it prints them every SEC
 * seconds, with the rates over the last interval.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "libsilk.h"
#include "print.h"

#define MAX_PATHS 65536

static struct {
	bool json;
	bool pretty;
	int port;
	double interval;
	long count;
} opt = { .port = -1 };

struct snap {
	int n;
	struct libsilk_path *paths;
	struct libsilk_meter *meters;
	double t;
};

static bool ports_view;

static int collect(const struct libsilk_path *p, void *arg)
{
	struct snap *s = arg;

	if (s->n >= MAX_PATHS)
		return 1;
	s->paths[s->n++] = *p;
	return 0;
}

static const struct libsilk_path *find(const struct snap *s, uint32_t id)
{
	int i;

	for (i = 0; i < s->n; i++)
		if (s->paths[i].id == id)
			return &s->paths[i];
	return NULL;
}

static void binding(const struct libsilk_path *p, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];
	int n = 0;

	buf[0] = 0;
	if (p->set & LIBSILK_P_LADDR) {
		inet_ntop(p->laddr_family, &p->laddr, a, sizeof(a));
		n += snprintf(buf + n, len - n, "%s", a);
	} else {
		n += snprintf(buf + n, len - n, "%s",
			      p->family == AF_INET ? "0.0.0.0" :
			      p->family == AF_INET6 ? "::" : "*");
	}
	if (p->set & LIBSILK_P_RADDR) {
		inet_ntop(p->raddr_family, &p->raddr, a, sizeof(a));
		snprintf(buf + n, len - n, " from %s/%u", a, p->rplen);
	}
}

struct rates {
	double pps, bps, drops, cpu;	/* per second; cpu in percent */
};

static struct rates rates(const struct libsilk_path *p, const struct libsilk_path *o,
			  double dt)
{
	struct rates r = {};

	if (!o || dt <= 0)
		return r;
	r.pps = (p->stats.delivered_pkts - o->stats.delivered_pkts) / dt;
	r.bps = (p->stats.delivered_bytes - o->stats.delivered_bytes) * 8 / dt;
	r.drops = (p->stats.dropped_pkts - o->stats.dropped_pkts) / dt;
	r.cpu = (p->stats.cpu_ns - o->stats.cpu_ns) / dt / 1e7;
	return r;
}

/*
 * Without @old: the counters; with it: the rates since. JSON has every
 * counter, and the rates as well with @old.
 */
static void print_paths(const struct snap *s, const struct snap *old)
{
	double dt = old ? s->t - old->t : 0;
	char b[128];
	int i;

	open_json_object(NULL);
	print_float(PRINT_JSON, "time", NULL, s->t);
	if (old)
		print_fp("%4s %-12s %-4s %5s %-22s %4s %3s %6s %9s %9s %7s %6s\n",
			 "ID", "NAME", "PROT", "PORT", "BINDING", "PRIO", "CPU",
			 "QLEN", "PKT/S", "DROP/S", "MBIT/S", "CPU%");
	else
		print_fp("%4s %-12s %-4s %5s %-22s %4s %3s %6s %6s %11s %13s %10s %10s\n",
			 "ID", "NAME", "PROT", "PORT", "BINDING", "PRIO", "CPU",
			 "QLEN", "PEAK", "DELIVERED", "BYTES", "DROPPED",
			 "CPU(ms)");
	open_json_array("paths");
	for (i = 0; i < s->n; i++) {
		const struct libsilk_path *p = &s->paths[i];
		const struct libsilk_path_stats *st = &p->stats;
		bool named = p->set & LIBSILK_P_NAME;

		binding(p, b, sizeof(b));
		open_json_object(NULL);
		print_uint(PRINT_ANY, "id", "%4u ", p->id);
		print_string(print_type(named, true), "name", "%-12.12s ",
			     named ? p->name : "-");
		print_string(PRINT_ANY, "proto", "%-4s ",
			     libsilk_proto_name(p->proto));
		print_uint(PRINT_ANY, "port", "%5u ", p->port);
		print_string(PRINT_ANY, "binding", "%-22.22s ", b);
		print_uint(PRINT_ANY, "prio", "%4u ", p->prio);
		print_uint(PRINT_ANY, "cpu", "%3u ", p->cpu);
		print_u64(PRINT_FP, NULL, "%6llu ", st->qlen);
		print_u64(print_type(false, !old), NULL, "%6llu ",
			  st->qlen_peak);
		print_u64(print_type(true, !old), "delivered_pkts", "%11llu ",
			  st->delivered_pkts);
		print_u64(print_type(true, !old), "delivered_bytes", "%13llu ",
			  st->delivered_bytes);
		print_u64(print_type(true, !old), "dropped_pkts", "%10llu ",
			  st->dropped_pkts);
		print_u64(PRINT_JSON, "dropped_bytes", NULL, st->dropped_bytes);
		print_u64(PRINT_JSON, "cpu_ns", NULL, st->cpu_ns);
		if (!old)
			print_fp("%10.1f\n", st->cpu_ns / 1e6);
		print_u64(PRINT_JSON, "qlen", NULL, st->qlen);
		print_u64(PRINT_JSON, "qbytes", NULL, st->qbytes);
		print_u64(PRINT_JSON, "qlen_peak", NULL, st->qlen_peak);
		print_u64(PRINT_JSON, "qbytes_peak", NULL, st->qbytes_peak);
		print_u64(PRINT_JSON, "bypass_pkts", NULL, st->bypass_pkts);
		print_u64(PRINT_JSON, "devgone_pkts", NULL, st->devgone_pkts);
		if (old) {
			struct rates r = rates(p, find(old, p->id), dt);

			print_float(PRINT_JSON, "pps", NULL, r.pps);
			print_float(PRINT_JSON, "bps", NULL, r.bps);
			print_float(PRINT_JSON, "drops_per_sec", NULL, r.drops);
			print_float(PRINT_JSON, "cpu_percent", NULL, r.cpu);
			print_fp("%9.0f %9.0f %7.2f %6.1f\n", r.pps, r.drops,
				 r.bps / 1e6, r.cpu);
		}
		close_json_object();
	}
	close_json_array();
	close_json_object();
}

static int collect_meter(const struct libsilk_meter *m, void *arg)
{
	struct snap *s = arg;

	if (s->n >= MAX_PATHS)
		return 1;
	if (opt.port < 0 || m->port == opt.port)
		s->meters[s->n++] = *m;
	return 0;
}

static const struct libsilk_meter *find_meter(const struct snap *s, int port)
{
	int i;

	for (i = 0; s && i < s->n; i++)
		if (s->meters[i].port == port)
			return &s->meters[i];
	return NULL;
}

static double mean_ms(uint64_t sum_ns, uint64_t n)
{
	return n ? sum_ns / 1e6 / n : 0;
}

struct meter_rates {
	double accepts, delay_ms, in, out;	/* per second; mean delay */
};

static struct meter_rates meter_rates(const struct libsilk_meter *m,
				      const struct libsilk_meter *o, double dt)
{
	struct meter_rates r = {};

	if (!o || dt <= 0)
		return r;
	r.accepts = (m->accepted - o->accepted) / dt;
	r.delay_ms = mean_ms(m->delay_sum_ns - o->delay_sum_ns,
			     m->accepted - o->accepted);
	r.in = (m->bytes_in - o->bytes_in) / dt;
	r.out = (m->bytes_out - o->bytes_out) / dt;
	return r;
}

/* As print_paths(); a port whose sensors are off has no more than "-". */
static void print_ports(const struct snap *s, const struct snap *old)
{
	double dt = old ? s->t - old->t : 0;
	int i;

	open_json_object(NULL);
	print_float(PRINT_JSON, "time", NULL, s->t);
	if (old)
		print_fp("%5s %7s %6s %9s %10s %11s %11s\n", "PORT", "WAITING",
			 "LIVE", "ACCEPT/S", "DELAY(ms)", "IN(KB/s)", "OUT(KB/s)");
	else
		print_fp("%5s %7s %6s %10s %10s %13s %13s\n", "PORT", "WAITING",
			 "LIVE", "ACCEPTED", "DELAY(ms)", "BYTES-IN", "BYTES-OUT");
	open_json_array("ports");
	for (i = 0; i < s->n; i++) {
		const struct libsilk_meter *m = &s->meters[i];

		open_json_object(NULL);
		print_uint(PRINT_ANY, "port", "%5u ", m->port);
		print_uint(PRINT_ANY, "waiting", "%7u ", m->waiting);
		if (!m->on) {
			print_fp("%6s\n", "-");
			close_json_object();
			continue;
		}
		print_uint(PRINT_ANY, "live", "%6u ", m->live);
		print_u64(print_type(true, !old), "accepted", "%10llu ",
			  m->accepted);
		print_u64(PRINT_JSON, "delay_sum_ns", NULL, m->delay_sum_ns);
		print_float(print_type(true, !old), "delay_mean_ms", "%10.2f ",
			    mean_ms(m->delay_sum_ns, m->accepted));
		print_u64(print_type(true, !old), "bytes_in", "%13llu ",
			  m->bytes_in);
		print_u64(print_type(true, !old), "bytes_out", "%13llu\n",
			  m->bytes_out);
		/* The kernel's rates, over its own interval. */
		print_float(PRINT_JSON, "kernel_accepts_per_sec", NULL,
			    m->rate_accept_milli / 1e3);
		print_float(PRINT_JSON, "kernel_delay_ms", NULL,
			    m->rate_delay_ns / 1e6);
		print_u64(PRINT_JSON, "kernel_in_per_sec", NULL, m->rate_in);
		print_u64(PRINT_JSON, "kernel_out_per_sec", NULL, m->rate_out);
		if (old) {
			struct meter_rates r;

			r = meter_rates(m, find_meter(old, m->port), dt);
			print_float(PRINT_JSON, "accepts_per_sec", NULL,
				    r.accepts);
			print_float(PRINT_JSON, "delay_ms", NULL, r.delay_ms);
			print_float(PRINT_JSON, "in_per_sec", NULL, r.in);
			print_float(PRINT_JSON, "out_per_sec", NULL, r.out);
			print_fp("%9.1f %10.2f %11.1f %11.1f\n", r.accepts,
				 r.delay_ms, r.in / 1e3, r.out / 1e3);
		}
		close_json_object();
	}
	close_json_array();
	close_json_object();
}

static void print(const struct snap *s, const struct snap *old)
{
	if (ports_view)
		print_ports(s, old);
	else
		print_paths(s, old);
}

static int snapshot(struct libsilk_sock *sock, struct snap *s)
{
	struct libsilk_path filter = {};
	int err;

	if (opt.port >= 0) {
		filter.port = opt.port;
		filter.set = LIBSILK_P_PORT;
	}
	s->n = 0;
	s->t = cli_now();
	if (ports_view)
		err = libsilk_meter_dump(sock, collect_meter, s);
	else
		err = libsilk_path_dump(sock, &filter, collect, s);
	if (err)
		cli_error("%s", libsilk_errmsg(sock));
	return err;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: netmeter [-j] [-P] [-p PORT] [-w SEC [-c COUNT]] [-n NETNS]\n"
		"                [ paths | ports ]\n"
		"  paths     each path's packets (the default)\n"
		"  ports     each listening TCP port's sensors (silkctl meter on)\n"
		"  -j        JSON output (one object per sample)\n"
		"  -P        pretty-print JSON\n"
		"  -p PORT   only paths bound to PORT, or only PORT\n"
		"  -w SEC    refresh every SEC seconds and show rates\n"
		"  -c COUNT  stop after COUNT refreshes\n"
		"  -n NETNS  act in network namespace NETNS\n"
		"  -h        help\n"
		"  -V        version\n"
		"Long options: --json, --pretty, --port, --watch, --count, --netns,\n"
		"--help, --version. No -b: netmeter changes nothing.\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'P' },
		{ "port", required_argument, NULL, 'p' },
		{ "watch", required_argument, NULL, 'w' },
		{ "count", required_argument, NULL, 'c' },
		{ "netns", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct snap a = {}, b = {}, *cur = &a, *old = &b, *tmp;
	struct libsilk_sock *sock;
	long i;
	char *end;
	int c;

	while ((c = getopt_long(argc, argv, "jPp:w:c:n:hV", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'j':
			opt.json = true;
			break;
		case 'P':
			opt.pretty = true;
			break;
		case 'p':
			opt.port = strtol(optarg, &end, 10);
			if (*end || opt.port < 1 || opt.port > 65535) {
				cli_error("invalid port \"%s\": expected 1..65535",
					  optarg);
				return 1;
			}
			break;
		case 'w':
			opt.interval = strtod(optarg, &end);
			if (*end || opt.interval < 0.1 || opt.interval > 3600) {
				cli_error("invalid interval \"%s\": expected 0.1..3600 seconds",
					  optarg);
				return 1;
			}
			break;
		case 'c':
			opt.count = strtol(optarg, &end, 10);
			if (*end || opt.count < 1) {
				cli_error("invalid count \"%s\"", optarg);
				return 1;
			}
			break;
		case 'n':
			if (cli_enter_netns(optarg))
				return 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			cli_version("netmeter");
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	if (optind < argc && !strcmp(argv[optind], "ports")) {
		ports_view = true;
		optind++;
	} else if (optind < argc && !strcmp(argv[optind], "paths")) {
		optind++;
	}
	if (optind < argc) {
		cli_error("unexpected argument \"%s\": expected \"paths\" or \"ports\"",
			  argv[optind]);
		return 1;
	}

	sock = cli_open();
	if (!sock)
		return 1;
	a.paths = calloc(MAX_PATHS, sizeof(*a.paths));
	b.paths = calloc(MAX_PATHS, sizeof(*b.paths));
	a.meters = calloc(MAX_PATHS, sizeof(*a.meters));
	b.meters = calloc(MAX_PATHS, sizeof(*b.meters));
	if (!a.paths || !b.paths || !a.meters || !b.meters)
		return 1;
	print_init(opt.json, opt.pretty);

	if (snapshot(sock, cur))
		return 1;
	if (!opt.interval) {
		print(cur, NULL);
		return 0;
	}
	for (i = 0; !opt.count || i < opt.count; i++) {
		tmp = old;
		old = cur;
		cur = tmp;
		usleep(opt.interval * 1e6);
		if (snapshot(sock, cur))
			return 1;
		if (i)
			print_nl();
		print(cur, old);
		fflush(stdout);
	}
	libsilk_close(sock);
	return 0;
}
