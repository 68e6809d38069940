"""Python side of the benchmarks: the SDK against what users would otherwise write.

Run by scripts/bench.sh with the base URL and credentials of a running benchmark emulator in
CPAAS_BENCH_BASE_URL / CPAAS_BENCH_USERNAME / CPAAS_BENCH_PASSWORD. Each measurement prints one JSON
line; memory figures come from a fresh subprocess each, so one measurement's peak does not hide
another's.
"""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import time
from decimal import Decimal
from typing import Any, Callable

import msgspec  # bench/python/requirements.txt

BASE = os.environ["CPAAS_BENCH_BASE_URL"]
USER = os.environ["CPAAS_BENCH_USERNAME"]
PASSWORD = os.environ["CPAAS_BENCH_PASSWORD"]
CALLS = int(os.environ.get("CPAAS_BENCH_CALLS", "20000"))
CONCURRENCY = 64
HEADERS = {
    "Accept": "application/json",
    "Content-Type": "application/json; charset=utf-8",
    "Authorization": "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode(),
}
ACCOUNT_BODY = json.dumps({"AccountId": 1001})
REPORT_BODY = json.dumps({"StartDate": "2025-01-01T00:00:00Z", "EndDate": "2026-01-01T00:00:00Z"})
START = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)
END = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)


def emit(**fields: Any) -> None:
    print(json.dumps(fields), flush=True)


