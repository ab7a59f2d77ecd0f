#!/usr/bin/env bash
# What the reminder companion costs while it waits: CPU seconds per hour and resident memory.
#
#   benches/remind_idle.sh [SECONDS] [BINARY]
#
# Makes a demo database in a temporary folder, starts `rapport remind` on it with no
# notification server to reach, lets it wait SECONDS (default 120), and reads its CPU time
# (utime + stime from /proc/PID/stat) and VmRSS / VmHWM (/proc/PID/status). The CPU figure per
# hour counts only the waiting (after a 5 s settling), not the start; the kernel counts CPU time
# in ticks of 10 ms, so 0 ticks over SECONDS means less than 36 / SECONDS CPU-s per hour. Linux only.
# BINARY defaults to target/release/rapport (build it with `cargo build --release`).
set -euo pipefail

seconds=${1:-120}
binary=${2:-target/release/rapport}
settle=5
[ -x "$binary" ] || { echo "no $binary: cargo build --release first" >&2; exit 1; }

dir=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$dir"' EXIT
db="$dir/idle.sqlite3"
"$binary" --db "$db" demo >/dev/null 2>&1
export RAPPORT_NOTIFY_LOG="$dir/notifications.jsonl"
export DBUS_SESSION_BUS_ADDRESS="unix:path=$dir/no-bus"
"$binary" --db "$db" remind >"$dir/out.txt" 2>"$dir/err.txt" &
pid=$!

ticks() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }
hz=$(getconf CLK_TCK)
sleep "$settle"
start=$(ticks)
sleep "$seconds"
end=$(ticks)
rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status")
hwm=$(awk '/^VmHWM/ { print $2 }' "/proc/$pid/status")
threads=$(awk '/^Threads/ { print $2 }' "/proc/$pid/status")
total=$(awk -v t="$end" -v hz="$hz" 'BEGIN { printf "%.2f", t / hz }')
per_hour=$(awk -v a="$start" -v b="$end" -v hz="$hz" -v s="$seconds" \
    'BEGIN { printf "%.3f", (b - a) / hz * 3600 / s }')
sent=0
[ -f "$RAPPORT_NOTIFY_LOG" ] && sent=$(wc -l <"$RAPPORT_NOTIFY_LOG")

echo "waited ${seconds}s: ${per_hour} CPU-s/hour while waiting (${total} CPU-s in all, start included)"
echo "resident memory: $((rss / 1024)) MB now (VmRSS ${rss} kB), peak VmHWM ${hwm} kB, ${threads} threads"
echo "notifications sent meanwhile: ${sent}"
