#!/usr/bin/env bash
# Benchmark: `remit synth PLATFORM --size SIZE` streams its output with flat
# memory. Measures wall time, throughput and peak resident memory with
# /usr/bin/time -v, fails when the peak exceeds the limit (300 MB, issue 3),
# and deletes the output afterwards (disk is limited).
#
# Usage: bench/lib/synth_size.sh PLATFORM [BUILD_DIR] [SIZE] [FORMAT] [WORK_DIR]
#   PLATFORM   android or ios (bench/synth_android.sh and bench/synth_ios.sh pass it)
#   BUILD_DIR  folder holding the remit binary (default: build)
#   SIZE       target size of the extraction (default: 10G)
#   FORMAT     dir, tar, tar.gz or zip (default: tar)
#   WORK_DIR   where to write (default: a new folder under ${TMPDIR:-/tmp})
# Environment: SYNTH_BENCH_MAX_RSS_MB (default 300), SYNTH_BENCH_KEEP=1 keeps the output.
set -euo pipefail

platform=${1:?usage: synth_size.sh android|ios [BUILD_DIR] [SIZE] [FORMAT] [WORK_DIR]}
shift
build=${1:-build}
size=${2:-10G}
format=${3:-tar}
work=${4:-}
limit_mb=${SYNTH_BENCH_MAX_RSS_MB:-300}

remit="$build/remit"
[[ -x "$remit" ]] || { echo "synth_$platform.sh: $remit not found (build first)" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "synth_$platform.sh: /usr/bin/time is needed (Debian package 'time')" >&2; exit 2; }
if [[ -z "$work" ]]; then
  work=$(mktemp -d "${TMPDIR:-/tmp}/remit-synth-bench.XXXXXX")
  own_work=1
else
  mkdir -p "$work"
  own_work=0
fi
suffix=$format; [[ "$format" == dir ]] && suffix=d
out="$work/synth-bench.$suffix"

cleanup() {
  if [[ "${SYNTH_BENCH_KEEP:-0}" != 1 ]]; then
    rm -rf "$out" "$out.truth.jsonl" "$out.story.json"
    if [[ $own_work == 1 ]]; then rm -rf "$work"; fi
  fi
  return 0
}
trap cleanup EXIT

echo "synth_$platform: remit synth $platform --size $size --format $format -> $out" >&2
/usr/bin/time -v -o "$work/time.txt" "$remit" synth "$platform" --seed 1 --out "$out" --format "$format" \
  --size "$size" --json > "$work/summary.json"

peak_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
elapsed=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/time.txt")
user=$(awk -F': ' '/User time/ {print $2}' "$work/time.txt")
sys=$(awk -F': ' '/System time/ {print $2}' "$work/time.txt")
read -r bytes seconds mbps items < <(python3 -c '
import json,sys
s=json.load(open(sys.argv[1]))
print(s["content_bytes"], round(s["seconds"],2), round(s["throughput_mb_per_s"],1), s["items"])' "$work/summary.json")
peak_mb=$((peak_kb / 1024))
echo "synth_$platform: size=$size format=$format content_bytes=$bytes items=$items"
echo "synth_$platform: wall=$elapsed (generator ${seconds}s) user=${user}s sys=${sys}s throughput=${mbps} MB/s"
echo "synth_$platform: peak_rss=${peak_mb} MB (limit ${limit_mb} MB)"
if (( peak_mb > limit_mb )); then
  echo "synth_$platform: FAIL: peak resident memory ${peak_mb} MB exceeds ${limit_mb} MB" >&2
  exit 1
fi
exit 0
