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
        assertNull(error.httpStatus())
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
        assertEquals(400.toUShort(), error.status)
        assertEquals("GetAccount", error.method)
        assertEquals("ArgumentFaultContract", error.errorType)
        assertEquals("Account 5000 not found.", error.errorMessage)
        assertEquals("Account 5000 not found.", JSONObject(error.detailJson).getString("Message"))
        assertContains(error.contentType!!, "application/json")
        assertContains(error.bodyExcerpt, "Account 5000 not found.")
        assertFalse(error.outcomeUnknown)
        assertEquals(1u, error.attempts)
        assertEquals("bad_request", error.kind())
        assertEquals(400.toUShort(), error.httpStatus())
        assertContains(error.description, "HTTP 400")
        assertContains(error.description, "Account 5000 not found.")
    }

    @Test
    fun `401 is Authentication`() = blocking {
        val error = client { copy(password = "wrong-Passw0rd") }.use { wrong ->
            assertFailsWith<ResellerException.Authentication> { wrong.getRoles(GetRolesRequest()) }
        }
        assertEquals(401.toUShort(), error.status)
        assertEquals("AuthenticationFaultContract", error.errorType)
        assertEquals("Invalid user name or password.", error.errorMessage)
        assertEquals("authentication", error.kind())
        assertFalse(error.description.contains("wrong-Passw0rd"))
        assertFalse(error.bodyExcerpt.contains("wrong-Passw0rd"))
    }

    @Test
    fun `500 is Server, and a read is retried past one`() = blocking {
        fault("GetAccount", EmulatorFaultKind.Status(status = 500u, apply = false))
        val error = client { copy(maxRetries = 0u) }.use { once ->
            assertFailsWith<ResellerException.Server> { once.getAccount(getAccount) }
        }
        assertEquals(500.toUShort(), error.status)
        assertNotNull(error.errorType)
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
        assertEquals(504.toUShort(), error.status)
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
        assertEquals(404.toUShort(), error.status)
        assertContains(assertNotNull(error.hint), "/WebApi/Nope")
        assertEquals("unexpected_response", error.kind())
    }

    @Test
    fun `an HTML error page is UnexpectedResponse with a body excerpt`() = blocking {
        fault("GetAccount", EmulatorFaultKind.Html(status = 403u))
        val error = assertFailsWith<ResellerException.UnexpectedResponse> { client.getAccount(getAccount) }
        assertEquals(403.toUShort(), error.status)
        assertNull(error.errorMessage)
        assertContains(assertNotNull(error.contentType), "text/html")
        assertContains(error.bodyExcerpt, "<html", ignoreCase = true)
    }

    @Test
    fun `a slow answer is Timeout, with outcome unknown for a mutating call`() = blocking {
        client { copy(timeoutMs = 300u, maxRetries = 0u) }.use { impatient ->
            fault("GetAccount", EmulatorFaultKind.Delay(millis = 3000u))
            val read = assertFailsWith<ResellerException.Timeout> { impatient.getAccount(getAccount) }
            assertEquals("GetAccount", read.method)
            assertFalse(read.outcomeUnknown)
            assertEquals("timeout", read.kind())
            assertTrue(read.errorMessage.isNotEmpty())

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
    }

    @Test
    fun `a dropped connection after applying is outcome unknown`() = blocking {
        fault("AllocateCredit", EmulatorFaultKind.Drop(apply = true))
        val error = assertFailsWith<ResellerException> { client.allocateCredit(allocate) }
        assertTrue(error.isOutcomeUnknown(), error.description)
        assertEquals(1, emulator.calls("AllocateCredit").toInt())
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
