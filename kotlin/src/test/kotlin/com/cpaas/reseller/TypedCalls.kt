package com.cpaas.reseller

import org.json.JSONObject
import java.math.BigDecimal
import java.time.Instant
import java.time.OffsetDateTime
import kotlin.test.assertEquals
import kotlin.test.fail

/**
 * A vector's input (vendor field names) read into typed values. Every key must be read, so a
 * vector field the typed request does not map fails the test instead of being ignored.
 */
class VendorInput(private val json: JSONObject) {
    private val read = mutableSetOf<String>()

    private fun raw(key: String): Any? {
        read += key
        return if (json.has(key) && !json.isNull(key)) json.get(key) else null
    }

    fun string(key: String): String = stringOrNull(key) ?: fail("vector input lacks $key")
    fun stringOrNull(key: String): String? = raw(key)?.toString()
    fun int(key: String): Int = intOrNull(key) ?: fail("vector input lacks $key")
    fun intOrNull(key: String): Int? = raw(key)?.let { (it as Number).toInt() }
    fun boolOrNull(key: String): Boolean? = raw(key) as Boolean?
    fun money(key: String): BigDecimal = BigDecimal(string(key))
    fun instant(key: String): Instant = instantOrNull(key) ?: fail("vector input lacks $key")
    fun instantOrNull(key: String): Instant? = stringOrNull(key)?.let { OffsetDateTime.parse(it).toInstant() }
    fun accountStatus(key: String): AccountStatus = wireEnum(string(key), AccountStatus::Unknown) {
        when (it) {
            "Active" -> AccountStatus.Active
            "Suspended" -> AccountStatus.Suspended
            "Closed" -> AccountStatus.Closed
            else -> null
        }
    }
    fun numberTypeOrNull(key: String): NumberType? = stringOrNull(key)?.let { text ->
        wireEnum(text, NumberType::Unknown) {
            when (it) {
                "LongCode" -> NumberType.LongCode
                "ShortCode" -> NumberType.ShortCode
                "TollFree" -> NumberType.TollFree
                else -> null
            }
        }
    }

    private fun <E> wireEnum(text: String, unknown: (String) -> E, known: (String) -> E?): E = known(text) ?: unknown(text)

    fun assertAllRead() = assertEquals(json.keySet(), json.keySet().intersect(read), "vector fields not mapped")
}

