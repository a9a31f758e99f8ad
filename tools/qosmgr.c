// SPDX-License-Identifier: GPL-2.0
/*
 * qosmgr: a QoS manager for unmodified servers (Zhang, Abdelzaher and
 * Stankovic, section 4). It reads a port's netmeter sensors and drives a
 * socket group's accept rate with a PI controller, so that the port's mean
 * connection delay (handshake to accept()) stays at a set point: when the
 * premium class waits too long, the basic class is admitted more slowly.
 *
 *   qosmgr [-c FILE] [-1|--once] [--dry-run] [-j [-p]] [-n NETNS] [-V]
 *
 * The configuration file (default /etc/silk/qosmgr.conf), one setting per
 * line, '#' starts a comment:
 *   interval SEC     seconds between decisions (0.1..60, default 1)
 *   port PORT        the sensed port (the premium class)
 *   setpoint MS      its target mean delay, milliseconds
 *   group NAME       the accept-rate group to drive (the basic class)
 *   min RATE         the least rate it may get (connections/s, default 1)
 *   max RATE         the most (default 1000)
 *   kp GAIN          proportional gain, connections/s per second of error
 *   ki GAIN          integral gain, connections/s per second of error and
 *                    second of time
 *
 * The controller is the velocity form of PI: each interval the rate moves
 * by kp * (e - e_prev) + ki * e * T, where e is the set point minus the
 * measured delay in seconds and T the interval, and is clamped to
 * [min, max] (which also stops windup). An interval with no accept on the
 * port gives no measurement; if connections wait there nevertheless, the
 * delay is at least the interval, which counts as the measurement.
 *
 * Every decision is logged on stdout, one line (or JSON object) each.
 * --once makes one decision (two sensor readings one interval apart) and
 * exits; --dry-run decides without changing the group.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "libsilk.h"
#include "print.h"

static struct {
	double interval;
	int port;
	double setpoint;	/* seconds */
	char group[SILK_NAME_MAX];
	double min, max, kp, ki;
} cfg = { .interval = 1, .port = -1, .setpoint = -1, .min = 1,
	  .max = 1000, .kp = -1, .ki = -1 };

static bool once, dry_run, json_out, pretty;
static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = 1;
}

static int parse_num(const char *file, int line, const char *key,
		     const char *val, double lo, double hi, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(val, &end);
	if (errno || end == val || *end || !(*out >= lo && *out <= hi)) {
		return cli_error("%s:%d: invalid %s \"%s\": expected %g..%g",
				 file, line, key, val, lo, hi);
	}
	return 0;
}

static int load_config(const char *file)
{
	char buf[256], key[64], val[128], extra[8];
	int line = 0, n;
	double v;
	FILE *f = fopen(file, "r");

	if (!f) {
		return cli_error("cannot open \"%s\": %s", file,
				 strerror(errno));
	}
	while (fgets(buf, sizeof(buf), f)) {
		char *hash = strchr(buf, '#');

		line++;
		if (hash)
			*hash = 0;
		n = sscanf(buf, "%63s %127s %7s", key, val, extra);
		if (n <= 0)
			continue;
		if (n != 2) {
			cli_error("%s:%d: expected \"KEY VALUE\"", file, line);
			goto fail;
		}
		if (!strcmp(key, "interval")) {
			if (parse_num(file, line, key, val, 0.1, 60, &cfg.interval))
				goto fail;
		} else if (!strcmp(key, "port")) {
			if (parse_num(file, line, key, val, 1, 65535, &v))
				goto fail;
			cfg.port = v;
		} else if (!strcmp(key, "setpoint")) {
			if (parse_num(file, line, key, val, 0.1, 600000, &v))
				goto fail;
			cfg.setpoint = v / 1000;
		} else if (!strcmp(key, "group")) {
			if (strlen(val) >= sizeof(cfg.group)) {
				cli_error("%s:%d: group name too long", file,
					  line);
				goto fail;
			}
			strcpy(cfg.group, val);
		} else if (!strcmp(key, "min")) {
			if (parse_num(file, line, key, val, 0.001, 1e6, &cfg.min))
				goto fail;
		} else if (!strcmp(key, "max")) {
			if (parse_num(file, line, key, val, 0.001, 1e6, &cfg.max))
				goto fail;
		} else if (!strcmp(key, "kp")) {
			if (parse_num(file, line, key, val, 0, 1e6, &cfg.kp))
				goto fail;
		} else if (!strcmp(key, "ki")) {
			if (parse_num(file, line, key, val, 0, 1e6, &cfg.ki))
				goto fail;
		} else {
			cli_error("%s:%d: unknown setting \"%s\"", file, line,
				  key);
			goto fail;
		}
	}
	fclose(f);
	if (cfg.port < 0 || cfg.setpoint < 0 || !cfg.group[0] || cfg.kp < 0 ||
	    cfg.ki < 0) {
		return cli_error("%s: port, setpoint, group, kp and ki are required",
				 file);
	}
	if (cfg.min > cfg.max) {
		return cli_error("%s: min is above max", file);
	}
	return 0;
fail:
	fclose(f);
	return -1;
}

struct sample {
	double t;
	struct libsilk_meter m;
};

