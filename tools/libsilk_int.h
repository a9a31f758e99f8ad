/* SPDX-License-Identifier: LGPL-2.1 */
/* libsilk's insides, shared by its source files only. */
#ifndef _LIBSILK_INT_H
#define _LIBSILK_INT_H

#include <netlink/netlink.h>
#include <stdint.h>
#include <linux/silk.h>

struct libsilk_sock {
	struct nl_sock *nl;
	int family;
	char errmsg[512];
	const char *err_attr;
	uint32_t err_off;		/* extack offset of the bad attribute */
	int dump_intr;			/* the last dump said NLM_F_DUMP_INTR */
};

#define LIBSILK_MAX2(a, b)	((int)(a) > (int)(b) ? (int)(a) : (int)(b))
/* The largest attribute number of any space: big enough for any reply. */
#define LIBSILK_ATTR_MAX	LIBSILK_MAX2(LIBSILK_MAX2(SILK_PATH_A_MAX, SILK_NS_A_MAX), \
				     LIBSILK_MAX2(LIBSILK_MAX2(SILK_CHAIN_A_MAX, \
							       SILK_METER_A_MAX), \
						  SILK_GROUP_A_MAX))

struct nl_msg *libsilk_msg(struct libsilk_sock *s, uint8_t cmd, int flags);
/*
 * Send @msg; each reply's attributes, parsed in the attribute space of
 * @msg's command (SILK_PATH_A_*, SILK_NS_A_*, ...), go to @parse in a
 * table of LIBSILK_ATTR_MAX + 1.
 */
int libsilk_transact(struct libsilk_sock *s, struct nl_msg *msg,
		     int (*parse)(struct nlattr **, void *), void *arg);
int libsilk_transact_raw(struct libsilk_sock *s, struct nl_msg *msg,
			 int (*raw)(struct nlmsghdr *, void *), void *arg);

/* names[v] for v up to @max, else @unknown; and back, or -1. */
const char *libsilk_name(const char *const *names, unsigned int max,
			 unsigned int v, const char *unknown);
int libsilk_parse_name(const char *const *names, unsigned int max,
		       const char *name);

#endif /* _LIBSILK_INT_H */
