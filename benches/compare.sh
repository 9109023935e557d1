#!/usr/bin/env bash
# Side-by-side wall-clock comparison for issue 13 (local engine): vs-logs against grep -F, jq
# and, when ../shared/lab is present, `logcli query --stdin`, on one page-cached JSONL file
# built from the demo data. Runs the tools alternately, RUNS times each, under /usr/bin/time -v
# and prints medians (wall, CPU, peak RSS) and ratios.
#
#   benches/compare.sh                 # 300 MB file, 7 runs
#   MB=1024 RUNS=5 benches/compare.sh
#   VS_BASE=/path/to/old/vs-logs benches/compare.sh   # also time an older build (before/after)
#
# Needs: cargo (builds the release binary and examples/bench_data), GNU time (/usr/bin/time).
# Take the figures on a quiet machine: wall-clock time means nothing under load.
set -euo pipefail

cd "$(dirname "$0")/.."
. benches/timing.sh
MB=${MB:-300}
RUNS=${RUNS:-7}
WORK=${WORK:-$(mktemp -d)}
TARGET=${CARGO_TARGET_DIR:-target}
LAB=../shared/lab

if [ ! -x /usr/bin/time ]; then
    echo "compare.sh: /usr/bin/time (GNU time) is needed: apt-get install time" >&2
    exit 1
fi

cargo build --release --quiet --bin vs-logs --example bench_data
VS="$TARGET/release/vs-logs"
DATA="$WORK/big.jsonl"
if [ ! -s "$DATA" ]; then
    "$TARGET/release/examples/bench_data" "$DATA" "$MB"
fi
cat "$DATA" >/dev/null # page cache
BYTES=$(stat -c %s "$DATA")

LOGCLI=""
if [ -d "$LAB" ]; then
    LOGCLI=$("$LAB/loki-server" logcli "$WORK/loki" 2>/dev/null || true)
else
    echo "compare.sh: ../shared is missing: logcli rows skipped" >&2
fi

# The file spans about a month of days ending 400 days before the demo's end: --since 1000d
# (anchored at the file's newest line) takes all of it.
RANGE=(--since 1000d)
# A metric query's span is capped at Loki's max_query_length (30d1h, range included): the
# metric cases take the file's last 29 days (of its 32; 30d fails too once the 6h step grid is
# rounded out and the 5m range added, as 1000d does).
MRANGE=(--since 29d)
JSON_Q='{app="vulnsentinel"} | json | level="error"'
LIT_Q='{app="vulnsentinel"} |= "rate limit"'
M1_Q='sum by (module) (count_over_time({app="vulnsentinel"} | json | __error__="" [5m]))'
M2_Q='quantile_over_time(0.95, {app="vulnsentinel"} | json | unwrap duration_ms | __error__="" [5m]) by (module)'

