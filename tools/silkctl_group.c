// SPDX-License-Identifier: GPL-2.0
/* silkctl group: socket groups (accept rate, accept ratio, output rate). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "silkctl.h"

/* An output rate, tc style: bytes/s, or with bit|kbit|mbit|gbit|bps|kbps|mbps|gbps. */
static int parse_bandwidth(const char *s, uint64_t *bytes)
{
	static const struct { const char *sfx; double mult; } units[] = {
		{ "", 1 }, { "bps", 1 }, { "kbps", 1e3 }, { "mbps", 1e6 },
		{ "gbps", 1e9 }, { "bit", 1 / 8.0 }, { "kbit", 1e3 / 8 },
		{ "mbit", 1e6 / 8 }, { "gbit", 1e9 / 8 },
	};
	char *end;
	double v;
	size_t i;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || !(v > 0))
		return -1;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcasecmp(end, units[i].sfx)) {
			v *= units[i].mult;
			if (v > 1e15)
				return -1;
			*bytes = v + 0.5;
			return 0;
		}
	return -1;
}

/* "rate RATE" and "port P [weight W]..." into @g, whose type is set. */
static int group_args(int argc, char **argv, struct libsilk_group *g)
{
	struct libsilk_group_port *p = NULL;
	unsigned long long v;
	uint16_t port;
	double rate;
	char *end;

	for (; argc > 0; argc -= 2, argv += 2) {
		if (!strcmp(*argv, "ftp")) {
			if (!p)
				return cli_error("\"ftp\" belongs after a port");
			p->ftp = 1;
			/* A flag: one word, not two. */
			argc++;
			argv--;
			continue;
		}
		if (argc < 2)
			return cli_error("\"%s\" needs a value", *argv);
		if (!strcmp(*argv, "rate") && g->type == SILK_GROUP_OUTPUT) {
			if (parse_bandwidth(argv[1], &g->rate) ||
			    g->rate < SILK_GROUP_OUTPUT_MIN)
				return cli_error("invalid rate \"%s\": expected bytes per second (at least %d), or a number with bit, kbit, mbit, gbit, bps, kbps, mbps or gbps",
						 argv[1], SILK_GROUP_OUTPUT_MIN);
			g->has_rate = 1;
		} else if (!strcmp(*argv, "rate")) {
			errno = 0;
			rate = strtod(argv[1], &end);
			if (errno || *end || end == argv[1] || !(rate > 0) ||
			    rate * 1000 > SILK_GROUP_RATE_MAX)
				return cli_error("invalid rate \"%s\": expected connections per second, above 0 and at most 1000000",
						 argv[1]);
			g->rate = rate * 1000 + 0.5;
			g->has_rate = 1;
		} else if (!strcmp(*argv, "port")) {
			if (cli_parse_port(argv[1], 0, &port))
				return cli_error("invalid port \"%s\": expected 1..65535",
						 argv[1]);
			if (g->nports == SILK_GROUP_PORTS_MAX)
				return cli_error("too many ports: at most %d",
						 SILK_GROUP_PORTS_MAX);
			p = &g->port[g->nports++];
			p->port = port;
		} else if (!strcmp(*argv, "weight")) {
			if (!p)
				return cli_error("\"weight\" belongs after a port");
			if (cli_parse_u64(argv[1], 0, SILK_WEIGHT_MAX, &v) ||
			    v < SILK_WEIGHT_MIN)
				return cli_error("invalid weight \"%s\": expected %d..%d",
						 argv[1], SILK_WEIGHT_MIN,
						 SILK_WEIGHT_MAX);
			p->weight = v;
		} else {
			return cli_error("unknown argument \"%s\"", *argv);
		}
	}
	return 0;
}

static int group_name(const char *arg, struct libsilk_group *g)
{
	if (!*arg || strlen(arg) >= sizeof(g->name))
		return cli_error("invalid group name \"%s\": 1..%zu characters",
				 arg, sizeof(g->name) - 1);
	strcpy(g->name, arg);
	return 0;
}

/*
 * As "group add" takes it: a rate group's type is its "rate". JSON has
 * the counters before the ports; text has them after, with -s.
 */
