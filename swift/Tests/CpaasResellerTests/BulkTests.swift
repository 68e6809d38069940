import CpaasReseller
import Foundation
import XCTest

/// The core's crash-safe bulk runner through the typed bulk methods and `bulk`: faults after the
/// service applied a row, identical reruns that reconcile, the journal, the listener and `stop()`.
final class BulkTests: XCTestCase {
    private let accounts: [Int32] = [1001, 1002, 1003]
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("cpaas-bulk-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func journal(_ name: String) -> String {
        directory.appendingPathComponent(name).path
    }

    /// A credit file of `rows` rows over three accounts, amounts 1.01, 1.02, ..., references `prefix-N`.
    private func creditFile(_ rows: Int, _ prefix: String) -> [AllocateCreditRequest] {
        (0..<rows).map { i in
            AllocateCreditRequest(
                accountId: accounts[i % accounts.count], amount: decimal("1.\(String(format: "%02d", i + 1))"),
                reference: "\(prefix)-\(i)")
        }
    }

    private func balances(_ h: Harness) async throws -> [Int32: Decimal] {
        var result: [Int32: Decimal] = [:]
        for account in accounts {
            result[account] = try await h.client.getCreditBalance(
                request: GetCreditBalanceRequest(accountId: account)
            ).balance
        }
        return result
    }

