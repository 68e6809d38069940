import CpaasReseller
import Foundation
import XCTest

/// Money as `Decimal` and dates as `Date`, both ways through the library and the wire.
final class ConversionsTests: XCTestCase {
    func testExactDecimalsThroughAllocateCreditAndGetCreditBalance() async throws {
        let h = try Harness()
        let opening = try await h.client.getCreditBalance(request: GetCreditBalanceRequest(accountId: 1001)).balance
        XCTAssertEqual(opening, decimal("250.00"))

        let small = try await h.client.allocateCredit(
            request: AllocateCreditRequest(accountId: 1001, amount: decimal("0.0001"), reference: "tiny"))
        XCTAssertEqual(small.amount, decimal("0.0001"))
        XCTAssertEqual(try h.lastBody("AllocateCredit"), #"{"AccountId":1001,"Amount":0.0001,"Reference":"tiny"}"#)
        XCTAssertEqual(small.balanceAfter, decimal("250.0001"))

        let tenths = try await h.client.allocateCredit(
            request: AllocateCreditRequest(accountId: 1001, amount: decimal("100.10"), reference: "tenths"))
        XCTAssertEqual(tenths.amount, decimal("100.10"))
        // Foundation's Decimal keeps no scale: 100.10 is the value 100.1 and goes out as such.
        XCTAssertEqual(try h.lastBody("AllocateCredit"), #"{"AccountId":1001,"Amount":100.1,"Reference":"tenths"}"#)

        let balance = try await h.client.getCreditBalance(request: GetCreditBalanceRequest(accountId: 1001)).balance
        XCTAssertEqual(balance, decimal("350.1001"))
        XCTAssertEqual(balance, opening + decimal("0.0001") + decimal("100.10"), "no binary floating point anywhere")
        XCTAssertEqual(balance.description, "350.1001")
        XCTAssertNotEqual(balance, decimal("350.1"), "the 0.0001 is not rounded away")

        // 28 significant digits (the core's limit) survive both ways.
        let big = decimal("12345678901234567890.12345678")
        let allocation = try await h.client.allocateCredit(request: AllocateCreditRequest(accountId: 1002, amount: big))
        XCTAssertEqual(allocation.amount, big)
        XCTAssertEqual(
            try h.lastBody("AllocateCredit"), #"{"AccountId":1002,"Amount":12345678901234567890.12345678}"#)
        let bigBalance = try await h.client.getCreditBalance(request: GetCreditBalanceRequest(accountId: 1002)).balance
        XCTAssertEqual(bigBalance, big)
        let fine = decimal("0.1000000000000000000000000001")
        let fineAllocation = try await h.client.allocateCredit(
            request: AllocateCreditRequest(accountId: 1002, amount: fine))
        XCTAssertEqual(fineAllocation.amount, fine)
        XCTAssertNotEqual(fineAllocation.amount, decimal("0.1"))

        // More digits than the core can hold exactly are refused, not rounded.
        let tooFine = decimal("0.12345678901234567890123456789")
        let refused = await expectResellerError {
            try await h.client.allocateCredit(request: AllocateCreditRequest(accountId: 1002, amount: tooFine))
        }
        XCTAssertEqual(refused?.kind(), "validation")
        XCTAssertEqual(refused?.field, "amount")
    }

    func testDatesGoOutAsUtcInstants() async throws {
        let h = try Harness()
        // 2026-01-01T00:00:00Z and 2026-01-02T12:30:00.5Z (a fraction that a Double holds exactly).
        let start = Date(timeIntervalSince1970: 1_767_225_600)
        let end = Date(timeIntervalSince1970: 1_767_357_000.5)
        _ = try await h.client.getChargeableActivity(
            request: GetChargeableActivityRequest(startDate: start, endDate: end, accountId: 1001))
        XCTAssertEqual(
            try h.lastBody("GetChargeableActivity"),
            #"{"StartDate":"2026-01-01T00:00:00Z","EndDate":"2026-01-02T12:30:00.500Z","AccountId":1001}"#)

        // Given with an offset, still the same instant.
        let offset = rfc3339("2026-01-01T01:00:00+01:00")
        XCTAssertEqual(offset, start)
        _ = try await h.client.getCreditAllocations(
            request: GetCreditAllocationsRequest(accountId: 1001, startDate: offset, endDate: nil))
        XCTAssertEqual(
            try h.lastBody("GetCreditAllocations"), #"{"AccountId":1001,"StartDate":"2026-01-01T00:00:00Z"}"#)
    }

    func testDatesComeBackAsTheSameInstants() async throws {
        let h = try Harness()
        let cases: [(wire: String, expected: Date)] = [
            (#""2026-01-31T09:30:00Z""#, Date(timeIntervalSince1970: 1_769_851_800)),
            (#""2026-01-31T10:30:00+01:00""#, Date(timeIntervalSince1970: 1_769_851_800)),
            (#""2026-01-31T09:30:00.25Z""#, Date(timeIntervalSince1970: 1_769_851_800.25)),
            (#""/Date(1767225600000)/""#, Date(timeIntervalSince1970: 1_767_225_600)),
            (#""1969-12-31T23:59:59Z""#, Date(timeIntervalSince1970: -1)),
        ]
        for (wire, expected) in cases {
            try h.fault(
                "GetAccount",
                .body(
                    status: 200, contentType: "application/json", body: #"{"AccountId":1001,"CreatedDate":\#(wire)}"#,
                    apply: false))
            let account = try await h.client.getAccount(request: GetAccountRequest(accountId: 1001))
            let created = try XCTUnwrap(account.createdDate, wire)
            XCTAssertEqual(created.timeIntervalSince1970, expected.timeIntervalSince1970, accuracy: 1e-6, wire)
        }

        // The emulator stamps allocations and journal entries with the current UTC time.
        let allocation = try await h.client.allocateCredit(request: AllocateCreditRequest(accountId: 1001, amount: 1))
        let allocated = try XCTUnwrap(allocation.allocatedDate)
        XCTAssertLessThan(abs(allocated.timeIntervalSinceNow), 300)
        let entry = try XCTUnwrap(h.journal("AllocateCredit").last)
        XCTAssertLessThan(abs(entry.time.timeIntervalSince(allocated)), 5)
    }

    /// Secrets stay out of the descriptions of the records that hold them.
    func testPasswordsNeverShowInDescriptions() throws {
        let request = AddUserToAccountRequest(
            accountId: 1001, username: "jane.doe", password: "Sup3r-PLUGH-secret", firstname: "Jane", lastName: "Doe",
            emailAddress: "jane@example.com", mobilePhoneNumber: "+447700900123", landlinePhoneNumber: "+442079460000")
        let reset = ResetUserPasswordRequest(userId: 5001, newPassword: "N3w-PLUGH-secret")
        var config = ClientConfig(username: "api-user", password: "Api-PLUGH-Passw0rd")
        config.proxy = "http://user:proxy-PLUGH@127.0.0.1:3128"
        for text in [String(reflecting: request), String(reflecting: reset), String(reflecting: config)] {
            XCTAssertFalse(text.contains("PLUGH"), text)
        }
        XCTAssertTrue(String(reflecting: request).contains("jane.doe"))
        XCTAssertTrue(String(reflecting: config).contains("api-user"))
    }
}
