#!/usr/bin/env bash
# Every benchmark in one command, each printing the ratio it measured in the same run:
#
#   benches/all.sh [BIG_DB]      (default: /tmp/rapport-big.sqlite3, created with
#                                 `rapport demo --contacts 100000 --interactions 1000000` when
#                                 missing — a minute or more)
#
# import (100k-row Google CSV ÷ sqlite3 .import), search as you type (notes and contacts on the
# big file), frames (contacts / dashboard / timeline panels, 100k ÷ 100), the timeline report
# (PDF and HTML of 10,000 entries), then the real window (startup and peak memory, big ÷ empty).
# Needs sqlite3, and for the last part Xvfb, xdotool and GNU time:
#   apt-get install -y sqlite3 xvfb xdotool time
# Set QUICK=1 for fewer frames and rows. Nothing leaves the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
big="${1:-/tmp/rapport-big.sqlite3}"
quick="${QUICK:-}"
cargo build --release --quiet
bin="${CARGO_TARGET_DIR:-target}/release/rapport"
if [ ! -f "$big" ]; then
  echo "Creating $big (100,000 contacts, 1,000,000 conversations)…"
  "$bin" --db "$big" demo --contacts 100000 --interactions 1000000
fi
# A file from an older Rapport is migrated once here, so that no figure below includes it.
"$bin" --db "$big" followups --overdue >/dev/null

section() { printf '\n== %s\n' "$1"; }
section "Import: 100,000-row Google Contacts CSV ÷ sqlite3 .import"
cargo bench --quiet --bench import -- ${quick:+--rows 20000}
section "Search as you type on $big"
cargo bench --quiet --bench search -- "$big"
section "Frames: contacts, dashboard and timeline panels"
cargo bench --quiet --bench frame -- ${quick:+--quick}
section "Timeline report: 10,000 entries to PDF and HTML"
cargo bench --quiet --bench report -- ${quick:+--entries 2000}
section "Real window: startup and peak memory, big ÷ empty"
benches/startup.sh "$big"
