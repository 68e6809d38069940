#!/usr/bin/env bash
# Builds the uniffi facade (bindings/uniffi) and generates its Kotlin and Swift bindings in
# library mode with the workspace's own uniffi-bindgen (bindings/uniffi-bindgen).
#
# Outputs (build outputs, never committed), under $CARGO_TARGET_DIR (default target/):
#   uniffi/kotlin/com/cpaas/reseller/cpaas_reseller.kt     generated Kotlin (Maven compiles it)
#   uniffi/kotlin/com/cpaas/reseller/JavaClient.kt         the Java facade (scripts/gen-java-facade.py)
#   uniffi/jna/<os-arch>/libcpaas_reseller_uniffi.{so,dylib} the library in JNA's resource layout
#   uniffi/swift/CpaasReseller.swift, CpaasResellerFFI.h, CpaasResellerFFI.modulemap
#
# Environment: CPAAS_PROFILE=release builds optimised (default: debug); CPAAS_KOTLIN_SPEED_PATCHES=0
# skips scripts/patch-kotlin.py.
# Run from the repository root.
set -euo pipefail

cd "$(dirname "$0")/.."
log() { printf 'build-uniffi: %s\n' "$*" >&2; }

profile="${CPAAS_PROFILE:-debug}"
target_dir="${CARGO_TARGET_DIR:-target}"
out="$target_dir/uniffi"
cargo_flags=()
if [[ "$profile" == release ]]; then
    cargo_flags+=(--release)
elif [[ "$profile" != debug ]]; then
    log "CPAAS_PROFILE must be debug or release, got $profile"
    exit 2
fi
kotlin_patches="${CPAAS_KOTLIN_SPEED_PATCHES:-1}"
if [[ "$kotlin_patches" != 0 && "$kotlin_patches" != 1 ]]; then
    log "CPAAS_KOTLIN_SPEED_PATCHES must be 0 or 1, got $kotlin_patches"
    exit 2
fi

case "$(uname -s)" in
    Linux) lib_ext=so; jna_os=linux ;;
    Darwin) lib_ext=dylib; jna_os=darwin ;;
    *) log "unsupported OS $(uname -s) (add its JNA resource folder here)"; exit 2 ;;
esac
case "$(uname -m)" in
    x86_64 | amd64) jna_arch=x86-64 ;;
    aarch64 | arm64) jna_arch=aarch64 ;;
    *) log "unsupported architecture $(uname -m)"; exit 2 ;;
esac
library="$target_dir/$profile/libcpaas_reseller_uniffi.$lib_ext"

# Two invocations, so the library is built with its own features only (not unified with the
# bindgen's uniffi/cli), exactly as `cargo build -p cpaas-reseller-uniffi` builds it.
log "cargo build -p cpaas-reseller-uniffi (${profile})"
cargo build "${cargo_flags[@]}" -p cpaas-reseller-uniffi
log "cargo build -p cpaas-reseller-uniffi-bindgen (${profile})"
cargo build "${cargo_flags[@]}" -p cpaas-reseller-uniffi-bindgen

bindgen="$target_dir/$profile/uniffi-bindgen"
rm -rf "$out/kotlin" "$out/swift" "$out/jna"
mkdir -p "$out/kotlin" "$out/swift" "$out/jna/$jna_os-$jna_arch"
for language in kotlin swift; do
    log "generate $language bindings from $library into $out/$language"
    "$bindgen" generate --library "$library" --language "$language" --out-dir "$out/$language" --no-format
done

# Per-thread call statuses instead of two JNA Structures per crossing (scripts/patch-kotlin.py;
# figures in bench/NOTES.md). CPAAS_KOTLIN_SPEED_PATCHES=0 leaves the template's code as it is.
if [[ "$kotlin_patches" == 1 ]]; then
    python3 scripts/patch-kotlin.py "$out/kotlin/com/cpaas/reseller/cpaas_reseller.kt"
else
    log "CPAAS_KOTLIN_SPEED_PATCHES=0: the generated Kotlin is left unpatched"
fi

# The Java facade (JavaClient: blocking and CompletableFuture methods) from the generated Kotlin.
python3 scripts/gen-java-facade.py "$out/kotlin/com/cpaas/reseller/cpaas_reseller.kt" \
    "$out/kotlin/com/cpaas/reseller/JavaClient.kt"

# The copy in the JNA folder is what the jar carries; debug info is dropped to keep it small
# (the bindings were generated from the unstripped original).
jna_library="$out/jna/$jna_os-$jna_arch/libcpaas_reseller_uniffi.$lib_ext"
cp "$library" "$jna_library"
if [[ "$lib_ext" == so ]] && command -v strip >/dev/null 2>&1; then
    strip --strip-debug "$jna_library"
fi
log "native library for the jar: $jna_library ($(du -h "$jna_library" | cut -f1))"
