// SPDX-License-Identifier: GPL-2.0
/*
 * Self-test of the tcpchains loop check, compiled in with SILK_DEBUG and
 * run at load; included at the end of chain.c.
 */

/* Rules @port[i] -> @out[i] (and a condition to @cond[i], if not 0). */
static int __init silk_chain_selftest_one(const u16 *port, const u16 *out,
					  const u16 *cond, unsigned int n)
{
	struct silk_chain *rules[4] = {};
	struct silk_chains *t;
	unsigned int i;
	int err = -ENOMEM;

	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	t->rule = rules;
	t->max = ARRAY_SIZE(rules);
	for (i = 0; i < n; i++) {
		rules[i] = kzalloc(struct_size(rules[i], cond, 1), GFP_KERNEL);
		if (!rules[i])
			goto out;
		rules[i]->port = port[i];
		rules[i]->out = out[i];
		rules[i]->ncond = !!cond[i];
		rules[i]->cond[0].out = cond[i];
	}
	t->n = n;
	err = silk_chains_check(t, NULL);
out:
	for (i = 0; i < n; i++)
		kfree(rules[i]);
	kfree(t);
	return err;
}

bool __init silk_chain_selftest(void)
{
	/* Sorted by port, as a table is. */
	static const u16 port[] __initconst = { 80, 81, 82, 83 };
	static const u16 chain[] __initconst = { 81, 82, 83, 8080 };
	static const u16 back[] __initconst = { 81, 82, 83, 80 };
	static const u16 none[] __initconst = { 0, 0, 0, 0 };
	static const u16 cond_back[] __initconst = { 0, 0, 81, 0 };
	bool ok = true;

	/* 80 -> 81 -> 82 -> 83 -> 8080: a chain, no loop. */
	ok &= silk_chain_selftest_one(port, chain, none, 4) == 0;
	/* ... -> 83 -> 80: a loop through every rule. */
	ok &= silk_chain_selftest_one(port, back, none, 4) == -ELOOP;
	/* A condition of 82 back to 81: a loop through a condition. */
	ok &= silk_chain_selftest_one(port, chain, cond_back, 4) == -ELOOP;
	/* A rule to itself. */
	ok &= silk_chain_selftest_one(port, port, none, 1) == -ELOOP;
	if (!ok)
		pr_err("chain self-test: the loop check is wrong\n");
	return ok;
}
