import CpaasReseller
import Foundation
import XCTest

struct VectorError: Error, CustomStringConvertible {
    let description: String
}

/// A vector's input (vendor field names) read into typed values. Every key must be read, so a
/// vector field that the typed request does not map fails the test instead of being ignored.
final class VendorInput {
    private let json: [String: Any]
    private var read: Set<String> = []
    /// Amounts whose text `Decimal` does not keep as written (`12.50` is the value 12.5, sent as
    /// `12.5`): the vendor key, the text given and the text the library sends.
    private(set) var rescaled: [(key: String, given: String, sent: String)] = []

    init(_ json: [String: Any]) {
        self.json = json
    }

    private func raw(_ key: String) -> Any? {
        read.insert(key)
        guard let value = json[key], !(value is NSNull) else { return nil }
        return value
    }

    func stringOrNil(_ key: String) throws -> String? {
        guard let value = raw(key) else { return nil }
        guard let text = value as? String else { throw VectorError(description: "\(key) is not a string: \(value)") }
        return text
    }

    func string(_ key: String) throws -> String {
        guard let text = try stringOrNil(key) else { throw VectorError(description: "vector input lacks \(key)") }
        return text
    }

    func intOrNil(_ key: String) throws -> Int32? {
        guard let value = raw(key) else { return nil }
        guard let number = value as? Int, let exact = Int32(exactly: number) else {
            throw VectorError(description: "\(key) is not a 32-bit integer: \(value)")
        }
        return exact
    }

    func int(_ key: String) throws -> Int32 {
        guard let value = try intOrNil(key) else { throw VectorError(description: "vector input lacks \(key)") }
        return value
    }

    func boolOrNil(_ key: String) throws -> Bool? {
        guard let value = raw(key) else { return nil }
        guard let flag = value as? Bool else { throw VectorError(description: "\(key) is not a boolean: \(value)") }
        return flag
    }

    func money(_ key: String) throws -> Decimal {
        let text = try string(key)
        guard let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else {
            throw VectorError(description: "\(key) is not a decimal: \(text)")
        }
        let sent = NSDecimalNumber(decimal: value).stringValue
        if sent != text {
            rescaled.append((key, text, sent))
        }
        return value
    }

    func dateOrNil(_ key: String) throws -> Date? {
        try stringOrNil(key).map { rfc3339($0) }
    }

    func date(_ key: String) throws -> Date {
        guard let value = try dateOrNil(key) else { throw VectorError(description: "vector input lacks \(key)") }
        return value
    }

    func accountStatus(_ key: String) throws -> AccountStatus {
        switch try string(key) {
        case "Active": .active
        case "Suspended": .suspended
        case "Closed": .closed
        case let other: .unknown(value: other)
        }
    }

    func numberTypeOrNil(_ key: String) throws -> NumberType? {
        switch try stringOrNil(key) {
        case nil: nil
        case "LongCode": .longCode
        case "ShortCode": .shortCode
        case "TollFree": .tollFree
        case let other?: .unknown(value: other)
        }
    }

    func assertAllRead(file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(Set(json.keys).subtracting(read), [], "vector fields not mapped", file: file, line: line)
    }
}

