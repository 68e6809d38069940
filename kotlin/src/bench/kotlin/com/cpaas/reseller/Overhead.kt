package com.cpaas.reseller

import kotlinx.coroutines.runBlocking

/**
 * Binding overhead with the network taken out: `getAccount` with AccountId 0 fails the core's
 * local validation, so each call is one crossing into Rust and back with an exception. Prints one
 * JSON line for scripts/bench.sh. Run by scripts/bench-kotlin.sh, never by the test suite.
 */
fun main() = runBlocking {
    Client(ClientConfig(username = "bench", password = "not-used-1")).use { client ->
        val request = GetAccountRequest(accountId = 0)
        suspend fun round(calls: Int) {
            repeat(calls) {
                try {
                    client.getAccount(request)
                    error("validation should have failed")
                } catch (expected: ResellerException.Validation) {
                }
            }
        }
        round(20_000) // warm-up: JIT and JNA
        val calls = 200_000
        val started = System.nanoTime()
        round(calls)
        val micros = (System.nanoTime() - started) / 1_000.0 / calls
        println("""{"bench": "kotlin_binding_overhead", "calls": $calls, "microseconds_per_call": $micros}""")
    }
}
