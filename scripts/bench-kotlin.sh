#!/usr/bin/env bash
# Kotlin benchmarks (called by scripts/bench.sh): builds the release library, compiles the
# benchmark source set (kotlin/src/bench) and runs it. Prints JSON lines on stdout:
# - kotlin_binding_overhead (a suspend call failing validation) and kotlin_sync_call_overhead (a
#   synchronous call, the bare JNA crossing), in microseconds per call;
# - with the benchmark emulator of scripts/bench.sh in CPAAS_BENCH_BASE_URL: throughput at
#   concurrency 64, the SDK (kotlin_sdk_get_account) and java.net.http + Jackson
#   (kotlin_jdk_jackson_get_account) in alternating rounds, then the SDK at concurrency 1.
# CPAAS_BENCH_JVMS sets the number of fresh JVMs for each (3).
set -euo pipefail
cd "$(dirname "$0")/.."
CPAAS_PROFILE=release bash scripts/build-uniffi.sh >&2
bash scripts/mvn.sh -q -Pbench -DskipTests test-compile >&2
# Fresh JVMs: the host's speed differs from one to the next (bench/report.py keeps the best).
jvms=${CPAAS_BENCH_JVMS:-3}
for _ in $(seq "$jvms"); do
    bash scripts/mvn.sh -q -Pbench exec:java | grep -ao '{.*}'
    if [ -n "${CPAAS_BENCH_BASE_URL:-}" ]; then
        bash scripts/mvn.sh -q -Pbench exec:java -Dbench.main=com.cpaas.reseller.ThroughputKt | grep -ao '{.*}'
    fi
done