/// Builds the typed request for `operation` from vendor-named input and makes the typed call;
/// returns its result (`()` for the operations without one).
func callTyped(_ client: Client, _ operation: String, _ i: VendorInput) async throws -> Any {
    switch operation {
    case "CreateAccount":
        let request = CreateAccountRequest(
            accountName: try i.string("AccountName"), parentAccountId: try i.intOrNil("ParentAccountId"),
            contactEmailAddress: try i.stringOrNil("ContactEmailAddress"),
            countryCode: try i.stringOrNil("CountryCode"),
            timeZone: try i.stringOrNil("TimeZone"), notes: try i.stringOrNil("Notes"))
        i.assertAllRead()
        return try await client.createAccount(request: request)
    case "GetAccount":
        let request = GetAccountRequest(accountId: try i.int("AccountId"))
        i.assertAllRead()
        return try await client.getAccount(request: request)
    case "GetAccounts":
        let request = GetAccountsRequest(parentAccountId: try i.intOrNil("ParentAccountId"))
        i.assertAllRead()
        return try await client.getAccounts(request: request)
    case "UpdateAccount":
        let request = UpdateAccountRequest(
            accountId: try i.int("AccountId"), accountName: try i.stringOrNil("AccountName"),
            contactEmailAddress: try i.stringOrNil("ContactEmailAddress"), timeZone: try i.stringOrNil("TimeZone"),
            notes: try i.stringOrNil("Notes"))
        i.assertAllRead()
        return try await client.updateAccount(request: request)
    case "SetAccountStatus":
        let request = SetAccountStatusRequest(accountId: try i.int("AccountId"), status: try i.accountStatus("Status"))
        i.assertAllRead()
        return try await client.setAccountStatus(request: request)
    case "AddUserToAccount":
        let request = AddUserToAccountRequest(
            accountId: try i.int("AccountId"), username: try i.string("Username"), password: try i.string("Password"),
            firstname: try i.string("Firstname"), lastName: try i.string("LastName"),
            emailAddress: try i.string("EmailAddress"), mobilePhoneNumber: try i.string("MobilePhoneNumber"),
            landlinePhoneNumber: try i.string("LandlinePhoneNumber"), notes: try i.stringOrNil("Notes"),
            changePasswordAtNextLogon: try i.boolOrNil("ChangePasswordAtNextLogon"))
        i.assertAllRead()
        return try await client.addUserToAccount(request: request)
    case "GetUsers":
        let request = GetUsersRequest(accountId: try i.int("AccountId"))
        i.assertAllRead()
        return try await client.getUsers(request: request)
    case "GetUser":
        let request = GetUserRequest(userId: try i.int("UserId"))
        i.assertAllRead()
        return try await client.getUser(request: request)
    case "UpdateUser":
        let request = UpdateUserRequest(
            userId: try i.int("UserId"), firstname: try i.stringOrNil("Firstname"),
            lastName: try i.stringOrNil("LastName"),
            emailAddress: try i.stringOrNil("EmailAddress"), mobilePhoneNumber: try i.stringOrNil("MobilePhoneNumber"),
            landlinePhoneNumber: try i.stringOrNil("LandlinePhoneNumber"), notes: try i.stringOrNil("Notes"),
            enabled: try i.boolOrNil("Enabled"))
        i.assertAllRead()
        return try await client.updateUser(request: request)
    case "RemoveUserFromAccount":
        let request = RemoveUserFromAccountRequest(userId: try i.int("UserId"))
        i.assertAllRead()
        return try await client.removeUserFromAccount(request: request)
    case "ResetUserPassword":
        let request = ResetUserPasswordRequest(
            userId: try i.int("UserId"), newPassword: try i.string("NewPassword"),
            changePasswordAtNextLogon: try i.boolOrNil("ChangePasswordAtNextLogon"))
        i.assertAllRead()
        return try await client.resetUserPassword(request: request)
    case "GetRoles":
        i.assertAllRead()
        return try await client.getRoles(request: GetRolesRequest())
    case "AssignRoleToUser":
        let request = AssignRoleToUserRequest(userId: try i.int("UserId"), roleId: try i.int("RoleId"))
        i.assertAllRead()
        return try await client.assignRoleToUser(request: request)
    case "RemoveRoleFromUser":
        let request = RemoveRoleFromUserRequest(userId: try i.int("UserId"), roleId: try i.int("RoleId"))
        i.assertAllRead()
        return try await client.removeRoleFromUser(request: request)
    case "AssignRoleToAccount":
        let request = AssignRoleToAccountRequest(accountId: try i.int("AccountId"), roleId: try i.int("RoleId"))
        i.assertAllRead()
        return try await client.assignRoleToAccount(request: request)
    case "RemoveRoleFromAccount":
        let request = RemoveRoleFromAccountRequest(accountId: try i.int("AccountId"), roleId: try i.int("RoleId"))
        i.assertAllRead()
        return try await client.removeRoleFromAccount(request: request)
    case "AllocateCredit":
        let request = AllocateCreditRequest(
            accountId: try i.int("AccountId"), amount: try i.money("Amount"), reference: try i.stringOrNil("Reference"))
        i.assertAllRead()
        return try await client.allocateCredit(request: request)
    case "GetCreditBalance":
        let request = GetCreditBalanceRequest(accountId: try i.int("AccountId"))
        i.assertAllRead()
        return try await client.getCreditBalance(request: request)
    case "GetCreditAllocations":
        let request = GetCreditAllocationsRequest(
            accountId: try i.int("AccountId"), startDate: try i.dateOrNil("StartDate"),
            endDate: try i.dateOrNil("EndDate"))
        i.assertAllRead()
        return try await client.getCreditAllocations(request: request)
    case "GetChargeableActivity":
        let request = GetChargeableActivityRequest(
            startDate: try i.date("StartDate"), endDate: try i.date("EndDate"), accountId: try i.intOrNil("AccountId"))
        i.assertAllRead()
        return try await client.getChargeableActivity(request: request)
    case "GetAvailableInboundNumbers":
        let request = GetAvailableInboundNumbersRequest(
            countryCode: try i.stringOrNil("CountryCode"), numberType: try i.numberTypeOrNil("NumberType"))
        i.assertAllRead()
        return try await client.getAvailableInboundNumbers(request: request)
    case "AllocateInboundNumber":
        let request = AllocateInboundNumberRequest(accountId: try i.int("AccountId"), number: try i.string("Number"))
        i.assertAllRead()
        return try await client.allocateInboundNumber(request: request)
    case "ReleaseInboundNumber":
        let request = ReleaseInboundNumberRequest(accountId: try i.int("AccountId"), number: try i.string("Number"))
        i.assertAllRead()
        return try await client.releaseInboundNumber(request: request)
    case "GetAllocatedInboundNumbers":
        let request = GetAllocatedInboundNumbersRequest(accountId: try i.int("AccountId"))
        i.assertAllRead()
        return try await client.getAllocatedInboundNumbers(request: request)
    default:
        throw VectorError(description: "no typed call for \(operation)")
    }
}
