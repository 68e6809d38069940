#!/usr/bin/env python3
"""Check that a cross-built macOS or Windows executable or library is what its target claims, so a
wrong link fails loudly although it cannot run here.

    check_binaries.py [--export SYMBOL]... TARGET KIND FILE...

TARGET is a Rust target triple (``x86_64-apple-darwin``, ``aarch64-apple-darwin``,
``x86_64-pc-windows-gnu``...), KIND ``exe`` or ``lib``.

- macOS: a thin 64-bit Mach-O executable (or dylib) of the triple's architecture, whose minimum
  macOS is not newer than Rust's for that target (10.12 for x86_64, 11.0 for arm64), that loads
  only the system's libraries (check_wheels' ``/usr/lib``, ``/System/Library``: libSystem, and the
  libiconv and libcharset Rust's std links; of the frameworks, only those stubbed in
  ``macos-frameworks``, as zig links without an SDK) and, on arm64, carries a code signature.
- Windows: a PE32+ executable (or DLL) of the triple's architecture that imports only Windows
  system DLLs (no mingw runtime such as libwinpthread-1.dll, which a user would not have).

``--export`` names symbols the binary must export (a library's entry points). The Mach-O and PE
readers are check_wheels.py's; this applies them to binaries outside wheels.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Dict, List, Optional, Sequence

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from check_wheels import (  # noqa: E402
    MH_DYLIB,
    WINDOWS_API_SET,
    WINDOWS_SYSTEM_DLLS,
    CheckError,
    macho_verdict,
    parse_macho,
    parse_pe,
)

MH_EXECUTE = 2
#: Rust's minimum macOS per architecture (what the dist scripts set MACOSX_DEPLOYMENT_TARGET to).
MACOS_MINIMUM = {"x86_64": (10, 12), "arm64": (11, 0)}
TRIPLE_ARCHES = {"x86_64": "x86_64", "aarch64": "arm64"}
KINDS = ("exe", "lib")


def _arch(triple: str) -> str:
    arch = TRIPLE_ARCHES.get(triple.split("-", 1)[0])
    if arch is None:
        raise CheckError(f"unsupported architecture in target {triple}")
    return arch


def check_macos(data: bytes, triple: str, kind: str, exports: Sequence[str] = ()) -> str:
    """Check a Mach-O image for an `*-apple-darwin` triple; describe it if it passes."""
    arch = _arch(triple)
    image = parse_macho(data)
    problems = []
    if image.arch != arch:
        problems.append(f"binary is {image.arch}, target is {arch}")
    want = MH_EXECUTE if kind == "exe" else MH_DYLIB
    if image.filetype != want:
        problems.append(f"Mach-O file type {image.filetype}, expected {want} ({'executable' if kind == 'exe' else 'dylib'})")
    if image.min_macos > MACOS_MINIMUM[arch]:
        problems.append(f"needs macOS {image.min_macos[0]}.{image.min_macos[1]}, the target's minimum is "
                        f"{MACOS_MINIMUM[arch][0]}.{MACOS_MINIMUM[arch][1]}")
    return macho_verdict(image, problems, exports, f"Mach-O {'executable' if kind == 'exe' else 'dylib'}")


def check_windows(data: bytes, triple: str, kind: str, exports: Sequence[str] = ()) -> str:
    """Check a PE image for a `*-pc-windows-*` triple; describe it if it passes."""
    arch = _arch(triple)
    image = parse_pe(data)
    problems = []
    if image.arch != arch or not image.pe32_plus:
        problems.append(f"binary is {image.arch}{'' if image.pe32_plus else ' (PE32)'}, target is {arch}")
    if image.is_dll != (kind == "lib"):
        problems.append("a DLL, expected an executable" if image.is_dll else "not a DLL")
    lowered = sorted({name.lower() for name in image.imports})
    foreign = [name for name in lowered if name not in WINDOWS_SYSTEM_DLLS and not WINDOWS_API_SET.match(name)]
    if foreign:
        problems.append(f"imports non-system DLLs: {', '.join(foreign)}")
    missing = [symbol for symbol in exports if symbol not in image.exports]
    if missing:
        problems.append(f"does not export {', '.join(missing)}")
    if problems:
        raise CheckError("; ".join(problems))
    return f"PE32+ {'DLL' if image.is_dll else 'executable'} {image.arch}, imports {', '.join(lowered)}"


def check_binary(path: str, triple: str, kind: str, exports: Sequence[str] = ()) -> str:
    """Check one file for `triple`; return a one-line description, or raise CheckError."""
    if kind not in KINDS:
        raise CheckError(f"kind {kind!r}, expected one of {', '.join(KINDS)}")
    with open(path, "rb") as f:
        data = f.read()
    if triple.endswith("-apple-darwin"):
        return check_macos(data, triple, kind, exports)
    if "-pc-windows-" in triple:
        return check_windows(data, triple, kind, exports)
    raise CheckError(f"no binary check for target {triple} (Linux binaries are run instead)")


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--export", action="append", default=[], metavar="SYMBOL")
    parser.add_argument("target")
    parser.add_argument("kind", choices=KINDS)
    parser.add_argument("files", nargs="+", metavar="FILE")
    args = parser.parse_args(argv)
    failures: Dict[str, str] = {}
    for path in args.files:
        try:
            print(f"ok    {path}: {check_binary(path, args.target, args.kind, args.export)}")
        except (CheckError, OSError) as error:
            failures[path] = str(error)
            print(f"FAIL  {path}: {error}")
    if failures:
        print(f"{len(failures)} of {len(args.files)} binaries failed", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
