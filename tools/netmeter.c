// SPDX-License-Identifier: GPL-2.0
/*
 * netmeter: silk's meters, as a table or as JSON.
 *
 *   netmeter [-j] [-p PORT] [-w SEC [-c COUNT]] [-n NETNS] [paths | ports]
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

#include "json.h"
#include "libsilk.h"

#define MAX_PATHS 65536

static struct {
	bool json;
	bool pretty;
	int port;
	double interval;
	long count;
} opt = { .port = -1 };

static struct json js;

struct snap {
	int n;
	struct libsilk_path *paths;
	struct libsilk_meter *meters;
	double t;
};

static bool ports_view;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

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

static void print_json(const struct snap *s, const struct snap *old)
{
	double dt = old ? s->t - old->t : 0;
	char b[128];
	int i;

	json_obj_open(&js, NULL);
	json_float(&js, "time", s->t);
	json_arr_open(&js, "paths");
	for (i = 0; i < s->n; i++) {
		const struct libsilk_path *p = &s->paths[i];
		const struct libsilk_path_stats *st = &p->stats;

		json_obj_open(&js, NULL);
		json_uint(&js, "id", p->id);
		if (p->set & LIBSILK_P_NAME)
			json_str(&js, "name", p->name);
		json_str(&js, "proto", libsilk_proto_name(p->proto));
		json_uint(&js, "port", p->port);
		binding(p, b, sizeof(b));
		json_str(&js, "binding", b);
		json_uint(&js, "prio", p->prio);
		json_uint(&js, "cpu", p->cpu);
		json_uint(&js, "delivered_pkts", st->delivered_pkts);
		json_uint(&js, "delivered_bytes", st->delivered_bytes);
		json_uint(&js, "dropped_pkts", st->dropped_pkts);
		json_uint(&js, "dropped_bytes", st->dropped_bytes);
		json_uint(&js, "cpu_ns", st->cpu_ns);
		json_uint(&js, "qlen", st->qlen);
		json_uint(&js, "qbytes", st->qbytes);
		json_uint(&js, "qlen_peak", st->qlen_peak);
		json_uint(&js, "qbytes_peak", st->qbytes_peak);
		json_uint(&js, "bypass_pkts", st->bypass_pkts);
		json_uint(&js, "devgone_pkts", st->devgone_pkts);
		if (old) {
			struct rates r = rates(p, find(old, p->id), dt);

			json_float(&js, "pps", r.pps);
			json_float(&js, "bps", r.bps);
			json_float(&js, "drops_per_sec", r.drops);
			json_float(&js, "cpu_percent", r.cpu);
		}
		json_obj_close(&js);
	}
	json_arr_close(&js);
	json_obj_close(&js);
}

static void print_table(const struct snap *s, const struct snap *old)
{
	double dt = old ? s->t - old->t : 0;
	char b[128];
	int i;

	if (old)
		printf("%4s %-12s %-4s %5s %-22s %4s %3s %6s %9s %9s %7s %6s\n",
		       "ID", "NAME", "PROT", "PORT", "BINDING", "PRIO", "CPU",
		       "QLEN", "PKT/S", "DROP/S", "MBIT/S", "CPU%");
	else
		printf("%4s %-12s %-4s %5s %-22s %4s %3s %6s %6s %11s %13s %10s %10s\n",
		       "ID", "NAME", "PROT", "PORT", "BINDING", "PRIO", "CPU",
		       "QLEN", "PEAK", "DELIVERED", "BYTES", "DROPPED",
		       "CPU(ms)");
	for (i = 0; i < s->n; i++) {
		const struct libsilk_path *p = &s->paths[i];
		const struct libsilk_path_stats *st = &p->stats;

		binding(p, b, sizeof(b));
		printf("%4u %-12.12s %-4s %5u %-22.22s %4u %3u %6llu ", p->id,
		       (p->set & LIBSILK_P_NAME) ? p->name : "-",
		       libsilk_proto_name(p->proto), p->port, b, p->prio, p->cpu,
		       (unsigned long long)st->qlen);
		if (old) {
			struct rates r = rates(p, find(old, p->id), dt);

			printf("%9.0f %9.0f %7.2f %6.1f\n", r.pps, r.drops,
			       r.bps / 1e6, r.cpu);
		} else {
			printf("%6llu %11llu %13llu %10llu %10.1f\n",
			       (unsigned long long)st->qlen_peak,
			       (unsigned long long)st->delivered_pkts,
			       (unsigned long long)st->delivered_bytes,
			       (unsigned long long)st->dropped_pkts,
			       st->cpu_ns / 1e6);
		}
	}
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

static void print_ports_json(const struct snap *s, const struct snap *old)
{
	double dt = old ? s->t - old->t : 0;
	int i;

	json_obj_open(&js, NULL);
	json_float(&js, "time", s->t);
	json_arr_open(&js, "ports");
	for (i = 0; i < s->n; i++) {
		const struct libsilk_meter *m = &s->meters[i];

		json_obj_open(&js, NULL);
		json_uint(&js, "port", m->port);
		json_uint(&js, "waiting", m->waiting);
		if (m->on) {
			json_uint(&js, "live", m->live);
			json_uint(&js, "accepted", m->accepted);
			json_uint(&js, "delay_sum_ns", m->delay_sum_ns);
			json_float(&js, "delay_mean_ms",
				   mean_ms(m->delay_sum_ns, m->accepted));
			json_uint(&js, "bytes_in", m->bytes_in);
			json_uint(&js, "bytes_out", m->bytes_out);
			/* The kernel's rates, over its own interval. */
			json_float(&js, "kernel_accepts_per_sec",
				   m->rate_accept_milli / 1e3);
			json_float(&js, "kernel_delay_ms",
				   m->rate_delay_ns / 1e6);
			json_uint(&js, "kernel_in_per_sec", m->rate_in);
			json_uint(&js, "kernel_out_per_sec", m->rate_out);
		}
		if (m->on && old) {
			struct meter_rates r;

			r = meter_rates(m, find_meter(old, m->port), dt);
			json_float(&js, "accepts_per_sec", r.accepts);
			json_float(&js, "delay_ms", r.delay_ms);
			json_float(&js, "in_per_sec", r.in);
			json_float(&js, "out_per_sec", r.out);
		}
		json_obj_close(&js);
	}
	json_arr_close(&js);
	json_obj_close(&js);
}

