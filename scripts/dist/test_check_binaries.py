"""Tests of check_binaries.py on the committed fixtures (fixtures/make-fixtures.sh).

    python3 -m unittest discover -s scripts/dist -p 'test_*.py'
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import check_binaries  # noqa: E402
from check_wheels import CheckError  # noqa: E402

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")


def fixture(name: str) -> str:
    return os.path.join(FIXTURES, name)


class MacOSTest(unittest.TestCase):
    def test_accepts_an_executable_and_a_dylib_for_their_target(self) -> None:
        described = check_binaries.check_binary(fixture("macos-arm64-exe"), "aarch64-apple-darwin", "exe")
        self.assertEqual(described, "Mach-O executable arm64, signed, minimum macOS 11.0, loads /usr/lib/libSystem.B.dylib")
        described = check_binaries.check_binary(
            fixture("macos-x86_64.so"), "x86_64-apple-darwin", "lib", ["PyInit__native"]
        )
        self.assertIn("Mach-O dylib x86_64, minimum macOS 10.12", described)

    def test_rejects_the_wrong_architecture_or_kind(self) -> None:
        with self.assertRaisesRegex(CheckError, "binary is arm64, target is x86_64"):
            check_binaries.check_binary(fixture("macos-arm64-exe"), "x86_64-apple-darwin", "exe")
        with self.assertRaisesRegex(CheckError, r"file type 2, expected 6 \(dylib\)"):
            check_binaries.check_binary(fixture("macos-arm64-exe"), "aarch64-apple-darwin", "lib")

    def test_rejects_a_non_system_library_a_newer_macos_and_a_missing_export(self) -> None:
        with self.assertRaisesRegex(CheckError, "non-system libraries: /opt/homebrew/lib/libfoo.dylib"):
            check_binaries.check_binary(fixture("macos-arm64-libfoo.so"), "aarch64-apple-darwin", "lib")
        with self.assertRaisesRegex(CheckError, "needs macOS 13.0, the target's minimum is 11.0"):
            check_binaries.check_binary(fixture("macos-arm64-13.0.so"), "aarch64-apple-darwin", "lib")
        with self.assertRaisesRegex(CheckError, "does not export uniffi_contract_version"):
            check_binaries.check_binary(
                fixture("macos-arm64.so"), "aarch64-apple-darwin", "lib", ["uniffi_contract_version"]
            )


class WindowsTest(unittest.TestCase):
    def test_accepts_an_executable_importing_system_dlls(self) -> None:
        described = check_binaries.check_binary(fixture("windows-amd64.exe"), "x86_64-pc-windows-gnu", "exe")
        self.assertEqual(described, "PE32+ executable x86_64, imports kernel32.dll, msvcrt.dll")

    def test_rejects_non_system_dlls(self) -> None:
        with self.assertRaisesRegex(CheckError, "imports non-system DLLs: libfoo.dll$"):
            check_binaries.check_binary(fixture("windows-amd64-libfoo.exe"), "x86_64-pc-windows-gnu", "exe")
        # Outside a wheel, python3.dll is not a system DLL either.
        with self.assertRaisesRegex(CheckError, "non-system DLLs: python3.dll"):
            check_binaries.check_binary(fixture("windows-amd64.pyd"), "x86_64-pc-windows-gnu", "lib")

    def test_rejects_the_wrong_kind_or_architecture(self) -> None:
        with self.assertRaisesRegex(CheckError, "a DLL, expected an executable"):
            check_binaries.check_binary(fixture("windows-amd64.pyd"), "x86_64-pc-windows-gnu", "exe")
        with self.assertRaisesRegex(CheckError, "not a DLL"):
            check_binaries.check_binary(fixture("windows-amd64.exe"), "x86_64-pc-windows-gnu", "lib")
        with self.assertRaisesRegex(CheckError, "binary is arm64, target is x86_64"):
            check_binaries.check_binary(fixture("windows-arm64.pyd"), "x86_64-pc-windows-gnu", "lib")

    def test_refuses_a_mach_o_for_windows_and_linux_targets(self) -> None:
        with self.assertRaisesRegex(CheckError, "no MZ header"):
            check_binaries.check_binary(fixture("macos-arm64-exe"), "x86_64-pc-windows-gnu", "exe")
        with self.assertRaisesRegex(CheckError, "no binary check for target x86_64-unknown-linux-musl"):
            check_binaries.check_binary(fixture("macos-arm64-exe"), "x86_64-unknown-linux-musl", "exe")


class MainTest(unittest.TestCase):
    def test_reports_each_file_and_fails_if_one_does(self) -> None:
        good, bad = fixture("windows-amd64.exe"), fixture("windows-amd64-libfoo.exe")
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            self.assertEqual(check_binaries.main(["x86_64-pc-windows-gnu", "exe", good]), 0)
            self.assertEqual(check_binaries.main(["x86_64-pc-windows-gnu", "exe", good, bad]), 1)
        self.assertIn(f"ok    {good}: PE32+ executable", out.getvalue())
        self.assertIn(f"FAIL  {bad}: imports non-system DLLs: libfoo.dll", out.getvalue())
        self.assertIn("1 of 2 binaries failed", err.getvalue())


if __name__ == "__main__":
    unittest.main()
