"""The shared conformance vectors (tests/vectors/*.json, format in tests/vectors/README.md),
run through the public API against the emulator, with both clients."""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any, Dict, List

import pytest

from cpaas_reseller import ApiError, ResellerError, ValidationError, operations
from cpaas_reseller.testing import Emulator

Api = Any  # `Client`, or `AsyncClient` run to completion (see conftest.py)
VECTORS = Path(__file__).resolve().parents[2] / "tests" / "vectors"
FUNCTIONS = {op["method"]: op["function"] for op in operations()}
MUTATING = {op["method"]: op["mutating"] for op in operations()}
MONEY_FIELDS = {"Amount"}


def load(name: str) -> List[Dict[str, Any]]:
    path = VECTORS / f"{name}.json"
    cases: List[Dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    return cases


def cases(name: str) -> List[Any]:
    return [pytest.param(case, id=case["name"]) for case in load(name)]


def instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(timezone.utc)


def keyword(field: str) -> str:
    """The Python keyword for a vendor field: `LastName` -> `last_name`, `AccountId` -> `account_id`."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", field).lower()


def arguments(vendor_input: Dict[str, Any]) -> Dict[str, Any]:
    """A vector's input (vendor names, decimals and dates as strings) as keyword arguments."""
    kwargs: Dict[str, Any] = {}
    for field, value in vendor_input.items():
        if field in MONEY_FIELDS:
            value = Decimal(value)
        elif field.endswith("Date"):
            value = instant(value)
        kwargs[keyword(field)] = value
    return kwargs


def invoke(api: Api, case: Dict[str, Any]) -> Any:
    return getattr(api, FUNCTIONS[case["operation"]])(**arguments(case["input"]))


def walk(value: Any, path: str) -> Any:
    for part in filter(None, path.split(".")):
        value = value[int(part)] if part.isdigit() else getattr(value, part)
    return value


def same(actual: Any, expected: Any) -> bool:
    if expected is None:
        return actual is None
    if isinstance(actual, Decimal):
        return actual == Decimal(str(expected))
    if isinstance(actual, datetime):
        return actual == instant(expected)
    return bool(actual == expected and type(actual) is type(expected))


def test_vectors_are_present() -> None:
    for name in ("operations", "requests", "responses", "errors", "validation"):
        assert load(name), f"{name}.json has no cases"


@pytest.mark.parametrize("case", cases("requests"))
def test_request_encoding(api: Api, emu: Emulator, case: Dict[str, Any]) -> None:
    try:
        invoke(api, case)
    except ApiError:
        pass  # any answer will do: only the request body is checked
    entry = emu.last_request(case["operation"])
    assert entry is not None
    assert entry.body == case["wire"]


@pytest.mark.parametrize("case", cases("responses"))
def test_response_decoding(api: Api, emu: Emulator, case: Dict[str, Any]) -> None:
    emu.inject("body", method=case["operation"], status=200, content_type="application/json", body=case["body"])
    result = invoke(api, case)
    for check in case["expect"]:
        actual = walk(result, check["path"])
        assert same(actual, check["value"]), (check["path"], actual, check["value"])
    extra = case.get("extra")
    if extra:
        record = walk(result, extra["path"])
        missing = [key for key in extra["keys"] if key not in record.raw]
        assert not missing, missing


@pytest.mark.parametrize("case", cases("errors"))
def test_error_mapping(api: Api, emu: Emulator, case: Dict[str, Any]) -> None:
    emu.inject("body", method=case["operation"], status=case["status"], content_type=case["content_type"],
               body=case["body"])
    with pytest.raises(ResellerError) as caught:
        invoke(api, case)
    error: Any = caught.value
    expect = case["expect"]
    assert error.kind == expect["kind"]
    for key, value in expect.items():
        if key == "kind":
            continue
        if key == "body_excerpt_contains":
            assert value in error.body_excerpt
        else:
            assert getattr(error, key) == value, (key, getattr(error, key), value)


@pytest.mark.parametrize("case", cases("validation"))
def test_local_validation(api: Api, emu: Emulator, case: Dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as caught:
        invoke(api, case)
    assert caught.value.field == case["field"]
    assert caught.value.method == case["operation"]
    assert emu.calls(case["operation"]) == 0


def test_every_operation_has_a_sample() -> None:
    sampled = [case["operation"] for case in load("operations")]
    missing = [method for method in FUNCTIONS if method not in sampled]
    assert not missing, f"tests/vectors/operations.json has no sample for {missing}"
    assert sampled == list(FUNCTIONS), "one sample per operation, in catalogue order"


@pytest.mark.parametrize("case", [pytest.param(case, id=case["operation"]) for case in load("operations")])
def test_every_client_function_succeeds_on_its_sample(api: Api, emu: Emulator, case: Dict[str, Any]) -> None:
    """Each operation's client function, through both clients: the sample succeeds on the seeded
    state, is sent once, and changes the state exactly when the operation is mutating."""
    if "prepare" in case:
        invoke(api, case["prepare"])
    before = emu.state()
    emu.clear_journal()
    invoke(api, case)
    assert emu.calls(case["operation"]) == 1
    assert (emu.state() != before) is MUTATING[case["operation"]]
