#!/usr/bin/env bash
# Benchmark: `remit synth android --size SIZE` with flat memory (bench/lib/synth_size.sh).
# Usage: bench/synth_android.sh [BUILD_DIR] [SIZE] [FORMAT] [WORK_DIR]
exec bash "$(dirname "$0")/lib/synth_size.sh" android "$@"
