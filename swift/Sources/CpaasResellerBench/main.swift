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

func microseconds(since started: UInt64, calls: Int) -> Double {
    Double(DispatchTime.now().uptimeNanoseconds - started) / 1_000 / Double(calls)
}

await callsFailingValidation(20_000)  // warm-up
let calls = 200_000
var started = DispatchTime.now().uptimeNanoseconds
await callsFailingValidation(calls)
let failing = microseconds(since: started, calls: calls)
print("{\"bench\": \"swift_binding_overhead\", \"calls\": \(calls), \"microseconds_per_call\": \(failing)}")

_ = syncCalls(20_000)  // warm-up
started = DispatchTime.now().uptimeNanoseconds
precondition(syncCalls(calls) > 0)
let sync = microseconds(since: started, calls: calls)
print("{\"bench\": \"swift_sync_call_overhead\", \"calls\": \(calls), \"microseconds_per_call\": \(sync)}")
