import CpaasReseller
import Foundation
import XCTest

/// Every operation of the catalogue, and the raw `call`, against the emulator: results are
/// checked against what the emulator's state and journal say happened.
final class OperationsTests: XCTestCase {
    func testAccountOperations() async throws {
        let h = try Harness()
        let root = h.emulator.rootAccountId()

        let created = try await h.client.createAccount(
            request: CreateAccountRequest(
                accountName: "Initrode Ltd", parentAccountId: root, contactEmailAddress: "ops@initrode.example.com",
                countryCode: "GB", timeZone: "Europe/London", notes: "from Swift"))
        XCTAssertGreaterThan(created.accountId, root)
        XCTAssertEqual(created.accountName, "Initrode Ltd")
        XCTAssertEqual(created.parentAccountId, root)
        XCTAssertEqual(created.status, .active)
        XCTAssertEqual(created.countryCode, "GB")
        XCTAssertEqual(created.notes, "from Swift")
        let createdDate = try XCTUnwrap(created.createdDate)
        XCTAssertLessThan(abs(createdDate.timeIntervalSinceNow), 300, "created just now (UTC instant)")

        let read = try await h.client.getAccount(request: GetAccountRequest(accountId: created.accountId))
        XCTAssertEqual(read.accountId, created.accountId)
        XCTAssertEqual(read.accountName, created.accountName)
        XCTAssertEqual(read.createdDate, created.createdDate)

        let children = try await h.client.getAccounts(request: GetAccountsRequest(parentAccountId: root))
        XCTAssertTrue(children.accounts.contains { $0.accountId == created.accountId })
        XCTAssertTrue(children.accounts.allSatisfy { $0.parentAccountId == root })
        let all = try await h.client.getAccounts(request: GetAccountsRequest())
        XCTAssertGreaterThan(all.accounts.count, children.accounts.count, "without a parent: the whole tree")
        XCTAssertEqual(try h.lastBody("GetAccounts"), "{}")

        let updated = try await h.client.updateAccount(
            request: UpdateAccountRequest(accountId: created.accountId, accountName: "Initrode Group", notes: "renamed")
        )
        XCTAssertEqual(updated.accountName, "Initrode Group")
        XCTAssertEqual(updated.notes, "renamed")
        XCTAssertEqual(updated.timeZone, "Europe/London", "fields left nil are unchanged")
        XCTAssertEqual(
            try h.lastBody("UpdateAccount"),
            #"{"AccountId":\#(created.accountId),"AccountName":"Initrode Group","Notes":"renamed"}"#)

        let suspended = try await h.client.setAccountStatus(
            request: SetAccountStatusRequest(accountId: created.accountId, status: .suspended))
        XCTAssertEqual(suspended.status, .suspended)
        let reread = try await h.client.getAccount(request: GetAccountRequest(accountId: created.accountId))
        XCTAssertEqual(reread.status, .suspended)
        XCTAssertEqual(reread.status?.wireValue(), "Suspended")
    }

    func testUserOperations() async throws {
        let h = try Harness()
        let added = try await h.client.addUserToAccount(
            request: AddUserToAccountRequest(
                accountId: 1001, username: "dana.swift", password: "Sw1ftPassw0rd", firstname: "Dana",
                lastName: "Swift", emailAddress: "dana@acme.example.com", mobilePhoneNumber: "+447700900321",
                landlinePhoneNumber: "+442079460321", notes: "added by the Swift tests",
                changePasswordAtNextLogon: true))
        let userId = try XCTUnwrap(added.userId)

        let user = try await h.client.getUser(request: GetUserRequest(userId: userId))
        XCTAssertEqual(user.userId, userId)
        XCTAssertEqual(user.accountId, 1001)
        XCTAssertEqual(user.username, "dana.swift")
        XCTAssertEqual(user.firstname, "Dana")
        XCTAssertEqual(user.lastName, "Swift")
        XCTAssertEqual(user.emailAddress, "dana@acme.example.com")
        XCTAssertEqual(user.mobilePhoneNumber, "+447700900321")
        XCTAssertEqual(user.notes, "added by the Swift tests")

        let users = try await h.client.getUsers(request: GetUsersRequest(accountId: 1001))
        XCTAssertTrue(users.users.contains { $0.userId == userId })
        XCTAssertTrue(users.users.allSatisfy { $0.accountId == 1001 })

        let disabled = try await h.client.updateUser(
            request: UpdateUserRequest(userId: userId, lastName: "Swift-Jones", enabled: false))
        XCTAssertEqual(disabled.lastName, "Swift-Jones")
        XCTAssertEqual(disabled.enabled, false)
        XCTAssertEqual(disabled.firstname, "Dana")

        try await h.client.resetUserPassword(
            request: ResetUserPasswordRequest(
                userId: userId, newPassword: "N3wPassw0rd!", changePasswordAtNextLogon: false))
        let stored = try XCTUnwrap(
            (try h.state()["users"] as? [[String: Any]])?.first { ($0["UserId"] as? Int) == Int(userId) })
        XCTAssertEqual(stored["Password"] as? String, "N3wPassw0rd!")
        XCTAssertEqual(stored["ChangePasswordAtNextLogon"] as? Bool, false)

        try await h.client.removeUserFromAccount(request: RemoveUserFromAccountRequest(userId: userId))
        let gone = await expectResellerError { try await h.client.getUser(request: GetUserRequest(userId: userId)) }
        XCTAssertEqual(gone?.kind(), "bad_request")
        XCTAssertEqual(gone?.message, "User \(userId) not found.")
    }

    func testRoleOperations() async throws {
        let h = try Harness()
        let roles = try await h.client.getRoles(request: GetRolesRequest())
        XCTAssertEqual(roles.roles.first?.roleId, 1)
        XCTAssertEqual(roles.roles.first?.roleName, "Administrator")
        XCTAssertEqual(roles.roles.map(\.roleId), [1, 2, 3, 4, 5])
        XCTAssertEqual(try h.lastBody("GetRoles"), "{}")

        // Bob (101, account 1001) starts with role 3.
        try await h.client.assignRoleToUser(request: AssignRoleToUserRequest(userId: 101, roleId: 4))
        var bob = try await h.client.getUser(request: GetUserRequest(userId: 101))
        XCTAssertEqual(bob.roleIds.sorted(), [3, 4])
        try await h.client.removeRoleFromUser(request: RemoveRoleFromUserRequest(userId: 101, roleId: 3))
        bob = try await h.client.getUser(request: GetUserRequest(userId: 101))
        XCTAssertEqual(bob.roleIds, [4])

        func accountRoles() throws -> [Int]? {
            let accounts = try h.state()["accounts"] as? [[String: Any]]
            return accounts?.first { ($0["AccountId"] as? Int) == 1002 }?["RoleIds"] as? [Int]
        }
        try await h.client.assignRoleToAccount(request: AssignRoleToAccountRequest(accountId: 1002, roleId: 5))
        XCTAssertEqual(try accountRoles(), [5])
        XCTAssertEqual(try h.lastBody("AssignRoleToAccount"), #"{"AccountId":1002,"RoleId":5}"#)
        try await h.client.removeRoleFromAccount(request: RemoveRoleFromAccountRequest(accountId: 1002, roleId: 5))
        XCTAssertEqual(try accountRoles(), [])
        let again = await expectResellerError {
            try await h.client.removeRoleFromAccount(request: RemoveRoleFromAccountRequest(accountId: 1002, roleId: 5))
        }
        XCTAssertEqual(again?.message, "Account 1002 does not have role 5.")
    }

    func testCreditOperations() async throws {
        let h = try Harness()
        let before = try await h.client.getCreditBalance(request: GetCreditBalanceRequest(accountId: 1001))
        XCTAssertEqual(before.accountId, 1001)
        XCTAssertEqual(before.balance, decimal("250.00"))
        XCTAssertEqual(before.currency, "GBP")

        let allocation = try await h.client.allocateCredit(
            request: AllocateCreditRequest(accountId: 1001, amount: decimal("19.99"), reference: "swift-ops-1"))
        XCTAssertEqual(allocation.accountId, 1001)
        XCTAssertEqual(allocation.amount, decimal("19.99"))
        XCTAssertEqual(allocation.reference, "swift-ops-1")
        XCTAssertEqual(allocation.balanceAfter, decimal("269.99"))
        let allocatedDate = try XCTUnwrap(allocation.allocatedDate)

        let after = try await h.client.getCreditBalance(request: GetCreditBalanceRequest(accountId: 1001))
        XCTAssertEqual(after.balance, decimal("269.99"))

        let history = try await h.client.getCreditAllocations(request: GetCreditAllocationsRequest(accountId: 1001))
        XCTAssertEqual(history.allocations.map(\.reference), ["OPENING-1001", "swift-ops-1"])
        XCTAssertEqual(history.allocations.last?.allocationId, allocation.allocationId)
        XCTAssertEqual(history.allocations.last?.allocatedDate, allocatedDate)

        // StartDate <= AllocatedDate < EndDate: only the opening allocation (2026-01-01) in January.
        let january = try await h.client.getCreditAllocations(
            request: GetCreditAllocationsRequest(
                accountId: 1001, startDate: rfc3339("2026-01-01T00:00:00Z"), endDate: rfc3339("2026-02-01T00:00:00Z")))
        XCTAssertEqual(january.allocations.map(\.reference), ["OPENING-1001"])
        XCTAssertEqual(january.allocations.first?.allocatedDate, rfc3339("2026-01-01T00:00:00Z"))
        XCTAssertEqual(
            try h.lastBody("GetCreditAllocations"),
            #"{"AccountId":1001,"StartDate":"2026-01-01T00:00:00Z","EndDate":"2026-02-01T00:00:00Z"}"#)
    }

    func testChargeableActivity() async throws {
        let h = try Harness()
        let start = rfc3339("2026-01-05T00:00:00Z")
        let end = rfc3339("2026-01-07T00:00:00Z")
        let report = try await h.client.getChargeableActivity(
            request: GetChargeableActivityRequest(startDate: start, endDate: end, accountId: 1001))
        XCTAssertFalse(report.activities.isEmpty)
        for activity in report.activities {
            XCTAssertEqual(activity.accountId, 1001)
            XCTAssertTrue(activity.activityDate >= start && activity.activityDate < end, "\(activity.activityDate)")
            XCTAssertEqual(
                activity.totalCost, activity.unitCost * Decimal(activity.quantity), "exact decimal arithmetic")
            XCTAssertEqual(activity.currency, "GBP")
        }
        XCTAssertEqual(
            try h.lastBody("GetChargeableActivity"),
            #"{"StartDate":"2026-01-05T00:00:00Z","EndDate":"2026-01-07T00:00:00Z","AccountId":1001}"#)

        let everyone = try await h.client.getChargeableActivity(
            request: GetChargeableActivityRequest(startDate: start, endDate: end))
        XCTAssertGreaterThan(Set(everyone.activities.map(\.accountId)).count, 1, "every account under the reseller")
    }

    func testInboundNumberOperations() async throws {
        let h = try Harness()
        let available = try await h.client.getAvailableInboundNumbers(
            request: GetAvailableInboundNumbersRequest(countryCode: "GB", numberType: .tollFree))
        XCTAssertEqual(available.numbers.count, 3)
        XCTAssertTrue(available.numbers.allSatisfy { $0.numberType == .tollFree && $0.countryCode == "GB" })
        XCTAssertTrue(available.numbers.allSatisfy { $0.accountId == nil && $0.allocatedDate == nil })
        XCTAssertEqual(available.numbers.first?.monthlyCost, decimal("12.50"))
        let number = try XCTUnwrap(available.numbers.first?.number)

        let allocated = try await h.client.allocateInboundNumber(
            request: AllocateInboundNumberRequest(accountId: 1001, number: number))
        XCTAssertEqual(allocated.number, number)
        XCTAssertEqual(allocated.accountId, 1001)
        XCTAssertNotNil(allocated.allocatedDate)

        var mine = try await h.client.getAllocatedInboundNumbers(
            request: GetAllocatedInboundNumbersRequest(accountId: 1001))
        XCTAssertEqual(Set(mine.numbers.map(\.number)), ["+447700900100", number])

        try await h.client.releaseInboundNumber(request: ReleaseInboundNumberRequest(accountId: 1001, number: number))
        mine = try await h.client.getAllocatedInboundNumbers(
            request: GetAllocatedInboundNumbersRequest(accountId: 1001))
        XCTAssertEqual(mine.numbers.map(\.number), ["+447700900100"])
        let again = try await h.client.getAvailableInboundNumbers(
            request: GetAvailableInboundNumbersRequest(countryCode: "GB", numberType: .tollFree))
        XCTAssertTrue(again.numbers.contains { $0.number == number })
    }

    /// The raw escape hatch: same authentication, errors and exact numbers as the typed calls.
    func testRawCall() async throws {
        let h = try Harness()
        XCTAssertEqual(h.client.baseUrl(), h.emulator.baseUrl())
        let text = try await h.client.call(method: "GetCreditBalance", jsonBody: #"{"AccountId":1001}"#)
        let balance = try jsonObject(text)
        XCTAssertEqual(balance["AccountId"] as? Int, 1001)
        XCTAssertEqual(try h.lastBody("GetCreditBalance"), #"{"AccountId":1001}"#)

        let allocation = try await h.client.call(
            method: "AllocateCredit", jsonBody: #"{"AccountId":1001,"Amount":0.1000000000000000000000000001}"#)
        XCTAssertTrue(allocation.contains("0.1000000000000000000000000001"), "every digit kept: \(allocation)")

        _ = try await h.client.call(method: "GetRoles", jsonBody: nil)
        XCTAssertEqual(try h.lastBody("GetRoles"), "{}")

        let notJson = await expectResellerError { try await h.client.call(method: "GetRoles", jsonBody: "{nope") }
        XCTAssertEqual(notJson?.kind(), "validation")
        XCTAssertEqual(notJson?.field, "json_body")

        let refused = await expectResellerError {
            try await h.client.call(method: "GetAccount", jsonBody: #"{"AccountId":424242}"#)
        }
        XCTAssertEqual(refused?.kind(), "bad_request")
        XCTAssertEqual(refused?.method, "GetAccount")
    }
}
