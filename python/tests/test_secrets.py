"""The API password and the Basic credential never show: a full run with a recognisable password,
failures included (wrong password, server errors with retries, timeouts, dropped connections,
validation errors, an error body that echoes the secrets, bulk rows), with every Python logger at
its most verbose level (the ``cpaas_reseller`` logger's per-attempt records and its TRACE bodies
included) and the process's stdout/stderr captured, then every repr/str of the clients, records,
bulk outcomes and exceptions (their attributes and formatted tracebacks included) is searched."""

from __future__ import annotations

import asyncio
import base64
import io
import logging
import traceback
from decimal import Decimal
from typing import Any, Iterator, List

import pytest

from cpaas_reseller import AsyncClient, Client, ResellerError
from cpaas_reseller.testing import Emulator

PASSWORD = "Canary-Pa55word-7731"


class WithFields(logging.Formatter):
    """The formatted record followed by every attribute it carries."""

    def format(self, record: logging.LogRecord) -> str:
        return f"{super().format(record)} {record.__dict__!r}"


@pytest.fixture
def log_capture() -> Iterator[io.StringIO]:
    """Every record of every logger, at every level (the bodies' TRACE included), with its fields."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setLevel(1)
    handler.setFormatter(WithFields("%(name)s %(levelname)s %(message)s %(args)s"))
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(1)
    logging.getLogger("secrets-test").debug("capture started")
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(previous)


def shown(value: Any) -> List[str]:
    """What a user could see of a value: repr and str, and for an exception its attributes and
    formatted traceback."""
    texts = [repr(value), str(value)]
    if isinstance(value, BaseException):
        texts.append(repr(vars(value)))
        texts.append("".join(traceback.format_exception(type(value), value, value.__traceback__)))
    return texts


def test_no_secret_anywhere(log_capture: io.StringIO, capfd: pytest.CaptureFixture[str]) -> None:
    seen: List[str] = []
    errors: List[ResellerError] = []

    def expect_error(call: Any, *args: Any, **kwargs: Any) -> None:
        with pytest.raises(ResellerError) as caught:
            call(*args, **kwargs)
        errors.append(caught.value)

    with Emulator(password=PASSWORD) as emu:
        token = base64.b64encode(f"{emu.username}:{PASSWORD}".encode()).decode()
        with emu.client(timeout=0.3) as client, Client(
            emu.username, f"{PASSWORD}-wrong", base_url=emu.base_url, max_retries=0
        ) as wrong:
            seen += shown(client) + shown(wrong)
            # Successes: records of several kinds.
            seen += shown(client.get_roles())
            seen += shown(client.get_account(account_id=1001))
            seen += shown(client.allocate_credit(account_id=1001, amount=Decimal("5.00"), reference="secret-1"))
            created = client.add_user_to_account(
                account_id=1001, username="canary.user", password=PASSWORD, firstname="Can",
                last_name="Ary", email_address="canary@example.com",
                mobile_phone_number="+447700900557", landline_phone_number="+442079460557",
            )
            seen += shown(created) + shown(created.raw)
            # Failures of every kind.
            expect_error(wrong.get_roles)
            emu.inject("status", method="GetRoles", times=3, status=500, apply=False)
            expect_error(client.get_roles)
            emu.inject("delay", method="GetRoles", times=3, millis=1000)
            expect_error(client.get_roles)
            emu.inject("drop", method="AllocateCredit", apply=False)
            expect_error(client.allocate_credit, account_id=1001, amount=Decimal("1.00"))
            expect_error(
                client.add_user_to_account, account_id=1001, username="x", password=PASSWORD,
                firstname="A", last_name="B", email_address="not-an-email",
                mobile_phone_number="+447700900558", landline_phone_number="+442079460558",
            )
            expect_error(client.reset_user_password, user_id=100, new_password="short")
            # A service that echoes the secrets back in its error body.
            echo = (
                '{"ErrorDetail":{"Message":"Password ' + PASSWORD + ' rejected","Echo":"Basic ' + token + '",'
                '"Nested":[{"' + PASSWORD + '":"' + PASSWORD + '"}]},"ErrorType":"Argument' + PASSWORD + '"}'
            )
            for status in (400, 401, 500, 504, 502):
                emu.inject("body", method="ResetUserPassword", status=status,
                           content_type="application/json", body=echo)
                expect_error(client.reset_user_password, user_id=100, new_password=PASSWORD)
            emu.inject("body", method="GetAccount", status=200, content_type="text/html",
                       body=f"<html>{PASSWORD} {token}</html>")
            expect_error(client.get_account, account_id=1001)
            emu.inject("body", method="GetAccount", status=200, content_type="application/json",
                       body=f'{{"AccountId":"{PASSWORD}"}}')
            expect_error(client.get_account, account_id=1001)
            # Bulk rows, failed and unknown ones included.
            emu.inject("status", method="AllocateCredit", status=500, apply=False)
            emu.inject("status", method="AllocateCredit", status=504, apply=True)
            outcomes = client.bulk(
                "allocate_credit",
                [{"account_id": 1001, "amount": Decimal("2.00"), "reference": f"bulk-{n}"} for n in range(4)]
                + [{"account_id": 1001, "amount": Decimal("-1")}],
                concurrency=1,
            )
            assert sorted(o.status for o in outcomes).count("applied") == 2
            for outcome in outcomes:
                seen += shown(outcome)
                if outcome.error is not None:
                    errors.append(outcome.error)

        async def run_async() -> None:
            client = AsyncClient(emu.username, PASSWORD, base_url=emu.base_url, timeout=0.3, max_retries=0)
            seen.extend(shown(client))
            seen.extend(shown(await client.get_credit_balance(account_id=1001)))
            emu.inject("delay", method="GetCreditBalance", millis=1000)
            try:
                await client.get_credit_balance(account_id=1001)
            except ResellerError as error:
                errors.append(error)
            await client.close()

        asyncio.run(run_async())

    kinds = {error.kind for error in errors}
    assert kinds >= {"authentication", "server", "timeout", "transport", "validation", "bad_request",
                     "gateway_timeout", "unexpected_response"}, kinds
    echoed = [e for e in errors if getattr(e, "status", None) == 400 and getattr(e, "detail", None)]
    assert echoed and "***" in str(echoed[0].detail), "echoed secrets are redacted, not dropped"
    for error in errors:
        seen += shown(error)
    captured = capfd.readouterr()
    logs = log_capture.getvalue()
    assert "capture started" in logs, "the log capture works"
    assert "cpaas_reseller WARNING" in logs and "retrying in" in logs, "retries are logged"
    assert "cpaas_reseller DEBUG" in logs and "attempt 1" in logs, "attempts are logged"
    assert "request body" in logs and "response body" in logs, "bodies are logged at TRACE"
    for text in seen + [logs, captured.out, captured.err]:
        assert PASSWORD not in text, text[:2000]
        assert token not in text, text[:2000]
