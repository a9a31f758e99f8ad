// SPDX-License-Identifier: GPL-2.0
/* silkctl meter: netmeter's sensors on each listening TCP port. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "silkctl.h"

/* "meter { on | off } [ interval MS ]". */
int do_meter(int argc, char **argv)
{
	unsigned long interval = 0;
	int on = -1, err;
	char *end;

	if (argc > 0 && (!strcmp(*argv, "on") || !strcmp(*argv, "off"))) {
		on = !strcmp(*argv, "on");
		argc--;
		argv++;
	}
	if (argc == 2 && !strcmp(argv[0], "interval")) {
		errno = 0;
		interval = strtoul(argv[1], &end, 10);
		if (errno || *end || end == argv[1] ||
		    interval < SILK_METER_INTERVAL_MIN_MS ||
		    interval > SILK_METER_INTERVAL_MAX_MS)
			return cli_error("invalid interval \"%s\": expected %d..%d milliseconds",
					 argv[1], SILK_METER_INTERVAL_MIN_MS,
					 SILK_METER_INTERVAL_MAX_MS);
		argc -= 2;
	}
	if (argc || (on < 0 && !interval))
		return cli_error("expected \"meter { on | off } [ interval MS ]\"");
	err = libsilk_meter_set(sock, on, interval);
	return err ? kernel_error(err) : 0;
}
