"""Every mutating operation under every fault kind, through the Python client (the mirror of
core/tests/fault_matrix.rs): each call is sent once, never replayed, applied at most once, and
raises with ``outcome_unknown`` exactly when the caller cannot know the result. Read-only calls
recover by retrying within the client's bounds."""

from __future__ import annotations

import json
import re
import time
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import pytest

from cpaas_reseller import (
    Client,
    GatewayTimeoutError,
    RequestTimeoutError,
    ResellerError,
    ServerError,
    TransportError,
    UnexpectedResponseError,
    operations,
)
from cpaas_reseller.testing import Emulator

FUNCTIONS = {op["method"]: op["function"] for op in operations()}
MUTATING = [op["method"] for op in operations() if op["mutating"]]
READ_ONLY = [op["method"] for op in operations() if not op["mutating"]]
TIMEOUT = 0.25

Input = Dict[str, Any]

#: One sample per operation (tests/vectors/operations.json, shared with the Rust suite): a valid
#: input against the seeded state, and the call that prepares that state when one is needed.
SAMPLES: Dict[str, Tuple[Optional[Tuple[str, Input]], Input]] = {
    sample["operation"]: (
        (sample["prepare"]["operation"], sample["prepare"]["input"]) if "prepare" in sample else None,
        sample["input"],
    )
    for sample in json.loads((Path(__file__).resolve().parents[2] / "tests" / "vectors" / "operations.json").read_text(encoding="utf-8"))
}
MUTATIONS = {method: SAMPLES[method] for method in MUTATING if method in SAMPLES}
READS: Dict[str, Input] = {method: SAMPLES[method][1] for method in READ_ONLY if method in SAMPLES}

#: (fault, exception class, outcome_unknown, applied)
FAULTS: List[Tuple[Dict[str, Any], type, bool, bool]] = [
    ({"kind": "status", "status": 500, "apply": False}, ServerError, False, False),
    ({"kind": "status", "status": 503, "apply": False}, UnexpectedResponseError, False, False),
    ({"kind": "status", "status": 504, "apply": False}, GatewayTimeoutError, True, False),
    ({"kind": "status", "status": 504, "apply": True}, GatewayTimeoutError, True, True),
    ({"kind": "drop", "apply": False}, TransportError, True, False),
    ({"kind": "drop", "apply": True}, TransportError, True, True),
    ({"kind": "truncated", "apply": True}, UnexpectedResponseError, True, True),
    ({"kind": "html", "status": 502}, UnexpectedResponseError, False, False),
    # The client gives up; the service still applies the change.
    ({"kind": "delay", "millis": 600}, RequestTimeoutError, True, True),
]


def keyword(field: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", field).lower()


def call(client: Client, method: str, vendor_input: Input) -> Any:
    kwargs: Dict[str, Any] = {}
    for field, value in vendor_input.items():
        if field == "Amount":
            value = Decimal(value)
        elif field.endswith("Date"):
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        kwargs[keyword(field)] = value
    return getattr(client, FUNCTIONS[method])(**kwargs)


def state(emu: Emulator) -> Any:
    """The state without the clock: creation times differ between runs."""

    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if not k.endswith("Date") and k != "time"}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return strip(emu.state())


def test_the_matrix_covers_every_operation() -> None:
    assert MUTATING and READ_ONLY
    missing = sorted(set(FUNCTIONS) - set(SAMPLES))
    assert not missing, f"tests/vectors/operations.json has no sample for {missing}"
    assert sorted(MUTATIONS) == sorted(MUTATING)
    assert sorted(READS) == sorted(READ_ONLY)


@pytest.mark.parametrize("method", sorted(MUTATIONS))
def test_every_mutating_operation_under_every_fault(emu: Emulator, method: str) -> None:
    prepare, vendor_input = MUTATIONS[method]
    with emu.client(timeout=TIMEOUT) as client:

        def run_prepare() -> None:
            if prepare is not None:
                call(client, *prepare)

        # The reference: the state after one clean application, and before any.
        emu.reset()
        run_prepare()
        untouched = state(emu)
        call(client, method, vendor_input)
        applied_once = state(emu)
        assert applied_once != untouched, f"{method} changes state"

        for fault, error_class, unknown, applies in FAULTS:
            label = f"{method} under {fault}"
            emu.reset()
            run_prepare()
            emu.inject_fault({"method": method, "times": 1, **fault})
            with pytest.raises(ResellerError) as caught:
                call(client, method, vendor_input)
            error: Any = caught.value
            assert type(error) is error_class, (label, repr(error))
            assert error.outcome_unknown is unknown, (label, str(error))
            assert error.method == method, label
            if fault["kind"] == "delay":
                time.sleep(0.5)
            assert emu.calls(method) == 1, f"{label}: sent once, never replayed"
            expected = applied_once if applies else untouched
            assert state(emu) == expected, f"{label}: applied {'once' if applies else 'never'}"


#: Faults a read-only call retries past (a 200 with a cut body is not one: it is not retried).
RETRYABLE = [
    {"kind": "status", "status": 500, "apply": False},
    {"kind": "status", "status": 503, "apply": False},
    {"kind": "status", "status": 504, "apply": False},
    {"kind": "drop", "apply": False},
    {"kind": "delay", "millis": 600},
]


def settle(fault: Dict[str, Any]) -> None:
    """A delayed call is journaled when the emulator finishes it, after the client gave up."""
    if fault["kind"] == "delay":
        time.sleep(fault["millis"] / 1000 + 0.2)


@pytest.mark.parametrize("method", ["GetAccount", "GetCreditAllocations"])
def test_read_only_calls_recover_within_the_retry_bounds(emu: Emulator, method: str) -> None:
    with emu.client(timeout=TIMEOUT, max_retries=2) as client:
        expected = call(client, method, READS[method])
        for fault in RETRYABLE:
            label = f"{method} under {fault}"
            # Two failures: the third attempt (the last the bounds allow) succeeds.
            emu.clear_journal()
            emu.inject_fault({"method": method, "times": 2, **fault})
            assert call(client, method, READS[method]) == expected, label
            settle(fault)
            assert emu.calls(method) == 3, label
            # Three failures: past the bounds, the last failure is raised.
            emu.clear_journal()
            emu.inject_fault({"method": method, "times": 3, **fault})
            with pytest.raises(ResellerError) as caught:
                call(client, method, READS[method])
            error: Any = caught.value
            assert error.attempts == 3, (label, str(error))
            assert error.outcome_unknown is False, label
            settle(fault)
            assert emu.calls(method) == 3, label


def test_no_retry_when_disabled(emu: Emulator) -> None:
    with emu.client(timeout=TIMEOUT, max_retries=0) as client:
        emu.inject_fault({"method": "GetAccount", "times": 1, "kind": "status", "status": 503, "apply": False})
        with pytest.raises(UnexpectedResponseError) as caught:
            call(client, "GetAccount", READS["GetAccount"])
        assert caught.value.attempts == 1
        assert emu.calls("GetAccount") == 1
