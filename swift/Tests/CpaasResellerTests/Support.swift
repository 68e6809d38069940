import CpaasReseller
import Foundation
import XCTest

/// A fresh emulator (started through the library's exported `Emulator`) and a client pointed at
/// it. The emulator stops when the harness goes away.
final class Harness: Sendable {
    let emulator: Emulator
    let client: Client

    init() throws {
        emulator = try Emulator()
        client = try Client(config: emulator.clientConfig())
    }

    deinit {
        emulator.shutdown()
    }

    /// Another client of this emulator, its configuration changed by `change`.
    func client(_ change: (inout ClientConfig) -> Void) throws -> Client {
        var config = emulator.clientConfig()
        change(&config)
        return try Client(config: config)
    }

    /// Queues a fault for the next `times` calls of `method`.
    func fault(_ method: String?, _ kind: EmulatorFaultKind, times: UInt32 = 1) throws {
        try emulator.injectFault(fault: EmulatorFault(method: method, times: times, kind: kind))
    }

    /// The journal entries of one vendor method, oldest first.
    func journal(_ method: String) throws -> [JournalEntry] {
        try emulator.journal().filter { $0.method == method }
    }

    /// The exact request body of the last call of `method`.
    func lastBody(_ method: String) throws -> String? {
        try journal(method).last?.body
    }

    /// The emulator's whole state (accounts, users, ledger, balances, numbers) as JSON.
    func state() throws -> [String: Any] {
        try jsonObject(emulator.stateJson())
    }
}

/// Runs `body`, which must fail with a `ResellerError`, and returns that error.
func expectResellerError<T>(
    _ body: () async throws -> T, file: StaticString = #filePath, line: UInt = #line
) async -> ResellerError? {
    do {
        let value = try await body()
        XCTFail("expected a ResellerError, got \(value)", file: file, line: line)
    } catch let error as ResellerError {
        return error
    } catch {
        XCTFail("expected a ResellerError, got \(type(of: error)): \(error)", file: file, line: line)
    }
    return nil
}

/// Parses JSON object text.
func jsonObject(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
    let value = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
    guard let object = value as? [String: Any] else {
        XCTFail("not a JSON object: \(text)", file: file, line: line)
        return [:]
    }
    return object
}

/// Decimal from exact text (POSIX locale: `.` is the separator whatever the machine's locale).
func decimal(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> Decimal {
    guard let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else {
        XCTFail("not a decimal: \(text)", file: file, line: line)
        return .nan
    }
    return value
}

/// The instant of an RFC 3339 timestamp (offset and fractional seconds allowed).
func rfc3339(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> Date {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    if let date = formatter.date(from: text) { return date }
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    if let date = formatter.date(from: text) { return date }
    XCTFail("not an RFC 3339 timestamp: \(text)", file: file, line: line)
    return .distantPast
}

/// The repository root, found from this file's path (swift/Tests/CpaasResellerTests/...).
let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()
    .deletingLastPathComponent()
    .deletingLastPathComponent()
    .deletingLastPathComponent()

/// The enumerations that have a vendor spelling (`wireValue()`), for generic comparisons.
protocol WireValued {
    func wireValue() -> String
}

extension AccountStatus: WireValued {}
extension NumberType: WireValued {}
extension ActivityType: WireValued {}
