// Throughput against the shared benchmark emulator (CPAAS_BENCH_BASE_URL, _USERNAME, _PASSWORD, set
// by scripts/bench.sh): `getAccount` at concurrency 64 in a task group, through the SDK and through
// what a Swift developer would write by hand, URLSession (FoundationNetworking on Linux) with the same
// headers and Basic auth and JSONDecoder into a struct (`Date` for the date; money, where a record has
// it, as `Decimal`). The two alternate for CPAAS_BENCH_ROUNDS rounds (3) in one process after a
// warm-up of each; every round prints one JSON line, with the process's CPU time per call. Run by
// scripts/bench-swift.sh, never by the tests.
import CpaasReseller
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

let environment = ProcessInfo.processInfo.environment
guard let base = environment["CPAAS_BENCH_BASE_URL"], let username = environment["CPAAS_BENCH_USERNAME"],
    let password = environment["CPAAS_BENCH_PASSWORD"]
else { fatalError("CPAAS_BENCH_BASE_URL, _USERNAME and _PASSWORD are not set (run scripts/bench.sh)") }
let calls = Int(environment["CPAAS_BENCH_CALLS"] ?? "") ?? 20_000
let rounds = Int(environment["CPAAS_BENCH_ROUNDS"] ?? "") ?? 3
let concurrency = 64

/// GetAccount as a hand-written Swift client decodes it.
struct JsonAccount: Decodable {
    let accountId: Int32
    let accountName: String?
    let parentAccountId: Int32?
    let status: String?
    let contactEmailAddress: String?
    let countryCode: String?
    let timeZone: String?
    let notes: String?
    let createdDate: Date?

    enum CodingKeys: String, CodingKey {
        case accountId = "AccountId", accountName = "AccountName", parentAccountId = "ParentAccountId"
        case status = "Status", contactEmailAddress = "ContactEmailAddress", countryCode = "CountryCode"
        case timeZone = "TimeZone", notes = "Notes", createdDate = "CreatedDate"
    }
}

/// The hand-written peer: one URLSession (a keep-alive pool of up to 64 connections) and JSONDecoder.
final class URLSessionClient: Sendable {
    let session: URLSession
    let url: URL
    let authorization: String
    let decoder: JSONDecoder

    init(base: String, username: String, password: String) {
        let configuration = URLSessionConfiguration.default
        configuration.httpMaximumConnectionsPerHost = concurrency
        session = URLSession(configuration: configuration)
        url = URL(string: base + "/GetAccount")!
        authorization = "Basic " + Data("\(username):\(password)".utf8).base64EncodedString()
        decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
    }

    func getAccount(_ accountId: Int32) async throws -> JsonAccount {
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        request.setValue("application/json; charset=utf-8", forHTTPHeaderField: "Content-Type")
        request.setValue(authorization, forHTTPHeaderField: "Authorization")
        request.httpBody = Data("{\"AccountId\":\(accountId)}".utf8)
        let (body, response) = try await session.data(for: request)
        guard let status = (response as? HTTPURLResponse)?.statusCode, status == 200 else {
            throw URLError(.badServerResponse)
        }
        return try decoder.decode(JsonAccount.self, from: body)
    }
}

/// `calls` calls shared among `concurrency` child tasks.
func concurrently(_ calls: Int, _ call: @escaping @Sendable () async throws -> Void) async throws {
    try await withThrowingTaskGroup(of: Void.self) { group in
        for worker in 0..<concurrency {
            let share = calls / concurrency + (worker < calls % concurrency ? 1 : 0)
            group.addTask { for _ in 0..<share { try await call() } }
        }
        try await group.waitForAll()
    }
}

func cpuSeconds() -> Double {
    var usage = rusage()
    #if os(Linux)
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    #else
    getrusage(RUSAGE_SELF, &usage)
    #endif
    let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
    return user + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
}

func measure(_ bench: String, _ run: () async throws -> Void) async throws {
    let cpu = cpuSeconds()
    let started = DispatchTime.now().uptimeNanoseconds
    try await run()
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
    let cpuPerCall = (cpuSeconds() - cpu) / Double(calls) * 1e6
    print("{\"bench\": \"\(bench)\", \"calls\": \(calls), \"concurrency\": \(concurrency), \"seconds\": \(seconds), "
        + "\"calls_per_second\": \(Double(calls) / seconds), \"client_cpu_us_per_call\": \(cpuPerCall)}")
}

let sdk = try Client(config: ClientConfig(username: username, password: password, baseUrl: base))
let peer = URLSessionClient(base: base, username: username, password: password)
let request = GetAccountRequest(accountId: 1001)
let viaSdk = try await sdk.getAccount(request: request)
let viaPeer = try await peer.getAccount(1001)
precondition(viaSdk.accountId == viaPeer.accountId && viaSdk.createdDate == viaPeer.createdDate)
let sdkCall: @Sendable () async throws -> Void = { _ = try await sdk.getAccount(request: request) }
let peerCall: @Sendable () async throws -> Void = { _ = try await peer.getAccount(1001) }
try await concurrently(min(calls, 5_000), sdkCall)  // warm-up: both connection pools
try await concurrently(min(calls, 5_000), peerCall)
for _ in 0..<rounds {
    try await measure("swift_sdk_get_account") { try await concurrently(calls, sdkCall) }
    try await measure("swift_urlsession_jsondecoder_get_account") { try await concurrently(calls, peerCall) }
}
