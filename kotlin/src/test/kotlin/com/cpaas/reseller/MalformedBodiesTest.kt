package com.cpaas.reseller

import kotlinx.coroutines.TimeoutCancellationException
import kotlinx.coroutines.withTimeout
import org.json.JSONArray
import org.json.JSONObject
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.TestFactory
import java.io.File
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertNotNull
import kotlin.test.assertTrue
import kotlin.test.fail

/**
 * The malformed-body corpus (tests/vectors/malformed.json, format in tests/vectors/README.md):
 * each body is served once by the emulator and the typed call must fail with the expected
 * [ResellerException] (or give the documented success): never another exception, never a hang.
 */
class MalformedBodiesTest : EmulatorTest() {
    private val cases: List<JSONObject> by lazy {
        val file = File(System.getProperty("vectors.dir") ?: "../tests/vectors", "malformed.json")
        val array = JSONArray(file.readText())
        (0 until array.length()).map { array.getJSONObject(it) }
    }

    /** No retries, so each body is served exactly once; a timeout well under [HANG_MS]. */
    private lateinit var once: Client

    @BeforeAll
    fun startClient() {
        val config = emulator.clientConfig().copy(maxRetries = 0u, timeoutMs = 20_000u)
        assertEquals(64uL * 1024uL * 1024uL, config.maxBodySize, "the default max_body_size")
        once = Client(config)
    }

    @AfterAll
    fun closeClient() = once.close()

    @Test
    fun `the corpus has at least fifty uniquely named cases`() {
        assertTrue(cases.size >= 50, "${cases.size} cases")
        assertEquals(cases.size, cases.map { it.getString("name") }.toSet().size, "names are unique")
    }

    @TestFactory
    fun `every malformed body gives a typed outcome`() = cases.map { case ->
        val name = case.getString("name")
        DynamicTest.dynamicTest(name) {
            emulator.reset()
            try {
                blocking { check(case) }
            } catch (failure: Throwable) {
                // Surefire's report names dynamic tests by index: say which case failed.
                throw AssertionError("$name: ${failure.message}", failure)
            }
        }
    }

    private suspend fun check(case: JSONObject) {
        val unknown = case.keySet() - KNOWN_KEYS
        assertTrue(unknown.isEmpty(), "unknown vector keys $unknown")
        val operation = case.getString("operation")
        val expect = case.getJSONObject("expect")
        val kind = expect.getString("kind")
        emulator.injectFaultJson(fault(case).toString())

        val outcome = runCatching { withTimeout(HANG_MS) { once.callTyped(operation, case.getJSONObject("input")) } }
        when (val thrown = outcome.exceptionOrNull()) {
            null, is ResellerException -> {}
            is TimeoutCancellationException -> fail("no answer within $HANG_MS ms")
            else -> throw AssertionError("untyped exception ${thrown.javaClass.name}", thrown)
        }

        if (kind == "success") {
            assertEquals(setOf("kind", "values"), expect.keySet(), "expect keys")
            val result = outcome.getOrElse { fail("expected success, got ${(it as ResellerException).description.take(300)}") }
            val values = expect.getJSONArray("values")
            for (index in 0 until values.length()) {
                val item = values.getJSONObject(index)
                val path = item.getString("path")
                assertMatches(item.get("value"), resolve(result, path), path)
            }
            result.toString()
        } else {
            assertEquals(setOf("kind", "outcome_unknown"), expect.keySet(), "expect keys")
            val error = outcome.exceptionOrNull() as? ResellerException
                ?: fail("expected $kind, got ${outcome.getOrNull().toString().take(200)}")
            val text = error.description
            assertEquals(kind, error.kind(), text.take(300))
            val outcomeUnknown = expect.getBoolean("outcome_unknown")
            assertEquals(outcomeUnknown, error.isOutcomeUnknown(), text.take(300))
            assertEquals(outcomeUnknown, error.outcomeUnknown, text.take(300))
            val api = assertNotNull(error.http, "an HTTP error: ${text.take(300)}")
            assertEquals(outcomeUnknown, api.outcomeUnknown, "outcomeUnknown field")
            val status = case.getInt("status")
            assertEquals(status, api.status.toInt(), "status")
            val excerptBytes = api.bodyExcerpt.toByteArray(Charsets.UTF_8).size
            assertTrue(excerptBytes <= EXCERPT_LIMIT, "body excerpt of $excerptBytes bytes")
            assertTrue(text.startsWith("$operation: HTTP $status"), "text: ${text.take(300)}")
        }
        assertEquals(1uL, emulator.calls(operation), "sent once, no retry")
        assertEquals(0, pendingFaults().length(), "the fault was used")
    }

    /** The emulator fault (control endpoint JSON) that serves the case's body. */
    private fun fault(case: JSONObject): JSONObject {
        val sources = BODY_SOURCES.filter(case::has)
        assertEquals(1, sources.size, "exactly one of $BODY_SOURCES, got $sources")
        val fault = JSONObject().put("method", case.getString("operation")).put("times", 1)
        if (sources.single() == "large_bytes") {
            // The vector still states what the large fault sends (the status is checked below).
            assertTrue(case.has("status") && case.has("content_type"), "status and content_type")
            return fault.put("kind", "large").put("bytes", case.getLong("large_bytes"))
        }
        fault.put("kind", "body")
            .put("status", case.getInt("status"))
            .put("content_type", case.getString("content_type"))
            .put("apply", false)
        return when (sources.single()) {
            "body" -> fault.put("body", case.getString("body"))
            "body_base64" -> fault.put("body_base64", case.getString("body_base64"))
            else -> {
                val parts = case.getJSONArray("body_parts")
                val body = StringBuilder()
                for (index in 0 until parts.length()) {
                    val part = parts.getJSONObject(index)
                    repeat(part.getInt("repeat")) { body.append(part.getString("text")) }
                }
                fault.put("body", body.toString())
            }
        }
    }

    private val control = HttpClient.newHttpClient()

    /** Faults still queued, read from the control endpoint (the exported facade does not list them). */
    private fun pendingFaults(): JSONArray {
        val request = HttpRequest.newBuilder(URI.create("${emulator.controlUrl()}/faults")).GET().build()
        val response = control.send(request, HttpResponse.BodyHandlers.ofString())
        assertEquals(200, response.statusCode(), response.body())
        return JSONArray(response.body())
    }

    private companion object {
        /** The test's own bound on one call; the client's timeout is 20 s. */
        const val HANG_MS = 60_000L

        /** The core's bound on an error's body excerpt, in bytes of UTF-8. */
        const val EXCERPT_LIMIT = 1024

        val BODY_SOURCES = listOf("body", "body_base64", "body_parts", "large_bytes")
        val KNOWN_KEYS = setOf("name", "operation", "input", "status", "content_type", "expect", "why") + BODY_SOURCES
    }
}
