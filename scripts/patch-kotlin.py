#!/usr/bin/env python3
"""Patches the uniffi-generated Kotlin in place for speed (scripts/build-uniffi.sh runs it).

call-status-stack (scripts/kotlin-patches/call-status-stack.kt): uniffi 0.32's template allocates
a new `UniffiRustCallStatus` (two JNA Structures, each with a malloc'd `Memory` that JNA's cleaner
thread frees later) for every crossing into Rust, three per async call, and has no setting to reuse
them. The patch replaces `uniffiRustCallWithError` with one that takes the status from a per-thread
stack, a level per nested crossing, and skips JNA's reflective write and read of its fields (the
native memory is cleared before the call and read back only on an error). Figures in bench/NOTES.md
(the Kotlin paragraph); `CPAAS_KOTLIN_SPEED_PATCHES=0 scripts/build-uniffi.sh` builds without it.

Fails (exit 1) unless the template text it replaces is found exactly once: check after a uniffi
upgrade (Cargo.toml pins the exact uniffi this patch is written for).

    patch-kotlin.py <cpaas_reseller.kt>
"""

import pathlib
import sys

# The template's function, exactly as uniffi 0.32.2 generates it.
CALL_WITH_ERROR = """\
// Call a rust function that returns a Result<>.  Pass in the Error class companion that corresponds to the Err
private inline fun <U, E: kotlin.Exception> uniffiRustCallWithError(errorHandler: UniffiRustCallStatusErrorHandler<E>, callback: (UniffiRustCallStatus) -> U): U {
    var status = UniffiRustCallStatus()
    val return_value = callback(status)
    uniffiCheckCallStatus(errorHandler, status)
    return return_value
}
"""

PATCHES = pathlib.Path(__file__).resolve().parent / "kotlin-patches"


def main(path):
    kotlin = path.read_text()
    found = kotlin.count(CALL_WITH_ERROR)
    if found != 1:
        sys.exit(
            f"patch-kotlin: uniffiRustCallWithError found {found} times in {path}, expected once "
            "(uniffi template changed?)"
        )
    replacement = (PATCHES / "call-status-stack.kt").read_text()
    path.write_text(kotlin.replace(CALL_WITH_ERROR, replacement))
    print(f"patch-kotlin: {path.name}: per-thread call statuses (call-status-stack.kt)", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: patch-kotlin.py <cpaas_reseller.kt>")
    main(pathlib.Path(sys.argv[1]))
