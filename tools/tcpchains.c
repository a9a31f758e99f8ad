// SPDX-License-Identifier: GPL-2.0
/*
 * tcpchains: connection forwarding rules for servers run as one instance
 * per class, with the commands of Zhang, Abdelzaher and Stankovic:
 *
 *   tcpchains -A a -p 21 -o 1021
 *   tcpchains -a a -p 21 -i 128.143.0.0 -m 255.255.0.0 -r 2021
 *   tcpchains -A c -p 80 -o 8080
 *   tcpchains -a c -p 80 -s www.foo.com -r 8081
 *   tcpchains -A d -p 80 -o 8080
 *   tcpchains -a d -p 80 -r 8081 -c 3000
 *
 * and -L (list, in the form of these commands, with hit counters), -D
 * (delete), -F (flush), -R (replace a rule's default), -j (JSON), -P
 * (pretty JSON), -b FILE (a batch: one transaction), -n NETNS and -V.
 * Exit status 0 only on success; the kernel's own message on failure.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "libsilk.h"
#include "print.h"

static struct libsilk_sock *sock;
static bool json_out;
static bool pretty;

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: tcpchains [-n NETNS] [-j] COMMAND\n"
		"  -A TYPE -p PORT -o PORT [CONTENT]  add a rule: connections to -p go to -o\n"
		"  -R TYPE -p PORT -o PORT [CONTENT]  change a rule's default and options\n"
		"  -a TYPE -p PORT -r PORT COND       add a condition: if COND, go to -r\n"
		"  -D -p PORT [-x N]                  delete a rule, or its condition N\n"
		"  -F                                 delete every rule\n"
		"  -L [-p PORT]                       list rules and hit counters\n"
		"  -b FILE                            run the commands in FILE (- for stdin)\n"
		"                                     as one transaction\n"
		"TYPE := { a (address) | c (content) | d (probabilistic) }\n"
		"COND := { -i ADDR [-m MASK] | -i PREFIX/LEN   (a: source address)\n"
		"        | -s STRING                           (c: in the first data)\n"
		"        | -c WEIGHT }                         (d: out of 10000)\n"
		"CONTENT := [-B BYTES] [-T MS] [-g { kmp | bm }]\n"
		"Options: -j JSON, -P pretty JSON, -n NETNS run in a named network namespace,\n"
		"         -h help\n"
		"  -V                                 version (the only argument)\n"
		"-b applies the whole file or nothing: a line that does not parse, or a\n"
		"change the kernel refuses, leaves every rule as it was.\n");
}

static int kernel_error(int err)
{
	return cli_kernel_error(sock, err);
}

static int parse_num(const char *s, unsigned long max, unsigned long *v)
{
	unsigned long long n;

	if (cli_parse_u64(s, 10, max, &n))
		return -1;
	*v = n;
	return 0;
}

static int parse_port(const char *opt, const char *s, uint16_t *port)
{
	if (cli_parse_port(s, 10, port))
		return cli_error("invalid port \"%s\" for %s: expected 1..65535",
			     s ? s : "", opt);
	return 0;
}

/* A dotted mask (255.255.0.0) or a prefix length into a length. */
static int parse_mask(const char *s, uint8_t family, uint8_t *plen)
{
	unsigned long v;
	struct in_addr m;
	uint32_t h;

	if (!parse_num(s, family == AF_INET ? 32 : 128, &v)) {
		*plen = v;
		return 0;
	}
	if (family != AF_INET || inet_pton(AF_INET, s, &m) != 1)
		return cli_error("invalid mask \"%s\": expected a dotted mask or a prefix length", s);
	h = ntohl(m.s_addr);
	if (h & (~h >> 1))
		return cli_error("invalid mask \"%s\": its one bits are not contiguous", s);
	*plen = __builtin_popcount(h);
	return 0;
}

static int parse_addr(const char *s, const char *mask,
		      struct libsilk_chain_cond *c)
{
	const char *slash;

	if (cli_parse_prefix(s, &c->family, &c->addr, &slash))
		return cli_error("invalid address \"%s\"", s);
	if (slash && mask)
		return cli_error("give a prefix length or a mask (-m), not both");
	c->plen = c->family == AF_INET ? 32 : 128;
	if (slash || mask)
		return parse_mask(slash ? slash : mask, c->family, &c->plen);
	return 0;
}

