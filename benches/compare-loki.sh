#!/usr/bin/env bash
# Side-by-side paged fetch for issue 13: vs-logs against the official logcli on the same real
# Loki (../shared/lab), same data, same range, same output, run alternately under
# /usr/bin/time -v; prints medians (wall, CPU, peak RSS, and the CPU each run cost Loki) and
# ratios. vs-logs runs with its defaults (slices by volume on Loki's split interval, fetched
# concurrently) and with `--parallel 1` (the sequential fetch, as before issue 13). Then the
# two metric queries of issue 13 (a `sum by` of `count_over_time` and a
# `quantile_over_time` with unwrap), answered by that Loki over
# HTTP (through vs-logs and through logcli) and by vs-logs' embedded engine on the same lines
# as a file, side by side.
#
#   benches/compare-loki.sh                      # 50,000 lines, 7 runs, port 3140
#   LINES=500000 RUNS=5 PORT=3141 benches/compare-loki.sh
#
# Needs ../shared/lab (skips with a message when it is missing), cargo, GNU time.
# Take the figures on a quiet machine: wall-clock time means nothing under load.
set -euo pipefail

cd "$(dirname "$0")/.."
. benches/timing.sh
LINES=${LINES:-50000}
RUNS=${RUNS:-7}
PORT=${PORT:-3140}
BATCH=${BATCH:-5000}
WORK=${WORK:-$(mktemp -d)}
TARGET=${CARGO_TARGET_DIR:-target}
LAB=../shared/lab

if [ ! -x "$LAB/loki-server" ]; then
    echo "compare-loki.sh: ../shared/lab is missing: nothing to compare against" >&2
    exit 0
fi
if [ ! -x /usr/bin/time ]; then
    echo "compare-loki.sh: /usr/bin/time (GNU time) is needed: apt-get install time" >&2
    exit 1
fi

cargo build --release --quiet --bin vs-logs --example bench_data
VS="$TARGET/release/vs-logs"
LOGCLI=$("$LAB/loki-server" logcli "$WORK/loki")
"$LAB/loki-server" start "$WORK/loki" "$PORT" >/dev/null
trap '"$LAB/loki-server" stop "$WORK/loki" >/dev/null 2>&1 || true' EXIT
ADDR="http://127.0.0.1:$PORT"

# The data: VulnSentinel-like JSONL (the bench generator, ~300 bytes a line), cut to LINES.
"$TARGET/release/examples/bench_data" "$WORK/gen.jsonl" $((LINES * 400 / 1000000 + 1)) >/dev/null
head -n "$LINES" "$WORK/gen.jsonl" >"$WORK/data.jsonl"
"$VS" --addr "$ADDR" push "$WORK/data.jsonl" >/dev/null
curl -fsS -X POST "$ADDR/flush" >/dev/null || true
sleep 2
# The data's own span, widened by a minute each side (RFC 3339 for both tools).
first=$(head -n1 "$WORK/data.jsonl" | sed -E 's/.*"timestamp":"([^"]+)".*/\1/')
last=$(tail -n1 "$WORK/data.jsonl" | sed -E 's/.*"timestamp":"([^"]+)".*/\1/')
FROM=$(date -u -d "$first - 1 minute" +%Y-%m-%dT%H:%M:%SZ)
TO=$(date -u -d "$last + 1 minute" +%Y-%m-%dT%H:%M:%SZ)
Q='{app="vulnsentinel"}'

CASES=(
    "vs-logs|\"$VS\" --addr $ADDR query '$Q' --limit 0 --batch $BATCH -o raw --from $FROM --to $TO"
    "vs-logs --parallel 1|\"$VS\" --addr $ADDR query '$Q' --limit 0 --batch $BATCH --parallel 1 -o raw --from $FROM --to $TO"
    "logcli|\"$LOGCLI\" --addr $ADDR query '$Q' --limit 0 --batch $BATCH -o raw --from $FROM --to $TO --quiet"
)
# VS_BASE=/path/to/old/vs-logs also times an older build's defaults (before/after).
if [ -n "${VS_BASE:-}" ]; then
    CASES+=("base vs-logs|\"$VS_BASE\" --addr $ADDR query '$Q' --limit 0 --batch $BATCH -o raw --from $FROM --to $TO")
