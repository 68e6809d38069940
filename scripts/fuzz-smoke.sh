#!/usr/bin/env bash
# Fuzzing the client's decoders (fuzz/, cargo-fuzz + libFuzzer, nightly Rust): builds the targets
# and runs each one in turn, single process, at low priority, with a fixed seed, starting from
# the seed inputs in fuzz/seeds/. Fails on the first crash (the input is kept in
# fuzz/artifacts/<target>/). Installs cargo-fuzz if missing; see below for the toolchain.
#
#   scripts/fuzz-smoke.sh                     each target 15 s (the CI smoke run, under 1 min of fuzzing)
#   FUZZ_PROFILE=release FUZZ_SECONDS=600 scripts/fuzz-smoke.sh
#                                             each target 10 min (the recorded runs, RELIABILITY.md)
#   FUZZ_SEED=7 FUZZ_CORPUS=fuzz/corpus scripts/fuzz-smoke.sh error_decode
#                                             another seed, a corpus kept between runs, one target
#
# FUZZ_PROFILE=dev (the default) builds unoptimised with debug assertions and no sanitizer: about
# 2 min from cold on 2 cores, against about 5 for release, and fast enough for a smoke run.
# FUZZ_PROFILE=release builds optimised with debug assertions and AddressSanitizer, for long runs.
set -euo pipefail
cd "$(dirname "$0")/.."

TARGETS=(response_decode error_decode date_roundtrip)
if [ "$#" -gt 0 ]; then TARGETS=("$@"); fi
SECONDS_EACH="${FUZZ_SECONDS:-15}"
SEED="${FUZZ_SEED:-20260101}"
case "${FUZZ_PROFILE:-dev}" in
    dev) BUILD=(--dev -s none) ;;
    release) BUILD=(-a) ;;
    *) echo "FUZZ_PROFILE must be dev or release" >&2; exit 2 ;;
esac

step() { printf '\n==> %s\n' "$*"; }

# cargo-fuzz passes unstable compiler flags: nightly when there is one (or it can be installed),
# otherwise the default toolchain with RUSTC_BOOTSTRAP=1, so a machine that cannot download a
# toolchain still runs the smoke test.
TOOLCHAIN=(+nightly)
if ! rustup toolchain list | grep -q '^nightly'; then
    step "installing the nightly toolchain (cargo-fuzz needs unstable flags)"
    if ! rustup toolchain install nightly --profile minimal; then
        step "no nightly toolchain: the default toolchain with RUSTC_BOOTSTRAP=1 instead"
        TOOLCHAIN=()
        export RUSTC_BOOTSTRAP=1
    fi
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
    step "installing cargo-fuzz"
    cargo install cargo-fuzz --locked
fi

CORPUS="${FUZZ_CORPUS:-}"
if [ -z "$CORPUS" ]; then
    CORPUS="$(mktemp -d)"
    trap 'rm -rf "$CORPUS"' EXIT
fi

step "building the fuzz targets (${FUZZ_PROFILE:-dev}: ${BUILD[*]})"
nice -n 10 cargo "${TOOLCHAIN[@]}" fuzz build "${BUILD[@]}"

dictionary() {
    case "$1" in
        response_decode) echo fuzz/dict/response.dict ;;
        error_decode) echo fuzz/dict/error.dict ;;
        date_roundtrip) echo fuzz/dict/date.dict ;;
    esac
}

for target in "${TARGETS[@]}"; do
    step "fuzzing $target for ${SECONDS_EACH}s (seed $SEED)"
    mkdir -p "$CORPUS/$target"
    log="$CORPUS/$target.log"
    status=0
    nice -n 10 cargo "${TOOLCHAIN[@]}" fuzz run "${BUILD[@]}" --jobs 1 "$target" "$CORPUS/$target" "fuzz/seeds/$target" -- \
        -dict="$(dictionary "$target")" -seed="$SEED" -max_total_time="$SECONDS_EACH" \
        -print_final_stats=1 >"$log" 2>&1 || status=$?
    grep -E '^#[0-9]+[[:space:]]+(INITED|DONE)|^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' "$log" || true
    if [ "$status" -ne 0 ]; then
        grep -E 'panicked|assert|Test unit written|SUMMARY' "$log" | head -n 20 || tail -n 40 "$log"
        echo "fuzz target $target failed (exit $status); the input is in fuzz/artifacts/$target/" >&2
        exit 1
    fi
done
step "fuzzing passed: ${TARGETS[*]}"
