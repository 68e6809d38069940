"""Where the 200k-row report's time goes, phase by phase, for the SDK and for requests + msgspec (the
evidence behind BENCHMARKS.md's notes on the every-field target). Run against the benchmark emulator,
as compare.py is (CPAAS_BENCH_BASE_URL, _USERNAME, _PASSWORD):

    python/.venv/bin/python bench/python/report_probe.py

Prints one JSON line per side: seconds per phase, best of 3 in this process, and for the SDK the
cost of reading each field of every row once, in nanoseconds per row.

    python/.venv/bin/python bench/python/report_probe.py reads 15

fetches the report once and only reads every field of every row, 15 times: the process to profile
(`perf record -g -- python/.venv/bin/python bench/python/report_probe.py reads 15`)."""

from __future__ import annotations

import json
import sys
import time
from typing import Callable

import msgspec
import requests
from compare import ACTIVITY_FIELDS, BASE, END, HEADERS, PASSWORD, REPORT_BODY, START, USER, MsReport


def best(run: Callable[[], object], times: int = 3) -> float:
    fastest = float("inf")
    for _ in range(times):
        started = time.perf_counter()
        run()
        fastest = min(fastest, time.perf_counter() - started)
    return fastest


def sdk() -> None:
    from cpaas_reseller import Client

    with Client(USER, PASSWORD, base_url=BASE) as client:
        report = client.get_chargeable_activity(start_date=START, end_date=END)
        rows = report.activities
        phases = {"call_and_rust_decode": best(lambda: client.get_chargeable_activity(start_date=START, end_date=END))}
        for name in ACTIVITY_FIELDS:
            phases[f"read_{name}"] = best(lambda: [getattr(row, name) for row in rows])
        phases["iterate_rows_only"] = best(lambda: [row for row in rows])
    print(json.dumps({"probe": "sdk_report", "rows": len(rows), "seconds": phases,
                      "ns_per_row": {k: v / len(rows) * 1e9 for k, v in phases.items() if k.startswith("read_")}}))


def peer() -> None:
    decoder = msgspec.json.Decoder(MsReport)
    with requests.Session() as session:
        session.headers.update(HEADERS)

        def fetch() -> bytes:
            response = session.post(f"{BASE}/GetChargeableActivity", data=REPORT_BODY)
            response.raise_for_status()
            return response.content

        body = fetch()
        phases = {"http_requests": best(fetch), "msgspec_decode_typed": best(lambda: decoder.decode(body)),
                  "msgspec_decode_untyped": best(lambda: msgspec.json.decode(body))}
        rows = decoder.decode(body).activities
        phases["read_every_field"] = best(lambda: [getattr(row, n) for row in rows for n in ACTIVITY_FIELDS])
    print(json.dumps({"probe": "requests_msgspec_report", "rows": len(rows), "seconds": phases}))


def reads(rounds: int) -> None:
    from cpaas_reseller import Client

    with Client(USER, PASSWORD, base_url=BASE) as client:
        rows = client.get_chargeable_activity(start_date=START, end_date=END).activities
        started = time.perf_counter()
        for _ in range(rounds):
            for row in rows:
                for name in ACTIVITY_FIELDS:
                    getattr(row, name)
        seconds = (time.perf_counter() - started) / rounds
    print(json.dumps({"probe": "sdk_report_reads", "rows": len(rows), "rounds": rounds,
                      "ns_per_row": seconds / len(rows) * 1e9}))


if __name__ == "__main__":
    if sys.argv[1:2] == ["reads"]:
        reads(int(sys.argv[2]) if len(sys.argv) > 2 else 15)
    else:
        sdk()
        peer()
