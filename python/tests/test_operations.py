"""Every operation of the catalogue, through `Client` and `AsyncClient` (the `api` fixture),
against the emulator's seeded state: the result's attributes, the request on the wire, and the
change in the emulator's state."""

from __future__ import annotations

import json
import urllib.request
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest

from cpaas_reseller import (
    Account,
    AccountList,
    ActivityReport,
    BadRequestError,
    CreditAllocation,
    CreditAllocationList,
    CreditBalance,
    InboundNumber,
    InboundNumberList,
    RoleList,
    User,
    UserCreated,
    UserList,
)
from cpaas_reseller.testing import Emulator

Api = Any  # `Client`, or `AsyncClient` run to completion (see conftest.py)

UTC = timezone.utc
NEW_USER = dict(
    account_id=1001,
    username="jane.doe",
    password="Sup3rSecret!",
    firstname="Jane",
    last_name="Doe",
    email_address="jane@example.com",
    mobile_phone_number="+447700900123",
    landline_phone_number="+442079460000",
)


def wire(emu: Emulator, method: str) -> object:
    entry = emu.last_request(method)
    assert entry is not None, f"no {method} call reached the emulator"
    return json.loads(entry.body) if entry.body else None


def test_create_account(api: Api, emu: Emulator) -> None:
    account = api.create_account(
        account_name="New Co",
        parent_account_id=1001,
        contact_email_address="ops@new.example.com",
        country_code="GB",
        time_zone="Europe/London",
        notes="trial",
    )
    assert isinstance(account, Account)
    assert account.account_id == 1004
    assert (account.account_name, account.parent_account_id, account.status) == ("New Co", 1001, "Active")
    assert (account.country_code, account.time_zone, account.notes) == ("GB", "Europe/London", "trial")
    assert account.created_date is not None and account.created_date.tzinfo == UTC
    assert wire(emu, "CreateAccount") == {
        "AccountName": "New Co",
        "ParentAccountId": 1001,
        "ContactEmailAddress": "ops@new.example.com",
        "CountryCode": "GB",
        "TimeZone": "Europe/London",
        "Notes": "trial",
    }
    assert any(a["AccountId"] == 1004 for a in emu.state()["accounts"])


def test_get_account(api: Api) -> None:
    account = api.get_account(account_id=1001)
    assert (account.account_id, account.account_name, account.parent_account_id) == (1001, "Acme Retail", 1000)
    assert account.status == "Active"
    assert account.created_date == datetime(2025, 1, 1, tzinfo=UTC)
    assert account.raw["BillingReference"] == "BR-1001"


def test_get_accounts(api: Api, emu: Emulator) -> None:
    everything = api.get_accounts()
    assert isinstance(everything, AccountList)
    assert [a.account_id for a in everything.accounts] == [1000, 1001, 1002, 1003]
    assert wire(emu, "GetAccounts") == {}
    children = api.get_accounts(parent_account_id=1001)
    assert [a.account_name for a in children.accounts] == ["Acme Retail Marketing"]
    assert wire(emu, "GetAccounts") == {"ParentAccountId": 1001}


def test_update_account(api: Api, emu: Emulator) -> None:
    account = api.update_account(account_id=1002, account_name="Globex", notes="renamed")
    assert (account.account_name, account.notes) == ("Globex", "renamed")
    assert account.time_zone == "America/New_York"
    assert wire(emu, "UpdateAccount") == {"AccountId": 1002, "AccountName": "Globex", "Notes": "renamed"}


def test_set_account_status(api: Api) -> None:
    account = api.set_account_status(account_id=1003, status="Suspended")
    assert account.status == "Suspended"
    assert api.get_account(account_id=1003).status == "Suspended"


def test_add_user_to_account(api: Api, emu: Emulator) -> None:
    created = api.add_user_to_account(**NEW_USER, notes="VIP", change_password_at_next_logon=True)
    assert isinstance(created, UserCreated)
    assert created.user_id == 103
    assert wire(emu, "AddUserToAccount") == {
        "AccountId": 1001,
        "Username": "jane.doe",
        "Password": "Sup3rSecret!",
        "Firstname": "Jane",
        "LastName": "Doe",
        "EmailAddress": "jane@example.com",
        "MobilePhoneNumber": "+447700900123",
        "LandlinePhoneNumber": "+442079460000",
        "Notes": "VIP",
        "ChangePasswordAtNextLogon": True,
    }
    user = api.get_user(user_id=103)
    assert (user.username, user.account_id, user.notes) == ("jane.doe", 1001, "VIP")


