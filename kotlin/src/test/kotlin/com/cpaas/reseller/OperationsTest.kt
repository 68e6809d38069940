package com.cpaas.reseller

import org.json.JSONObject
import java.math.BigDecimal
import java.time.Duration
import java.time.Instant
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue

/** Every operation of the catalogue, typed, against the emulator's documented initial state. */
class OperationsTest : EmulatorTest() {
    private fun newUser(username: String) = AddUserToAccountRequest(
        accountId = 1001,
        username = username,
        password = "Sup3rSecret!",
        firstname = "Jane",
        lastName = "Doe",
        emailAddress = "jane@example.com",
        mobilePhoneNumber = "+447700900123",
        landlinePhoneNumber = "+442079460000",
        changePasswordAtNextLogon = true,
    )

    @Test
    fun `accounts - create, get, list, update, set status`() = blocking {
        val before = Instant.now().minusSeconds(5)
        val created = client.createAccount(
            CreateAccountRequest(
                accountName = "Acme Ltd",
                parentAccountId = 1001,
                contactEmailAddress = "ops@acme.example",
                countryCode = "GB",
                timeZone = "Europe/London",
            ),
        )
        assertEquals("Acme Ltd", created.accountName)
        assertEquals(1001, created.parentAccountId)
        assertEquals(AccountStatus.Active, created.status)
        assertTrue(created.createdDate!! > before, "created ${created.createdDate}")
        assertTrue(JSONObject(created.extraJson).has("BillingReference"), created.extraJson)
        assertEquals(1, emulator.calls("CreateAccount").toInt())

        val read = client.getAccount(GetAccountRequest(accountId = created.accountId))
        assertEquals(created, read)

        val all = client.getAccounts(GetAccountsRequest()).accounts.map { it.accountId }
        assertTrue(all.containsAll(listOf(1000, 1001, 1002, 1003, created.accountId)), "$all")
        val children = client.getAccounts(GetAccountsRequest(parentAccountId = 1001)).accounts.map { it.accountId }
        assertEquals(setOf(1003, created.accountId), children.toSet())

        val updated = client.updateAccount(UpdateAccountRequest(accountId = created.accountId, notes = "key account"))
        assertEquals("key account", updated.notes)
        assertEquals("Acme Ltd", updated.accountName)

        val suspended = client.setAccountStatus(SetAccountStatusRequest(accountId = created.accountId, status = AccountStatus.Suspended))
        assertEquals(AccountStatus.Suspended, suspended.status)
        assertEquals("Suspended", suspended.status!!.wireValue())
    }

    @Test
    fun `users - add, list, get, update, reset password, remove`() = blocking {
        val created = client.addUserToAccount(newUser("jane.doe"))
        val userId = assertNotNull(created.userId)

        val user = client.getUser(GetUserRequest(userId = userId))
        assertEquals("jane.doe", user.username)
        assertEquals("Jane", user.firstname)
        assertEquals("Doe", user.lastName)
        assertEquals(1001, user.accountId)
        assertEquals(true, user.enabled)
        assertTrue(JSONObject(user.extraJson).has("CreatedDate"), user.extraJson)

        val users = client.getUsers(GetUsersRequest(accountId = 1001)).users.map { it.username }
        assertEquals(setOf("bob.billing", "jane.doe"), users.toSet())

        val disabled = client.updateUser(UpdateUserRequest(userId = userId, enabled = false, notes = "left"))
        assertEquals(false, disabled.enabled)
        assertEquals("left", disabled.notes)
        assertEquals("Jane", disabled.firstname)

        client.resetUserPassword(ResetUserPasswordRequest(userId = userId, newPassword = "N3wPassword!", changePasswordAtNextLogon = false))
        val stored = JSONObject(emulator.stateJson()).getJSONArray("users")
            .let { array -> (0 until array.length()).map { array.getJSONObject(it) } }
            .single { it.getInt("UserId") == userId }
        assertEquals("N3wPassword!", stored.getString("Password"))
        assertFalse(stored.getBoolean("ChangePasswordAtNextLogon"))

        client.removeUserFromAccount(RemoveUserFromAccountRequest(userId = userId))
        val gone = assertFailsWith<ResellerException.BadRequest> { client.getUser(GetUserRequest(userId = userId)) }
        assertEquals("User $userId not found.", gone.http.message)
    }

    @Test
    fun `roles - list, assign and remove for users and accounts`() = blocking {
        val roles = client.getRoles(GetRolesRequest())
        assertEquals(listOf(1, 2, 3, 4, 5), roles.roles.map { it.roleId })
        assertEquals("Administrator", roles.roles[0].roleName)
        assertTrue(JSONObject(roles.roles[0].extraJson).has("IsSystemRole"))

        client.assignRoleToUser(AssignRoleToUserRequest(userId = 102, roleId = 4))
        assertEquals(listOf(4), client.getUser(GetUserRequest(userId = 102)).roleIds)
        client.removeRoleFromUser(RemoveRoleFromUserRequest(userId = 102, roleId = 4))
        assertEquals(emptyList(), client.getUser(GetUserRequest(userId = 102)).roleIds)
        assertFailsWith<ResellerException.BadRequest> {
            client.removeRoleFromUser(RemoveRoleFromUserRequest(userId = 102, roleId = 4))
        }

        client.assignRoleToAccount(AssignRoleToAccountRequest(accountId = 1002, roleId = 5))
        val roleIds = JSONObject(client.getAccount(GetAccountRequest(accountId = 1002)).extraJson).getJSONArray("RoleIds")
        assertEquals(listOf<Any>(5), roleIds.toList())
        client.removeRoleFromAccount(RemoveRoleFromAccountRequest(accountId = 1002, roleId = 5))
        val removed = assertFailsWith<ResellerException.BadRequest> {
            client.removeRoleFromAccount(RemoveRoleFromAccountRequest(accountId = 1002, roleId = 5))
        }
        assertEquals("Account 1002 does not have role 5.", removed.http.message)
    }

