#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Hold many TCP connections open.

  holdconns.py serve ADDR PORT --count-file FILE
      accept forever and keep every connection; FILE holds the number
      accepted so far
  holdconns.py open ADDR PORT N --count-file FILE
      open N connections, one after another, and keep them until killed;
      FILE holds the number open so far
"""
import argparse
import os
import socket
import time


def note(path, n):
    with open(path + ".new", "w") as f:
        f.write("%d\n" % n)
    os.replace(path + ".new", path)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=("serve", "open"))
    ap.add_argument("addr")
    ap.add_argument("port", type=int)
    ap.add_argument("n", type=int, nargs="?", default=0)
    ap.add_argument("--count-file", required=True)
    a = ap.parse_args()
    socks = []
    note(a.count_file, 0)
    if a.mode == "serve":
        ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        ls.bind((a.addr, a.port))
        ls.listen(4096)
        while True:
            socks.append(ls.accept()[0])
            note(a.count_file, len(socks))
    for _ in range(a.n):
        socks.append(socket.create_connection((a.addr, a.port)))
        if len(socks) % 100 == 0:
            note(a.count_file, len(socks))
    note(a.count_file, len(socks))
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
