#!/usr/bin/env python3
"""Writes the fuzzers' seed inputs (fuzz/seeds/<target>/) from the shared test vectors, so each
run starts from real response and error bodies. Run from anywhere; rewrites the seed folders."""

import hashlib
import json
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
VECTORS = HERE.parent / "tests" / "vectors"
TABLES = HERE.parent / "core" / "src" / "tables.rs"


def rows(pattern: str) -> list:
    """The rows of a core table (`core/src/tables.rs`) matching `pattern`, in table order: the
    order in which the fuzz targets expand them."""
    found = re.findall(pattern, TABLES.read_text(encoding="utf-8"), re.MULTILINE)
    if not found:
        raise SystemExit(f"no rows matching {pattern!r} in {TABLES}")
    return found


# `for_each_operation!` rows (`Area Method => function -> Output [key], ...`): error_decode's order.
CATALOGUE = rows(r"^\s+\w+ (\w+) => \w+ -> (?:\$crate::records::)?([\w()]+) \[")
OPERATIONS = [method for method, _ in CATALOGUE]
# `for_each_record!` rows (`record Name {`, `list Name {`): response_decode's order; operations
# without a result fall to the target's `no_result` slot and get no typed seed.
TYPES = rows(r"^\s+(?:record|list) (\w+) \{")
OUTPUT = {method: TYPES.index(output) for method, output in CATALOGUE if output != "()"}
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
