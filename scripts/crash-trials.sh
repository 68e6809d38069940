#!/usr/bin/env bash
# The recorded crash-consistency run (RELIABILITY.md): the real CLI binary against an emulator
# in the test process, killed with SIGKILL at random moments under injected faults, then the
# identical command rerun until it completes. Prints one line per trial and a SUMMARY per kind.
#
#   scripts/crash-trials.sh                     20 trials each: credit 2000 rows, users and
#                                               accounts 500 rows
#   CRASH_TRIALS=5 CRASH_ROWS=500 scripts/crash-trials.sh
#   CRASH_SEED=2 scripts/crash-trials.sh        other random kill points and faults
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test -p cpaas-reseller-cli --locked --test crash -- --ignored --nocapture --test-threads 1 crash_trials