def parse_date(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


@dataclasses.dataclass
class Account:
    """What a hand-written client would decode GetAccount into."""

    account_id: int
    account_name: str | None
    parent_account_id: int | None
    status: str | None
    contact_email_address: str | None
    country_code: str | None
    time_zone: str | None
    notes: str | None
    created_date: dt.datetime | None

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> "Account":
        created = raw.get("CreatedDate")
        return cls(
            raw["AccountId"], raw.get("AccountName"), raw.get("ParentAccountId"), raw.get("Status"),
            raw.get("ContactEmailAddress"), raw.get("CountryCode"), raw.get("TimeZone"), raw.get("Notes"),
            parse_date(created) if created else None,
        )


@dataclasses.dataclass
class Activity:
    account_id: int
    activity_date: dt.datetime
    activity_type: str
    description: str | None
    quantity: int
    unit_cost: Decimal
    total_cost: Decimal
    currency: str | None

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> "Activity":
        return cls(
            raw["AccountId"], parse_date(raw["ActivityDate"]), raw["ActivityType"], raw.get("Description"),
            raw["Quantity"], Decimal(raw["UnitCost"]), Decimal(raw["TotalCost"]), raw.get("Currency"),
        )


def decode_report(body: bytes) -> list[Activity]:
    # parse_float=Decimal keeps money exact, as the SDK does.
    return [Activity.from_json(row) for row in json.loads(body, parse_float=Decimal)["Activities"]]


# The typed structs a msgspec user would declare for GetAccount and GetChargeableActivity: msgspec
# decodes RFC 3339 text into an aware `datetime` (UTC for `Z`) and a JSON number into an exact
# `Decimal` while it parses, in C.


class MsAccount(msgspec.Struct, rename="pascal"):
    account_id: int
    account_name: str | None = None
    parent_account_id: int | None = None
    status: str | None = None
    contact_email_address: str | None = None
    country_code: str | None = None
    time_zone: str | None = None
    notes: str | None = None
    created_date: dt.datetime | None = None


class MsActivity(msgspec.Struct, rename="pascal"):
    account_id: int
    activity_date: dt.datetime
    activity_type: str
    quantity: int
    unit_cost: Decimal
    total_cost: Decimal
    description: str | None = None
    currency: str | None = None


class MsReport(msgspec.Struct, rename="pascal"):
    activities: list[MsActivity]


def share(worker: int) -> int:
    """Calls for one of the CONCURRENCY workers, so that together they make exactly CALLS."""
    return CALLS // CONCURRENCY + (1 if worker < CALLS % CONCURRENCY else 0)


def timed(label: str, calls: int, run: Callable[[], None], **extra: Any) -> None:
    """Runs `run` once; prints the rate and this process's CPU time per call (every thread's, so a
    client's Rust or C threads count; the emulator is another process)."""
    cpu = time.process_time()
    started = time.perf_counter()
    run()
    seconds = time.perf_counter() - started
    emit(bench=label, calls=calls, seconds=seconds, calls_per_second=calls / seconds,
         client_cpu_us_per_call=(time.process_time() - cpu) / calls * 1e6, **extra)


# ---- throughput: async ---------------------------------------------------------------------


async def sdk_async() -> None:
    from cpaas_reseller import AsyncClient

    async with AsyncClient(USER, PASSWORD, base_url=BASE) as client:
        await client.get_account(account_id=1001)

        async def worker(calls: int) -> None:
            for _ in range(calls):
                await client.get_account(account_id=1001)

        await asyncio.gather(*(worker(share(i)) for i in range(CONCURRENCY)))


async def httpx_async() -> None:
    import httpx

    limits = httpx.Limits(max_connections=CONCURRENCY, max_keepalive_connections=CONCURRENCY)
    async with httpx.AsyncClient(headers=HEADERS, limits=limits) as client:

        async def worker(calls: int) -> None:
            for _ in range(calls):
                response = await client.post(f"{BASE}/GetAccount", content=ACCOUNT_BODY)
                response.raise_for_status()
                Account.from_json(json.loads(response.content, parse_float=Decimal))

        await asyncio.gather(*(worker(share(i)) for i in range(CONCURRENCY)))


async def aiohttp_async() -> None:
    import aiohttp

    connector = aiohttp.TCPConnector(limit=CONCURRENCY)
    async with aiohttp.ClientSession(headers=HEADERS, connector=connector) as session:

        async def worker(calls: int) -> None:
            for _ in range(calls):
                async with session.post(f"{BASE}/GetAccount", data=ACCOUNT_BODY) as response:
                    response.raise_for_status()
                    Account.from_json(json.loads(await response.read(), parse_float=Decimal))

        await asyncio.gather(*(worker(share(i)) for i in range(CONCURRENCY)))


async def pyreqwest_async(multithreaded: bool, one_core: bool = False, on_ready: Callable[[], None] = lambda: None,
                          on_done: Callable[[], None] = lambda: None) -> None:
    """pyreqwest (reqwest and tokio under a Python API) with msgspec decoding into typed structs, on
    its default runtime (one current-thread tokio runtime on a thread of its own) or its
    multithreaded one. `one_core` pins this thread, and so the runtime's threads it starts, to one
    core: on an idle machine that makes pyreqwest twice as fast, since its runtime thread and the
    asyncio thread then take turns instead of contending for the GIL from two cores. `on_ready` and
    `on_done` run while the client, and so its runtime's threads, are alive
    (bench/python/pyreqwest_probe.py reads their CPU time)."""
    from pyreqwest.client import ClientBuilder

    if one_core:
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})

    decoder = msgspec.json.Decoder(MsAccount)
    body = ACCOUNT_BODY.encode()
    url = f"{BASE}/GetAccount"
    builder = ClientBuilder().runtime_multithreaded(multithreaded).default_headers(HEADERS)
    async with builder.max_connections(CONCURRENCY).build() as client:

        async def worker(calls: int) -> None:
            for _ in range(calls):
                response = await client.post(url).body_bytes(body).build().send()
                response.error_for_status()
                decoder.decode(await response.bytes())

        on_ready()
        await asyncio.gather(*(worker(share(i)) for i in range(CONCURRENCY)))
        on_done()


async def aiohttp_orjson_async() -> None:
    """aiohttp with orjson parsing and the same dataclass (its `datetime` parsed from the text)."""
    import aiohttp
    import orjson

    connector = aiohttp.TCPConnector(limit=CONCURRENCY)
    url = f"{BASE}/GetAccount"
    async with aiohttp.ClientSession(headers=HEADERS, connector=connector) as session:

        async def worker(calls: int) -> None:
            for _ in range(calls):
                async with session.post(url, data=ACCOUNT_BODY) as response:
                    response.raise_for_status()
                    Account.from_json(orjson.loads(await response.read()))

        await asyncio.gather(*(worker(share(i)) for i in range(CONCURRENCY)))


