"""Every exception class, raised by real failures the emulator produces, with its attributes;
and the password never appearing in any text."""

from __future__ import annotations

import pickle
import socket
import time
from decimal import Decimal
from typing import Any

import pytest

import cpaas_reseller
from cpaas_reseller import (
    ApiError,
    AsyncClient,
    AuthenticationError,
    BadRequestError,
    Client,
    GatewayTimeoutError,
    RequestTimeoutError,
    ResellerError,
    ServerError,
    TransportError,
    UnexpectedResponseError,
    ValidationError,
    errors,
)
from cpaas_reseller.testing import Emulator

Api = Any  # `Client`, or `AsyncClient` run to completion (see conftest.py)
SECRET = "Wr0ng-XYZZY-Secret"


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_hierarchy_matches_the_core_error_kinds() -> None:
    assert issubclass(ValidationError, ResellerError) and issubclass(ValidationError, ValueError)
    assert issubclass(RequestTimeoutError, TransportError) and issubclass(RequestTimeoutError, TimeoutError)
    for cls in (BadRequestError, AuthenticationError, ServerError, GatewayTimeoutError, UnexpectedResponseError):
        assert issubclass(cls, ApiError) and issubclass(cls, ResellerError)
    kinds = {cls.kind for cls in (ValidationError, TransportError, RequestTimeoutError, BadRequestError,
                                  AuthenticationError, ServerError, GatewayTimeoutError, UnexpectedResponseError)}
    assert kinds == {"validation", "transport", "timeout", "bad_request", "authentication", "server",
                     "gateway_timeout", "unexpected_response"}
    assert cpaas_reseller.ApiError is errors.ApiError


def test_validation_error_names_the_field_and_sends_nothing(api: Api, emu: Emulator) -> None:
    with pytest.raises(ValidationError) as caught:
        api.add_user_to_account(
            account_id=1001, username="jane", password="Sup3rSecret!", firstname="Jane", last_name="Doe",
            email_address="jane@example.com", mobile_phone_number="07700900123",
            landline_phone_number="+442079460000",
        )
    error = caught.value
    assert isinstance(error, ValueError)
    assert (error.field, error.method, error.kind) == ("MobilePhoneNumber", "AddUserToAccount", "validation")
    assert "E.164" in error.message and "MobilePhoneNumber" in str(error)
    assert emu.calls("AddUserToAccount") == 0


def test_validation_error_for_client_options() -> None:
    with pytest.raises(ValidationError) as caught:
        Client("user", "pw", base_url="http://example.com/WebApi/ResellerServices")
    assert (caught.value.field, caught.value.method) == ("base_url", None)
    with pytest.raises(ValidationError) as caught:
        AsyncClient("user", "pw", timeout=-1.0)
    assert caught.value.field == "timeout"
    with pytest.raises(ValidationError) as caught:
        Client("user", "pw", max_retries=-1)
    assert caught.value.field == "max_retries"
    with pytest.raises(ValidationError) as caught:
        Client("", "pw")
    assert caught.value.field == "username"


def test_wrong_argument_types_are_type_errors(api: Api, emu: Emulator) -> None:
    with pytest.raises(TypeError, match="account_id"):
        api.get_account(account_id="1001")
    with pytest.raises(TypeError, match="account_id"):
        api.get_account(account_id=True)
    with pytest.raises(TypeError):
        api.get_account()
    with pytest.raises(TypeError):
        api.get_account(account_id=1, unknown=2)
    with pytest.raises(TypeError, match="never float"):
        api.allocate_credit(account_id=1001, amount=1.5)
    with pytest.raises(ValidationError) as caught:
        api.get_account(account_id=2**40)
    assert caught.value.field == "AccountId"
    assert emu.calls("GetAccount") == emu.calls("AllocateCredit") == 0


