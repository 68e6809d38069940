import CpaasReseller
import Foundation
import XCTest

/// One client shared by many tasks: calls run concurrently and each gets its own answer.
final class ConcurrencyTests: XCTestCase {
    func testFiftyConcurrentCalls() async throws {
        let h = try Harness()
        let client = h.client
        let accounts: [Int32] = [1001, 1002, 1003]
        let results = try await withThrowingTaskGroup(of: (Int, String).self) { group in
            for index in 0..<50 {
                group.addTask {
                    if index.isMultiple(of: 2) {
                        let id = accounts[index % accounts.count]
                        let account = try await client.getAccount(request: GetAccountRequest(accountId: id))
                        return (index, "account \(account.accountId)")
                    } else {
                        let allocation = try await client.allocateCredit(
                            request: AllocateCreditRequest(
                                accountId: 1002, amount: decimal("0.01"), reference: "c-\(index)"))
                        return (index, "allocation \(allocation.reference ?? "-") \(allocation.amount)")
                    }
                }
            }
            var results: [Int: String] = [:]
            for try await (index, text) in group {
                results[index] = text
            }
            return results
        }
        XCTAssertEqual(results.count, 50)
        for index in 0..<50 {
            let expected =
                index.isMultiple(of: 2)
                ? "account \(accounts[index % accounts.count])" : "allocation c-\(index) 0.01"
            XCTAssertEqual(results[index], expected)
        }
        let balance = try await client.getCreditBalance(request: GetCreditBalanceRequest(accountId: 1002))
        XCTAssertEqual(balance.balance, decimal("0.25"), "25 allocations of 0.01, each applied once")
        XCTAssertEqual(try h.emulator.calls(method: "AllocateCredit"), 25)
        XCTAssertEqual(try h.emulator.calls(method: "GetAccount"), 25)
    }

    /// Cancelling the task drops the call (scripts/prepare-swift.sh wires Task cancellation to the
    /// Rust future): it ends with CancellationError, long before the server would have answered.
    func testCancellingATaskDropsTheCall() async throws {
        let h = try Harness()
        try h.fault("GetAccount", .delay(millis: 5000))
        let client = h.client
        let started = Date()
        let task = Task { try await client.getAccount(request: GetAccountRequest(accountId: 1001)) }
        try await Task.sleep(nanoseconds: 200_000_000)
        task.cancel()
        let result = await task.result
        XCTAssertLessThan(Date().timeIntervalSince(started), 3, "returned before the delayed answer")
        switch result {
        case .success(let account):
            XCTFail("expected the call to be cancelled, got \(account)")
        case .failure(let error):
            XCTAssertTrue(error is CancellationError, "\(type(of: error)): \(error)")
        }

        // Cancelled before it starts: nothing is sent.
        let early = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await client.getRoles(request: GetRolesRequest())
        }
        let earlyResult = await early.result
        XCTAssertThrowsError(try earlyResult.get()) { XCTAssertTrue($0 is CancellationError, "\($0)") }
        XCTAssertEqual(try h.emulator.calls(method: "GetRoles"), 0)

        // The client is unaffected.
        let roles = try await client.getRoles(request: GetRolesRequest())
        XCTAssertEqual(roles.roles.count, 5)
    }
}
