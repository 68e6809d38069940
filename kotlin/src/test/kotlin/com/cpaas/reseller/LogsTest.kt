package com.cpaas.reseller

import org.junit.jupiter.api.AfterEach
import org.slf4j.event.Level
import java.math.BigDecimal
import java.time.Duration
import java.util.Base64
import java.util.concurrent.CopyOnWriteArrayList
import kotlin.test.Test
import kotlin.test.assertContains
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNull
import kotlin.test.assertTrue

/**
 * The core's per-attempt events through [setLogListener] and [Slf4jLogListener], captured by a
 * real SLF4J 2 binding ([CapturingSlf4jProvider]), against the emulator's faults.
 */
class LogsTest : EmulatorTest() {
    private val newUserPassword = "New-User-Secret-4242"

    @AfterEach
    fun removeListener() {
        clearLogListener()
        Captured.reset()
    }

    /** Installs the SLF4J adapter with the capturing logger enabled from [threshold]. */
    private fun slf4jAt(threshold: Level) {
        Captured.threshold = threshold
        Slf4jLogListener.install()
    }

    /** What the `cpaas_reseller` logger received, once every queued record is delivered. */
    private fun captured(): List<CapturedEvent> {
        assertTrue(flushLogs(Duration.ofSeconds(10)), "records delivered")
        return Captured.events.filter { it.logger == Slf4jLogListener.LOGGER_NAME }
    }

    private fun retrying() = client { copy(initialBackoffMs = 1u, maxBackoffMs = 5u) }

    @Test
    fun `a retried attempt is a WARN event with the method, attempt and status`() = blocking {
        slf4jAt(Level.DEBUG)
        fault("GetAccount", EmulatorFaultKind.Status(status = 500u, apply = false))
        retrying().use { assertEquals(1001, it.getAccount(GetAccountRequest(accountId = 1001)).accountId) }

        val events = captured()
        assertEquals(listOf(Level.WARN, Level.DEBUG), events.map { it.level }, events.toString())
        val (retried, succeeded) = events
        assertEquals("GetAccount", retried.keyValues["method"])
        assertEquals(1L, retried.keyValues["attempt"])
        assertEquals(500, retried.keyValues["status"])
        assertEquals(true, retried.keyValues["retry"])
        assertEquals(false, retried.keyValues["outcome_unknown"])
        assertTrue(retried.keyValues["duration_ms"] is Long)
        assertTrue(retried.keyValues["wait_ms"] is Long)
        assertContains(retried.message, "GetAccount attempt 1: HTTP 500")
        assertContains(retried.message, "retrying in")
        assertEquals(2L, succeeded.keyValues["attempt"])
        assertEquals(200, succeeded.keyValues["status"])
        assertEquals(false, succeeded.keyValues["retry"])
        assertNull(succeeded.keyValues["reason"])
        assertTrue(events.none { "body" in it.keyValues }, "bodies only at TRACE")
    }

    @Test
    fun `an outcome-unknown attempt is a WARN event, and WARN leaves out the successes`() = blocking {
        slf4jAt(Level.WARN)
        client.getRoles(GetRolesRequest())
        fault("AllocateCredit", EmulatorFaultKind.Status(status = 504u, apply = true))
        assertFailsWith<ResellerException.GatewayTimeout> {
            val request = AllocateCreditRequest(accountId = 1001, amount = BigDecimal("1.00"), reference = "log-504")
            client.allocateCredit(request)
        }

        val events = captured()
        assertEquals(1, events.size, events.toString())
        val unknown = events.single()
        assertEquals(Level.WARN, unknown.level)
        assertEquals("AllocateCredit", unknown.keyValues["method"])
        assertEquals(504, unknown.keyValues["status"])
        assertEquals(true, unknown.keyValues["outcome_unknown"])
        assertEquals(false, unknown.keyValues["retry"])
        assertContains(unknown.message, "outcome unknown")
    }

