package com.cpaas.reseller

import org.json.JSONObject
import java.math.BigDecimal
import java.net.ServerSocket
import kotlin.test.Test
import kotlin.test.assertContains
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue

/** Each exception type and its fields, provoked through the emulator's faults. */
class ErrorsTest : EmulatorTest() {
    private val getAccount = GetAccountRequest(accountId = 1001)
    private val allocate = AllocateCreditRequest(accountId = 1001, amount = BigDecimal("5.00"), reference = "r-1")

    @Test
    fun `local validation names the vendor field and sends nothing`() = blocking {
        val error = assertFailsWith<ResellerException.Validation> {
            client.allocateCredit(AllocateCreditRequest(accountId = 1001, amount = BigDecimal("0")))
        }
        assertEquals("AllocateCredit", error.method)
        assertEquals("Amount", error.field)
        assertTrue(error.errorMessage.isNotEmpty())
        assertEquals("validation", error.kind())
        assertFalse(error.isOutcomeUnknown())
        assertFalse(error.outcomeUnknown)
        assertNull(error.http, "no HTTP answer: nothing was sent")
        assertEquals(0u, error.attempts)
        assertEquals(error.description, error.toString())
        assertContains(error.description, "Amount")
        assertEquals(0, emulator.calls("AllocateCredit").toInt())
    }

    @Test
    fun `invalid configuration is a validation error without a method`() {
        val plainHttp = assertFailsWith<ResellerException.Validation> {
            Client(emulator.clientConfig().copy(baseUrl = "http://reseller.example/WebApi/ResellerServices"))
        }
        assertEquals("base_url", plainHttp.field)
        assertNull(plainHttp.method)
        val noUser = assertFailsWith<ResellerException.Validation> { Client(ClientConfig(username = " ", password = "x")) }
        assertEquals("username", noUser.field)
    }

    @Test
    fun `400 from the service is BadRequest with the vendor fields`() = blocking {
        val error = assertFailsWith<ResellerException.BadRequest> { client.getAccount(GetAccountRequest(accountId = 5000)) }
        val http = error.http // the subclass's own, never null
        assertEquals(400.toUShort(), http.status)
        assertEquals("GetAccount", http.method)
        assertEquals("ArgumentFaultContract", http.errorType)
        assertEquals("Account 5000 not found.", http.message)
        assertEquals("Account 5000 not found.", JSONObject(http.detailJson).getString("Message"))
        assertContains(http.contentType!!, "application/json")
        assertContains(http.bodyExcerpt, "Account 5000 not found.")
        assertFalse(http.outcomeUnknown)
        assertEquals(1u, http.attempts)
        assertEquals("bad_request", error.kind())
        assertContains(error.description, "HTTP 400")
        assertContains(error.description, "Account 5000 not found.")
    }

    @Test
    fun `401 is Authentication`() = blocking {
        val error = client { copy(password = "wrong-Passw0rd") }.use { wrong ->
            assertFailsWith<ResellerException.Authentication> { wrong.getRoles(GetRolesRequest()) }
        }
        assertEquals(401.toUShort(), error.http.status)
        assertEquals("AuthenticationFaultContract", error.http.errorType)
        assertEquals("Invalid user name or password.", error.http.message)
        assertEquals("authentication", error.kind())
        assertFalse(error.description.contains("wrong-Passw0rd"))
        assertFalse(error.http.bodyExcerpt.contains("wrong-Passw0rd"))
        assertFalse(error.message.orEmpty().contains("wrong-Passw0rd"), "Throwable.message")
    }

    @Test
    fun `500 is Server, and a read is retried past one`() = blocking {
        fault("GetAccount", EmulatorFaultKind.Status(status = 500u, apply = false))
        val error = client { copy(maxRetries = 0u) }.use { once ->
            assertFailsWith<ResellerException.Server> { once.getAccount(getAccount) }
        }
        assertEquals(500.toUShort(), error.http.status)
        assertNotNull(error.http.errorType)
        assertFalse(error.outcomeUnknown)

        fault("GetAccount", EmulatorFaultKind.Status(status = 500u, apply = false))
        client { copy(initialBackoffMs = 1u, maxBackoffMs = 5u) }.use { retrying ->
            assertEquals(1001, retrying.getAccount(getAccount).accountId)
        }
        assertEquals(3, emulator.calls("GetAccount").toInt())
    }

    @Test
    fun `504 on an applied mutating call is GatewayTimeout with outcome unknown, never replayed`() = blocking {
        val before = client.getCreditBalance(GetCreditBalanceRequest(accountId = 1001)).balance
        fault("AllocateCredit", EmulatorFaultKind.Status(status = 504u, apply = true))
        val error = assertFailsWith<ResellerException.GatewayTimeout> { client.allocateCredit(allocate) }
        assertEquals(504.toUShort(), error.http.status)
        assertTrue(error.http.outcomeUnknown)
        assertTrue(error.outcomeUnknown)
        assertTrue(error.isOutcomeUnknown())
        assertEquals("gateway_timeout", error.kind())
        assertContains(error.description, "outcome unknown")
        assertEquals(1, emulator.calls("AllocateCredit").toInt(), "a mutating call is never replayed")
        val after = client.getCreditBalance(GetCreditBalanceRequest(accountId = 1001)).balance
        assertEquals(0, (before + BigDecimal("5.00")).compareTo(after), "the emulator applied it")
    }

