"""`Client.bulk` / `AsyncClient.bulk` over the core's bulk runner: input order, per-item
failures, outcome-unknown items never replayed, progress, bounded concurrency."""

from __future__ import annotations

import time
from decimal import Decimal
from typing import List

import pytest

from cpaas_reseller import (
    BadRequestError,
    BulkOutcome,
    BulkProgress,
    GatewayTimeoutError,
    ValidationError,
)
from cpaas_reseller.testing import Emulator


def test_bulk_keeps_order_and_reports_each_item(emu: Emulator) -> None:
    emu.inject("status", method="AllocateCredit", status=504, apply=True)
    progress: List[BulkProgress] = []
    items = [{"account_id": 1002, "amount": Decimal("1.10"), "reference": f"B-{i}"} for i in range(4)]
    items.append({"account_id": 1002, "amount": 0})
    outcomes = emu.client().bulk("allocate_credit", items, concurrency=1, on_progress=progress.append)

    assert [o.index for o in outcomes] == [0, 1, 2, 3, 4]
    assert [o.status for o in outcomes] == ["outcome_unknown", "applied", "applied", "applied", "failed"]
    assert isinstance(outcomes[0], BulkOutcome) and not outcomes[0].ok
    assert isinstance(outcomes[0].error, GatewayTimeoutError) and outcomes[0].error.outcome_unknown
    assert isinstance(outcomes[4].error, ValidationError) and outcomes[4].error.field == "Amount"
    assert outcomes[1].ok and outcomes[1].error is None
    assert outcomes[1].result["Reference"] == "B-1" and Decimal(outcomes[1].result["Amount"]) == Decimal("1.10")
    # The 504 was applied and never replayed: four allocations reached the ledger, not five.
    assert emu.calls("AllocateCredit") == 4
    assert len(emu.client().get_credit_allocations(account_id=1002).allocations) == 4
    last = progress[-1]
    assert (last.done, last.total, last.succeeded, last.failed, last.outcome_unknown) == (5, 5, 3, 1, 1)
    assert [p.done for p in progress] == [1, 2, 3, 4, 5]


def test_bulk_takes_vendor_names_and_bounds_concurrency(emu: Emulator) -> None:
    emu.inject("delay", method="GetAccount", millis=200, times=8)
    started = time.monotonic()
    outcomes = emu.client().bulk("GetAccount", [{"AccountId": 1001}] * 8, concurrency=4)
    elapsed = time.monotonic() - started
    assert all(o.ok and o.result["AccountName"] == "Acme Retail" for o in outcomes)
    assert 0.35 < elapsed < 8 * 0.2, elapsed  # two waves of four


def test_bulk_refuses_unknown_methods_and_bad_items(emu: Emulator) -> None:
    client = emu.client()
    with pytest.raises(ValidationError) as caught:
        client.bulk("DoSomething", [{}])
    assert caught.value.field == "method"
    with pytest.raises(TypeError):
        client.bulk("get_account", [1001])
    assert emu.calls("GetAccount") == 0


async def test_async_bulk(emu: Emulator) -> None:
    async with emu.async_client() as client:
        outcomes = await client.bulk("get_user", [{"user_id": 100}, {"user_id": 999}])
    assert outcomes[0].ok and outcomes[0].result["Username"] == "alice.admin"
    assert outcomes[1].status == "failed" and isinstance(outcomes[1].error, BadRequestError)
