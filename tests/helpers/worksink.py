#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A UDP sink that does a fixed amount of CPU work per datagram (LRP's
benchmark application).

  worksink.py PORT {--work-us US | --loops N} --secs S [--rcvbuf B]
              [--ready FILE]
  worksink.py --calibrate US     print the loop count for US microseconds

The work is a calibrated loop count, not a wall-clock wait, so time the
sink loses to interrupt or protocol processing on its CPU shows up as a
lower delivered rate. Counts datagrams for S seconds after the first one
and prints {"received": N, "seconds": S, "pps": N/S}.
"""
import argparse
import json
import socket
import time


def calibrate():
    n = 200000
    t = time.process_time()
    i = 0
    while i < n:
        i += 1
    return n / max(time.process_time() - t, 1e-6) / 1e6   # loops per us


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("port", type=int, nargs="?")
    ap.add_argument("--work-us", type=float)
    ap.add_argument("--loops", type=int)
    ap.add_argument("--calibrate", type=float)
    ap.add_argument("--secs", type=float)
    ap.add_argument("--rcvbuf", type=int, default=262144)
    ap.add_argument("--ready")
    a = ap.parse_args()
    if a.calibrate:
        # Best of a few runs: the first ones include warm-up.
        print(int(max(calibrate() for _ in range(5)) * a.calibrate))
        return
    if a.port is None or a.secs is None or (a.loops is None and a.work_us is None):
        ap.error("need PORT, --secs and --work-us or --loops")
    loops = a.loops if a.loops is not None else int(calibrate() * a.work_us)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, a.rcvbuf)
    s.bind(("0.0.0.0", a.port))
    if a.ready:
        open(a.ready, "w").close()
    s.settimeout(30)
    s.recv(2048)
    got = 0
    end = time.monotonic() + a.secs
    s.settimeout(0.5)
    while time.monotonic() < end:
        try:
            s.recv(2048)
        except socket.timeout:
            continue
        got += 1
        i = 0
        while i < loops:
            i += 1
    print(json.dumps({"received": got, "seconds": a.secs,
                      "pps": round(got / a.secs, 1)}))


if __name__ == "__main__":
    main()