/* STRING with C escapes (\r, \n, \t, \\, \xHH) into bytes. */
static int parse_string(const char *s, struct libsilk_chain_cond *c)
{
	size_t n = 0;

	while (*s) {
		unsigned char ch = *s++;

		if (ch == '\\' && *s) {
			ch = *s++;
			switch (ch) {
			case 'r':
				ch = '\r';
				break;
			case 'n':
				ch = '\n';
				break;
			case 't':
				ch = '\t';
				break;
			case 'x':
				if (!isxdigit((unsigned char)s[0]) ||
				    !isxdigit((unsigned char)s[1]))
					return cli_error("invalid \\x escape in string");
				sscanf(s, "%2hhx", &ch);
				s += 2;
				break;
			}
		}
		if (n == SILK_CHAIN_STRING_MAX)
			return cli_error("string longer than %d bytes",
				     SILK_CHAIN_STRING_MAX);
		c->str[n++] = ch;
	}
	if (!n)
		return cli_error("empty string");
	c->len = n;
	return 0;
}

enum { DO_NONE, DO_CHANGE, DO_LIST, DO_BATCH };

struct cmd {
	int what;			/* DO_* */
	struct libsilk_chain_op op;
	const char *batch;
	bool have_port;
};

/* One command line (argv[0] is ignored) into @cmd. */
static int parse_cmd(int argc, char **argv, struct cmd *cmd)
{
	const char *addr = NULL, *mask = NULL, *str = NULL, *weight = NULL;
	const char *index = NULL;
	struct libsilk_chain_op *op = &cmd->op;
	unsigned long v;
	int c, t;

	memset(cmd, 0, sizeof(*cmd));
	optind = 0;
	opterr = 0;
	while ((c = getopt(argc, argv, ":A:R:a:DFLp:o:r:i:m:s:c:x:B:T:g:b:")) != -1) {
		switch (c) {
		case 'A':
		case 'R':
		case 'a':
			if (cmd->what)
				return cli_error("one command at a time");
			t = libsilk_chain_type_parse(optarg);
			if (t < 0)
				return cli_error("invalid type \"%s\": expected a (address), c (content) or d (probabilistic)", optarg);
			cmd->what = DO_CHANGE;
			op->cmd = c == 'a' ? SILK_CMD_COND_NEW : SILK_CMD_CHAIN_NEW;
			op->replace = c == 'R';
			op->rule.type = t;
			break;
		case 'D':
		case 'F':
			if (cmd->what)
				return cli_error("one command at a time");
			cmd->what = DO_CHANGE;
			op->cmd = c == 'D' ? SILK_CMD_CHAIN_DEL :
					     SILK_CMD_CHAIN_FLUSH;
			break;
		case 'L':
			if (cmd->what)
				return cli_error("one command at a time");
			cmd->what = DO_LIST;
			break;
		case 'b':
			if (cmd->what)
				return cli_error("one command at a time");
			cmd->what = DO_BATCH;
			cmd->batch = optarg;
			break;
		case 'p':
			if (parse_port("-p", optarg, &op->rule.port))
				return -1;
			cmd->have_port = true;
			break;
		case 'o':
			if (parse_port("-o", optarg, &op->rule.out))
				return -1;
			break;
		case 'r':
			if (parse_port("-r", optarg, &op->cond.out))
				return -1;
			break;
		case 'i':
			addr = optarg;
			break;
		case 'm':
			mask = optarg;
			break;
		case 's':
			str = optarg;
			break;
		case 'c':
			weight = optarg;
			break;
		case 'x':
			index = optarg;
			break;
		case 'B':
			if (parse_num(optarg, SILK_CHAIN_MAX_BYTES_MAX, &v) ||
			    v < SILK_CHAIN_MAX_BYTES_MIN)
				return cli_error("invalid byte limit \"%s\": expected %d..%d",
					     optarg, SILK_CHAIN_MAX_BYTES_MIN,
					     SILK_CHAIN_MAX_BYTES_MAX);
			op->rule.max_bytes = v;
			op->rule.set |= LIBSILK_CH_MAX_BYTES;
			break;
		case 'T':
			if (parse_num(optarg, SILK_CHAIN_TIMEOUT_MS_MAX, &v) || !v)
				return cli_error("invalid timeout \"%s\": expected 1..%d ms",
					     optarg, SILK_CHAIN_TIMEOUT_MS_MAX);
			op->rule.timeout_ms = v;
			op->rule.set |= LIBSILK_CH_TIMEOUT;
			break;
		case 'g':
			t = libsilk_chain_algo_parse(optarg);
			if (t < 0)
				return cli_error("invalid algorithm \"%s\": expected kmp or bm", optarg);
			op->rule.algo = t;
			op->rule.set |= LIBSILK_CH_ALGO;
			break;
		case ':':
			return cli_error("option -%c needs a value", optopt);
		default:
			return cli_error("unknown option -%c (try -h)", optopt);
		}
	}
	if (optind < argc)
		return cli_error("unexpected argument \"%s\"", argv[optind]);
	if (!cmd->what)
		return cli_error("no command: -A, -R, -a, -D, -F, -L or -b (try -h)");
	if (cmd->what != DO_CHANGE)
		return 0;

	switch (op->cmd) {
	case SILK_CMD_CHAIN_NEW:
		if (!cmd->have_port || !op->rule.out)
			return cli_error("a rule needs an incoming port (-p) and a default outgoing port (-o)");
		if (addr || str || weight || op->cond.out || index)
			return cli_error("-A and -R take -p, -o and content options only; add conditions with -a");
		break;
	case SILK_CMD_COND_NEW:
		if (!cmd->have_port || !op->cond.out)
			return cli_error("a condition needs the rule's incoming port (-p) and an outgoing port (-r)");
		if (op->rule.set || op->rule.out || index)
			return cli_error("-a takes -p, -r and one condition");
		switch (op->rule.type) {
		case SILK_CHAIN_ADDR:
			if (!addr || str || weight)
				return cli_error("an address condition needs -i ADDR [-m MASK] and nothing else");
			return parse_addr(addr, mask, &op->cond);
		case SILK_CHAIN_CONTENT:
			if (!str || addr || mask || weight)
				return cli_error("a content condition needs -s STRING and nothing else");
			return parse_string(str, &op->cond);
		case SILK_CHAIN_PROB:
			if (!weight || addr || mask || str)
				return cli_error("a probabilistic condition needs -c WEIGHT and nothing else");
			if (parse_num(weight, SILK_CHAIN_WEIGHT_TOTAL, &v))
				return cli_error("invalid weight \"%s\": expected 0..%d",
					     weight, SILK_CHAIN_WEIGHT_TOTAL);
			op->cond.weight = v;
			return 0;
		}
		break;
	case SILK_CMD_CHAIN_DEL:
		if (!cmd->have_port)
			return cli_error("which rule? give its incoming port (-p)");
		if (index) {
			if (parse_num(index, 65535, &v) || !v)
				return cli_error("invalid condition number \"%s\"", index);
			op->cond.index = v;
		}
		/* fall through */
	case SILK_CMD_CHAIN_FLUSH:
		if (addr || mask || str || weight || op->rule.out ||
		    op->cond.out || op->rule.set)
			return cli_error("-D takes -p and -x only, -F nothing");
		break;
	}
	return 0;
}

