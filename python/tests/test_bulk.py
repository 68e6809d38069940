"""`Client.bulk` / `AsyncClient.bulk` over the core's bulk runner: input order, per-item
failures, outcome-unknown items never replayed, progress, bounded concurrency."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any, Dict, List

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


def _credit(n: int, prefix: str) -> Dict[str, Any]:
    return {"account_id": 1001 + n % 2, "amount": Decimal(f"1.{n:02d}"), "reference": f"{prefix}-{n}"}


def test_bulk_journal_rerun_skips_applied_items(emu: Emulator, tmp_path: Path) -> None:
    journal = tmp_path / "credit.journal"
    items = [_credit(n, "J") for n in range(6)]
    emu.inject("status", method="AllocateCredit", status=504, apply=True)
    first = emu.client().bulk("allocate_credit", items, concurrency=1, journal=journal)
    assert [o.status for o in first] == ["outcome_unknown"] + ["applied"] * 5
    assert first[1].id == first[1].result["AllocationId"]

    progress: List[BulkProgress] = []
    again = emu.client().bulk(
        "allocate_credit", items, journal=str(journal), settle=0, on_progress=progress.append
    )
    assert all(o.status == "already_applied" and o.ok for o in again)
    assert again[0].source == "service" and again[1].source == "journal"
    assert again[1].id == first[1].id and again[0].id is not None
    assert again[0].result["Reference"] == "J-0"
    assert progress[-1].already_applied == 6 and progress[-1].done == 6
    assert emu.calls("AllocateCredit") == 6, "nothing sent twice"

    with pytest.raises(ValidationError) as caught:
        emu.client().bulk("allocate_credit", items[:5], journal=journal)
    assert caught.value.field == "journal" and "another input" in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        emu.client().bulk("allocate_credit", items, journal=journal, settle=-1)
    assert caught.value.field == "settle"
    assert emu.calls("AllocateCredit") == 6


def test_bulk_without_journal_reconciles_or_not(emu: Emulator) -> None:
    items = [_credit(n, "R") for n in range(3)]
    emu.client().bulk("allocate_credit", items)
    found = emu.client().bulk("allocate_credit", items)
    assert [o.status for o in found] == ["already_applied"] * 3
    assert emu.calls("AllocateCredit") == 3
    blind = emu.client().bulk("allocate_credit", [_credit(9, "R")], reconcile=False)
    # Two accounts read per reconciled run, none without reconciliation.
    assert blind[0].status == "applied" and emu.calls("GetCreditAllocations") == 4


async def test_async_bulk_journal(emu: Emulator, tmp_path: Path) -> None:
    journal = tmp_path / "async.journal"
    items = [_credit(n, "A") for n in range(3)]
    async with emu.async_client() as client:
        first = await client.bulk("allocate_credit", items, journal=journal)
        again = await client.bulk("allocate_credit", items, journal=journal)
    assert [o.status for o in first] == ["applied"] * 3
    assert [(o.status, o.source) for o in again] == [("already_applied", "journal")] * 3


_KILLED_RUN = """
import sys
from decimal import Decimal
from cpaas_reseller import Client

base_url, username, password, journal, rows = sys.argv[1:6]
items = [{"account_id": 1001 + n % 3, "amount": Decimal(f"{n % 5 + 1}.{n % 100:02d}"),
          "reference": f"kill-{n}"} for n in range(int(rows))]
client = Client(username, password, base_url=base_url)
outcomes = client.bulk("allocate_credit", items, concurrency=4, journal=journal, settle=1)
sys.exit(0 if all(o.ok for o in outcomes) else 7)
"""


def test_killed_python_bulk_is_safe_to_rerun(emu: Emulator, tmp_path: Path) -> None:
    # More rows than one lease (256), so the second run has rows of its own to send.
    rows = 600
    script = tmp_path / "run.py"
    script.write_text(_KILLED_RUN)
    args = [sys.executable, str(script), emu.base_url, emu.username, emu.password, str(tmp_path / "j"), str(rows)]
    kills = 0
    for round in range(2):
        # Faults after and before the change, and slow calls so the kill lands mid-run.
        for n in range(rows):
            if n % 17 == 3:
                emu.inject("status", method="AllocateCredit", status=504, apply=True)
            elif n % 17 == 9:
                emu.inject("drop", method="AllocateCredit", apply=True)
            elif n % 17 == 13:
                emu.inject("status", method="AllocateCredit", status=500, apply=False)
            else:
                emu.inject("delay", method="AllocateCredit", millis=3)
        target = emu.calls("AllocateCredit") + 30 + round * 40
        child = subprocess.Popen(args)
        deadline = time.monotonic() + 60
        while child.poll() is None and emu.calls("AllocateCredit") < target:
            assert time.monotonic() < deadline
            time.sleep(0.001)
        if child.poll() is None:
            child.send_signal(signal.SIGKILL)
            child.wait()
            kills += 1
        emu.clear_faults()
    assert kills == 2
    for _ in range(6):
        code = subprocess.run(args).returncode
        if code == 0:
            break
        assert code == 7
        time.sleep(1.1)
    assert code == 0
    client = emu.client()
    references: List[str] = []
    total = Decimal(0)
    for account in (1001, 1002, 1003):
        for allocation in client.get_credit_allocations(account_id=account).allocations:
            if allocation.reference and allocation.reference.startswith("kill-"):
                references.append(allocation.reference)
                total += allocation.amount
    assert sorted(references) == sorted(f"kill-{n}" for n in range(rows)), "each applied exactly once"
    assert total == sum(Decimal(f"{n % 5 + 1}.{n % 100:02d}") for n in range(rows))
