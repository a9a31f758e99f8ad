#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Standard clients: N concurrent closed loops of one-request TCP
connections ("GET SIZE\\n", read to EOF), until the time is up.

  loadgen.py HOST PORT N SIZE SECS [--src ADDR]

Prints {"requests": R, "errors": E} at the end, or when terminated.
"""
import argparse
import asyncio
import json
import os
import signal
import time


async def one(a, stats, end):
    while time.monotonic() < end:
        try:
            r, w = await asyncio.open_connection(
                a.host, a.port, local_addr=(a.src, 0) if a.src else None)
            w.write(b"GET %d\n" % a.size)
            await w.drain()
            while await r.read(65536):
                pass
            w.close()
            stats["requests"] += 1
        except OSError:
            stats["errors"] += 1
            await asyncio.sleep(0.05)


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("host")
    ap.add_argument("port", type=int)
    ap.add_argument("n", type=int)
    ap.add_argument("size", type=int)
    ap.add_argument("secs", type=float)
    ap.add_argument("--src")
    a = ap.parse_args()
    stats = {"requests": 0, "errors": 0}
    end = time.monotonic() + a.secs

    def term():
        print(json.dumps(stats), flush=True)
        os._exit(0)
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, term)
    await asyncio.gather(*(one(a, stats, end) for _ in range(a.n)))
    print(json.dumps(stats))


asyncio.run(main())
