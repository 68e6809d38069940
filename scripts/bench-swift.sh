#!/usr/bin/env bash
# Swift binding overhead (called by scripts/bench.sh): builds the release library and the Swift
# benchmark executable (swift/Sources/CpaasResellerBench), runs it. Prints two JSON lines on
# stdout: swift_binding_overhead (an async call failing validation) and swift_sync_call_overhead
# (a synchronous call, the bare crossing), both in microseconds per call.
set -euo pipefail
cd "$(dirname "$0")/.."
export CPAAS_PROFILE=release
bash scripts/build-uniffi.sh >&2
bash scripts/prepare-swift.sh >&2
lib_dir="$(cd "${CARGO_TARGET_DIR:-target}" && pwd -P)/release"
export CPAAS_RESELLER_LIB_DIR="$lib_dir" LD_LIBRARY_PATH="$lib_dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
# Three fresh processes: the host's speed differs from one to the next (bench/report.py keeps the best).
bash scripts/swift.sh build -c release --package-path swift --product CpaasResellerBench >&2
for _ in 1 2 3; do
    bash scripts/swift.sh run -c release --skip-build --package-path swift CpaasResellerBench | grep -ao '{.*}'
done