static int sample(struct libsilk_sock *s, struct sample *out)
{
	int err = libsilk_meter_get(s, cfg.port, &out->m);

	out->t = cli_now();
	if (err)
		return cli_kernel_error(s, err);
	if (!out->m.on) {
		cli_error("the sensors are off: \"silkctl meter on\"");
		return -1;
	}
	return 0;
}

static int group_rate(struct libsilk_sock *s, double *rate)
{
	struct libsilk_group g;
	int err = libsilk_group_get(s, cfg.group, &g);

	if (err)
		return cli_kernel_error(s, err);
	if (g.type != SILK_GROUP_RATE) {
		cli_error("group \"%s\" is not an accept-rate group", cfg.group);
		return -1;
	}
	*rate = g.rate / 1000.0;
	return 0;
}

/* The delay measured between @a and @b (seconds), or -1: none. */
static double measured(const struct sample *a, const struct sample *b)
{
	uint64_t n = b->m.accepted - a->m.accepted;

	if (n)
		return (b->m.delay_sum_ns - a->m.delay_sum_ns) / 1e9 / n;
	/* Nothing accepted while some wait: they waited this long at least. */
	return b->m.waiting ? b->t - a->t : -1;
}

/* One line, or one JSON object, per decision. */
static void log_step(double t, const struct sample *b, double delay,
		     double e, double before, double after)
{
	bool measured = delay >= 0;

	open_json_object(NULL);
	print_float(PRINT_ANY, "time", "%.1f", t);
	print_uint(PRINT_ANY, "port", " port %u", cfg.port);
	print_uint(PRINT_JSON, "waiting", NULL, b->m.waiting);
	if (measured)
		print_float(PRINT_ANY, "delay_ms", " delay %.1f ms",
			    delay * 1000);
	else
		print_fp(": no measurement (nothing accepted or waiting)");
	print_float(print_type(true, measured), "setpoint_ms",
		    " (set point %.1f", cfg.setpoint * 1000);
	if (measured)
		print_fp(", waiting %u)", b->m.waiting);
	print_float(PRINT_JSON, "error_ms", NULL, e * 1000);
	print_string(PRINT_ANY, "group", ": group %s", cfg.group);
	print_float(PRINT_ANY, "rate_before", " rate %.2f", before);
	print_float(print_type(true, measured), "rate", " -> %.2f", after);
	print_fp("%s\n", !measured ? " kept" : dry_run ? " (dry run)" : "");
	print_bool(PRINT_JSON, "applied", NULL, !dry_run && after != before);
	close_json_object();
	fflush(stdout);
}

static int set_rate(struct libsilk_sock *s, double rate)
{
	struct libsilk_group g = { .type = SILK_GROUP_RATE, .has_rate = 1 };
	int err;

	strcpy(g.name, cfg.group);
	g.rate = llround(rate * 1000);
	if (!g.rate)
		g.rate = 1;
	err = libsilk_group_change(s, &g);
	return err ? cli_kernel_error(s, err) : 0;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: qosmgr [-c FILE] [-1|--once] [--dry-run] [-j] [-n NETNS]\n"
		"  -c FILE    configuration (default /etc/silk/qosmgr.conf)\n"
		"  -1, --once one decision, then exit\n"
		"  --dry-run  decide and log, change nothing\n"
		"  -j         log JSON objects, one per line\n"
		"  -n NETNS   act in network namespace NETNS\n"
		"  -p         pretty-print JSON (--pretty)\n"
		"  -h         help (--help)\n"
		"  -V         version (--version)\n"
		"No -b: the configuration file is its only input.\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "once", no_argument, NULL, '1' },
		{ "dry-run", no_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ "netns", required_argument, NULL, 'n' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *file = "/etc/silk/qosmgr.conf";
	struct sample a, b;
	struct libsilk_sock *s;
	double rate, next, e, e_prev = 0, delay;
	bool have_prev = false;
	int c;

	while ((c = getopt_long(argc, argv, "c:1jpn:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			file = optarg;
			break;
		case '1':
			once = true;
			break;
		case 'd':
			dry_run = true;
			break;
		case 'j':
			json_out = true;
			break;
		case 'p':
			pretty = true;
			break;
		case 'n':
			if (cli_enter_netns(optarg))
				return 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			cli_version("qosmgr");
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	if (optind < argc) {
		cli_error("unexpected argument \"%s\"", argv[optind]);
		return 1;
	}
	if (load_config(file))
		return 1;
	s = cli_open();
	if (!s)
		return 1;
	print_init(json_out, pretty);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (group_rate(s, &rate) || sample(s, &a))
		return 1;
	while (!stop) {
		usleep(cfg.interval * 1e6);
		if (stop)
			break;
		if (sample(s, &b) || group_rate(s, &rate))
			return 1;
		delay = measured(&a, &b);
		next = rate;
		e = 0;
		if (delay >= 0) {
			e = cfg.setpoint - delay;
			next = rate + cfg.ki * e * (b.t - a.t);
			if (have_prev)
				next += cfg.kp * (e - e_prev);
			next = fmin(fmax(next, cfg.min), cfg.max);
			e_prev = e;
			have_prev = true;
		}
		log_step(b.t, &b, delay, e, rate, next);
		if (!dry_run && fabs(next - rate) >= 0.001 && set_rate(s, next))
			return 1;
		a = b;
		if (once)
			break;
	}
	libsilk_close(s);
	return 0;
}
