#!/usr/bin/env python3
"""Check that each wheel's binary is what its file name claims, so a wrong link fails loudly.

    check_wheels.py WHEEL...

Every wheel: tags cp39-abi3 in the file name and in its WHEEL file, and exactly one native module
``cpaas_reseller/_native`` with the platform's file name.

- Linux (manylinux / musllinux): ``auditwheel show`` (on PATH) must report a tag at least as old as
  the one claimed (a manylinux_2_17 wheel needing glibc 2.28 symbols fails, and so does a musllinux
  wheel that needs any library but ``libc.musl-<arch>.so.1``).
- macOS: a 64-bit Mach-O bundle or dylib of the tag's architecture, whose minimum macOS (the
  build-version load command) is not newer than the tag's, that loads only the system's libraries
  (``/usr/lib``, ``/System/Library``: libSystem, libiconv), exports ``PyInit__native`` and, on
  arm64, carries a code signature (macOS refuses unsigned arm64 code).
- Windows: a PE32+ DLL of the tag's architecture that imports only Windows system DLLs and
  ``python3.dll`` (the stable ABI; never ``python3X.dll``), and exports ``PyInit__native``.

The Mach-O and PE readers below are small on purpose: they read the headers and load commands /
import tables the checks need and refuse anything else. Standard library only.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from typing import Dict, FrozenSet, List, Optional, Sequence, Tuple

MODULE = "cpaas_reseller/_native"
INIT_SYMBOL = "PyInit__native"


class CheckError(Exception):
    """A wheel or binary that does not match what it claims."""


def _unpack(fmt: str, data: bytes, offset: int) -> Tuple[int, ...]:
    size = struct.calcsize(fmt)
    if offset < 0 or offset + size > len(data):
        raise CheckError(f"truncated binary: {size} bytes at offset {offset} past the end ({len(data)})")
    return struct.unpack_from(fmt, data, offset)


def _cstring(data: bytes, offset: int) -> str:
    end = data.find(b"\0", offset)
    if offset < 0 or offset >= len(data) or end < 0:
        raise CheckError(f"string at offset {offset} is outside the binary")
    return data[offset:end].decode("utf-8", "replace")


# ------------------------------------------------------------------------------------------ Mach-O

MH_MAGIC_64 = 0xFEEDFACF
FAT_MAGICS = (0xCAFEBABE, 0xBEBAFECA, 0xCAFEBABF, 0xBFBAFECA)
MACHO_CPUS = {0x01000007: "x86_64", 0x0100000C: "arm64"}
MH_DYLIB, MH_BUNDLE = 6, 8
LC_SYMTAB = 0x2
LC_VERSION_MIN_MACOSX = 0x24
LC_BUILD_VERSION = 0x32
LC_CODE_SIGNATURE = 0x1D
PLATFORM_MACOS = 1
# Every load command that makes dyld load another image.
LC_DYLIB_LOADS = {
    0xC: "LC_LOAD_DYLIB",
    0x80000018: "LC_LOAD_WEAK_DYLIB",
    0x8000001F: "LC_REEXPORT_DYLIB",
    0x20: "LC_LAZY_LOAD_DYLIB",
    0x80000023: "LC_LOAD_UPWARD_DYLIB",
}
N_EXT, N_TYPE_MASK, N_SECT, N_STAB_MASK = 0x01, 0x0E, 0x0E, 0xE0

#: Where macOS keeps its own libraries: /usr/lib (libSystem, and libiconv that Rust's std links)
#: and /System/Library are part of the sealed system volume, so nothing else is installed there.
#: Python's own symbols resolve at load time (`-undefined dynamic_lookup`): no libpython appears.
MACOS_SYSTEM_PREFIXES = ("/usr/lib/", "/System/Library/")
MACOS_FRAMEWORKS = "/System/Library/Frameworks/"
#: The stubs zig links the macOS images against (see apple_frameworks.py): the only frameworks an
#: image may load.
MACOS_FRAMEWORK_STUBS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "macos-frameworks")


def stubbed_frameworks() -> FrozenSet[str]:
    """The install names of the framework stubs (`install-name:` of each `.tbd`)."""
    names = set()
    for root, _, files in os.walk(MACOS_FRAMEWORK_STUBS):
        for name in files:
            if name.endswith(".tbd"):
                with open(os.path.join(root, name), encoding="utf-8") as f:
                    found = re.search(r"^install-name:\s*'([^']+)'", f.read(), re.M)
                if found:
                    names.add(found.group(1))
    return frozenset(names)


@dataclass(frozen=True)
class MachO:
    arch: str
    filetype: int
    dylibs: Tuple[str, ...]
    min_macos: Tuple[int, int]
    exports: FrozenSet[str]
    signed: bool


def _macos_version(packed: int) -> Tuple[int, int]:
    return packed >> 16, (packed >> 8) & 0xFF


def parse_macho(data: bytes) -> MachO:
    """Read a thin 64-bit little-endian Mach-O image."""
    (magic,) = _unpack(">I", data, 0)
    if magic in FAT_MAGICS:
        raise CheckError("universal (fat) Mach-O: expected one thin binary per wheel")
    (magic, cputype, _sub, filetype, ncmds, sizeofcmds, _flags, _res) = _unpack("<IiiIIIII", data, 0)
    if magic != MH_MAGIC_64:
        raise CheckError(f"not a 64-bit Mach-O file (magic {magic:#010x})")
    arch = MACHO_CPUS.get(cputype & 0xFFFFFFFF)
    if arch is None:
        raise CheckError(f"unknown Mach-O CPU type {cputype & 0xFFFFFFFF:#x}")
    dylibs: List[str] = []
    min_macos: Optional[Tuple[int, int]] = None
    exports: FrozenSet[str] = frozenset()
    signed = False
    offset, end = 32, 32 + sizeofcmds
    for _ in range(ncmds):
        cmd, cmdsize = _unpack("<II", data, offset)
        if cmdsize < 8 or offset + cmdsize > end:
            raise CheckError(f"malformed load command {cmd:#x} at offset {offset}")
        if cmd in LC_DYLIB_LOADS:
            (name_offset,) = _unpack("<I", data, offset + 8)
            dylibs.append(_cstring(data[: offset + cmdsize], offset + name_offset))
        elif cmd == LC_BUILD_VERSION:
            platform, minos = _unpack("<II", data, offset + 8)
            if platform != PLATFORM_MACOS:
                raise CheckError(f"built for Apple platform {platform}, not macOS (1)")
            min_macos = _macos_version(minos)
        elif cmd == LC_VERSION_MIN_MACOSX:
            (version,) = _unpack("<I", data, offset + 8)
            min_macos = _macos_version(version)
        elif cmd == LC_SYMTAB:
            exports = _macho_exports(data, offset)
        elif cmd == LC_CODE_SIGNATURE:
            signed = True
        offset += cmdsize
    if min_macos is None:
        raise CheckError("no minimum macOS version (LC_BUILD_VERSION / LC_VERSION_MIN_MACOSX)")
    return MachO(arch, filetype, tuple(dylibs), min_macos, exports, signed)


def _macho_exports(data: bytes, command_offset: int) -> FrozenSet[str]:
    """External symbols defined in a section, without the C leading underscore."""
    symoff, nsyms, stroff, _strsize = _unpack("<IIII", data, command_offset + 8)
    names = set()
    for i in range(nsyms):
        strx, ntype, _sect, _desc, _value = _unpack("<IBBHQ", data, symoff + 16 * i)
        if ntype & N_STAB_MASK == 0 and ntype & N_EXT and ntype & N_TYPE_MASK == N_SECT:
            name = _cstring(data, stroff + strx)
            names.add(name[1:] if name.startswith("_") else name)
    return frozenset(names)


# --------------------------------------------------------------------------------------------- PE

PE_MACHINES = {0x8664: "x86_64", 0xAA64: "arm64", 0x14C: "x86"}
IMAGE_FILE_DLL = 0x2000
PE32_PLUS = 0x20B
DIR_EXPORT, DIR_IMPORT = 0, 1

#: DLLs in System32 on every supported Windows, which a Rust extension built for windows-gnu may
#: import (the C runtime msvcrt/UCRT, Win32, Winsock, CNG random numbers), plus the API sets.
WINDOWS_SYSTEM_DLLS = frozenset(
    {
        "advapi32.dll",
        "bcrypt.dll",
        "bcryptprimitives.dll",
        "crypt32.dll",
        "dbghelp.dll",
        "iphlpapi.dll",
        "kernel32.dll",
        "msvcrt.dll",
        "ncrypt.dll",
        "ntdll.dll",
        "ole32.dll",
        "oleaut32.dll",
        "psapi.dll",
        "secur32.dll",
        "shell32.dll",
        "ucrtbase.dll",
        "user32.dll",
        "userenv.dll",
        "ws2_32.dll",
    }
)
WINDOWS_API_SET = re.compile(r"^(api|ext)-ms-win-[a-z0-9-]+\.dll$")
#: The stable-ABI Python DLL an abi3 extension must import (a `python3X.dll` would pin one version).
PYTHON_DLL = "python3.dll"


@dataclass(frozen=True)
class PE:
    arch: str
    is_dll: bool
    pe32_plus: bool
    imports: Tuple[str, ...]
    exports: FrozenSet[str]


def parse_pe(data: bytes) -> PE:
    """Read a PE image's header, sections, import and export tables.

    Delay-loaded DLLs are not read: GNU ld (mingw-w64, which links these wheels) records none in
    the delay-import directory, and Rust's windows-gnu code does not delay-load.
    """
    if data[:2] != b"MZ":
        raise CheckError("not a PE file (no MZ header)")
    (pe_offset,) = _unpack("<I", data, 0x3C)
    if data[pe_offset : pe_offset + 4] != b"PE\0\0":
        raise CheckError("not a PE file (no PE signature)")
    coff = pe_offset + 4
    machine, nsections, _ts, _sym, _nsym, opt_size, characteristics = _unpack("<HHIIIHH", data, coff)
    arch = PE_MACHINES.get(machine, f"machine {machine:#x}")
    opt = coff + 20
    (magic,) = _unpack("<H", data, opt)
    dirs_at = opt + (112 if magic == PE32_PLUS else 96)
    (ndirs,) = _unpack("<I", data, dirs_at - 4)
    dirs = [_unpack("<II", data, dirs_at + 8 * i) for i in range(min(ndirs, 16))]
    sections = [_unpack("<8sIIII", data, opt + opt_size + 40 * i) for i in range(nsections)]

    def at(rva: int) -> int:
        for _name, vsize, va, rawsize, rawptr in sections:
            if va <= rva < va + max(vsize, rawsize):
                return rawptr + rva - va
        raise CheckError(f"address {rva:#x} is in no section")

    def directory(index: int) -> Optional[int]:
        if index >= len(dirs) or dirs[index][0] == 0:
            return None
        return at(dirs[index][0])

    imports: List[str] = []
    offset = directory(DIR_IMPORT)
    while offset is not None:
        original_thunk, _ts, _fwd, name_rva, first_thunk = _unpack("<IIIII", data, offset)
        if (original_thunk, name_rva, first_thunk) == (0, 0, 0):
            break
        imports.append(_cstring(data, at(name_rva)))
        offset += 20

    exports: FrozenSet[str] = frozenset()
    offset = directory(DIR_EXPORT)
    if offset is not None:
        (count,) = _unpack("<I", data, offset + 24)
        (names_rva,) = _unpack("<I", data, offset + 32)
        names_at = at(names_rva) if count else 0
        exports = frozenset(_cstring(data, at(_unpack("<I", data, names_at + 4 * i)[0])) for i in range(count))
    return PE(arch, bool(characteristics & IMAGE_FILE_DLL), magic == PE32_PLUS, tuple(imports), exports)


# ----------------------------------------------------------------------------------------- checks

TAG_ARCHES = {"x86_64": "x86_64", "arm64": "arm64", "amd64": "x86_64"}


def check_macos_binary(data: bytes, tag: str) -> str:
    """Check a Mach-O image against a `macosx_<major>_<minor>_<arch>` tag; describe it if it passes."""
    match = re.fullmatch(r"macosx_(\d+)_(\d+)_(\w+)", tag)
    if not match or match.group(3) not in TAG_ARCHES:
        raise CheckError(f"not a single-architecture macOS tag: {tag}")
    tag_version = (int(match.group(1)), int(match.group(2)))
    image = parse_macho(data)
    problems = []
    if image.arch != TAG_ARCHES[match.group(3)]:
        problems.append(f"binary is {image.arch}, tag says {match.group(3)}")
    if image.filetype not in (MH_BUNDLE, MH_DYLIB):
        problems.append(f"Mach-O file type {image.filetype} is not a bundle or dylib")
    if image.min_macos > tag_version:
        problems.append(f"needs macOS {image.min_macos[0]}.{image.min_macos[1]}, tag says {tag_version[0]}.{tag_version[1]}")
    return macho_verdict(image, problems, [INIT_SYMBOL], "Mach-O")


def macho_verdict(image: MachO, problems: List[str], exports: Sequence[str], label: str) -> str:
    """Add the checks every shipped Mach-O image must pass to `problems` (system libraries only, the
    given exports, a signature on arm64), raise if there are any, else describe the image."""
    foreign = [lib for lib in image.dylibs if not lib.startswith(MACOS_SYSTEM_PREFIXES)]
    if foreign:
        problems.append(f"loads non-system libraries: {', '.join(foreign)}")
    stubbed = stubbed_frameworks()
    unstubbed = [lib for lib in image.dylibs if lib.startswith(MACOS_FRAMEWORKS) and lib not in stubbed]
    if unstubbed:
        problems.append(f"loads frameworks without a stub in scripts/dist/macos-frameworks: {', '.join(unstubbed)}")
    missing = [symbol for symbol in exports if symbol not in image.exports]
    if missing:
        problems.append(f"does not export {', '.join(missing)}")
    if image.arch == "arm64" and not image.signed:
        # arm64 macOS refuses to map unsigned code; the linker's ad-hoc signature is enough.
        problems.append("arm64 image without a code signature (LC_CODE_SIGNATURE)")
    if problems:
        raise CheckError("; ".join(problems))
    return (
        f"{label} {image.arch}{', signed' if image.signed else ''}, minimum macOS "
        f"{image.min_macos[0]}.{image.min_macos[1]}, loads {', '.join(image.dylibs)}"
    )


def check_windows_binary(data: bytes, tag: str) -> str:
    """Check a PE image against a `win_amd64` / `win_arm64` tag; describe it if it passes."""
    match = re.fullmatch(r"win_(amd64|arm64)", tag)
    if not match:
        raise CheckError(f"not a 64-bit Windows tag: {tag}")
    image = parse_pe(data)
    problems = []
    if image.arch != TAG_ARCHES[match.group(1)] or not image.pe32_plus:
        problems.append(f"binary is {image.arch}{'' if image.pe32_plus else ' (PE32)'}, tag says {match.group(1)}")
    if not image.is_dll:
        problems.append("not a DLL")
    lowered = [name.lower() for name in image.imports]
    foreign = [
        name
        for name, low in zip(image.imports, lowered)
        if low != PYTHON_DLL and low not in WINDOWS_SYSTEM_DLLS and not WINDOWS_API_SET.match(low)
    ]
    if foreign:
        problems.append(f"imports non-system DLLs: {', '.join(foreign)}")
    if PYTHON_DLL not in lowered:
        problems.append(f"does not import {PYTHON_DLL} (the stable ABI)")
    if INIT_SYMBOL not in image.exports:
        problems.append(f"does not export {INIT_SYMBOL}")
    if problems:
        raise CheckError("; ".join(problems))
    return f"PE32+ DLL {image.arch}, imports {', '.join(sorted(set(lowered)))}"


LINUX_TAG = re.compile(r"(manylinux|musllinux)_(\d+)_(\d+)_(\w+)")
LEGACY_MANYLINUX = {"manylinux2014": "manylinux_2_17", "manylinux2010": "manylinux_2_12", "manylinux1": "manylinux_2_5"}


def modern_linux_tag(tag: str) -> str:
    """The PEP 600 spelling of a legacy manylinux tag (`manylinux2014_x86_64` -> `manylinux_2_17_x86_64`)."""
    for legacy, modern in LEGACY_MANYLINUX.items():
        if tag.startswith(legacy + "_"):
            return modern + tag[len(legacy) :]
    return tag


def normalize_linux_tag(tag: str) -> Tuple[str, Tuple[int, int], str]:
    """(`manylinux`|`musllinux`, libc version, arch) of a Linux platform tag, legacy aliases included."""
    match = LINUX_TAG.fullmatch(modern_linux_tag(tag))
    if not match:
        raise CheckError(f"not a manylinux or musllinux tag: {tag}")
    return match.group(1), (int(match.group(2)), int(match.group(3))), match.group(4)


def check_auditwheel_report(report: str, claimed_tags: List[str]) -> str:
    """Compare `auditwheel show` output with the Linux tags the wheel claims.

    auditwheel names the most compatible tag the binary is consistent with; every claimed tag must
    be of the same family and architecture and need at least that libc version.
    """
    found = re.search(r'consistent\s+with\s+the\s+following\s+platform\s+tag:\s*"([^"]+)"', report)
    if not found:
        raise CheckError(f"no platform tag in auditwheel's report:\n{report.strip()}")
    actual = found.group(1)
    if not LINUX_TAG.fullmatch(actual):
        raise CheckError(f"auditwheel finds the binary consistent only with {actual!r}:\n{report.strip()}")
    family, version, arch = normalize_linux_tag(actual)
    for tag in claimed_tags:
        claimed_family, claimed_version, claimed_arch = normalize_linux_tag(tag)
        if (claimed_family, claimed_arch) != (family, arch) or claimed_version < version:
            raise CheckError(f"tag {tag} claims more than the binary allows: auditwheel says {actual}")
    return f"auditwheel: consistent with {actual}"


def wheel_tags(filename: str) -> Tuple[str, str, List[str]]:
    """(python tag, abi tag, platform tags) from a wheel file name."""
    parts = filename[: -len(".whl")].split("-") if filename.endswith(".whl") else []
    if len(parts) not in (5, 6):
        raise CheckError(f"not a wheel file name: {filename}")
    return parts[-3], parts[-2], parts[-1].split(".")


def check_wheel(path: str, auditwheel: str = "auditwheel") -> str:
    """Check one wheel; return a one-line description, or raise CheckError."""
    filename = path.replace("\\", "/").rsplit("/", 1)[-1]
    python_tag, abi_tag, platforms = wheel_tags(filename)
    if (python_tag, abi_tag) != ("cp39", "abi3"):
        raise CheckError(f"tags {python_tag}-{abi_tag}, expected cp39-abi3")
    with zipfile.ZipFile(path) as wheel:
        names = wheel.namelist()
        wheel_files = [n for n in names if re.fullmatch(r"[^/]+\.dist-info/WHEEL", n)]
        if len(wheel_files) != 1:
            raise CheckError("no single .dist-info/WHEEL file")
        declared = sorted(re.findall(r"^Tag: (\S+)$", wheel.read(wheel_files[0]).decode(), re.M))
        expected = sorted(f"{python_tag}-{abi_tag}-{platform}" for platform in platforms)
        if declared != expected:
            raise CheckError(f"WHEEL declares {declared}, file name says {expected}")
        natives = [n for n in names if n.startswith(MODULE) and n.endswith((".so", ".pyd", ".dylib", ".dll"))]
        windows = platforms[0].startswith("win")
        want = MODULE + (".pyd" if windows else ".abi3.so")
        if natives != [want]:
            raise CheckError(f"native module files {natives}, expected [{want!r}]")
        data = wheel.read(want)

    if platforms[0].startswith("macosx"):
        details = [check_macos_binary(data, tag) for tag in platforms]
        return details[0]
    if windows:
        return "; ".join(check_windows_binary(data, tag) for tag in platforms)
    if not all(LINUX_TAG.fullmatch(modern_linux_tag(tag)) for tag in platforms):
        raise CheckError(f"unsupported platform tags {platforms}")
    command = [auditwheel, "show", path]
    if platforms[0].startswith("musllinux"):
        # Search no host directory: on a glibc host auditwheel would take glibc's `libc.so` (a
        # linker script) for musl's. musllinux allows only musl's libc, which needs no lookup.
        empty = tempfile.mkdtemp()
        command[2:2] = ["--ldpaths", empty]
    run = subprocess.run(command, capture_output=True, text=True)
    if platforms[0].startswith("musllinux"):
        os.rmdir(empty)
    if run.returncode != 0:
        raise CheckError(f"auditwheel show failed ({run.returncode}):\n{run.stdout}{run.stderr}")
    return check_auditwheel_report(run.stdout, platforms)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("wheels", nargs="+", metavar="WHEEL")
    parser.add_argument(
        "--auditwheel",
        default=shutil.which("auditwheel") or os.path.join(os.path.dirname(sys.executable), "auditwheel"),
        help="auditwheel executable (default: on PATH, else beside this Python)",
    )
    args = parser.parse_args(argv)
    failures: Dict[str, str] = {}
    for path in args.wheels:
        try:
            print(f"ok    {path}: {check_wheel(path, args.auditwheel)}")
        except (CheckError, OSError, zipfile.BadZipFile) as error:
            failures[path] = str(error)
            print(f"FAIL  {path}: {error}")
    if failures:
        print(f"{len(failures)} of {len(args.wheels)} wheels failed", file=sys.stderr)
        return 1
    print(f"all {len(args.wheels)} wheels match their tags")
    return 0


if __name__ == "__main__":
    sys.exit(main())
