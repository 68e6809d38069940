"""Turns the JSON lines the benchmarks printed into BENCHMARKS.md: each target beside the measured
figure or ratio. Usage: report.py RESULTS.jsonl > BENCHMARKS.md"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
from typing import Any, Callable


LOWER_IS_BETTER = {"microseconds_per_call", "client_cpu_us_per_call", "seconds", "milliseconds", "megabytes", "peak_rss_growth_bytes"}


def load(path: str) -> dict[str, list[dict[str, Any]]]:
    """Every record per benchmark, in order (overhead benchmarks run in several processes)."""
    results: dict[str, list[dict[str, Any]]] = {}
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            line = line.strip()
            if line.startswith("{"):
                record = json.loads(line)
                results.setdefault(record["bench"], []).append(record)
    return results


def machine() -> str:
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            cpu = next(l.split(":", 1)[1].strip() for l in info if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    rustc = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip()
    return (f"{platform.system()} {platform.release()}, {os.cpu_count()} cores ({cpu}), {memory:.0f} GiB; "
            f"Python {platform.python_version()}; {rustc}")


def fastest_each_round(r: dict[str, list[dict[str, Any]]], benches: tuple[str, ...], key: str) -> list[dict[str, Any]]:
    """A peer measured in several configurations, one run of each per round: round by round, the
    fastest configuration's record, so that a ratio is against the peer at its best in each machine state."""
    runs = [r[bench] for bench in benches if r.get(bench)]
    return [max(round_, key=lambda record: float(record[key])) for round_ in zip(*runs)]