/* A content condition's string as -s takes it, C escapes for the rest. */
static void escape(const struct libsilk_chain_cond *c, char *buf)
{
	unsigned int i;

	for (i = 0; i < c->len; i++) {
		unsigned char ch = c->str[i];

		if (ch == '\\' || ch == '"')
			buf += sprintf(buf, "\\%c", ch);
		else if (ch == '\r')
			buf += sprintf(buf, "\\r");
		else if (ch == '\n')
			buf += sprintf(buf, "\\n");
		else if (isprint(ch) && ch != ' ')
			*buf++ = ch;
		else
			buf += sprintf(buf, "\\x%02x", ch);
	}
	*buf = 0;
}

/* Text: the command that adds it, then its number and hits. */
static void print_cond(const struct libsilk_chain_rule *r,
		       const struct libsilk_chain_cond *c)
{
	char a[INET6_ADDRSTRLEN], buf[4 * SILK_CHAIN_STRING_MAX + 1];

	open_json_object(NULL);
	print_uint(PRINT_JSON, "index", NULL, c->index);
	print_uint(PRINT_JSON, "out", NULL, c->out);
	print_u64(PRINT_JSON, "hits", NULL, c->hits);
	print_fp("-a %s -p %u ", libsilk_chain_type_name(r->type), r->port);
	switch (r->type) {
	case SILK_CHAIN_ADDR:
		inet_ntop(c->family, &c->addr, a, sizeof(a));
		snprintf(buf, sizeof(buf), "%s/%u", a, c->plen);
		print_string(PRINT_ANY, "source", "-i %s ", buf);
		break;
	case SILK_CHAIN_PROB:
		print_uint(PRINT_ANY, "weight", "-c %u ", c->weight);
		break;
	case SILK_CHAIN_CONTENT:
		/* JSON: up to a NUL, escaped as JSON. */
		memcpy(buf, c->str, c->len);
		buf[c->len] = 0;
		print_string(PRINT_JSON, "string", NULL, buf);
		escape(c, buf);
		print_string(PRINT_FP, NULL, "-s \"%s\" ", buf);
		break;
	}
	print_fp("-r %u\t# %u: %llu hits\n", c->out, c->index,
		 (unsigned long long)c->hits);
	close_json_object();
}

