"""The core's per-attempt events reach the ``cpaas_reseller`` logger: DEBUG per attempt,
WARNING for retries and outcome-unknown, the redacted bodies at TRACE (5) only, nothing when the
logger is disabled; from the sync and the asyncio client."""

from __future__ import annotations

import asyncio
import logging
from decimal import Decimal
from typing import Any, List

import pytest

from cpaas_reseller import ResellerError
from cpaas_reseller.testing import Emulator

TRACE = 5
NEW_USER_PASSWORD = "New-User-Secret-4242"


def ours(caplog: pytest.LogCaptureFixture) -> List[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "cpaas_reseller"]


def field(record: logging.LogRecord, name: str) -> Any:
    return record.__dict__[name]


def test_one_record_per_attempt_with_retry_decision(emu: Emulator, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="cpaas_reseller")
    emu.inject("status", method="GetRoles", times=2, status=503, apply=False)
    with emu.client(max_retries=2) as client:
        client.get_roles()
    records = ours(caplog)
    assert [field(r, "attempt") for r in records] == [1, 2, 3], records
    assert all(field(r, "method") == "GetRoles" for r in records)
    assert [r.levelno for r in records] == [logging.WARNING, logging.WARNING, logging.DEBUG]
    assert [field(r, "status") for r in records] == [503, 503, 200]
    assert [field(r, "retry") for r in records] == [True, True, False]
    assert all(field(r, "outcome_unknown") is False for r in records)
    assert isinstance(field(records[0], "duration_ms"), int)
    assert "retrying in" in records[0].getMessage()
    assert not any(hasattr(r, "body") for r in records), "bodies only at TRACE"


def test_outcome_unknown_is_a_warning_from_the_async_client(
    emu: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="cpaas_reseller")
    emu.inject("delay", method="AllocateCredit", millis=1000)

    async def run() -> None:
        client = emu.async_client(timeout=0.2)
        await client.get_roles()
        with pytest.raises(ResellerError) as raised:
            await client.allocate_credit(account_id=1001, amount=Decimal("1.00"), reference="log-test")
        assert raised.value.outcome_unknown
        await client.close()

    asyncio.run(run())
    records = ours(caplog)
    assert len(records) == 1, "the DEBUG success is not logged at WARNING"
    record = records[0]
    assert record.levelno == logging.WARNING
    assert field(record, "method") == "AllocateCredit"
    assert field(record, "outcome_unknown") is True and field(record, "retry") is False
    assert field(record, "status") is None
    assert "outcome unknown" in record.getMessage()


def test_nothing_when_disabled(emu: Emulator, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.ERROR, logger="cpaas_reseller")
    emu.inject("status", method="GetRoles", status=503, apply=False)
    with emu.client() as client:
        client.get_roles()
    assert ours(caplog) == []


def test_bodies_at_trace_redacted(emu: Emulator, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(TRACE, logger="cpaas_reseller")
    with emu.client() as client:
        client.add_user_to_account(
            account_id=1001, username="log.canary", password=NEW_USER_PASSWORD, firstname="Log",
            last_name="Canary", email_address="log.canary@example.com",
            mobile_phone_number="+447700900123", landline_phone_number="+442079460123",
        )
    bodies = [r for r in ours(caplog) if r.levelno == TRACE]
    directions = {field(r, "direction") for r in bodies}
    assert directions == {"request", "response"}, bodies
    assert logging.getLevelName(TRACE) == "TRACE"
    request = next(r for r in bodies if field(r, "direction") == "request")
    assert "log.canary" in field(request, "body") and "***" in field(request, "body")
    for record in ours(caplog):
        assert NEW_USER_PASSWORD not in record.getMessage()
        assert emu.password not in record.getMessage()
        assert NEW_USER_PASSWORD not in repr(record.__dict__)
