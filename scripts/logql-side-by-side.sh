#!/usr/bin/env bash
# Side-by-side check of the embedded LogQL engine against a real Loki (../shared/lab).
#
#   scripts/logql-side-by-side.sh [PORT] [QUERIES]
#
# Starts the lab Loki in a temporary directory on PORT (default 3130), pushes the conformance
# data set with its recorded labels and timestamps, runs every query of QUERIES (default:
# scripts/logql-side-by-side.queries.txt, 794 queries made by `scripts/logql_lab.py gen`) on Loki
# and on `vs-logs query --file dataset.jsonl -o json`, and prints the agreement rate and every
# difference (also written to $CARGO_TARGET_DIR/logql-side-by-side.txt). Log results are compared
# as (ts, line, labels), metric results as series label sets and points (relative 1e-9); both
# rejecting counts as agreement. The raw-ANSI line prints no time, so its timestamp is not
# compared (a file cannot know it). Needs ../shared/lab and ../shared/logql-conformance; opt-in,
# not part of `cargo test`.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
shared="${VS_LOGS_SHARED:-$here/../shared}"
[ -d "$shared/lab" ] || shared=/work/shared
[ -x "$shared/lab/loki-server" ] || { echo "no lab Loki under $shared/lab" >&2; exit 2; }
port="${1:-3130}"
data="$shared/logql-conformance"
target="${CARGO_TARGET_DIR:-$here/target}"
work="$(mktemp -d)"
queries="${2:-$here/scripts/logql-side-by-side.queries.txt}"
trap '"$shared/lab/loki-server" stop "$work/loki" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

(cd "$here" && cargo build --quiet --bin vs-logs)
"$shared/lab/loki-server" start "$work/loki" "$port" >/dev/null
url="http://127.0.0.1:$port"
python3 "$here/scripts/logql_lab.py" push "$url" "$data"
sleep 2
[ -f "$queries" ] || python3 "$here/scripts/logql_lab.py" gen "$queries"
python3 "$here/scripts/logql_lab.py" side "$url" "$data" "$target/debug/vs-logs" "$queries" \
  "$target/logql-side-by-side.txt"