/* Text: as -A takes it, so that -L's output is a batch for -b. */
static int print_rule(const struct libsilk_chain_rule *r, void *arg)
{
	bool content = r->type == SILK_CHAIN_CONTENT;
	unsigned int i;

	open_json_object(NULL);
	print_string(PRINT_ANY, "type", "-A %s",
		     libsilk_chain_type_name(r->type));
	print_uint(PRINT_ANY, "port", " -p %u", r->port);
	print_uint(PRINT_ANY, "out", " -o %u", r->out);
	print_u64(PRINT_JSON, "hits", NULL, r->hits);
	if (content) {
		print_uint(PRINT_ANY, "max_bytes", " -B %u", r->max_bytes);
		print_uint(PRINT_ANY, "timeout_ms", " -T %u", r->timeout_ms);
		print_string(PRINT_ANY, "algo", " -g %s",
			     libsilk_chain_algo_name(r->algo));
	}
	print_u64(PRINT_FP, NULL, "\t# default: %llu hits", r->hits);
	if (content) {
		print_u64(PRINT_ANY, "handed", ", %llu handed over", r->handed);
		print_u64(PRINT_ANY, "timeouts", ", %llu timed out",
			  r->timeouts);
		print_u64(PRINT_ANY, "resets", ", %llu reset", r->resets);
		print_uint(PRINT_ANY, "pending", ", %u waiting", r->pending);
	}
	print_nl();
	open_json_array("conditions");
	for (i = 0; i < r->ncond; i++)
		print_cond(r, &r->cond[i]);
	close_json_array();
	close_json_object();
	return 0;
}

static int do_list(const struct cmd *cmd)
{
	int err;

	open_json_array(NULL);
	if (cmd->have_port)
		err = libsilk_chain_get(sock, cmd->op.rule.port, print_rule, NULL);
	else
		err = libsilk_chain_dump(sock, print_rule, NULL);
	close_json_array();
	/* An empty line after it, as ever. */
	if (is_json_context())
		putchar('\n');
	return err ? kernel_error(err) : 0;
}

/*
 * Keeps the backslash escapes of a quoted string for parse_string(), but
 * a quoted \" is a quote.
 */
static void unquote(char **argv, int argc)
{
	int i;

	for (i = 1; i < argc; i++) {
		char *r = argv[i], *w = argv[i];

		while (*r) {
			if (r[0] == '\\' && r[1] == '"')
				r++;
			*w++ = *r++;
		}
		*w = 0;
	}
}

struct batch {
	const char *file;
	struct libsilk_chain_op *ops;
	unsigned int n, cap, *lines;
};

