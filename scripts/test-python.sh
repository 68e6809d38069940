#!/usr/bin/env bash
# Python package: builds the native extension into python/.venv, type-checks, runs pytest
# against the in-process emulator. Idempotent and quick on re-runs (the venv, pip's installs and
# cargo's build are reused).
#
#   scripts/test-python.sh                       maturin develop (debug build), stub freshness,
#                                                mypy, pytest
#   PYTHON_INSTALL=pip scripts/test-python.sh    `pip install ./python` instead (release wheel,
#                                                as a user installs it; slower)
#   PYTHON=python3.12 scripts/test-python.sh     interpreter for a new venv (default python3)
#   extra arguments go to pytest, e.g. scripts/test-python.sh -k vectors
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=python/.venv
PY="$VENV/bin/python"
TOOLS=("maturin>=1.9,<2" "pytest>=8" "pytest-asyncio>=0.24" "mypy>=1.10")

step() { printf '\n==> %s\n' "$*"; }

if [ ! -x "$PY" ]; then
    step "creating $VENV with ${PYTHON:-python3}"
    "${PYTHON:-python3}" -m venv "$VENV"
fi

step "installing build and test tools: ${TOOLS[*]}"
"$PY" -m pip install --quiet --disable-pip-version-check "${TOOLS[@]}"

if [ "${PYTHON_INSTALL:-develop}" = pip ]; then
    step "pip install ./python (release build of the native module)"
    "$PY" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps ./python
else
    step "maturin develop (debug build of the native module into $VENV)"
    (cd python && VIRTUAL_ENV="$PWD/.venv" PATH="$PWD/.venv/bin:$PATH" maturin develop --quiet)
fi

step "_native.pyi is what gen-pyi prints from the tables (bindings/python/src/bin/gen-pyi)"
cargo run --quiet --locked -p cpaas-reseller-python --bin gen-pyi -- --check

step "mypy --strict: package and typed usage (python/tests/typecheck_usage.py)"
(cd python && .venv/bin/mypy)

step "mypy rejects each marked mistake (python/tests/typecheck_mistakes.py)"
(cd python && .venv/bin/python - <<'EOF'
import re
import subprocess
import sys

path = "tests/typecheck_mistakes.py"
marked = {n for n, line in enumerate(open(path, encoding="utf-8"), 1) if "# MISTAKE" in line}
run = subprocess.run([".venv/bin/mypy", "--strict", "--no-incremental", path],
                     capture_output=True, text=True)
flagged = {int(m) for m in re.findall(rf"^{re.escape(path)}:(\d+): error", run.stdout, re.M)}
if run.returncode != 1 or flagged != marked:
    print(run.stdout, run.stderr)
    sys.exit(f"mypy flagged lines {sorted(flagged)}, expected {sorted(marked)}")
print(f"mypy rejected all {len(marked)} mistakes")
EOF
)

step "pytest (python/tests, against the emulator)"
# The pytest script, not `python -m pytest`: the latter puts python/ on sys.path, which would
# shadow a `pip install`ed package with the source tree.
(cd python && RUST_BACKTRACE=0 .venv/bin/pytest "$@")
