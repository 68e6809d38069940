// Binding overhead with the network taken out: `getAccount` with AccountId 0 fails the core's local
// validation, so each call is one crossing into Rust and back with an error. Prints one JSON line
// for scripts/bench.sh (via scripts/bench-swift.sh), then a second one splitting the figure: a
// synchronous call (`baseUrl()`), the bare crossing without a future or an error. Never part of the
// tests.
import CpaasReseller
import Foundation

let client = try Client(config: ClientConfig(username: "bench", password: "not-used-1"))
let request = GetAccountRequest(accountId: 0)

// Not named `round`: Glibc's round(Double) would win the overload for a literal argument.
func callsFailingValidation(_ calls: Int) async {
    for _ in 0..<calls {
        do {
            _ = try await client.getAccount(request: request)
            fatalError("validation should have failed")
        } catch {}
    }
}

func syncCalls(_ calls: Int) -> Int {
    var length = 0
    for _ in 0..<calls {
        length &+= client.baseUrl().utf8.count
    }
    return length
}

// Best of `rounds` timed rounds, as timeit does: the host's speed varies with other load, and the
// fastest round is the one least disturbed by it.
let rounds = 5
let calls = 40_000

func best(_ round: () async -> Void) async -> Double {
    var fastest = Double.infinity
    for _ in 0..<rounds {
        let started = DispatchTime.now().uptimeNanoseconds
        await round()
        fastest = min(fastest, Double(DispatchTime.now().uptimeNanoseconds - started) / 1_000 / Double(calls))
    }
    return fastest
}

func report(_ bench: String, _ micros: Double) {
    print("{\"bench\": \"\(bench)\", \"calls\": \(calls), \"rounds\": \(rounds), \"microseconds_per_call\": \(micros)}")
}

await callsFailingValidation(20_000)  // warm-up
report("swift_binding_overhead", await best { await callsFailingValidation(calls) })
_ = syncCalls(20_000)  // warm-up
report("swift_sync_call_overhead", await best { precondition(syncCalls(calls) > 0) })
