#!/usr/bin/env bash
# Python release artifacts into dist/python/: the sdist and one cp39-abi3 wheel per platform, all
# built on this Linux machine with maturin (zig links Linux and macOS, mingw-w64 links Windows), then
# checked: `auditwheel show` must confirm each Linux wheel's tag, and check_wheels.py inspects the
# macOS and Windows binaries (format, architecture, imported libraries, minimum OS version).
#
# A wheel whose inputs (sources, Cargo.lock, toolchain, tool pins, build flags) are unchanged since
# it was built is kept, not rebuilt: a release build with fat LTO takes minutes per target.
#
# Environment:
#   CPAAS_DIST_PYTHON_TARGETS  space-separated subset of the targets below (default: all, and the sdist)
#   CPAAS_DIST_REBUILD=1       rebuild even if up to date
set -euo pipefail
# shellcheck disable=SC2034  # read by common.sh
DIST_FAMILY=python
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$DIST_REPO_ROOT"

# target triple | maturin arguments | environment (words) | step after maturin
readonly WHEELS=(
    "x86_64-unknown-linux-gnu|--zig --compatibility manylinux2014|"
    "aarch64-unknown-linux-gnu|--zig --compatibility manylinux2014|"
    # zig names musl's libc `libc.so`; musllinux says `libc.musl-<arch>.so.1` (musl_soname.py).
    "x86_64-unknown-linux-musl|--zig --compatibility musllinux_1_2||musl_soname x86_64"
    "aarch64-unknown-linux-musl|--zig --compatibility musllinux_1_2||musl_soname aarch64"
    # Rust's own minimums for these targets; the wheel tags (macosx_10_12, macosx_11_0) follow them.
    "x86_64-apple-darwin|--zig|MACOSX_DEPLOYMENT_TARGET=10.12"
    # From 10.15 on mimalloc uses CCRandomGenerateBytes (libSystem), declared in CommonCrypto's
    # headers, which zig does not ship: scripts/dist/macos-include has the two declarations it needs.
    "aarch64-apple-darwin|--zig|MACOSX_DEPLOYMENT_TARGET=11.0 CFLAGS_aarch64_apple_darwin=-I$DIST_REPO_ROOT/scripts/dist/macos-include"
    # mingw-w64's gcc is rustc's default linker for this target.
    "x86_64-pc-windows-gnu||"
)
# What a wheel is built from, the build's own helpers included; a change to any of it rebuilds every wheel.
readonly INPUTS=(Cargo.toml Cargo.lock core emulator bindings/python python/cpaas_reseller python/pyproject.toml python/README.md
    scripts/dist/macos-include scripts/dist/macos-frameworks scripts/dist/musl_soname.py)

OUT="$DIST_REPO_ROOT/dist/python"
STAMPS="$OUT/.stamps"
mkdir -p "$STAMPS"

selected=()
for spec in "${WHEELS[@]}"; do selected+=("${spec%%|*}"); done
selected+=(sdist)
if [[ -n ${CPAAS_DIST_PYTHON_TARGETS:-} ]]; then
    read -r -a selected <<<"$CPAAS_DIST_PYTHON_TARGETS"
fi

