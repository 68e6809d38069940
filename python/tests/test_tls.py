"""HTTPS: the emulator serving a certificate from a throwaway CA (`Emulator(tls=True)`). The
client trusts it when given the CA through `root_certificates_pem`, `CPAAS_RESELLER_ROOT_CERTIFICATES`
or `SSL_CERT_FILE` (which the platform's store, rustls-native-certs, reads instead of the system
bundle), and otherwise refuses it with a `TransportError` before anything is sent."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Iterator

import pytest

from cpaas_reseller import AsyncClient, Client
from cpaas_reseller.errors import TransportError
from cpaas_reseller.testing import Emulator


@pytest.fixture
def https_emu() -> Iterator[Emulator]:
    with Emulator(tls=True) as emulator:
        yield emulator


def _ca(emu: Emulator) -> str:
    assert emu.ca_pem is not None and emu.ca_pem.startswith("-----BEGIN CERTIFICATE-----")
    return emu.ca_pem


def test_trusted_when_the_ca_is_passed(https_emu: Emulator) -> None:
    assert https_emu.base_url.startswith("https://127.0.0.1:")
    ca = _ca(https_emu)
    for roots in ([ca], [ca.encode()]):
        with Client(https_emu.username, https_emu.password, base_url=https_emu.base_url,
                    root_certificates_pem=roots) as client:
            assert len(client.get_roles().roles) == 5

    async def run() -> None:
        async with AsyncClient(https_emu.username, https_emu.password, base_url=https_emu.base_url,
                               root_certificates_pem=[ca]) as client:
            await client.get_roles()

    asyncio.run(run())
    # The emulator's own helpers pass the CA themselves.
    with https_emu.client() as client:
        client.get_roles()
    assert https_emu.calls("GetRoles") == 4


def test_refused_without_the_ca(https_emu: Emulator) -> None:
    with Emulator(tls=True) as other:
        for roots in (None, [_ca(other)]):
            client = Client(https_emu.username, https_emu.password, base_url=https_emu.base_url,
                            root_certificates_pem=roots, max_retries=0)
            for call in (client.get_roles, lambda: client.allocate_credit(account_id=1001, amount=Decimal("1.00"), reference="tls-1")):
                with pytest.raises(TransportError) as caught:
                    call()
                assert "certificate" in str(caught.value).lower(), caught.value
                assert not caught.value.outcome_unknown
    assert https_emu.calls("GetRoles") == 0 and https_emu.calls("AllocateCredit") == 0
    assert Emulator().ca_pem is None


def test_trusted_through_cpaas_reseller_root_certificates(
    https_emu: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundle = tmp_path / "ca.pem"
    bundle.write_text(_ca(https_emu))
    monkeypatch.setenv("CPAAS_RESELLER_ROOT_CERTIFICATES", str(bundle))
    with Client(https_emu.username, https_emu.password, base_url=https_emu.base_url) as client:
        client.get_roles()
    assert https_emu.calls("GetRoles") == 1


PROBE = """
import os, sys
from cpaas_reseller import Client
from cpaas_reseller.errors import TransportError
client = Client(os.environ["PROBE_USER"], os.environ["PROBE_PASSWORD"],
                base_url=os.environ["PROBE_URL"], max_retries=0)
try:
    print(len(client.get_roles().roles))
except TransportError as error:
    print("refused:", error)
"""


def test_trusted_through_ssl_cert_file(https_emu: Emulator, tmp_path: Path) -> None:
    bundle = tmp_path / "ca.pem"
    bundle.write_text(_ca(https_emu))
    env = {
        key: value for key, value in os.environ.items() if key not in ("SSL_CERT_FILE", "SSL_CERT_DIR")
    }
    env.update(PROBE_USER=https_emu.username, PROBE_PASSWORD=https_emu.password, PROBE_URL=https_emu.base_url)

    def probe(**extra: str) -> str:
        run = subprocess.run([sys.executable, "-c", PROBE], env={**env, **extra},
                             capture_output=True, text=True, timeout=60)
        assert run.returncode == 0, run.stderr
        return run.stdout.strip()

    assert probe(SSL_CERT_FILE=str(bundle)) == "5"
    refused = probe()
    assert refused.startswith("refused:") and "certificate" in refused.lower(), refused
    assert https_emu.calls("GetRoles") == 1
