package com.cpaas.reseller

import com.fasterxml.jackson.databind.DeserializationFeature
import com.fasterxml.jackson.databind.PropertyNamingStrategies
import com.fasterxml.jackson.databind.json.JsonMapper
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule
import com.fasterxml.jackson.module.kotlin.kotlinModule
import com.fasterxml.jackson.module.kotlin.readValue
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.future.await
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import java.lang.management.ManagementFactory
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.time.Instant
import java.util.Base64

/**
 * Throughput against the shared benchmark emulator (`CPAAS_BENCH_BASE_URL`, `_USERNAME`, `_PASSWORD`,
 * set by scripts/bench.sh): `getAccount` at concurrency 64 on coroutines, through the SDK and through
 * what a JVM developer would write by hand, `java.net.http.HttpClient` with the same headers and Basic
 * auth and Jackson decoding into a data class (`Instant` for the date; the mapper reads any JSON
 * fraction as `BigDecimal`, as money needs). The two alternate for [ROUNDS] rounds in one JVM after a warm-up of each;
 * every round prints one JSON line, with the process's CPU time per call beside the rate. A last
 * line gives the SDK's sequential rate (concurrency 1), to show how much of the per-call cost
 * concurrency hides. Run by scripts/bench-kotlin.sh, never by the tests.
 */
fun main() = runBlocking(Dispatchers.Default) {
    val base = System.getenv("CPAAS_BENCH_BASE_URL") ?: error("CPAAS_BENCH_BASE_URL is not set (run scripts/bench.sh)")
    val username = System.getenv("CPAAS_BENCH_USERNAME")!!
    val password = System.getenv("CPAAS_BENCH_PASSWORD")!!
    val calls = System.getenv("CPAAS_BENCH_CALLS")?.toInt() ?: 20_000
    val rounds = System.getenv("CPAAS_BENCH_ROUNDS")?.toInt() ?: ROUNDS
    val sdkOnly = System.getenv("CPAAS_BENCH_SDK_ONLY") == "1" // for a profiler: the SDK's rounds alone

    Client(ClientConfig(username = username, password = password, baseUrl = base)).use { sdk ->
        val peer = JdkJacksonClient(base, username, password)
        val request = GetAccountRequest(accountId = 1001)
        check(sdk.getAccount(request).accountId == peer.getAccount(1001).accountId)
        val sdkCall: suspend () -> Unit = { sdk.getAccount(request) }
        val peerCall: suspend () -> Unit = { peer.getAccount(1001) }
        // Warm-up: the JIT, JNA and both connection pools.
        concurrently(minOf(calls, 5_000), sdkCall)
        concurrently(minOf(calls, 5_000), peerCall)
        repeat(rounds) {
            report("kotlin_sdk_get_account", calls, CONCURRENCY, measure { concurrently(calls, sdkCall) })
            if (!sdkOnly) report("kotlin_jdk_jackson_get_account", calls, CONCURRENCY, measure { concurrently(calls, peerCall) })
        }
        val sequential = calls / 4
        repeat(rounds) {
            report("kotlin_sdk_get_account_sequential", sequential, 1, measure { repeat(sequential) { sdkCall() } })
        }
    }
}

private const val CONCURRENCY = 64
private const val ROUNDS = 3

/** `calls` calls shared among [CONCURRENCY] coroutines. */
private suspend fun concurrently(calls: Int, call: suspend () -> Unit) = coroutineScope {
    repeat(CONCURRENCY) { worker ->
        launch { repeat(calls / CONCURRENCY + if (worker < calls % CONCURRENCY) 1 else 0) { call() } }
    }
}

private class Measured(val seconds: Double, val cpuSeconds: Double)

private suspend fun measure(run: suspend () -> Unit): Measured {
    val os = ManagementFactory.getOperatingSystemMXBean() as com.sun.management.OperatingSystemMXBean
    val cpu = os.processCpuTime
    val started = System.nanoTime()
    run()
    return Measured((System.nanoTime() - started) / 1e9, (os.processCpuTime - cpu) / 1e9)
}

private fun report(bench: String, calls: Int, concurrency: Int, m: Measured) {
    println(
        """{"bench": "$bench", "calls": $calls, "concurrency": $concurrency, "seconds": ${m.seconds}, """ +
            """"calls_per_second": ${calls / m.seconds}, "client_cpu_us_per_call": ${m.cpuSeconds / calls * 1e6}}""",
    )
}

/** GetAccount as a hand-written JVM client decodes it. */
data class JsonAccount(
    val accountId: Int,
    val accountName: String?,
    val parentAccountId: Int?,
    val status: String?,
    val contactEmailAddress: String?,
    val countryCode: String?,
    val timeZone: String?,
    val notes: String?,
    val createdDate: Instant?,
)

/** The hand-written peer: the JDK's HTTP client (HTTP/1.1 keep-alive pool) and Jackson. */
private class JdkJacksonClient(base: String, username: String, password: String) {
    private val http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
    private val uri = URI.create("$base/GetAccount")
    private val authorization = "Basic " + Base64.getEncoder().encodeToString("$username:$password".toByteArray())
    private val mapper = JsonMapper.builder()
        .addModule(kotlinModule())
        .addModule(JavaTimeModule())
        .propertyNamingStrategy(PropertyNamingStrategies.UPPER_CAMEL_CASE)
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .build()

    suspend fun getAccount(accountId: Int): JsonAccount {
        val request = HttpRequest.newBuilder(uri)
            .header("Accept", "application/json")
            .header("Content-Type", "application/json; charset=utf-8")
            .header("Authorization", authorization)
            .POST(HttpRequest.BodyPublishers.ofString("""{"AccountId":$accountId}"""))
            .build()
        val response = http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).await()
        check(response.statusCode() == 200) { "GetAccount: HTTP ${response.statusCode()}" }
        return mapper.readValue<JsonAccount>(response.body())
    }
}
