/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Self-tests of pure logic, compiled in with SILK_DEBUG (make SILK_DEBUG=1)
 * and run at load: a failure refuses the load. Each lives in selftest/,
 * included at the end of the file whose logic it tests, as WireGuard's do.
 */
#ifndef _SILK_SELFTEST_H
#define _SILK_SELFTEST_H

#include <linux/init.h>
#include <linux/printk.h>
#include <linux/types.h>

#ifdef SILK_DEBUG
bool __init silk_ftp_selftest(void);
bool __init silk_port_selftest(void);
bool __init silk_level_selftest(void);
bool __init silk_chain_selftest(void);
bool __init silk_worker_selftest(void);

static inline bool silk_selftests(void)
{
	bool ok = silk_ftp_selftest();

	ok &= silk_port_selftest();
	ok &= silk_level_selftest();
	ok &= silk_chain_selftest();
	ok &= silk_worker_selftest();
	if (ok)
		pr_info("self-tests passed\n");
	return ok;
}
#else
static inline bool silk_selftests(void)
{
	return true;
}
#endif

#endif /* _SILK_SELFTEST_H */
