"""Why httpx.AsyncClient is slow against the emulator: client CPU per call at concurrency 1, 8 and 64.

Runs the same `GetAccount` POSTs (headers and Basic auth as in compare.py, no decoding) with
`httpx.AsyncClient` (one pooled client, as compare.py does), with one `httpx.AsyncClient` per task (a
pool of one connection each), and with `aiohttp`, and prints one JSON line per run: calls/s and the
client process's CPU time per call. It also prints whether the client sockets have TCP_NODELAY set
(the emulator sets it on its side), which rules Nagle's algorithm in or out.

Usage (an emulator must be running; the CLI's `cpaas-reseller emulator` will do):
    CPAAS_BENCH_BASE_URL=http://127.0.0.1:8080/WebApi/ResellerServices python bench/python/httpx_probe.py
    python -m pyinstrument bench/python/httpx_probe.py pooled 64   # where the pooled client's time goes
Needs httpx and aiohttp (scripts/bench.sh installs them in its venv), and pyinstrument for the profile.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import socket
import sys
import time
from typing import Awaitable, Callable, Dict

import aiohttp
import httpx

BASE = os.environ["CPAAS_BENCH_BASE_URL"]
USER = os.environ.get("CPAAS_BENCH_USERNAME", "reseller")
PASSWORD = os.environ.get("CPAAS_BENCH_PASSWORD", "emulator-Passw0rd")
CALLS = int(os.environ.get("CPAAS_BENCH_CALLS", "2048"))
HEADERS = {
    "Accept": "application/json",
    "Content-Type": "application/json; charset=utf-8",
    "Authorization": "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode(),
}
BODY = json.dumps({"AccountId": 1001})
URL = f"{BASE}/GetAccount"


async def pooled(concurrency: int) -> None:
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(headers=HEADERS, limits=limits) as client:

        async def worker(calls: int) -> None:
            for _ in range(calls):
                (await client.post(URL, content=BODY)).raise_for_status()

        await asyncio.gather(*(worker(CALLS // concurrency) for _ in range(concurrency)))


async def client_per_task(concurrency: int) -> None:
    async def worker(calls: int) -> None:
        async with httpx.AsyncClient(headers=HEADERS) as client:
            for _ in range(calls):
                (await client.post(URL, content=BODY)).raise_for_status()

    await asyncio.gather(*(worker(CALLS // concurrency) for _ in range(concurrency)))


async def with_aiohttp(concurrency: int) -> None:
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(headers=HEADERS, connector=connector) as session:

        async def worker(calls: int) -> None:
            for _ in range(calls):
                async with session.post(URL, data=BODY) as response:
                    response.raise_for_status()
                    await response.read()

        await asyncio.gather(*(worker(CALLS // concurrency) for _ in range(concurrency)))


RUNS: Dict[str, Callable[[int], Awaitable[None]]] = {
    "pooled": pooled,
    "client_per_task": client_per_task,
    "aiohttp": with_aiohttp,
}


async def nodelay() -> Dict[str, int]:
    """TCP_NODELAY on the sockets httpx opens, async and sync."""
    async with httpx.AsyncClient(headers=HEADERS) as client:
        async with client.stream("POST", URL, content=BODY) as response:
            async_socket = response.extensions["network_stream"].get_extra_info("socket")
            async_flag = async_socket.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
    with httpx.Client(headers=HEADERS) as sync_client:
        with sync_client.stream("POST", URL, content=BODY) as response:
            sync_socket = response.extensions["network_stream"].get_extra_info("socket")
            sync_flag = sync_socket.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
    return {"httpx_async_tcp_nodelay": async_flag, "httpx_sync_tcp_nodelay": sync_flag}


def measure(name: str, concurrency: int) -> None:
    wall, cpu = time.perf_counter(), time.process_time()
    asyncio.run(RUNS[name](concurrency))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    calls = CALLS // concurrency * concurrency
    print(json.dumps({
        "bench": f"httpx_probe_{name}",
        "concurrency": concurrency,
        "calls": calls,
        "calls_per_second": round(calls / wall),
        "client_cpu_us_per_call": round(cpu / calls * 1e6),
    }), flush=True)


def main() -> None:
    if len(sys.argv) == 3:
        measure(sys.argv[1], int(sys.argv[2]))
        return
    print(json.dumps(asyncio.run(nodelay())), flush=True)
    for concurrency in (1, 8, 64):
        for name in RUNS:
            measure(name, concurrency)


if __name__ == "__main__":
    main()
