package com.cpaas.reseller

import kotlinx.coroutines.runBlocking

/**
 * Binding overhead with the network taken out: `getAccount` with AccountId 0 fails the core's
 * local validation, so each call is one crossing into Rust and back with an exception. Prints one
 * JSON line for scripts/bench.sh, then a second one splitting the figure: a synchronous call
 * (`baseUrl()`), one crossing without a future or an exception, which shows what JNA itself costs
 * per call. Run by scripts/bench-kotlin.sh, never by the test suite.
 */
fun main() = runBlocking {
    Client(ClientConfig(username = "bench", password = "not-used-1")).use { client ->
        val request = GetAccountRequest(accountId = 0)
        suspend fun callsFailingValidation(calls: Int) {
            repeat(calls) {
                try {
                    client.getAccount(request)
                    error("validation should have failed")
                } catch (expected: ResellerException.Validation) {
                }
            }
        }
        fun syncCalls(calls: Int): Int {
            var length = 0
            repeat(calls) { length += client.baseUrl().length }
            return length
        }
        val calls = 200_000
        callsFailingValidation(20_000) // warm-up: JIT and JNA
        var started = System.nanoTime()
        callsFailingValidation(calls)
        report("kotlin_binding_overhead", calls, started)

        check(syncCalls(20_000) > 0) // warm-up
        started = System.nanoTime()
        check(syncCalls(calls) > 0)
        report("kotlin_sync_call_overhead", calls, started)
    }
}

private fun report(bench: String, calls: Int, started: Long) {
    val micros = (System.nanoTime() - started) / 1_000.0 / calls
    println("""{"bench": "$bench", "calls": $calls, "microseconds_per_call": $micros}""")
}