/*
 * A line's command into the batch; -1 stops it. Lines are split as the
 * shell would, roughly: "..." and '...' quote, # comments, and a line may
 * start with "tcpchains".
 */
static int batch_line(int nwords, char **words, unsigned int lineno,
		      void *arg)
{
	struct batch *b = arg;
	char *argv[64];
	struct cmd cmd;
	int argc = 1;

	if (nwords < 0)
		return cli_error("%s:%u: unbalanced quotes or too many words",
				 b->file, lineno);
	argv[0] = "tcpchains";
	if (!strcmp(words[0], "tcpchains")) {
		words++;
		nwords--;
	}
	if (!nwords)
		return 0;
	memcpy(&argv[1], words, nwords * sizeof(*words));
	argc += nwords;
	argv[argc] = NULL;
	unquote(argv, argc);
	if (parse_cmd(argc, argv, &cmd))
		return cli_error("%s:%u: command not applied; nothing was",
				 b->file, lineno);
	if (cmd.what != DO_CHANGE)
		return cli_error("%s:%u: a batch holds changes only (-A, -R, -a, -D, -F)",
				 b->file, lineno);
	if (b->n == SILK_CHAIN_OPS_MAX)
		return cli_error("%s: more than %d commands", b->file,
				 SILK_CHAIN_OPS_MAX);
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 64;
		b->ops = realloc(b->ops, b->cap * sizeof(*b->ops));
		b->lines = realloc(b->lines, b->cap * sizeof(*b->lines));
		if (!b->ops || !b->lines)
			return cli_error("out of memory");
	}
	b->ops[b->n] = cmd.op;
	b->lines[b->n++] = lineno;
	return 0;
}

/* -b: every line parsed first, then all of them in one transaction. */
static int do_batch(const char *file)
{
	struct batch b = { .file = file };
	FILE *f = cli_batch_open(file);
	unsigned int failed;
	int err;

	if (!f)
		return cli_error("cannot open %s: %s", file, strerror(errno));
	err = cli_batch_lines(f, 62, true, batch_line, &b);
	cli_batch_close(f);
	if (!err && b.n) {
		err = libsilk_chain_batch(sock, b.ops, b.n, &failed);
		if (err) {
			fprintf(stderr, "%s:%u: ", file, b.lines[failed]);
			kernel_error(err);
			fprintf(stderr, "Nothing was changed.\n");
		}
	}
	free(b.ops);
	free(b.lines);
	return err ? -1 : 0;
}

int main(int argc, char **argv)
{
	struct cmd cmd;
	int i, err;

	/* Global options first: -n NETNS, -j, -P, -h. */
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-n") && i + 1 < argc) {
			if (libsilk_enter_netns(argv[i + 1]))
				return 1;
			memmove(&argv[i], &argv[i + 2],
				(argc - i - 1) * sizeof(*argv));
			argc -= 2;
			i--;
		} else if (!strcmp(argv[i], "-j") || !strcmp(argv[i], "-P")) {
			json_out = true;
			pretty |= argv[i][1] == 'P';
			memmove(&argv[i], &argv[i + 1],
				(argc - i) * sizeof(*argv));
			argc--;
			i--;
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		}
	}
	/* Alone only: anywhere else it may be a value (-s -V). */
	if (argc == 2 && (!strcmp(argv[1], "-V") ||
			  !strcmp(argv[1], "--version"))) {
		cli_version("tcpchains");
		return 0;
	}
	if (argc < 2) {
		usage(stderr);
		return 1;
	}
	if (parse_cmd(argc, argv, &cmd))
		return 1;
	sock = libsilk_open();
	if (!sock) {
		fprintf(stderr, "Error: cannot reach the silk module (is it loaded?).\n");
		return 1;
	}
	print_init(json_out, pretty);
	switch (cmd.what) {
	case DO_LIST:
		err = do_list(&cmd);
		break;
	case DO_BATCH:
		err = do_batch(cmd.batch);
		break;
	default:
		err = libsilk_chain_do(sock, &cmd.op);
		if (err)
			kernel_error(err);
	}
	libsilk_close(sock);
	return err ? 1 : 0;
}
