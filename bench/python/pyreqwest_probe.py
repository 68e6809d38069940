"""Where pyreqwest's client CPU goes, per runtime configuration (#18).

Runs compare.py's pyreqwest + msgspec GetAccount workload (concurrency 64) once in this process
with one runtime configuration and prints one JSON line: calls/s, client CPU per call, and for each
thread of this process (grouped by name) its CPU time, the time it waited runnable for a core
(/proc/.../schedstat), and its voluntary and involuntary context switches. `other_cpu_cores` is the
CPU that everything outside this process used meanwhile, in cores (the emulator and any other jobs),
from /proc/stat.

Usage (the environment of compare.py, an emulator running):
    python bench/python/pyreqwest_probe.py current        # pyreqwest's default: one current-thread runtime
    python bench/python/pyreqwest_probe.py multi          # its multithreaded runtime, tokio's default workers
    python bench/python/pyreqwest_probe.py multi 1        # ... with one worker thread
"""

from __future__ import annotations

import asyncio
import collections
import os
import sys
import time

import compare

TICK = os.sysconf("SC_CLK_TCK")


def threads() -> dict[int, tuple[str, int, int, int, int]]:
    """Per thread of this process: name, CPU ns, runnable-wait ns, voluntary, involuntary switches."""
    found = {}
    for tid in os.listdir("/proc/self/task"):
        base = f"/proc/self/task/{tid}"
        try:
            with open(f"{base}/comm") as f:
                name = f.read().strip()
            with open(f"{base}/schedstat") as f:
                run, wait, _ = (int(x) for x in f.read().split())
            with open(f"{base}/status") as f:
                status = dict(line.split(":", 1) for line in f if "ctxt_switches" in line)
        except OSError:
            continue  # the thread ended meanwhile
        found[int(tid)] = (name, run, wait, int(status["voluntary_ctxt_switches"]),
                           int(status["nonvoluntary_ctxt_switches"]))
    return found


def machine_busy_ticks() -> int:
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    return sum(fields) - fields[3] - fields[4]  # all but idle and iowait


def main() -> None:
    mode = sys.argv[1] if len(sys.argv) > 1 else "current"
    workers = int(sys.argv[2]) if len(sys.argv) > 2 else None
    if workers is not None:
        from pyreqwest.runtime import runtime_worker_threads

        runtime_worker_threads(workers)
    snapshot: dict[str, dict[int, tuple[str, int, int, int, int]]] = {}

    async def run() -> None:
        # Snapshots inside the client's lifetime: its runtime's threads end when it closes.
        await compare.pyreqwest_async(mode == "multi", on_ready=lambda: snapshot.update(before=threads()),
                                      on_done=lambda: snapshot.update(after=threads()))

    busy, cpu, started = machine_busy_ticks(), time.process_time(), time.perf_counter()
    asyncio.run(run())
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu
    other = (machine_busy_ticks() - busy) / TICK - cpu
    per_name: dict[str, list[float]] = collections.defaultdict(lambda: [0.0, 0.0, 0, 0, 0])
    before = snapshot["before"]
    for tid, (name, *after) in snapshot["after"].items():
        start = before.get(tid, (name, 0, 0, 0, 0))[1:]
        group = per_name[name]
        for i, (a, b) in enumerate(zip(after, start)):
            group[i] += a - b
        group[4] += 1
    compare.emit(
        bench="pyreqwest_probe", mode=mode, worker_threads=workers, calls=compare.CALLS, seconds=seconds,
        calls_per_second=compare.CALLS / seconds, client_cpu_us_per_call=cpu / compare.CALLS * 1e6,
        other_cpu_cores=other / seconds,
        threads={name: {"threads": n, "cpu_us_per_call": run / 1e3 / compare.CALLS,
                        "runnable_wait_us_per_call": wait / 1e3 / compare.CALLS,
                        "voluntary_switches_per_call": vol / compare.CALLS,
                        "involuntary_switches_per_call": invol / compare.CALLS}
                 for name, (run, wait, vol, invol, n) in sorted(per_name.items())})
    compare.exit_now(None)


if __name__ == "__main__":
    main()
