import CpaasReseller
import Foundation
import XCTest

/// Each case of `ResellerError`, produced by a real failure (emulator faults, wrong credentials,
/// a wrong base path, a short timeout, a closed port), with every field checked.
final class ErrorsTests: XCTestCase {
    func testBadRequestCarriesTheVendorErrorBody() async throws {
        let h = try Harness()
        try h.fault("GetAccount", .status(status: 400, apply: false))
        let error = await expectResellerError {
            try await h.client.getAccount(request: GetAccountRequest(accountId: 1001))
        }
        guard case .BadRequest(let http, let description) = error else {
            return XCTFail("expected BadRequest, got \(String(describing: error))")
        }
        XCTAssertEqual(http.method, "GetAccount")
        XCTAssertEqual(http.status, 400)
        XCTAssertEqual(http.errorType, "ArgumentFaultContract")
        XCTAssertEqual(http.message, "Injected fault: the request was rejected.")
        let detail = try jsonObject(http.detailJson)
        XCTAssertEqual(detail["Message"] as? String, http.message)
        XCTAssertEqual(detail["InjectedFault"] as? Bool, true, "fields this version does not know are kept")
        XCTAssertTrue(http.bodyExcerpt.contains("ArgumentFaultContract"), http.bodyExcerpt)
        XCTAssertTrue(http.contentType?.hasPrefix("application/json") ?? false, String(describing: http.contentType))
        XCTAssertNil(http.hint)
        XCTAssertFalse(http.outcomeUnknown)
        XCTAssertEqual(http.attempts, 1, "a 400 is not retried")
        XCTAssertTrue(description.hasPrefix("GetAccount: HTTP 400"), description)
        XCTAssertEqual(error?.description, description, "Display is the core's text")
        XCTAssertEqual(error?.kind(), "bad_request")
        XCTAssertEqual(error?.http, http, "the shared accessor reads the same record")
        XCTAssertEqual(error?.http?.status, 400)
        XCTAssertEqual(error?.method, "GetAccount")
        XCTAssertEqual(error?.message, http.message)
        XCTAssertEqual(error?.attempts, 1)
        XCTAssertEqual(error?.outcomeUnknown, false)
        XCTAssertEqual(try h.journal("GetAccount").count, 1)
    }

    func testWrongPasswordIsAnAuthenticationErrorThatNeverShowsThePassword() async throws {
        let h = try Harness()
        let secret = "Wr0ng-XYZZY-Passw0rd"
        let client = try h.client { $0.password = secret }
        let error = await expectResellerError { try await client.getRoles(request: GetRolesRequest()) }
        guard case .Authentication(let http, _) = error else {
            return XCTFail("expected Authentication, got \(String(describing: error))")
        }
        XCTAssertEqual(http.method, "GetRoles")
        XCTAssertEqual(http.status, 401)
        XCTAssertEqual(http.errorType, "AuthenticationFaultContract")
        XCTAssertEqual(http.message, "Invalid user name or password.")
        XCTAssertFalse(http.outcomeUnknown)
        XCTAssertEqual(http.attempts, 1, "a 401 is not retried")
        XCTAssertEqual(error?.kind(), "authentication")
        var config = h.emulator.clientConfig()
        config.password = secret
        let texts = [
            http.bodyExcerpt, String(describing: error), String(reflecting: error), error?.localizedDescription ?? "",
            error?.errorDescription ?? "", String(reflecting: config), String(describing: config),
        ]
        for text in texts {
            XCTAssertFalse(text.contains("XYZZY"), "the password leaked: \(text)")
        }
        XCTAssertEqual(try h.journal("GetRoles").first?.status, 401)
    }

    func testServerErrorAndItsRetries() async throws {
        let h = try Harness()
        try h.fault("GetAccount", .status(status: 500, apply: false))
        let noRetries = try h.client { $0.maxRetries = 0 }
        let error = await expectResellerError {
            try await noRetries.getAccount(request: GetAccountRequest(accountId: 1001))
        }
        guard case .Server(let http, _) = error else {
            return XCTFail("expected Server, got \(String(describing: error))")
        }
        XCTAssertEqual(http.method, "GetAccount")
        XCTAssertEqual(http.status, 500)
        XCTAssertEqual(http.errorType, "InternalFaultContract")
        XCTAssertEqual(http.message, "Injected fault: an internal error occurred.")
        XCTAssertFalse(http.outcomeUnknown)
        XCTAssertEqual(http.attempts, 1)

        // A read is retried on 500: three faults, three attempts, then the error.
        try h.fault("GetAccount", .status(status: 500, apply: false), times: 3)
        let retrying = try h.client {
            $0.maxRetries = 2
            $0.initialBackoffMs = 1
            $0.maxBackoffMs = 5
        }
        let exhausted = await expectResellerError {
            try await retrying.getAccount(request: GetAccountRequest(accountId: 1001))
        }
        XCTAssertEqual(exhausted?.kind(), "server")
        XCTAssertEqual(exhausted?.attempts, 3)
        XCTAssertEqual(exhausted?.http?.attempts, 3)
        // One fault, then success on the retry.
        try h.fault("GetAccount", .status(status: 500, apply: false))
        let account = try await retrying.getAccount(request: GetAccountRequest(accountId: 1001))
        XCTAssertEqual(account.accountId, 1001)
    }

