#!/usr/bin/env python3
"""Smoke suite for an installed cpaas-reseller wheel, against a running emulator.

    smoke_python.py CONTROL_URL

CONTROL_URL is the emulator's control endpoint (``http://127.0.0.1:PORT/_emulator``): its
``/info`` gives the base URL and credentials; it also resets the state, injects faults and
shows the journal. Exercises the installed package
through its public API only: both clients, exact money, UTC dates, the typed errors and their
``outcome_unknown``, secret redaction, a call from a forked child, and the bundled in-process
emulator. Standard library
only, so it runs in a bare Debian root; ends with ``N passed, N failed``.
"""

from __future__ import annotations

import asyncio
import json
import os
import platform
import signal
import sys
import time
import traceback
import urllib.request
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any, Callable, List, Optional

import cpaas_reseller
from cpaas_reseller import (
    AsyncClient,
    AuthenticationError,
    Client,
    GatewayTimeoutError,
    ValidationError,
)
from cpaas_reseller.testing import Emulator

UTC = timezone.utc
TESTS: List[Callable[["Smoke"], None]] = []


def test(fn: Callable[["Smoke"], None]) -> Callable[["Smoke"], None]:
    TESTS.append(fn)
    return fn


class Smoke:
    def __init__(self, control_url: str) -> None:
        self.control_url = control_url
        info = self.control("/info")
        self.base_url, self.username, self.password = info["base_url"], info["username"], info["password"]

    def control(self, path: str, body: Optional[Any] = None, method: Optional[str] = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.control_url + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read() or b"null")

    def client(self, password: Optional[str] = None) -> Client:
        return Client(self.username, password or self.password, base_url=self.base_url, max_retries=0)


@test
def sync_client_round_trip(s: Smoke) -> None:
    with s.client() as client:
        account = client.create_account(account_name="Smoke Ltd", country_code="GB")
        user = client.add_user_to_account(
            account_id=account.account_id, username="smoke.user", password="Sup3rSecret!",
            firstname="Smoke", last_name="User", email_address="smoke@example.com",
            mobile_phone_number="+447700900123", landline_phone_number="+442079460000",
        )
        credit = client.allocate_credit(account_id=account.account_id, amount=Decimal("12.345"), reference="SMOKE-1")
        assert credit.amount == Decimal("12.345"), credit
        allocations = client.get_credit_allocations(account_id=account.account_id)
        assert [a.reference for a in allocations.allocations] == ["SMOKE-1"], allocations
        fetched = client.get_account(account_id=account.account_id)
        assert (fetched.account_name, fetched.country_code) == ("Smoke Ltd", "GB"), fetched
        assert user.user_id > 0
    body = [e for e in s.control("/journal") if e["method"] == "AllocateCredit"][-1]["body"]
    assert body == '{"AccountId":%d,"Amount":12.345,"Reference":"SMOKE-1"}' % account.account_id, body


@test
def dates_are_utc(s: Smoke) -> None:
    with s.client() as client:
        report = client.get_chargeable_activity(
            start_date=datetime(2026, 1, 1, tzinfo=UTC), end_date=datetime(2026, 1, 8, tzinfo=UTC)
        )
        assert len(report.activities) > 0
        assert all(a.activity_date.tzinfo == UTC for a in report.activities)
        try:
            client.get_chargeable_activity(start_date=datetime(2026, 1, 1), end_date=datetime(2026, 1, 2, tzinfo=UTC))
        except ValidationError as e:
            assert e.field == "StartDate", e.field
        else:
            raise AssertionError("a naive datetime was accepted")


@test
def asyncio_client(s: Smoke) -> None:
    async def main() -> None:
        async with AsyncClient(s.username, s.password, base_url=s.base_url) as client:
            accounts, roles = await asyncio.gather(client.get_accounts(), client.get_roles())
            assert len(accounts.accounts) >= 1 and len(roles.roles) >= 1

    asyncio.run(main())


@test
def wrong_password_is_typed_and_redacted(s: Smoke) -> None:
    secret = "Not-The-Password-42"
    try:
        s.client(password=secret).get_accounts()
    except AuthenticationError as e:
        assert e.status == 401, e.status
        assert secret not in repr(e) and secret not in str(e)
    else:
        raise AssertionError("a wrong password was accepted")


@test
def unknown_outcome_is_reported_not_replayed(s: Smoke) -> None:
    s.control("/faults", {"kind": "status", "method": "AllocateCredit", "status": 504, "apply": True})
    before = s.control("/calls/AllocateCredit")["count"]
    with Client(s.username, s.password, base_url=s.base_url, max_retries=2) as client:
        try:
            client.allocate_credit(account_id=1001, amount=Decimal("5"), reference="SMOKE-504")
        except GatewayTimeoutError as e:
            assert e.outcome_unknown and e.status == 504
        else:
            raise AssertionError("the injected 504 did not surface")
    calls = s.control("/calls/AllocateCredit")["count"]
    assert calls == before + 1, f"{calls - before} AllocateCredit calls for one unknown outcome"


@test
def a_forked_child_can_call(s: Smoke) -> None:
    with s.client() as client:
        client.get_roles()  # the runtime is running when the process forks
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            with s.client() as child:
                code = 0 if len(child.get_accounts().accounts) >= 1 else 1
        finally:
            os._exit(code)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, f"child status {status}"
            return
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    raise AssertionError("the forked child hung for 60 s")


@test
def bundled_emulator_runs_here(s: Smoke) -> None:
    with Emulator(empty=True) as emulator, emulator.client() as client:
        assert [a.account_id for a in client.get_accounts().accounts] == [emulator.root_account_id]


def main(argv: List[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    smoke = Smoke(argv[0])
    print(
        f"cpaas_reseller from {cpaas_reseller.__file__}\n"
        f"Python {platform.python_version()} on {platform.machine()}, libc {' '.join(platform.libc_ver())}"
    )
    smoke.control("/reset", {}, method="POST")
    failed = 0
    for fn in TESTS:
        try:
            fn(smoke)
            print(f"PASS {fn.__name__}")
        except Exception:  # noqa: BLE001 - every failure is reported, then counted
            failed += 1
            print(f"FAIL {fn.__name__}\n{traceback.format_exc()}")
    print(f"{len(TESTS) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
