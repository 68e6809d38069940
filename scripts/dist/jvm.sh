#!/usr/bin/env bash
# The JVM jar into dist/jvm/: one jar carrying the uniffi library (bindings/uniffi, cdylib) for
# linux-x86-64, linux-aarch64, darwin-x86-64, darwin-aarch64 and win32-x86-64 under JNA's resource
# prefixes, so JNA loads the right one on each. All five are cross-built here (cargo-zigbuild: zig
# links Linux against glibc 2.17 and macOS; mingw-w64 links Windows); the jar is kotlin/pom.xml's
# ordinary `mvn package` with `uniffi.dir` pointing at a staging directory that holds the generated
# Kotlin and the five libraries (the layout scripts/build-uniffi.sh writes for the host alone), so
# the Kotlin tests run against the linux-x86-64 library inside it. Then checked: the jar holds
# exactly the five libraries, and check_binaries.py inspects the macOS and Windows ones (format,
# architecture, loaded libraries and DLLs, the uniffi entry points). scripts/dist/verify-jvm.sh
# runs the jar in an arm64 JVM under qemu-user.
#
# Cargo decides what is up to date, so a rerun with unchanged sources only repackages.
#
# Environment:
#   CPAAS_DIST_JVM_PLATFORMS  space-separated subset of the JNA prefixes below to build (unset:
#                             all; empty: none); the others are taken as an earlier run staged
#                             them in dist/jvm/.natives, so slow builds can be split across runs
#                             or target directories. The jar is made once all five are staged.
set -euo pipefail
DIST_FAMILY=jvm
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$DIST_REPO_ROOT"

# cargo target (zig's glibc suffix included) | builder, run as `<builder> rustc` (cargo-zigbuild's own
# binary: `cargo zigbuild rustc` is no subcommand) | environment | JNA resource prefix | file
readonly NATIVES=(
    # glibc 2.17 (CentOS 7 and anything newer), as the manylinux2014 wheels.
    "x86_64-unknown-linux-gnu.2.17|cargo-zigbuild||linux-x86-64|libcpaas_reseller_uniffi.so"
    "aarch64-unknown-linux-gnu.2.17|cargo-zigbuild||linux-aarch64|libcpaas_reseller_uniffi.so"
    # Rust's own minimums for these targets (check_binaries.py holds the libraries to them).
    "x86_64-apple-darwin|cargo-zigbuild|MACOSX_DEPLOYMENT_TARGET=10.12|darwin-x86-64|libcpaas_reseller_uniffi.dylib"
    "aarch64-apple-darwin|cargo-zigbuild|MACOSX_DEPLOYMENT_TARGET=11.0|darwin-aarch64|libcpaas_reseller_uniffi.dylib"
    # mingw-w64's gcc is rustc's default linker for this target.
    "x86_64-pc-windows-gnu|cargo||win32-x86-64|cpaas_reseller_uniffi.dll"
)
readonly PACKAGE=cpaas-reseller-uniffi
# Every uniffi library exports this; its absence means the link dropped the bindings' entry points.
readonly ENTRY_POINT=ffi_cpaas_reseller_uniffi_uniffi_contract_version

command -v mvn >/dev/null 2>&1 || dist_die "mvn (Apache Maven) is required"
command -v java >/dev/null 2>&1 || dist_die "a JDK (17 or newer) is required"

OUT="$DIST_REPO_ROOT/dist/jvm"
TARGET_DIR="${CARGO_TARGET_DIR:-$DIST_REPO_ROOT/target}"
mkdir -p "$OUT"

selected=()
for spec in "${NATIVES[@]}"; do IFS='|' read -r _ _ _ prefix _ <<<"$spec"; selected+=("$prefix"); done
if [[ -n ${CPAAS_DIST_JVM_PLATFORMS+set} ]]; then read -r -a selected <<<"$CPAAS_DIST_JVM_PLATFORMS"; fi
for p in "${selected[@]}"; do
    printf '%s\n' "${NATIVES[@]}" | cut -d'|' -f4 | grep -qx -- "$p" || dist_die "unknown JNA platform $p"
done

dist_step "tools: rustup targets, zig, cargo-zigbuild, mingw-w64"
triples=()
for spec in "${NATIVES[@]}"; do
    IFS='|' read -r target _ _ prefix _ <<<"$spec"
    [[ " ${selected[*]} " != *" $prefix "* ]] || triples+=("${target%.2.17}")
