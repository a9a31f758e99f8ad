// SPDX-License-Identifier: GPL-2.0
/* What the command-line tools share (see cli.h). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

struct libsilk_sock *cli_open(void)
{
	struct libsilk_sock *s = libsilk_open();

	if (!s)
		cli_error("cannot reach the silk netlink family: %s (is the silk module loaded?)",
			  strerror(errno));
	return s;
}

int cli_enter_netns(const char *name)
{
	if (!libsilk_enter_netns(name))
		return 0;
	fprintf(stderr, "Cannot enter network namespace \"%s\": %s\n", name,
		strerror(errno));
	return -1;
}

void cli_version(const char *prog)
{
	printf("%s, silk genl version %d\n", prog, SILK_GENL_VERSION);
}

double cli_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

bool matches(const char *arg, const char *full)
{
	size_t n = strlen(arg);

	return n && n <= strlen(full) && !strncmp(arg, full, n);
}

const struct cli_cmd *cli_find_cmd(const struct cli_cmd *cmds,
				   const char *word)
{
	for (; cmds->name; cmds++)
		if (matches(word, cmds->name))
			return cmds;
	return NULL;
}

int cli_parse_u64(const char *s, int base, unsigned long long max,
		  unsigned long long *v)
{
	char *end;

	if (!s || !*s || !isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	*v = strtoull(s, &end, base);
	if (errno || *end || *v > max)
		return -1;
	return 0;
}

int cli_parse_port(const char *s, int base, uint16_t *port)
{
	unsigned long long v;

	if (cli_parse_u64(s, base, 65535, &v) || !v)
		return -1;
	*port = v;
	return 0;
}

int cli_parse_addr(const char *s, uint8_t *family, struct in6_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, a) == 1) {
		*family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, a) == 1) {
		*family = AF_INET6;
		return 0;
	}
	return -1;
}

int cli_parse_prefix(const char *s, uint8_t *family, struct in6_addr *a,
		     const char **len)
{
	char buf[INET6_ADDRSTRLEN + 8];
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);

	*len = slash ? slash + 1 : NULL;
	if (n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = 0;
	return cli_parse_addr(buf, family, a);
}

int cli_split_line(char *line, char **argv, int max, bool escapes)
{
	int argc = 0;
	char *p = line, *w;

	for (;;) {
		while (isspace((unsigned char)*p))
			p++;
		if (!*p || *p == '#')
			break;
		if (argc == max)
			return -1;
		if (*p == '"' || *p == '\'') {
			char q = *p++;

			w = p;
			while (*p && *p != q) {
				if (escapes && *p == '\\' && q == '"' && p[1])
					p++;
				p++;
			}
			if (!*p)
				return -1;
			*p++ = 0;
		} else {
			w = p;
			while (*p && !isspace((unsigned char)*p))
				p++;
			if (*p)
				*p++ = 0;
		}
		argv[argc++] = w;
	}
	return argc;
}

FILE *cli_batch_open(const char *name)
{
	return strcmp(name, "-") ? fopen(name, "r") : stdin;
}

void cli_batch_close(FILE *f)
{
	if (f != stdin)
		fclose(f);
}

int cli_batch_lines(FILE *f, int max, bool escapes,
		    int (*fn)(int argc, char **argv, unsigned int lineno,
			      void *arg),
		    void *arg)
{
	char *line = NULL, *argv[max];
	unsigned int lineno = 0;
	size_t cap = 0;
	int argc, ret = 0;

	while (!ret && getline(&line, &cap, f) > 0) {
		lineno++;
		argc = cli_split_line(line, argv, max, escapes);
		if (argc)
			ret = fn(argc, argv, lineno, arg);
	}
	free(line);
	return ret;
}
