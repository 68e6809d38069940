package com.cpaas.reseller

import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.delay
import org.json.JSONArray
import org.json.JSONObject
import org.junit.jupiter.api.io.TempDir
import java.io.File
import java.math.BigDecimal
import java.nio.file.Path
import java.util.Collections
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue

/**
 * The core's crash-safe bulk runner through the typed bulk methods and `bulk`: faults after the
 * service applied a row, identical reruns that reconcile, the journal, the listener and `stop()`.
 */
class BulkTest : EmulatorTest() {
    @TempDir
    lateinit var dir: Path

    private val accounts = listOf(1001, 1002, 1003)

    /** A credit file of [rows] rows over three accounts, references `prefix-N`. */
    private fun creditFile(rows: Int, prefix: String) = (0 until rows).map { i ->
        AllocateCreditRequest(
            accountId = accounts[i % accounts.size],
            amount = BigDecimal(101 + i).movePointLeft(2), // 1.01, 1.02, ...
            reference = "$prefix-$i",
        )
    }

    private fun journal(name: String) = dir.resolve(name).toString()

    private suspend fun balances() =
        accounts.associateWith { client.getCreditBalance(GetCreditBalanceRequest(accountId = it)).balance }

    /** How often each reference is in the accounts' ledgers. */
    private suspend fun referenceCounts(): Map<String?, Int> = accounts
        .flatMap { client.getCreditAllocations(GetCreditAllocationsRequest(accountId = it)).allocations }
        .groupingBy { it.reference }
        .eachCount()

    private fun <R> count(rows: List<R>, status: BulkStatus, statusOf: (R) -> BulkStatus) =
        rows.count { statusOf(it) == status }

    @Test
    fun `a credit file with after-apply faults, rerun identically, applies every reference once`() = blocking {
        val file = creditFile(36, "kt-credit")
        val before = balances()
        // The first eight allocations: three 504s and two dropped connections after the service
        // applied them, a dropped connection before it did, two 500s that applied nothing.
        fault("AllocateCredit", EmulatorFaultKind.Status(status = 504u, apply = true), times = 3u)
        fault("AllocateCredit", EmulatorFaultKind.Drop(apply = true), times = 2u)
        fault("AllocateCredit", EmulatorFaultKind.Drop(apply = false))
        fault("AllocateCredit", EmulatorFaultKind.Status(status = 500u, apply = false), times = 2u)
        val options = BulkOptions(concurrency = 4, journalPath = journal("credit.journal"), settleMs = 0)

        val first = client.bulkAllocateCredit(file, options)
        assertEquals((0 until 36).toList(), first.map { it.index })
        assertEquals(28, count(first, BulkStatus.APPLIED) { it.status })
        assertEquals(6, count(first, BulkStatus.OUTCOME_UNKNOWN) { it.status })
        assertEquals(2, count(first, BulkStatus.FAILED) { it.status })
        for (row in first) {
            when (row.status) {
                BulkStatus.APPLIED -> {
                    val result = assertNotNull(row.result)
                    assertEquals(file[row.index].reference, result.reference)
                    assertEquals(result.allocationId, row.id)
                    assertNull(row.error)
                }
                BulkStatus.OUTCOME_UNKNOWN -> assertTrue(assertNotNull(row.error).isOutcomeUnknown(), "$row")
                BulkStatus.FAILED -> assertEquals("server", assertNotNull(row.error).kind())
                else -> error("unexpected $row")
            }
        }
        assertEquals(36, emulator.calls("AllocateCredit").toInt())

        emulator.clearFaults()
        val second = client.bulkAllocateCredit(file, options)
        assertEquals((0 until 36).toList(), second.map { it.index })
        for ((was, now) in first.zip(second)) {
            when (was.status) {
                // Recorded by the first run: not sent, not even looked up.
                BulkStatus.APPLIED -> {
                    assertEquals(BulkStatus.ALREADY_APPLIED, now.status)
                    assertEquals(BulkAppliedSource.JOURNAL, now.appliedSource)
                    assertEquals(was.id, now.id)
                }
                else -> assertTrue(now.status == BulkStatus.APPLIED || now.status == BulkStatus.ALREADY_APPLIED, "$now")
            }
        }
        // The five applied behind a fault are found on the service; the three that were not are sent.
        val found = second.filter { it.appliedSource == BulkAppliedSource.SERVICE }
        assertEquals(5, found.size)
        for (row in found) {
            val record = JSONObject(assertNotNull(row.recordJson))
            assertEquals(file[row.index].reference, record.getString("Reference"))
            assertEquals(record.getLong("AllocationId"), row.id)
        }
        assertEquals(3, count(second, BulkStatus.APPLIED) { it.status })
        assertEquals(39, emulator.calls("AllocateCredit").toInt())

        val counts = referenceCounts()
        for (row in file) assertEquals(1, counts[row.reference], "${row.reference} applied once")
        val after = balances()
        for (account in accounts) {
            val total = file.filter { it.accountId == account }.fold(BigDecimal.ZERO) { sum, row -> sum + row.amount }
            assertEquals(0, (before.getValue(account) + total).compareTo(after.getValue(account)), "account $account")
        }

        // Once complete, the journal answers for every row: nothing is sent or read.
        val calls = emulator.journal().size
        val third = client.bulkAllocateCredit(file, options)
        assertTrue(third.all { it.status == BulkStatus.ALREADY_APPLIED && it.appliedSource == BulkAppliedSource.JOURNAL })
        assertEquals(calls, emulator.journal().size)
    }