    @Test
    fun `404 from a wrong base path is UnexpectedResponse with a hint`() = blocking {
        val wrongPath = emulator.baseUrl().replace("/WebApi/ResellerServices", "/WebApi/Nope")
        val error = client { copy(baseUrl = wrongPath, maxRetries = 0u) }.use { lost ->
            assertFailsWith<ResellerException.UnexpectedResponse> { lost.getAccount(getAccount) }
        }
        assertEquals(404.toUShort(), error.http.status)
        assertContains(assertNotNull(error.http.hint), "/WebApi/Nope")
        assertEquals("unexpected_response", error.kind())
    }

    @Test
    fun `an HTML error page is UnexpectedResponse with a body excerpt`() = blocking {
        fault("GetAccount", EmulatorFaultKind.Html(status = 403u))
        val error = assertFailsWith<ResellerException.UnexpectedResponse> { client.getAccount(getAccount) }
        assertEquals(403.toUShort(), error.http.status)
        assertNull(error.http.errorType)
        assertNull(error.http.message)
        assertEquals("{}", error.http.detailJson)
        assertContains(assertNotNull(error.http.contentType), "text/html")
        assertContains(error.http.bodyExcerpt, "<html", ignoreCase = true)
    }

    @Test
    fun `a slow answer is Timeout, with outcome unknown for a mutating call`() = blocking {
        client { copy(timeoutMs = 300u, maxRetries = 0u) }.use { impatient ->
            fault("GetAccount", EmulatorFaultKind.Delay(millis = 3000u))
            val read = assertFailsWith<ResellerException.Timeout> { impatient.getAccount(getAccount) }
            assertEquals("GetAccount", read.method)
            assertFalse(read.outcomeUnknown)
            assertEquals("timeout", read.kind())
            assertTrue(read.transport.message.isNotEmpty())
            assertEquals(1u, read.transport.attempts)
            assertNull(read.http)
            val any: ResellerException = read
            assertEquals(read.transport, any.transport, "the helper reads the same record")
            assertEquals("GetAccount", any.method)

            fault("AllocateCredit", EmulatorFaultKind.Delay(millis = 3000u))
            val write = assertFailsWith<ResellerException.Timeout> { impatient.allocateCredit(allocate) }
            assertTrue(write.outcomeUnknown)
        }
    }

    @Test
    fun `a closed port is Transport, retried because the request never left`() = blocking {
        val port = ServerSocket(0).use { it.localPort }
        val config = emulator.clientConfig().copy(
            baseUrl = "http://127.0.0.1:$port/WebApi/ResellerServices",
            maxRetries = 1u,
            initialBackoffMs = 1u,
            maxBackoffMs = 5u,
        )
        val error = Client(config).use { nowhere ->
            assertFailsWith<ResellerException.Transport> { nowhere.allocateCredit(allocate) }
        }
        assertEquals("AllocateCredit", error.method)
        assertFalse(error.outcomeUnknown, "a refused connection never reached the service")
        assertEquals(2u, error.attempts, "connect failures are retried even for mutating calls")
        assertEquals("transport", error.kind())
        assertTrue(error.transport.message.isNotEmpty())
        val any: ResellerException = error
        assertEquals(error.transport.attempts, any.attempts)
    }

    @Test
    fun `a dropped connection after applying is outcome unknown`() = blocking {
        fault("AllocateCredit", EmulatorFaultKind.Drop(apply = true))
        val error = assertFailsWith<ResellerException> { client.allocateCredit(allocate) }
        assertTrue(error.isOutcomeUnknown(), error.description)
        assertTrue(error.outcomeUnknown, error.description)
        assertEquals("AllocateCredit", error.method)
        assertEquals(1, emulator.calls("AllocateCredit").toInt())
    }

    @Test
    fun `the shared fields are read on any error without matching its subclass`() = blocking {
        fault("AllocateCredit", EmulatorFaultKind.Status(status = 504u, apply = true))
        val failures: List<ResellerException> = listOf(
            assertFailsWith<ResellerException> { client.getAccount(GetAccountRequest(accountId = 5000)) },
            assertFailsWith<ResellerException> { client.allocateCredit(allocate) },
            assertFailsWith<ResellerException> { client.allocateCredit(allocate.copy(amount = BigDecimal("0"))) },
        )
        assertEquals(listOf(400.toUShort(), 504.toUShort(), null), failures.map { it.http?.status })
        assertEquals(listOf("ArgumentFaultContract", "TimeoutFaultContract", null), failures.map { it.http?.errorType })
        assertEquals(listOf(false, true, false), failures.map { it.outcomeUnknown })
        assertEquals(failures.map { it.isOutcomeUnknown() }, failures.map { it.outcomeUnknown })
        assertEquals(listOf("GetAccount", "AllocateCredit", "AllocateCredit"), failures.map { it.method })
        assertEquals(listOf(1u, 1u, 0u), failures.map { it.attempts })
        val answered = failures.mapNotNull { it.http }
        assertEquals(2, answered.size)
        assertTrue(answered.all { it.bodyExcerpt.isNotEmpty() && JSONObject(it.detailJson).has("Message") })
    }

    @Test
    fun `exceptions are one sealed hierarchy`() = blocking {
        fault(null, EmulatorFaultKind.Status(status = 400u, apply = false))
        val error: ResellerException = assertFailsWith<ResellerException> { client.getRoles(GetRolesRequest()) }
        val kind = when (error) {
            is ResellerException.Validation -> "validation"
            is ResellerException.BadRequest -> "bad_request"
            is ResellerException.Authentication -> "authentication"
            is ResellerException.Server -> "server"
            is ResellerException.GatewayTimeout -> "gateway_timeout"
            is ResellerException.UnexpectedResponse -> "unexpected_response"
            is ResellerException.Timeout -> "timeout"
            is ResellerException.Transport -> "transport"
        }
        assertEquals("bad_request", kind)
        assertEquals(kind, error.kind())
    }
}
