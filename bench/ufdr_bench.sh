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

seconds() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null; t1=$(date +%s.%N); echo "$t1 - $t0" | bc -l; }
peak_mb() { awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2/1024}' "$1"; }
wall_s() { awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; printf "%.2f", s}' "$1"; }

echo "== generating a UFDR with >= $GB GB of report.xml in $WORK"
"$BIN" generate "$WORK/ufdr" "$GB"
XML="$WORK/ufdr/report.xml"
SIZE=$(stat -c %s "$XML")
sync
# Warm the page cache the same way for every measurement.
cat "$XML" "$WORK/ufdr.ufdr" > /dev/null

echo "== openssl dgst -sha256 on report.xml and on the .ufdr (baseline)"
T_SSL=$(seconds openssl dgst -sha256 "$XML")
T_SSL_Z=$(seconds openssl dgst -sha256 "$WORK/ufdr.ufdr")
echo "openssl report.xml: ${T_SSL} s; openssl .ufdr: ${T_SSL_Z} s"

echo "== parse: unzipped UFDR (folder), no container hash"
/usr/bin/time -v "$BIN" parse "$WORK/ufdr" 2> "$WORK/time-folder.txt"
echo "== parse: stored .ufdr zip, no container hash"
/usr/bin/time -v "$BIN" parse "$WORK/ufdr.ufdr" 2> "$WORK/time-zip.txt"
echo "== remit inspect on the .ufdr (container SHA-256 pass alongside the parse)"
/usr/bin/time -v "$REMIT" inspect "$WORK/ufdr.ufdr" --json > "$WORK/inspect.json" 2> "$WORK/time-inspect.txt" || true

T_F=$(wall_s "$WORK/time-folder.txt"); T_Z=$(wall_s "$WORK/time-zip.txt"); T_I=$(wall_s "$WORK/time-inspect.txt")
echo
echo "report.xml size:                  $SIZE bytes"
printf 'openssl dgst -sha256 report.xml: %.2f s (%.0f MB/s)\n' "$T_SSL" "$(echo "$SIZE / $T_SSL / 1000000" | bc -l)"
printf 'parse (folder):                  %.2f s = %.1fx openssl, %.0f MB/s, peak %s MB\n' "$T_F" \
  "$(echo "$T_F / $T_SSL" | bc -l)" "$(echo "$SIZE / $T_F / 1000000" | bc -l)" "$(peak_mb "$WORK/time-folder.txt")"
printf 'parse (.ufdr zip):               %.2f s = %.1fx openssl, %.0f MB/s, peak %s MB\n' "$T_Z" \
  "$(echo "$T_Z / $T_SSL_Z" | bc -l)" "$(echo "$SIZE / $T_Z / 1000000" | bc -l)" "$(peak_mb "$WORK/time-zip.txt")"
printf 'remit inspect (.ufdr, +SHA-256): %.2f s = %.1fx openssl, peak %s MB\n' "$T_I" \
  "$(echo "$T_I / $T_SSL_Z" | bc -l)" "$(peak_mb "$WORK/time-inspect.txt")"
