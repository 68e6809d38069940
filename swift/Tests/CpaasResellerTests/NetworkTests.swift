import CpaasReseller
import Foundation
import XCTest

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

private let proxyPassword = "proxy-PLUGH-secret"

private func basic(_ user: String, _ password: String) -> String {
    "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
}

/// Sets environment variables for one test and restores them after it (XCTest runs the tests of a
/// process one at a time; the core reads the variables when a client is built).
private final class Environment {
    private var saved: [String: String?] = [:]

    func set(_ name: String, _ value: String?) {
        if saved.index(forKey: name) == nil {
            saved[name] = ProcessInfo.processInfo.environment[name]
        }
        if let value { setenv(name, value, 1) } else { unsetenv(name) }
    }

    deinit {
        for (name, value) in saved {
            if let value { setenv(name, value, 1) } else { unsetenv(name) }
        }
    }
}

/// Proxies, the `CPAAS_RESELLER_*` fallback and HTTPS trust, through the public API.
final class NetworkTests: XCTestCase {
    func testCallsGoThroughAProxyWithItsCredentials() async throws {
        let h = try Harness()
        let proxy = try TestProxy(expected: basic("proxy-user", proxyPassword))
        defer { proxy.stop() }
        var config = h.emulator.clientConfig()
        config.proxy = proxy.url
        config.proxyUsername = "proxy-user"
        config.proxyPassword = proxyPassword
        XCTAssertFalse(String(describing: config).contains("PLUGH"))
        let client = try Client(config: config)
        let roles = try await client.getRoles(request: GetRolesRequest())
        XCTAssertEqual(roles.roles.count, 5)
        XCTAssertEqual(proxy.seen.map(\.line), ["POST \(h.emulator.baseUrl())/GetRoles HTTP/1.1"])
        XCTAssertEqual(proxy.seen.map(\.authorization), [basic("proxy-user", proxyPassword)])
    }

    func testRefusedProxyCredentialsStaySecret() async throws {
        let h = try Harness()
        let proxy = try TestProxy(expected: basic("proxy-user", proxyPassword))
        defer { proxy.stop() }
        let client = try h.client {
            $0.proxy = proxy.url
            $0.proxyUsername = "proxy-user"
            $0.proxyPassword = "wrong-XYZZY"
            $0.maxRetries = 0
        }
        let error = await expectResellerError { try await client.getRoles(request: GetRolesRequest()) }
        XCTAssertNotNil(error)
        XCTAssertFalse(String(describing: error).contains("XYZZY"))
        XCTAssertFalse(proxy.seen.isEmpty, String(describing: error))
        XCTAssertEqual(try h.journal("GetRoles").count, 0, "the proxy refused before the service")
    }

    func testOptionsLeftOutComeFromCpaasResellerVariables() async throws {
        let h = try Harness()
        let proxy = try TestProxy(expected: basic("proxy-user", proxyPassword))
        defer { proxy.stop() }
        let env = Environment()
        env.set("CPAAS_RESELLER_USERNAME", h.emulator.username())
        env.set("CPAAS_RESELLER_PASSWORD", h.emulator.password())
        env.set("CPAAS_RESELLER_BASE_URL", h.emulator.baseUrl())
        env.set("CPAAS_RESELLER_PROXY", proxy.url)
        env.set("CPAAS_RESELLER_PROXY_USERNAME", "proxy-user")
        env.set("CPAAS_RESELLER_PROXY_PASSWORD", proxyPassword)
        let client = try Client(config: ClientConfig())
        _ = try await client.getRoles(request: GetRolesRequest())
        XCTAssertEqual(proxy.seen.map(\.authorization), [basic("proxy-user", proxyPassword)])
        // An explicit option wins over its variable.
        let wrong = try Client(config: ClientConfig(username: h.emulator.username(), password: "wrong-Passw0rd", maxRetries: 0))
        let error = await expectResellerError { try await wrong.getRoles(request: GetRolesRequest()) }
        XCTAssertEqual(error?.kind(), "authentication")
        // Half a pair is never completed from the variables: the missing half is named.
        XCTAssertEqual(validationField { try Client(config: ClientConfig(username: "someone")) }, "password")
        env.set("CPAAS_RESELLER_PROXY_PASSWORD", nil)
        XCTAssertEqual(validationField { try Client(config: ClientConfig()) }, "proxy_password")
    }

    func testHttpsTrustedWhenTheCaIsPassed() async throws {
        let emulator = try Emulator(options: EmulatorOptions(tls: true))
        defer { emulator.shutdown() }
        XCTAssertTrue(emulator.baseUrl().hasPrefix("https://127.0.0.1:"), emulator.baseUrl())
        let ca = try XCTUnwrap(emulator.caPem())
        var config = emulator.clientConfig()
        config.rootCertificatesPem = [ca]
        let roles = try await Client(config: config).getRoles(request: GetRolesRequest())
        XCTAssertEqual(roles.roles.count, 5)
        XCTAssertNil(try Emulator().caPem())
    }

    func testHttpsRefusedWithoutTheCa() async throws {
        let emulator = try Emulator(options: EmulatorOptions(tls: true))
        let other = try Emulator(options: EmulatorOptions(tls: true))
        defer {
            emulator.shutdown()
            other.shutdown()
        }
        for roots in [[], [try XCTUnwrap(other.caPem())]] {
            var config = emulator.clientConfig()
            config.rootCertificatesPem = roots
            config.maxRetries = 0
            let client = try Client(config: config)
            let error = await expectResellerError { try await client.getRoles(request: GetRolesRequest()) }
            guard case .Transport(let transport, _) = error else {
                return XCTFail("expected Transport, got \(String(describing: error))")
            }
            XCTAssertTrue(transport.message.lowercased().contains("certificate"), transport.message)
            XCTAssertFalse(transport.outcomeUnknown)
        }
        XCTAssertEqual(try emulator.journal().count, 0)
    }

    func testHttpsTrustedThroughSslCertFile() async throws {
        let emulator = try Emulator(options: EmulatorOptions(tls: true))
        defer { emulator.shutdown() }
        let bundle = FileManager.default.temporaryDirectory.appendingPathComponent("cpaas-ca-\(UUID().uuidString).pem")
        try XCTUnwrap(emulator.caPem()).write(to: bundle, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: bundle) }
        var config = emulator.clientConfig()
        config.rootCertificatesPem = []
        config.maxRetries = 0
        let env = Environment()
        env.set("SSL_CERT_DIR", nil)
        env.set("SSL_CERT_FILE", bundle.path)
        let roles = try await Client(config: config).getRoles(request: GetRolesRequest())
        XCTAssertEqual(roles.roles.count, 5)
        env.set("SSL_CERT_FILE", nil)
        let error = await expectResellerError { try await Client(config: config).getRoles(request: GetRolesRequest()) }
        XCTAssertEqual(error?.kind(), "transport")
    }
}

/// The field a `Validation` error names, or `nil` when `body` did not throw one.
private func validationField(_ body: () throws -> Any) -> String? {
    do {
        _ = try body()
    } catch ResellerError.Validation(_, let field, _, _) {
        return field
    } catch {}
    return nil
}
