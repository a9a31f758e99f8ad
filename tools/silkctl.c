// SPDX-License-Identifier: GPL-2.0
/*
 * silkctl: configure silk, in the style of iproute2.
 *
 *   silkctl [OPTIONS] OBJECT COMMAND [ARGS]
 *   silkctl [OPTIONS] -b FILE
 *
 * This file has the options, the object table and batch files; each
 * object is in silkctl_OBJECT.c. Exit status is 0 only on success.
 * Errors the kernel reports are printed with its own message.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "silkctl.h"

struct silkctl_opt opt;
struct libsilk_sock *sock;

void usage(FILE *f)
{
	fprintf(f,
		"Usage: silkctl [OPTIONS] OBJECT COMMAND [ARGS]\n"
		"       silkctl [OPTIONS] -b FILE\n"
		"OBJECT := { path | conn | stats | takeover | placement | meter | group }\n"
		"OPTIONS := { -j[son] | -p[retty] | -s[tatistics] | -b[atch] FILE |\n"
		"             -f[orce] | -n[etns] NAME | -h[elp] | -V[ersion] }\n"
		"\n"
		"silkctl path add BINDING [ OPTS ]\n"
		"silkctl path change { id ID | BINDING } OPTS\n"
		"silkctl path del { id ID | BINDING }\n"
		"silkctl path show [ id ID | BINDING | PROTO | port PORT ]\n"
		"silkctl stats\n"
		"silkctl takeover { on | off } [ OPTS ]\n"
		"silkctl conn show [ id ID ]\n"
		"silkctl placement { hash | src | owner | rr }\n"
		"silkctl meter { on | off } [ interval MS ]\n"
		"silkctl meter interval MS\n"
		"silkctl group add NAME rate RATE GPORTS\n"
		"silkctl group add NAME ratio GPORTS\n"
		"silkctl group add NAME output rate BANDWIDTH GPORTS\n"
		"silkctl group change NAME { rate RATE | GPORTS }\n"
		"silkctl group del NAME\n"
		"silkctl group show [ NAME ]\n"
		"BINDING := PROTO port PORT [ family { inet | inet6 } ]\n"
		"           [ local ADDR ] [ remote PREFIX ] [ dscp 0-63 ] |\n"
		"           { tcp | udp | icmp | other } default\n"
		"PROTO := { tcp | udp }\n"
		"OPTS := [ CLASS ] [ limit PACKETS ] [ bytes SIZE ] [ cpu CPU ]\n"
		"        [ lazy { on | off } ] [ conns { on | off } ]\n"
		"        [ mirror { on | off } ] [ name NAME ]\n"
		"CLASS := { [ class fp ] prio 0-%d |\n"
		"           class edf deadline TIME runtime TIME [ period TIME ] |\n"
		"           class wfq [ weight %d-%d ] }\n"
		"TIME := microseconds, or a number with suffix us, ms or s\n"
		"RATE := connections per second (decimals allowed)\n"
		"BANDWIDTH := bytes per second, or N{bit|kbit|mbit|gbit|bps|kbps|mbps|gbps}\n"
		"GPORTS := port PORT [ weight 1-%d ] [ ftp ] [ port PORT ... ]\n"
		"-b runs FILE (- for stdin) line by line and stops at the first line that\n"
		"fails (-f: runs the rest too); the lines before it stay done: a batch is\n"
		"not a transaction. -s -s adds each path's drops by reason.\n",
		SILK_PRIO_MAX, SILK_WEIGHT_MIN, SILK_WEIGHT_MAX, SILK_WEIGHT_MAX);
}

int kernel_error(int err)
{
	return cli_kernel_error(sock, err);
}

int parse_on_off(const char *name, const char *arg, uint8_t *v)
{
	if (strcmp(arg, "on") && strcmp(arg, "off"))
		return cli_error("invalid %s \"%s\": expected on or off", name, arg);
	*v = !strcmp(arg, "on");
	return 0;
}

int do_subcmd(const char *obj, const struct cli_cmd *cmds,
	      int (*dflt)(int argc, char **argv), int argc, char **argv)
{
	const struct cli_cmd *c;

	if (argc < 1)
		return dflt(0, NULL);
	c = cli_find_cmd(cmds, *argv);
	if (c)
		return c->fn(argc - 1, argv + 1);
	return cli_error("unknown command \"%s\" for %s; try \"silkctl help\"",
			 *argv, obj);
}

/* In this order: "s" is "stats", "p" "path", "m" "meter". */
static const struct cli_cmd cmds[] = {
	{ "path", do_path },
	{ "stats", do_stats },
	{ "takeover", do_takeover },
	{ "conn", do_conn },
	{ "placement", do_placement },
	{ "meter", do_meter },
	{ "group", do_group },
	{ NULL },
};

