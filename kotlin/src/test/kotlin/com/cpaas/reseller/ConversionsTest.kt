package com.cpaas.reseller

import org.json.JSONObject
import java.math.BigDecimal
import java.time.Instant
import kotlin.test.Test
import kotlin.test.assertContains
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertTrue

/** Money, dates, enums, unknown fields and secrets across the FFI, checked on the wire. */
class ConversionsTest : EmulatorTest() {
    private fun serve(method: String, body: String) = fault(
        method,
        EmulatorFaultKind.Body(status = 200u, contentType = "application/json", body = body, apply = false),
    )

    @Test
    fun `BigDecimal goes out as the exact JSON number and comes back with its scale`() = blocking {
        for (text in listOf("12.50", "0.1000000000000000000000000001", "1234567890123456.78", "7")) {
            val allocation = client.allocateCredit(AllocateCreditRequest(accountId = 1001, amount = BigDecimal(text)))
            assertEquals("""{"AccountId":1001,"Amount":$text}""", lastBody("AllocateCredit"))
            assertEquals(BigDecimal(text), allocation.amount, "scale kept for $text")
        }
        serve("GetCreditBalance", """{"AccountId":1001,"Balance":12345678901234567890.12345678,"Currency":"GBP"}""")
        val balance = client.getCreditBalance(GetCreditBalanceRequest(accountId = 1001)).balance
        assertEquals(BigDecimal("12345678901234567890.12345678"), balance)
    }

    @Test
    fun `a BigDecimal the core cannot hold exactly is refused before sending`() = blocking {
        val tooFine = BigDecimal("1E-30")
        val error = assertFailsWith<ResellerException.Validation> {
            client.allocateCredit(AllocateCreditRequest(accountId = 1001, amount = tooFine))
        }
        assertContains(error.errorMessage, "exact")
        assertEquals(0, emulator.calls("AllocateCredit").toInt())
    }

    @Test
    fun `Instant goes out as UTC text and comes back to the nanosecond`() = blocking {
        val start = Instant.parse("2026-01-01T00:00:00Z")
        val end = Instant.parse("2026-01-01T06:30:00.123456789Z")
        client.getChargeableActivity(GetChargeableActivityRequest(startDate = start, endDate = end))
        assertEquals(
            """{"StartDate":"2026-01-01T00:00:00Z","EndDate":"2026-01-01T06:30:00.123456789Z"}""",
            lastBody("GetChargeableActivity"),
        )
        serve("GetAccount", """{"AccountId":1001,"CreatedDate":"2026-01-31T09:30:00.123456789Z"}""")
        val account = client.getAccount(GetAccountRequest(accountId = 1001))
        assertEquals(Instant.parse("2026-01-31T09:30:00.123456789Z"), account.createdDate)
        // Before the epoch too (uniffi's timestamp encoding cannot carry the last second before
        // 1970, which no service date falls in).
        serve("GetAccount", """{"AccountId":1001,"CreatedDate":"1969-07-20T20:17:40.25Z"}""")
        assertEquals(Instant.parse("1969-07-20T20:17:40.25Z"), client.getAccount(GetAccountRequest(accountId = 1001)).createdDate)
    }

    @Test
    fun `unknown enum values and unknown fields are kept`() = blocking {
        serve("GetAccount", """{"AccountId":1001,"Status":"PendingReview","Tags":{"tier":"gold","limits":[1,2.50]}}""")
        val account = client.getAccount(GetAccountRequest(accountId = 1001))
        assertEquals(AccountStatus.Unknown(value = "PendingReview"), account.status)
        assertEquals("PendingReview", account.status!!.wireValue())
        val extra = JSONObject(account.extraJson)
        assertEquals(setOf("Tags"), extra.keySet())
        assertTrue(extra.getJSONObject("Tags").similar(JSONObject("""{"tier":"gold","limits":[1,2.50]}""")))
        assertContains(account.extraJson, "[1,2.50]", message = "numbers keep their text")

        // An unknown value goes out as given; this service refuses it.
        assertFailsWith<ResellerException.BadRequest> {
            client.setAccountStatus(SetAccountStatusRequest(accountId = 1001, status = AccountStatus.Unknown(value = "Archived")))
        }
        assertEquals("""{"AccountId":1001,"Status":"Archived"}""", lastBody("SetAccountStatus"))
    }

    @Test
    fun `toString of records holding passwords hides them`() {
        val config = emulator.clientConfig().copy(password = "pa55word-XYZZY", proxy = "http://u:proxy-PLUGH@127.0.0.1:3128")
        val text = config.toString()
        assertFalse(text.contains("XYZZY") || text.contains("PLUGH"), text)
        assertContains(text, emulator.username())

        val request = AddUserToAccountRequest(
            accountId = 1001, username = "jane.doe", password = "Sup3rSecret-XYZZY", firstname = "Jane",
            lastName = "Doe", emailAddress = "jane@example.com", mobilePhoneNumber = "+447700900123",
            landlinePhoneNumber = "+442079460000",
        )
        assertFalse(request.toString().contains("XYZZY"), request.toString())
        assertContains(request.toString(), "jane.doe")
        val reset = ResetUserPasswordRequest(userId = 1, newPassword = "Sup3rSecret-XYZZY")
        assertFalse(reset.toString().contains("XYZZY"), reset.toString())
    }

    @Test
    fun `the password still reaches the wire`() = blocking {
        client.resetUserPassword(ResetUserPasswordRequest(userId = 101, newPassword = "Sup3rSecret1"))
        assertEquals("""{"UserId":101,"NewPassword":"Sup3rSecret1"}""", lastBody("ResetUserPassword"))
        val authorization = emulator.journal().last().headers.single { it.name == "authorization" }.value
        assertFalse(authorization.contains(emulator.password()))
    }

    @Test
    fun `config defaults are the core's`() {
        val config = ClientConfig(username = "u", password = "p")
        assertEquals(130_000uL, config.timeoutMs)
        assertEquals(10_000uL, config.connectTimeoutMs)
        assertEquals(2u, config.maxRetries)
        assertTrue(config.jitter)
        assertEquals(null, config.baseUrl)
        Client(config).use { assertEquals("https://services-cpaas.dotdigital.com/WebApi/ResellerServices", it.baseUrl()) }
    }

    @Test
    fun `the emulator accepts faults as JSON too`() = blocking {
        emulator.injectFaultJson("""{"method":"GetRoles","times":1,"kind":"status","status":500,"apply":false}""")
        client { copy(maxRetries = 0u) }.use { once ->
            assertFailsWith<ResellerException.Server> { once.getRoles(GetRolesRequest()) }
        }
        val journal = JSONObject("""{"entries":${emulator.journalJson()}}""").getJSONArray("entries")
        assertEquals("GetRoles", journal.getJSONObject(journal.length() - 1).getString("method"))
        assertFailsWith<ResellerException.Validation> { emulator.injectFaultJson("""{"kind":"nonsense"}""") }
    }
}