    @Test
    fun `users - an after-apply 504 is found by username on the rerun`() = blocking {
        val users = (0 until 8).map { i ->
            AddUserToAccountRequest(
                accountId = 1002,
                username = "kt.bulk.$i",
                password = "Sup3rSecret-$i",
                firstname = "Bulk",
                lastName = "User$i",
                emailAddress = "bulk$i@example.com",
                mobilePhoneNumber = "+4477009001${10 + i}",
                landlinePhoneNumber = "+4420794600${10 + i}",
            )
        }
        val path = journal("users.journal")
        fault("AddUserToAccount", EmulatorFaultKind.Status(status = 504u, apply = true), times = 2u)
        val options = BulkOptions(concurrency = 3, journalPath = path, settleMs = 0)
        val first = client.bulkAddUserToAccount(users, options)
        assertEquals(6, count(first, BulkStatus.APPLIED) { it.status })
        assertEquals(2, count(first, BulkStatus.OUTCOME_UNKNOWN) { it.status })
        assertTrue(first.filter { it.status == BulkStatus.APPLIED }.all { it.id != null && it.id == it.result?.userId?.toLong() })
        assertTrue("Sup3rSecret" !in File(path).readText(), "no password in the journal")

        val second = client.bulkAddUserToAccount(users, options)
        assertTrue(second.all { it.status == BulkStatus.ALREADY_APPLIED }, "$second")
        assertEquals(2, second.count { it.appliedSource == BulkAppliedSource.SERVICE })
        assertEquals(8, emulator.calls("AddUserToAccount").toInt())
        val listed = client.getUsers(GetUsersRequest(accountId = 1002)).users
        for ((row, user) in second.zip(users)) {
            val matches = listed.filter { it.username == user.username }
            assertEquals(1, matches.size, user.username)
            assertEquals(matches.single().userId.toLong(), row.id)
        }
    }

