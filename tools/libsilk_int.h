/* SPDX-License-Identifier: LGPL-2.1 */
/* libsilk's insides, shared by its source files only. */
#ifndef _LIBSILK_INT_H
#define _LIBSILK_INT_H

#include <netlink/netlink.h>
#include <stdint.h>

struct libsilk_sock {
	struct nl_sock *nl;
	int family;
	char errmsg[512];
	const char *err_attr;
	uint32_t err_off;		/* extack offset of the bad attribute */
	int dump_intr;			/* the last dump said NLM_F_DUMP_INTR */
};

struct nl_msg *libsilk_msg(struct libsilk_sock *s, uint8_t cmd, int flags);
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
