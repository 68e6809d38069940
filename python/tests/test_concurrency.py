"""How calls wait: the sync client releases the GIL and stays interruptible, asyncio
cancellation drops the Rust call, and a Rust panic is an exception, not an abort."""

from __future__ import annotations

import asyncio
import signal
import sys
import threading
import time
from typing import Any, List

import pytest

from cpaas_reseller import AsyncClient, ValidationError, _native
from cpaas_reseller.testing import Emulator


def test_sync_call_releases_the_gil(emu: Emulator) -> None:
    """Another Python thread keeps running while a call waits on a slow response."""
    ticks: List[float] = []
    stop = threading.Event()

    def count() -> None:
        while not stop.is_set():
            ticks.append(time.monotonic())
            time.sleep(0.005)

    emu.inject("delay", method="GetRoles", millis=800)
    counter = threading.Thread(target=count)
    counter.start()
    try:
        started = time.monotonic()
        roles = emu.client().get_roles()
        finished = time.monotonic()
    finally:
        stop.set()
        counter.join()
    assert len(roles) == 5 and finished - started >= 0.7
    during = [t for t in ticks if started + 0.1 < t < finished - 0.1]
    # Without the GIL released the counter could not run at all while the call waited.
    assert len(during) > 20, len(during)


def test_threads_share_one_client(emu: Emulator) -> None:
    client = emu.client()
    emu.inject("delay", method="GetAccount", millis=300, times=8)
    results: List[Any] = []
    threads = [threading.Thread(target=lambda: results.append(client.get_account(account_id=1001)))
               for _ in range(8)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 8 and all(r.account_id == 1001 for r in results)
    assert time.monotonic() - started < 8 * 0.3, "the calls should overlap"


@pytest.mark.skipif(sys.platform == "win32", reason="uses SIGALRM")
def test_sync_call_is_interruptible_by_signals(emu: Emulator) -> None:
    class Interrupted(Exception):
        pass

    def on_alarm(signum: int, frame: Any) -> None:
        raise Interrupted

    previous = signal.signal(signal.SIGALRM, on_alarm)
    emu.inject("delay", method="GetRoles", millis=3000)
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.3)
        started = time.monotonic()
        with pytest.raises(Interrupted):
            emu.client().get_roles()
        assert time.monotonic() - started < 1.5
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


async def test_async_calls_run_concurrently(emu: Emulator) -> None:
    emu.inject("delay", method="GetUser", millis=300, times=10)
    async with emu.async_client() as client:
        started = time.monotonic()
        users = await asyncio.gather(*(client.get_user(user_id=100) for _ in range(10)))
        assert time.monotonic() - started < 10 * 0.3
    assert {u.username for u in users} == {"alice.admin"}


async def test_calls_are_coroutines(emu: Emulator) -> None:
    async with emu.async_client() as client:
        call = client.get_roles()
        assert asyncio.iscoroutine(call)
        roles = await asyncio.create_task(call)
        assert len(roles) == 5
        with pytest.raises(RuntimeError, match="already awaited"):
            await call
        never_awaited = client.get_account(account_id=1001)
        never_awaited.close()
    await asyncio.sleep(0.05)
    assert emu.calls("GetAccount") == 0, "a call starts only when awaited"


def test_one_client_serves_event_loops_in_several_threads(emu: Emulator) -> None:
    """Each loop gets its own completion queue: results never go to another thread's loop."""
    client = emu.async_client()

    async def calls(account_id: int) -> List[int]:
        accounts = await asyncio.gather(*(client.get_account(account_id=account_id) for _ in range(40)))
        return [account.account_id for account in accounts]

    results: List[List[int]] = [[], []]

    def run(slot: int, account_id: int) -> None:
        for _ in range(3):  # a new loop each time in the same thread
            results[slot] += asyncio.run(calls(account_id))

    threads = [threading.Thread(target=run, args=(0, 1001)), threading.Thread(target=run, args=(1, 1002))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [[1001] * 120, [1002] * 120]
    assert emu.calls("GetAccount") == 240


async def test_invalid_input_fails_on_await_and_sends_nothing(emu: Emulator) -> None:
    async with emu.async_client() as client:
        call = client.get_account(account_id=0)
        assert asyncio.iscoroutine(call)
        outcomes = await asyncio.gather(call, client.get_account(account_id=1001), return_exceptions=True)
        assert isinstance(outcomes[0], ValidationError) and outcomes[0].field == "AccountId"
        assert outcomes[1].account_id == 1001
        with pytest.raises(RuntimeError, match="already awaited"):
            await call
    assert emu.calls("GetAccount") == 1


async def test_cancelling_the_task_cancels_the_call(emu: Emulator) -> None:
    emu.inject("delay", method="GetRoles", millis=1000)
    async with emu.async_client() as client:
        task = asyncio.create_task(client.get_roles())
        await asyncio.sleep(0.2)
        started = time.monotonic()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert time.monotonic() - started < 0.2
        # After the delay the emulator finds the client gone: the Rust future (and its
        # connection) was dropped, not left running. Journal status 0 = no response sent.
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:
            entries = [e for e in emu.journal() if e.method == "GetRoles"]
            if entries and entries[-1].status == 0:
                break
            await asyncio.sleep(0.05)
        assert entries and entries[-1].status == 0, entries
        # The client is still usable.
        assert len(await client.get_roles()) == 5


async def test_wait_for_timeout_cancels_too(emu: Emulator) -> None:
    emu.inject("delay", method="GetRoles", millis=2000)
    async with emu.async_client() as client:
        started = time.monotonic()
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(client.get_roles(), 0.2)
        assert time.monotonic() - started < 1.0


async def test_async_client_context_manager_and_close(emu: Emulator) -> None:
    async with AsyncClient(emu.username, emu.password, base_url=emu.base_url) as client:
        assert len(await client.get_roles()) == 5
    assert "closed" in repr(client)
    with pytest.raises(RuntimeError, match="closed"):
        client.get_roles()
    await client.close()  # idempotent


def test_a_rust_panic_is_an_exception() -> None:
    with pytest.raises(BaseException, match="deliberate panic") as caught:
        _native._panic_for_tests()
    assert type(caught.value).__name__ == "PanicException"


async def test_a_panic_in_a_rust_task_is_an_exception() -> None:
    with pytest.raises(Exception) as caught:
        await _native._panic_for_tests(in_task=True)
    assert "panicked" in str(caught.value)
    # The runtime survives it.
    await asyncio.sleep(0)
