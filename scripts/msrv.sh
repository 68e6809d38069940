#!/usr/bin/env bash
# Checks that the core crate builds with the oldest Rust it declares (`rust-version` of
# [workspace.package] in Cargo.toml), using the locked dependency tree. Installs that toolchain
# with rustup (minimal profile) when it is missing; a separate target directory keeps its
# artifacts apart from the default toolchain's. Run from anywhere; idempotent.
set -euo pipefail

cd "$(dirname "$0")/.."
log() { printf 'msrv: %s\n' "$*" >&2; }

msrv="$(sed -n 's/^rust-version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)"
[[ -n "$msrv" ]] || { log "no rust-version in Cargo.toml"; exit 2; }
if ! rustup run "$msrv" rustc --version >/dev/null 2>&1; then
    log "installing Rust $msrv (minimal profile)"
    rustup toolchain install "$msrv" --profile minimal
fi
log "cargo +$msrv check -p cpaas-reseller --locked ($(rustup run "$msrv" rustc --version))"
CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target}/msrv" cargo "+$msrv" check -p cpaas-reseller --locked