    @Test
    fun `accounts - without a journal, reconciliation alone finds the accounts created before`() = blocking {
        val file = (0 until 5).map { CreateAccountRequest(accountName = "Kt Bulk $it", parentAccountId = 1001) }
        val first = client.bulkCreateAccount(file, BulkOptions(concurrency = 2))
        assertTrue(first.all { it.status == BulkStatus.APPLIED }, "$first")
        val second = client.bulkCreateAccount(file, BulkOptions(concurrency = 2))
        assertEquals(first.map { it.id }, second.map { it.id })
        assertTrue(second.all { it.status == BulkStatus.ALREADY_APPLIED && it.appliedSource == BulkAppliedSource.SERVICE })
        assertEquals(5, emulator.calls("CreateAccount").toInt())
        val names = client.getAccounts(GetAccountsRequest(parentAccountId = 1001)).accounts.map { it.accountName }
        for (row in file) assertEquals(1, names.count { it == row.accountName })
    }

    @Test
    fun `a journal of another input or method is refused before anything is sent`() = blocking {
        val path = journal("foreign.journal")
        client.bulkAllocateCredit(creditFile(3, "kt-own"), BulkOptions(journalPath = path))
        val calls = emulator.calls("AllocateCredit")

        val other = assertFailsWith<ResellerException.Validation> {
            client.bulkAllocateCredit(creditFile(4, "kt-other"), BulkOptions(journalPath = path))
        }
        assertEquals("journal", other.field)
        assertTrue("another input" in other.errorMessage, other.errorMessage)

        val method = assertFailsWith<ResellerException.Validation> {
            client.bulkCreateAccount(listOf(CreateAccountRequest(accountName = "Kt X")), BulkOptions(journalPath = path))
        }
        assertEquals("journal", method.field)
        assertTrue("another method" in method.errorMessage, method.errorMessage)
        assertEquals(calls, emulator.calls("AllocateCredit"))
        assertEquals(0, emulator.calls("CreateAccount").toInt())
    }

    @Test
    fun `the listener sees every row, the counters and a repaired journal`() = blocking {
        val file = creditFile(12, "kt-listen")
        val progress = Collections.synchronizedList(mutableListOf<BulkProgress>())
        val rows = Collections.synchronizedList(mutableListOf<BulkRowUpdate>())
        val warnings = Collections.synchronizedList(mutableListOf<String>())
        val listener = bulkListener(onProgress = { progress += it }, onRow = { rows += it }, onWarning = { warnings += it })
        val path = journal("listen.journal")
        client.bulkAllocateCredit(file, BulkOptions(concurrency = 3, journalPath = path, listener = listener))
        assertEquals((1..12).toList(), progress.map { it.done })
        assertEquals(BulkProgress(done = 12, total = 12, applied = 12, alreadyApplied = 0, failed = 0, outcomeUnknown = 0, notStarted = 0), progress.last())
        assertEquals((0 until 12).toSet(), rows.map { it.index }.toSet())
        assertTrue(rows.all { it.status == BulkStatus.APPLIED && it.id != null && JSONObject(it.recordJson!!).has("AllocationId") })
        assertTrue(warnings.isEmpty())

        // A write cut short by a crash leaves a final line without its newline: dropped, with a warning.
        File(path).appendText("{\"r\":{\"e\":\"app")
        progress.clear()
        val again = client.bulkAllocateCredit(file, BulkOptions(journalPath = path, listener = listener))
        assertTrue(again.all { it.status == BulkStatus.ALREADY_APPLIED })
        assertEquals(1, warnings.size)
        assertTrue("incomplete final line" in warnings.single(), warnings.single())
        assertEquals(12, progress.last().alreadyApplied)

        // A listener that throws does not stop the run.
        val throwing = bulkListener(onProgress = { throw IllegalStateException("listener bug") })
        val more = client.bulkAllocateCredit(creditFile(3, "kt-throw"), BulkOptions(listener = throwing))
        assertTrue(more.all { it.status == BulkStatus.APPLIED })
    }

