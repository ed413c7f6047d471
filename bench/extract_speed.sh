#!/usr/bin/env bash
# `remit extract` against the physical limit (issue 8, docs/performance.md).
#
# Workload: a synthetic Android tar of at least 5 GB, most of it media
# (`remit synth android --size 5G`: two years of a life, photos padded to
# the size), with its proportionate canonical scope (messages and calls with
# the suspect over five days), which the generator writes as PATH.scope.toml.
# Measure: wall time of `remit extract` divided by wall time of
# `openssl dgst -sha256` on the same tar, run alternately in one session
# (ROUNDS rounds each, default 3); the median ratio is reported, with the
# peak resident memory of remit (/usr/bin/time -v). Targets: median ratio
# <= 1.25, peak RSS <= 512 MB. Exits 1 when a target is missed.
# The multi-GB files are deleted at the end (disk is limited).
set -euo pipefail
: "${REMIT:=build/remit}" "${WORK:=build/bench-work}"
rounds=${ROUNDS:-3}
dir="$WORK/extract_speed"
rm -rf "$dir"
mkdir -p "$dir"
trap 'rm -rf "$dir"' EXIT

tar_path="$dir/android.tar"
scope="$dir/scope.toml"
echo "workload: remit synth android --size ${EXTRACT_BENCH_SIZE:-5G} --seed 8"
"$REMIT" synth android --out "$tar_path" --seed 8 --size "${EXTRACT_BENCH_SIZE:-5G}" >/dev/null
if [[ ! -f "$tar_path.scope.toml" ]]; then
  echo "extract_speed: remit synth android wrote no $tar_path.scope.toml" >&2
  exit 2
fi
cp "$tar_path.scope.toml" "$scope"
bytes=$(stat -c %s "$tar_path")
echo "tar: $tar_path, $bytes bytes"
"$REMIT" keygen --out "$dir/key" >/dev/null

# Warm the page cache once so that both commands read from the same place.
cat "$tar_path" >/dev/null

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
ratios=()
rss_max=0
for r in $(seq 1 "$rounds"); do
  t0=$(date +%s.%N)
  /usr/bin/time -f "%U %S" -o "$dir/otime.txt" openssl dgst -sha256 "$tar_path" >/dev/null
  t1=$(date +%s.%N)
  rm -rf "$dir/PKG"
  /usr/bin/time -v -o "$dir/time.txt" "$REMIT" extract "$tar_path" --scope "$scope" --out "$dir/PKG" \
    --key "$dir/key" --examiner "Bench" --json >"$dir/extract.json"
  t2=$(date +%s.%N)
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$dir/time.txt")
  ocpu=$(awk '{print $1 + $2}' "$dir/otime.txt")
  rcpu=$(awk -F': ' '/User time/ {u = $2} /System time/ {s = $2} END {print u + s}' "$dir/time.txt")
  ((rss > rss_max)) && rss_max=$rss
  dgst=$(awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}')
  ext=$(awk -v a="$t1" -v b="$t2" 'BEGIN {print b - a}')
  ratio=$(awk -v e="$ext" -v d="$dgst" 'BEGIN {print e / d}')
  ratios+=("$ratio")
  printf 'round %d: openssl dgst -sha256 %.2f s (CPU %.2f s), remit extract %.2f s (CPU %.2f s), ratio %.3f, peak RSS %d MB\n' \
    "$r" "$dgst" "$ocpu" "$ext" "$rcpu" "$ratio" $((rss / 1024))
done
"$REMIT" verify "$dir/PKG" --quiet >/dev/null
in_scope=$(grep -o '"items_in_scope": [0-9]*' "$dir/extract.json" | grep -o '[0-9]*$')
read_items=$(grep -o '"items_read": [0-9]*' "$dir/extract.json" | grep -o '[0-9]*$')
median=$(printf '%s\n' "${ratios[@]}" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}')
printf 'extract_speed: %d bytes, %s of %s items in scope; median ratio %.3f (target <= 1.25), peak RSS %d MB (target <= 512)\n' \
  "$bytes" "$in_scope" "$read_items" "$median" $((rss_max / 1024))
ok=1
awk -v m="$median" 'BEGIN {exit !(m <= 1.25)}' || ok=0
((rss_max / 1024 <= 512)) || ok=0
if ((ok)); then echo "extract_speed: targets met"; else echo "extract_speed: TARGET MISSED"; exit 1; fi
