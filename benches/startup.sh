#!/usr/bin/env bash
# Whole-process figures for the real window: time from launch until the window exists, and
# peak memory over the first seconds (while the launch backup and the health judgement run),
# for an empty database and for a big one, with the ratios measured in the same run.
#
#   benches/startup.sh [BIG_DB]     (default: /tmp/rapport-big.sqlite3, created with
#                                    `rapport demo --contacts 100000 --interactions 1000000`
#                                    when missing — that takes a minute or more)
#
# Needs: a release build (cargo build --release), Xvfb, xdotool, GNU time (apt-get install -y
# xvfb xdotool time). Nothing leaves the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-target}"
bin="$target/release/rapport"
[ -x "$bin" ] || { echo "Build first: cargo build --release"; exit 1; }
big="${1:-/tmp/rapport-big.sqlite3}"
seconds="${SECONDS_OPEN:-8}"
work="$(mktemp -d)"
export XDG_RUNTIME_DIR="$work/xdg"; mkdir -m 700 "$XDG_RUNTIME_DIR"
if [ ! -f "$big" ]; then
  echo "Creating $big (100,000 contacts, 1,000,000 conversations)…"
  "$bin" --db "$big" demo --contacts 100000 --interactions 1000000
fi
display=":$((50 + RANDOM % 40))"
Xvfb "$display" -screen 0 1280x800x24 >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null; rm -rf "$work"' EXIT
sleep 1
export DISPLAY="$display"

# Prints "<seconds to window> <peak RSS in kB>" for one database.
measure() {
  local db="$1" log="$work/time.log"
  local start end
  start=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$log" "$bin" --db "$db" >/dev/null 2>&1 &
  local pid=$!
  until xdotool search --name '^Rapport' >/dev/null 2>&1; do
    sleep 0.01
    kill -0 "$pid" 2>/dev/null || { echo "Rapport exited early" >&2; return 1; }
  done
  end=$(date +%s.%N)
  sleep "$seconds"
  # Stop Rapport itself (the child of `time`), so `time` lives to report its peak memory.
  pkill -TERM -P "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  while xdotool search --name '^Rapport' >/dev/null 2>&1; do sleep 0.05; done
  echo "$(echo "$end - $start" | bc) $(grep -E '^[0-9]+$' "$log" | tail -1)"
}

empty="$work/empty.sqlite3"
"$bin" --db "$empty" contacts >/dev/null   # create and migrate it, as a first launch would
read -r empty_time empty_rss < <(measure "$empty")
cp "$big" "$work/big.sqlite3"               # a copy: the launch backup must not touch the original
"$bin" --db "$work/big.sqlite3" followups --overdue >/dev/null   # a file from an older Rapport is migrated first: a migration is not a launch
read -r big_time big_rss < <(measure "$work/big.sqlite3")
contacts=$(sqlite3 "$work/big.sqlite3" "SELECT COUNT(*) FROM contacts WHERE deleted_at IS NULL" 2>/dev/null || echo "?")
printf 'window exists after launch: empty %.3f s, %s contacts %.3f s   ratio %.2f (target <= 1.5)\n' \
  "$empty_time" "$contacts" "$big_time" "$(echo "$big_time / $empty_time" | bc -l)"
printf 'peak RSS over the first %s s: empty %d MB, big %d MB   ratio %.2f (target <= 2)\n' \
  "$seconds" "$((empty_rss / 1024))" "$((big_rss / 1024))" "$(echo "$big_rss / $empty_rss" | bc -l)"