done
dist_rust_targets "${triples[@]}"
if [[ " ${selected[*]} " == *" win32-x86-64 "* ]]; then dist_apt_install gcc-mingw-w64-x86-64; fi
dist_tools

# The libraries in JNA's layout, kept between runs; the Kotlin bindings are regenerated every run.
NATIVES_DIR="$OUT/.natives"
stage="$TARGET_DIR/dist-jvm"
rm -rf -- "$stage"
mkdir -p "$stage/kotlin" "$NATIVES_DIR"
for spec in "${NATIVES[@]}"; do
    IFS='|' read -r target builder env prefix file <<<"$spec"
    [[ " ${selected[*]} " == *" $prefix "* ]] || continue
    dist_step "jvm $prefix: $builder rustc --release --target $target --crate-type cdylib"
    start=$SECONDS
    # The library alone as a cdylib: with its declared rlib and staticlib too, cargo would not
    # pass the release profile's fat LTO, and the link would keep every object it pulls in whole
    # (on macOS, 376 framework imports instead of the 21 used; DISTRIBUTION.md, "Apple frameworks").
    env ${env:+"$env"} "$builder" rustc --release --locked -p "$PACKAGE" --lib --target "$target" --crate-type cdylib
    library="$TARGET_DIR/${target%.2.17}/release/$file"
    dist_log "$prefix: built in $((SECONDS - start)) s ($(stat -c %s "$library") bytes)"
    case "$prefix" in
        darwin-* | win32-*) python3 scripts/dist/check_binaries.py --export "$ENTRY_POINT" "${target%.2.17}" lib "$library" ;;
    esac
    mkdir -p "$NATIVES_DIR/$prefix"
    cp -- "$library" "$NATIVES_DIR/$prefix/$file"
done
missing=()
for spec in "${NATIVES[@]}"; do
    IFS='|' read -r _ _ _ prefix file <<<"$spec"
    [[ -f $NATIVES_DIR/$prefix/$file ]] || missing+=("$prefix")
done
if ((${#missing[@]})); then
    [[ -n ${CPAAS_DIST_JVM_PLATFORMS+set} ]] || dist_die "libraries missing after the build: ${missing[*]}"
    dist_log "staged ${selected[*]:-nothing}; no jar until these are staged too: ${missing[*]}"
    exit 0
fi
cp -a -- "$NATIVES_DIR" "$stage/jna"

# The Kotlin bindings are generated from a library's UniFFI metadata symbols, which the zig-linked
# release libraries no longer have in their symbol table (the release link strips it; the
# exported symbols JNA needs stay). scripts/build-uniffi.sh generates them from the host's debug
# build; the interface, and so every checksum the bindings verify at load time, is the same.
dist_step "jvm: generating the Kotlin bindings (scripts/build-uniffi.sh)"
bash scripts/build-uniffi.sh
cp -a -- "$TARGET_DIR/uniffi/kotlin/." "$stage/kotlin/"

dist_step "jvm: mvn package (the Kotlin tests run against the jar's linux-x86-64 library)"
bash scripts/mvn.sh -Duniffi.dir="$stage" clean package
shopt -s nullglob
jars=(kotlin/target/cpaas-reseller-*.jar)
shopt -u nullglob
jar=
for j in "${jars[@]}"; do [[ $j == *-sources.jar || $j == *-javadoc.jar ]] || jar=$j; done
[[ -n $jar ]] || dist_die "mvn package wrote no jar in kotlin/target"

# The jar must hold the five libraries under their prefixes and no other native file.
expected="$(for spec in "${NATIVES[@]}"; do IFS='|' read -r _ _ _ prefix file <<<"$spec"; printf '%s/%s\n' "$prefix" "$file"; done | sort)"
actual="$(unzip -Z1 "$jar" | grep -E '\.(so|dylib|dll)$' | sort)"
if [[ $actual != "$expected" ]]; then
    diff <(printf '%s\n' "$expected") <(printf '%s\n' "$actual") >&2 || true
    dist_die "$jar does not hold exactly the five native libraries"
fi
# The main jar and whatever companion jars (sources, javadoc) the POM builds.
for j in "${jars[@]}"; do
    cp -f -- "$j" "$OUT/"
    (cd "$OUT" && sha256sum -- "$(basename "$j")" >"$(basename "$j").sha256")
    dist_log "dist/jvm/$(basename "$j"): $(stat -c %s "$j") bytes"
done
unzip -l "$jar" | grep -E '\.(so|dylib|dll)$' >&2
