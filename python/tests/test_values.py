"""Money, dates, enumerations and records: exact Decimal and aware-UTC round trips, unknown
fields and values kept, `.raw`, `repr` and `==`."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
import textwrap
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest

from cpaas_reseller import Account, ValidationError
from cpaas_reseller.testing import Emulator

Api = Any  # `Client`, or `AsyncClient` run to completion (see conftest.py)
UTC = timezone.utc


def serve(emu: Emulator, method: str, body: Any) -> None:
    """Makes the next call of `method` answer exactly this JSON body."""
    text = body if isinstance(body, str) else json.dumps(body)
    emu.inject("body", method=method, status=200, content_type="application/json", body=text)


@pytest.mark.parametrize(
    "amount, on_wire",
    [
        (Decimal("0.10"), "0.10"),
        (Decimal("12.50"), "12.50"),
        (Decimal("12345678901234567.8901"), "12345678901234567.8901"),
        (Decimal("1E+2"), "100"),
        (7, "7"),
    ],
)
def test_money_goes_out_exactly(api: Api, emu: Emulator, amount: Any, on_wire: str) -> None:
    allocation = api.allocate_credit(account_id=1001, amount=amount)
    entry = emu.last_request("AllocateCredit")
    assert entry is not None and entry.body == f'{{"AccountId":1001,"Amount":{on_wire}}}'
    assert allocation.amount == Decimal(amount)
    assert str(allocation.amount) == on_wire


def test_money_comes_back_exactly(api: Api, emu: Emulator) -> None:
    serve(emu, "GetCreditBalance", '{"AccountId":1001,"Balance":1234.567890123456789012345678,"Currency":"GBP"}')
    balance = api.get_credit_balance(account_id=1001)
    assert balance.balance == Decimal("1234.567890123456789012345678")
    assert isinstance(balance.balance, Decimal)
    assert balance.raw["Balance"] == Decimal("1234.567890123456789012345678")


def test_money_rejects_float_nan_and_overflow(api: Api, emu: Emulator) -> None:
    with pytest.raises(TypeError):
        api.allocate_credit(account_id=1001, amount=0.1)
    with pytest.raises(ValidationError) as nan:
        api.allocate_credit(account_id=1001, amount=Decimal("NaN"))
    assert nan.value.field == "Amount"
    with pytest.raises(ValidationError):
        api.allocate_credit(account_id=1001, amount=Decimal("1E+40"))
    with pytest.raises(ValidationError) as negative:
        api.allocate_credit(account_id=1001, amount=Decimal("-1"))
    assert negative.value.field == "Amount"
    assert emu.calls("AllocateCredit") == 0


def test_aware_datetimes_go_out_as_utc(api: Api, emu: Emulator) -> None:
    plus_two = timezone(timedelta(hours=2))
    api.get_chargeable_activity(
        start_date=datetime(2026, 1, 1, 2, 0, tzinfo=plus_two),
        end_date=datetime(2026, 1, 1, 23, 30, 15, 250000, tzinfo=timezone(timedelta(hours=-5))),
    )
    entry = emu.last_request("GetChargeableActivity")
    assert entry is not None
    assert json.loads(entry.body) == {"StartDate": "2026-01-01T00:00:00Z", "EndDate": "2026-01-02T04:30:15.250Z"}


def test_naive_datetimes_are_refused(api: Api, emu: Emulator) -> None:
    with pytest.raises(ValidationError) as caught:
        api.get_chargeable_activity(start_date=datetime(2026, 1, 1), end_date=datetime(2026, 1, 2, tzinfo=UTC))
    assert (caught.value.field, caught.value.method) == ("StartDate", "GetChargeableActivity")
    assert "naive" in str(caught.value)
    with pytest.raises(TypeError):
        api.get_chargeable_activity(start_date=date(2026, 1, 1), end_date=datetime(2026, 1, 2, tzinfo=UTC))
    with pytest.raises(ValueError):
        api.call("GetAccount", {"AccountId": 1001, "Since": datetime(2026, 1, 1)})
    assert emu.calls("GetChargeableActivity") == 0


def test_dates_come_back_aware_utc_from_every_notation(api: Api, emu: Emulator) -> None:
    for text in ["2026-01-01T00:00:00Z", "2026-01-01T01:00:00+01:00", "/Date(1767225600000)/", "2026-01-01"]:
        serve(emu, "GetAccount", {"AccountId": 1001, "CreatedDate": text})
        created = api.get_account(account_id=1001).created_date
        assert created == datetime(2026, 1, 1, tzinfo=UTC), text
        assert created.tzinfo is UTC or created.utcoffset() == timedelta(0)
    serve(emu, "GetAccount", {"AccountId": 1001, "CreatedDate": "2026-03-04T05:06:07.123456789Z"})
    assert api.get_account(account_id=1001).created_date == datetime(2026, 3, 4, 5, 6, 7, 123456, tzinfo=UTC)


MONEY_TEXTS = ["0", "0.00", "-0.10", "1.5", "1.50", "-12.5", "0.0350", "7", "1234.567890123456789012345678",
               "0.0000000000000000000000000001", "18446744073709551615", "18446744073709551616",
               "-79228162514264337593543950335"]
DATE_TEXTS = ["2026-01-01T00:00:00Z", "2026-03-04T05:06:07.123456Z", "0001-01-01T00:00:00Z",
              "9999-12-31T23:59:59.999999Z", "2016-12-31T23:59:60Z"]
DATES = [datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 3, 4, 5, 6, 7, 123456, tzinfo=UTC),
         datetime(1, 1, 1, tzinfo=UTC), datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
         datetime(2016, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)]


def test_report_rows_convert_every_value_exactly(api: Api, emu: Emulator) -> None:
    """Each row's money keeps its exact text (sign, digits and exponent: 1.50 is not 1.5), each date
    is its own aware UTC datetime, and enumeration values read back as the str sent, known or not."""
    kinds = ["SmsOutbound", "Voice", "RcsOutbound", "SmsOutbound"]
    rows = [{"AccountId": 1, "ActivityDate": DATE_TEXTS[n % len(DATE_TEXTS)], "ActivityType": kinds[n % len(kinds)],
             "Quantity": n, "UnitCost": text, "TotalCost": MONEY_TEXTS[-1 - n]}
            for n, text in enumerate(MONEY_TEXTS)]
    body = '{"Activities":[' + ",".join(
        json.dumps(row).replace(f'"{row["UnitCost"]}"', row["UnitCost"]).replace(
            f'"{row["TotalCost"]}"', row["TotalCost"]) for row in rows) + "]}"
    serve(emu, "GetChargeableActivity", body)
    report = api.get_chargeable_activity(start_date=DATES[0], end_date=DATES[0] + timedelta(days=1))
    for n, row in enumerate(report.activities):
        for _ in range(2):
            assert row.unit_cost.as_tuple() == Decimal(MONEY_TEXTS[n]).as_tuple()
            assert row.total_cost.as_tuple() == Decimal(MONEY_TEXTS[-1 - n]).as_tuple()
            assert row.activity_date == DATES[n % len(DATES)] and row.activity_date.tzinfo is UTC
            assert type(row.activity_type) is str and row.activity_type == kinds[n % len(kinds)]


#: Run in a new interpreter where `datetime.datetime` is a subclass before the SDK first builds a
#: date, so the `datetime` C API capsule fails its identity check and the Python call builds them.
DATETIME_FALLBACK = """
    import datetime as dt
    class Stamped(dt.datetime):
        made = 0  # calls of __new__: the Python call makes one, the C API none

        def __new__(cls, *args, **kwargs):
            Stamped.made += 1
            return super().__new__(cls, *args, **kwargs)
    dt.datetime = Stamped
    from cpaas_reseller.testing import Emulator
    utc = dt.timezone.utc
    with Emulator() as emu:
        emu.inject("body", method="GetChargeableActivity", status=200, content_type="application/json",
                   body='{"Activities":[{"AccountId":1,"ActivityDate":"9999-12-31T23:59:59.999999Z",'
                        '"ActivityType":"Voice","Quantity":1,"UnitCost":1.5,"TotalCost":1.5}]}')
        with emu.client() as client:
            report = client.get_chargeable_activity(start_date=Stamped(2026, 1, 1, tzinfo=utc),
                                                    end_date=Stamped(2026, 1, 2, tzinfo=utc))
    (row,) = report.activities
    before = Stamped.made
    assert type(row.activity_date) is Stamped, type(row.activity_date)
    assert Stamped.made == before + 1
    assert row.activity_date == dt.datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=utc)
    assert row.activity_date.tzinfo is utc
    print("fallback ok")