    @Test
    fun `credit - allocate, balance, allocations`() = blocking {
        val before = client.getCreditBalance(GetCreditBalanceRequest(accountId = 1001))
        assertEquals(1001, before.accountId)
        assertEquals("GBP", before.currency)

        val allocation = client.allocateCredit(AllocateCreditRequest(accountId = 1001, amount = BigDecimal("12.50"), reference = "inv-001"))
        assertEquals(BigDecimal("12.50"), allocation.amount)
        assertEquals("inv-001", allocation.reference)
        assertEquals(0, (before.balance + BigDecimal("12.50")).compareTo(allocation.balanceAfter))
        assertNotNull(allocation.allocatedDate)

        val after = client.getCreditBalance(GetCreditBalanceRequest(accountId = 1001))
        assertEquals(0, allocation.balanceAfter!!.compareTo(after.balance))

        val ledger = client.getCreditAllocations(GetCreditAllocationsRequest(accountId = 1001)).allocations
        assertEquals(listOf("OPENING-1001", "inv-001"), ledger.map { it.reference })
        val opening = ledger[0]
        assertEquals(0, BigDecimal("250.00").compareTo(opening.amount))

        val january = client.getCreditAllocations(
            GetCreditAllocationsRequest(
                accountId = 1001,
                startDate = Instant.parse("2026-01-01T00:00:00Z"),
                endDate = Instant.parse("2026-01-02T00:00:00Z"),
            ),
        ).allocations
        assertEquals(listOf(opening.allocationId), january.map { it.allocationId })
    }

    @Test
    fun `reports - chargeable activity per account and for all`() = blocking {
        val start = Instant.parse("2026-01-01T00:00:00Z")
        val end = start.plus(Duration.ofDays(2))
        val one = client.getChargeableActivity(GetChargeableActivityRequest(startDate = start, endDate = end, accountId = 1001))
        assertEquals(2 * 3, one.activities.size)
        for (row in one.activities) {
            assertEquals(1001, row.accountId)
            assertTrue(row.activityDate >= start && row.activityDate < end, "${row.activityDate}")
            assertEquals(0, (row.unitCost * BigDecimal(row.quantity)).compareTo(row.totalCost), "$row")
            assertTrue(row.activityType !is ActivityType.Unknown, "$row")
        }
        val all = client.getChargeableActivity(GetChargeableActivityRequest(startDate = start, endDate = end))
        val accounts = all.activities.map { it.accountId }.toSet()
        assertEquals(setOf(1000, 1001, 1002, 1003), accounts)
        assertEquals(2 * 3 * accounts.size, all.activities.size)
    }

    @Test
    fun `numbers - available, allocate, allocated, release`() = blocking {
        val available = client.getAvailableInboundNumbers(
            GetAvailableInboundNumbersRequest(countryCode = "GB", numberType = NumberType.LongCode),
        ).numbers
        assertTrue(available.isNotEmpty())
        assertTrue(available.all { it.numberType == NumberType.LongCode && it.countryCode == "GB" && it.accountId == null }, "$available")
        val number = available.first().number

        val allocated = client.allocateInboundNumber(AllocateInboundNumberRequest(accountId = 1001, number = number))
        assertEquals(1001, allocated.accountId)
        assertEquals(number, allocated.number)
        assertNotNull(allocated.allocatedDate)

        val mine = client.getAllocatedInboundNumbers(GetAllocatedInboundNumbersRequest(accountId = 1001)).numbers.map { it.number }
        assertEquals(setOf("+447700900100", number), mine.toSet())

        client.releaseInboundNumber(ReleaseInboundNumberRequest(accountId = 1001, number = number))
        val left = client.getAllocatedInboundNumbers(GetAllocatedInboundNumbersRequest(accountId = 1001)).numbers.map { it.number }
        assertEquals(listOf("+447700900100"), left)
        assertNull(
            client.getAvailableInboundNumbers(GetAvailableInboundNumbersRequest(countryCode = "GB")).numbers
                .single { it.number == number }.accountId,
        )
    }

    @Test
    fun `call reaches any method with raw JSON`() = blocking {
        val account = JSONObject(client.call("GetAccount", """{"AccountId":1001}"""))
        assertEquals(1001, account.getInt("AccountId"))
        assertEquals("""{"AccountId":1001}""", lastBody("GetAccount"))

        val roles = JSONObject(client.call("GetRoles", null))
        assertEquals(5, roles.getJSONArray("Roles").length())
        assertEquals("{}", lastBody("GetRoles"))

        // An empty success body comes back as JSON null.
        assertEquals("null", client.call("AssignRoleToAccount", """{"AccountId":1001,"RoleId":1}"""))

        val bad = assertFailsWith<ResellerException.Validation> { client.call("GetAccount", "{not json") }
        assertEquals("json_body", bad.field)
        val unknown = assertFailsWith<ResellerException.UnexpectedResponse> { client.call("NoSuchMethod", "{}") }
        assertEquals(404.toUShort(), unknown.http.status)
    }

    @Test
    fun `the client reports its base URL`() {
        assertEquals(emulator.baseUrl(), client.baseUrl())
        assertTrue(client.baseUrl().endsWith("/WebApi/ResellerServices"))
    }
}
