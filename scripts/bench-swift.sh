#!/usr/bin/env bash
# Swift benchmarks (called by scripts/bench.sh): builds the release library and the Swift benchmark
# executables (swift/Sources/CpaasResellerBench, CpaasResellerThroughput) and runs them. Prints JSON
# lines on stdout:
# - swift_binding_overhead (an async call failing validation) and swift_sync_call_overhead (a
#   synchronous call, the bare crossing), in microseconds per call;
# - with the benchmark emulator of scripts/bench.sh in CPAAS_BENCH_BASE_URL: throughput at
#   concurrency 64, the SDK (swift_sdk_get_account) and URLSession + JSONDecoder
#   (swift_urlsession_jsondecoder_get_account) in alternating rounds.
# CPAAS_BENCH_PROCESSES sets the number of fresh processes for each (3).
set -euo pipefail
cd "$(dirname "$0")/.."
export CPAAS_PROFILE=release
bash scripts/build-uniffi.sh >&2
bash scripts/prepare-swift.sh >&2
lib_dir="$(cd "${CARGO_TARGET_DIR:-target}" && pwd -P)/release"
export CPAAS_RESELLER_LIB_DIR="$lib_dir" LD_LIBRARY_PATH="$lib_dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
bash scripts/swift.sh build -c release --package-path swift --product CpaasResellerBench >&2
bash scripts/swift.sh build -c release --package-path swift --product CpaasResellerThroughput >&2
# Fresh processes: the host's speed differs from one to the next (bench/report.py keeps the best).
for _ in $(seq "${CPAAS_BENCH_PROCESSES:-3}"); do
    bash scripts/swift.sh run -c release --skip-build --package-path swift CpaasResellerBench | grep -ao '{.*}'
    if [ -n "${CPAAS_BENCH_BASE_URL:-}" ]; then
        bash scripts/swift.sh run -c release --skip-build --package-path swift CpaasResellerThroughput | grep -ao '{.*}'
    fi
done