"""


def test_dates_are_built_by_the_python_call_when_the_capsule_check_fails() -> None:
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(DATETIME_FALLBACK)], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr + done.stdout
    assert done.stdout.strip() == "fallback ok"


def test_unknown_fields_and_enum_values_are_kept(api: Api, emu: Emulator) -> None:
    body = {
        "AccountId": 1001,
        "Status": "PendingReview",
        "Tier": {"Name": "gold", "Limits": [1, 2.5]},
        "Accounts": None,
    }
    serve(emu, "GetAccount", body)
    account = api.get_account(account_id=1001)
    assert account.status == "PendingReview"
    assert account.raw == {"AccountId": 1001, "Status": "PendingReview",
                           "Tier": {"Name": "gold", "Limits": [1, Decimal("2.5")]}, "Accounts": None}
    serve(emu, "GetChargeableActivity", {
        "Activities": [{"AccountId": 1, "ActivityDate": "2026-01-01T00:00:00Z", "ActivityType": "RcsOutbound",
                        "Quantity": 3, "UnitCost": "0.0125", "TotalCost": "0.0375", "Carrier": "X"}],
        "NextPage": "abc",
    })
    report = api.get_chargeable_activity(start_date=datetime(2026, 1, 1, tzinfo=UTC),
                                         end_date=datetime(2026, 1, 2, tzinfo=UTC))
    (activity,) = report.activities
    assert activity.activity_type == "RcsOutbound"
    assert activity.raw["Carrier"] == "X" and activity.raw["UnitCost"] == "0.0125"
    assert report.raw["NextPage"] == "abc"
    assert report.raw["Activities"][0] is activity.raw


def test_raw_is_the_object_as_received(api: Api) -> None:
    account = api.get_account(account_id=1001)
    assert set(account.raw) >= {"AccountId", "AccountName", "ParentAccountId", "Status", "ContactEmailAddress",
                                "CountryCode", "TimeZone", "CreatedDate", "BillingReference"}
    assert account.raw["CreatedDate"] == "2025-01-01T00:00:00Z"
    assert account.raw is account.raw
    users = api.get_users(account_id=1001)
    assert users.raw == {"Users": [user.raw for user in users.users]}


def test_list_rows_are_one_object_each(api: Api) -> None:
    report = api.get_chargeable_activity(start_date=datetime(2025, 1, 1, tzinfo=UTC),
                                         end_date=datetime(2025, 1, 3, tzinfo=UTC))
    assert len(report) == len(report.activities) > 1
    first = report.activities[0]
    assert first is report.activities[0] and first is next(iter(report))
    assert report.activities is not report.activities, "each access gives a fresh list of the same rows"
    report.activities.clear()
    assert len(report.activities) == len(report)
    assert first.raw is report.raw["Activities"][0]
    assert first.total_cost == Decimal(str(first.raw["TotalCost"]))


def test_report_rows_are_left_out_of_the_cycle_collector(api: Api) -> None:
    """Rows hold no Python reference the collector could follow, so they are untracked; they stay valid
    through collections and their report's `.raw` still reaches them."""
    report = api.get_chargeable_activity(start_date=datetime(2025, 1, 1, tzinfo=UTC),
                                         end_date=datetime(2025, 1, 2, tzinfo=UTC))
    rows = report.activities
    assert rows and not any(gc.is_tracked(row) for row in rows)
    del report
    gc.collect()
    assert [row.total_cost for row in rows] == [Decimal(str(row.raw["TotalCost"])) for row in rows]


def test_records_compare_and_print(api: Api) -> None:
    first, again, other = (api.get_account(account_id=1001), api.get_account(account_id=1001),
                           api.get_account(account_id=1002))
    assert isinstance(first, Account)
    assert first == again and first != other
    assert first != first.raw and (first == 1001) is False
    with pytest.raises(TypeError):
        hash(first)
    text = repr(first)
    assert text.startswith("Account(account_id=1001, account_name='Acme Retail'")
    assert "created_date=datetime.datetime(2025, 1, 1, 0, 0, tzinfo=datetime.timezone.utc)" in text
    roles = api.get_roles()
    assert repr(roles).startswith("RoleList(roles=[Role(role_id=1, role_name='Administrator'")
    assert [role.role_id for role in roles] == [1, 2, 3, 4, 5] and len(roles) == 5
    report = api.get_chargeable_activity(start_date=datetime(2026, 1, 1, tzinfo=UTC),
                                         end_date=datetime(2026, 1, 8, tzinfo=UTC))
    assert repr(report) == f"ActivityReport(activities=[<{len(report)} ChargeableActivity records>])"
    with pytest.raises(AttributeError):
        first.account_id = 5  # type: ignore[misc]
