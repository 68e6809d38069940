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

# The manifest a release tag carries (scripts/swift-release-package.sh) must parse, with the
# binary target, its checksum and the linker settings as given. Building it needs Apple's SDK.
log "the release tag's Package.swift: swift package dump-package"
release_package=swift/.build/release-package
checksum="$(printf '%064d' 0)"
bash scripts/swift-release-package.sh --url https://example.invalid/v0/CpaasResellerFFI.xcframework.zip \
    --checksum "$checksum" --native-libs "-liconv -lSystem -framework Security" "$release_package"
bash scripts/swift.sh package dump-package --package-path "$release_package" >"$release_package.json"
python3 - "$release_package.json" "$checksum" <<'PY'
import json
import sys

manifest = json.load(open(sys.argv[1]))
targets = {target["name"]: target for target in manifest["targets"]}
binary, swift = targets["CpaasResellerFFI"], targets["CpaasReseller"]
assert binary["type"] == "binary", binary
assert binary["url"].endswith("/CpaasResellerFFI.xcframework.zip") and binary["checksum"] == sys.argv[2], binary
assert swift["type"] == "regular" and swift["path"] == "Sources/CpaasReseller", swift
assert [d["byName"][0] for d in swift["dependencies"]] == ["CpaasResellerFFI"], swift["dependencies"]
linked = [next(iter(s["kind"])) + ":" + next(iter(s["kind"].values()))["_0"] for s in swift["settings"]]
assert linked == ["linkedLibrary:iconv", "linkedLibrary:System", "linkedFramework:Security"], linked
print("test-swift: release Package.swift parses:", ", ".join(linked))
PY