static int print_group(const struct libsilk_group *g, void *arg)
{
	bool output = g->type == SILK_GROUP_OUTPUT;
	unsigned int i;

	open_json_object(NULL);
	print_string(PRINT_ANY, "name", "group %s", g->name);
	print_string(print_type(true, g->type != SILK_GROUP_RATE), "type",
		     " %s", libsilk_group_type_name(g->type));
	if (g->has_rate && output)
		print_u64(PRINT_ANY, "rate", " rate %llu", g->rate);
	else if (g->has_rate)
		print_float(PRINT_ANY, "rate", " rate %g", g->rate / 1000.0);
	print_uint(print_type(output, false), "members", NULL, g->members);
	print_uint(PRINT_JSON, "held", NULL, g->held);
	print_u64(PRINT_JSON, "accepted", NULL, g->accepted);
	print_u64(PRINT_JSON, "hidden", NULL, g->hidden);
	print_uint(print_type(output, false), "data_ports", NULL,
		   g->data_ports);
	open_json_array("ports");
	for (i = 0; i < g->nports; i++) {
		const struct libsilk_group_port *p = &g->port[i];

		open_json_object(NULL);
		print_uint(PRINT_ANY, "port", " port %u", p->port);
		if (p->ftp)
			print_bool(PRINT_JSON, "ftp", NULL, true);
		if (p->weight)
			print_uint(PRINT_ANY, "weight", " weight %u", p->weight);
		if (p->ftp)
			print_fp(" ftp");
		print_uint(PRINT_JSON, "held", NULL, p->held);
		print_u64(PRINT_JSON, "accepted", NULL, p->accepted);
		close_json_object();
	}
	close_json_array();
	close_json_object();
	print_nl();
	if (!opt.stats)
		return 0;
	if (output)
		print_fp("    connections %u ftp data ports %u\n", g->members,
			 g->data_ports);
	else
		print_fp("    held %u accepted %llu hidden %llu\n", g->held,
			 (unsigned long long)g->accepted,
			 (unsigned long long)g->hidden);
	for (i = 0; i < g->nports; i++)
		print_fp("    port %u held %u accepted %llu\n", g->port[i].port,
			 g->port[i].held,
			 (unsigned long long)g->port[i].accepted);
	return 0;
}

static int group_show(int argc, char **argv)
{
	struct libsilk_group out;
	int err;

	if (argc > 1)
		return cli_error("expected \"group show [ NAME ]\"");
	open_json_array(NULL);
	if (argc == 1) {
		err = libsilk_group_get(sock, argv[0], &out);
		if (!err)
			print_group(&out, NULL);
	} else {
		err = libsilk_group_dump(sock, print_group, NULL);
	}
	close_json_array();
	return err ? kernel_error(err) : 0;
}

static int group_add(int argc, char **argv)
{
	struct libsilk_group g = {};
	int err, type;

	if (argc < 2)
		return cli_error("expected \"group add NAME { rate RATE | ratio | output rate BYTES } GPORTS\"");
	if (group_name(argv[0], &g))
		return -1;
	type = libsilk_group_type_parse(argv[1]);
	if (type < 0)
		return cli_error("invalid group type \"%s\": expected rate, ratio or output",
				 argv[1]);
	g.type = type;
	/* "rate RATE" names the type and gives the rate. */
	if (group_args(argc - (type == SILK_GROUP_RATE ? 1 : 2),
		       argv + (type == SILK_GROUP_RATE ? 1 : 2), &g))
		return -1;
	err = libsilk_group_new(sock, &g);
	return err ? kernel_error(err) : 0;
}

static int group_change(int argc, char **argv)
{
	struct libsilk_group g = {}, out;
	int err;

	if (argc < 1)
		return cli_error("expected \"group change NAME { rate RATE | GPORTS }\"");
	if (group_name(argv[0], &g))
		return -1;
	/* The rate's unit depends on the group's type. */
	err = libsilk_group_get(sock, g.name, &out);
	if (err)
		return kernel_error(err);
	g.type = out.type;
	if (group_args(argc - 1, argv + 1, &g))
		return -1;
	err = libsilk_group_change(sock, &g);
	return err ? kernel_error(err) : 0;
}

static int group_del(int argc, char **argv)
{
	int err;

	if (argc != 1)
		return cli_error("expected \"group del NAME\"");
	err = libsilk_group_del(sock, argv[0]);
	return err ? kernel_error(err) : 0;
}

/* In this order: "s" is "show", "d" "delete". */
static const struct cli_cmd group_cmds[] = {
	{ "show", group_show },
	{ "list", group_show },
	{ "add", group_add },
	{ "change", group_change },
	{ "set", group_change },
	{ "delete", group_del },
	{ NULL },
};

int do_group(int argc, char **argv)
{
	return do_subcmd("group", group_cmds, group_show, argc, argv);
}
