"""The malformed-body corpus (tests/vectors/malformed.json, format in tests/vectors/README.md):
every body is served by the emulator and must raise a typed error (or give the documented
success), never crash or hang the interpreter."""

from __future__ import annotations

import json
import re
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Dict, List

import pytest

from cpaas_reseller import ApiError, Client, ResellerError, operations
from cpaas_reseller.testing import Emulator

CORPUS = Path(__file__).resolve().parents[2] / "tests" / "vectors" / "malformed.json"
FUNCTIONS = {op["method"]: op["function"] for op in operations()}
EXCERPT_LIMIT = 1024


def load() -> List[Dict[str, Any]]:
    cases: List[Dict[str, Any]] = json.loads(CORPUS.read_text(encoding="utf-8"))
    return cases


def keyword(field: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", field).lower()


def invoke(client: Client, case: Dict[str, Any]) -> Any:
    kwargs: Dict[str, Any] = {}
    for field, value in case["input"].items():
        if field == "Amount":
            value = Decimal(value)
        elif field.endswith("Date"):
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        kwargs[keyword(field)] = value
    return getattr(client, FUNCTIONS[case["operation"]])(**kwargs)


def fault(case: Dict[str, Any]) -> Dict[str, Any]:
    """The emulator fault that serves the case's body."""
    base: Dict[str, Any] = {"method": case["operation"], "times": 1}
    if "large_bytes" in case:
        return {**base, "kind": "large", "bytes": case["large_bytes"]}
    served = {**base, "kind": "body", "status": case["status"], "content_type": case["content_type"], "apply": False}
    if "body_base64" in case:
        served["body_base64"] = case["body_base64"]
    elif "body_parts" in case:
        served["body"] = "".join(part["text"] * part["repeat"] for part in case["body_parts"])
    else:
        served["body"] = case["body"]
    return served


def walk(value: Any, path: str) -> Any:
    for part in path.split("."):
        value = value[int(part)] if part.isdigit() else getattr(value, part)
    return value


@pytest.fixture(scope="module")
def served() -> Any:
    with Emulator() as emulator:
        with emulator.client(max_retries=0, timeout=20.0) as client:
            yield emulator, client


def test_corpus_has_at_least_fifty_cases() -> None:
    cases = load()
    assert len(cases) >= 50
    assert len({case["name"] for case in cases}) == len(cases)


@pytest.mark.parametrize("case", [pytest.param(c, id=c["name"]) for c in load()])
def test_malformed_body_gives_a_typed_outcome(served: Any, case: Dict[str, Any]) -> None:
    emulator, client = served
    emulator.clear_journal()
    emulator.inject_fault(fault(case))
    expect = case["expect"]
    if expect["kind"] == "success":
        result = invoke(client, case)
        for check in expect["values"]:
            actual = walk(result, check["path"])
            assert actual == check["value"], (check["path"], actual)
        if hasattr(result, "raw"):
            assert isinstance(result.raw, dict)
        repr(result)
    else:
        with pytest.raises(ResellerError) as caught:
            invoke(client, case)
        error: Any = caught.value
        assert error.kind == expect["kind"], str(error)[:300]
        assert error.outcome_unknown is expect["outcome_unknown"], str(error)[:300]
        assert isinstance(error, ApiError)
        assert error.status == (200 if "large_bytes" in case else case["status"])
        assert len(error.body_excerpt.encode("utf-8")) <= EXCERPT_LIMIT
        assert str(error).startswith(f"{case['operation']}: HTTP {error.status}")
        repr(error)
    assert emulator.calls(case["operation"]) == 1, "sent once"
    assert emulator.pending_faults() == [], "the fault was used"
