#!/usr/bin/env bash
# CLI release archives into dist/cli/: the `cpaas-reseller` binary for Linux (static, musl), macOS
# and Windows, each archive with README.md and LICENSE, and a SHA-256 file beside it, all built on
# this Linux machine (cargo-zigbuild: zig links Linux and macOS; mingw-w64 links Windows). Then
# checked: the x86_64 Linux binary runs `demo` (the embedded emulator) here, the aarch64 one under
# qemu-user, and check_binaries.py inspects the macOS and Windows binaries (format, architecture,
# the libraries and DLLs they load).
#
#   dist/cli/cpaas-reseller-<version>-<target>.tar.gz (.zip for Windows) and .sha256
#
# Cargo decides what is up to date, so a rerun with unchanged sources only repackages.
#
# Environment:
#   CPAAS_DIST_CLI_TARGETS  space-separated subset of the targets below (default: all)
set -euo pipefail
DIST_FAMILY=cli
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$DIST_REPO_ROOT"

# target triple | builder | environment
readonly TARGETS=(
    "x86_64-unknown-linux-musl|zigbuild|"
    "aarch64-unknown-linux-musl|zigbuild|"
    # Rust's own minimums for these targets (check_binaries.py holds the binaries to them).
    "x86_64-apple-darwin|zigbuild|MACOSX_DEPLOYMENT_TARGET=10.12"
    "aarch64-apple-darwin|zigbuild|MACOSX_DEPLOYMENT_TARGET=11.0"
    # mingw-w64's gcc is rustc's default linker for this target.
    "x86_64-pc-windows-gnu|build|"
)
readonly PACKAGE=cpaas-reseller-cli BIN=cpaas-reseller
# Shipped beside the binary in every archive.
readonly DOCS=(README.md LICENSE)

OUT="$DIST_REPO_ROOT/dist/cli"
TARGET_DIR="${CARGO_TARGET_DIR:-$DIST_REPO_ROOT/target}"
mkdir -p "$OUT"

selected=()
for spec in "${TARGETS[@]}"; do selected+=("${spec%%|*}"); done
if [[ -n ${CPAAS_DIST_CLI_TARGETS:-} ]]; then read -r -a selected <<<"$CPAAS_DIST_CLI_TARGETS"; fi
for t in "${selected[@]}"; do
    printf '%s\n' "${TARGETS[@]}" | grep -q "^$t|" || dist_die "unknown target $t"
done
# Checked before the builds, which take minutes: a release archive without its license is wrong.
for doc in "${DOCS[@]}"; do
    [[ -f $doc ]] || dist_die "$doc is missing at the repository root: every archive ships it"
done

dist_step "tools: rustup targets, zig, cargo-zigbuild, mingw-w64, qemu-user"
dist_rust_targets "${selected[@]}"
if [[ " ${selected[*]} " == *" x86_64-pc-windows-gnu "* ]]; then dist_apt_install gcc-mingw-w64-x86-64; fi
if [[ " ${selected[*]} " == *" aarch64-unknown-linux-musl "* ]]; then dist_apt_install qemu-user-static; fi
dist_tools

version="$(cargo metadata --locked --no-deps --format-version 1 |
    python3 -c 'import json, sys; print(next(p["version"] for p in json.load(sys.stdin)["packages"] if p["name"] == sys.argv[1]))' "$PACKAGE")"
# Archive entries get the last commit's time, so the same sources give the same archive.
mtime="$(git log -1 --format=%ct 2>/dev/null || date +%s)"

# package TARGET BINARY: the archive and its .sha256 in $OUT; prints the archive's path.
package() {
    local target=$1 binary=$2 name stage archive
    name="$BIN-$version-$target"
    stage="$(mktemp -d "$OUT/.stage-XXXXXX")"
    mkdir "$stage/$name"
    cp -- "$binary" "${DOCS[@]}" "$stage/$name/"
    touch -d "@$mtime" "$stage/$name" "$stage/$name"/*
    if [[ $target == *-windows-* ]]; then
        archive="$name.zip"
        (cd "$stage" && python3 -m zipfile -c "$archive" "$name")
    else
        archive="$name.tar.gz"
        tar -C "$stage" --sort=name --owner=0 --group=0 --numeric-owner -cf - "$name" | gzip -n -9 >"$stage/$archive"
    fi
    mv -f -- "$stage/$archive" "$OUT/$archive"
    rm -rf -- "$stage"
    (cd "$OUT" && sha256sum -- "$archive" >"$archive.sha256")
    printf '%s\n' "$OUT/$archive"
}

# Runs `demo` (it starts the embedded emulator and goes through the API against it) and insists on
# its closing line, so a binary that starts but cannot serve fails here.
run_demo() {
    local log
    log="$(mktemp)"
    if ! timeout 600 "$@" demo >"$log" 2>&1 || ! grep -q '^Done\. Customer account .* is provisioned' "$log"; then
        cat "$log" >&2
        rm -f -- "$log"
        dist_die "demo failed: $*"
    fi
    cat "$log"
    rm -f -- "$log"
}

declare -A built
for spec in "${TARGETS[@]}"; do
    IFS='|' read -r target builder env <<<"$spec"
    [[ " ${selected[*]} " == *" $target "* ]] || continue
    dist_step "cli $target: cargo $builder --release"
    start=$SECONDS
    env ${env:+"$env"} cargo "$builder" --release --locked -p "$PACKAGE" --target "$target"
    exe="$BIN"
    [[ $target != *-windows-* ]] || exe="$BIN.exe"
    built[$target]="$TARGET_DIR/$target/release/$exe"
    dist_log "$target: built in $((SECONDS - start)) s ($(stat -c %s "${built[$target]}") bytes)"
done

dist_step "cli: checking the binaries"
for target in "${selected[@]}"; do
    binary="${built[$target]}"
    case "$target" in
        *-linux-musl)
            # Static: no program interpreter and no shared library, so it runs on any Linux.
            if readelf -lW "$binary" | grep -q 'Requesting program interpreter' || readelf -dW "$binary" | grep -q '(NEEDED)'; then
                dist_die "$target: $binary is not static"
            fi
            dist_log "$target: static ELF ($(readelf -hW "$binary" | sed -n 's/^ *Machine: *//p'))"
            case "$target" in
                "$(uname -m)"-*) run_demo "$binary" ;;
                aarch64-*) run_demo qemu-aarch64-static "$binary" ;;
                *) dist_die "$target: no way to run it here" ;;
            esac
            ;;
        *) python3 scripts/dist/check_binaries.py "$target" exe "$binary" ;;
    esac
done

dist_step "cli: packaging"
for target in "${selected[@]}"; do
    archive="$(package "$target" "${built[$target]}")"
    printf 'cli %-28s dist/cli/%s (%s bytes)\n' "$target" "$(basename "$archive")" "$(stat -c %s "$archive")"
done
