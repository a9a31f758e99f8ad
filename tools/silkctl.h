/* SPDX-License-Identifier: GPL-2.0 */
/*
 * silkctl's objects share this, as iproute2's ip_common.h: the options,
 * the socket and each object's entry point (silkctl_OBJECT.c).
 */
#ifndef _SILKCTL_H
#define _SILKCTL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cli.h"
#include "libsilk.h"
#include "print.h"

struct silkctl_opt {
	bool json;
	bool pretty;
	int stats;		/* -s, counted; -s -s adds drops by reason */
	bool force;
	const char *batch;
};

extern struct silkctl_opt opt;
extern struct libsilk_sock *sock;

void usage(FILE *f);
/* The kernel's message for a failed request; -1. */
int kernel_error(int err);
/* Option @name's value @arg, "on" or "off", into *@v. */
int parse_on_off(const char *name, const char *arg, uint8_t *v);

/*
 * OBJECT's COMMAND from @cmds with the arguments after it; without one,
 * @dflt (show). An unknown one is an error.
 */
int do_subcmd(const char *obj, const struct cli_cmd *cmds,
	      int (*dflt)(int argc, char **argv), int argc, char **argv);

#define NEXT_ARG() do {							\
		if (argc < 2)						\
			return cli_error("argument \"%s\" needs a value", *argv); \
		argc--;							\
		argv++;							\
	} while (0)

int do_path(int argc, char **argv);
int do_conn(int argc, char **argv);
int do_takeover(int argc, char **argv);
int do_placement(int argc, char **argv);
int do_group(int argc, char **argv);
int do_meter(int argc, char **argv);
int do_stats(int argc, char **argv);

#endif /* _SILKCTL_H */
