"""Offline testing: the project's emulator of the Reseller Services API, in-process.

The emulator is the same Rust implementation every language's SDK is tested against: stateful
(accounts, users, roles, credit, numbers, reports), served over real HTTP on a loopback port,
with fault injection and a journal of the exact requests it received::

    from cpaas_reseller.testing import Emulator

    with Emulator() as emulator:
        client = emulator.client()
        emulator.inject("status", method="AllocateCredit", status=504, apply=True)
        ...
        assert emulator.last_request("AllocateCredit").body == '{"AccountId":1001,"Amount":5}'

Installed with the package, this module is also a pytest plugin (entry point ``pytest11``) that
provides the fixtures ``reseller_emulator`` (a fresh :class:`Emulator` per test) and
``reseller_client`` (a :class:`~cpaas_reseller.Client` connected to it).
"""

from __future__ import annotations

import base64
import builtins
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from types import TracebackType
from typing import Any, Dict, Iterator, List, Optional, Type, Union

from . import _native
from ._native import AsyncClient, Client

__all__ = ["Emulator", "JournalEntry"]


@dataclass(frozen=True)
class JournalEntry:
    """One call the emulator received on a vendor path (authentication failures included)."""

    seq: int
    method: str
    http_method: str
    path: str
    #: Request headers, names in lower case; ``authorization`` reads ``<redacted>``.
    headers: Dict[str, str]
    #: The exact request body.
    body: str
    #: The status answered; 0 when no complete response was sent.
    status: int
    time: datetime
    #: Whether the operation ran against the state and succeeded.
    applied: bool


