// Patched by scripts/patch-kotlin.py (scripts/kotlin-patches/call-status-stack.kt). The template
// allocates a new UniffiRustCallStatus for every crossing: two JNA Structures, each with a
// malloc'd Memory that JNA's cleaner thread frees later, and reflection over their fields before
// and after the call. An async call makes three such crossings (argument buffer, completion,
// buffer free). Here each thread reuses its own statuses instead, one per nesting level: a
// crossing is re-entered on the same thread (the error buffer is freed while its status is
// checked; an argument's buffer is allocated inside the call's lambda; a listener that Rust calls
// on this thread may call the SDK), and each level has a status of its own. A status is held only
// from the call to the check of its result, which never suspends, so a coroutine that resumes on
// another thread never holds one. The native memory is cleared before each call (what a fresh
// status holds) and read back only when the code says there is an error buffer.
internal class UniffiCallStatusStack {
    private var statuses = arrayOfNulls<UniffiRustCallStatus>(4)
    private var depth = 0

    /** The status of the next nesting level, cleared as the template's fresh one would be. */
    fun push(): UniffiRustCallStatus {
        if (depth == statuses.size) statuses = statuses.copyOf(depth * 2)
        val status = statuses[depth] ?: UniffiRustCallStatus().also {
            it.setAutoSynch(false) // written by clear(), read by uniffiReadCallStatus
            statuses[depth] = it
        }
        depth += 1
        status.clear()
        return status
    }

    fun pop() {
        check(depth > 0) { "UniffiCallStatusStack popped more than pushed" }
        depth -= 1
    }
}

// A subclass rather than ThreadLocal.withInitial, which Android has only from API level 26.
internal val uniffiCallStatusStacks = object : ThreadLocal<UniffiCallStatusStack>() {
    override fun initialValue() = UniffiCallStatusStack()
}

/** What Rust wrote into [status]: the code, and the error buffer only when there is one. */
private fun uniffiReadCallStatus(status: UniffiRustCallStatus) {
    status.code = status.pointer.getByte(0)
    if (!status.isSuccess()) status.read()
}

// Call a rust function that returns a Result<>.  Pass in the Error class companion that corresponds to the Err
private inline fun <U, E: kotlin.Exception> uniffiRustCallWithError(errorHandler: UniffiRustCallStatusErrorHandler<E>, callback: (UniffiRustCallStatus) -> U): U {
    val statuses = uniffiCallStatusStacks.get()
    val status = statuses.push()
    try {
        val return_value = callback(status)
        uniffiReadCallStatus(status)
        uniffiCheckCallStatus(errorHandler, status)
        return return_value
    } finally {
        statuses.pop()
    }
}
