#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""sopaths: many sockets, each asking for its own path (SILK_SO_PATH).

  sopaths.py [--same-port] [--hold] PORT COUNT
      COUNT UDP sockets, on ports PORT, PORT+1, ... of any address (or,
      with --same-port, all on PORT, at 127.0.0.1, 127.0.0.2, ...), each
      asks for WFQ weight 1. Prints {"ok": N, "errno": {E: N, ...}}; with
      --hold, keeps the sockets open until killed.
"""
import json
import socket
import struct
import sys
import time

SILK_SO_PATH = 0x5349
WFQ = 2


def main():
    args = sys.argv[1:]
    same = "--same-port" in args
    hold = "--hold" in args
    port, count = [int(a) for a in args if not a.startswith("--")]
    val = struct.pack("=BBBBIIIII", WFQ, 0, 0, 0, 1, 0, 0, 0, 0)
    socks, ok, errs = [], 0, {}
    for i in range(count):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        if same:
            s.bind(("127.0.0.%d" % (i + 1), port))
        else:
            s.bind(("0.0.0.0", port + i))
        try:
            s.setsockopt(socket.SOL_IP, SILK_SO_PATH, val)
            ok += 1
        except OSError as e:
            errs[e.errno] = errs.get(e.errno, 0) + 1
        socks.append(s)
    print(json.dumps({"ok": ok, "errno": errs}), flush=True)
    while hold:
        time.sleep(3600)


if __name__ == "__main__":
    main()