    /// How often each reference is in the accounts' ledgers.
    private func referenceCounts(_ h: Harness) async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for account in accounts {
            let ledger = try await h.client.getCreditAllocations(
                request: GetCreditAllocationsRequest(accountId: account))
            for allocation in ledger.allocations {
                counts[allocation.reference ?? "", default: 0] += 1
            }
        }
        return counts
    }

    func testCreditFileWithAfterApplyFaultsRerunAppliesEveryReferenceOnce() async throws {
        let h = try Harness()
        let file = creditFile(30, "sw-credit")
        let before = try await balances(h)
        // The first seven allocations: two 504s and two dropped connections after the service
        // applied them, a dropped connection before it did, two 500s that applied nothing.
        try h.fault("AllocateCredit", .status(status: 504, apply: true), times: 2)
        try h.fault("AllocateCredit", .drop(apply: true), times: 2)
        try h.fault("AllocateCredit", .drop(apply: false))
        try h.fault("AllocateCredit", .status(status: 500, apply: false), times: 2)
        let options = BulkOptions(concurrency: 4, journalPath: journal("credit.journal"), settleMs: 0)

        let first = try await h.client.bulkAllocateCredit(requests: file, options: options)
        XCTAssertEqual(first.map(\.index), Array(0..<30))
        XCTAssertEqual(first.filter { $0.status == .applied }.count, 23)
        XCTAssertEqual(first.filter { $0.status == .outcomeUnknown }.count, 5)
        XCTAssertEqual(first.filter { $0.status == .failed }.count, 2)
        for row in first {
            switch row.status {
            case .applied:
                XCTAssertEqual(row.result?.reference, file[Int(row.index)].reference)
                XCTAssertEqual(row.result?.allocationId, row.id)
                XCTAssertNil(row.error)
            case .outcomeUnknown:
                XCTAssertEqual(row.error?.outcomeUnknown, true, "\(row)")
            case .failed:
                XCTAssertEqual(row.error?.kind(), "server")
            default:
                XCTFail("unexpected \(row)")
            }
        }

        try h.emulator.clearFaults()
        let second = try await h.client.bulkAllocateCredit(requests: file, options: options)
        XCTAssertEqual(second.map(\.index), Array(0..<30))
        for (was, now) in zip(first, second) {
            if was.status == .applied {
                XCTAssertEqual(now.status, .alreadyApplied)
                XCTAssertEqual(now.appliedSource, .journal)
                XCTAssertEqual(now.id, was.id)
            } else {
                XCTAssertTrue(now.status == .applied || now.status == .alreadyApplied, "\(now)")
            }
        }
        let found = second.filter { $0.appliedSource == .service }
        XCTAssertEqual(found.count, 4)
        for row in found {
            let record = try jsonObject(row.recordJson ?? "")
            XCTAssertEqual(record["Reference"] as? String, file[Int(row.index)].reference)
            XCTAssertEqual((record["AllocationId"] as? NSNumber)?.int64Value, row.id)
        }
        XCTAssertEqual(second.filter { $0.status == .applied }.count, 3)
        XCTAssertEqual(try h.emulator.calls(method: "AllocateCredit"), 33)

        let counts = try await referenceCounts(h)
        for row in file {
            XCTAssertEqual(counts[row.reference ?? ""], 1, "\(row.reference ?? "") applied once")
        }
        let after = try await balances(h)
        for account in accounts {
            let total = file.filter { $0.accountId == account }.reduce(Decimal(0)) { $0 + $1.amount }
            XCTAssertEqual(after[account], before[account]! + total, "account \(account)")
        }
    }

    func testAccountsAfterApplyFaultRerunFindsThemByName() async throws {
        let h = try Harness()
        let file = (0..<6).map { CreateAccountRequest(accountName: "Swift Bulk \($0)", parentAccountId: 1002) }
        try h.fault("CreateAccount", .status(status: 504, apply: true), times: 2)
        let options = BulkOptions(concurrency: 2, journalPath: journal("accounts.journal"), settleMs: 0)
        let first = try await h.client.bulkCreateAccount(requests: file, options: options)
        XCTAssertEqual(first.filter { $0.status == .applied }.count, 4)
        XCTAssertEqual(first.filter { $0.status == .outcomeUnknown }.count, 2)
        for row in first where row.status == .applied {
            XCTAssertEqual(row.id, row.result.map { Int64($0.accountId) })
        }

        let second = try await h.client.bulkCreateAccount(requests: file, options: options)
        XCTAssertTrue(second.allSatisfy { $0.status == .alreadyApplied }, "\(second)")
        XCTAssertEqual(second.filter { $0.appliedSource == .service }.count, 2)
        XCTAssertEqual(try h.emulator.calls(method: "CreateAccount"), 6)
        let children = try await h.client.getAccounts(request: GetAccountsRequest(parentAccountId: 1002)).accounts
        for (row, request) in zip(second, file) {
            let matches = children.filter { $0.accountName == request.accountName }
            XCTAssertEqual(matches.count, 1, request.accountName)
            XCTAssertEqual(matches.first.map { Int64($0.accountId) }, row.id)
        }
    }

    func testAForeignJournalIsRefusedBeforeAnythingIsSent() async throws {
        let h = try Harness()
        let path = journal("foreign.journal")
        _ = try await h.client.bulkAllocateCredit(
            requests: creditFile(3, "sw-own"), options: BulkOptions(journalPath: path))
        let calls = try h.emulator.calls(method: "AllocateCredit")
        let error = await expectResellerError {
            try await h.client.bulkAllocateCredit(
                requests: self.creditFile(4, "sw-other"), options: BulkOptions(journalPath: path))
        }
        XCTAssertEqual(error?.field, "journal")
        XCTAssertEqual(error?.kind(), "validation")
        XCTAssertTrue(error?.message?.contains("another input") == true, "\(String(describing: error))")
        XCTAssertEqual(try h.emulator.calls(method: "AllocateCredit"), calls)
    }

    func testTheListenerSeesEveryRowAndTheCounters() async throws {
        let h = try Harness()
        let seen = Seen()
        let listener = bulkListener(
            onProgress: { seen.add(progress: $0) }, onRow: { seen.add(row: $0) },
            onWarning: { seen.add(warning: $0) })
        let rows = try await h.client.bulkAllocateCredit(
            requests: creditFile(9, "sw-listen"), options: BulkOptions(concurrency: 3, listener: listener))
        XCTAssertTrue(rows.allSatisfy { $0.status == .applied })
        let (progress, updates, warnings) = seen.snapshot()
        XCTAssertEqual(progress.map(\.done), Array(1...9))
        XCTAssertEqual(
            progress.last,
            BulkProgress(
                done: 9, total: 9, applied: 9, alreadyApplied: 0, failed: 0, outcomeUnknown: 0, notStarted: 0))
        XCTAssertEqual(Set(updates.map(\.index)), Set(0..<9))
        XCTAssertTrue(updates.allSatisfy { $0.status == .applied && $0.id != nil && $0.recordJson != nil })
        XCTAssertTrue(warnings.isEmpty)

        // A listener that throws does not stop the run.
        struct ListenerBug: Error {}
        let throwing = bulkListener(onProgress: { _ in throw ListenerBug() })
        let more = try await h.client.bulkAllocateCredit(
            requests: creditFile(3, "sw-throw"), options: BulkOptions(listener: throwing))
        XCTAssertTrue(more.allSatisfy { $0.status == .applied })
    }

    func testStopLeavesTheRestNotStarted() async throws {
        let h = try Harness()
        let file = creditFile(8, "sw-stop")
        let stop = BulkStop()
        let options = BulkOptions(
            concurrency: 1, journalPath: journal("stop.journal"),
            listener: bulkListener(onProgress: { _ in stop.stop() }), stop: stop)
        let first = try await h.client.bulkAllocateCredit(requests: file, options: options)
        XCTAssertEqual(first[0].status, .applied)
        XCTAssertTrue(first.dropFirst().allSatisfy { $0.status == .notStarted && $0.error == nil }, "\(first)")
        XCTAssertEqual(first[1].status.label(), "not_started")
        XCTAssertEqual(try h.emulator.calls(method: "AllocateCredit"), 1)

        let rest = try await h.client.bulkAllocateCredit(
            requests: file, options: BulkOptions(journalPath: journal("stop.journal")))
        XCTAssertEqual(rest[0].status, .alreadyApplied)
        XCTAssertTrue(rest.dropFirst().allSatisfy { $0.status == .applied })
        let counts = try await referenceCounts(h)
        for row in file { XCTAssertEqual(counts[row.reference ?? ""], 1) }
    }

    func testCancellingTheTaskMidRunIsResolvedByTheRerun() async throws {
        let h = try Harness()
        let file = creditFile(8, "sw-cancel")
        try h.fault("AllocateCredit", .delay(millis: 800), times: 8)
        let options = BulkOptions(concurrency: 2, journalPath: journal("cancel.journal"), settleMs: 0)
        let client = h.client
        let run = Task { try await client.bulkAllocateCredit(requests: file, options: options) }
        try await Task.sleep(nanoseconds: 300_000_000)  // two allocations held by the emulator's delay
        run.cancel()
        let result = await run.result
        XCTAssertThrowsError(try result.get()) { XCTAssertTrue($0 is CancellationError, "\($0)") }
        try await Task.sleep(nanoseconds: 1_500_000_000)  // the delayed requests are answered
        try h.emulator.clearFaults()

        let rerun = try await client.bulkAllocateCredit(requests: file, options: options)
        XCTAssertTrue(rerun.allSatisfy { $0.status == .applied || $0.status == .alreadyApplied }, "\(rerun)")
        let counts = try await referenceCounts(h)
        for row in file { XCTAssertEqual(counts[row.reference ?? ""], 1, "\(row.reference ?? "") applied once") }
    }

    func testBulkByMethodNameTakesAndReturnsJson() async throws {
        let h = try Harness()
        let rows = try await h.client.bulk(
            method: "AllocateCredit",
            itemsJson: #"[{"AccountId":1001,"Amount":2.50,"Reference":"sw-json-0"},{"AccountId":1001,"Amount":-1}]"#)
        XCTAssertEqual(rows.map(\.status), [.applied, .failed])
        let result = try jsonObject(rows[0].resultJson ?? "")
        XCTAssertEqual(result["Reference"] as? String, "sw-json-0")
        XCTAssertEqual((result["AllocationId"] as? NSNumber)?.int64Value, rows[0].id)
        XCTAssertEqual(rows[1].error?.field, "Amount")

        let method = await expectResellerError { try await h.client.bulk(method: "MakeMoney", itemsJson: "[]") }
        XCTAssertEqual(method?.field, "method")
        let json = await expectResellerError { try await h.client.bulk(method: "AllocateCredit", itemsJson: "{}") }
        XCTAssertEqual(json?.field, "items_json")
        let settle = await expectResellerError {
            try await h.client.bulk(method: "AllocateCredit", itemsJson: "[]", options: BulkOptions(settleMs: -1))
        }
        XCTAssertEqual(settle?.field, "settle_ms")
    }
}

/// What a listener was told, from whichever thread the run calls it on.
private final class Seen: @unchecked Sendable {
    private let lock = NSLock()
    private var progress: [BulkProgress] = []
    private var rows: [BulkRowUpdate] = []
    private var warnings: [String] = []

    func add(progress value: BulkProgress) { lock.withLock { progress.append(value) } }
    func add(row value: BulkRowUpdate) { lock.withLock { rows.append(value) } }
    func add(warning value: String) { lock.withLock { warnings.append(value) } }

    func snapshot() -> ([BulkProgress], [BulkRowUpdate], [String]) {
        lock.withLock { (progress, rows, warnings) }
    }
}
