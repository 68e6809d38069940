#!/usr/bin/env bash
# Compiles the Python extension for Windows (x86_64-pc-windows-gnu), so that Unix-only code cannot
# come back into it. A check, not a build: nothing is linked, so no Windows Python is needed (with
# the abi3-py39 feature, pyo3's build script configures a Windows cross-compile from the feature
# alone). ring and mimalloc compile C for the target, hence mingw-w64's gcc. Installs what it needs;
# safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

TARGET=x86_64-pc-windows-gnu
step() { printf '\n==> %s\n' "$*"; }

# The rustup target and mingw-w64's gcc (C compiler for the target), as the release builds install them.
# shellcheck source=dist/common.sh
source scripts/dist/common.sh
dist_rust_targets "$TARGET"
dist_apt_install gcc-mingw-w64-x86-64

step "cargo check: the Python extension for $TARGET"
cargo check -p cpaas-reseller-python --target "$TARGET" --locked
step "cargo clippy: no dead or unused code behind the Windows cfg either"
cargo clippy -p cpaas-reseller-python --target "$TARGET" --locked -- -D warnings