def main() -> None:
    r = load(sys.argv[1])
    raw = [json.dumps(record, sort_keys=True) for records in r.values() for record in records]
    pyreqwest = ("python_async_pyreqwest_msgspec", "python_async_pyreqwest_msgspec_current_thread",
                 "python_async_pyreqwest_msgspec_one_core")
    r["python_async_pyreqwest_msgspec_fastest"] = fastest_each_round(r, pyreqwest, "calls_per_second")
    rows: list[tuple[str, str, str, str]] = []

    def values(bench: str, key: str) -> list[float]:
        return [float(record[key]) for record in r.get(bench, []) if record.get(key) is not None]

    def get(bench: str, key: str) -> float | None:
        """The figure; for a benchmark run in several processes, the best one."""
        found = values(bench, key)
        if not found:
            return None
        return min(found) if key in LOWER_IS_BETTER else max(found)

    def ratio(name: str, a: str, b: str, key: str, target: float | None, invert: bool = False) -> None:
        """`a` against `b`; `target` None for a comparison the issue sets no target for."""
        x, y = get(a, key), get(b, key)
        wanted = "none set" if target is None else f">= {target}x"
        if x is None or y is None:
            rows.append((name, wanted, "not measured", "-"))
            return
        value = (y / x) if invert else (x / y)
        verdict = "-" if target is None else ("met" if value >= target else "missed")
        shown = f"{value:.2f}x"
        xs, ys = values(a, key), values(b, key)
        if len(xs) > 1 and len(xs) == len(ys):
            # Rounds ran interleaved: the ratio of each round's pair shows how far load moved it.
            pairs = [(q / p) if invert else (p / q) for p, q in zip(xs, ys)]
            shown += f" (best of {len(xs)} rounds each; per round {min(pairs):.2f}x to {max(pairs):.2f}x)"
        rows.append((name, wanted, shown, verdict))

    def figure(name: str, bench: str, key: str, target: str, ok: Callable[[float], bool] | None, fmt: str) -> None:
        """`ok` None for a figure the issue sets no target for."""
        x = get(bench, key)
        if x is None:
            rows.append((name, target, "not measured", "-"))
            return
        shown = fmt.format(x)
        runs = values(bench, key)
        if len(runs) > 1:
            shown += f" (best of {len(runs)} runs; median {fmt.format(statistics.median(runs))})"
        rows.append((name, target, shown, "-" if ok is None else ("met" if ok(x) else "missed")))

    cps = "calls_per_second"
    ratio("AsyncClient vs pyreqwest + msgspec structs (get_account, concurrency 64; each round, pyreqwest's "
          "fastest configuration)", "python_async_sdk", "python_async_pyreqwest_msgspec_fastest", cps, 2)
    for name, bench in zip(("multithreaded runtime", "current-thread runtime (its default)",
                            "current-thread runtime, process on one core"), pyreqwest):
        figure(f"pyreqwest + msgspec throughput, {name}", bench, cps, "none set", None, "{:,.0f} calls/s")
    ratio("AsyncClient vs aiohttp + orjson + dataclass", "python_async_sdk", "python_async_aiohttp_orjson", cps, 2)
    ratio("AsyncClient vs aiohttp + json.loads + dataclass", "python_async_sdk", "python_async_aiohttp", cps, 2)
    ratio("AsyncClient vs httpx.AsyncClient (httpcore's pool; see below)", "python_async_sdk", "python_async_httpx",
          cps, None)
    ratio("sync Client vs requests.Session", "python_sync_sdk", "python_sync_requests", cps, 2)
    ratio("sync Client vs httpx.Client", "python_sync_sdk", "python_sync_httpx", cps, None)
    ratio("AsyncClient vs the Rust core alone", "python_async_sdk", "rust_core_get_account", cps, 0.85)
    ratio("Kotlin SDK vs java.net.http + Jackson data class (getAccount, 64 coroutines)", "kotlin_sdk_get_account",
          "kotlin_jdk_jackson_get_account", cps, 1.5)
    ratio("Kotlin SDK at concurrency 64 vs one call at a time", "kotlin_sdk_get_account",
          "kotlin_sdk_get_account_sequential", cps, None)
    ratio("Swift SDK vs URLSession + JSONDecoder struct (getAccount, task group of 64)", "swift_sdk_get_account",
          "swift_urlsession_jsondecoder_get_account", cps, 1.5)
    cpu = "client_cpu_us_per_call"
    for name, bench in (("Rust core", "rust_core_get_account"), ("AsyncClient", "python_async_sdk"),
                        ("pyreqwest + msgspec, multithreaded runtime", pyreqwest[0]),
                        ("pyreqwest + msgspec, current-thread runtime", pyreqwest[1]),
                        ("pyreqwest + msgspec, current-thread runtime on one core", pyreqwest[2]),
                        ("aiohttp + orjson", "python_async_aiohttp_orjson"),
                        ("Kotlin SDK", "kotlin_sdk_get_account"), ("java.net.http + Jackson", "kotlin_jdk_jackson_get_account"),
                        ("Kotlin SDK, one call at a time", "kotlin_sdk_get_account_sequential"),
                        ("Swift SDK", "swift_sdk_get_account"),
                        ("URLSession + JSONDecoder", "swift_urlsession_jsondecoder_get_account")):
        if get(bench, cpu) is not None:
            figure(f"Client CPU per get_account call: {name}", bench, cpu, "none set", None, "{:.1f} us")
    figure("Rust core report decode (200k rows)", "rust_core_report_decode", "decode_mb_per_second", ">= 200 MB/s",
           lambda x: x >= 200, "{:.0f} MB/s")
    ratio("Python report end to end (call, then the rows' total) vs json.loads + dataclasses", "python_sdk_report",
          "python_stdlib_report", "seconds", 2, invert=True)
    ratio("Python report, also reading every field of every row once, vs the same on dataclasses",
          "python_sdk_report_every_field", "python_stdlib_report_every_field", "seconds", 2, invert=True)
    ratio("Python report, every field read, vs requests + msgspec.json.decode into typed structs",
          "python_sdk_report_every_field", "python_msgspec_report_every_field", "seconds", 1.5, invert=True)
    ratio("Python report, call then the rows' total, vs requests + msgspec structs", "python_sdk_report",
          "python_msgspec_report", "seconds", None, invert=True)
    body = get("python_stdlib_report", "body_bytes")
    rss = get("python_sdk_report", "peak_rss_growth_bytes")
    if body and rss is not None:
        value = rss / body
        rows.append(("Python report peak RSS growth / body size", "<= 3x", f"{value:.2f}x", "met" if value <= 3 else "missed"))
    figure("Python binding overhead (call failing validation)", "python_binding_overhead", "microseconds_per_call",
           "<= 2 us", lambda x: x <= 2, "{:.2f} us")
    figure("Kotlin (JNA) binding overhead", "kotlin_binding_overhead", "microseconds_per_call", "<= 10 us",
           lambda x: x <= 10, "{:.2f} us")
    figure("Swift binding overhead", "swift_binding_overhead", "microseconds_per_call", "<= 2 us",
           lambda x: x <= 2, "{:.2f} us")
    figure("Emulator throughput (small requests, keep-alive)", "emulator_throughput", "requests_per_second",
           ">= 20,000 req/s", lambda x: x >= 20_000, "{:,.0f} req/s")
    figure("Python import time", "python_import", "milliseconds", "<= 50 ms", lambda x: x <= 50, "{:.1f} ms")
    figure("Python wheel size", "python_wheel", "megabytes", "<= 10 MB", lambda x: x <= 10, "{:.1f} MB")

    out = ["# Benchmarks", "",
           f"Measured {dt.date.today().isoformat()} on {machine()}.", "",
           "Reproduce every figure with one command: `scripts/bench.sh` (it rebuilds in release mode, starts one",
           "benchmark emulator on loopback, runs every measurement side by side against it and rewrites this file).",
           "Figures are ratios measured in the same run against the same emulator, so they travel better than the",
           "absolute numbers, which depend on the machine. On 2 cores the client, its peer and the emulator share",
           "the machine: each SDK and its peers ran in alternating rounds, and the best round of each side is compared",
           "(the per-round range beside each ratio shows how far load moved it). The commands that reproduce one",
           "figure at a time are under \"Commands\" below.", "",
           "| measurement | target | measured | |", "|---|---|---|---|"]
    out += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    out += ["", "## Raw results", "", "Each line as the benchmark printed it:", "", "```"]
    out += raw
    out += ["```", ""]
    notes = os.path.join(os.path.dirname(os.path.abspath(__file__)), "NOTES.md")
    if os.path.exists(notes):
        with open(notes, encoding="utf-8") as f:
            out += [f.read()]
    print("\n".join(out))


if __name__ == "__main__":
    main()
