// Binding overhead with the network taken out: `getAccount` with AccountId 0 fails the core's local
// validation, so each call is one crossing into Rust and back with an error. Prints one JSON line
// for scripts/bench.sh (via scripts/bench-swift.sh); never part of the tests.
import CpaasReseller
import Foundation

let client = try Client(config: ClientConfig(username: "bench", password: "not-used-1"))
let request = GetAccountRequest(accountId: 0)

func round(_ calls: Int) async {
    for _ in 0..<calls {
        do {
            _ = try await client.getAccount(request: request)
            fatalError("validation should have failed")
        } catch {}
    }
}

await round(20_000)  // warm-up
let calls = 200_000
let started = DispatchTime.now().uptimeNanoseconds
await round(calls)
let micros = Double(DispatchTime.now().uptimeNanoseconds - started) / 1_000 / Double(calls)
print("{\"bench\": \"swift_binding_overhead\", \"calls\": \(calls), \"microseconds_per_call\": \(micros)}")
