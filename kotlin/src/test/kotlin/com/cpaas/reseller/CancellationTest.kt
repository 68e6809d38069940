package com.cpaas.reseller

import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.TimeoutCancellationException
import kotlinx.coroutines.async
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.delay
import kotlinx.coroutines.withTimeout
import kotlin.system.measureTimeMillis
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue

/** Cancelling the calling coroutine drops the Rust call promptly; the client stays usable. */
class CancellationTest : EmulatorTest() {
    private val getAccount = GetAccountRequest(accountId = 1001)

    @Test
    fun `cancelling a slow call returns promptly`() = blocking {
        fault("GetAccount", EmulatorFaultKind.Delay(millis = 10_000u))
        val call = async(Dispatchers.Default) { client.getAccount(getAccount) }
        delay(300) // the request is on the wire, held by the emulator's delay
        val elapsed = measureTimeMillis { call.cancelAndJoin() }
        assertTrue(call.isCancelled)
        assertTrue(elapsed < 1_000, "cancel took $elapsed ms")

        val again = measureTimeMillis { assertEquals(1001, client.getAccount(getAccount).accountId) }
        assertTrue(again < 5_000, "the next call took $again ms")
    }

    @Test
    fun `withTimeout cancels a slow call`() = blocking {
        fault("GetCreditBalance", EmulatorFaultKind.Delay(millis = 10_000u))
        val elapsed = measureTimeMillis {
            assertFailsWith<TimeoutCancellationException> {
                withTimeout(300) { client.getCreditBalance(GetCreditBalanceRequest(accountId = 1001)) }
            }
        }
        assertTrue(elapsed < 2_000, "took $elapsed ms")
    }

    @Test
    fun `concurrent calls share one client`() = blocking {
        val results = (1..20).map { async(Dispatchers.Default) { client.getRoles(GetRolesRequest()).roles.size } }
        assertEquals(List(20) { 5 }, results.map { it.await() })
        assertEquals(20, emulator.calls("GetRoles").toInt())
    }
}
