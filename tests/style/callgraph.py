#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Which files of src/ call which: print the file-level call graph's
strongly connected components larger than one file, and exit 1 if one has
more than two files (two files that call each other must say why in
docs/silk.rst "Internals").

A call is an identifier followed by '(' that is defined, non-static, in
another file; comments and strings are stripped first. Calls through
function pointers (netlink ops, socket event subscribers) are not calls
here, as they are not in cflow.
"""
import re
import sys
from pathlib import Path

src = Path(sys.argv[1] if len(sys.argv) > 1 else "src")
files = sorted(src.glob("*.c"))


def strip(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    return re.sub(r'"(\\.|[^"\\])*"', '""', text)


defs = {}
bodies = {}
for f in files:
    t = strip(f.read_text())
    bodies[f.name] = t
    for m in re.finditer(r"^(?!static)[A-Za-z_][\w \*]*?\b(\w+)\(([^;{]*?)\)\s*\{",
                         t, flags=re.M):
        defs.setdefault(m.group(1), f.name)

edges = {f.name: set() for f in files}
for name, t in bodies.items():
    for m in re.finditer(r"\b(\w+)\s*\(", t):
        d = defs.get(m.group(1))
        if d and d != name:
            edges[name].add(d)

# Tarjan's strongly connected components.
index, low, stack, on, sccs = {}, {}, [], set(), []


def visit(v):
    index[v] = low[v] = len(index)
    stack.append(v)
    on.add(v)
    for w in edges[v]:
        if w not in index:
            visit(w)
            low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        c = []
        while True:
            w = stack.pop()
            on.discard(w)
            c.append(w)
            if w == v:
                break
        sccs.append(sorted(c))


sys.setrecursionlimit(10000)
for v in edges:
    if v not in index:
        visit(v)

worst = 0
for c in sorted(sccs, key=len, reverse=True):
    if len(c) < 2:
        continue
    worst = max(worst, len(c))
    print(f"cycle of {len(c)}: {' '.join(c)}")
    for a in c:
        for b in sorted(edges[a] & set(c)):
            print(f"  {a} -> {b}")
sys.exit(1 if worst > 2 else 0)
