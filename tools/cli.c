// SPDX-License-Identifier: GPL-2.0
/* What the command-line tools share: how they report errors. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "libsilk.h"

int cli_error(const char *fmt, ...)
{
	va_list ap;

	fputs("Error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(".\n", stderr);
	return -1;
}

int cli_kernel_error(struct libsilk_sock *s, int err)
{
	const char *msg = libsilk_errmsg(s);

	if (err == -EPERM && (!msg || !*msg))
		return cli_error("Operation not permitted (changes need CAP_NET_ADMIN in the network namespace's user namespace)");
	return cli_error("%s", msg && *msg ? msg : strerror(-err));
}
