// SPDX-License-Identifier: GPL-2.0
/*
 * qosmgr: a QoS manager for unmodified servers (Zhang, Abdelzaher and
 * Stankovic, section 4). It reads a port's netmeter sensors and drives a
 * socket group's accept rate with a PI controller, so that the port's mean
 * connection delay (handshake to accept()) stays at a set point: when the
 * premium class waits too long, the basic class is admitted more slowly.
 *
 *   qosmgr [-c FILE] [-1|--once] [--dry-run] [-j] [-n NETNS]
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
#include "json.h"
#include "libsilk.h"

static struct {
	double interval;
	int port;
	double setpoint;	/* seconds */
	char group[SILK_NAME_MAX];
	double min, max, kp, ki;
} cfg = { .interval = 1, .port = -1, .setpoint = -1, .min = 1,
	  .max = 1000, .kp = -1, .ki = -1 };

static bool once, dry_run, json_out;
static struct json js;
static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = 1;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int parse_num(const char *file, int line, const char *key,
		     const char *val, double lo, double hi, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(val, &end);
	if (errno || end == val || *end || !(*out >= lo && *out <= hi)) {
		fprintf(stderr, "Error: %s:%d: invalid %s \"%s\": expected %g..%g.\n",
			file, line, key, val, lo, hi);
		return -1;
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
		fprintf(stderr, "Error: cannot open \"%s\": %s.\n", file,
			strerror(errno));
		return -1;
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
			fprintf(stderr, "Error: %s:%d: expected \"KEY VALUE\".\n",
				file, line);
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
				fprintf(stderr, "Error: %s:%d: group name too long.\n",
					file, line);
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
			fprintf(stderr, "Error: %s:%d: unknown setting \"%s\".\n",
				file, line, key);
			goto fail;
		}
	}
	fclose(f);
	if (cfg.port < 0 || cfg.setpoint < 0 || !cfg.group[0] || cfg.kp < 0 ||
	    cfg.ki < 0) {
		fprintf(stderr, "Error: %s: port, setpoint, group, kp and ki are required.\n",
			file);
		return -1;
	}
	if (cfg.min > cfg.max) {
		fprintf(stderr, "Error: %s: min is above max.\n", file);
		return -1;
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

	out->t = now();
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

static void log_step(double t, const struct sample *b, double delay,
		     double e, double before, double after)
{
	if (json_out) {
		json_obj_open(&js, NULL);
		json_float(&js, "time", t);
		json_uint(&js, "port", cfg.port);
		json_uint(&js, "waiting", b->m.waiting);
		if (delay >= 0)
			json_float(&js, "delay_ms", delay * 1000);
		json_float(&js, "setpoint_ms", cfg.setpoint * 1000);
		json_float(&js, "error_ms", e * 1000);
		json_str(&js, "group", cfg.group);
		json_float(&js, "rate_before", before);
		json_float(&js, "rate", after);
		json_bool(&js, "applied", !dry_run && after != before);
		json_obj_close(&js);
	} else if (delay >= 0) {
		printf("%.1f port %d delay %.1f ms (set point %.1f, waiting %u): group %s rate %.2f -> %.2f%s\n",
		       t, cfg.port, delay * 1000, cfg.setpoint * 1000,
		       b->m.waiting, cfg.group, before, after,
		       dry_run ? " (dry run)" : "");
	} else {
		printf("%.1f port %d: no measurement (nothing accepted or waiting): group %s rate %.2f kept\n",
		       t, cfg.port, cfg.group, before);
	}
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
		"  -n NETNS   act in network namespace NETNS\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "once", no_argument, NULL, '1' },
		{ "dry-run", no_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ "netns", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *file = "/etc/silk/qosmgr.conf";
	struct sample a, b;
	struct libsilk_sock *s;
	double rate, next, e, e_prev = 0, delay;
	bool have_prev = false;
	int c;

	while ((c = getopt_long(argc, argv, "c:1jn:h", longopts, NULL)) != -1) {
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
	if (optind < argc) {
		fprintf(stderr, "Error: unexpected argument \"%s\".\n", argv[optind]);
		return 1;
	}
	if (load_config(file))
		return 1;
	s = libsilk_open();
	if (!s) {
		fprintf(stderr,
			"Error: cannot reach the silk netlink family: %s (is the silk module loaded?).\n",
			strerror(errno));
		return 1;
	}
	json_init(&js, stdout, false);
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
