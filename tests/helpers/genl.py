#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A raw generic netlink client for testing silk's kernel-side validation.

  genl.py CMD [ATTR=TYPE:VALUE ...] [--dump] [--flags N] [--pause FILE]

CMD is a number or a SILK_CMD_* name (without the prefix, e.g. PATH_ADD).
ATTR is a number or the name of a member of one of the header's attribute
spaces, SILK_*_A_* or SILK_STATS_*, without "SILK_" (e.g. PATH_A_PORT,
NS_A_METER, GROUP_A_NAME, COND_A_OUT, STATS_QLEN): the name says its space,
the number it goes out as. TYPE is u8, u16, u32, u64, str (NUL-terminated),
bin (hex bytes), ip4, ip6 or cmd (a command's number as u8, by name). A
nest is ATTR={ATTR=TYPE:VALUE,...}, nests within it likewise (e.g.
CHAIN_A_COND={COND_A_OUT=u16:81,COND_A_WEIGHT=u16:10}; a nest of nests
numbers its entries: GROUP_A_PORTS={1={GPORT_A_PORT=u16:80}}); every nest
goes out with NLA_F_NESTED. Requests carry the header's SILK_GENL_VERSION.
Prints one JSON line: {"error": errno (0 on success), "msg": extack message, "offs": offset
of the offending attribute, "replies": number of replies, "intr": replies
flagged NLM_F_DUMP_INTR}.

--pause FILE: once the request is sent, create FILE.sent and read no reply
until FILE exists. A dump's first message is made when it is asked for,
the next ones as they are read (about 4 KiB each): what changes during
the pause happens between the two.

The constants are read from include/uapi/linux/silk.h, so this tool always
speaks the header's current numbering.
"""
import json
import os
import re
import socket
import struct
import sys
import time

NETLINK_GENERIC = 16
GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2
NLM_F_REQUEST = 1
NLM_F_ACK = 4
NLM_F_DUMP = 0x300
NLMSG_ERROR = 2
NLMSG_DONE = 3
SOL_NETLINK = 270
NETLINK_EXT_ACK = 11
NLMSGERR_ATTR_MSG = 1
NLMSGERR_ATTR_OFFS = 2
NLM_F_CAPPED = 0x100
NLM_F_ACK_TLVS = 0x200
NLM_F_DUMP_INTR = 0x10

HEADER = os.path.join(os.path.dirname(__file__), "../../include/uapi/linux/silk.h")


def enum_values(prefix):
    """Values of the enum whose members start with prefix, from the header."""
    text = open(HEADER).read()
    out = {}
    for body in re.findall(r"enum\s+\w+\s*{(.*?)};", text, re.S):
        names = re.findall(r"^\s*(\w+)\s*(?:=\s*[^,]*)?,", body, re.M)
        if not names or not names[0].startswith(prefix):
            continue
        for i, n in enumerate(names):
            out[n[len(prefix):]] = i
    return out


def attr_spaces():
    """Every attribute space's members, SILK_*_A_* and SILK_STATS_*, by
    their names without "SILK_" (PATH_A_PORT, STATS_QLEN, ...)."""
    text = open(HEADER).read()
    out = {}
    for body in re.findall(r"enum\s+\w+\s*{(.*?)};", text, re.S):
        names = re.findall(r"^\s*(\w+)\s*(?:=\s*[^,]*)?,", body, re.M)
        if not names or not re.match(r"SILK_(\w+_A|STATS)_UNSPEC$", names[0]):
            continue
        for i, n in enumerate(names):
            if not n.startswith("__"):
                out[n[len("SILK_"):]] = i
    return out


def genl_version():
    m = re.search(r"#define\s+SILK_GENL_VERSION\s+(\d+)", open(HEADER).read())
    return int(m.group(1)) if m else 1


CMDS = enum_values("SILK_CMD_")
ATTRS = attr_spaces()
VERSION = genl_version()


def attr_type(name):
    if name.isdigit():
        return int(name)
    if name.startswith("SILK_"):
        name = name[len("SILK_"):]
    if name not in ATTRS:
        raise SystemExit("unknown attribute " + name)
    return ATTRS[name]


def attr(t, payload):
    ln = 4 + len(payload)
    return struct.pack("=HH", ln, t) + payload + b"\0" * ((4 - ln % 4) % 4)


NLA_F_NESTED = 0x8000


def split_top(text):
    """Split at the commas that are not inside braces."""
    out, depth, cur = [], 0, ""
    for ch in text:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if ch == "," and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    return out + [cur] if cur else out


def encode(spec):
    name, val = spec.split("=", 1)
    t = attr_type(name)
    if val.startswith("{") and val.endswith("}"):
        inner = b"".join(encode(x) for x in split_top(val[1:-1]))
        return attr(t | NLA_F_NESTED, inner)
    typ, v = val.split(":", 1)
    if typ in ("u8", "u16", "u32", "u64"):
        fmt = {"u8": "=B", "u16": "=H", "u32": "=I", "u64": "=Q"}[typ]
        payload = struct.pack(fmt, int(v, 0))
    elif typ == "cmd":
        payload = struct.pack("=B", CMDS[v])
    elif typ == "str":
        payload = v.encode() + b"\0"
    elif typ == "bin":
        payload = bytes.fromhex(v)
    elif typ == "ip4":
        payload = socket.inet_pton(socket.AF_INET, v)
    elif typ == "ip6":
        payload = socket.inet_pton(socket.AF_INET6, v)
    else:
        raise SystemExit("unknown type " + typ)
    return attr(t, payload)


def parse_attrs(data):
    out = {}
    while len(data) >= 4:
        ln, t = struct.unpack("=HH", data[:4])
        if ln < 4:
            break
        out[t & 0x3FFF] = data[4:ln]
        data = data[(ln + 3) & ~3:]
    return out


class Genl:
    def __init__(self):
        self.s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
        self.s.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.s.bind((0, 0))
        self.seq = 1

    def request(self, family, cmd, payload, flags=NLM_F_REQUEST | NLM_F_ACK,
                version=VERSION, pause=None):
        self.seq += 1
        body = struct.pack("=BBH", cmd, version, 0) + payload
        msg = struct.pack("=IHHII", 16 + len(body), family, flags, self.seq, 0) + body
        self.s.send(msg)
        if pause:
            open(pause + ".sent", "w").close()
            deadline = time.monotonic() + 300
            while not os.path.exists(pause) and time.monotonic() < deadline:
                time.sleep(0.1)
        replies = []
        self.intr = 0
        while True:
            data = self.s.recv(1 << 16)
            while data:
                ln, typ, fl, seq, _ = struct.unpack("=IHHII", data[:16])
                if typ == NLMSG_ERROR:
                    err = -struct.unpack("=i", data[16:20])[0]
                    off = 20 + (16 if fl & NLM_F_CAPPED else len(msg))
                    tlv = parse_attrs(data[off:ln]) if fl & NLM_F_ACK_TLVS else {}
                    m = tlv.get(NLMSGERR_ATTR_MSG, b"").rstrip(b"\0").decode()
                    o = tlv.get(NLMSGERR_ATTR_OFFS)
                    return err, m, struct.unpack("=I", o)[0] if o else None, replies
                if typ == NLMSG_DONE:
                    return 0, "", None, replies
                if fl & NLM_F_DUMP_INTR:
                    self.intr += 1
                replies.append(data[20:ln])
                data = data[(ln + 3) & ~3:]

    def family(self, name):
        err, _, _, r = self.request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
                                    attr(CTRL_ATTR_FAMILY_NAME, name.encode() + b"\0"),
                                    version=1)
        if err or not r:
            raise SystemExit(json.dumps({"error": err, "msg": "no family " + name}))
        return struct.unpack("=H", parse_attrs(r[0])[CTRL_ATTR_FAMILY_ID][:2])[0]


def main():
    args = sys.argv[1:]
    flags = NLM_F_REQUEST | NLM_F_ACK
    if "--dump" in args:
        args.remove("--dump")
        flags |= NLM_F_DUMP
    if "--flags" in args:
        i = args.index("--flags")
        flags = int(args[i + 1], 0)
        del args[i:i + 2]
    pause = None
    if "--pause" in args:
        i = args.index("--pause")
        pause = args[i + 1]
        del args[i:i + 2]
    cmd = int(args[0]) if args[0].isdigit() else CMDS[args[0]]
    g = Genl()
    fam = g.family("silk")
    if pause:
        # A socket that has read nothing gets the smallest dump messages.
        g = Genl()
    payload = b"".join(encode(a) for a in args[1:])
    err, m, off, replies = g.request(fam, cmd, payload, flags, pause=pause)
    print(json.dumps({"error": err, "msg": m, "offs": off,
                      "replies": len(replies), "intr": g.intr}))


if __name__ == "__main__":
    main()
