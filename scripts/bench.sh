#!/usr/bin/env bash
# Every benchmark in one run, side by side against one benchmark emulator on loopback; rewrites
# BENCHMARKS.md. Release builds throughout. Not part of the test suite: figures are measured,
# never asserted.
#
#   scripts/bench.sh                  everything
#   CPAAS_BENCH_CALLS=5000 scripts/bench.sh   fewer calls per throughput run (quick look)
#   CPAAS_BENCH_ROUNDS=1 scripts/bench.sh     one round instead of three (quick look)
#
# The SDK and its peers run in alternating rounds, each in a fresh process (Python) or in the same
# process one after the other (Kotlin, Swift), so that the load of a shared machine falls on both.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*" >&2; }
results=$(mktemp)
trap 'rm -f "$results"' EXIT

step "release builds: Rust benchmarks and the emulator's throughput example"
cargo build --release --locked -p cpaas-reseller-bench -p cpaas-reseller-emulator --examples --bins

step "Python: release build of the package, and the clients it is compared with"
scripts/test-python.sh --co -q >/dev/null   # creates python/.venv with the tools if needed
VENV=python/.venv
# The peers, pinned so that a rerun installs nothing and measures the same code.
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r bench/python/requirements.txt
(cd python && VIRTUAL_ENV="$PWD/.venv" PATH="$PWD/.venv/bin:$PATH" maturin develop --release --quiet)
wheel_dir=$(mktemp -d)
(cd python && .venv/bin/maturin build --release --quiet --out "$wheel_dir")
python3 - "$wheel_dir" >>"$results" <<'PY'
import glob, json, os, sys
wheel = glob.glob(os.path.join(sys.argv[1], "*.whl"))[0]
print(json.dumps({"bench": "python_wheel", "file": os.path.basename(wheel), "megabytes": os.path.getsize(wheel) / 1e6}))
PY
rm -rf "$wheel_dir"

step "emulator throughput"
./target/release/examples/throughput | tee /dev/stderr | grep '^{' >>"$results" || true

step "Rust core: report decoding"
./target/release/report_decode | tee -a "$results"

step "one benchmark emulator for the side-by-side runs"
coproc EMU { ./target/release/bench_emulator; }
read -r base user password <&"${EMU[0]}"
export CPAAS_BENCH_BASE_URL=$base CPAAS_BENCH_USERNAME=$user CPAAS_BENCH_PASSWORD=$password

step "Python: SDK vs pyreqwest+msgspec, aiohttp(+orjson), httpx, requests, and the Rust core alone;
reports vs requests+msgspec and json.loads+dataclasses; overhead; import time"
"$VENV/bin/python" bench/python/compare.py | tee -a "$results"

for lang in kotlin swift; do
  if [ -x "scripts/bench-$lang.sh" ]; then
    step "$lang: throughput against its peer, and binding overhead"
    "scripts/bench-$lang.sh" | tee -a "$results"
  fi
done

exec {EMU[1]}>&-   # closing its stdin stops the emulator
wait "$EMU_PID" 2>/dev/null || true

step "writing BENCHMARKS.md"
python3 bench/report.py "$results" >BENCHMARKS.md
cat BENCHMARKS.md
