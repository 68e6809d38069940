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
        callsFailingValidation(20_000) // warm-up: JIT and JNA
        report("kotlin_binding_overhead", best { callsFailingValidation(CALLS) })
        check(syncCalls(20_000) > 0) // warm-up
        report("kotlin_sync_call_overhead", best { check(syncCalls(CALLS) > 0) })
    }
}

private const val ROUNDS = 5
private const val CALLS = 40_000

/**
 * Best of [ROUNDS] timed rounds of [CALLS] calls, in microseconds per call, as timeit does: the
 * host's speed varies with other load, and the fastest round is the one least disturbed by it.
 */
private inline fun best(round: () -> Unit): Double {
    var fastest = Double.MAX_VALUE
    repeat(ROUNDS) {
        val started = System.nanoTime()
        round()
        fastest = minOf(fastest, (System.nanoTime() - started) / 1_000.0 / CALLS)
    }
    return fastest
}

private fun report(bench: String, micros: Double) {
    println("""{"bench": "$bench", "calls": $CALLS, "rounds": $ROUNDS, "microseconds_per_call": $micros}""")
}
