/* SPDX-License-Identifier: GPL-2.0 */
/* What the command-line tools share: how they report errors. */
#ifndef _SILK_CLI_H
#define _SILK_CLI_H

struct libsilk_sock;

/* "Error: <message>." on stderr; returns -1. */
int cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The kernel's message for a failed request on @s (or errno @err's). */
int cli_kernel_error(struct libsilk_sock *s, int err);

#endif /* _SILK_CLI_H */
