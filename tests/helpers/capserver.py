#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A server whose capacity is the bottleneck: one process, several
listening ports, at most RATE accepts per second in all, taken round-robin
from the listeners that have a connection ready. Each connection gets a
one-line HTTP response and is closed.

  capserver.py [--grace G] RATE SECS PORT...

Prints {"PORT": accepts, ...} SECS seconds after its first accept (clients
start late on a slow kernel), then serves G seconds (3) more so that the
clients' last connections are not refused.
"""
import json
import select
import socket
import sys
import time

RESP = b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n"


def main():
    args = sys.argv[1:]
    grace = 3.0
    if args[0] == "--grace":
        grace = float(args[1])
        args = args[2:]
    rate, secs = float(args[0]), float(args[1])
    ls = []
    for p in args[2:]:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("0.0.0.0", int(p)))
        s.listen(1024)
        s.setblocking(False)
        ls.append(s)
    counts = {s.getsockname()[1]: 0 for s in ls}
    print("ready", flush=True)
    mark = end = None
    # No client at all: give up rather than hang the test.
    give_up = time.monotonic() + secs + 60
    nxt = 0
    while time.monotonic() < (end or give_up):
        if mark and time.monotonic() >= mark:
            print(json.dumps(counts), flush=True)
            mark = 0
        ready, _, _ = select.select(ls, [], [], 0.1)
        if not ready:
            continue
        # Round-robin over the listeners, from the one after the last.
        order = ls[nxt:] + ls[:nxt]
        s = next(x for x in order if x in ready)
        nxt = (ls.index(s) + 1) % len(ls)
        try:
            c, _ = s.accept()
        except BlockingIOError:
            continue
        if end is None:
            mark = time.monotonic() + secs
            end = mark + grace
        counts[s.getsockname()[1]] += 1
        try:
            c.settimeout(1)
            c.recv(4096)
            c.sendall(RESP)
        except OSError:
            pass
        c.close()
        time.sleep(1 / rate)
    if end is None:
        print(json.dumps(counts), flush=True)


if __name__ == "__main__":
    main()
