#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""UDP traffic with verifiable content, for silk's tests.

  udp.py send ADDR PORT --count N [--size S] [--rate PPS [--burst N [--spread US]]]
              [--stamp]
  udp.py sink ADDR PORT [--count N] [--idle SEC] [--until FILE] [--rcvbuf B]
              [--no-read SEC] [--ready FILE] [--echo] [--stamp]
  udp.py ping ADDR PORT --count N [--rate PPS]

Each datagram carries a sequence number and bytes derived from it, so the
sink can tell a datagram that arrived intact from one that did not. The sink
prints a JSON report: datagrams received, intact, duplicated, and the sha256
of the intact ones in sequence order (equal to the sender's when all came).
'ping' sends to an echoing sink and reports round-trip times. The sink
stops after --count datagrams, or when none came for --idle seconds (with
--until, only once FILE exists: the test says when no more can come).

With --stamp, bytes 4 to 12 of each datagram carry the sender's
CLOCK_MONOTONIC (ns) at its sendto() instead, and the sink also reports how
long the intact ones took from that to its own recvfrom() (late_*_us; the
clock is the same in every network namespace of a machine). --burst N
sends N datagrams at each of the rate's ticks, back to back or, with
--spread US, each after a random gap of up to US microseconds.
"""
import argparse
import hashlib
import json
import os
import random
import socket
import struct
import sys
import time


def payload(seq, size):
    head = struct.pack("!I", seq)
    body = hashlib.sha256(head).digest()
    n = max(size - 4, 0)
    return head + (body * (n // 32 + 1))[:n]


def family(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def stamp(data):
    return data[:4] + struct.pack("!Q", time.monotonic_ns()) + data[12:]


def digest(seqs, size):
    h = hashlib.sha256()
    for s in sorted(seqs):
        h.update(payload(s, size))
    return h.hexdigest()


def send(a):
    s = socket.socket(family(a.addr), socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 22)
    start = time.monotonic()
    sent = 0
    for seq in range(a.count):
        if a.rate:
            due = start + (seq // a.burst) / a.rate
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            if a.spread and seq % a.burst:
                # Busy: sleeping is too coarse for microseconds.
                until = time.monotonic() + random.uniform(0, a.spread) / 1e6
                while time.monotonic() < until:
                    pass
        data = payload(seq, a.size)
        while True:
            try:
                s.sendto(stamp(data) if a.stamp else data, (a.addr, a.port))
                sent += 1
                break
            except (BlockingIOError, ConnectionRefusedError):
                continue
            except OSError as e:  # ENOBUFS under floods: retry
                if e.errno == 105:
                    time.sleep(0.001)
                    continue
                raise
    elapsed = time.monotonic() - start
    print(json.dumps({"sent": sent, "seconds": round(elapsed, 3),
                      "sha256": digest(range(a.count), a.size)}))


def socket_drops(s):
    """What the kernel dropped at this socket (a full receive buffer)."""
    ino = str(os.fstat(s.fileno()).st_ino)
    for table in ("/proc/net/udp", "/proc/net/udp6"):
        try:
            with open(table) as f:
                for line in f:
                    col = line.split()
                    if len(col) > 12 and col[9] == ino:
                        return int(col[12])
        except OSError:
            pass
    return None


def sink(a):
    s = socket.socket(family(a.addr), socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if a.rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, a.rcvbuf)
    s.bind((a.addr, a.port))
    if a.ready:
        open(a.ready, "w").close()
    if a.no_read:
        time.sleep(a.no_read)
    seen, dups, bad, got, late = set(), 0, 0, 0, []
    size = None
    s.settimeout(a.first)
    while a.count == 0 or len(seen) < a.count:
        try:
            data, peer = s.recvfrom(65536)
        except socket.timeout:
            if a.until and not os.path.exists(a.until):
                continue
            break
        now = time.monotonic_ns()
        s.settimeout(a.idle)
        got += 1
        if a.echo:
            s.sendto(data, peer)
        if len(data) < 4:
            bad += 1
            continue
        seq = struct.unpack("!I", data[:4])[0]
        want = payload(seq, len(data))
        if a.stamp and len(data) >= 12:
            want = want[:4] + data[4:12] + want[12:]
        if data != want:
            bad += 1
            continue
        if a.stamp:
            late.append(now - struct.unpack("!Q", data[4:12])[0])
        size = len(data)
        if seq in seen:
            dups += 1
        seen.add(seq)
    report = {"received": got, "intact": len(seen), "dups": dups, "bad": bad,
              "sha256": digest(seen, size) if size else None,
              "socket_drops": socket_drops(s)}
    if a.stamp:
        late.sort()
        for name, p in (("p50", 0.5), ("p99", 0.99), ("max", 1)):
            report["late_%s_us" % name] = (
                late[min(len(late) - 1, int(len(late) * p))] // 1000
                if late else None)
    print(json.dumps(report))


def ping(a):
    s = socket.socket(family(a.addr), socket.SOCK_DGRAM)
    s.settimeout(1.0)
    # With --port2, pings alternate between the two ports: each pair of
    # neighbours compares the ports under the same conditions.
    ports = [a.port, a.port2] if a.port2 else [a.port]
    rtts, lost = [[] for _ in ports], 0
    pairs = []
    start = time.monotonic()
    for seq in range(a.count):
        if a.rate:
            due = start + seq / a.rate
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
        i = seq % len(ports)
        t0 = time.monotonic()
        s.sendto(payload(seq, a.size), (a.addr, ports[i]))
        rtt = None
        while True:
            try:
                data, _ = s.recvfrom(65536)
            except socket.timeout:
                lost += 1
                break
            if struct.unpack("!I", data[:4])[0] == seq:
                rtt = (time.monotonic() - t0) * 1e6
                rtts[i].append(rtt)
                break
        if i == 0:
            first = rtt
        elif rtt and first:
            pairs.append(first / rtt)

    def pct(v, p):
        v = sorted(v)
        return round(v[min(len(v) - 1, int(len(v) * p))], 1) if v else None
    r = rtts[0]
    report = {"count": a.count, "lost": lost, "p50_us": pct(r, 0.5),
              "p99_us": pct(r, 0.99),
              "mean_us": round(sum(r) / len(r), 1) if r else None}
    if a.port2:
        report.update({"p50_us_2": pct(rtts[1], 0.5),
                       "p99_us_2": pct(rtts[1], 0.99),
                       "pair_ratio_p50": round(pct(pairs, 0.5), 4) if pairs else None})
    print(json.dumps(report))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["send", "sink", "ping"])
    p.add_argument("addr")
    p.add_argument("port", type=int)
    p.add_argument("--port2", type=int, default=0)
    p.add_argument("--count", type=int, default=0)
    p.add_argument("--size", type=int, default=64)
    p.add_argument("--rate", type=float, default=0)
    p.add_argument("--burst", type=int, default=1)
    p.add_argument("--spread", type=float, default=0)
    p.add_argument("--idle", type=float, default=2.0)
    p.add_argument("--first", type=float, default=30.0)
    p.add_argument("--rcvbuf", type=int, default=0)
    p.add_argument("--no-read", type=float, default=0)
    p.add_argument("--ready")
    p.add_argument("--until")
    p.add_argument("--echo", action="store_true")
    p.add_argument("--stamp", action="store_true")
    a = p.parse_args()
    if a.stamp and a.mode == "send" and a.size < 12:
        p.error("--stamp needs --size 12 or more")
    {"send": send, "sink": sink, "ping": ping}[a.mode](a)


if __name__ == "__main__":
    sys.exit(main())
