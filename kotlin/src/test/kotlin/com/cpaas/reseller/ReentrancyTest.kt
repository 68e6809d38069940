package com.cpaas.reseller

import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import kotlinx.coroutines.yield
import java.math.BigDecimal
import java.util.Collections
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue

/**
 * Calls into Rust re-entered on one thread and spread over many: the generated bindings reuse a
 * call status per thread and nesting level (scripts/patch-kotlin.py), so a nested call, an error
 * lifted while another call's status is live, and coroutines that move between threads must each
 * see their own status.
 */
class ReentrancyTest : EmulatorTest() {
    /** One successful and one failing sync call, then the same pair of async calls. */
    private fun nestedCalls(): List<String> {
        val results = mutableListOf(client.baseUrl())
        val bad = assertFailsWith<ResellerException.Validation> { Client(emulator.clientConfig().copy(baseUrl = "ftp://nowhere")) }
        results += bad.field
        runBlocking {
            results += client.getAccount(GetAccountRequest(accountId = 1002)).accountId.toString()
            results += assertFailsWith<ResellerException.Validation> { client.getAccount(GetAccountRequest(accountId = 0)) }.field
        }
        return results
    }

    @Test
    fun `a listener that calls the SDK while the run is in flight, on the run's thread`() = blocking {
        val expected = nestedCalls()
        val outer = Thread.currentThread()
        val seen = Collections.synchronizedList(mutableListOf<List<String>>())
        val onOuterThread = Collections.synchronizedList(mutableListOf<Boolean>())
        val listener = bulkListener(onProgress = {
            onOuterThread += Thread.currentThread() === outer
            seen += nestedCalls()
        })
        val file = (0 until 6).map { AllocateCreditRequest(accountId = 1001, amount = BigDecimal("1.25"), reference = "kt-nested-$it") }
        val rows = client.bulkAllocateCredit(file, BulkOptions(concurrency = 2, listener = listener))

        assertTrue(rows.all { it.status == BulkStatus.APPLIED }, "$rows")
        assertEquals(6, seen.size)
        assertTrue(seen.all { it == expected }, "$seen, expected $expected each time")
        assertTrue(onOuterThread.any { it }, "the listener never ran on the thread awaiting the run")
        // The outer client still works after the nested calls.
        assertEquals(1001, client.getAccount(GetAccountRequest(accountId = 1001)).accountId)
    }

    @Test
    fun `many coroutines on a thread pool each get their own results and errors`(): Unit = blocking {
        val ids = listOf(1001, 1002, 1003)
        val base = client.baseUrl()
        withContext(Dispatchers.Default) {
            (0 until 256).map { worker ->
                async {
                    repeat(8) { round ->
                        if ((worker + round) % 3 == 0) {
                            val error = assertFailsWith<ResellerException.Validation> { client.getAccount(GetAccountRequest(accountId = 0)) }
                            assertEquals("AccountId", error.field)
                        } else {
                            val id = ids[(worker + round) % ids.size]
                            assertEquals(id, client.getAccount(GetAccountRequest(accountId = id)).accountId)
                        }
                        assertEquals(base, client.baseUrl())
                        yield() // resume on whichever thread the pool picks
                    }
                }
            }.awaitAll()
        }
    }
}
