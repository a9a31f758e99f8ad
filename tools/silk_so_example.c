// SPDX-License-Identifier: GPL-2.0
/*
 * silk_so_example: a QoS-aware UDP server that gives its own socket's path
 * a class through silk's socket options, and reads the path's counters.
 *
 *   silk_so_example PORT [fp PRIO | wfq WEIGHT | edf DEADLINE_US RUNTIME_US]
 *                   [mirror]
 *
 * It binds PORT, sets the class (default: WFQ weight 1, which any user may
 * choose), receives datagrams for 5 seconds and prints what silk counted.
 * With "mirror" (needs CAP_SYS_NICE) the process runs at the path's Linux
 * priority until it closes the socket.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <linux/silk.h>

int main(int argc, char **argv)
{
	struct silk_so_path sp = { .sched_class = SILK_CLASS_WFQ, .weight = 1 };
	struct silk_so_stats st;
	struct sockaddr_in6 a = { .sin6_family = AF_INET6 };
	struct timeval tv = { .tv_sec = 1 };
	socklen_t len;
	char buf[2048];
	int fd, i, mirror = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s PORT [fp PRIO | wfq WEIGHT | edf DEADLINE_US RUNTIME_US] [mirror]\n",
			argv[0]);
		return 2;
	}
	a.sin6_port = htons(atoi(argv[1]));
	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "fp") && i + 1 < argc) {
			memset(&sp, 0, sizeof(sp));
			sp.sched_class = SILK_CLASS_FP;
			sp.prio = atoi(argv[++i]);
		} else if (!strcmp(argv[i], "wfq") && i + 1 < argc) {
			memset(&sp, 0, sizeof(sp));
			sp.sched_class = SILK_CLASS_WFQ;
			sp.weight = atoi(argv[++i]);
		} else if (!strcmp(argv[i], "edf") && i + 2 < argc) {
			memset(&sp, 0, sizeof(sp));
			sp.sched_class = SILK_CLASS_EDF;
			sp.deadline_us = atoi(argv[++i]);
			sp.runtime_us = atoi(argv[++i]);
		} else if (!strcmp(argv[i], "mirror")) {
			mirror = 1;
		} else {
			fprintf(stderr, "unknown argument \"%s\"\n", argv[i]);
			return 2;
		}
	}
	sp.mirror = mirror;

	fd = socket(AF_INET6, SOCK_DGRAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a))) {
		perror("socket/bind");
		return 1;
	}
	/* SOL_IP works on AF_INET6 sockets too; SOL_IPV6 as well. */
	if (setsockopt(fd, SOL_IP, SILK_SO_PATH, &sp, sizeof(sp))) {
		fprintf(stderr, "SILK_SO_PATH: %s%s\n", strerror(errno),
			errno == ENOPROTOOPT ? " (is silk loaded?)" : "");
		return 1;
	}
	len = sizeof(sp);
	if (!getsockopt(fd, SOL_IP, SILK_SO_PATH, &sp, &len))
		printf("path %u class %u prio %u weight %u mirror %u\n", sp.id,
		       sp.sched_class, sp.prio, sp.weight, sp.mirror);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	for (i = 0; i < 5; i++)
		while (recv(fd, buf, sizeof(buf), 0) >= 0)
			;
	len = sizeof(st);
	if (getsockopt(fd, SOL_IP, SILK_SO_STATS, &st, &len)) {
		perror("SILK_SO_STATS");
		return 1;
	}
	printf("delivered %llu pkts %llu bytes dropped %llu pkts cpu %llu ns\n",
	       (unsigned long long)st.delivered_pkts,
	       (unsigned long long)st.delivered_bytes,
	       (unsigned long long)st.dropped_pkts,
	       (unsigned long long)st.cpu_ns);
	close(fd);
	return 0;
}
