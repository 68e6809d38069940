"""Network options and the environment fallback: calls through a real forward proxy on loopback
(started here, stdlib only) that records what it carried and checks `Proxy-Authorization`; the
`CPAAS_RESELLER_*` variables filling the options left out; the extra-CA option refusing
non-certificates. The proxy password never shows in a repr or an error."""

from __future__ import annotations

import asyncio
import base64
import socket
import socketserver
import threading
from typing import Iterator, List, Optional, Tuple

import pytest

from cpaas_reseller import AsyncClient, Client
from cpaas_reseller.errors import ResellerError, ValidationError
from cpaas_reseller.testing import Emulator

PROXY_PASSWORD = "proxy-PLUGH-secret"


class Proxy(socketserver.ThreadingTCPServer):
    """A forward proxy: CONNECT tunnels, absolute-form requests forwarded to their host."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, credentials: Optional[Tuple[str, str]]) -> None:
        super().__init__(("127.0.0.1", 0), ProxyHandler)
        self.expected = (
            "Basic " + base64.b64encode(f"{credentials[0]}:{credentials[1]}".encode()).decode()
            if credentials
            else None
        )
        self.seen: List[Tuple[str, str, Optional[str]]] = []

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"


class ProxyHandler(socketserver.BaseRequestHandler):
    server: Proxy

    def handle(self) -> None:
        client: socket.socket = self.request
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = client.recv(4096)
            if not chunk:
                return
            head += chunk
        lines = head.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
        method, target, _ = lines[0].split(" ", 2)
        authorization = next(
            (line.split(":", 1)[1].strip() for line in lines[1:] if line.lower().startswith("proxy-authorization:")),
            None,
        )
        self.server.seen.append((method, target, authorization))
        if self.server.expected is not None and authorization != self.server.expected:
            client.sendall(b"HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            return
        authority = target if method == "CONNECT" else target.split("://", 1)[1].split("/", 1)[0]
        host, port = authority.rsplit(":", 1)
        upstream = socket.create_connection((host, int(port)))
        if method == "CONNECT":
            client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        else:
            upstream.sendall(head)
        pipe = threading.Thread(target=_copy, args=(upstream, client), daemon=True)
        pipe.start()
        _copy(client, upstream)
        pipe.join(timeout=5)


def _copy(source: socket.socket, target: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            target.sendall(data)
    except OSError:
        pass
    finally:
        try:
            target.shutdown(socket.SHUT_WR)
        except OSError:
            pass


@pytest.fixture
def proxy() -> Iterator[Proxy]:
    server = Proxy(("proxy-user", PROXY_PASSWORD))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def _auth(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def test_calls_go_through_the_proxy_with_its_credentials(emu: Emulator, proxy: Proxy) -> None:
    with Client(
        emu.username,
        emu.password,
        base_url=emu.base_url,
        proxy=proxy.url,
        proxy_username="proxy-user",
        proxy_password=PROXY_PASSWORD,
    ) as client:
        assert len(client.get_roles().roles) == 5
        assert "PLUGH" not in repr(client)
    assert proxy.seen == [("POST", f"{emu.base_url}/GetRoles", _auth("proxy-user", PROXY_PASSWORD))]

    async def run() -> None:
        async with AsyncClient(emu.username, emu.password, base_url=emu.base_url, proxy=proxy.url,
                               proxy_username="proxy-user", proxy_password=PROXY_PASSWORD) as client:
            await client.get_roles()

    asyncio.run(run())
    assert len(proxy.seen) == 2
    assert emu.calls("GetRoles") == 2


def test_refused_proxy_credentials_stay_secret(emu: Emulator, proxy: Proxy) -> None:
    client = Client(emu.username, emu.password, base_url=emu.base_url, proxy=proxy.url,
                    proxy_username="proxy-user", proxy_password="wrong-XYZZY", max_retries=0)
    with pytest.raises(ResellerError) as caught:
        client.get_roles()
    assert "XYZZY" not in f"{caught.value} {caught.value!r} {vars(caught.value)}"
    assert proxy.seen and emu.calls("GetRoles") == 0


def test_client_with_no_arguments_reads_the_environment(
    emu: Emulator, proxy: Proxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CPAAS_RESELLER_USERNAME", emu.username)
    monkeypatch.setenv("CPAAS_RESELLER_PASSWORD", emu.password)
    monkeypatch.setenv("CPAAS_RESELLER_BASE_URL", emu.base_url)
    monkeypatch.setenv("CPAAS_RESELLER_PROXY", proxy.url)
    monkeypatch.setenv("CPAAS_RESELLER_PROXY_USERNAME", "proxy-user")
    monkeypatch.setenv("CPAAS_RESELLER_PROXY_PASSWORD", PROXY_PASSWORD)
    with Client() as client:
        assert (client.username, client.base_url) == (emu.username, emu.base_url)
        client.get_roles()
    assert proxy.seen[-1][2] == _auth("proxy-user", PROXY_PASSWORD)

    async def run() -> None:
        async with AsyncClient() as client:
            await client.get_roles()

    asyncio.run(run())
    assert len(proxy.seen) == 2
    # An argument wins over its variable.
    with Client(base_url=emu.alt_base_url) as client:
        assert client.base_url == emu.alt_base_url
    monkeypatch.delenv("CPAAS_RESELLER_PASSWORD")
    with pytest.raises(ValidationError) as caught:
        Client()
    assert caught.value.field == "password"


def test_extra_root_certificates_must_be_pem(emu: Emulator) -> None:
    for bad in (["not a certificate"], [b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"]):
        with pytest.raises(ValidationError) as caught:
            Client(emu.username, emu.password, base_url=emu.base_url, root_certificates_pem=bad)
        assert caught.value.field == "root_certificates"
    with pytest.raises(ValidationError) as caught:
        Client(emu.username, emu.password, proxy="socks5://u:XYZZY@127.0.0.1:1")
    assert caught.value.field == "proxy" and "XYZZY" not in str(caught.value)


def test_half_a_pair_of_credentials_names_the_missing_half(emu: Emulator) -> None:
    for kwargs, field in (
        ({"username": emu.username}, "password"),
        ({"password": emu.password}, "username"),
        ({"proxy": "http://127.0.0.1:1", "proxy_username": "proxy-user"}, "proxy_password"),
        ({"proxy": "http://127.0.0.1:1", "proxy_password": "XYZZY"}, "proxy_username"),
    ):
        if field.startswith("proxy"):
            kwargs = {"username": emu.username, "password": emu.password, **kwargs}
        with pytest.raises(ValidationError) as caught:
            Client(base_url=emu.base_url, **kwargs)
        assert caught.value.field == field
        assert "go together" in str(caught.value) and "XYZZY" not in str(caught.value)