def test_get_users(api: Api) -> None:
    users = api.get_users(account_id=1001)
    assert isinstance(users, UserList)
    assert [(u.user_id, u.username, u.role_ids) for u in users.users] == [(101, "bob.billing", [3])]


def test_get_user(api: Api) -> None:
    user = api.get_user(user_id=100)
    assert isinstance(user, User)
    assert (user.username, user.firstname, user.last_name) == ("alice.admin", "Alice", "Admin")
    assert (user.enabled, user.role_ids, user.account_id) == (True, [1], 1000)
    assert user.mobile_phone_number == "+447700900100"


def test_update_user(api: Api, emu: Emulator) -> None:
    user = api.update_user(user_id=102, firstname="Caroline", enabled=False)
    assert (user.firstname, user.enabled, user.last_name) == ("Caroline", False, "Ops")
    assert wire(emu, "UpdateUser") == {"UserId": 102, "Firstname": "Caroline", "Enabled": False}


def test_remove_user_from_account(api: Api) -> None:
    assert api.remove_user_from_account(user_id=102) is None
    with pytest.raises(BadRequestError, match="User 102 not found"):
        api.get_user(user_id=102)


def test_reset_user_password(api: Api, emu: Emulator) -> None:
    result = api.reset_user_password(user_id=101, new_password="N3w-Passw0rd", change_password_at_next_logon=True)
    assert result is None
    (bob,) = [u for u in emu.state()["users"] if u["UserId"] == 101]
    assert (bob["Password"], bob["ChangePasswordAtNextLogon"]) == ("N3w-Passw0rd", True)


def test_get_roles(api: Api) -> None:
    roles = api.get_roles()
    assert isinstance(roles, RoleList)
    assert [(r.role_id, r.role_name) for r in roles.roles] == [
        (1, "Administrator"),
        (2, "AccountManager"),
        (3, "Billing"),
        (4, "Reporting"),
        (5, "Messaging"),
    ]
    assert roles.roles[0].description
    assert roles.roles[0].raw["IsSystemRole"] is True


def test_assign_role_to_user(api: Api, emu: Emulator) -> None:
    assert api.assign_role_to_user(user_id=102, role_id=4) is None
    assert wire(emu, "AssignRoleToUser") == {"UserId": 102, "RoleId": 4}
    assert api.get_user(user_id=102).role_ids == [4]


def test_remove_role_from_user(api: Api) -> None:
    assert api.remove_role_from_user(user_id=100, role_id=1) is None
    assert api.get_user(user_id=100).role_ids == []
    with pytest.raises(BadRequestError):
        api.remove_role_from_user(user_id=100, role_id=1)


def test_assign_role_to_account(api: Api) -> None:
    assert api.assign_role_to_account(account_id=1002, role_id=5) is None
    assert api.get_account(account_id=1002).raw["RoleIds"] == [5]


def test_remove_role_from_account(api: Api, emu: Emulator) -> None:
    api.assign_role_to_account(account_id=1002, role_id=5)
    assert api.remove_role_from_account(account_id=1002, role_id=5) is None
    assert wire(emu, "RemoveRoleFromAccount") == {"AccountId": 1002, "RoleId": 5}
    assert api.get_account(account_id=1002).raw["RoleIds"] == []


def test_allocate_credit(api: Api, emu: Emulator) -> None:
    allocation = api.allocate_credit(account_id=1002, amount=Decimal("10.25"), reference="INV-7")
    assert isinstance(allocation, CreditAllocation)
    assert (allocation.account_id, allocation.amount, allocation.reference) == (1002, Decimal("10.25"), "INV-7")
    assert allocation.balance_after == Decimal("10.25")
    assert allocation.allocated_date is not None and allocation.allocated_date.tzinfo == UTC
    entry = emu.last_request("AllocateCredit")
    assert entry is not None and entry.body == '{"AccountId":1002,"Amount":10.25,"Reference":"INV-7"}'


def test_get_credit_balance(api: Api) -> None:
    balance = api.get_credit_balance(account_id=1001)
    assert isinstance(balance, CreditBalance)
    assert (balance.account_id, balance.balance, balance.currency) == (1001, Decimal("250.00"), "GBP")
    assert str(balance.balance) == "250.00"


