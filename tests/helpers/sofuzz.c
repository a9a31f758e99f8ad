// SPDX-License-Identifier: GPL-2.0
/*
 * sofuzz: random setsockopt()/getsockopt() calls on silk's option range.
 *
 *   sofuzz [-n CALLS] [-s SEED] [-u]
 *
 * Sockets of both families and every type a caller may open (TCP fresh,
 * bound and listening; UDP fresh and bound; raw ICMP when privileged), at
 * levels SOL_IP and SOL_IPV6, with option numbers around silk's range,
 * lengths from 0 to 64 KiB and past, and contents that are random or a
 * struct silk_so_path with values on and past its edges. A getsockopt()
 * must never report more bytes than the buffer it was given. -u: the
 * caller is unprivileged; every setsockopt(SILK_SO_PATH) that succeeds
 * must leave the path's class no higher than it was or than the module's
 * unprivileged ceiling (unpriv_max_prio, unpriv_max_weight), and must not
 * turn mirroring on.
 *
 * A mirrored EDF budget becomes the calling task's own SCHED_DEADLINE
 * budget, and any budget the kernel's sched_setattr() accepts (1 us in
 * 4 s) is a case to survive. Such a call is made by a child that does
 * only that call and closes the socket; the fuzzer goes on, kills a child
 * still running after 5 s and, at the end, waits up to 120 s for all of
 * them: a child that cannot even exit by then is a violation. -r US raises
 * such budgets to at least US: a killed child exits on its budget, and the
 * kernel lets a deadline task overrun its runtime by up to a tick, which
 * covers exit() on a stock kernel but not on a KASAN one (there, a child
 * throttled with its debt pushed periods of up to 4 s ahead was still
 * alive after 120 s; fuzz.sh passes -r on a slow kernel).
 *
 * Prints one JSON object of counts; exits non-zero on a violation.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <signal.h>
#include <time.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <linux/silk.h>

#include "fuzz.h"

static uint32_t edge32(void)
{
	static const uint32_t v[] = {
		0, 1, 2, 9, 10, 63, 64, 255, 256, 9999, 10000, 10001,
		999999, 10000000, 10000001, 0x7fffffff, 0xffffffff,
	};

	return below(3) ? v[below(sizeof(v) / sizeof(v[0]))] : rnd();
}

static long param(const char *name, long dflt)
{
	char path[128];
	FILE *f;
	long v;

	snprintf(path, sizeof(path), "/sys/module/silk/parameters/%s", name);
	f = fopen(path, "r");
	if (!f)
		return dflt;
	if (fscanf(f, "%ld", &v) != 1)
		v = dflt;
	fclose(f);
	return v;
}

/* As silk ranks classes: EDF, then FP by priority, then WFQ by weight. */
static uint32_t rank(const struct silk_so_path *p)
{
	switch (p->sched_class) {
	case SILK_CLASS_EDF:
		return 3U << 24;
	case SILK_CLASS_FP:
		return 2U << 24 | p->prio;
	default:
		return 1U << 24 | p->weight;
	}
}

static int open_sock(bool unpriv)
{
	static const int kinds[] = { 0, 1, 1, 2, 2, 3, 4, 4, 5 };
	int fam = below(2) ? AF_INET : AF_INET6;
	int kind = kinds[below(unpriv ? 8 : 9)];
	int type = kind < 3 ? SOCK_STREAM : kind < 5 ? SOCK_DGRAM : SOCK_RAW;
	int proto = type == SOCK_RAW ? (fam == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6) : 0;
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6 };
	struct sockaddr_in a4 = { .sin_family = AF_INET };
	int fd = socket(fam, type, proto), one = 1;
	uint16_t port = htons(20000 + below(50));

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (kind == 1 || kind == 2 || kind == 4) {
		a4.sin_port = port;
		a6.sin6_port = port;
		if (fam == AF_INET)
			bind(fd, (struct sockaddr *)&a4, sizeof(a4));
		else
			bind(fd, (struct sockaddr *)&a6, sizeof(a6));
	}
	if (kind == 2)
		listen(fd, 8);
	return fd;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Children that set a mirrored EDF budget on themselves. */
