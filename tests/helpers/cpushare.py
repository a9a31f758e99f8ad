#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""How two tasks on one CPU divide it, by the scheduler's own accounting:

  cpushare.py SECS WINDOW_MS PID_A PID_B [--clock] [--dump FILE]
  -> {"share": S, "min_window": MIN, "max_window": MAX, "windows": N,
      "busy": B}

S is A's part of the CPU time both got over SECS (field 1 of
/proc/PID/schedstat: time on the CPU), MIN and MAX the least and most of
it in any WINDOW_MS window, B the time both got against the wall clock.
A ratio of two readings of one clock: a VM whose scheduler clock runs fast
or slow (an unstable TSC under TCG) scales both alike. --clock reads each
process's CPU clock (clock_gettime() of its process CPU-time clock) instead,
which brings a running task's time up to date: schedstat's lags by up to a
tick, too much for windows of 10 ms. --dump writes a line a window:
seconds since the start, A's and B's CPU time in it (ns).
"""
import json
import sys
import time


def ran_schedstat(pid):
    with open("/proc/%d/schedstat" % pid) as f:
        return int(f.read().split()[0])


def ran_clock(pid):
    # The process CPU-time clock of pid: ((~pid) << 3) | CPUCLOCK_SCHED.
    return time.clock_gettime_ns(((~pid) << 3) | 2)


def main():
    args = sys.argv[1:]
    clock = "--clock" in args
    if clock:
        args.remove("--clock")
    dump = None
    if "--dump" in args:
        i = args.index("--dump")
        dump = open(args[i + 1], "w")
        del args[i:i + 2]
    ran = ran_clock if clock else ran_schedstat
    secs, win = float(args[0]), float(args[1]) / 1e3
    a, b = int(args[2]), int(args[3])
    t0 = time.monotonic()
    a0, b0 = ran(a), ran(b)
    wa, wb = a0, b0
    shares = []
    t = t0
    while t - t0 < secs:
        time.sleep(win)
        t = time.monotonic()
        ra, rb = ran(a), ran(b)
        if ra + rb > wa + wb:
            shares.append((ra - wa) / (ra + rb - wa - wb))
        if dump:
            dump.write("%.6f %d %d\n" % (t - t0, ra - wa, rb - wb))
        wa, wb = ra, rb
    da, db = wa - a0, wb - b0
    print(json.dumps({"share": round(da / max(da + db, 1), 4),
                      "min_window": round(min(shares), 4) if shares else None,
                      "max_window": round(max(shares), 4) if shares else None,
                      "windows": len(shares),
                      "busy": round((da + db) / 1e9 / (t - t0), 3)}))


if __name__ == "__main__":
    main()