/** Builds the typed request for [operation] from vendor-named [input] and calls it. */
suspend fun Client.callTyped(operation: String, input: JSONObject): Any? {
    val i = VendorInput(input)
    val call: suspend () -> Any? = when (operation) {
        "CreateAccount" -> CreateAccountRequest(
            accountName = i.string("AccountName"),
            parentAccountId = i.intOrNull("ParentAccountId"),
            contactEmailAddress = i.stringOrNull("ContactEmailAddress"),
            countryCode = i.stringOrNull("CountryCode"),
            timeZone = i.stringOrNull("TimeZone"),
            notes = i.stringOrNull("Notes"),
        ).let { { createAccount(it) } }
        "GetAccount" -> GetAccountRequest(accountId = i.int("AccountId")).let { { getAccount(it) } }
        "GetAccounts" -> GetAccountsRequest(parentAccountId = i.intOrNull("ParentAccountId")).let { { getAccounts(it) } }
        "UpdateAccount" -> UpdateAccountRequest(
            accountId = i.int("AccountId"),
            accountName = i.stringOrNull("AccountName"),
            contactEmailAddress = i.stringOrNull("ContactEmailAddress"),
            timeZone = i.stringOrNull("TimeZone"),
            notes = i.stringOrNull("Notes"),
        ).let { { updateAccount(it) } }
        "SetAccountStatus" -> SetAccountStatusRequest(accountId = i.int("AccountId"), status = i.accountStatus("Status"))
            .let { { setAccountStatus(it) } }
        "AddUserToAccount" -> AddUserToAccountRequest(
            accountId = i.int("AccountId"),
            username = i.string("Username"),
            password = i.string("Password"),
            firstname = i.string("Firstname"),
            lastName = i.string("LastName"),
            emailAddress = i.string("EmailAddress"),
            mobilePhoneNumber = i.string("MobilePhoneNumber"),
            landlinePhoneNumber = i.string("LandlinePhoneNumber"),
            notes = i.stringOrNull("Notes"),
            changePasswordAtNextLogon = i.boolOrNull("ChangePasswordAtNextLogon"),
        ).let { { addUserToAccount(it) } }
        "GetUsers" -> GetUsersRequest(accountId = i.int("AccountId")).let { { getUsers(it) } }
        "GetUser" -> GetUserRequest(userId = i.int("UserId")).let { { getUser(it) } }
        "UpdateUser" -> UpdateUserRequest(
            userId = i.int("UserId"),
            firstname = i.stringOrNull("Firstname"),
            lastName = i.stringOrNull("LastName"),
            emailAddress = i.stringOrNull("EmailAddress"),
            mobilePhoneNumber = i.stringOrNull("MobilePhoneNumber"),
            landlinePhoneNumber = i.stringOrNull("LandlinePhoneNumber"),
            notes = i.stringOrNull("Notes"),
            enabled = i.boolOrNull("Enabled"),
        ).let { { updateUser(it) } }
        "RemoveUserFromAccount" -> RemoveUserFromAccountRequest(userId = i.int("UserId")).let { { removeUserFromAccount(it) } }
        "ResetUserPassword" -> ResetUserPasswordRequest(
            userId = i.int("UserId"),
            newPassword = i.string("NewPassword"),
            changePasswordAtNextLogon = i.boolOrNull("ChangePasswordAtNextLogon"),
        ).let { { resetUserPassword(it) } }
        "GetRoles" -> GetRolesRequest().let { { getRoles(it) } }
        "AssignRoleToUser" -> AssignRoleToUserRequest(userId = i.int("UserId"), roleId = i.int("RoleId"))
            .let { { assignRoleToUser(it) } }
        "RemoveRoleFromUser" -> RemoveRoleFromUserRequest(userId = i.int("UserId"), roleId = i.int("RoleId"))
            .let { { removeRoleFromUser(it) } }
        "AssignRoleToAccount" -> AssignRoleToAccountRequest(accountId = i.int("AccountId"), roleId = i.int("RoleId"))
            .let { { assignRoleToAccount(it) } }
        "RemoveRoleFromAccount" -> RemoveRoleFromAccountRequest(accountId = i.int("AccountId"), roleId = i.int("RoleId"))
            .let { { removeRoleFromAccount(it) } }
        "AllocateCredit" -> AllocateCreditRequest(
            accountId = i.int("AccountId"),
            amount = i.money("Amount"),
            reference = i.stringOrNull("Reference"),
        ).let { { allocateCredit(it) } }
        "GetCreditBalance" -> GetCreditBalanceRequest(accountId = i.int("AccountId")).let { { getCreditBalance(it) } }
        "GetCreditAllocations" -> GetCreditAllocationsRequest(
            accountId = i.int("AccountId"),
            startDate = i.instantOrNull("StartDate"),
            endDate = i.instantOrNull("EndDate"),
        ).let { { getCreditAllocations(it) } }
        "GetChargeableActivity" -> GetChargeableActivityRequest(
            startDate = i.instant("StartDate"),
            endDate = i.instant("EndDate"),
            accountId = i.intOrNull("AccountId"),
        ).let { { getChargeableActivity(it) } }
        "GetAvailableInboundNumbers" -> GetAvailableInboundNumbersRequest(
            countryCode = i.stringOrNull("CountryCode"),
            numberType = i.numberTypeOrNull("NumberType"),
        ).let { { getAvailableInboundNumbers(it) } }
        "AllocateInboundNumber" -> AllocateInboundNumberRequest(accountId = i.int("AccountId"), number = i.string("Number"))
            .let { { allocateInboundNumber(it) } }
        "ReleaseInboundNumber" -> ReleaseInboundNumberRequest(accountId = i.int("AccountId"), number = i.string("Number"))
            .let { { releaseInboundNumber(it) } }
        "GetAllocatedInboundNumbers" -> GetAllocatedInboundNumbersRequest(accountId = i.int("AccountId"))
            .let { { getAllocatedInboundNumbers(it) } }
        else -> fail("no typed call for $operation")
    }
    i.assertAllRead()
    return call()
}
