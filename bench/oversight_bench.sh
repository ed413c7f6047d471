#!/usr/bin/env bash
# Benchmark for `make bench`: remit oversight on 1,000,000 generated case
# records. Reports rows per second and peak resident memory (/usr/bin/time -v).
# Usage: bench/oversight_bench.sh BUILD_DIR [ROWS]
set -euo pipefail
build=${1:-build}
rows=${2:-1000000}
remit="$build/remit"
[ -x "$remit" ] || { echo "oversight_bench: $remit not built" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "oversight_bench: /usr/bin/time missing (Debian package 'time')" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
per=$((rows / 5))
"$remit" synth cases --out "$work/cases.csv" --seed 1 --data-date 2025-12-31 \
  --cohort 2017:$per --cohort 2018:$per --cohort 2019:$per --cohort 2020:$per --cohort 2021:$((rows - 4 * per))
size=$(stat -c %s "$work/cases.csv")
/usr/bin/time -v "$remit" oversight "$work/cases.csv" --out "$work/out" --by force --data-date 2025-12-31 \
  2> "$work/time.txt" >/dev/null
wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/time.txt")
rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
user=$(awk -F': ' '/User time \(seconds\)/ {print $2}' "$work/time.txt")
sys=$(awk -F': ' '/System time \(seconds\)/ {print $2}' "$work/time.txt")
secs=$(awk -v t="$wall" 'BEGIN { n = split(t, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }')
# The machine is shared: wall time includes waiting for a core, so CPU time is reported too.
awk -v r="$rows" -v s="$secs" -v m="$rss_kb" -v b="$size" -v u="$user" -v y="$sys" 'BEGIN {
  printf "oversight_bench: %d rows (%.0f MB CSV): %.2f s wall = %.0f rows/s; %.2f s CPU (user+sys) = %.0f rows/s; peak RSS %.0f MB\n",
         r, b / 1e6, s, r / s, u + y, r / (u + y), m / 1024 }'
