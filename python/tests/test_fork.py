"""Fork safety: after `os.fork()` the child creates clients and calls, sync and async, and the
parent's clients work in the child too (rebuilt with a connection pool of the child's own). Each
scenario runs in a fresh interpreter with a hard timeout, so a hang fails the test instead of
stalling the suite; the forked child gets a deadline of its own and is killed past it. The
emulator serves from the parent: the child calls it over loopback like any other server.

Fork does not exist on Windows, hence the skip there."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="os.fork does not exist on Windows")

# Shared by every scenario: `in_child(body)` forks, runs `body` in the child, and returns what the
# child printed; the child's failure (or a hang past CHILD_SECONDS) fails the parent.
PRELUDE = '''
import asyncio, os, signal, sys, time, traceback
from cpaas_reseller import AsyncClient, Client, TransportError
from cpaas_reseller.testing import Emulator

CHILD_SECONDS = 20

def in_child(body):
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        code = 0
        try:
            out = os.fdopen(write_end, "w")
            sys.stdout = out
            body()
            out.flush()
        except BaseException:
            traceback.print_exc()
            code = 1
        finally:
            sys.stderr.flush()
            os._exit(code)
    os.close(write_end)
    deadline = time.monotonic() + CHILD_SECONDS
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            sys.exit("the child hung")
        time.sleep(0.02)
    output = os.fdopen(read_end).read()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"the child failed: {status}")
    return output
'''

SCENARIO_SECONDS = 90


def run(scenario: str) -> str:
    """Runs PRELUDE + scenario in a new interpreter; returns its output, failing on a timeout."""
    script = PRELUDE + textwrap.dedent(scenario)
    try:
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                              timeout=SCENARIO_SECONDS)
    except subprocess.TimeoutExpired as expired:
        pytest.fail(f"the scenario hung: {expired.stderr!r}")
    assert done.returncode == 0, done.stderr + done.stdout
    return done.stdout


def test_fork_after_sync_calls() -> None:
    out = run('''
        with Emulator() as emu:
            parent = emu.client(timeout=10)
            assert len(parent.get_roles()) == 5
            async_parent = emu.async_client(timeout=10)

            def child():
                with emu.client() as fresh:
                    print("new client", fresh.get_account(account_id=1001).account_name)
                print("parent's client", parent.get_account(account_id=1001).account_name)
                outcomes = parent.bulk("get_account", [{"account_id": 1001}] * 3, concurrency=2)
                print("bulk", [o.status for o in outcomes])

                async def calls():
                    async with emu.async_client() as fresh:
                        first = await fresh.get_account(account_id=1001)
                    second = await async_parent.get_account(account_id=1001)
                    return first.account_name, second.account_name
                print("async", asyncio.run(calls()))
                # The parent's pool and server are not the child's to close.
                parent.close()
                emu.shutdown()

            print(in_child(child), end="")
            # The child's close() and shutdown() left the parent's pool and server alone.
            assert parent.get_account(account_id=1001).account_name == "Acme Retail"
            assert emu.calls("GetAccount") == 8, emu.calls("GetAccount")
            print("parent ok")
    ''')
    assert out.splitlines() == [
        "new client Acme Retail",
        "parent's client Acme Retail",
        "bulk ['applied', 'applied', 'applied']",
        "async ('Acme Retail', 'Acme Retail')",
        "parent ok",
    ]


def test_fork_after_async_calls() -> None:
    out = run('''
        with Emulator() as emu:
            parent = emu.async_client(timeout=10)

            async def burst(client):
                accounts = await asyncio.gather(*(client.get_account(account_id=1001) for _ in range(20)))
                return {a.account_name for a in accounts}

            assert asyncio.run(burst(parent)) == {"Acme Retail"}
            unstarted = parent.get_roles()  # made in the parent, first awaited in the child

            def child():
                print("parent's client", asyncio.run(burst(parent)))

                async def fresh():
                    async with emu.async_client() as client:
                        return await burst(client), len(await unstarted)
                print("new client", asyncio.run(fresh()))
                with emu.client() as sync:
                    print("sync", len(sync.get_roles()))

            print(in_child(child), end="")
            assert asyncio.run(burst(parent)) == {"Acme Retail"}
            unstarted.close()
            print("parent ok")
    ''')
    assert out.splitlines() == [
        "parent's client {'Acme Retail'}",
        "new client ({'Acme Retail'}, 5)",
        "sync 5",
        "parent ok",
    ]


def test_a_call_in_flight_at_fork_fails_in_the_child_and_completes_in_the_parent() -> None:
    out = run('''
        with Emulator() as emu:
            emu.inject("delay", method="AllocateCredit", millis=1500)

            async def main():
                client = emu.async_client(timeout=10)
                pending = asyncio.ensure_future(
                    client.allocate_credit(account_id=1002, amount=5, reference="FORK-1"))
                await asyncio.sleep(0.3)  # sent, and waiting for the delayed answer
                pid = os.fork()
                if pid == 0:
                    code = 0
                    try:
                        try:
                            await pending
                            print("child: the call completed in the child")
                            code = 1
                        except TransportError as error:
                            print("child:", type(error).__name__, error.outcome_unknown, "forked" in str(error))
                        try:
                            await client.get_roles()
                            code = 1
                        except RuntimeError as error:
                            print("child: the inherited loop refuses new calls")
                    except BaseException:
                        traceback.print_exc()
                        code = 1
                    sys.stdout.flush()
                    os._exit(code)
                allocation = await pending
                _, status = os.waitpid(pid, 0)
                print("parent:", allocation.reference, os.waitstatus_to_exitcode(status))

            asyncio.run(asyncio.wait_for(main(), 30))
            assert emu.calls("AllocateCredit") == 1
    ''')
    assert sorted(out.splitlines()) == [
        "child: TransportError True True",
        "child: the inherited loop refuses new calls",
        "parent: FORK-1 0",
    ]


def test_the_emulator_in_a_child_refuses_state_access_but_serves() -> None:
    out = run('''
        with Emulator() as emu:
            def child():
                try:
                    emu.journal()
                except RuntimeError as error:
                    print("journal:", "parent process" in str(error))
                print("base_url:", emu.base_url.startswith("http://127.0.0.1:"))
                with emu.client() as client:
                    print("call:", client.get_account(account_id=1001).account_name)

            print(in_child(child), end="")
            assert emu.calls("GetAccount") == 1
    ''')
    assert out.splitlines() == ["journal: True", "base_url: True", "call: Acme Retail"]


def test_multiprocessing_pool_with_the_fork_start_method() -> None:
    out = run('''
        import multiprocessing

        emu = Emulator()
        shared = emu.client(timeout=10)
        assert len(shared.get_roles()) == 5

        def lookup(account_id):
            # The parent's client, inherited by the worker, and one made in the worker.
            with emu.client() as own:
                return shared.get_account(account_id=account_id).account_id, own.get_roles().roles[0].role_id

        async def async_lookup(account_id):
            async with emu.async_client() as client:
                return (await client.get_account(account_id=account_id)).account_id

        def async_worker(account_id):
            return asyncio.run(async_lookup(account_id))

        with multiprocessing.get_context("fork").Pool(2) as pool:
            sync_results = pool.map_async(lookup, [1001, 1002, 1001, 1002]).get(timeout=30)
            async_results = pool.map_async(async_worker, [1001, 1002]).get(timeout=30)
        print(sync_results[0][0], sync_results[1][0], async_results)
        assert shared.get_account(account_id=1001).account_id == 1001
        emu.shutdown()
    ''')
    assert out.strip() == "1001 1002 [1001, 1002]"
