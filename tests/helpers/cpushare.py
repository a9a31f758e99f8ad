#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""How two tasks on one CPU divide it, by the scheduler's own accounting:

  cpushare.py SECS WINDOW_MS PID_A PID_B
  -> {"share": S, "min_window": MIN, "max_window": MAX, "windows": N,
      "busy": B}

S is A's part of the CPU time both got over SECS (field 1 of
/proc/PID/schedstat: time on the CPU), MIN and MAX the least and most of
it in any WINDOW_MS window, B the time both got against the wall clock.
A ratio of two readings of one clock: a VM whose scheduler clock runs fast
or slow (an unstable TSC under TCG) scales both alike.
"""
import json
import sys
import time


def ran(pid):
    with open("/proc/%d/schedstat" % pid) as f:
        return int(f.read().split()[0])


def main():
    secs, win = float(sys.argv[1]), float(sys.argv[2]) / 1e3
    a, b = int(sys.argv[3]), int(sys.argv[4])
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
        wa, wb = ra, rb
    da, db = wa - a0, wb - b0
    print(json.dumps({"share": round(da / max(da + db, 1), 4),
                      "min_window": round(min(shares), 4) if shares else None,
                      "max_window": round(max(shares), 4) if shares else None,
                      "windows": len(shares),
                      "busy": round((da + db) / 1e9 / (t - t0), 3)}))


if __name__ == "__main__":
    main()