fi

# Same lines out of each (order among equal timestamps may differ: compare sorted).
for c in "${CASES[@]}"; do
    name=${c%%|*}
    bash -c "${c#*|}" 2>/dev/null | sort >"$WORK/out.$(echo "$name" | tr -c 'a-z0-9' _)"
done
n_vs=$(wc -l <"$WORK/out.vs_logs_")
n_cli=$(wc -l <"$WORK/out.logcli_")
if ! cmp -s "$WORK/out.vs_logs_" "$WORK/out.logcli_"; then
    echo "compare-loki.sh: vs-logs ($n_vs lines) and logcli ($n_cli lines) printed different lines" >&2
    exit 1
fi

# Loki's own CPU (user + system seconds of its process) and the query_range requests it
# served (its own split sub-queries included), read before and after each run: the work each
# tool's requests make Loki do, which bounds the wall from below on a shared machine and
# moves far less with the load than the wall does.
LOKI_PID=$(cat "$WORK/loki/loki.pid")
TICK=$(getconf CLK_TCK)
loki_cpu() { awk -v t="$TICK" '{printf "%.2f", ($14 + $15) / t}' "/proc/$LOKI_PID/stat"; }
loki_requests() {
    curl -fsS "$ADDR/metrics" | awk '/^loki_request_duration_seconds_count/ && /route="loki_api_v1_query_range"/ {n += $NF} END {print n + 0}'
}
# The default (sliced, concurrent) fetch prints exactly the sequential one, byte for byte.
if ! cmp -s <(bash -c "${CASES[0]#*|}" 2>/dev/null) <(bash -c "${CASES[1]#*|}" 2>/dev/null); then
    echo "compare-loki.sh: vs-logs' default and --parallel 1 outputs differ" >&2
    exit 1
fi

declare -A WALL CPU RSS LCPU LREQ
for ((run = 1; run <= RUNS; run++)); do
    for c in "${CASES[@]}"; do
        name=${c%%|*}
        c0=$(loki_cpu) r0=$(loki_requests)
        time_once "${c#*|}"
        sleep 0.3 # Loki's own bookkeeping of the last answers
        c1=$(loki_cpu) r1=$(loki_requests)
        WALL[$name]+="$T_WALL " CPU[$name]+="$T_CPU " RSS[$name]+="$T_RSS "
        LCPU[$name]+="$(awk -v a="$c0" -v b="$c1" 'BEGIN {printf "%.2f", b - a}') "
        LREQ[$name]+="$((r1 - r0)) "
    done
done

printf '%s lines (%s printed by each), batch %s, %s alternating runs, medians; load average before: %s\n\n' \
    "$LINES" "$n_vs" "$BATCH" "$RUNS" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '| %-22s | %8s | %8s | %8s | %10s | %12s |\n' what "wall s" "CPU s" "RSS MB" "Loki CPU s" "Loki queries"
printf '|%s|%s|%s|%s|%s|%s|\n' ------------------------ ---------- ---------- ---------- ------------ --------------
declare -A MW MC ML
for c in "${CASES[@]}"; do
    name=${c%%|*}
    MW[$name]=$(echo "${WALL[$name]}" | median)
    MC[$name]=$(echo "${CPU[$name]}" | median)
    ML[$name]=$(echo "${LCPU[$name]}" | median)
    r=$(echo "${RSS[$name]}" | median)
    printf '| %-22s | %8s | %8s | %8s | %10s | %12s |\n' "$name" "${MW[$name]}" "${MC[$name]}" \
        "$((${r%.*} / 1024))" "${ML[$name]}" "$(echo "${LREQ[$name]}" | median)"
