"""``cpaas_reseller.doctor``: the core's check, against the emulator as documented and with a
wrong password; the password never appears in the report."""

from __future__ import annotations

from cpaas_reseller import doctor
from cpaas_reseller.testing import Emulator


def test_doctor_works_and_names_the_cause(emu: Emulator) -> None:
    report = doctor(emu.username, emu.password, base_url=emu.base_url)
    assert report["ok"] is True and report["cause"] is None
    assert report["working_base_url"] == emu.base_url
    methods = report["base_urls"][0]["methods"]
    assert methods and all(m["known"] for m in methods)
    assert all(isinstance(m["duration_ms"], int) for m in methods)
    assert "OK: use base URL" in report["report"]
    assert emu.password not in repr(report)

    refused = doctor(emu.username, "Wrong-Passw0rd-99", base_url=emu.base_url)
    assert refused["ok"] is False and refused["cause"] == "credentials"
    assert "Wrong-Passw0rd-99" not in repr(refused)
