
// Appended by scripts/prepare-swift.sh (patch_speed, from scripts/swift-patches/first-poll.swift):
// the first poll of uniffiRustCallAsync above does not suspend. A future that is ready at once (a
// request failing the core's local validation, for one) calls back before pollFunc returns, and
// its result is taken without a continuation, a handle-map entry or a cancellation handler. A
// future that is not ready is awaited as before, cancellable throughout.
//
// The result of a future's first poll. Rust calls back exactly once per poll: on the polling
// thread before pollFunc returns, or later from another thread; whichever of the callback and the
// waiting Task comes second hands the result over. One lock serves every call: it is held for a
// few instructions, and a per-call lock would cost two allocations.
fileprivate let uniffiFirstPollLock = NSLock()

fileprivate final class UniffiFirstPoll: @unchecked Sendable {
    // Only touched with uniffiFirstPollLock held.
    private var result: Int8?
    private var continuation: UnsafeContinuation<Int8, Never>?

    // The callback data for pollFunc: a +1 reference, released by the callback.
    func retainedHandle() -> UInt64 {
        UInt64(UInt(bitPattern: Unmanaged.passRetained(self).toOpaque()))
    }

    func deliver(_ pollResult: Int8) {
        uniffiFirstPollLock.lock()
        guard let continuation else {
            result = pollResult
            uniffiFirstPollLock.unlock()
            return
        }
        self.continuation = nil
        uniffiFirstPollLock.unlock()
        continuation.resume(returning: pollResult)
    }

    // The poll result if the callback has come.
    func delivered() -> Int8? {
        uniffiFirstPollLock.lock()
        defer { uniffiFirstPollLock.unlock() }
        return result
    }

    func wait() async -> Int8 {
        await withUnsafeContinuation { continuation in
            uniffiFirstPollLock.lock()
            if let result {
                uniffiFirstPollLock.unlock()
                continuation.resume(returning: result)
            } else {
                self.continuation = continuation
                uniffiFirstPollLock.unlock()
            }
        }
    }
}

fileprivate let uniffiFirstPollCallback: UniffiRustFutureContinuationCallback = { handle, pollResult in
    guard let pointer = UnsafeRawPointer(bitPattern: UInt(handle)) else { return }
    Unmanaged<UniffiFirstPoll>.fromOpaque(pointer).takeRetainedValue().deliver(pollResult)
}
