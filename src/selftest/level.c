// SPDX-License-Identifier: GPL-2.0
/*
 * Self-test of the level arithmetic: WFQ weights as nice values, and the
 * order of attributes. Compiled in with SILK_DEBUG and run at load;
 * included at the end of level.c.
 */

bool __init silk_level_selftest(void)
{
	/* CFS load weights are 1024 * 1.25^-nice (sched_prio_to_weight). */
	static const struct {
		u32 weight;
		int nice;
	} nices[] = {
		{ 1, 0 }, { 2, -3 }, { 3, -5 }, { 10, -10 }, { 100, -20 },
		{ SILK_WEIGHT_MAX, -20 },
	};
	static const struct sched_attr order[] __initconst = {
		{ .sched_policy = SCHED_DEADLINE },
		{ .sched_policy = SCHED_FIFO, .sched_priority = 99 },
		{ .sched_policy = SCHED_RR, .sched_priority = 2 },
		{ .sched_policy = SCHED_FIFO, .sched_priority = 1 },
		{ .sched_policy = SCHED_NORMAL, .sched_nice = -20 },
		{ .sched_policy = SCHED_NORMAL, .sched_nice = 0 },
		{ .sched_policy = SCHED_BATCH, .sched_nice = 19 },
		{ .sched_policy = SCHED_IDLE },
	};
	bool ok = true;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(nices); i++) {
		int n = silk_weight_nice(nices[i].weight);

		if (n != nices[i].nice) {
			pr_err("level self-test: weight %u gave nice %d, not %d\n",
			       nices[i].weight, n, nices[i].nice);
			ok = false;
		}
	}
	for (i = 0; i + 1 < ARRAY_SIZE(order); i++) {
		if (silk_attr_rank(&order[i]) <= silk_attr_rank(&order[i + 1])) {
			pr_err("level self-test: attributes %u do not outrank %u\n",
			       i, i + 1);
			ok = false;
		}
	}
	return ok;
}
