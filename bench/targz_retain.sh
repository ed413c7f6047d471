#!/usr/bin/env bash
# Compressed tar: keep databases while indexing (A) vs decompress twice (B).
set -euo pipefail
dir="$WORK/targz"
rm -rf "$dir" && mkdir -p "$dir/x/sdcard/DCIM/Camera" "$dir/x/data/data/com.android.providers.telephony/databases"
for i in $(seq 1 40); do head -c 20000000 /dev/urandom > "$dir/x/sdcard/DCIM/Camera/IMG_$i.jpg"; done
sqlite3 "$dir/x/data/data/com.android.providers.telephony/databases/mmssms.db" < examples/demo/mmssms.sql
tar -C "$dir/x" -cf - sdcard data | gzip -1 > "$dir/e.tar.gz"
"$BUILD/bench/targz_retain_bench" "$dir/e.tar.gz"
rm -rf "$dir"