def test_get_credit_allocations(api: Api, emu: Emulator) -> None:
    ledger = api.get_credit_allocations(
        account_id=1001,
        start_date=datetime(2026, 1, 1, tzinfo=UTC),
        end_date=datetime(2026, 1, 2, tzinfo=UTC),
    )
    assert isinstance(ledger, CreditAllocationList)
    assert [(a.allocation_id, a.amount, a.reference) for a in ledger.allocations] == [
        (1, Decimal("250.00"), "OPENING-1001")
    ]
    assert wire(emu, "GetCreditAllocations") == {
        "AccountId": 1001,
        "StartDate": "2026-01-01T00:00:00Z",
        "EndDate": "2026-01-02T00:00:00Z",
    }
    later = api.get_credit_allocations(account_id=1001, start_date=datetime(2026, 1, 2, tzinfo=UTC))
    assert later.allocations == []


def test_get_chargeable_activity(api: Api, emu: Emulator) -> None:
    start, end = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 3, tzinfo=UTC)
    report = api.get_chargeable_activity(start_date=start, end_date=end, account_id=1001)
    assert isinstance(report, ActivityReport)
    # The emulator's control endpoint computes the same report independently.
    query = "StartDate=2026-01-01T00:00:00Z&EndDate=2026-01-03T00:00:00Z&AccountId=1001"
    with urllib.request.urlopen(f"{emu.control_url}/activity?{query}") as response:
        summary = json.load(response)
    assert len(report) == len(report.activities) == summary["count"] == 6
    assert sum(a.total_cost for a in report.activities) == Decimal(str(summary["total"]))
    for activity in report.activities:
        assert activity.account_id == 1001
        assert start <= activity.activity_date < end
        assert activity.total_cost == activity.unit_cost * activity.quantity
        assert isinstance(activity.activity_type, str)
    assert wire(emu, "GetChargeableActivity") == {
        "StartDate": "2026-01-01T00:00:00Z",
        "EndDate": "2026-01-03T00:00:00Z",
        "AccountId": 1001,
    }


def test_get_available_inbound_numbers(api: Api) -> None:
    numbers = api.get_available_inbound_numbers(country_code="GB", number_type="LongCode")
    assert isinstance(numbers, InboundNumberList)
    assert numbers.numbers, "the emulator's pool has GB long codes"
    for number in numbers.numbers:
        assert (number.country_code, number.number_type, number.account_id) == ("GB", "LongCode", None)
        assert isinstance(number.monthly_cost, Decimal)
    assert "+447700900100" not in [n.number for n in numbers.numbers]


def test_allocate_inbound_number(api: Api) -> None:
    free = api.get_available_inbound_numbers(country_code="GB").numbers[0].number
    number = api.allocate_inbound_number(account_id=1002, number=free)
    assert isinstance(number, InboundNumber)
    assert (number.number, number.account_id) == (free, 1002)
    assert number.allocated_date is not None
    assert free in [n.number for n in api.get_allocated_inbound_numbers(account_id=1002).numbers]


def test_release_inbound_number(api: Api) -> None:
    assert api.release_inbound_number(account_id=1001, number="+447700900100") is None
    assert api.get_allocated_inbound_numbers(account_id=1001).numbers == []


def test_get_allocated_inbound_numbers(api: Api) -> None:
    numbers = api.get_allocated_inbound_numbers(account_id=1001)
    assert [(n.number, n.account_id) for n in numbers.numbers] == [("+447700900100", 1001)]
    assert numbers.numbers[0].allocated_date == datetime(2025, 1, 1, tzinfo=UTC)


def test_call_reaches_any_method_with_the_same_transport(api: Api, emu: Emulator) -> None:
    body = api.call("GetAccount", {"AccountId": 1001, "Since": datetime(2026, 1, 1, 1, tzinfo=timezone(timedelta(hours=1)))})
    assert body["AccountName"] == "Acme Retail"
    assert wire(emu, "GetAccount") == {"AccountId": 1001, "Since": "2026-01-01T00:00:00Z"}
    assert api.call("RemoveUserFromAccount", {"UserId": 102}) is None
    assert api.call("GetRoles")["Roles"][0]["RoleId"] == 1

