# Sourced by benches/compare.sh and benches/compare-loki.sh: timing a command and the medians and
# ratios of the figures. Needs GNU time (/usr/bin/time) and $WORK (a scratch directory).

# Runs the shell command $1 once under /usr/bin/time -v, its output thrown away, and sets T_WALL
# (seconds), T_CPU (user + system seconds) and T_RSS (peak resident set, KB).
time_once() {
    /usr/bin/time -v -o "$WORK/time.txt" bash -c "$1 | cat >/dev/null" 2>/dev/null || true
    T_WALL=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s}' "$WORK/time.txt")
    T_CPU=$(awk -F': ' '/User time/ {u = $2} /System time/ {s = $2} END {print u + s}' "$WORK/time.txt")
    T_RSS=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$WORK/time.txt")
}

# The median of the numbers on stdin (separated by spaces or newlines).
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

# $1 / $2 with two decimals; 0 when $2 is 0 or empty.
ratio() { awk -v a="${1:-0}" -v b="${2:-0}" 'BEGIN {printf "%.2f", (b > 0) ? a / b : 0}'; }

# time_rounds RUNS CASES WALL CPU RSS: RUNS rounds of the cases named in the array CASES (each
# "name|command"), run alternately; appends each run's figures to the associative arrays named
# WALL, CPU and RSS, keyed by case name (space-separated, for `median`).
time_rounds() {
    local -n cases_=$2 wall_=$3 cpu_=$4 rss_=$5
    local run c name
    for ((run = 1; run <= $1; run++)); do
        for c in "${cases_[@]}"; do
            name=${c%%|*}
            time_once "${c#*|}"
            wall_[$name]+="$T_WALL "
            cpu_[$name]+="$T_CPU "
            rss_[$name]+="$T_RSS "
        done
    done
}