dist_step "tools: rustup targets, zig, maturin, auditwheel, mingw-w64"
targets=()
for t in "${selected[@]}"; do [[ $t == sdist ]] || targets+=("$t"); done
((${#targets[@]} == 0)) || dist_rust_targets "${targets[@]}"
if [[ " ${selected[*]} " == *" x86_64-pc-windows-gnu "* ]]; then dist_apt_install gcc-mingw-w64-x86-64; fi
if [[ " ${selected[*]} " == *-musl* ]]; then dist_apt_install patchelf; fi
dist_tools

inputs_hash="$(dist_inputs_hash "${INPUTS[@]}")"

# build_one KEY FLAGS ENV CMD...: run CMD (which writes into $tmp) unless KEY's stamp says the same
# inputs and flags already produced the artifact it names; then move the artifact into $OUT.
build_one() {
    local key=$1 flags=$2 env=$3 stamp want old start artifact
    shift 3
    stamp="$STAMPS/$key"
    want="$inputs_hash $(printf '%s|%s' "$flags" "$env" | sha256sum | cut -d' ' -f1)"
    if [[ -z ${CPAAS_DIST_REBUILD:-} && -f $stamp ]]; then
        read -r old_hash old_flags artifact <"$stamp"
        if [[ "$old_hash $old_flags" == "$want" && -f $OUT/$artifact ]]; then
            dist_log "$key: up to date: dist/python/$artifact"
            return 0
        fi
    fi
    dist_step "python $key: building"
    tmp="$(mktemp -d "$OUT/.build-XXXXXX")"
    start=$SECONDS
    # A subshell, not env(1): the command may be a function of this script (musl_soname).
    # shellcheck disable=SC2163  # kv is NAME=value
    if ! (cd python && for kv in $env; do export "$kv"; done && "$@" --out "$tmp"); then
        rm -rf -- "$tmp"
        dist_die "$key: build failed"
    fi
    artifact="$(cd "$tmp" && ls)"
    [[ $(wc -l <<<"$artifact") -eq 1 ]] || dist_die "$key: expected one artifact, got: $artifact"
    if [[ -f $stamp ]]; then
        read -r _ _ old <"$stamp"
        [[ -z $old || $old == "$artifact" ]] || rm -f -- "$OUT/$old"
    fi
    mv -f -- "$tmp/$artifact" "$OUT/$artifact"
    rmdir -- "$tmp"
    printf '%s %s\n' "$want" "$artifact" >"$stamp"
    dist_log "$key: built dist/python/$artifact in $((SECONDS - start)) s"
}

# musl_soname ARCH CMD... --out DIR: run CMD, then fix the libc name in the wheel it wrote to DIR.
musl_soname() {
    local arch=$1 wheel
    shift
    "$@"
    for wheel in "${@: -1}"/*.whl; do python3 "$DIST_REPO_ROOT/scripts/dist/musl_soname.py" "$wheel" "$arch"; done
}

for spec in "${WHEELS[@]}"; do
    IFS='|' read -r target flags env post <<<"$spec"
    [[ " ${selected[*]} " == *" $target "* ]] || continue
    # shellcheck disable=SC2086  # flags and post are words
    build_one "$target" "$flags${post:+|$post}" "$env" $post maturin build --release --locked --target "$target" $flags
done
if [[ " ${selected[*]} " == *" sdist "* ]]; then
    build_one sdist "" "" maturin sdist
fi

# The sdist must build on its own: its trimmed workspace resolves offline, and the Cargo.lock it
# ships only loses the entries of the crates left out (so a build from it uses the same versions).
check_sdist() {
    local sdist=$1 work src
    work="$(mktemp -d)"
    tar -xzf "$sdist" -C "$work"
    src="$(find "$work" -mindepth 1 -maxdepth 1 -type d)"
    cp "$src/Cargo.lock" "$work/Cargo.lock.shipped"
    if ! cargo metadata --offline --format-version 1 --manifest-path "$src/bindings/python/Cargo.toml" >/dev/null; then
        rm -rf -- "$work"
        dist_die "the sdist's workspace does not resolve"
    fi
    if diff "$work/Cargo.lock.shipped" "$src/Cargo.lock" | grep -q '^>'; then
        diff "$work/Cargo.lock.shipped" "$src/Cargo.lock" | grep '^>' | head -n 20 >&2
        rm -rf -- "$work"
        dist_die "building the sdist would resolve crates its Cargo.lock does not pin"
    fi
    rm -rf -- "$work"
    dist_log "sdist: self-contained ($(tar -tzf "$sdist" | wc -l) files; its Cargo.lock pins every crate it builds)"
}
if [[ " ${selected[*]} " == *" sdist "* ]]; then
    read -r _ _ artifact <"$STAMPS/sdist"
    check_sdist "$OUT/$artifact"
fi

dist_step "python: checking the wheels (auditwheel show for Linux, binary inspection for macOS/Windows)"
wheels=()
for key in "${selected[@]}"; do
    [[ $key == sdist ]] && continue
    read -r _ _ artifact <"$STAMPS/$key"
    wheels+=("$OUT/$artifact")
done
((${#wheels[@]} == 0)) || "$DIST_VENV/bin/python" scripts/dist/check_wheels.py "${wheels[@]}"

for key in "${selected[@]}"; do
    read -r _ _ artifact <"$STAMPS/$key"
    printf 'python %-28s dist/python/%s\n' "$key" "$artifact"
done
