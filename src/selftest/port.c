// SPDX-License-Identifier: GPL-2.0
/*
 * Self-test of binding precedence and matching, compiled in with
 * SILK_DEBUG and run at load; included at the end of port.c.
 */

bool __init silk_port_selftest(void)
{
	/* Most specific first: each one outranks every one after it. */
	static const struct silk_binding order[] __initconst = {
		{ .has_laddr = true, .has_dscp = true, .rplen = 128, .family = AF_INET6 },
		{ .has_laddr = true },
		{ .has_dscp = true, .rplen = 128, .family = AF_INET6 },
		{ .has_dscp = true },
		{ .rplen = 128, .family = AF_INET6 },
		{ .rplen = 32, .family = AF_INET },
		{ .rplen = 1, .family = AF_INET },
		{ .family = AF_INET },
		{ },
	};
	__be32 src = htonl(0xc0000201), dst = htonl(0x0a000002);
	struct silk_flow f = {
		.family = AF_INET, .proto = IPPROTO_TCP, .dscp = 46,
		.saddr4 = src, .daddr4 = dst,
	};
	struct silk_binding b = { .family = AF_INET };
	bool ok = true;
	unsigned int i;

	for (i = 0; i + 1 < ARRAY_SIZE(order); i++) {
		if (silk_binding_rank(&order[i]) <= silk_binding_rank(&order[i + 1])) {
			pr_err("port self-test: binding %u does not outrank %u\n",
			       i, i + 1);
			ok = false;
		}
	}
	/* 192.0.2.1 from 192.0.2.0/24, DSCP EF, to 10.0.0.2. */
	b.rplen = 24;
	b.raddr.ip = htonl(0xc0000200);
	ok &= silk_binding_match(&b, &f);
	b.rplen = 25;
	b.raddr.ip = htonl(0xc0000280);
	ok &= !silk_binding_match(&b, &f);
	b.rplen = 0;
	b.has_dscp = true;
	b.dscp = 46;
	ok &= silk_binding_match(&b, &f);
	b.dscp = 0;
	ok &= !silk_binding_match(&b, &f);
	b.has_dscp = false;
	b.has_laddr = true;
	b.laddr.ip = dst;
	ok &= silk_binding_match(&b, &f);
	b.laddr.ip = src;
	ok &= !silk_binding_match(&b, &f);
	b.has_laddr = false;
	b.family = AF_INET6;
	ok &= !silk_binding_match(&b, &f);
	if (!ok)
		pr_err("port self-test: a binding matched wrongly\n");
	return ok;
}
