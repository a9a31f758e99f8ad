#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""finwait: a server connection left in FIN_WAIT1 with unacknowledged data.

  finwait.py server ADDR PORT
      Accept one connection, read until it has said "go", send what the
      socket takes without blocking, close (FIN_WAIT1: the peer never
      acknowledges) and exit.
  finwait.py client ADDR PORT WORD
      Connect, send WORD, make this namespace drop every TCP segment from
      PORT (nft), say "go", then keep the socket open until killed.
"""
import socket
import subprocess
import sys
import time


def server(addr, port):
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((addr, port))
    ls.listen(8)
    c, _ = ls.accept()
    got = b""
    while b"go" not in got:
        data = c.recv(4096)
        if not data:
            sys.exit("finwait: the client went away")
        got += data
    c.setblocking(False)
    try:
        c.send(b"x" * 262144)
    except BlockingIOError:
        pass
    c.close()
    ls.close()


def client(addr, port, word):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(30)
    s.connect((addr, port))
    s.sendall(word.encode())
    for cmd in ("add table inet finwait",
                "add chain inet finwait in { type filter hook input priority 0 ; }",
                "add rule inet finwait in tcp sport %d drop" % port):
        subprocess.run(["nft"] + cmd.split(), check=True)
    s.sendall(b"go")
    time.sleep(3600)


def main():
    if sys.argv[1] == "server":
        server(sys.argv[2], int(sys.argv[3]))
    elif sys.argv[1] == "client":
        client(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
