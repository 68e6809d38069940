import CpaasReseller
import Foundation
import XCTest

/// The shared conformance vectors (tests/vectors, format in its README) through the typed API,
/// against the emulator. Paths in `expect` are snake_case; Swift's properties are camelCase.
final class VectorsTests: XCTestCase {
    private func cases(_ file: String) throws -> [[String: Any]] {
        let url = repositoryRoot.appendingPathComponent("tests/vectors").appendingPathComponent(file)
        let data = try Data(contentsOf: url)
        let cases = try XCTUnwrap(
            try JSONSerialization.jsonObject(with: data) as? [[String: Any]], "\(file) is not an array")
        XCTAssertFalse(cases.isEmpty, "\(file) has no cases")
        return cases
    }

    /// Runs `check` for every case of `file`, each on a freshly reset emulator.
    private func each(
        _ file: String, _ check: (Harness, _ name: String, _ case: [String: Any]) async throws -> Void
    ) async throws {
        let h = try Harness()
        var ran = 0
        for item in try cases(file) {
            let name = "\(file): \(item["name"] as? String ?? item["operation"] as? String ?? "?")"
            try h.emulator.reset()
            do {
                try await check(h, name, item)
            } catch {
                XCTFail("\(name): \(error)")
            }
            ran += 1
        }
        XCTAssertGreaterThan(ran, 0)
    }

    /// operations.json has one sample per operation of the catalogue, in its order.
    func testEveryOperationHasASample() throws {
        let sampled = try cases("operations.json").map { $0["operation"] as? String ?? "?" }
        let catalogue = operations().map(\.method)
        XCTAssertEqual(
            catalogue.filter { !sampled.contains($0) }, [], "tests/vectors/operations.json has no sample for these")
        XCTAssertEqual(sampled, catalogue, "one sample per operation, in catalogue order")
    }

    /// Each sample through the raw `call` (after its `prepare` call): it succeeds on the seeded
    /// state, is sent once, and changes the state exactly when the operation is mutating.
    func testEverySampleSucceedsThroughCall() async throws {
        let mutating = Dictionary(uniqueKeysWithValues: operations().map { ($0.method, $0.mutating) })
        func send(_ client: Client, _ call: [String: Any]) async throws {
            let input = try JSONSerialization.data(withJSONObject: try XCTUnwrap(call["input"]))
            _ = try await client.call(
                method: try XCTUnwrap(call["operation"] as? String), jsonBody: String(decoding: input, as: UTF8.self))
        }
        try await each("operations.json") { h, name, item in
            let operation = try XCTUnwrap(item["operation"] as? String)
            if let prepare = item["prepare"] as? [String: Any] {
                try await send(h.client, prepare)
            }
            let before = NSDictionary(dictionary: try h.state())
            try h.emulator.clearJournal()
            try await send(h.client, item)
            XCTAssertEqual(try h.emulator.calls(method: operation), 1, "\(name): sent once")
            let changed = !before.isEqual(to: try h.state())
            let expected = try XCTUnwrap(mutating[operation], "\(name): not in the catalogue")
            XCTAssertEqual(changed, expected, "\(name): the state changed")
        }
    }

    func testRequestEncoding() async throws {
        try await each("requests.json") { h, name, item in
            let operation = try XCTUnwrap(item["operation"] as? String)
            let input = VendorInput(try XCTUnwrap(item["input"] as? [String: Any]))
            do {
                _ = try await callTyped(h.client, operation, input)
            } catch let error as ResellerError {
                // Any answer is fine (the vector is about what went out), but not a local refusal.
                XCTAssertNotEqual(error.kind(), "validation", "\(name): nothing was sent: \(error.description)")
            }
            // Foundation's Decimal keeps no scale: an amount written `12.50` is the value 12.5 and
            // goes out as `12.5`. Everything else must match byte for byte.
            var wire = try XCTUnwrap(item["wire"] as? String)
            for (key, given, sent) in input.rescaled {
                let written = "\"\(key)\":\(given)"
                XCTAssertTrue(wire.contains(written), "\(name): \(written) not in the vector's wire")
                XCTAssertEqual(decimal(given), decimal(sent), "\(name): \(given) and \(sent) are one amount")
                wire = wire.replacingOccurrences(of: written, with: "\"\(key)\":\(sent)")
            }
            XCTAssertEqual(try h.lastBody(operation), wire, name)
        }
    }

    func testResponseDecoding() async throws {
        try await each("responses.json") { h, name, item in
            let operation = try XCTUnwrap(item["operation"] as? String)
            try h.fault(
                operation,
                .body(
                    status: 200, contentType: "application/json", body: try XCTUnwrap(item["body"] as? String),
                    apply: false))
            let result = try await callTyped(
                h.client, operation, VendorInput(try XCTUnwrap(item["input"] as? [String: Any])))
            let expect = try XCTUnwrap(item["expect"] as? [[String: Any]])
            XCTAssertFalse(expect.isEmpty, name)
            for check in expect {
                let path = try XCTUnwrap(check["path"] as? String)
                let actual = try resolve(result, path)
                assertMatches(check["value"] as Any, actual, "\(name): \(path)")
            }
            if let extra = item["extra"] as? [String: Any] {
                let path = try XCTUnwrap(extra["path"] as? String)
                let record = try XCTUnwrap(unwrapOptional(try resolve(result, path)), "\(name): no record at \(path)")
                let extraJson = try XCTUnwrap(try resolve(record, "extra_json") as? String, "\(name): no extraJson")
                let keys = try XCTUnwrap(extra["keys"] as? [String])
                XCTAssertTrue(
                    Set(try jsonObject(extraJson).keys).isSuperset(of: keys),
                    "\(name): \(extraJson) lacks some of \(keys)")
            }
        }
    }

