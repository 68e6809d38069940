#!/usr/bin/env bash
# Runs every test of the project: Rust (format, lints, unit and integration tests against the emulator,
# a short fuzzing run),
# Python, Kotlin and Swift. Installs what it needs on a fresh Debian machine; safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "Rust: format"
cargo fmt --all --check
step "Rust: clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings
step "Rust: TLS is rustls only"
if cargo tree --workspace -e normal -i openssl-sys >/dev/null 2>&1; then
  echo "openssl-sys is in the dependency graph; the client must use rustls only" >&2
  exit 1
fi
step "Rust: the Python extension compiles for Windows"
scripts/check-windows.sh
step "Rust: tests"
cargo test --workspace --locked
step "Rust: fuzzing smoke run (each decoder target 15 s, fixed seed)"
scripts/fuzz-smoke.sh

for lang in python kotlin swift; do
  step "$lang"
  "scripts/test-$lang.sh"
done
step "all tests passed"
