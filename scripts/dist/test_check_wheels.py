"""Tests of check_wheels.py on real tiny binaries (fixtures/, made by fixtures/make-fixtures.sh).

    python3 -m unittest discover -s scripts/dist -p 'test_*.py'
"""

from __future__ import annotations

import contextlib
import io
import os
import struct
import sys
import tempfile
import unittest
import zipfile
from typing import Dict, Optional

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import check_wheels  # noqa: E402
from check_wheels import CheckError  # noqa: E402

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")


def fixture(name: str) -> bytes:
    with open(os.path.join(FIXTURES, name), "rb") as f:
        return f.read()


def make_wheel(directory: str, platform: str, members: Dict[str, bytes], tags: Optional[str] = None) -> str:
    """A wheel named for cp39-abi3-<platform> holding `members` and a WHEEL file with `tags`."""
    path = os.path.join(directory, f"cpaas_reseller-0.1.0-cp39-abi3-{platform}.whl")
    if tags is None:
        tags = "".join(f"Tag: cp39-abi3-{p}\n" for p in platform.split("."))
    with zipfile.ZipFile(path, "w") as wheel:
        wheel.writestr("cpaas_reseller-0.1.0.dist-info/WHEEL", f"Wheel-Version: 1.0\nRoot-Is-Purelib: false\n{tags}")
        for name, data in members.items():
            wheel.writestr(name, data)
    return path


class MachOTest(unittest.TestCase):
    def test_reads_a_zig_linked_arm64_dylib(self) -> None:
        image = check_wheels.parse_macho(fixture("macos-arm64.so"))
        self.assertEqual(image.arch, "arm64")
        self.assertEqual(image.dylibs, ("/usr/lib/libSystem.B.dylib",))
        self.assertEqual(image.min_macos, (11, 0))
        self.assertIn("PyInit__native", image.exports)

    def test_accepts_valid_binaries_for_their_tags(self) -> None:
        described = check_wheels.check_macos_binary(fixture("macos-arm64.so"), "macosx_11_0_arm64")
        self.assertIn("arm64", described)
        described = check_wheels.check_macos_binary(fixture("macos-x86_64.so"), "macosx_10_12_x86_64")
        self.assertIn("minimum macOS 10.12", described)

    def test_rejects_the_wrong_architecture(self) -> None:
        with self.assertRaisesRegex(CheckError, "binary is x86_64, tag says arm64"):
            check_wheels.check_macos_binary(fixture("macos-x86_64.so"), "macosx_11_0_arm64")

    def test_rejects_a_non_system_library(self) -> None:
        with self.assertRaisesRegex(CheckError, "non-system libraries: /opt/homebrew/lib/libfoo.dylib"):
            check_wheels.check_macos_binary(fixture("macos-arm64-libfoo.so"), "macosx_11_0_arm64")

    def test_allows_exactly_the_stubbed_frameworks(self) -> None:
        security = "/System/Library/Frameworks/Security.framework/Versions/A/Security"
        core_foundation = "/System/Library/Frameworks/CoreFoundation.framework/Versions/A/CoreFoundation"
        self.assertEqual(check_wheels.stubbed_frameworks(), {security, core_foundation})

        def image(*frameworks: str) -> check_wheels.MachO:
            return check_wheels.MachO("arm64", 6, ("/usr/lib/libSystem.B.dylib", *frameworks), (11, 0),
                                      frozenset(), True)

        described = check_wheels.macho_verdict(image(security, core_foundation), [], [], "Mach-O dylib")
        self.assertIn(security, described)
        proxies = "/System/Library/Frameworks/SystemConfiguration.framework/Versions/A/SystemConfiguration"
        with self.assertRaisesRegex(CheckError, f"frameworks without a stub in scripts/dist/macos-frameworks: {proxies}"):
            check_wheels.macho_verdict(image(security, proxies), [], [], "Mach-O dylib")

    def test_rejects_a_newer_minimum_macos_than_the_tag(self) -> None:
        with self.assertRaisesRegex(CheckError, "needs macOS 13.0, tag says 11.0"):
            check_wheels.check_macos_binary(fixture("macos-arm64-13.0.so"), "macosx_11_0_arm64")
        check_wheels.check_macos_binary(fixture("macos-arm64-13.0.so"), "macosx_13_0_arm64")

    def test_rejects_an_unsigned_arm64_image(self) -> None:
        data = bytearray(fixture("macos-arm64.so"))
        self.assertTrue(check_wheels.parse_macho(bytes(data)).signed)
        # The same image with its LC_CODE_SIGNATURE command renumbered to one nothing reads.
        (ncmds,) = struct.unpack_from("<I", data, 16)
        offset = 32
        for _ in range(ncmds):
            cmd, size = struct.unpack_from("<II", data, offset)
            if cmd == check_wheels.LC_CODE_SIGNATURE:
                struct.pack_into("<I", data, offset, 0x7FFF)
            offset += size
        with self.assertRaisesRegex(CheckError, "arm64 image without a code signature"):
            check_wheels.check_macos_binary(bytes(data), "macosx_11_0_arm64")

    def test_refuses_other_formats(self) -> None:
        with self.assertRaisesRegex(CheckError, "not a 64-bit Mach-O"):
            check_wheels.parse_macho(fixture("windows-amd64.pyd"))
        with self.assertRaisesRegex(CheckError, "universal"):
            check_wheels.parse_macho(b"\xca\xfe\xba\xbe" + bytes(28))
        with self.assertRaisesRegex(CheckError, "truncated"):
            check_wheels.parse_macho(fixture("macos-arm64.so")[:40])


