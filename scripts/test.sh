#!/usr/bin/env bash
# Runs every test of the project: Rust (format, lints, unit and integration tests against the emulator,
# the quick start example, docs, the declared MSRV, packaging, a short fuzzing run), the workflows
# (actionlint), Python, Kotlin and Swift. Installs what it needs on a fresh Debian machine; safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "Rust: format"
cargo fmt --all --check
step "Rust: clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings
step "Rust: clippy of the uniffi facade without default features (no emulator)"
cargo clippy -p cpaas-reseller-uniffi --no-default-features --all-targets --locked -- -D warnings
step "Rust: TLS is rustls only"
if cargo tree --workspace -e normal -i openssl-sys >/dev/null 2>&1; then
  echo "openssl-sys is in the dependency graph; the client must use rustls only" >&2
  exit 1
fi
step "Rust: the Python extension compiles for Windows"
scripts/check-windows.sh
step "Rust: tests"
cargo test --workspace --locked
step "Rust: the quick start example against the emulator"
cargo run --locked -p cpaas-reseller --example quickstart
step "Rust: docs of the public crates (warnings are errors)"
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --locked -p cpaas-reseller -p cpaas-reseller-emulator
step "Rust: the core builds with its declared rust-version"
scripts/msrv.sh
step "Rust: the core crate packages for crates.io"
cargo package --locked -p cpaas-reseller
step "Workflows: actionlint"
scripts/actionlint.sh
step "Rust: fuzzing smoke run (each decoder target 15 s, fixed seed)"
scripts/fuzz-smoke.sh
step "Release wheels: binary checks on tiny fixtures; only the stubbed Apple frameworks in the macOS graph"
# The full wheel matrix (scripts/dist.sh python) is too slow for CI; these keep its checks honest.
python3 -m unittest discover -s scripts/dist -p 'test_*.py'
python3 scripts/dist/apple_frameworks.py
step "Benchmarks: the report generator on a fixture, and the Python harness parses"
# The full run (scripts/bench.sh) is too slow for CI; the Rust, Kotlin and Swift harnesses compile
# with the clippy, Kotlin (-Pbench) and Swift steps.
python3 -m unittest discover -s bench -p 'test_*.py'
step "Release CLI archives and jar natives: only the stubbed Apple frameworks in their macOS graphs"
# check_binaries.py's tests run in the unittest step above; the release builds are too slow for CI.
python3 scripts/dist/apple_frameworks.py -p cpaas-reseller-cli -p cpaas-reseller-uniffi

for lang in python kotlin swift; do
  step "$lang"
  "scripts/test-$lang.sh"
done
step "all tests passed"
