// SPDX-License-Identifier: GPL-2.0
/*
 * Self-test of the EDF and WFQ arithmetic, compiled in with SILK_DEBUG
 * and run at load; included at the end of worker.c.
 */

bool __init silk_worker_selftest(void)
{
	struct silk_worker w = {};
	struct silk_path *p;
	bool ok = true;

	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return false;
	spin_lock_init(&w.lock);
	/* EDF: 1 ms every 10 ms, deadline 5 ms. */
	p->runtime_ns = NSEC_PER_MSEC;
	p->period_ns = 10 * NSEC_PER_MSEC;
	p->deadline_ns = 5 * NSEC_PER_MSEC;
	p->repl_at = 100 * NSEC_PER_MSEC;
	/* An overrun of 0.5 ms is carried into the next period. */
	p->budget_ns = -(s64)NSEC_PER_MSEC / 2;
	silk_edf_replenish(p, 100 * NSEC_PER_MSEC);
	ok &= p->budget_ns == NSEC_PER_MSEC / 2;
	ok &= p->repl_at == 110 * NSEC_PER_MSEC;
	ok &= p->abs_deadline == 105 * NSEC_PER_MSEC;
	/* Unused budget is not; a late replenishment starts from now. */
	p->budget_ns = NSEC_PER_MSEC / 4;
	silk_edf_replenish(p, 200 * NSEC_PER_MSEC);
	ok &= p->budget_ns == NSEC_PER_MSEC;
	ok &= p->repl_at == 210 * NSEC_PER_MSEC;
	spin_lock_bh(&w.lock);
	silk_charge_locked(&w, p, SILK_CLASS_EDF, 2 * NSEC_PER_MSEC);
	ok &= p->budget_ns == -(s64)NSEC_PER_MSEC && p->throttled == 1;
	/* WFQ: virtual time runs at cost / weight (in SILK_WEIGHT_MAX units). */
	p->weight = 100;
	p->vstart = 1000;
	silk_charge_locked(&w, p, SILK_CLASS_WFQ, 500);
	ok &= p->vfinish == 1000 + 500 * SILK_WEIGHT_MAX / 100;
	p->weight = SILK_WEIGHT_MAX;
	silk_charge_locked(&w, p, SILK_CLASS_WFQ, 500);
	ok &= p->vfinish == 1000 + 500;
	spin_unlock_bh(&w.lock);
	kfree(p);
	if (!ok)
		pr_err("worker self-test: the EDF or WFQ arithmetic is wrong\n");
	return ok;
}
