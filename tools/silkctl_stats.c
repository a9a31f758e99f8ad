// SPDX-License-Identifier: GPL-2.0
/* silkctl stats: the namespace's counters and settings. */
#include "silkctl.h"

int do_stats(int argc, char **argv)
{
	struct libsilk_ns_stats st;
	int err;

	if (argc > 0)
		return cli_error("unknown argument \"%s\"", *argv);
	err = libsilk_stats_get(sock, &st);
	if (err)
		return kernel_error(err);
	open_json_object(NULL);
	print_uint(PRINT_ANY, "paths", "paths %u", st.paths);
	print_u64(PRINT_ANY, "queued_bytes", " queued %llu bytes",
		  st.queued_bytes);
	print_u64(PRINT_JSON, "cap_drops", NULL, st.cap_drops);
	print_u64(PRINT_ANY, "cap_bytes", " of %llu", st.cap_bytes);
	print_u64(PRINT_FP, NULL, " cap_drops %llu", st.cap_drops);
	print_u64(PRINT_ANY, "bypass", " bypass %llu", st.bypass);
	print_u64(PRINT_ANY, "share_yields", " share_yields %llu",
		  st.share_yields);
	print_u64(PRINT_ANY, "level_changes", " level_changes %llu\n",
		  st.level_changes);
	print_string(PRINT_ANY, "placement", "placement %s",
		     libsilk_placement_name(st.placement));
	print_uint(PRINT_ANY, "conns", " conns %u", st.conns);
	print_u64(PRINT_ANY, "conns_opened", " opened %llu", st.conns_opened);
	print_u64(PRINT_ANY, "conns_closed", " closed %llu", st.conns_closed);
	print_u64(PRINT_ANY, "conn_overflows", " overflows %llu\n",
		  st.conn_overflows);
	print_u64(PRINT_ANY, "global_queued_bytes",
		  "all namespaces: queued %llu bytes", st.global_queued_bytes);
	print_u64(PRINT_ANY, "global_cap_bytes", " of %llu",
		  st.global_cap_bytes);
	print_u64(PRINT_ANY, "global_queued_peak", ", peak %llu\n",
		  st.global_queued_peak);
	print_uint(PRINT_ANY, "mirror_tasks", "mirrored tasks %u",
		   st.mirror_tasks);
	print_u64(PRINT_ANY, "mirror_applied", " applied %llu",
		  st.mirror_applied);
	print_u64(PRINT_ANY, "mirror_restored", " restored %llu",
		  st.mirror_restored);
	print_u64(PRINT_ANY, "mirror_dl_fallbacks", " deadline fallbacks %llu",
		  st.mirror_dl_fallbacks);
	print_u64(PRINT_ANY, "mirror_missed", " missed %llu",
		  st.mirror_missed);
	print_u64(PRINT_ANY, "mirror_refused", " refused %llu\n",
		  st.mirror_refused);
	print_on_off(PRINT_ANY, "meter", "meter %s", st.meter_on);
	print_uint(PRINT_ANY, "meter_interval_ms", " interval %u ms",
		   st.meter_interval_ms);
	print_u64(PRINT_ANY, "meter_missed", " missed %llu\n",
		  st.meter_missed);
	print_u64(PRINT_ANY, "group_missed", "groups missed %llu\n",
		  st.group_missed);
	close_json_object();
	return 0;
}
