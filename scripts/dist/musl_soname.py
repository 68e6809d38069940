#!/usr/bin/env python3
"""Name musl's C library as musllinux does in a wheel's native modules, in place.

    musl_soname.py WHEEL ARCH        (ARCH: x86_64 or aarch64)

zig links a musl shared object against its own `libc.so` stub, so the module records
`DT_NEEDED libc.so`. musl's dynamic loader maps any `libc.*` to itself, so both load on Alpine,
but the musllinux policy (PEP 656, auditwheel) and Alpine's own toolchain name the library
`libc.musl-<arch>.so.1`. `patchelf --replace-needed` renames it; the wheel's RECORD gets the new
hash and size. A module that needs anything but libc, or already names it right, is left alone.
"""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from typing import List

ZIG_MUSL_NEEDED = "libc.so"


def needed(path: str) -> List[str]:
    out = subprocess.run(["patchelf", "--print-needed", path], check=True, capture_output=True, text=True).stdout
    return out.split()


def record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def fix(wheel_path: str, arch: str) -> List[str]:
    """Rewrite the wheel; return the members changed."""
    musl = f"libc.musl-{arch}.so.1"
    changed = {}
    with tempfile.TemporaryDirectory() as work, zipfile.ZipFile(wheel_path) as wheel:
        for info in wheel.infolist():
            if not info.filename.endswith(".so"):
                continue
            path = os.path.join(work, "module.so")
            with open(path, "wb") as f:
                f.write(wheel.read(info))
            if ZIG_MUSL_NEEDED not in needed(path):
                continue
            subprocess.run(["patchelf", "--replace-needed", ZIG_MUSL_NEEDED, musl, path], check=True)
            if ZIG_MUSL_NEEDED in needed(path) or musl not in needed(path):
                sys.exit(f"patchelf did not rename {ZIG_MUSL_NEEDED} in {info.filename}")
            with open(path, "rb") as f:
                changed[info.filename] = f.read()
        if not changed:
            return []
        fixed = wheel_path + ".tmp"
        with zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as out:
            for info in wheel.infolist():
                data = changed.get(info.filename)
                if data is None:
                    data = wheel.read(info)
                if info.filename.endswith(".dist-info/RECORD"):
                    lines = data.decode().splitlines()
                    for i, line in enumerate(lines):
                        name = line.rsplit(",", 2)[0]
                        if name in changed:
                            lines[i] = record_line(name, changed[name])
                    data = ("\n".join(lines) + "\n").encode()
                out.writestr(info, data)
    shutil.move(fixed, wheel_path)
    return sorted(changed)


def main(argv: List[str]) -> int:
    if len(argv) != 2 or argv[1] not in ("x86_64", "aarch64"):
        print(__doc__, file=sys.stderr)
        return 2
    for name in fix(argv[0], argv[1]):
        print(f"{name}: DT_NEEDED {ZIG_MUSL_NEEDED} -> libc.musl-{argv[1]}.so.1")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
