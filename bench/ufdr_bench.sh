#!/usr/bin/env bash
# UFDR benchmark (issue 6): parse a generated report.xml of at least 2 GB
# and report throughput as a ratio to `openssl dgst -sha256` on the same
# file, measured in the same run, plus peak memory (/usr/bin/time -v).
#
#   bench/ufdr_bench.sh [BUILD_DIR]      (UFDR_BENCH_GB=2.1 by default)
#
# Generated data lives in a temporary folder under $TMPDIR and is deleted
# on exit, whatever happens.
set -euo pipefail
BUILD=${1:-build}
GB=${UFDR_BENCH_GB:-2.1}
BIN="$BUILD/bench/ufdr_parse_bench"
REMIT="$BUILD/remit"
[ -x "$BIN" ] || { echo "ufdr_bench: $BIN not built (cmake --build $BUILD --target ufdr_parse_bench)" >&2; exit 2; }
WORK=$(mktemp -d "${TMPDIR:-/tmp}/remit-ufdr-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

peak_mb() { awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2/1024}' "$1"; }
wall_s() { awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; printf "%.2f", s}' "$1"; }
cpu_s() { awk -F': ' '/User time|System time/ {s+=$2} END {printf "%.2f", s}' "$1"; }
ratio() { echo "$1 / $2" | bc -l; }

echo "== generating a UFDR with >= $GB GB of report.xml in $WORK"
"$BIN" generate "$WORK/ufdr" "$GB"
XML="$WORK/ufdr/report.xml"
SIZE=$(stat -c %s "$XML")
sync
# Warm the page cache the same way for every measurement.
cat "$XML" "$WORK/ufdr.ufdr" > /dev/null

echo "== openssl dgst -sha256 on report.xml and on the .ufdr (baseline)"
/usr/bin/time -v openssl dgst -sha256 "$XML" 2> "$WORK/time-ssl.txt"
/usr/bin/time -v openssl dgst -sha256 "$WORK/ufdr.ufdr" 2> "$WORK/time-ssl-z.txt"
T_SSL=$(wall_s "$WORK/time-ssl.txt"); T_SSL_Z=$(wall_s "$WORK/time-ssl-z.txt")
C_SSL=$(cpu_s "$WORK/time-ssl.txt"); C_SSL_Z=$(cpu_s "$WORK/time-ssl-z.txt")

echo "== parse: unzipped UFDR (folder), no container hash"
/usr/bin/time -v "$BIN" parse "$WORK/ufdr" 2> "$WORK/time-folder.txt"
echo "== parse: stored .ufdr zip, no container hash"
/usr/bin/time -v "$BIN" parse "$WORK/ufdr.ufdr" 2> "$WORK/time-zip.txt"
echo "== remit inspect on the .ufdr (container SHA-256 pass alongside the parse)"
/usr/bin/time -v "$REMIT" inspect "$WORK/ufdr.ufdr" --json > "$WORK/inspect.json" 2> "$WORK/time-inspect.txt" || true

T_F=$(wall_s "$WORK/time-folder.txt"); T_Z=$(wall_s "$WORK/time-zip.txt"); T_I=$(wall_s "$WORK/time-inspect.txt")
C_F=$(cpu_s "$WORK/time-folder.txt"); C_Z=$(cpu_s "$WORK/time-zip.txt"); C_I=$(cpu_s "$WORK/time-inspect.txt")
echo
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
echo "report.xml size: $SIZE bytes; .ufdr size: $(stat -c %s "$WORK/ufdr.ufdr") bytes"
printf '%-34s %8s %8s %12s %10s\n' "" "wall s" "cpu s" "wall ratio" "peak MB"
printf '%-34s %8.2f %8.2f %12s %10s\n' "openssl dgst -sha256 report.xml" "$T_SSL" "$C_SSL" "1.0x" "$(peak_mb "$WORK/time-ssl.txt")"
printf '%-34s %8.2f %8.2f %12s %10s\n' "openssl dgst -sha256 .ufdr" "$T_SSL_Z" "$C_SSL_Z" "1.0x" "$(peak_mb "$WORK/time-ssl-z.txt")"
printf '%-34s %8.2f %8.2f %11.1fx %10s\n' "parse, unzipped (vs report.xml)" "$T_F" "$C_F" "$(ratio "$T_F" "$T_SSL")" "$(peak_mb "$WORK/time-folder.txt")"
printf '%-34s %8.2f %8.2f %11.1fx %10s\n' "parse, .ufdr (vs .ufdr)" "$T_Z" "$C_Z" "$(ratio "$T_Z" "$T_SSL_Z")" "$(peak_mb "$WORK/time-zip.txt")"
printf '%-34s %8.2f %8.2f %11.1fx %10s\n' "remit inspect .ufdr (+SHA-256)" "$T_I" "$C_I" "$(ratio "$T_I" "$T_SSL_Z")" "$(peak_mb "$WORK/time-inspect.txt")"
printf 'cpu ratios: parse unzipped %.1fx, parse .ufdr %.1fx, inspect %.1fx (cpu seconds / openssl cpu seconds)\n' \
  "$(ratio "$C_F" "$C_SSL")" "$(ratio "$C_Z" "$C_SSL_Z")" "$(ratio "$C_I" "$C_SSL_Z")"
printf 'parse throughput: %.0f MB/s unzipped, %.0f MB/s .ufdr (wall)\n' "$(echo "$SIZE / $T_F / 1000000" | bc -l)" \
  "$(echo "$SIZE / $T_Z / 1000000" | bc -l)"