done
echo
for name in "vs-logs" "vs-logs --parallel 1"; do
    printf '%-22s wall %sx logcli, CPU %sx logcli, Loki CPU %sx, CPU of both %sx\n' "$name" \
        "$(ratio "${MW[$name]}" "${MW[logcli]}")" "$(ratio "${MC[$name]}" "${MC[logcli]}")" \
        "$(ratio "${ML[$name]}" "${ML[logcli]}")" \
        "$(ratio "$(awk -v a="${MC[$name]}" -v b="${ML[$name]}" 'BEGIN {print a + b}')" \
            "$(awk -v a="${MC[logcli]}" -v b="${ML[logcli]}" 'BEGIN {print a + b}')")"
done
echo "(Loki queries: query_range requests Loki served, its own split sub-queries included)"

# Metric queries: Loki over HTTP vs the embedded engine on the same lines as a file. Same
# range and step for all; the answers are compared (same series, same points).
STEP=${STEP:-5m}
M1='sum by (module) (count_over_time({app="vulnsentinel"} | json | __error__="" [5m]))'
M2='quantile_over_time(0.95, {app="vulnsentinel"} | json | unwrap duration_ms | __error__="" [5m]) by (module)'
MRANGE="--from $FROM --to $TO --step $STEP"
MCASES=(
    "count: Loki (vs-logs)|\"$VS\" --addr $ADDR query '$M1' -o json $MRANGE"
    "count: Loki (logcli)|\"$LOGCLI\" --addr $ADDR query '$M1' -o raw --from $FROM --to $TO --step $STEP --quiet"
    "count: vs-logs --file|\"$VS\" query --file \"$WORK/data.jsonl\" '$M1' -o json $MRANGE"
    "p95: Loki (vs-logs)|\"$VS\" --addr $ADDR query '$M2' -o json $MRANGE"
    "p95: Loki (logcli)|\"$LOGCLI\" --addr $ADDR query '$M2' -o raw --from $FROM --to $TO --step $STEP --quiet"
    "p95: vs-logs --file|\"$VS\" query --file \"$WORK/data.jsonl\" '$M2' -o json $MRANGE"
)
for which in count p95; do
    a=$(bash -c "${MCASES[$([ $which = count ] && echo 0 || echo 3)]#*|}" 2>&1 | md5sum)
    b=$(bash -c "${MCASES[$([ $which = count ] && echo 2 || echo 5)]#*|}" 2>&1 | md5sum)
    if [ "$a" != "$b" ]; then
        echo "compare-loki.sh: $which: Loki and the embedded engine answered differently (see the commands in MCASES)" >&2
    fi
done
declare -A MWALL MCPU MRSS
time_rounds "$RUNS" MCASES MWALL MCPU MRSS
echo
printf 'metric queries over the same %s lines, step %s, %s alternating runs, medians (Loki rows: client process only; the server works too)\n\n' "$LINES" "$STEP" "$RUNS"
printf '| %-24s | %8s | %8s | %8s |\n' what "wall s" "CPU s" "RSS MB"
printf '|%s|%s|%s|%s|\n' -------------------------- ---------- ---------- ----------
declare -A MMW
for c in "${MCASES[@]}"; do
    name=${c%%|*}
    MMW[$name]=$(echo "${MWALL[$name]}" | median)
    r=$(echo "${MRSS[$name]}" | median)
    printf '| %-24s | %8s | %8s | %8s |\n' "$name" "${MMW[$name]}" "$(echo "${MCPU[$name]}" | median)" "$((${r%.*} / 1024))"
done
echo
for which in count p95; do
    printf '%-6s embedded engine on the file: wall %sx Loki over HTTP\n' "$which" \
        "$(ratio "${MMW[$which: vs-logs --file]}" "${MMW[$which: Loki (vs-logs)]}")"
done
echo "(work files in $WORK)"
