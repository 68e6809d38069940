#!/usr/bin/env bash
# Apple release artifact (macOS with Xcode only; the release workflow runs it on a macOS runner):
# the static library for iOS, the iOS simulator and macOS (both architectures, lipo) with the
# generated C header and module map, as dist/apple/CpaasResellerFFI.xcframework.zip, plus its
# SwiftPM checksum (dist/apple/CpaasResellerFFI.xcframework.zip.checksum) for a binaryTarget, and the
# system libraries the static library needs (build/apple/native-static-libs.txt, rustc's
# native-static-libs) for the linker settings of the release's Package.swift
# (scripts/swift-release-package.sh).
# The steps are the README's ("iOS and macOS: the xcframework"). Extra cargo flags go through
# CPAAS_APPLE_CARGO_FLAGS (e.g. --no-default-features to leave out the emulator).
# Not runnable on Linux: no Apple SDK can be had there (DISTRIBUTION.md).
set -euo pipefail

cd "$(dirname "$0")/.."
log() { printf 'apple-xcframework: %s\n' "$*" >&2; }

[[ "$(uname -s)" == Darwin ]] || { log "needs macOS with Xcode (xcodebuild, lipo)"; exit 2; }
read -r -a cargo_flags <<<"${CPAAS_APPLE_CARGO_FLAGS:-}"
targets=(aarch64-apple-ios aarch64-apple-ios-sim aarch64-apple-darwin x86_64-apple-darwin)
target_dir="${CARGO_TARGET_DIR:-target}"
build=build/apple
out=dist/apple

rustup target add "${targets[@]}"
# The static library and the dylib (the header's source below) without the declared rlib: with it,
# cargo would not pass the release profile's fat LTO (DISTRIBUTION.md, "Apple frameworks").
for target in "${targets[@]}"; do
    log "cargo rustc --release -p cpaas-reseller-uniffi --target $target --crate-type staticlib,cdylib"
    cargo rustc --locked --release -p cpaas-reseller-uniffi --lib --target "$target" --crate-type staticlib,cdylib \
        ${cargo_flags[@]+"${cargo_flags[@]}"}
done

# The header and module map from a library built with the same features (every target's
# metadata is the same); prepare-swift.sh copies the Swift sources into the package.
cargo build --locked --release -p cpaas-reseller-uniffi-bindgen
"$target_dir/release/uniffi-bindgen" generate \
    --library "$target_dir/aarch64-apple-darwin/release/libcpaas_reseller_uniffi.dylib" \
    --language swift --out-dir "$target_dir/uniffi/swift" --no-format
bash scripts/prepare-swift.sh

rm -rf "$build" && mkdir -p "$build/macos" "$build/headers" "$out"
lipo -create "$target_dir/aarch64-apple-darwin/release/libcpaas_reseller_uniffi.a" \
    "$target_dir/x86_64-apple-darwin/release/libcpaas_reseller_uniffi.a" \
    -output "$build/macos/libcpaas_reseller_uniffi.a"
cp "$target_dir/uniffi/swift/CpaasResellerFFI.h" "$build/headers/"
cp "$target_dir/uniffi/swift/CpaasResellerFFI.modulemap" "$build/headers/module.modulemap"
xcodebuild -create-xcframework \
    -library "$target_dir/aarch64-apple-ios/release/libcpaas_reseller_uniffi.a" -headers "$build/headers" \
    -library "$target_dir/aarch64-apple-ios-sim/release/libcpaas_reseller_uniffi.a" -headers "$build/headers" \
    -library "$build/macos/libcpaas_reseller_uniffi.a" -headers "$build/headers" \
    -output "$build/CpaasResellerFFI.xcframework"
(cd "$build" && zip -qry ../../"$out"/CpaasResellerFFI.xcframework.zip CpaasResellerFFI.xcframework)
swift package compute-checksum "$out/CpaasResellerFFI.xcframework.zip" >"$out/CpaasResellerFFI.xcframework.zip.checksum"
# What an app linking the static library must link too (the same on every Apple target).
cargo rustc --locked --release -p cpaas-reseller-uniffi --target aarch64-apple-ios --crate-type staticlib \
    ${cargo_flags[@]+"${cargo_flags[@]}"} -- --print native-static-libs 2>&1 \
    | sed -n 's/.*native-static-libs: //p' | tail -n 1 >"$build/native-static-libs.txt"
[[ -s $build/native-static-libs.txt ]] || { log "rustc printed no native-static-libs"; exit 1; }
log "$out/CpaasResellerFFI.xcframework.zip (checksum $(cat "$out/CpaasResellerFFI.xcframework.zip.checksum"))"