    func testErrorMapping() async throws {
        try await each("errors.json") { h, name, item in
            let operation = try XCTUnwrap(item["operation"] as? String)
            let status = try XCTUnwrap(item["status"] as? Int)
            try h.fault(
                operation,
                .body(
                    status: UInt16(status), contentType: try XCTUnwrap(item["content_type"] as? String),
                    body: try XCTUnwrap(item["body"] as? String), apply: false))
            let client = try h.client { $0.maxRetries = 0 }
            let input = VendorInput(try XCTUnwrap(item["input"] as? [String: Any]))
            let caught = await expectResellerError { try await callTyped(client, operation, input) }
            let error = try XCTUnwrap(caught, name)
            let expect = try XCTUnwrap(item["expect"] as? [String: Any])
            XCTAssertEqual(error.kind(), expect["kind"] as? String, "\(name): \(error.description)")
            for (key, value) in expect {
                switch key {
                case "kind":
                    continue
                case "status":
                    XCTAssertEqual(error.http.map { Int($0.status) }, value as? Int, "\(name): status")
                case "error_type":
                    XCTAssertEqual(error.http?.errorType, value as? String, "\(name): error_type")
                case "message":
                    XCTAssertEqual(error.http?.message, value as? String, "\(name): message")
                    XCTAssertEqual(error.message, value as? String, "\(name): message")
                case "detail":
                    let detail = try jsonObject(try XCTUnwrap(error.http?.detailJson, name))
                    XCTAssertEqual(
                        detail as NSDictionary, try XCTUnwrap(value as? [String: Any]) as NSDictionary,
                        "\(name): detail")
                case "outcome_unknown":
                    XCTAssertEqual(error.http?.outcomeUnknown, value as? Bool, "\(name): outcome_unknown")
                    XCTAssertEqual(error.outcomeUnknown, value as? Bool, "\(name): outcome_unknown")
                    XCTAssertEqual(error.isOutcomeUnknown(), value as? Bool, "\(name): isOutcomeUnknown()")
                case "body_excerpt_contains":
                    let excerpt = try XCTUnwrap(error.http?.bodyExcerpt, name)
                    XCTAssertTrue(excerpt.contains(try XCTUnwrap(value as? String)), "\(name): excerpt \(excerpt)")
                default:
                    XCTFail("\(name): unknown expect key \(key)")
                }
            }
        }
    }

    /// malformed.json: bodies a broken service, proxy or gateway could send. Each is served once
    /// (`body`, `body_parts` concatenated, `body_base64` bytes, or `large_bytes` of valid JSON)
    /// and the call either fails with the expected kind or succeeds with the expected values.
    func testMalformedResponses() async throws {
        try await each("malformed.json") { h, name, item in
            let operation = try XCTUnwrap(item["operation"] as? String)
            var fault: [String: Any] = ["method": operation, "times": 1, "apply": false]
            let known: Set<String> = [
                "name", "operation", "input", "status", "content_type", "body", "body_parts", "body_base64",
                "large_bytes", "expect", "why",
            ]
            XCTAssertEqual(Set(item.keys).subtracting(known), [], "\(name): unknown vector keys")
            if let bytes = item["large_bytes"] as? Int {
                fault["kind"] = "large"
                fault["bytes"] = bytes
            } else {
                fault["kind"] = "body"
                fault["status"] = try XCTUnwrap(item["status"] as? Int, name)
                fault["content_type"] = try XCTUnwrap(item["content_type"] as? String, name)
                if let parts = item["body_parts"] as? [[String: Any]] {
                    fault["body"] = try parts.map { part in
                        String(
                            repeating: try XCTUnwrap(part["text"] as? String, name),
                            count: try XCTUnwrap(part["repeat"] as? Int, name))
                    }.joined()
                } else if let encoded = item["body_base64"] as? String {
                    fault["body_base64"] = encoded
                } else {
                    fault["body"] = try XCTUnwrap(item["body"] as? String, name)
                }
            }
            let faultJson = String(decoding: try JSONSerialization.data(withJSONObject: fault), as: UTF8.self)
            try h.emulator.injectFaultJson(json: faultJson)
            let client = try h.client { $0.maxRetries = 0 }
            let input = VendorInput(try XCTUnwrap(item["input"] as? [String: Any]))
            let expect = try XCTUnwrap(item["expect"] as? [String: Any])
            let kind = try XCTUnwrap(expect["kind"] as? String)
            if kind == "success" {
                let result: Any
                do {
                    result = try await callTyped(client, operation, input)
                } catch {
                    return XCTFail("\(name): expected success, got \(error)")
                }
                for check in try XCTUnwrap(expect["values"] as? [[String: Any]], name) {
                    let path = try XCTUnwrap(check["path"] as? String)
                    assertMatches(check["value"] as Any, try resolve(result, path), "\(name): \(path)")
                }
            } else {
                let caught = await expectResellerError { try await callTyped(client, operation, input) }
                let error = try XCTUnwrap(caught, name)
                XCTAssertEqual(error.kind(), kind, "\(name): \(error.description.prefix(300))")
                if let unknown = expect["outcome_unknown"] {
                    XCTAssertEqual(error.outcomeUnknown, unknown as? Bool, "\(name): outcome_unknown")
                }
                XCTAssertEqual(
                    Set(expect.keys).subtracting(["kind", "outcome_unknown"]), [], "\(name): unknown expect keys")
            }
            if item["large_bytes"] == nil {
                // (A refused large body is journalled only once the emulator has finished writing it.)
                XCTAssertEqual(try h.emulator.calls(method: operation), 1, "\(name): one call, no retry")
            }
        }
    }

