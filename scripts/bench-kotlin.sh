#!/usr/bin/env bash
# Kotlin binding overhead (called by scripts/bench.sh): builds the release library, compiles the
# benchmark source set (kotlin/src/bench) and runs it. Prints two JSON lines on stdout:
# kotlin_binding_overhead (a suspend call failing validation) and kotlin_sync_call_overhead
# (a synchronous call, the bare JNA crossing), both in microseconds per call.
set -euo pipefail
cd "$(dirname "$0")/.."
CPAAS_PROFILE=release bash scripts/build-uniffi.sh >&2
bash scripts/mvn.sh -q -Pbench -DskipTests test-compile >&2
# Three fresh JVMs: the host's speed differs from one to the next (bench/report.py keeps the best).
for _ in 1 2 3; do
    bash scripts/mvn.sh -q -Pbench exec:java | grep -ao '{.*}'
done
