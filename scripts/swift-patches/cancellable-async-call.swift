
// Appended by scripts/prepare-swift.sh (patch_cancellation, from
// scripts/swift-patches/cancellable-async-call.swift): the cancellable variant of
// uniffiRustCallAsync that every async call site above uses (they pass `cancelFunc`). Cancelling
// the calling Task cancels the Rust future, which drops the call, and the method throws
// CancellationError; a call that had already completed returns its result. Drop this patch when
// uniffi's Swift template makes async exports cancellable (mozilla/uniffi-rs#2771).
fileprivate func uniffiRustCallAsync<F, T>(
    rustFutureFunc: () -> UInt64,
    pollFunc: (UInt64, @escaping UniffiRustFutureContinuationCallback, UInt64) -> (),
    cancelFunc: @escaping @Sendable (UInt64) -> (),
    completeFunc: (UInt64, UnsafeMutablePointer<RustCallStatus>) -> F,
    freeFunc: (UInt64) -> (),
    liftFunc: (F) throws -> T,
    errorHandler: ((RustBuffer) throws -> Swift.Error)?
) async throws -> T {
    uniffiEnsureCpaasResellerUniffiInitialized()
    let rustFuture = rustFutureFunc()
    defer {
        freeFunc(rustFuture)
    }
    await withTaskCancellationHandler {
        var pollResult: Int8
        repeat {
            pollResult = await uniffiPoll(rustFuture, pollFunc)
        } while pollResult != UNIFFI_RUST_FUTURE_POLL_READY
    } onCancel: {
        cancelFunc(rustFuture)
    }
    var callStatus = RustCallStatus.init()
    let returned = completeFunc(rustFuture, &callStatus)
    if callStatus.code == CALL_CANCELLED {
        throw CancellationError()
    }
    try uniffiCheckCallStatus(callStatus: callStatus, errorHandler: errorHandler)
    return try liftFunc(returned)
}

// One poll of the future, awaited through the template's continuation callback.
fileprivate func uniffiPoll(
    _ rustFuture: UInt64,
    _ pollFunc: (UInt64, @escaping UniffiRustFutureContinuationCallback, UInt64) -> ()
) async -> Int8 {
    await withUnsafeContinuation {
        pollFunc(
            rustFuture,
            { handle, pollResult in
                uniffiFutureContinuationCallback(handle: handle, pollResult: pollResult)
            },
            uniffiContinuationHandleMap.insert(obj: $0)
        )
    }
}
