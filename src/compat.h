/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What differs between the kernels silk builds for (Debian's 6.1 and
 * 6.12), one shim each, named for what it gives, with what changed
 * between them. Everything else uses what both have. Kbuild finds which
 * side of each change a kernel is on in its headers (SILK_HAVE_*).
 */
#ifndef _SILK_COMPAT_H
#define _SILK_COMPAT_H

#include <net/genetlink.h>

/*
 * A dump's parsed attributes: 6.1's genl_dumpit_info holds them, 6.12's
 * holds a genl_info that does (the split genetlink ops of 6.2 on).
 */
static inline struct nlattr **silk_dump_attrs(struct netlink_callback *cb)
{
#ifdef SILK_HAVE_DUMPIT_GENL_INFO
	return genl_dumpit_info(cb)->info.attrs;
#else
	return genl_dumpit_info(cb)->attrs;
#endif
}

/*
 * RFS's table of the CPUs sockets were last read on, and its mask: 6.1
 * exports them, 6.12 has them in net_hotdata, declared in net/rps.h
 * (moved in 6.9).
 */
#ifdef CONFIG_RPS
#ifdef SILK_HAVE_NET_RPS_H
#include <net/rps.h>
#define silk_rps_sock_flow_table	net_hotdata.rps_sock_flow_table
#define silk_rps_cpu_mask		net_hotdata.rps_cpu_mask
#else
#define silk_rps_sock_flow_table	rps_sock_flow_table
#define silk_rps_cpu_mask		rps_cpu_mask
#endif
#endif

#endif /* _SILK_COMPAT_H */
