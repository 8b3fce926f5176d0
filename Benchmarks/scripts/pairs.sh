#!/bin/bash
# Compares Steward builds on the Telegram load in alternating runs (A B A B …) and prints each run's CPU per
# update (burst and paced), context switches and paced latency, then the medians per build. On a shared
# machine one build's CPU per update moves by about ±15 % between runs (README.md, "Fifth pass"): compare
# medians of several pairs, never two single runs.
#
#   Benchmarks/scripts/pairs.sh ROUNDS STEWARD_A STEWARD_B [STEWARD_C …]
#
# TELEGRAM_LOAD: the load tool (default Benchmarks/.build-load/release/telegram-load, which
# Benchmarks/telegram-load.sh builds). LOAD_ARGS: its options (default: 5,000 users, a 5,000-update burst,
# 10 s at 200 updates/s, no memory or idle phase).
set -euo pipefail
if [[ $# -lt 3 ]]; then
    sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
fi
rounds=$1
shift
load=${TELEGRAM_LOAD:-Benchmarks/.build-load/release/telegram-load}
read -r -a args <<< "${LOAD_ARGS:---users 5000 --updates 5000 --rate 200 --seconds 10 --rss-updates 0 --idle-seconds 0}"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for round in $(seq 1 "$rounds"); do
    for index in $(seq 1 $#); do
        bin=${!index}
        "$load" --steward "$bin" "${args[@]}" > "$out/$index-$round.txt" 2>&1
        python3 - "$out/$index-$round.txt" "$index" "$bin" "$(cut -d' ' -f1 /proc/loadavg)" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
burst = re.search(r'throughput: \d+ updates in [\d.]+ m?s = (\d+) updates/s.*?= (\d+) µs/update, ([\d.]+) context', text)
paced = re.search(r'latency: enqueued.*?= (\d+) µs/update, ([\d.]+) context', text)
latency = re.search(r'latency at .*?p50 ([\d.]+ \S+) .*?p99 ([\d.]+ \S+)', text)
if not (burst and paced and latency):
    sys.exit(f"run of {sys.argv[3]} printed no result:\n{text[-2000:]}")
print(f"{sys.argv[2]} {burst.group(2)} {paced.group(1)} {burst.group(3)} {paced.group(2)} {latency.group(1)} {latency.group(2)} {sys.argv[4]} {sys.argv[3]}")
PY
    done
done | tee "$out/lines" | awk '{printf "%-40s load %-5s burst %5s µs (%s sw)  paced %5s µs (%s sw)  p50 %s %s  p99 %s %s\n", $11, $10, $2, $4, $3, $5, $6, $7, $8, $9}'
echo "medians (CPU µs per update):"
python3 - "$out/lines" <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    fields = line.split()
    runs.setdefault(fields[-1], []).append((int(fields[1]), int(fields[2])))
for bin, values in runs.items():
    print(f"  {bin}: burst {statistics.median(b for b, _ in values):.0f}, paced {statistics.median(p for _, p in values):.0f}"
          f"  ({len(values)} runs)")
PY
