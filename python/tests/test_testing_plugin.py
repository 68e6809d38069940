"""`cpaas_reseller.testing`: the Emulator context manager and the pytest plugin's fixtures
(these tests get them from the installed entry point, not from a conftest)."""

from __future__ import annotations

import json
import urllib.request

import pytest

from cpaas_reseller import Client, ServerError, UnexpectedResponseError
from cpaas_reseller.testing import Emulator


def test_fixtures_come_from_the_plugin(request: pytest.FixtureRequest, reseller_client: Client,
                                       reseller_emulator: Emulator) -> None:
    assert request.config.pluginmanager.has_plugin("cpaas_reseller")
    assert reseller_client.base_url == reseller_emulator.base_url
    assert reseller_client.get_account(account_id=reseller_emulator.root_account_id).account_name == "Reseller Ltd"


def test_emulator_context_manager_journal_and_state() -> None:
    with Emulator(username="tester", password="T3st-password", empty=True) as emulator:
        assert (emulator.username, emulator.password) == ("tester", "T3st-password")
        client = emulator.client()
        assert [a.account_id for a in client.get_accounts().accounts] == [1000]
        entry = emulator.last_request("GetAccounts")
        assert entry is not None and entry.status == 200 and entry.http_method == "POST"
        assert entry.headers["authorization"] == "<redacted>" and entry.headers["accept"] == "application/json"
        assert entry.time.tzinfo is not None
        assert [e.method for e in emulator.journal()] == ["GetAccounts"]
        emulator.inject("status", method="GetRoles", status=500, times=2)
        assert len(emulator.pending_faults()) == 1
        with pytest.raises(ServerError):
            emulator.client(max_retries=0).get_roles()
        emulator.clear_faults()
        assert emulator.pending_faults() == []
        emulator.inject_fault({"method": "GetRoles", "kind": "xml", "status": 500})
        with urllib.request.urlopen(f"{emulator.control_url}/faults") as response:
            assert json.load(response)[0]["kind"] == "xml"
        emulator.reset()
        assert emulator.journal() == [] and emulator.calls("GetAccounts") == 0
        assert emulator.state()["root_account_id"] == 1000
    with pytest.raises(RuntimeError, match="shut down"):
        emulator.base_url
    emulator.shutdown()  # idempotent


def test_bad_fault_is_a_value_error(reseller_emulator: Emulator) -> None:
    with pytest.raises(ValueError):
        reseller_emulator.inject("no-such-kind")


def test_a_body_given_as_bytes_is_served_exactly(reseller_emulator: Emulator, reseller_client: Client) -> None:
    reseller_emulator.inject("body", method="GetAccount", status=200, content_type="application/json",
                             body=b'{"AccountId": 1001, "AccountName": "caf\xc3\xa9"}')
    assert reseller_client.get_account(account_id=1001).account_name == "café"
    reseller_emulator.inject("body", method="GetAccount", status=200, content_type="application/json",
                             body=b'{"AccountId": 1001, "AccountName": "\xff\xfe"}')
    with pytest.raises(UnexpectedResponseError) as caught:
        reseller_client.get_account(account_id=1001)
    assert caught.value.status == 200
    assert reseller_emulator.pending_faults() == []
