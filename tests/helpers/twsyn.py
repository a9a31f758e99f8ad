#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""twsyn: leave a server's connection in TIME_WAIT and knock at it.

  twsyn.py close SADDR SPORT DADDR DPORT
      Connect from SADDR:SPORT, send an HTTP/1.0 request, read until the
      server closes (it closes first, so its side ends in TIME_WAIT), then
      close. Prints the sequence number the server's TIME_WAIT expects
      next (rcv_nxt: past our FIN), read with TCP_REPAIR.
  twsyn.py syn SADDR SPORT DADDR DPORT SEQ [FLAGS]
      Send one bare segment (raw socket) with sequence number SEQ and
      FLAGS (default S; letters of FSRPA).
"""
import socket
import struct
import sys

TCP_REPAIR = 19
TCP_REPAIR_QUEUE = 20
TCP_QUEUE_SEQ = 21
TCP_SEND_QUEUE = 2


def close(saddr, sport, daddr, dport):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((saddr, sport))
    s.settimeout(20)
    s.connect((daddr, dport))
    s.sendall(b"GET / HTTP/1.0\r\n\r\n")
    while s.recv(65536):
        pass
    # Our next sequence number; the FIN we send on close takes one more.
    s.setsockopt(socket.IPPROTO_TCP, TCP_REPAIR, 1)
    s.setsockopt(socket.IPPROTO_TCP, TCP_REPAIR_QUEUE, TCP_SEND_QUEUE)
    seq = s.getsockopt(socket.IPPROTO_TCP, TCP_QUEUE_SEQ)
    s.setsockopt(socket.IPPROTO_TCP, TCP_REPAIR, 0)
    s.close()
    print((seq + 1) & 0xFFFFFFFF)


def csum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def syn(saddr, sport, daddr, dport, seq, flags="S"):
    bits = sum(1 << "FSRPA".index(f) for f in flags)
    hdr = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, 0,
                      5 << 4, bits, 64240, 0, 0)
    pseudo = struct.pack("!4s4sBBH", socket.inet_aton(saddr),
                         socket.inet_aton(daddr), 0, socket.IPPROTO_TCP,
                         len(hdr))
    hdr = hdr[:16] + struct.pack("!H", csum(pseudo + hdr)) + hdr[18:]
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP)
    s.bind((saddr, 0))
    s.sendto(hdr, (daddr, 0))


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    saddr, sport, daddr, dport = args[0], int(args[1]), args[2], int(args[3])
    if cmd == "close":
        close(saddr, sport, daddr, dport)
    elif cmd == "syn":
        syn(saddr, sport, daddr, dport, int(args[4]),
            args[5] if len(args) > 5 else "S")
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