def exit_now(_: None) -> None:
    """Ends the process once the figure is printed: pyreqwest 0.15.1 sometimes aborts in interpreter
    finalization ("PyGILState_Release: thread state ... must be current"), after the run."""
    sys.stdout.flush()
    os._exit(0)


def rust_core() -> None:
    """The Rust core alone (bench/src/bin/core_throughput.rs), run from here so that its runs
    interleave with AsyncClient's."""
    binary = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "target", "release",
                          "core_throughput")
    subprocess.run([binary], check=True)


# ---- throughput: sync ----------------------------------------------------------------------


def sdk_sync() -> None:
    from cpaas_reseller import Client

    with Client(USER, PASSWORD, base_url=BASE) as client:
        for _ in range(CALLS):
            client.get_account(account_id=1001)


def requests_sync() -> None:
    import requests

    with requests.Session() as session:
        session.headers.update(HEADERS)
        for _ in range(CALLS):
            response = session.post(f"{BASE}/GetAccount", data=ACCOUNT_BODY)
            response.raise_for_status()
            Account.from_json(json.loads(response.content, parse_float=Decimal))


def httpx_sync() -> None:
    import httpx

    with httpx.Client(headers=HEADERS) as client:
        for _ in range(CALLS):
            response = client.post(f"{BASE}/GetAccount", content=ACCOUNT_BODY)
            response.raise_for_status()
            Account.from_json(json.loads(response.content, parse_float=Decimal))


# ---- large report --------------------------------------------------------------------------


ACTIVITY_FIELDS = ("account_id", "activity_date", "activity_type", "description", "quantity", "unit_cost",
                   "total_cost", "currency")


def read_every_field(rows: Any) -> None:
    for row in rows:
        for name in ACTIVITY_FIELDS:
            getattr(row, name)


def report_sdk(every_field: bool = False) -> None:
    """The report through the SDK, timed from the call until the rows' total is known (and, with
    every_field, every field of every row has been read once)."""
    from cpaas_reseller import Client

    with Client(USER, PASSWORD, base_url=BASE) as client:
        rss_before = peak_rss()
        started = time.perf_counter()
        report = client.get_chargeable_activity(start_date=START, end_date=END)
        total = sum(row.total_cost for row in report.activities)
        if every_field:
            read_every_field(report.activities)
        seconds = time.perf_counter() - started
        rows = len(report.activities)
    emit(bench="python_sdk_report" + ("_every_field" if every_field else ""), rows=rows, seconds=seconds,
         total_cost=str(total), peak_rss_growth_bytes=peak_rss() - rss_before)


def report_requests(label: str, decode: Callable[[bytes], Any], every_field: bool = False) -> None:
    """The report as hand-written code fetches it: requests for the call, then `decode` for the rows
    (json.loads + dataclasses, or msgspec into typed structs with Decimal and datetime fields, decoded
    in one pass in C)."""
    import requests

    with requests.Session() as session:
        session.headers.update(HEADERS)
        rss_before = peak_rss()
        started = time.perf_counter()
        response = session.post(f"{BASE}/GetChargeableActivity", data=REPORT_BODY)
        response.raise_for_status()
        body_bytes = len(response.content)
        rows = decode(response.content)
        total = sum(row.total_cost for row in rows)
        if every_field:
            read_every_field(rows)
        seconds = time.perf_counter() - started
    emit(bench=label + ("_every_field" if every_field else ""), rows=len(rows), seconds=seconds,
         body_bytes=body_bytes, total_cost=str(total), peak_rss_growth_bytes=peak_rss() - rss_before)


def decode_msgspec(body: bytes) -> list[MsActivity]:
    return msgspec.json.decode(body, type=MsReport).activities


def peak_rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


# ---- binding overhead ----------------------------------------------------------------------


