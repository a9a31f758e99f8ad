// SPDX-License-Identifier: GPL-2.0
/*
 * Print a task's scheduling attributes as one JSON object per pid:
 *
 *   schedof PID...
 *   -> {"pid": 1, "policy": "fifo", "prio": 2, "nice": 0,
 *       "reset_on_fork": true, "runtime": 0, "deadline": 0, "period": 0}
 *
 * Policies: other, fifo, rr, batch, idle, deadline. Deadline parameters
 * (ns) come from sched_getattr(2). A pid it cannot read gives
 * {"pid": N, "error": "..."}. In C, not Python: the tests poll it while a
 * task's attributes last a few milliseconds, and a Python start takes
 * seconds in the VM.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

struct sched_attr_v1 {
	uint32_t size;
	uint32_t policy;
	uint64_t flags;
	int32_t nice;
	uint32_t priority;
	uint64_t runtime;
	uint64_t deadline;
	uint64_t period;
	uint32_t util_min;
	uint32_t util_max;
};

static const char *policy_name(uint32_t p, char *buf, size_t len)
{
	static const char *const names[] = {
		[0] = "other", [1] = "fifo", [2] = "rr", [3] = "batch",
		[5] = "idle", [6] = "deadline",
	};

	if (p < sizeof(names) / sizeof(names[0]) && names[p])
		return names[p];
	snprintf(buf, len, "%u", p);
	return buf;
}

int main(int argc, char **argv)
{
	struct sched_attr_v1 a;
	char buf[16];
	int i, rc = 0;

	for (i = 1; i < argc; i++) {
		long pid = strtol(argv[i], NULL, 10);

		memset(&a, 0, sizeof(a));
		if (syscall(SYS_sched_getattr, (pid_t)pid, &a, sizeof(a), 0)) {
			printf("{\"pid\": %ld, \"error\": \"%s\"}\n", pid,
			       strerror(errno));
			continue;
		}
		printf("{\"pid\": %ld, \"policy\": \"%s\", \"prio\": %u, "
		       "\"nice\": %d, \"reset_on_fork\": %s, "
		       "\"runtime\": %" PRIu64 ", \"deadline\": %" PRIu64 ", "
		       "\"period\": %" PRIu64 "}\n",
		       pid, policy_name(a.policy, buf, sizeof(buf)), a.priority,
		       a.nice, (a.flags & 1) ? "true" : "false", a.runtime,
		       a.deadline, a.period);
	}
	if (fflush(stdout))
		rc = 1;
	return rc;
}
