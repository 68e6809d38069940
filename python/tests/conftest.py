"""Shared fixtures. The emulator fixture itself (`reseller_emulator`) comes from the package's
pytest plugin (`cpaas_reseller.testing`, entry point `pytest11`), which these tests also prove."""

from __future__ import annotations

import asyncio
from typing import Any, Callable, Iterator, Union

import pytest

from cpaas_reseller import AsyncClient, Client
from cpaas_reseller.testing import Emulator


class SyncOverAsync:
    """Runs an `AsyncClient` from sync test code: every method call is awaited on a private
    event loop, so one test body exercises both clients."""

    def __init__(self, client: AsyncClient, loop: asyncio.AbstractEventLoop) -> None:
        self.client = client
        self.loop = loop

    def __getattr__(self, name: str) -> Callable[..., Any]:
        method = getattr(self.client, name)

        def call(*args: Any, **kwargs: Any) -> Any:
            async def run() -> Any:
                return await method(*args, **kwargs)

            return self.loop.run_until_complete(run())

        return call


Api = Union[Client, SyncOverAsync]


@pytest.fixture
def emu(reseller_emulator: Emulator) -> Emulator:
    return reseller_emulator


@pytest.fixture(params=["sync", "async"])
def api(request: pytest.FixtureRequest, emu: Emulator) -> Iterator[Api]:
    """The same calls through `Client` and through `AsyncClient` (retries off, so injected
    faults show up as they are)."""
    if request.param == "sync":
        with emu.client(max_retries=0) as client:
            yield client
    else:
        loop = asyncio.new_event_loop()
        client = emu.async_client(max_retries=0)
        try:
            yield SyncOverAsync(client, loop)
        finally:
            loop.run_until_complete(client.close())
            loop.close()