class Emulator:
    """A running emulator; a context manager that shuts it down on exit.

    It starts on construction, on ``127.0.0.1`` at ``port`` (0: any free port), accepting
    ``username``/``password`` (default ``reseller`` / ``emulator-Passw0rd``). ``empty`` starts
    with only the root account, the roles and the number pool; ``seed`` and
    ``activities_per_account_day`` shape the generated chargeable activity. ``tls`` serves HTTPS
    with a certificate for ``127.0.0.1`` and ``localhost`` from a throwaway CA (:attr:`ca_pem`),
    which a client must be told to trust.
    """

    def __init__(
        self,
        *,
        username: Optional[str] = None,
        password: Optional[str] = None,
        port: int = 0,
        seed: Optional[int] = None,
        empty: bool = False,
        activities_per_account_day: Optional[int] = None,
        tls: bool = False,
    ) -> None:
        self._native = _native.Emulator(
            username=username,
            password=password,
            port=port,
            seed=seed,
            empty=empty,
            activities_per_account_day=activities_per_account_day,
            tls=tls,
        )

    def __enter__(self) -> Emulator:
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        self.shutdown()

    def __repr__(self) -> str:
        return repr(self._native)

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT/WebApi/ResellerServices`` (the vendor method page's path;
        ``https://`` with ``tls=True``)."""
        return self._native.base_url

    @property
    def alt_base_url(self) -> str:
        """``.../WebApi/ResellerService`` (the vendor overview page's path); also served."""
        return self._native.alt_base_url

    @property
    def ca_pem(self) -> Optional[str]:
        """With ``tls=True``, the CA certificate (PEM) that signed the server's; else ``None``."""
        return self._native.ca_pem

    @property
    def control_url(self) -> str:
        """The JSON control endpoint (faults, journal, state, reset), no authentication."""
        return self._native.control_url

    @property
    def username(self) -> str:
        return self._native.username

    @property
    def password(self) -> str:
        return self._native.password

    @property
    def root_account_id(self) -> int:
        """The reseller's own account (1000), root of everything the caller can see."""
        return self._native.root_account_id

    def client(
        self,
        *,
        timeout: float = 130.0,
        connect_timeout: float = 10.0,
        max_retries: int = 2,
        user_agent_suffix: Optional[str] = None,
    ) -> Client:
        """A sync client for this emulator, with its credentials (and its CA, with ``tls``)."""
        return Client(
            self.username,
            self.password,
            base_url=self.base_url,
            root_certificates_pem=self._roots(),
            timeout=timeout,
            connect_timeout=connect_timeout,
            max_retries=max_retries,
            user_agent_suffix=user_agent_suffix,
        )

    def async_client(
        self,
        *,
        timeout: float = 130.0,
        connect_timeout: float = 10.0,
        max_retries: int = 2,
        user_agent_suffix: Optional[str] = None,
    ) -> AsyncClient:
        """An asyncio client for this emulator, with its credentials (and its CA, with ``tls``)."""
        return AsyncClient(
            self.username,
            self.password,
            base_url=self.base_url,
            root_certificates_pem=self._roots(),
            timeout=timeout,
            connect_timeout=connect_timeout,
            max_retries=max_retries,
            user_agent_suffix=user_agent_suffix,
        )

    def _roots(self) -> Optional[List[str]]:
        ca = self.ca_pem
        return None if ca is None else [ca]

    def inject(
        self,
        kind: str,
        *,
        method: Optional[str] = None,
        times: int = 1,
        status: Optional[int] = None,
        apply: Optional[bool] = None,
        millis: Optional[int] = None,
        content_type: Optional[str] = None,
        body: Optional[Union[str, builtins.bytes]] = None,
        bytes: Optional[int] = None,
    ) -> None:
        """Makes the next ``times`` calls of ``method`` (any method when ``None``) misbehave.

        Kinds and their parameters: ``status`` (status, apply: the vendor error body with that
        status), ``delay`` (millis, then normal handling), ``drop`` (apply: close the connection
        without a response), ``body`` (status, content_type, body, apply: exactly this answer),
        ``truncated`` (apply), ``xml`` (status), ``html`` (status), ``large`` (bytes).
        ``apply`` says whether the operation changes the state before the fault answers.
        A ``body`` given as ``bytes`` is served exactly, even when it is not UTF-8.
        """
        fault: Dict[str, Any] = {"kind": kind, "method": method, "times": times}
        if isinstance(body, builtins.bytes):
            fault["body_base64"] = base64.b64encode(body).decode("ascii")
            body = None
        for name, value in (
            ("status", status),
            ("apply", apply),
            ("millis", millis),
            ("content_type", content_type),
            ("body", body),
            ("bytes", bytes),
        ):
            if value is not None:
                fault[name] = value
        self._native.inject(fault)

    def inject_fault(self, fault: Dict[str, Any]) -> None:
        """Queues a fault in the control endpoint's JSON form."""
        self._native.inject(fault)

    def clear_faults(self) -> None:
        self._native.clear_faults()

    def pending_faults(self) -> List[Dict[str, Any]]:
        return self._native.pending_faults()

    def journal(self) -> List[JournalEntry]:
        """Every vendor-path call so far, oldest first."""
        return [_entry(raw) for raw in self._native.journal()]

    def last_request(self, method: str) -> Optional[JournalEntry]:
        """The latest journal entry for ``method``, or ``None``."""
        for entry in reversed(self.journal()):
            if entry.method == method:
                return entry
        return None

    def clear_journal(self) -> None:
        self._native.clear_journal()

    def calls(self, method: str) -> int:
        """How many calls of ``method`` arrived since start (or the last journal clear)."""
        return self._native.calls(method)

    def state(self) -> Dict[str, Any]:
        """The whole state as JSON (accounts, users, roles, ledger, balances, numbers)."""
        return self._native.state()

    def reset(self) -> None:
        """Back to the initial state, with no faults and an empty journal."""
        self._native.reset()

    def shutdown(self) -> None:
        """Stops the server; idempotent."""
        self._native.shutdown()


def _utc(text: str) -> datetime:
    """Parses the journal's RFC 3339 UTC time (Python 3.9's ``fromisoformat`` takes neither
    ``Z`` nor more than six fraction digits)."""
    match = re.fullmatch(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(?:Z|\+00:00)", text)
    if match is None:
        raise ValueError(f"unexpected journal time {text!r}")
    micros = (match.group(2) or "").ljust(6, "0")[:6]
    return datetime.fromisoformat(f"{match.group(1)}.{micros}").replace(tzinfo=timezone.utc)


def _entry(raw: Dict[str, Any]) -> JournalEntry:
    time = _utc(str(raw["time"]))
    return JournalEntry(
        seq=int(raw["seq"]),
        method=str(raw["method"]),
        http_method=str(raw["http_method"]),
        path=str(raw["path"]),
        headers={str(name): str(value) for name, value in raw["headers"]},
        body=str(raw["body"]),
        status=int(raw["status"]),
        time=time,
        applied=bool(raw["applied"]),
    )


try:
    import pytest
except ImportError:  # pragma: no cover - the emulator works without pytest
    pass
else:

    @pytest.fixture
    def reseller_emulator() -> Iterator[Emulator]:
        """A fresh emulator for one test, shut down afterwards."""
        with Emulator() as emulator:
            yield emulator

    @pytest.fixture
    def reseller_client(reseller_emulator: Emulator) -> Iterator[Client]:
        """A sync client connected to ``reseller_emulator``."""
        with reseller_emulator.client() as client:
            yield client