static unsigned long children, children_set, killed, alive;
static double slowest;

/* Reap the children that have exited, waiting at most SECS for all. */
static void reap(double secs)
{
	double end = now() + secs;

	while (alive) {
		pid_t pid = waitpid(-1, NULL, WNOHANG);

		if (pid > 0) {
			alive--;
			continue;
		}
		if (pid < 0 || now() >= end)
			return;
		usleep(1000);
	}
}

/* setsockopt() in a child that closes the socket and exits. */
static int set_in_child(int fd, int level, int name, const void *buf, socklen_t len)
{
	double start = now(), t;
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return setsockopt(fd, level, name, buf, len);
	if (pid == 0) {
		int ret = setsockopt(fd, level, name, buf, len);

		close(fd);
		_exit(ret ? 1 : 0);
	}
	children++;
	do {
		if (waitpid(pid, &status, WNOHANG) == pid) {
			t = now() - start;
			if (t > slowest)
				slowest = t;
			if (!WIFEXITED(status) || WEXITSTATUS(status))
				return -1;
			children_set++;
			return 0;
		}
		usleep(1000);
	} while (now() - start < 5);
	kill(pid, SIGKILL);
	killed++;
	alive++;
	return -1;
}

int main(int argc, char **argv)
{
	unsigned long count = 10000, i = 0, set_ok = 0, set_err = 0, get_ok = 0;
	unsigned long get_err = 0, bad = 0, raised = 0, stuck = 0, sockets = 0;
	unsigned long min_runtime_us = 0;
	long max_prio, max_weight;
	bool unpriv = false;
	uint64_t seed = 1;
	int opt;

	while ((opt = getopt(argc, argv, "n:r:s:u")) != -1) {
		switch (opt) {
		case 'n': count = strtoul(optarg, NULL, 0); break;
		case 'r': min_runtime_us = strtoul(optarg, NULL, 0); break;
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 'u': unpriv = true; break;
		default:
			fprintf(stderr, "usage: sofuzz [-n COUNT] [-r MIN_RUNTIME_US] [-s SEED] [-u]\n");
			return 2;
		}
	}
	fuzz_seed(seed);
	max_prio = param("unpriv_max_prio", -1);
	max_weight = param("unpriv_max_weight", 1);
	while (i < count) {
		static const socklen_t lens[] = {
			0, 1, 3, 4, sizeof(struct silk_so_path) - 1,
			sizeof(struct silk_so_path), sizeof(struct silk_so_path) + 1,
			sizeof(struct silk_so_stats), sizeof(struct silk_so_meter),
			64, 4096, 65536, 0x7fffffff, 0xffffffff,
		};
		static unsigned char buf[65536 + 64];
		struct silk_so_path before, after, *sp = (void *)buf;
		int fd = open_sock(unpriv), level, name, had, set;
		socklen_t len, got;
		unsigned int j, calls = 1 + below(8);

		if (fd < 0)
			continue;
		sockets++;
		for (j = 0; j < calls && i < count; j++, i++) {
			level = below(8) ? (below(2) ? SOL_IP : SOL_IPV6) : below(300);
			set = below(2);
			name = set && below(4) ? SILK_SO_PATH :
			       SILK_SO_BASE - 2 + below(__SILK_SO_END - SILK_SO_BASE + 4);
			len = below(2) ? (name == SILK_SO_STATS ? sizeof(struct silk_so_stats) :
					  name == SILK_SO_METER ? sizeof(struct silk_so_meter) :
					  sizeof(struct silk_so_path)) :
			      below(4) ? lens[below(sizeof(lens) / sizeof(lens[0]))] : below(70000);
			if (below(4)) {
				/* A valid request for a class, then maybe one field off. */
				memset(buf, 0, sizeof(struct silk_so_path));
				sp->sched_class = below(3);
				if (sp->sched_class == SILK_CLASS_FP) {
					sp->prio = below(SILK_PRIO_MAX + 1);
				} else if (sp->sched_class == SILK_CLASS_WFQ) {
					sp->weight = below(2) ? 1 : 1 + below(SILK_WEIGHT_MAX);
				} else {
					sp->deadline_us = 1000 + below(100000);
					sp->runtime_us = 1 + below(sp->deadline_us);
				}
				sp->mirror = below(8) == 0;
				if (sp->sched_class == SILK_CLASS_EDF && below(2))
					sp->runtime_us = 1 + below(8);
				switch (below(12)) {
				case 0: sp->sched_class = below(256); break;
				case 1: sp->prio = rnd(); break;
				case 2: sp->flags = rnd(); break;
				case 3: sp->weight = edge32(); break;
				case 4: sp->deadline_us = edge32(); break;
				case 5: sp->runtime_us = edge32(); break;
				case 6: sp->period_us = edge32(); break;
				case 7: sp->id = rnd(); break;
				case 8: sp->mirror = rnd(); break;
				}
			} else {
				for (got = 0; got < 64; got++)
					buf[got] = rnd();
			}
			if (set) {
				got = sizeof(before);
				had = getsockopt(fd, SOL_IP, SILK_SO_PATH, &before, &got) == 0;
				if (!unpriv && name == SILK_SO_PATH && len >= sizeof(*sp) &&
				    len <= sizeof(buf) && sp->mirror &&
				    sp->sched_class == SILK_CLASS_EDF) {
					if (sp->runtime_us < min_runtime_us)
						sp->runtime_us = min_runtime_us;
					/* The child closed the socket: take the next. */
					if (set_in_child(fd, level, name, buf, len) == 0)
						set_ok++;
					else
						set_err++;
					i++;
					break;
				}
				if (setsockopt(fd, level, name, len > sizeof(buf) ? (void *)1 : buf,
					       len) == 0) {
					set_ok++;
					got = sizeof(after);
					if (unpriv && name == SILK_SO_PATH &&
					    getsockopt(fd, SOL_IP, SILK_SO_PATH, &after, &got) == 0) {
						bool ok = (had && rank(&after) <= rank(&before)) ||
							  (after.sched_class == SILK_CLASS_FP &&
							   (long)after.prio <= max_prio) ||
							  (after.sched_class == SILK_CLASS_WFQ &&
							   (long)after.weight <= max_weight);

						if (!ok || (after.mirror && !(had && before.mirror))) {
							raised++;
							fprintf(stderr, "sofuzz: unprivileged set raised the path: class %u prio %u weight %u mirror %u (was %s)\n",
								after.sched_class, after.prio,
								after.weight, after.mirror,
								had ? "a path" : "none");
						}
					}
				} else {
					set_err++;
				}
			} else {
				got = len;
				memset(buf, 0xa5, sizeof(buf));
				if (getsockopt(fd, level, name,
					       len > sizeof(buf) ? (void *)1 : buf, &got) == 0) {
					get_ok++;
					if (got > len) {
						bad++;
						fprintf(stderr, "sofuzz: getsockopt(%d) reported %u bytes into %u\n",
							name, got, len);
					}
				} else {
					get_err++;
				}
			}
		}
		close(fd);
		reap(0);
	}
	reap(120);
	stuck = alive;
	if (stuck)
		fprintf(stderr, "sofuzz: %lu children still alive 120 s after the last call\n",
			stuck);
	printf("{\"calls\":%lu,\"sockets\":%lu,\"set_ok\":%lu,\"set_refused\":%lu,"
	       "\"get_ok\":%lu,\"get_refused\":%lu,\"bad_lengths\":%lu,\"raised\":%lu,"
	       "\"edf_children\":%lu,\"edf_set\":%lu,\"edf_killed\":%lu,\"edf_slowest_s\":%.3f,\"stuck\":%lu}\n",
	       i, sockets, set_ok, set_err, get_ok, get_err, bad, raised,
	       children, children_set, killed, slowest, stuck);
	return bad || raised || stuck ? 1 : 0;
}
