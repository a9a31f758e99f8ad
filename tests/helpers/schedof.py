#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Print a task's scheduling attributes as one JSON object per pid:

  schedof.py PID...
  -> {"pid": 1, "policy": "fifo", "prio": 2, "nice": 0, "reset_on_fork":
      true, "runtime": 0, "deadline": 0, "period": 0}

Policies: other, fifo, rr, batch, idle, deadline. Deadline parameters (ns)
come from sched_getattr(2).
"""
import ctypes
import json
import os
import sys

NAMES = {0: "other", 1: "fifo", 2: "rr", 3: "batch", 5: "idle", 6: "deadline"}
SYS_SCHED_GETATTR = 315  # x86_64


class SchedAttr(ctypes.Structure):
    _fields_ = [("size", ctypes.c_uint32), ("policy", ctypes.c_uint32),
                ("flags", ctypes.c_uint64), ("nice", ctypes.c_int32),
                ("priority", ctypes.c_uint32), ("runtime", ctypes.c_uint64),
                ("deadline", ctypes.c_uint64), ("period", ctypes.c_uint64),
                ("util_min", ctypes.c_uint32), ("util_max", ctypes.c_uint32)]


def attrs(pid):
    libc = ctypes.CDLL(None, use_errno=True)
    a = SchedAttr()
    if libc.syscall(SYS_SCHED_GETATTR, pid, ctypes.byref(a),
                    ctypes.sizeof(a), 0) != 0:
        raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()))
    return {"pid": pid, "policy": NAMES.get(a.policy, str(a.policy)),
            "prio": a.priority, "nice": a.nice,
            "reset_on_fork": bool(a.flags & 1), "runtime": a.runtime,
            "deadline": a.deadline, "period": a.period}


for p in sys.argv[1:]:
    try:
        print(json.dumps(attrs(int(p))))
    except OSError as e:
        print(json.dumps({"pid": int(p), "error": e.strerror}))
