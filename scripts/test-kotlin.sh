#!/usr/bin/env bash
# Builds the native library, generates the Kotlin bindings and runs the Kotlin tests
# (kotlin.test + JUnit 5 under Maven Surefire) and the Java tests of the Java facade against the
# emulator the library embeds.
# Maven fetches its plugins and dependencies from Maven Central on the first run.
# Run from the repository root.
set -euo pipefail

cd "$(dirname "$0")/.."
log() { printf 'test-kotlin: %s\n' "$*" >&2; }

command -v mvn >/dev/null 2>&1 || { log "mvn (Apache Maven) is required"; exit 2; }
command -v java >/dev/null 2>&1 || { log "a JDK (17 or newer) is required"; exit 2; }

bash scripts/build-uniffi.sh

# -Pbench also compiles the benchmarks (src/bench: scripts/bench-kotlin.sh runs them), so CI
# catches a harness that no longer builds.
log "mvn test (kotlin/: the Kotlin and the Java tests; the benchmarks compile)"
bash scripts/mvn.sh -Pbench test