    func testGatewayTimeoutOnAnAppliedMutationHasAnUnknownOutcome() async throws {
        let h = try Harness()
        try h.fault("AllocateCredit", .status(status: 504, apply: true))
        let request = AllocateCreditRequest(accountId: 1001, amount: decimal("10.00"), reference: "swift-504")
        let error = await expectResellerError { try await h.client.allocateCredit(request: request) }
        guard case .GatewayTimeout(let http, let description) = error else {
            return XCTFail("expected GatewayTimeout, got \(String(describing: error))")
        }
        XCTAssertEqual(http.method, "AllocateCredit")
        XCTAssertEqual(http.status, 504)
        XCTAssertEqual(http.errorType, "TimeoutFaultContract")
        XCTAssertTrue(http.outcomeUnknown)
        XCTAssertEqual(error?.isOutcomeUnknown(), true)
        XCTAssertEqual(error?.outcomeUnknown, true)
        XCTAssertEqual(http.attempts, 1, "a mutating call that reached the service is never retried")
        XCTAssertTrue(description.contains("outcome unknown"), description)
        XCTAssertEqual(try h.emulator.calls(method: "AllocateCredit"), 1)
        XCTAssertEqual(try h.journal("AllocateCredit").first?.applied, true)

        // Reconcile by reference: the allocation was made.
        let history = try await h.client.getCreditAllocations(request: GetCreditAllocationsRequest(accountId: 1001))
        XCTAssertEqual(history.allocations.filter { $0.reference == "swift-504" }.map(\.amount), [decimal("10")])
        let balance = try await h.client.getCreditBalance(request: GetCreditBalanceRequest(accountId: 1001))
        XCTAssertEqual(balance.balance, decimal("260.00"))
    }

    func testWrongBasePathIsA404WithAHint() async throws {
        let h = try Harness()
        let wrong = h.emulator.baseUrl().replacingOccurrences(
            of: "/WebApi/ResellerServices", with: "/WebApi/NoSuchService")
        XCTAssertNotEqual(wrong, h.emulator.baseUrl())
        let client = try h.client {
            $0.baseUrl = wrong
            $0.maxRetries = 0
        }
        let error = await expectResellerError {
            try await client.getAccount(request: GetAccountRequest(accountId: 1001))
        }
        guard case .UnexpectedResponse(let http, _) = error else {
            return XCTFail("expected UnexpectedResponse, got \(String(describing: error))")
        }
        XCTAssertEqual(http.method, "GetAccount")
        XCTAssertEqual(http.status, 404)
        XCTAssertFalse(http.outcomeUnknown)
        let text = try XCTUnwrap(http.hint)
        XCTAssertTrue(text.contains("check the base URL") && text.contains(wrong), text)
        XCTAssertEqual(error?.kind(), "unexpected_response")

        // The overview page's spelling of the path is served too.
        let alternative = try h.client { $0.baseUrl = h.emulator.altBaseUrl() }
        let account = try await alternative.getAccount(request: GetAccountRequest(accountId: 1001))
        XCTAssertEqual(account.accountId, 1001)
    }

    func testHtmlErrorPage() async throws {
        let h = try Harness()
        let client = try h.client { $0.maxRetries = 0 }
        try h.fault("GetAccount", .html(status: 502))
        let error = await expectResellerError {
            try await client.getAccount(request: GetAccountRequest(accountId: 1001))
        }
        // Without matching the case: the shared accessor.
        let http = try XCTUnwrap(error?.http, "an HTTP answer")
        XCTAssertEqual(error?.kind(), "unexpected_response")
        XCTAssertEqual(http.status, 502)
        XCTAssertNil(http.errorType)
        XCTAssertEqual(http.detailJson, "{}")
        XCTAssertTrue(http.contentType?.hasPrefix("text/html") ?? false, String(describing: http.contentType))
        XCTAssertTrue(http.bodyExcerpt.contains("<title>502"), http.bodyExcerpt)

        // An HTML page with 200 on a mutation that was applied: the outcome is unknown.
        try h.fault(
            "AllocateCredit",
            .body(status: 200, contentType: "text/html", body: "<html><body>OK</body></html>", apply: true))
        let undecodable = await expectResellerError {
            try await client.allocateCredit(request: AllocateCreditRequest(accountId: 1001, amount: decimal("1")))
        }
        XCTAssertEqual(undecodable?.kind(), "unexpected_response")
        XCTAssertEqual(undecodable?.http?.status, 200)
        XCTAssertEqual(undecodable?.outcomeUnknown, true)
        XCTAssertTrue(undecodable?.message?.contains("expected a JSON body, got text/html") ?? false)
    }