# name|command (run with bash -c; output to /dev/null through a pipe like a user's `| head`)
#
# Order matters: a command run straight after a long one that streamed the file through a big
# process (jq, logcli) pays ~60-80 ms more system time (measured: vs-logs' literal search 0.11 s
# alone, 0.17-0.19 s after jq; grep -F 0.26 s alone, 0.30-0.35 s after jq). So the short literal
# cases come first in each round, one after the other (after the previous round's start-up
# cases), and the VS_BASE rows sit next to the rows they are compared with.
CASES=(
    "vs literal|\"$VS\" query --file \"$DATA\" '$LIT_Q' -o raw --limit 0 ${RANGE[*]}"
    "grep -F|grep -F 'rate limit' \"$DATA\""
)
[ -n "${VS_BASE:-}" ] && CASES+=(
    "base literal|\"$VS_BASE\" query --file \"$DATA\" '$LIT_Q' -o raw --limit 0 ${RANGE[*]}"
)
CASES+=(
    "vs json|\"$VS\" query --file \"$DATA\" '$JSON_Q' -o raw --limit 0 ${RANGE[*]}"
)
[ -n "${VS_BASE:-}" ] && CASES+=(
    "base json|\"$VS_BASE\" query --file \"$DATA\" '$JSON_Q' -o raw --limit 0 ${RANGE[*]}"
)
CASES+=(
    "vs metric count|\"$VS\" query --file \"$DATA\" '$M1_Q' -o json --step 6h ${MRANGE[*]}"
    "vs metric p95|\"$VS\" query --file \"$DATA\" '$M2_Q' -o json --step 6h ${MRANGE[*]}"
    # Every line in a window (step = range): no line is skipped by time.
    "vs metric count 5m|\"$VS\" query --file \"$DATA\" '$M1_Q' -o json --step 5m ${MRANGE[*]}"
    "vs metric p95 5m|\"$VS\" query --file \"$DATA\" '$M2_Q' -o json --step 5m ${MRANGE[*]}"
)
[ -n "${VS_BASE:-}" ] && CASES+=(
    "base metric count|\"$VS_BASE\" query --file \"$DATA\" '$M1_Q' -o json --step 6h ${MRANGE[*]}"
    "base metric p95|\"$VS_BASE\" query --file \"$DATA\" '$M2_Q' -o json --step 6h ${MRANGE[*]}"
    "base metric count 5m|\"$VS_BASE\" query --file \"$DATA\" '$M1_Q' -o json --step 5m ${MRANGE[*]}"
    "base metric p95 5m|\"$VS_BASE\" query --file \"$DATA\" '$M2_Q' -o json --step 5m ${MRANGE[*]}"
)
CASES+=("jq json|jq -cR 'fromjson? | select(.level==\"error\")' \"$DATA\"")
if [ -n "$LOGCLI" ]; then
    CASES+=(
        "logcli json|\"$LOGCLI\" query --stdin --limit 0 -o raw '$JSON_Q' < \"$DATA\""
        "logcli literal|\"$LOGCLI\" query --stdin --limit 0 -o raw '$LIT_Q' < \"$DATA\""
    )
fi
STARTUP=(
    "vs --help|\"$VS\" --help"
    "vs errors --demo|\"$VS\" errors --demo"
)
CASES+=("${STARTUP[@]}")

declare -A WALL CPU RSS
time_rounds "$RUNS" CASES WALL CPU RSS

printf '%s MB file, %s runs each, medians\n\n' "$((BYTES / 1000000))" "$RUNS"
printf '| %-20s | %9s | %9s | %9s | %10s |\n' what "wall s" "CPU s" "MB/s" "RSS MB"
printf '|%s|%s|%s|%s|%s|\n' ---------------------- ----------- ----------- ----------- ------------
declare -A MED
for c in "${CASES[@]}"; do
    name=${c%%|*}
    w=$(echo "${WALL[$name]}" | median)
    u=$(echo "${CPU[$name]}" | median)
    r=$(echo "${RSS[$name]}" | median)
    MED[$name]=$w
    rate=$(awk -v b="$BYTES" -v w="$w" 'BEGIN {printf "%.0f", (w > 0) ? b / w / 1e6 : 0}')
    case $name in vs\ --help | vs\ errors*) rate=- ;; esac
    printf '| %-20s | %9s | %9s | %9s | %10s |\n' "$name" "$w" "$u" "$rate" "$((r / 1024))"
done

# "$3 <median of $2 / median of $1>x" when both were timed.
speedup() {
    if [ -n "${MED[$1]:-}" ] && [ -n "${MED[$2]:-}" ]; then
        printf '%-40s %sx\n' "$3" "$(ratio "${MED[$2]}" "${MED[$1]}")"
    fi
}
echo
speedup "vs json" "jq json" "vs json vs jq (speed-up):"
speedup "vs json" "logcli json" "vs json vs logcli --stdin (speed-up):"
speedup "vs literal" "grep -F" "vs literal vs grep -F (speed-up):"
speedup "vs literal" "logcli literal" "vs literal vs logcli --stdin (speed-up):"
speedup "vs json" "base json" "json: this build vs VS_BASE (speed-up):"
speedup "vs literal" "base literal" "literal: this build vs VS_BASE (speed-up):"
speedup "vs metric count" "base metric count" "metric count: this build vs VS_BASE:"
speedup "vs metric p95" "base metric p95" "metric p95: this build vs VS_BASE:"
speedup "vs metric count 5m" "base metric count 5m" "metric count step 5m: this build vs VS_BASE:"
speedup "vs metric p95 5m" "base metric p95 5m" "metric p95 step 5m: this build vs VS_BASE:"
echo "(work files in $WORK)"
