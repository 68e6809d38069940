// Hand-written (not generated): ready log listeners for `setLogListener(listener:level:)`.
import Foundation

/// A `LogListener` that writes each record as one line, `LogRecord.line()`: the level, the
/// core's message, then the fields as `name=value` (`WARN GetAccount attempt 1: HTTP 500 in 3 ms,
/// retrying in 200 ms method=GetAccount attempt=1 status=500 ...`). By default it prints the
/// line; pass `write` to send it elsewhere. No line carries the password or the
/// `Authorization` header. Lines are written on the library's delivery thread, after the
/// attempt: `flushLogs(timeout:)` waits for them.
///
///     try setLogListener(listener: PrintLogListener(), level: .debug)
public final class PrintLogListener: LogListener {
    private let write: @Sendable (String) -> Void

    public init(write: @escaping @Sendable (String) -> Void = { print($0) }) {
        self.write = write
    }

    public func onLog(record: LogRecord) {
        write(record.line())
    }
}

/// A `LogListener` from a closure, to hand the records to `os_log`, swift-log or a test, e.g.
/// `logListener { logger.log(level: $0.level == .warn ? .warning : .debug, "\($0.message)") }`.
/// The closure is called on the library's delivery thread, one record at a time; keep it quick.
public func logListener(_ onLog: @escaping @Sendable (LogRecord) -> Void) -> any LogListener {
    ClosureLogListener(onLog)
}

private final class ClosureLogListener: LogListener {
    private let body: @Sendable (LogRecord) -> Void

    init(_ body: @escaping @Sendable (LogRecord) -> Void) {
        self.body = body
    }

    func onLog(record: LogRecord) {
        body(record)
    }
}