    func testTimeout() async throws {
        let h = try Harness()
        let client = try h.client {
            $0.timeoutMs = 300
            $0.maxRetries = 0
        }
        try h.fault("GetAccount", .delay(millis: 3000))
        let started = Date()
        let error = await expectResellerError {
            try await client.getAccount(request: GetAccountRequest(accountId: 1001))
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 2.5, "gave up after the timeout")
        guard case .Timeout(let transport, let description) = error else {
            return XCTFail("expected Timeout, got \(String(describing: error))")
        }
        XCTAssertEqual(transport.method, "GetAccount")
        XCTAssertFalse(transport.message.isEmpty)
        XCTAssertFalse(transport.outcomeUnknown, "a read has no outcome to reconcile")
        XCTAssertEqual(transport.attempts, 1)
        XCTAssertTrue(description.hasPrefix("GetAccount: "), description)
        XCTAssertEqual(error?.transport, transport)
        XCTAssertEqual(error?.message, transport.message)
        XCTAssertNil(error?.http)
        XCTAssertEqual(error?.method, "GetAccount")
        XCTAssertEqual(error?.attempts, 1)

        try h.fault("AllocateCredit", .delay(millis: 3000))
        let mutation = await expectResellerError {
            try await client.allocateCredit(request: AllocateCreditRequest(accountId: 1001, amount: decimal("2")))
        }
        XCTAssertEqual(mutation?.kind(), "timeout")
        XCTAssertEqual(mutation?.outcomeUnknown, true, "the request was sent: it may have been applied")
    }

    func testTransportErrorOnAClosedPort() async throws {
        let h = try Harness()
        let closed = try Emulator()
        let url = closed.baseUrl()
        closed.shutdown()
        XCTAssertFalse(closed.isRunning())
        let client = try h.client {
            $0.baseUrl = url
            $0.maxRetries = 2
            $0.initialBackoffMs = 1
            $0.maxBackoffMs = 5
        }
        let error = await expectResellerError {
            try await client.allocateCredit(request: AllocateCreditRequest(accountId: 1001, amount: decimal("3")))
        }
        guard case .Transport(let transport, _) = error else {
            return XCTFail("expected Transport, got \(String(describing: error))")
        }
        XCTAssertEqual(transport.method, "AllocateCredit")
        XCTAssertFalse(transport.message.isEmpty)
        XCTAssertFalse(transport.outcomeUnknown, "the request provably never reached the service")
        XCTAssertEqual(transport.attempts, 3, "so even a mutation is retried")
        XCTAssertEqual(error?.attempts, 3)
        XCTAssertEqual(error?.kind(), "transport")
    }

    func testValidationFailsBeforeAnythingIsSent() async throws {
        let h = try Harness()
        let error = await expectResellerError {
            try await h.client.allocateCredit(request: AllocateCreditRequest(accountId: 1001, amount: decimal("0")))
        }
        guard case .Validation(let method, let field, let message, let description) = error else {
            return XCTFail("expected Validation, got \(String(describing: error))")
        }
        XCTAssertEqual(method, "AllocateCredit")
        XCTAssertEqual(field, "Amount")
        XCTAssertFalse(message.isEmpty)
        XCTAssertTrue(description.hasPrefix("AllocateCredit: invalid Amount"), description)
        XCTAssertEqual(error?.outcomeUnknown, false)
        XCTAssertNil(error?.http)
        XCTAssertEqual(error?.attempts, 0)

        // A Decimal that is not a number cannot cross as an amount.
        let nan = await expectResellerError {
            try await h.client.allocateCredit(request: AllocateCreditRequest(accountId: 1001, amount: .nan))
        }
        XCTAssertEqual(nan?.kind(), "validation")
        XCTAssertEqual(nan?.field, "amount")
        XCTAssertEqual(try h.emulator.calls(method: "AllocateCredit"), 0)

        // An invalid configuration fails when the client is built, naming the option.
        var config = h.emulator.clientConfig()
        config.baseUrl = "http://reseller.example.com/WebApi/ResellerServices"
        do {
            _ = try Client(config: config)
            XCTFail("plain http to a non-loopback host must be refused")
        } catch let error as ResellerError {
            XCTAssertEqual(error.kind(), "validation")
            XCTAssertNil(error.method)
            XCTAssertNotNil(error.field)
        }
    }
}
