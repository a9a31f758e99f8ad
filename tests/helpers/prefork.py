#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A legacy prefork TCP server: N worker processes block in accept() on one
dual-stack listener, serve one connection at a time, close it. Nothing in
it knows of silk.

  prefork.py PORT [--workers N] [--loops N] [--ready FILE]

Each connection sends one request line:
  "HOLD\\n"      the worker answers its pid, then waits for one more line
                and closes (so a test can look at it while it serves);
  "GET SIZE\\n"  the worker does --loops iterations of CPU work, answers
                "PID WAIT_NS\\n" and SIZE bytes, and closes; WAIT_NS is the
                time it spent runnable but not running meanwhile
                (/proc/self/schedstat), i.e. its wakeup-to-run delays.
The ready file gets the workers' pids, one per line.
"""
import argparse
import os
import signal
import socket
import sys


def run_delay():
    with open("/proc/self/schedstat") as f:
        return int(f.read().split()[1])


def work(loops):
    x = 0
    for i in range(loops):
        x += i * i
    return x


def serve(ls, loops):
    while True:
        try:
            c, _ = ls.accept()
        except InterruptedError:
            continue
        # The file object holds the socket open: close both.
        with c, c.makefile("rb") as f:
            try:
                w0 = run_delay()
                line = f.readline().split()
                if line[:1] == [b"HOLD"]:
                    c.sendall(b"%d\n" % os.getpid())
                    f.readline()
                elif line[:1] == [b"GET"]:
                    work(loops)
                    size = int(line[1])
                    c.sendall(b"%d %d\n" % (os.getpid(), run_delay() - w0) +
                              b"x" * size)
            except (OSError, ValueError, IndexError):
                pass


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("port", type=int)
    ap.add_argument("--workers", type=int, default=3)
    ap.add_argument("--loops", type=int, default=0)
    ap.add_argument("--ready")
    a = ap.parse_args()
    ls = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    ls.bind(("::", a.port))
    ls.listen(1024)
    pids = []
    for _ in range(a.workers):
        pid = os.fork()
        if pid == 0:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            serve(ls, a.loops)
            os._exit(0)
        pids.append(pid)

    def stop(*_):
        for p in pids:
            try:
                os.kill(p, signal.SIGTERM)
            except OSError:
                pass
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if a.ready:
        with open(a.ready + ".tmp", "w") as f:
            f.write("".join("%d\n" % p for p in pids))
        os.rename(a.ready + ".tmp", a.ready)
    while True:
        signal.pause()


if __name__ == "__main__":
    main()
