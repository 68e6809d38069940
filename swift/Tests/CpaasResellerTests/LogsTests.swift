import CpaasReseller
import Foundation
import XCTest

/// What a listener received, collected across the delivery thread.
final class Collected<Item: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Item] = []

    func append(_ item: Item) {
        lock.lock()
        defer { lock.unlock() }
        items.append(item)
    }

    /// Everything received, once every queued record is delivered.
    func delivered(file: StaticString = #filePath, line: UInt = #line) -> [Item] {
        XCTAssertTrue(flushLogs(timeout: 10), "records delivered", file: file, line: line)
        lock.lock()
        defer { lock.unlock() }
        return items
    }
}

/// The core's per-attempt events through `setLogListener`, `PrintLogListener` and `logListener`,
/// against the emulator's faults.
final class LogsTests: XCTestCase {
    override func tearDown() {
        clearLogListener()
        super.tearDown()
    }

    private func retrying(_ h: Harness) throws -> Client {
        try h.client {
            $0.initialBackoffMs = 1
            $0.maxBackoffMs = 5
        }
    }

    func testARetriedAttemptIsAWarnLineWithTheMethodAttemptAndStatus() async throws {
        let h = try Harness()
        let lines = Collected<String>()
        try setLogListener(listener: PrintLogListener(write: { lines.append($0) }), level: .debug)
        try h.fault("GetAccount", .status(status: 500, apply: false))
        let account = try await retrying(h).getAccount(request: GetAccountRequest(accountId: 1001))
        XCTAssertEqual(account.accountId, 1001)

        let got = lines.delivered()
        XCTAssertEqual(got.count, 2, "\(got)")
        guard got.count == 2 else { return }
        XCTAssertTrue(got[0].hasPrefix("WARN GetAccount attempt 1: HTTP 500 in "), got[0])
        XCTAssertTrue(got[0].contains(" method=GetAccount attempt=1 status=500 "), got[0])
        XCTAssertTrue(got[0].contains(" retry=true outcome_unknown=false wait_ms="), got[0])
        XCTAssertTrue(got[1].hasPrefix("DEBUG GetAccount attempt 2: HTTP 200 in "), got[1])
        XCTAssertTrue(got[1].contains(" method=GetAccount attempt=2 status=200 "), got[1])
        XCTAssertFalse(got.contains { $0.contains("body=") }, "bodies only at trace")
    }

    func testAnOutcomeUnknownAttemptReachesAClosureListenerAtWarn() async throws {
        let h = try Harness()
        let records = Collected<LogRecord>()
        try setLogListener(listener: logListener { records.append($0) }, level: .warn)
        _ = try await h.client.getRoles(request: GetRolesRequest())
        try h.fault("AllocateCredit", .status(status: 504, apply: true))
        let error = await expectResellerError {
            try await h.client.allocateCredit(
                request: AllocateCreditRequest(accountId: 1001, amount: decimal("1.00"), reference: "swift-log-504"))
        }
        XCTAssertEqual(error?.outcomeUnknown, true)

        let got = records.delivered()
        XCTAssertEqual(got.count, 1, "the success is not delivered at warn: \(got)")
        let record = try XCTUnwrap(got.first)
        XCTAssertEqual(record.level, .warn)
        XCTAssertEqual(record.method, "AllocateCredit")
        XCTAssertEqual(record.attempt, 1)
        XCTAssertEqual(record.status, 504)
        XCTAssertTrue(record.outcomeUnknown)
        XCTAssertFalse(record.retry)
        XCTAssertNil(record.body)
        XCTAssertTrue(record.message.contains("outcome unknown"), record.message)
    }

    func testBodiesAtTraceAreRedactedAndNoLineCarriesASecret() async throws {
        let h = try Harness()
        let lines = Collected<String>()
        try setLogListener(listener: PrintLogListener(write: { lines.append($0) }), level: .trace)
        let newUserPassword = "Sw1ft-Log-Secret-4242"
        _ = try await h.client.addUserToAccount(
            request: AddUserToAccountRequest(
                accountId: 1001, username: "log.swift", password: newUserPassword, firstname: "Log",
                lastName: "Swift", emailAddress: "log.swift@example.com", mobilePhoneNumber: "+447700900321",
                landlinePhoneNumber: "+442079460321"))
        try h.fault("GetRoles", .status(status: 503, apply: false))
        _ = try await retrying(h).getRoles(request: GetRolesRequest())
        let wrongPassword = "Wr0ng-Swift-Log-Passw0rd"
        let wrong = try h.client { $0.password = wrongPassword }
        let error = await expectResellerError { try await wrong.getRoles(request: GetRolesRequest()) }
        XCTAssertEqual(error?.kind(), "authentication")

        let got = lines.delivered()
        let request = got.first { $0.hasPrefix("TRACE AddUserToAccount attempt 1 request body") }
        XCTAssertNotNil(request, "\(got)")
        XCTAssertTrue(request?.contains("log.swift") ?? false)
        XCTAssertTrue(request?.contains("***") ?? false)
        XCTAssertTrue(got.contains { $0.contains("direction=response") })
        XCTAssertTrue(got.contains { $0.hasPrefix("WARN GetRoles attempt 1: HTTP 503") })
        let basic = { (password: String) in Data("\(h.emulator.username()):\(password)".utf8).base64EncodedString() }
        let secrets = [
            newUserPassword, h.emulator.password(), wrongPassword, basic(h.emulator.password()), basic(wrongPassword),
        ]
        for line in got {
            for secret in secrets {
                XCTAssertFalse(line.contains(secret), "a secret in: \(line)")
            }
            XCTAssertNil(line.range(of: "authorization", options: .caseInsensitive), line)
        }
    }

    func testNothingIsDeliveredAfterTheListenerIsRemoved() async throws {
        let h = try Harness()
        let records = Collected<LogRecord>()
        try setLogListener(listener: logListener { records.append($0) }, level: .debug)
        _ = try await h.client.getRoles(request: GetRolesRequest())
        XCTAssertEqual(records.delivered().count, 1)
        clearLogListener()
        _ = try await h.client.getRoles(request: GetRolesRequest())
        XCTAssertEqual(records.delivered().count, 1)
        XCTAssertEqual(droppedLogRecords(), 0)
    }
}
