#!/bin/bash
# Where a paced Telegram update's thread hand-offs and CPU go, per thread of Steward, and its SQLite
# writes and syscalls per update (issue 19's "third pass" in ../README.md).
#
#   Benchmarks/scripts/paced-threads.sh STEWARD_BINARY
#
# Runs telegram-load (TELEGRAM_LOAD, default Benchmarks/.build-load/release/telegram-load) at 200 updates/s
# and, over 8 s of that phase, reads /proc/PID/task/*/status and stat (voluntary and involuntary context
# switches and CPU per thread), /proc/PID/io (bytes written) and, with perf, the syscalls it makes.
set -euo pipefail
BIN=$1
LOAD=${TELEGRAM_LOAD:-Benchmarks/.build-load/release/telegram-load}
OUT=$(mktemp -d)
"$LOAD" --steward "$BIN" --users 3000 --updates 1000 --rate 200 --seconds 10 --rss-updates 0 --idle-seconds 0 \
    > "$OUT/load.out" 2>&1 &
LOAD_PID=$!
PID=""
for _ in $(seq 1 100); do PID=$(pgrep -f "$BIN run" | head -1 || true); [ -n "$PID" ] && break; sleep 0.2; done
for _ in $(seq 1 600); do grep -q "had fetched every" "$OUT/load.out" && break; sleep 0.1; done
sleep 1   # into the paced phase
snapshot() {
    for task in /proc/"$PID"/task/*; do
        echo "$(basename "$task") $(tr ' ' '_' < "$task/comm") $(awk '/voluntary_ctxt_switches/ {print $2}' "$task/status" | paste -sd' ') $(awk '{print $14+$15}' "$task/stat")"
    done
}
snapshot > "$OUT/before"
WRITTEN_BEFORE=$(awk '/wchar/ {print $2}' /proc/"$PID"/io)
if command -v perf >/dev/null; then
    perf stat -e 'syscalls:sys_enter_pwrite64,syscalls:sys_enter_pread64,syscalls:sys_enter_fcntl,syscalls:sys_enter_futex,syscalls:sys_enter_epoll_wait,syscalls:sys_enter_write,syscalls:sys_enter_read' \
        -p "$PID" -o "$OUT/perf" -- sleep 8
else
    sleep 8
fi
snapshot > "$OUT/after"
WRITTEN_AFTER=$(awk '/wchar/ {print $2}' /proc/"$PID"/io)
wait "$LOAD_PID" || true
UPDATES=1600   # 8 s at 200 updates/s
python3 - "$OUT/before" "$OUT/after" "$UPDATES" <<'PY'
import sys
before = {line.split()[0]: line.split() for line in open(sys.argv[1])}
updates = int(sys.argv[3])
ticks = 100  # USER_HZ
total = [0, 0, 0]
for line in open(sys.argv[2]):
    fields = line.split()
    if fields[0] not in before:
        print("thread started meanwhile:", fields[1])
        continue
    old = before[fields[0]]
    voluntary, involuntary = int(fields[2]) - int(old[2]), int(fields[3]) - int(old[3])
    cpu = (int(fields[4]) - int(old[4])) / ticks
    total[0] += voluntary; total[1] += involuntary; total[2] += cpu
    if voluntary or involuntary or cpu:
        print(f"{fields[1]:26s} voluntary {voluntary / updates:5.2f}  involuntary {involuntary / updates:5.2f}  CPU {cpu * 1e6 / updates:6.0f} µs  per update")
print(f"{'all threads':26s} voluntary {total[0] / updates:5.2f}  involuntary {total[1] / updates:5.2f}  CPU {total[2] * 1e6 / updates:6.0f} µs  per update")
PY
echo "bytes written per update: $(( (WRITTEN_AFTER - WRITTEN_BEFORE) / UPDATES ))"
[ -f "$OUT/perf" ] && awk -v n="$UPDATES" '/syscalls/ {printf "%-32s %6.1f per update\n", $2, $1 / n}' "$OUT/perf"
rm -rf "$OUT"