    @Test
    fun `bodies at TRACE are redacted, and no output carries a secret`() = blocking {
        slf4jAt(Level.TRACE)
        client.addUserToAccount(
            AddUserToAccountRequest(
                accountId = 1001, username = "log.canary", password = newUserPassword, firstname = "Log",
                lastName = "Canary", emailAddress = "log.canary@example.com",
                mobilePhoneNumber = "+447700900123", landlinePhoneNumber = "+442079460123",
            ),
        )
        fault("GetRoles", EmulatorFaultKind.Status(status = 503u, apply = false))
        retrying().use { it.getRoles(GetRolesRequest()) }
        val wrongPassword = "Wr0ng-Log-Passw0rd"
        client { copy(password = wrongPassword) }.use { wrong ->
            assertFailsWith<ResellerException.Authentication> { wrong.getRoles(GetRolesRequest()) }
        }

        val events = captured()
        val bodies = events.filter { it.level == Level.TRACE }
        assertEquals(setOf("request", "response"), bodies.map { it.keyValues["direction"] }.toSet())
        val request = bodies.first {
            it.keyValues["method"] == "AddUserToAccount" && it.keyValues["direction"] == "request"
        }
        assertContains(request.keyValues["body"] as String, "log.canary")
        assertContains(request.keyValues["body"] as String, "***")
        assertTrue(events.any { it.level == Level.WARN && it.keyValues["status"] == 503 }, "the retried 503")

        val basic = { password: String ->
            Base64.getEncoder().encodeToString("${emulator.username()}:$password".toByteArray())
        }
        val secrets = listOf(
            newUserPassword, emulator.password(), wrongPassword, basic(emulator.password()), basic(wrongPassword),
        )
        for (event in events) {
            val text = event.text()
            for (secret in secrets) assertFalse(text.contains(secret), "a secret in: $text")
            assertFalse(text.contains("Authorization", ignoreCase = true), "the Authorization header in: $text")
        }
    }

    @Test
    fun `with the logger off nothing is delivered, and removing the listener stops delivery`() = blocking {
        slf4jAt(Level.ERROR) // below WARN: install removes the listener
        fault("GetAccount", EmulatorFaultKind.Status(status = 500u, apply = false))
        retrying().use { it.getAccount(GetAccountRequest(accountId = 1001)) }
        assertEquals(emptyList(), captured())

        slf4jAt(Level.DEBUG)
        client.getRoles(GetRolesRequest())
        assertEquals(1, captured().size)
        clearLogListener()
        client.getRoles(GetRolesRequest())
        assertEquals(1, captured().size, "nothing after clearLogListener")
    }

    @Test
    fun `a slow or throwing listener never holds up a call`() = blocking {
        val seen = CopyOnWriteArrayList<LogRecord>()
        val flushesInside = CopyOnWriteArrayList<Pair<Boolean, Long>>()
        setLogListener(
            object : LogListener {
                override fun onLog(record: LogRecord) {
                    seen += record
                    val flushStarted = System.nanoTime()
                    flushesInside += flushLogs(Duration.ofSeconds(5)) to (System.nanoTime() - flushStarted) / 1_000_000
                    Thread.sleep(300)
                    throw IllegalStateException("listener failure")
                }
            },
            LogLevel.DEBUG,
        )
        val started = System.nanoTime()
        repeat(4) { client.getRoles(GetRolesRequest()) }
        val elapsedMs = (System.nanoTime() - started) / 1_000_000
        assertTrue(elapsedMs < 1_000, "4 calls took $elapsedMs ms behind a 300 ms listener")
        assertTrue(flushLogs(Duration.ofSeconds(10)))
        assertEquals(List(4) { "GetRoles" }, seen.map { it.method }, "delivered in order despite the throws")
        assertTrue(seen.all { it.level == LogLevel.DEBUG && it.attempt == 1u && it.status == 200.toUShort() })
        assertContains(seen.first().line(), "method=GetRoles attempt=1 status=200")
        assertEquals(0uL, droppedLogRecords())
        val ownThreadWaits = flushesInside.filter { (flushed, ms) -> flushed || ms >= 1_000 }
        assertEquals(emptyList(), ownThreadWaits, "flushLogs in the listener returns false at once")
    }
}