def overhead() -> None:
    """Per-call cost of crossing into the SDK with the network taken out: a call that fails
    local validation (AccountId 0) never leaves the process. Best of 5 rounds, as timeit does: the
    host's speed varies with other load, and the fastest round is the one least disturbed by it."""
    from cpaas_reseller import Client, ValidationError

    rounds, calls = 5, 40_000

    def round_() -> float:
        started = time.perf_counter()
        for _ in range(calls):
            try:
                client.get_account(account_id=0)
            except ValidationError:
                pass
        return time.perf_counter() - started

    with Client(USER, PASSWORD, base_url=BASE) as client:
        round_()  # warm-up
        best = min(round_() for _ in range(rounds))
    emit(bench="python_binding_overhead", calls=calls, rounds=rounds, microseconds_per_call=best / calls * 1e6)


def import_time() -> None:
    best = min(
        float(subprocess.run(
            [sys.executable, "-c", "import time; s = time.perf_counter(); import cpaas_reseller; "
             "print(time.perf_counter() - s)"],
            check=True, capture_output=True, text=True).stdout)
        for _ in range(5)
    )
    emit(bench="python_import", milliseconds=best * 1000)


MEASUREMENTS: dict[str, Callable[[], None]] = {
    "async_sdk": lambda: timed("python_async_sdk", CALLS, lambda: asyncio.run(sdk_async())),
    "async_httpx": lambda: timed("python_async_httpx", CALLS, lambda: asyncio.run(httpx_async())),
    "async_aiohttp": lambda: timed("python_async_aiohttp", CALLS, lambda: asyncio.run(aiohttp_async())),
    # pyreqwest in each configuration that is its fastest in some machine state (bench/NOTES.md, #18);
    # bench/report.py compares AsyncClient with the fastest of them in each round.
    "async_pyreqwest_msgspec": lambda: exit_now(timed("python_async_pyreqwest_msgspec", CALLS,
                                                      lambda: asyncio.run(pyreqwest_async(True)))),
    "async_pyreqwest_msgspec_current_thread": lambda: exit_now(timed(
        "python_async_pyreqwest_msgspec_current_thread", CALLS, lambda: asyncio.run(pyreqwest_async(False)))),
    "async_pyreqwest_msgspec_one_core": lambda: exit_now(timed(
        "python_async_pyreqwest_msgspec_one_core", CALLS, lambda: asyncio.run(pyreqwest_async(False, one_core=True)))),
    "async_aiohttp_orjson": lambda: timed("python_async_aiohttp_orjson", CALLS,
                                          lambda: asyncio.run(aiohttp_orjson_async())),
    "rust_core": rust_core,
    "sync_sdk": lambda: timed("python_sync_sdk", CALLS, sdk_sync),
    "sync_requests": lambda: timed("python_sync_requests", CALLS, requests_sync),
    "sync_httpx": lambda: timed("python_sync_httpx", CALLS, httpx_sync),
    "report_sdk": report_sdk,
    "report_stdlib": lambda: report_requests("python_stdlib_report", decode_report),
    "report_sdk_every_field": lambda: report_sdk(every_field=True),
    "report_stdlib_every_field": lambda: report_requests("python_stdlib_report", decode_report, every_field=True),
    "report_msgspec": lambda: report_requests("python_msgspec_report", decode_msgspec),
    "report_msgspec_every_field": lambda: report_requests("python_msgspec_report", decode_msgspec,
                                                          every_field=True),
    "overhead": overhead,
    "import": import_time,
}

# Measurements repeated in fresh processes, because the host's speed differs from one process to
# the next; bench/report.py keeps the best and shows the median. The slow peers (httpx, requests)
# run once. CPAAS_BENCH_ROUNDS overrides the count (1 for a quick look).
ROUNDS = int(os.environ.get("CPAAS_BENCH_ROUNDS", "3"))
ONCE = {"async_httpx", "sync_requests", "sync_httpx", "import"}

if __name__ == "__main__":
    names = sys.argv[1:] or list(MEASUREMENTS)
    if len(names) == 1:
        MEASUREMENTS[names[0]]()
    else:
        # Rounds of every measurement in turn, each in its own process (peak-memory figures stay
        # apart), so that a slow minute on the shared host falls on the SDK and its peers alike.
        for round_ in range(ROUNDS):
            for name in names:
                if round_ == 0 or name not in ONCE:
                    subprocess.run([sys.executable, __file__, name], check=True)
