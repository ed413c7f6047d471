#!/usr/bin/env bash
# android.whatsapp parse rate on a synthetic 1,000,000-message msgstore.db
# (built inside the benchmark with SQLite; removed afterwards).
# Issue 4 target: >= 500,000 items/s on one core, rows to items.
set -euo pipefail
"$BUILD/bench/android_whatsapp_bench" --messages="${REMIT_BENCH_WA_MESSAGES:-1000000}"
