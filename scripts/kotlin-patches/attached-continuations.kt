// FFI type for Rust future continuations
// Patched by scripts/patch-kotlin.py (scripts/kotlin-patches/attached-continuations.kt): Rust's
// runtime threads call this when a future can make progress. By default JNA attaches such a
// thread to the JVM for each call and detaches it afterwards, a Java Thread created and torn down
// per continuation; here the thread stays attached (as a daemon, so it never keeps the JVM alive)
// until it exits, when JNA detaches it.
internal object uniffiRustFutureContinuationCallbackImpl: UniffiRustFutureContinuationCallback {
    init {
        Native.setCallbackThreadInitializer(this, CallbackThreadInitializer(true, false, "cpaas-reseller-rust"))
    }

    override fun callback(data: Long, pollResult: Byte) {
        uniffiContinuationHandleMap.remove(data).resume(pollResult)
    }
}