    func testLocalValidation() async throws {
        try await each("validation.json") { h, name, item in
            let operation = try XCTUnwrap(item["operation"] as? String)
            let input = VendorInput(try XCTUnwrap(item["input"] as? [String: Any]))
            let error = await expectResellerError { try await callTyped(h.client, operation, input) }
            guard case .Validation(let method, let field, _, _) = error else {
                return XCTFail("\(name): expected Validation, got \(String(describing: error))")
            }
            XCTAssertEqual(field, item["field"] as? String, name)
            XCTAssertEqual(method, operation, name)
            XCTAssertEqual(try h.emulator.calls(method: operation), 0, "\(name): nothing was sent")
        }
    }
}

// MARK: - Paths and values

/// The value inside an optional, or nil; a non-optional value unchanged.
func unwrapOptional(_ value: Any?) -> Any? {
    guard let value else { return nil }
    let mirror = Mirror(reflecting: value)
    guard mirror.displayStyle == .optional else { return value }
    return mirror.children.first.flatMap { unwrapOptional($0.value) }
}

/// `snake_case` -> `camelCase`.
func camelCase(_ name: String) -> String {
    let words = name.split(separator: "_")
    guard let first = words.first else { return name }
    return String(first) + words.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
}

/// Follows a vector path (`activities.0.total_cost`; empty: the value itself) through records
/// (by camelCase property name) and arrays (by index).
func resolve(_ value: Any, _ path: String) throws -> Any? {
    var current: Any? = value
    for part in path.split(separator: ".") where !part.isEmpty {
        guard let container = unwrapOptional(current) else {
            throw VectorError(description: "nothing at \(part) of \(path)")
        }
        let children = Array(Mirror(reflecting: container).children)
        if let index = Int(part) {
            guard index < children.count else { throw VectorError(description: "no item \(index) in \(path)") }
            current = children[index].value
        } else {
            let name = camelCase(String(part))
            guard let child = children.first(where: { $0.label == name }) else {
                throw VectorError(description: "no property \(name) (\(path)) in \(type(of: container))")
            }
            current = child.value
        }
    }
    return current
}

/// Compares a vector value with a Swift value by the Swift value's type: decimals and dates from
/// their text, enumerations by wire value, integers exactly.
func assertMatches(_ expected: Any, _ actual: Any?, _ what: String, file: StaticString = #filePath, line: UInt = #line)
{
    let actual = unwrapOptional(actual)
    if expected is NSNull {
        XCTAssertNil(actual, "\(what): expected null", file: file, line: line)
        return
    }
    guard let actual else {
        return XCTFail("\(what): expected \(expected), got nil", file: file, line: line)
    }
    switch actual {
    case let value as Decimal:
        XCTAssertEqual(value, (expected as? String).map { decimal($0) }, what, file: file, line: line)
    case let value as Date:
        let date = (expected as? String).map { rfc3339($0) }
        XCTAssertEqual(
            value.timeIntervalSince1970, date?.timeIntervalSince1970 ?? .nan, accuracy: 1e-6, what, file: file,
            line: line)
    case let value as WireValued:
        XCTAssertEqual(value.wireValue(), expected as? String, what, file: file, line: line)
    case let value as String:
        XCTAssertEqual(value, expected as? String, what, file: file, line: line)
    case let value as Bool:
        XCTAssertEqual(value, expected as? Bool, what, file: file, line: line)
    case let value as Int32:
        XCTAssertEqual(Int64(value), integer(expected), what, file: file, line: line)
    case let value as Int64:
        XCTAssertEqual(value, integer(expected), what, file: file, line: line)
    default:
        XCTFail("\(what): no comparison for \(type(of: actual)) \(actual)", file: file, line: line)
    }
}

/// A JSON integer exactly (9007199254740993 does not fit a Double).
private func integer(_ value: Any) -> Int64? {
    (value as? Int).map(Int64.init)
}
