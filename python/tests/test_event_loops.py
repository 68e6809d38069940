"""The asyncio bridge on both kinds of event loop: one that watches sockets (`add_reader`, the
selector loop Linux and macOS use by default) and one that cannot (Windows' default proactor
loop, whose `add_reader` raises `NotImplementedError`), imitated here by a selector loop whose
`add_reader` raises the same. Both must deliver results, errors and cancellation, and wake the
loop once per burst of finished calls, not once per call."""

from __future__ import annotations

import asyncio
import time
from typing import Any, Awaitable, Callable, Tuple, Type, TypeVar

import pytest

from cpaas_reseller import BadRequestError
from cpaas_reseller.testing import Emulator

T = TypeVar("T")


class CountingLoop(asyncio.SelectorEventLoop):
    """Counts the wake-ups the client schedules from other threads."""

    wakeups = 0

    def call_soon_threadsafe(self, callback: Callable[..., object], *args: Any, **kwargs: Any) -> Any:
        if type(callback).__name__ == "_Drain":
            self.wakeups += 1
        return super().call_soon_threadsafe(callback, *args, **kwargs)


class NoReaderLoop(CountingLoop):
    """Like `asyncio.ProactorEventLoop`: no way to watch a socket."""

    def add_reader(self, fd: Any, callback: Callable[..., object], *args: Any) -> None:
        raise NotImplementedError


LOOPS = pytest.mark.parametrize("loop_class", [CountingLoop, NoReaderLoop], ids=["add_reader", "no_add_reader"])


def run(loop_class: Type[CountingLoop], main: Callable[[CountingLoop], Awaitable[T]]) -> T:
    loop = loop_class()
    try:
        return loop.run_until_complete(asyncio.wait_for(main(loop), 30))
    finally:
        loop.close()


@LOOPS
def test_results_errors_and_cancellation(emu: Emulator, loop_class: Type[CountingLoop]) -> None:
    emu.inject("delay", method="GetRoles", millis=2000)

    async def main(loop: CountingLoop) -> None:
        async with emu.async_client(max_retries=0) as client:
            accounts = await asyncio.gather(*(client.get_account(account_id=1001) for _ in range(50)))
            assert {a.account_name for a in accounts} == {"Acme Retail"}
            with pytest.raises(BadRequestError):
                await client.get_account(account_id=999_999)
            slow = asyncio.ensure_future(client.get_roles())
            await asyncio.sleep(0.1)
            slow.cancel()
            with pytest.raises(asyncio.CancelledError):
                await slow
            outcomes = await client.bulk("get_account", [{"account_id": 1001}] * 5, concurrency=2)
            assert [o.status for o in outcomes] == ["applied"] * 5
            assert (await client.get_account(account_id=1002)).account_id == 1002

    started = time.monotonic()
    run(loop_class, main)
    assert time.monotonic() - started < 1.5  # the cancelled call did not wait for its answer


@LOOPS
def test_one_wake_up_per_burst(emu: Emulator, loop_class: Type[CountingLoop]) -> None:
    calls = 100

    async def main(loop: CountingLoop) -> Tuple[int, int]:
        async with emu.async_client() as client:
            tasks = [asyncio.ensure_future(client.get_account(account_id=1001)) for _ in range(calls)]
            for _ in range(3):  # the tasks start their calls, then the runtime gets them
                await asyncio.sleep(0)
            unfinished = sum(not task.done() for task in tasks)
            before = loop.wakeups
            # The loop is blocked while the calls finish: one wake-up at most covers them all.
            time.sleep(1.0)
            during = loop.wakeups - before
            accounts = await asyncio.gather(*tasks)
            assert len(accounts) == calls
            return unfinished, during

    unfinished, during = run(loop_class, main)
    assert emu.calls("GetAccount") == calls
    assert unfinished > calls // 2, unfinished
    if loop_class is NoReaderLoop:
        assert during <= 1, during
    else:
        assert during == 0, "the selector loop is woken through its socket, not call_soon_threadsafe"
