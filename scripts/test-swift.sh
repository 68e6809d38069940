#!/usr/bin/env bash
# Builds the native library and its bindings (scripts/build-uniffi.sh), copies the generated Swift,
# C header and module map into the SwiftPM package in swift/ (scripts/prepare-swift.sh), and runs
# its tests (`swift test`) against the emulator the library embeds. Swift comes from PATH, or from the Debian 13 root that
# scripts/swift.sh provisions once (needs root then). Extra arguments go to `swift test`
# (e.g. --filter VectorsTests). Run from the repository root; idempotent.
set -euo pipefail

cd "$(dirname "$0")/.."
log() { printf 'test-swift: %s\n' "$*" >&2; }

export CPAAS_PROFILE="${CPAAS_PROFILE:-debug}"
bash scripts/build-uniffi.sh
bash scripts/prepare-swift.sh

target_dir="$(cd "${CARGO_TARGET_DIR:-target}" && pwd -P)"
lib_dir="$target_dir/$CPAAS_PROFILE"

# The package links -L $CPAAS_RESELLER_LIB_DIR; the test binary finds the library through its rpath
# and LD_LIBRARY_PATH. A root run from swift.sh sees the same absolute paths (the repository is
# bind-mounted); a target dir outside the repository is mounted too.
export CPAAS_RESELLER_LIB_DIR="$lib_dir"
export LD_LIBRARY_PATH="$lib_dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
repo="$(pwd -P)"
if [[ $target_dir != "$repo" && $target_dir != "$repo"/* ]]; then
    export CPAAS_SWIFT_EXTRA_MOUNTS="${CPAAS_SWIFT_EXTRA_MOUNTS:+$CPAAS_SWIFT_EXTRA_MOUNTS }$target_dir"
fi

log "swift test --package-path swift (library from $lib_dir)"
bash scripts/swift.sh test --package-path swift "$@"
