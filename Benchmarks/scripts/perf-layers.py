#!/usr/bin/env python3
"""Where a profile's CPU goes, by library: each sample counts once, for the innermost frame that belongs
to one of the layers below (SQLite, GRDB, JSON, llhttp, AsyncHTTPClient, NIO, Steward), and is marked
"(kernel below)" when its own frame is in the kernel (a system call made from that layer).

    perf record -F 997 -e cpu-clock --call-graph dwarf,32768 -p PID -o steward.data -- sleep 8
    perf script -i steward.data -F pid,tid,ip,sym,dso > steward.txt
    Benchmarks/scripts/perf-layers.py steward.txt PID
"""
import collections
import re
import sys

if len(sys.argv) != 3:
    sys.exit(__doc__)
path, pid = sys.argv[1], sys.argv[2]

LAYERS = [
    ("SQLite", lambda symbol, library: "libsqlite3" in library or symbol.startswith("sqlite3")),
    ("GRDB", lambda symbol, library: symbol.startswith("$s4GRDB")),
    ("JSONDecoder", lambda symbol, library: "JSONDecoder" in symbol or "JSONMap" in symbol),
    ("JSONEncoder", lambda symbol, library: "JSONEncoder" in symbol),
    ("llhttp", lambda symbol, library: "llhttp" in symbol),
    ("AsyncHTTPClient", lambda symbol, library: "AsyncHTTPClient" in symbol),
    ("NIO", lambda symbol, library: re.match(r"\$s\d+NIO", symbol) is not None),
    ("Steward", lambda symbol, library: re.match(r"\$s\d+(Steward|Telegram|Slack|Matrix)", symbol) is not None),
]

samples, current = [], None
for line in open(path, errors="replace"):
    if not line.strip():
        if current is not None:
            samples.append(current)
        current = None
        continue
    if re.match(r"^\s*\d+/\d+\s*$", line):
        current = [] if line.split()[0].split("/")[0] == pid else None
        continue
    if current is None:
        continue
    frame = re.match(r"\s*[0-9a-f]+ (.*) \((.*)\)\s*$", line)
    if frame:
        current.append((frame.group(1), frame.group(2).split("/")[-1]))
if current:
    samples.append(current)

counts = collections.Counter()
for stack in samples:
    if not stack:
        continue
    layer = next((name for symbol, library in stack for name, test in LAYERS if test(symbol, library)), "other")
    counts[layer + (" (kernel below)" if stack[0][1].startswith("[kernel") else "")] += 1
print(f"{len(samples)} samples of pid {pid}")
for layer, count in counts.most_common():
    print(f"{100 * count / len(samples):6.1f} % {layer}")