    @Test
    fun `stop() starts no further row and the rest are NotStarted`() = blocking {
        val file = creditFile(10, "kt-stop")
        val stopped = BulkStop().apply { stop() }
        val none = client.bulkAllocateCredit(file, BulkOptions(stop = stopped))
        assertTrue(none.all { it.status == BulkStatus.NOT_STARTED && it.error == null && it.id == null })
        assertEquals(0, emulator.calls("AllocateCredit").toInt())

        // Stopped from the listener once the first row is decided; one row in flight at a time.
        val stop = BulkStop()
        val path = journal("stop.journal")
        val options = BulkOptions(concurrency = 1, journalPath = path, stop = stop, listener = bulkListener(onProgress = { stop.stop() }))
        val first = client.bulkAllocateCredit(file, options)
        assertEquals(BulkStatus.APPLIED, first[0].status)
        assertTrue(first.drop(1).all { it.status == BulkStatus.NOT_STARTED }, "$first")
        assertTrue(stop.isStopped())
        assertEquals(1, emulator.calls("AllocateCredit").toInt())

        // The same file and journal without the stop: the rest are sent, the first is not.
        val rest = client.bulkAllocateCredit(file, BulkOptions(concurrency = 4, journalPath = path))
        assertEquals(BulkStatus.ALREADY_APPLIED, rest[0].status)
        assertTrue(rest.drop(1).all { it.status == BulkStatus.APPLIED })
        val counts = referenceCounts()
        for (row in file) assertEquals(1, counts[row.reference])
    }

    @Test
    fun `cancelling the coroutine mid-run is resolved by the rerun`() = blocking {
        val file = creditFile(10, "kt-cancel")
        fault("AllocateCredit", EmulatorFaultKind.Delay(millis = 800u), times = 10u)
        val options = BulkOptions(concurrency = 2, journalPath = journal("cancel.journal"), settleMs = 0)
        val run = async(Dispatchers.Default) { client.bulkAllocateCredit(file, options) }
        delay(300) // two allocations are on the wire, held by the emulator's delay
        run.cancelAndJoin()
        assertTrue(run.isCancelled)
        delay(1_500) // the delayed requests are answered (applied or not) before the rerun looks
        emulator.clearFaults()

        val rerun = client.bulkAllocateCredit(file, options)
        assertTrue(rerun.all { it.status == BulkStatus.APPLIED || it.status == BulkStatus.ALREADY_APPLIED }, "$rerun")
        val counts = referenceCounts()
        for (row in file) assertEquals(1, counts[row.reference], "${row.reference} applied once")
    }

    @Test
    fun `bulk by method name takes and returns JSON`() = blocking {
        val items = """[
            {"AccountId": 1001, "Amount": 2.50, "Reference": "kt-json-0"},
            {"AccountId": 1001, "Amount": -1, "Reference": "kt-json-1"}
        ]"""
        val rows = client.bulk("AllocateCredit", items)
        assertEquals(listOf(BulkStatus.APPLIED, BulkStatus.FAILED), rows.map { it.status })
        val result = JSONObject(assertNotNull(rows[0].resultJson))
        assertEquals("kt-json-0", result.getString("Reference"))
        assertEquals(result.getLong("AllocationId"), rows[0].id)
        val invalid = assertNotNull(rows[1].error) as ResellerException.Validation
        assertEquals("Amount", invalid.field)
        assertEquals("failed", rows[1].status.label())

        // Reads run too (not reconciled, never journaled unless asked).
        val reads = client.bulk("GetAccount", JSONArray(listOf(mapOf("AccountId" to 1002), mapOf("AccountId" to 1003))).toString())
        assertEquals(listOf(1002, 1003), reads.map { JSONObject(it.resultJson!!).getInt("AccountId") })

        val method = assertFailsWith<ResellerException.Validation> { client.bulk("MakeMoney", "[]") }
        assertEquals("method", method.field)
        val json = assertFailsWith<ResellerException.Validation> { client.bulk("AllocateCredit", "{}") }
        assertEquals("items_json", json.field)
        val concurrency = assertFailsWith<ResellerException.Validation> {
            client.bulk("AllocateCredit", "[]", BulkOptions(concurrency = -1))
        }
        assertEquals("concurrency", concurrency.field)
    }
}