def test_bad_request(api: Api) -> None:
    with pytest.raises(BadRequestError) as caught:
        api.get_account(account_id=5000)
    error = caught.value
    assert (error.status, error.error_type, error.message) == (400, "ArgumentFaultContract", "Account 5000 not found.")
    assert error.detail == {"Message": "Account 5000 not found."}
    assert (error.method, error.outcome_unknown, error.attempts, error.hint) == ("GetAccount", False, 1, None)
    assert error.content_type is not None and error.content_type.startswith("application/json")
    assert "Account 5000 not found." in error.body_excerpt


def test_authentication_error_never_shows_the_password(emu: Emulator) -> None:
    client = Client(emu.username, SECRET, base_url=emu.base_url)
    with pytest.raises(AuthenticationError) as caught:
        client.get_roles()
    error = caught.value
    assert (error.status, error.error_type, error.method) == (401, "AuthenticationFaultContract", "GetRoles")
    assert error.message == "Invalid user name or password."
    texts = [repr(client), str(client), str(error), repr(error), repr(error.args), repr(vars(error))]
    assert not any(SECRET in text for text in texts), texts
    async_client = AsyncClient(emu.username, SECRET, base_url=emu.base_url)
    assert SECRET not in repr(async_client)
    assert emu.username in repr(client)


def test_user_password_not_echoed_by_validation(api: Api) -> None:
    with pytest.raises(ValidationError) as caught:
        api.reset_user_password(user_id=101, new_password="XYZZYonly")
    assert caught.value.field == "NewPassword"
    assert "XYZZY" not in str(caught.value) and "XYZZY" not in repr(vars(caught.value))


def test_server_error_and_retries(emu: Emulator) -> None:
    emu.inject("status", method="GetRoles", status=500)
    with pytest.raises(ServerError) as caught:
        emu.client(max_retries=0).get_roles()
    assert (caught.value.status, caught.value.method) == (500, "GetRoles")
    assert caught.value.detail.get("InjectedFault") is True
    # With retries (the default), a read-only call survives one 500.
    emu.clear_journal()
    emu.inject("status", method="GetRoles", status=500)
    assert len(emu.client().get_roles()) == 5
    assert emu.calls("GetRoles") == 2


def test_gateway_timeout_on_a_mutating_call_is_outcome_unknown(api: Api, emu: Emulator) -> None:
    emu.inject("status", method="AllocateCredit", status=504, apply=True)
    with pytest.raises(GatewayTimeoutError) as caught:
        api.allocate_credit(account_id=1002, amount=Decimal("5.00"), reference="R-504")
    error = caught.value
    assert (error.status, error.outcome_unknown, error.method) == (504, True, "AllocateCredit")
    assert "outcome unknown" in str(error)
    # The fault applied the change: reconciliation by reference finds it, and nothing was replayed.
    assert emu.calls("AllocateCredit") == 1
    references = [a.reference for a in api.get_credit_allocations(account_id=1002).allocations]
    assert references == ["R-504"]


def test_not_found_names_the_base_url(emu: Emulator) -> None:
    wrong = emu.base_url.replace("ResellerServices", "ResellerApi")
    client = Client(emu.username, emu.password, base_url=wrong, max_retries=0)
    with pytest.raises(UnexpectedResponseError) as caught:
        client.get_roles()
    error = caught.value
    assert error.status == 404
    assert error.hint is not None and wrong in error.hint and "ResellerService" in error.hint
    assert wrong in str(error)


def test_the_overview_base_url_is_served_too(emu: Emulator) -> None:
    client = Client(emu.username, emu.password, base_url=emu.alt_base_url)
    assert client.base_url == emu.alt_base_url
    assert client.get_account(account_id=1001).account_id == 1001
    assert cpaas_reseller.DEFAULT_BASE_URL.endswith("/WebApi/ResellerServices")
    assert cpaas_reseller.OVERVIEW_BASE_URL.endswith("/WebApi/ResellerService")


