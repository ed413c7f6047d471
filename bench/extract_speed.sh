#!/usr/bin/env bash
# `remit extract` against the physical limit (issue 8, docs/performance.md).
#
# Workload: a synthetic Android tar of at least 5 GB, most of it media, with
# a proportionate scope (messages and calls with one number over five days).
#   - With the generator built: `remit synth android --size 5G` and the scope
#     it writes beside the tar (PATH.scope.toml).
#   - Until then: SQL-built mmssms.db (20,000 messages over two years, 300
#     with the suspect in the window) and calllog.db (3,000 calls), plus
#     JPEG-framed random media files (1.5-3.5 MB each) under DCIM, with
#     examples/scopes/proportionate.toml.
# Measure: wall time of `remit extract` divided by wall time of
# `openssl dgst -sha256` on the same tar, run alternately in one session
# (ROUNDS rounds each, default 3); the median ratio is reported, with the
# peak resident memory of remit (/usr/bin/time -v). Targets: median ratio
# <= 1.25, peak RSS <= 512 MB. Exits 1 when a target is missed.
# The multi-GB files are deleted at the end (disk is limited).
set -euo pipefail
: "${REMIT:=build/remit}" "${WORK:=build/bench-work}"
rounds=${ROUNDS:-3}
size_bytes=${EXTRACT_BENCH_BYTES:-5400000000}
dir="$WORK/extract_speed"
rm -rf "$dir"
mkdir -p "$dir"
trap 'rm -rf "$dir"' EXIT

tar_path="$dir/android.tar"
scope="$dir/scope.toml"
if "$REMIT" synth --help 2>/dev/null | grep -qE "^ +android"; then
  echo "workload: remit synth android --size 5G"
  "$REMIT" synth android --out "$tar_path" --seed 8 --size 5G >/dev/null
  cp "$tar_path.scope.toml" "$scope"
else
  echo "workload: SQL-built databases + JPEG-framed media (generator not built)"
  root="$dir/x"
  db="$root/data/data/com.android.providers.telephony/databases"
  cdb="$root/data/data/com.android.providers.contacts/databases"
  dcim="$root/sdcard/DCIM/Camera"
  mkdir -p "$db" "$cdb" "$dcim"
  # 2024-03-17 .. 2026-03-17 in ms; the suspect's 300 messages fall in 13-17 March 2026.
  sqlite3 "$db/mmssms.db" <<'SQL'
CREATE TABLE sms (_id INTEGER PRIMARY KEY, thread_id INTEGER, address TEXT, person INTEGER, date INTEGER,
  date_sent INTEGER DEFAULT 0, protocol INTEGER, read INTEGER DEFAULT 0, status INTEGER DEFAULT -1, type INTEGER,
  reply_path_present INTEGER, subject TEXT, body TEXT, service_center TEXT, locked INTEGER DEFAULT 0,
  error_code INTEGER DEFAULT 0, seen INTEGER DEFAULT 0);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 19700)
INSERT INTO sms (_id, thread_id, address, date, read, type, body)
  SELECT i, i % 97, printf('07700 9%05d', 200 + i % 97), 1710633600000 + (i * 3203417) % 63072000000, 1,
         1 + i % 2, printf('OUT-OF-SCOPE-CANARY message %d about nothing in particular', i) FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300)
INSERT INTO sms (_id, thread_id, address, date, read, type, body)
  SELECT 100000 + i, 1, '07700 900123', 1773360000000 + i * 1400000, 1, 1 + i % 2,
         printf('message %d with the suspect', i) FROM n;
SQL
  sqlite3 "$cdb/calllog.db" <<'SQL'
CREATE TABLE calls (_id INTEGER PRIMARY KEY AUTOINCREMENT, number TEXT, date INTEGER, duration INTEGER,
  type INTEGER, name TEXT, countryiso TEXT, geocoded_location TEXT, features INTEGER NOT NULL DEFAULT 0);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
INSERT INTO calls (_id, number, date, duration, type, countryiso)
  SELECT i, CASE WHEN i % 100 = 0 THEN '07700900123' ELSE printf('07700 9%05d', 200 + i % 53) END,
         CASE WHEN i % 100 = 0 THEN 1773360000000 + i * 100000 ELSE 1710633600000 + (i * 21023417) % 63072000000 END,
         i % 600, 1 + i % 3, 'GB' FROM n;
SQL
  # Media: JPEG SOI/APP0 header, random body, EOI; sizes vary so few collide.
  total=0
  i=0
  while ((total < size_bytes)); do
    n=$((1500000 + (RANDOM * 32768 + RANDOM) % 2000000))
    f="$dcim/IMG_2025$(printf '%04d' $((i % 1200 + 101)))_$(printf '%06d' "$i").jpg"
    {
      printf '\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00'
      openssl enc -aes-128-ctr -nosalt -pass "pass:remit-bench-$i" -in /dev/zero 2>/dev/null | head -c "$n"
      printf '\xff\xd9'
    } >"$f"
    total=$((total + n + 22))
    i=$((i + 1))
  done
  echo "media: $i files"
  tar -C "$root" -cf "$tar_path" data sdcard
  rm -rf "$root"
  cp examples/scopes/proportionate.toml "$scope"
fi
bytes=$(stat -c %s "$tar_path")
echo "tar: $tar_path, $bytes bytes"
"$REMIT" keygen --out "$dir/key" >/dev/null

# Warm the page cache once so that both commands read from the same place.
cat "$tar_path" >/dev/null

ratios=()
rss_max=0
for r in $(seq 1 "$rounds"); do
  t0=$(date +%s.%N)
  openssl dgst -sha256 "$tar_path" >/dev/null
  t1=$(date +%s.%N)
  rm -rf "$dir/PKG"
  /usr/bin/time -v -o "$dir/time.txt" "$REMIT" extract "$tar_path" --scope "$scope" --out "$dir/PKG" \
    --key "$dir/key" --examiner "Bench" --json >"$dir/extract.json"
  t2=$(date +%s.%N)
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$dir/time.txt")
  ((rss > rss_max)) && rss_max=$rss
  dgst=$(awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}')
  ext=$(awk -v a="$t1" -v b="$t2" 'BEGIN {print b - a}')
  ratio=$(awk -v e="$ext" -v d="$dgst" 'BEGIN {print e / d}')
  ratios+=("$ratio")
  printf 'round %d: openssl dgst -sha256 %.2f s, remit extract %.2f s, ratio %.3f, peak RSS %d MB\n' \
    "$r" "$dgst" "$ext" "$ratio" $((rss / 1024))
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