class PETest(unittest.TestCase):
    def test_reads_a_mingw_linked_dll(self) -> None:
        image = check_wheels.parse_pe(fixture("windows-amd64.pyd"))
        self.assertEqual((image.arch, image.is_dll, image.pe32_plus), ("x86_64", True, True))
        self.assertEqual(sorted(n.lower() for n in image.imports), ["kernel32.dll", "msvcrt.dll", "python3.dll"])
        self.assertEqual(image.exports, frozenset({"PyInit__native"}))

    def test_accepts_a_valid_extension(self) -> None:
        described = check_wheels.check_windows_binary(fixture("windows-amd64.pyd"), "win_amd64")
        self.assertEqual(described, "PE32+ DLL x86_64, imports kernel32.dll, msvcrt.dll, python3.dll")

    def test_accepts_ucrt_api_sets(self) -> None:
        image = check_wheels.parse_pe(fixture("windows-arm64.pyd"))
        self.assertIn("api-ms-win-crt-runtime-l1-1-0.dll", image.imports)
        check_wheels.check_windows_binary(fixture("windows-arm64.pyd"), "win_arm64")

    def test_rejects_the_wrong_architecture(self) -> None:
        with self.assertRaisesRegex(CheckError, "binary is arm64, tag says amd64"):
            check_wheels.check_windows_binary(fixture("windows-arm64.pyd"), "win_amd64")

    def test_rejects_a_version_specific_python_dll(self) -> None:
        with self.assertRaisesRegex(CheckError, r"non-system DLLs: python39.dll; does not import python3.dll"):
            check_wheels.check_windows_binary(fixture("windows-amd64-python39.pyd"), "win_amd64")

    def test_rejects_a_non_system_dll(self) -> None:
        with self.assertRaisesRegex(CheckError, "non-system DLLs: libfoo.dll$"):
            check_wheels.check_windows_binary(fixture("windows-amd64-libfoo.pyd"), "win_amd64")

    def test_rejects_a_module_without_its_init_function(self) -> None:
        with self.assertRaisesRegex(CheckError, "does not export PyInit__native"):
            check_wheels.check_windows_binary(fixture("windows-amd64-noinit.pyd"), "win_amd64")

    def test_refuses_other_formats(self) -> None:
        with self.assertRaisesRegex(CheckError, "no MZ header"):
            check_wheels.parse_pe(fixture("macos-arm64.so"))


# What auditwheel 6.8.2 printed for this project's wheels (first paragraph).
AUDITWHEEL_MANYLINUX = """
cpaas_reseller-0.1.0-cp39-abi3-manylinux2014_x86_64.manylinux_2_17_x86_64.whl
is consistent with the following platform tag:
"manylinux_2_17_x86_64".
"""
AUDITWHEEL_MUSL = """
cpaas_reseller-0.1.0-cp39-abi3-musllinux_1_2_x86_64.whl is consistent
with the following platform tag: "musllinux_1_2_x86_64".
"""


