#!/usr/bin/env python3
"""Writes the fuzzers' seed inputs (fuzz/seeds/<target>/) from the shared test vectors, so each
run starts from real response and error bodies. Run from anywhere; rewrites the seed folders."""

import hashlib
import json
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
VECTORS = HERE.parent / "tests" / "vectors"
CATALOGUE = HERE.parent / "core" / "src" / "catalogue.rs"
TARGETS = HERE / "fuzz_targets"


def listed(target: str, macro: str) -> list:
    """The type names a fuzz target lists in its `macro!(...; A, B, ...)` call, in order."""
    text = (TARGETS / f"{target}.rs").read_text(encoding="utf-8")
    match = re.search(macro + r"!\([^;]*;([^)]*)\)", text)
    if match is None:
        raise SystemExit(f"no {macro}!(...) list in fuzz_targets/{target}.rs")
    return [name.strip() for name in match.group(1).split(",") if name.strip()]


def outputs() -> dict:
    """Each operation's output type, from the core's catalogue (`Method => function -> Output`)."""
    text = CATALOGUE.read_text(encoding="utf-8")
    found = dict(re.findall(r"\b([A-Z]\w*) => [a-z_]+ -> ([\w()]+)", text))
    if not found:
        raise SystemExit(f"no operation rows found in {CATALOGUE}")
    typed = {output for output in found.values() if output != "()"}
    unlisted = sorted(typed - set(listed("response_decode", "outputs")))
    if unlisted:
        raise SystemExit(f"output types missing from fuzz_targets/response_decode.rs: {unlisted}")
    return found


# Operation order in fuzz_targets/error_decode.rs (the target checks it is the catalogue's).
OPERATIONS = listed("error_decode", "operations")
# Output type index in fuzz_targets/response_decode.rs, by operation (operations without a
# result fall to the target's `no_result` slot and get no typed seed).
TYPES = listed("response_decode", "outputs")
OUTPUT = {op: TYPES.index(output) for op, output in outputs().items() if output != "()"}
STATUSES = [200, 201, 204, 400, 401, 403, 404, 429, 500, 502, 503, 504]
CONTENT_TYPES = {"": 0, "application/json": 1, "xml": 2, "html": 3, "text/plain": 4}


def content_type_index(content_type: str) -> int:
    for key, index in CONTENT_TYPES.items():
        if key and key in content_type:
            return index
    return 1


def write(folder: Path, data: bytes) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / hashlib.sha1(data).hexdigest()).write_bytes(data)


def load(name: str) -> list:
    return json.loads((VECTORS / f"{name}.json").read_text(encoding="utf-8"))


def main() -> None:
    seeds = HERE / "seeds"
    for target in ("response_decode", "error_decode", "date_roundtrip"):
        for old in (seeds / target).glob("*"):
            old.unlink()
    for case in load("responses"):
        body = case["body"].encode()
        write(seeds / "response_decode", bytes([OUTPUT[case["operation"]]]) + body)
        write(seeds / "error_decode", bytes([0, 0, 1, OPERATIONS.index(case["operation"])]) + body)
    for case in load("errors") + load("malformed"):
        body = case.get("body")
        if body is None or len(body) > 4096:
            continue
        op = OPERATIONS.index(case["operation"])
        status = case["status"]
        header = [0, STATUSES.index(status)] if status in STATUSES else list(status.to_bytes(2, "little"))
        write(seeds / "error_decode", bytes(header + [content_type_index(case["content_type"]), op]) + body.encode())
        if case["operation"] in OUTPUT:
            write(seeds / "response_decode", bytes([OUTPUT[case["operation"]]]) + body.encode())
    for date in ("2026-01-31T00:00:00Z", "2026-01-31T01:00:00+01:00", "2026-01-31T00:00:00.1234567",
                 "2026-01-31", "/Date(1767139200000)/", "/Date(1767139200000+0100)/", "/Date(-1000)/"):
        write(seeds / "date_roundtrip", date.encode())


if __name__ == "__main__":
    main()
