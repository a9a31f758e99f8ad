// SPDX-License-Identifier: GPL-2.0
/*
 * FTP replies: the replies an FTP server's control connections send to
 * PASV (227) and EPSV (229) name the port the server will accept the data
 * connection on. Output groups (output.c) read them.
 */
#include <linux/ctype.h>
#include <linux/string.h>

#include "ftp.h"

/* "227 Entering Passive Mode (h1,h2,h3,h4,p1,p2)": the port, or 0. */
static u16 silk_ftp_227(const char *s, unsigned int len)
{
	unsigned int v[6] = {}, i = 0, k;

	/* The numbers start at the first digit after the code. */
	for (k = 4; k < len && !isdigit(s[k]); k++)
		;
	for (; k < len && i < 6; k++) {
		if (isdigit(s[k])) {
			v[i] = v[i] * 10 + s[k] - '0';
			if (v[i] > 255)
				return 0;
		} else if (s[k] == ',' && i < 5) {
			i++;
		} else {
			break;
		}
	}
	if (i != 5)
		return 0;
	return v[4] << 8 | v[5];
}

/* "229 Entering Extended Passive Mode (|||port|)": the port, or 0. */
static u16 silk_ftp_229(const char *s, unsigned int len)
{
	unsigned int k, port = 0;
	char d;

	for (k = 4; k < len && s[k] != '('; k++)
		;
	/* RFC 2428: three delimiters, the port, a delimiter. */
	if (k + 4 >= len)
		return 0;
	d = s[k + 1];
	if (s[k + 2] != d || s[k + 3] != d)
		return 0;
	for (k += 4; k < len && isdigit(s[k]); k++) {
		port = port * 10 + s[k] - '0';
		if (port > 65535)
			return 0;
	}
	return k < len && s[k] == d ? port : 0;
}

/**
 * silk_ftp_data_port - the data port an FTP server's reply announces
 * @s: the start of a segment's payload an FTP control port sent
 * @len: its length
 *
 * Returns the port of a PASV (227) or EPSV (229) reply, or 0.
 */
u16 silk_ftp_data_port(const char *s, unsigned int len)
{
	if (len <= 4)
		return 0;
	if (!memcmp(s, "227 ", 4))
		return silk_ftp_227(s, len);
	if (!memcmp(s, "229 ", 4))
		return silk_ftp_229(s, len);
	return 0;
}

#ifdef SILK_DEBUG
#include "selftest.h"
#include "selftest/ftp.c"
#endif
