#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A server that lets connections wait before it accepts them.

slowaccept.py PORT N SLEEP [GO]: listen on PORT (IPv4 and IPv6), print
"ready", wait for the file GO to exist (when given), sleep SLEEP seconds,
accept N connections, read silk's sensors of the port
with getsockopt(SILK_SO_METER) on the listening socket and print them as
JSON, with the error numbers of bad getsockopt calls.
"""
import errno
import json
import os
import socket
import struct
import sys
import time

SOL_IP = 0
SILK_SO_METER = 0x5349 + 2
METER = struct.Struct("=IIQQQQQQQQ")  # struct silk_so_meter


def meter(sock, size=METER.size):
    try:
        raw = sock.getsockopt(SOL_IP, SILK_SO_METER, size)
    except OSError as e:
        return errno.errorcode[e.errno]
    names = ("waiting", "live", "accepted", "delay_sum_ns", "bytes_in",
             "bytes_out", "rate_accept_milli", "rate_in", "rate_out",
             "rate_delay_ns")
    return dict(zip(names, METER.unpack(raw)))


def main():
    port, n, pause = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
    go = sys.argv[4] if len(sys.argv) > 4 else None
    ls = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    ls.bind(("::", port))
    ls.listen(64)
    print("ready", flush=True)
    # The pause starts when the clients say they are connected, however
    # long they took to start.
    while go and not os.path.exists(go):
        time.sleep(0.05)
    time.sleep(pause)
    before = meter(ls)
    t_accept = time.monotonic()
    conns = [ls.accept()[0] for _ in range(n)]
    after = meter(ls)
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    out = {
        "t_accept": t_accept,
        "before": before,
        "after": after,
        "short": meter(ls, METER.size - 1),
        "udp": meter(udp),
    }
    print(json.dumps(out), flush=True)
    for c in conns:
        c.close()


if __name__ == "__main__":
    main()