class AuditwheelReportTest(unittest.TestCase):
    def test_accepts_a_claim_that_matches(self) -> None:
        claimed = ["manylinux_2_17_x86_64", "manylinux2014_x86_64"]
        self.assertEqual(
            check_wheels.check_auditwheel_report(AUDITWHEEL_MANYLINUX, claimed),
            "auditwheel: consistent with manylinux_2_17_x86_64",
        )
        check_wheels.check_auditwheel_report(AUDITWHEEL_MUSL, ["musllinux_1_2_x86_64"])

    def test_accepts_a_claim_stricter_than_needed(self) -> None:
        check_wheels.check_auditwheel_report(AUDITWHEEL_MANYLINUX, ["manylinux_2_28_x86_64"])

    def test_rejects_a_claim_older_than_the_binary(self) -> None:
        report = AUDITWHEEL_MANYLINUX.replace("manylinux_2_17_x86_64\"", "manylinux_2_34_x86_64\"")
        with self.assertRaisesRegex(CheckError, "manylinux2014_x86_64 claims more .* manylinux_2_34_x86_64"):
            check_wheels.check_auditwheel_report(report, ["manylinux2014_x86_64"])

    def test_rejects_another_family_or_architecture(self) -> None:
        with self.assertRaisesRegex(CheckError, "claims more"):
            check_wheels.check_auditwheel_report(AUDITWHEEL_MUSL, ["manylinux_2_17_x86_64"])
        with self.assertRaisesRegex(CheckError, "claims more"):
            check_wheels.check_auditwheel_report(AUDITWHEEL_MUSL, ["musllinux_1_2_aarch64"])

    def test_rejects_a_binary_that_is_not_portable(self) -> None:
        # A musl module whose DT_NEEDED says `libc.so` (zig's name, before musl_soname.py).
        report = AUDITWHEEL_MUSL.replace('"musllinux_1_2_x86_64"', '"linux_x86_64"')
        with self.assertRaisesRegex(CheckError, "consistent only with 'linux_x86_64'"):
            check_wheels.check_auditwheel_report(report, ["musllinux_1_2_x86_64"])


class WheelTest(unittest.TestCase):
    def setUp(self) -> None:
        self.dir = tempfile.mkdtemp()

    def tearDown(self) -> None:
        for name in os.listdir(self.dir):
            os.remove(os.path.join(self.dir, name))
        os.rmdir(self.dir)

    def test_checks_the_binary_inside_macos_and_windows_wheels(self) -> None:
        mac = make_wheel(self.dir, "macosx_11_0_arm64", {"cpaas_reseller/_native.abi3.so": fixture("macos-arm64.so")})
        self.assertIn("Mach-O arm64", check_wheels.check_wheel(mac))
        win = make_wheel(self.dir, "win_amd64", {"cpaas_reseller/_native.pyd": fixture("windows-amd64.pyd")})
        self.assertIn("PE32+ DLL x86_64", check_wheels.check_wheel(win))

    def test_rejects_a_wrong_binary_under_a_tag(self) -> None:
        wheel = make_wheel(self.dir, "macosx_10_12_x86_64", {"cpaas_reseller/_native.abi3.so": fixture("macos-arm64.so")})
        with self.assertRaisesRegex(CheckError, "binary is arm64"):
            check_wheels.check_wheel(wheel)

    def test_rejects_tags_the_wheel_file_does_not_declare(self) -> None:
        members = {"cpaas_reseller/_native.pyd": fixture("windows-amd64.pyd")}
        wheel = make_wheel(self.dir, "win_amd64", members, tags="Tag: cp39-abi3-win32\n")
        with self.assertRaisesRegex(CheckError, "WHEEL declares"):
            check_wheels.check_wheel(wheel)

    def test_rejects_a_misnamed_native_module(self) -> None:
        wheel = make_wheel(self.dir, "win_amd64", {"cpaas_reseller/_native.cp39-win_amd64.pyd": b""})
        with self.assertRaisesRegex(CheckError, "native module files"):
            check_wheels.check_wheel(wheel)

    def test_rejects_a_version_specific_wheel(self) -> None:
        path = os.path.join(self.dir, "cpaas_reseller-0.1.0-cp311-cp311-win_amd64.whl")
        with self.assertRaisesRegex(CheckError, "expected cp39-abi3"):
            check_wheels.check_wheel(path)

    def test_main_reports_each_wheel_and_fails_if_one_does(self) -> None:
        good = make_wheel(self.dir, "win_amd64", {"cpaas_reseller/_native.pyd": fixture("windows-amd64.pyd")})
        bad = make_wheel(self.dir, "macosx_11_0_arm64", {"cpaas_reseller/_native.abi3.so": fixture("macos-arm64-13.0.so")})
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            self.assertEqual(check_wheels.main([good]), 0)
            self.assertEqual(check_wheels.main([good, bad]), 1)
        self.assertIn(f"ok    {good}", out.getvalue())
        self.assertIn(f"FAIL  {bad}: needs macOS 13.0", out.getvalue())
        self.assertEqual(err.getvalue(), "1 of 2 wheels failed\n")


if __name__ == "__main__":
    unittest.main()
