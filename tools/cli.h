/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the command-line tools share: error messages, parsing of numbers,
 * ports and addresses, command tables and abbreviations, batch files,
 * network namespaces.
 */
#ifndef _SILK_CLI_H
#define _SILK_CLI_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct libsilk_sock;

/* "Error: <message>." on stderr; returns -1. */
int cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The kernel's message for a failed request on @s (or errno @err's). */
int cli_kernel_error(struct libsilk_sock *s, int err);

/*
 * A socket on the silk family, or NULL after "Error: cannot reach the
 * silk netlink family: ...".
 */
struct libsilk_sock *cli_open(void);
/* Enter network namespace @name (-n); -1 after saying why not. */
int cli_enter_netns(const char *name);
/* "PROG, silk genl version N" (-V). */
void cli_version(const char *prog);
/* CLOCK_MONOTONIC in seconds. */
double cli_now(void);

/* Is @arg a non-empty prefix of @full ("sh" for "show"), as in ip(8)? */
bool matches(const char *arg, const char *full);

/* A (sub)command table, ended by { NULL }; ip(8)'s objects and commands. */
struct cli_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
};

/* The first entry whose name @word abbreviates (table order), or NULL. */
const struct cli_cmd *cli_find_cmd(const struct cli_cmd *cmds,
				   const char *word);

/*
 * A number, at most @max, that starts with a digit: decimal for @base 10,
 * or also 0x hex and 0 octal for @base 0. -1 if it is not one.
 */
int cli_parse_u64(const char *s, int base, unsigned long long max,
		  unsigned long long *v);
/* A port, 1..65535, as cli_parse_u64() reads it; -1 if not one. */
int cli_parse_port(const char *s, int base, uint16_t *port);
/* An IPv4 or IPv6 address (IPv4 in the first 4 bytes of @a); or -1. */
int cli_parse_addr(const char *s, uint8_t *family, struct in6_addr *a);
/*
 * "ADDR[/LEN]": ADDR as cli_parse_addr() reads it; *@len points at LEN in
 * @s, or is NULL without a '/'. -1 if ADDR is not an address.
 */
int cli_parse_prefix(const char *s, uint8_t *family, struct in6_addr *a,
		     const char **len);

/*
 * Split @line into at most @max words in @argv: blanks separate, "..." and
 * '...' group, '#' starts a comment. With @escapes, \" does not end a
 * "..." word (the backslash stays). The word count, or -1: too many
 * words or an unbalanced quote.
 */
int cli_split_line(char *line, char **argv, int max, bool escapes);

/* A batch file by name, "-" for stdin; NULL with errno set. */
FILE *cli_batch_open(const char *name);
void cli_batch_close(FILE *f);
/*
 * Call @fn for each line of @f that has words, split as cli_split_line()
 * does (argc -1 for a line it could not split), with the line's number.
 * Stops at the first @fn that returns other than 0 and returns that.
 */
int cli_batch_lines(FILE *f, int max, bool escapes,
		    int (*fn)(int argc, char **argv, unsigned int lineno,
			      void *arg),
		    void *arg);

#endif /* _SILK_CLI_H */
