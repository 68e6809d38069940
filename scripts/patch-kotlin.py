#!/usr/bin/env python3
"""Patches the uniffi-generated Kotlin in place for speed (scripts/build-uniffi.sh runs it).

call-status-stack (scripts/kotlin-patches/call-status-stack.kt): uniffi 0.32's template allocates
a new `UniffiRustCallStatus` (two JNA Structures, each with a malloc'd `Memory` that JNA's cleaner
thread frees later) for every crossing into Rust, three per async call, and has no setting to reuse
them. The patch replaces `uniffiRustCallWithError` with one that takes the status from a per-thread
stack, a level per nested crossing, and skips JNA's reflective write and read of its fields (the
native memory is cleared before the call and read back only on an error).

attached-continuations (scripts/kotlin-patches/attached-continuations.kt): JNA attaches a Rust
runtime thread to the JVM for each continuation callback and detaches it afterwards (a Java Thread
made and torn down per callback); the patch keeps it attached, as a daemon, until it exits.

Figures in bench/NOTES.md (the Kotlin paragraph); `CPAAS_KOTLIN_SPEED_PATCHES=0
scripts/build-uniffi.sh` builds without the patches. Fails (exit 1) unless each template text it
replaces is found exactly once: check after a uniffi upgrade (Cargo.toml pins the exact uniffi these
patches are written for).

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

# The continuation callback object, exactly as uniffi 0.32.2 generates it.
CONTINUATION = """\
// FFI type for Rust future continuations
internal object uniffiRustFutureContinuationCallbackImpl: UniffiRustFutureContinuationCallback {
    override fun callback(data: Long, pollResult: Byte) {
        uniffiContinuationHandleMap.remove(data).resume(pollResult)
    }
}
"""

IMPORT = "import com.sun.jna.Callback\n"

PATCHES = pathlib.Path(__file__).resolve().parent / "kotlin-patches"

# (what it replaces, the file in kotlin-patches/ that replaces it, what it does)
REPLACEMENTS = [
    (CALL_WITH_ERROR, "call-status-stack.kt", "per-thread call statuses"),
    (CONTINUATION, "attached-continuations.kt", "Rust threads stay attached to the JVM"),
]


def replace_once(kotlin, old, new, what):
    found = kotlin.count(old)
    if found != 1:
        sys.exit(f"patch-kotlin: {what}: template text found {found} times, expected once (uniffi template changed?)")
    return kotlin.replace(old, new)


def main(path):
    kotlin = path.read_text()
    for old, patch, what in REPLACEMENTS:
        kotlin = replace_once(kotlin, old, (PATCHES / patch).read_text(), what)
        print(f"patch-kotlin: {path.name}: {what} ({patch})", file=sys.stderr)
    kotlin = replace_once(kotlin, IMPORT, IMPORT + "import com.sun.jna.CallbackThreadInitializer\n", "the JNA imports")
    path.write_text(kotlin)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: patch-kotlin.py <cpaas_reseller.kt>")
    main(pathlib.Path(sys.argv[1]))