static void print_ports_table(const struct snap *s, const struct snap *old)
{
	double dt = old ? s->t - old->t : 0;
	int i;

	if (old)
		printf("%5s %7s %6s %9s %10s %11s %11s\n", "PORT", "WAITING",
		       "LIVE", "ACCEPT/S", "DELAY(ms)", "IN(KB/s)", "OUT(KB/s)");
	else
		printf("%5s %7s %6s %10s %10s %13s %13s\n", "PORT", "WAITING",
		       "LIVE", "ACCEPTED", "DELAY(ms)", "BYTES-IN", "BYTES-OUT");
	for (i = 0; i < s->n; i++) {
		const struct libsilk_meter *m = &s->meters[i];

		printf("%5u %7u ", m->port, m->waiting);
		if (!m->on) {
			printf("%6s\n", "-");
			continue;
		}
		if (old) {
			struct meter_rates r;

			r = meter_rates(m, find_meter(old, m->port), dt);
			printf("%6u %9.1f %10.2f %11.1f %11.1f\n", m->live,
			       r.accepts, r.delay_ms, r.in / 1e3, r.out / 1e3);
		} else {
			printf("%6u %10llu %10.2f %13llu %13llu\n", m->live,
			       (unsigned long long)m->accepted,
			       mean_ms(m->delay_sum_ns, m->accepted),
			       (unsigned long long)m->bytes_in,
			       (unsigned long long)m->bytes_out);
		}
	}
}

static void print(const struct snap *s, const struct snap *old)
{
	if (ports_view && opt.json)
		print_ports_json(s, old);
	else if (ports_view)
		print_ports_table(s, old);
	else if (opt.json)
		print_json(s, old);
	else
		print_table(s, old);
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
	s->t = now();
	if (ports_view)
		err = libsilk_meter_dump(sock, collect_meter, s);
	else
		err = libsilk_path_dump(sock, &filter, collect, s);
	if (err)
		fprintf(stderr, "Error: %s.\n", libsilk_errmsg(sock));
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
		"  -n NETNS  act in network namespace NETNS\n");
}

int main(int argc, char **argv)
{
	struct snap a = {}, b = {}, *cur = &a, *old = &b, *tmp;
	struct libsilk_sock *sock;
	long i;
	char *end;
	int c;

	while ((c = getopt(argc, argv, "jPp:w:c:n:h")) != -1) {
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
				fprintf(stderr, "Error: invalid port \"%s\": expected 1..65535.\n",
					optarg);
				return 1;
			}
			break;
		case 'w':
			opt.interval = strtod(optarg, &end);
			if (*end || opt.interval < 0.1 || opt.interval > 3600) {
				fprintf(stderr, "Error: invalid interval \"%s\": expected 0.1..3600 seconds.\n",
					optarg);
				return 1;
			}
			break;
		case 'c':
			opt.count = strtol(optarg, &end, 10);
			if (*end || opt.count < 1) {
				fprintf(stderr, "Error: invalid count \"%s\".\n",
					optarg);
				return 1;
			}
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
		fprintf(stderr, "Error: unexpected argument \"%s\": expected \"paths\" or \"ports\".\n",
			argv[optind]);
		return 1;
	}

	sock = libsilk_open();
	if (!sock) {
		fprintf(stderr,
			"Error: cannot reach the silk netlink family: %s (is the silk module loaded?).\n",
			strerror(errno));
		return 1;
	}
	a.paths = calloc(MAX_PATHS, sizeof(*a.paths));
	b.paths = calloc(MAX_PATHS, sizeof(*b.paths));
	a.meters = calloc(MAX_PATHS, sizeof(*a.meters));
	b.meters = calloc(MAX_PATHS, sizeof(*b.meters));
	if (!a.paths || !b.paths || !a.meters || !b.meters)
		return 1;
	json_init(&js, stdout, opt.pretty);

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
		if (!opt.json && i)
			putchar('\n');
		print(cur, old);
		fflush(stdout);
	}
	libsilk_close(sock);
	return 0;
}