def test_xml_and_html_bodies(api: Api, emu: Emulator) -> None:
    emu.inject("xml", method="GetRoles", status=500)
    with pytest.raises(ServerError) as xml:
        api.get_roles()
    assert xml.value.content_type is not None and "xml" in xml.value.content_type
    assert xml.value.body_excerpt.startswith("<")
    emu.inject("html", method="GetRoles", status=502)
    with pytest.raises(UnexpectedResponseError) as html:
        api.get_roles()
    assert html.value.status == 502 and "Bad Gateway" in html.value.body_excerpt
    assert len(html.value.body_excerpt.encode()) <= 1024


def test_truncated_success_of_a_mutating_call(api: Api, emu: Emulator) -> None:
    emu.inject("truncated", method="AllocateCredit", apply=True)
    with pytest.raises(UnexpectedResponseError) as caught:
        api.allocate_credit(account_id=1001, amount=Decimal("1"))
    assert (caught.value.status, caught.value.outcome_unknown) == (200, True)


def test_timeout(api: Api, emu: Emulator) -> None:
    short = emu.client(timeout=0.3, max_retries=0)
    emu.inject("delay", method="AllocateCredit", millis=1500)
    with pytest.raises(RequestTimeoutError) as caught:
        short.allocate_credit(account_id=1001, amount=Decimal("1"))
    error = caught.value
    assert isinstance(error, TimeoutError) and isinstance(error, TransportError)
    assert (error.method, error.outcome_unknown, error.kind) == ("AllocateCredit", True, "timeout")
    emu.inject("delay", method="GetRoles", millis=1500)
    with pytest.raises(TimeoutError) as read:
        short.get_roles()
    assert read.value.outcome_unknown is False  # type: ignore[attr-defined]


async def test_timeout_async(emu: Emulator) -> None:
    emu.inject("delay", method="GetRoles", millis=1500)
    async with emu.async_client(timeout=0.3, max_retries=0) as client:
        with pytest.raises(RequestTimeoutError):
            await client.get_roles()


def test_transport_error_on_a_closed_port(api: Api) -> None:
    client = Client("reseller", SECRET, base_url=f"http://127.0.0.1:{closed_port()}/WebApi/ResellerServices",
                    max_retries=0)
    with pytest.raises(TransportError) as caught:
        client.allocate_credit(account_id=1001, amount=Decimal("1"))
    error = caught.value
    assert not isinstance(error, RequestTimeoutError)
    # Refused before anything was sent: a mutating call's outcome is known.
    assert (error.method, error.outcome_unknown, error.kind) == ("AllocateCredit", False, "transport")
    assert SECRET not in str(error)


def test_dropped_connection_on_a_mutating_call(api: Api, emu: Emulator) -> None:
    emu.inject("drop", method="AllocateCredit", apply=True)
    with pytest.raises(TransportError) as caught:
        api.allocate_credit(account_id=1001, amount=Decimal("1"))
    assert caught.value.outcome_unknown is True
    # The emulator journals a dropped call once its handler is done, which can trail the client.
    deadline = time.monotonic() + 2
    while emu.calls("AllocateCredit") == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert emu.calls("AllocateCredit") == 1


def test_closed_client_refuses_calls(emu: Emulator) -> None:
    client = emu.client()
    client.close()
    assert "closed" in repr(client)
    with pytest.raises(RuntimeError, match="closed"):
        client.get_roles()
    with emu.client() as managed:
        managed.get_roles()
    with pytest.raises(RuntimeError):
        managed.get_roles()


def test_exceptions_pickle_with_their_attributes(api: Api) -> None:
    with pytest.raises(BadRequestError) as caught:
        api.get_account(account_id=5000)
    copy = pickle.loads(pickle.dumps(caught.value))
    assert type(copy) is BadRequestError and str(copy) == str(caught.value)
    assert (copy.status, copy.detail, copy.method) == (400, caught.value.detail, "GetAccount")
    timeout = pickle.loads(pickle.dumps(RequestTimeoutError("x: slow", method="x", outcome_unknown=True)))
    assert isinstance(timeout, TimeoutError) and timeout.outcome_unknown is True
