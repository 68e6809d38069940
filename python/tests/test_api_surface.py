"""The public surface: one method per catalogue operation on both clients, and `.pyi` stubs
that describe exactly what the native module has."""

from __future__ import annotations

import ast
import inspect
import json
import urllib.request
from pathlib import Path
from typing import Dict, List, Set

import pytest

import cpaas_reseller
from cpaas_reseller import AsyncClient, Client, _native, operations
from cpaas_reseller.testing import Emulator

STUB = Path(cpaas_reseller.__file__).with_name("_native.pyi")


def stub_classes() -> Dict[str, ast.ClassDef]:
    tree = ast.parse(STUB.read_text(encoding="utf-8"))
    return {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}


def stub_members(node: ast.ClassDef) -> Dict[str, ast.FunctionDef]:
    return {item.name: item for item in node.body if isinstance(item, ast.FunctionDef)}


def public(names: List[str]) -> Set[str]:
    return {name for name in names if not name.startswith("_")}


def test_catalogue_is_the_emulators_one_documented(emu: Emulator) -> None:
    ops = operations()
    with urllib.request.urlopen(f"{emu.control_url}/info") as response:
        served = json.load(response)["methods"]
    # The emulator keeps its own table: the same names, order and mutating flags.
    assert [(op["method"], op["mutating"]) for op in ops] == [(m["name"], m["mutating"]) for m in served]
    assert [op["method"] for op in ops if op["documented"]] == ["AddUserToAccount"]
    assert {op["area"] for op in ops} == {"accounts", "users", "roles", "credit", "reports", "numbers"}


@pytest.mark.parametrize("cls", [Client, AsyncClient])
def test_one_method_per_operation(cls: type) -> None:
    for op in operations():
        method = getattr(cls, op["function"])
        assert op["method"] in (method.__doc__ or ""), op


@pytest.mark.parametrize("name", ["Client", "AsyncClient"])
def test_client_stubs_match_runtime_signatures(name: str) -> None:
    runtime = getattr(_native, name)
    members = stub_members(stub_classes()[name])
    assert public(list(members)) == public(dir(runtime))
    for op in operations():
        stub = members[op["function"]]
        signature = inspect.signature(getattr(runtime, op["function"]))
        runtime_kwonly = [p.name for p in signature.parameters.values() if p.kind is p.KEYWORD_ONLY]
        stub_kwonly = [arg.arg for arg in stub.args.kwonlyargs]
        assert runtime_kwonly == stub_kwonly, op["function"]
        # Optional in the stub exactly when optional at run time.
        runtime_optional = [p.name for p in signature.parameters.values()
                            if p.kind is p.KEYWORD_ONLY and p.default is not p.empty]
        stub_optional = [arg.arg for arg, default in zip(stub.args.kwonlyargs, stub.args.kw_defaults)
                         if default is not None]
        assert runtime_optional == stub_optional, op["function"]


def test_record_stubs_match_runtime_attributes() -> None:
    classes = stub_classes()
    runtime_classes = {name for name, value in vars(_native).items() if isinstance(value, type)}
    assert runtime_classes - {"_Call"} == set(classes), "every native class has a stub"
    for name, node in classes.items():
        if name in {"Client", "AsyncClient", "_Ready"}:
            continue
        runtime = getattr(_native, name)
        assert public(list(stub_members(node))) == public(dir(runtime)), name


def test_records_expose_every_field_the_emulator_sends(reseller_client: Client) -> None:
    """Each record attribute is the snake_case of a vendor field; the emulator's single
    unlisted field per record (see its docs) stays in `.raw` only."""
    samples = {
        "Account": (reseller_client.get_account(account_id=1001), {"BillingReference", "RoleIds"}),
        "User": (reseller_client.get_user(user_id=100), {"CreatedDate"}),
        "Role": (reseller_client.get_roles().roles[0], {"IsSystemRole"}),
        "InboundNumber": (reseller_client.get_allocated_inbound_numbers(account_id=1001).numbers[0],
                          {"Capabilities"}),
    }
    for name, (record, unlisted) in samples.items():
        attributes = public(dir(type(record))) - {"raw"}
        expected = {
            "".join("_" + c.lower() if c.isupper() else c for c in field).lstrip("_")
            for field in record.raw
            if field not in unlisted
        }
        assert attributes == expected, name


def test_package_exports() -> None:
    for name in cpaas_reseller.__all__:
        assert hasattr(cpaas_reseller, name), name
    assert cpaas_reseller.__version__
    assert (Path(cpaas_reseller.__file__).parent / "py.typed").exists()
