package com.cpaas.reseller

import org.json.JSONArray
import org.json.JSONObject
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestFactory
import java.io.File
import java.math.BigDecimal
import java.time.Instant
import java.time.OffsetDateTime
import kotlin.test.assertContains
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue
import kotlin.test.fail

/** The shared conformance vectors (tests/vectors, format in its README) through the typed API. */
class VectorsTest : EmulatorTest() {
    private val dir = File(System.getProperty("vectors.dir") ?: "../tests/vectors")

    private fun cases(file: String): List<JSONObject> {
        val array = JSONArray(File(dir, file).readText())
        val cases = (0 until array.length()).map { array.getJSONObject(it) }
        assertTrue(cases.isNotEmpty(), "$file has no cases")
        return cases
    }

    private fun each(file: String, check: suspend (JSONObject) -> Unit): List<DynamicTest> =
        cases(file).map { case ->
            val name = "${file.removeSuffix(".json")}: ${case.optString("name").ifEmpty { case.getString("operation") }}"
            DynamicTest.dynamicTest(name) {
                emulator.reset()
                // Surefire's console summary shows a dynamic test by its index; the error names the case.
                try {
                    blocking { check(case) }
                } catch (e: Throwable) {
                    throw AssertionError("$name: $e", e)
                }
            }
        }

    private fun noRetries() = client { copy(maxRetries = 0u) }

    /** operations.json has one sample per operation of the catalogue, in its order. */
    @Test
    fun `every operation has a sample`() {
        val sampled = cases("operations.json").map { it.getString("operation") }
        val catalogue = operations().map { it.method }
        assertEquals(emptyList(), catalogue - sampled.toSet(), "tests/vectors/operations.json has no sample for these")
        assertEquals(catalogue, sampled, "one sample per operation, in catalogue order")
    }

    /**
     * Each sample through the raw `call` (after its `prepare` call): it succeeds on the seeded
     * state, is sent once, and changes the state exactly when the operation is mutating.
     */
    @TestFactory
    fun samples(): List<DynamicTest> {
        val mutating = operations().associate { it.method to it.mutating }
        return each("operations.json") { case ->
            val operation = case.getString("operation")
            case.optJSONObject("prepare")?.let { prepare ->
                client.call(prepare.getString("operation"), prepare.getJSONObject("input").toString())
            }
            val before = JSONObject(emulator.stateJson())
            emulator.clearJournal()
            client.call(operation, case.getJSONObject("input").toString())
            assertEquals(1, emulator.calls(operation).toInt(), "$operation: sent once")
            val changed = !before.similar(JSONObject(emulator.stateJson()))
            val expected = assertNotNull(mutating[operation], "$operation: not in the catalogue")
            assertEquals(expected, changed, "$operation: the state changed")
        }
    }

    @TestFactory
    fun requests() = each("requests.json") { case ->
        val operation = case.getString("operation")
        try {
            client.callTyped(operation, case.getJSONObject("input"))
        } catch (error: ResellerException.Validation) {
            fail("validation failed, nothing was sent: ${error.description}")
        } catch (_: ResellerException) {
            // Any answer is fine: the vector is about what went out.
        }
        assertEquals(case.getString("wire"), lastBody(operation))
    }

    @TestFactory
    fun responses() = each("responses.json") { case ->
        val operation = case.getString("operation")
        fault(
            operation,
            EmulatorFaultKind.Body(status = 200u, contentType = "application/json", body = case.getString("body"), apply = false),
        )
        val result = client.callTyped(operation, case.getJSONObject("input"))
        val expect = case.getJSONArray("expect")
        for (index in 0 until expect.length()) {
            val item = expect.getJSONObject(index)
            val path = item.getString("path")
            assertMatches(item.get("value"), resolve(result, path), path)
        }
        case.optJSONObject("extra")?.let { extra ->
            val record = assertNotNull(resolve(result, extra.getString("path")))
            val extraJson = JSONObject(record.javaClass.getMethod("getExtraJson").invoke(record) as String)
            val keys = extra.getJSONArray("keys").toList().map { it as String }
            assertTrue(extraJson.keySet().containsAll(keys), "extraJson $extraJson lacks some of $keys")
        }
    }

    @TestFactory
    fun errors() = each("errors.json") { case ->
        val operation = case.getString("operation")
        fault(
            operation,
            EmulatorFaultKind.Body(
                status = case.getInt("status").toUShort(),
                contentType = case.getString("content_type"),
                body = case.getString("body"),
                apply = false,
            ),
        )
        val error = noRetries().use { once ->
            assertFailsWith<ResellerException> { once.callTyped(operation, case.getJSONObject("input")) }
        }
        val expect = case.getJSONObject("expect")
        assertEquals(expect.getString("kind"), error.kind(), error.description)
        val api = assertNotNull(error.http, "an HTTP error: ${error.description}")
        for (key in expect.keySet()) {
            val expected = expect.get(key)
            when (key) {
                "kind" -> {}
                "status" -> assertEquals(expected as Int, api.status.toInt())
                "error_type" -> assertEquals(expected.orNull(), api.errorType, key)
                "message" -> assertEquals(expected.orNull(), api.message, key)
                "detail" -> assertTrue((expected as JSONObject).similar(JSONObject(api.detailJson)), "detail ${api.detailJson}")
                "outcome_unknown" -> assertEquals(expected as Boolean, api.outcomeUnknown, key)
                "body_excerpt_contains" -> assertContains(api.bodyExcerpt, expected as String)
                else -> fail("unknown expectation $key")
            }
        }
    }

    @TestFactory
    fun validation() = each("validation.json") { case ->
        val operation = case.getString("operation")
        val error = assertFailsWith<ResellerException.Validation> { client.callTyped(operation, case.getJSONObject("input")) }
        assertEquals(case.getString("field"), error.field, error.description)
        assertEquals(operation, error.method)
        assertEquals(0, emulator.calls(operation).toInt(), "nothing may be sent")
    }
}

private fun Any?.orNull(): String? = if (this == null || this == JSONObject.NULL) null else this as String

/** Follows a snake_case path (`activities.0.total_cost`) through records and lists. */
fun resolve(root: Any?, path: String): Any? {
    if (path.isEmpty()) return root
    return path.split('.').fold(root) { current, segment ->
        when {
            current == null -> fail("$path: null before $segment")
            segment.all(Char::isDigit) -> (current as List<*>)[segment.toInt()]
            else -> {
                val camel = segment.split('_').mapIndexed { index, word ->
                    if (index == 0) word else word.replaceFirstChar(Char::uppercase)
                }.joinToString("")
                current.javaClass.getMethod("get" + camel.replaceFirstChar(Char::uppercase)).invoke(current)
            }
        }
    }
}

/** Compares by the vector conventions: exact decimals, instants, wire strings for enums. */
fun assertMatches(expected: Any?, actual: Any?, path: String) {
    when {
        expected == null || expected == JSONObject.NULL -> assertNull(actual, path)
        actual is BigDecimal -> assertEquals(0, BigDecimal(expected.toString()).compareTo(actual), "$path: $actual vs $expected")
        actual is Instant -> assertEquals(OffsetDateTime.parse(expected as String).toInstant(), actual, path)
        actual is Int || actual is Long -> assertEquals(BigDecimal(expected.toString()), BigDecimal(actual.toString()), path)
        actual is String || actual is Boolean -> assertEquals(expected, actual, path)
        actual != null && actual.javaClass.methods.any { it.name == "wireValue" } ->
            assertEquals(expected, actual.javaClass.getMethod("wireValue").invoke(actual), path)
        else -> fail("$path: cannot compare $actual with $expected")
    }
}
