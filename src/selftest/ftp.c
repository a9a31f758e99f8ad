// SPDX-License-Identifier: GPL-2.0
/*
 * Self-test of the FTP reply parser, compiled in with SILK_DEBUG and run
 * at load; included at the end of ftp.c.
 */

bool __init silk_ftp_selftest(void)
{
	static const struct {
		const char *reply;
		u16 port;
	} cases[] = {
		{ "227 Entering Passive Mode (10,0,0,2,117,48).\r\n", 30000 },
		{ "227 Entering Passive Mode (10,0,0,2,0,21)", 21 },
		{ "227 =10,0,0,2,255,255", 65535 },
		{ "229 Entering Extended Passive Mode (|||30001|)\r\n", 30001 },
		{ "229 (!!!21!)", 21 },
		{ "229 (|||70000|)", 0 },		/* beyond a port */
		{ "229 (||30001|)", 0 },		/* two delimiters */
		{ "229 (|||30001)", 0 },		/* no closing one */
		{ "227 Entering Passive Mode (10,0,0,2,256,1)", 0 },
		{ "227 Entering Passive Mode (10,0,0,2,117)", 0 },
		{ "230 Login successful.", 0 },
		{ "227 ", 0 },
		{ "227", 0 },
		{ "", 0 },
	};
	bool ok = true;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		u16 port = silk_ftp_data_port(cases[i].reply,
					      strlen(cases[i].reply));

		if (port != cases[i].port) {
			pr_err("ftp self-test %u: \"%s\" gave %u, not %u\n", i,
			       cases[i].reply, port, cases[i].port);
			ok = false;
		}
	}
	return ok;
}