static int do_cmd(int argc, char **argv)
{
	const struct cli_cmd *c;
	int ret;

	if (argc < 1) {
		usage(stderr);
		return -1;
	}
	if (matches(*argv, "help")) {
		usage(stdout);
		return 0;
	}
	c = cli_find_cmd(cmds, *argv);
	if (!c)
		return cli_error("object \"%s\" is unknown; try \"silkctl help\"",
				 *argv);
	ret = c->fn(argc - 1, argv + 1);
	/* As ip(8) says it. */
	if (sock && libsilk_dump_interrupted(sock))
		fprintf(stderr, "Dump was interrupted and may be inconsistent.\n");
	return ret;
}

struct batch {
	const char *name;
	int ret;
};

/*
 * A batch file is run line by line, each line a command as on the command
 * line; the first that fails stops it (with -f, the rest still run). What
 * ran before a failure stays done: a batch is not a transaction.
 */
static int batch_line(int argc, char **argv, unsigned int lineno, void *arg)
{
	struct batch *b = arg;

	if (argc > 0 && !do_cmd(argc, argv))
		return 0;
	if (argc < 0)
		cli_error("cannot parse the line");
	fprintf(stderr, "Command failed %s:%u\n", b->name, lineno);
	b->ret = -1;
	return opt.force ? 0 : -1;
}

static int do_batch(const char *name)
{
	struct batch b = { .name = name };
	FILE *f = cli_batch_open(name);

	if (!f) {
		fprintf(stderr, "Cannot open file \"%s\" for reading: %s\n",
			name, strerror(errno));
		return -1;
	}
	cli_batch_lines(f, 64, false, batch_line, &b);
	cli_batch_close(f);
	return b.ret;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "statistics", no_argument, NULL, 's' },
		{ "stats", no_argument, NULL, 's' },
		{ "batch", required_argument, NULL, 'b' },
		{ "force", no_argument, NULL, 'f' },
		{ "netns", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ "Version", no_argument, NULL, 'V' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c, ret;

	/* Options before the object only, as in ip(8). */
	while ((c = getopt_long_only(argc, argv, "+jpsb:fn:hV", longopts,
				     NULL)) != -1) {
		switch (c) {
		case 'j':
			opt.json = true;
			break;
		case 'p':
			opt.pretty = true;
			break;
		case 's':
			opt.stats++;
			break;
		case 'b':
			opt.batch = optarg;
			break;
		case 'f':
			opt.force = true;
			break;
		case 'n':
			if (cli_enter_netns(optarg))
				return 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			cli_version("silkctl");
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	argc -= optind;
	argv += optind;
	if (!opt.batch && argc < 1) {
		usage(stderr);
		return 1;
	}

	/* Help needs no module. */
	if (!opt.batch && matches(*argv, "help")) {
		usage(stdout);
		return 0;
	}
	sock = cli_open();
	if (!sock)
		return 1;
	print_init(opt.json, opt.pretty);
	ret = opt.batch ? do_batch(opt.batch) : do_cmd(argc, argv);
	libsilk_close(sock);
	return ret ? 1 : 0;
}
