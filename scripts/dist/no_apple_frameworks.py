#!/usr/bin/env python3
"""Fail if a crate that the Python extension (or another package given) builds for macOS links an
Apple framework.

    no_apple_frameworks.py [-p PACKAGE]...      (default: cpaas-reseller-python)

The macOS wheels are linked off a Mac by zig, which has libSystem's stubs but no SDK frameworks: a
dependency that links one (CoreFoundation for local time zones, Security for the platform's
certificate store, SystemConfiguration for proxies) breaks that link. This catches it in seconds,
without a toolchain: it lists the crates in the macOS dependency graph (`cargo tree --target`) and
searches their sources for the two ways Rust links a framework, `kind = "framework"` in a `#[link]`
attribute and `rustc-link-lib=framework=` from a build script.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from typing import Dict, List, Set

TARGETS = ("aarch64-apple-darwin", "x86_64-apple-darwin")
FRAMEWORK_LINK = re.compile(r'kind\s*=\s*"framework"|rustc-link-lib=framework=')


def graph(package: str, target: str) -> Set[str]:
    """Package ids (`name version`) of the normal and build dependencies of `package` on `target`."""
    out = subprocess.run(
        ["cargo", "tree", "--locked", "-p", package, "--target", target, "-e", "normal,build",
         "--prefix", "none", "--format", "{p}"],
        check=True, capture_output=True, text=True,
    ).stdout
    return {" ".join(line.split()[:2]) for line in out.splitlines() if line.strip()}


def manifests() -> Dict[str, str]:
    """Package id (`name vVERSION`) -> directory of its sources, for the whole locked graph."""
    meta = json.loads(
        subprocess.run(
            ["cargo", "metadata", "--locked", "--format-version", "1"], check=True, capture_output=True, text=True
        ).stdout
    )
    return {f"{p['name']} v{p['version']}": os.path.dirname(p["manifest_path"]) for p in meta["packages"]}


def framework_links(directory: str) -> List[str]:
    """`file:line: text` of every framework link in a crate's Rust sources."""
    found = []
    for root, dirs, files in os.walk(directory):
        dirs[:] = [d for d in dirs if d not in ("target", ".git")]
        for name in files:
            if not name.endswith(".rs"):
                continue
            path = os.path.join(root, name)
            with open(path, encoding="utf-8", errors="replace") as f:
                for number, line in enumerate(f, 1):
                    if FRAMEWORK_LINK.search(line):
                        found.append(f"{path}:{number}: {line.strip()}")
    return found


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-p", "--package", action="append", dest="packages")
    args = parser.parse_args(argv)
    dirs = manifests()
    problems = []
    checked: Set[str] = set()
    for package in args.packages or ["cpaas-reseller-python"]:
        for target in TARGETS:
            for crate in sorted(graph(package, target) - checked):
                checked.add(crate)
                for hit in framework_links(dirs[crate]):
                    problems.append(f"{crate} (in {package}'s graph for {target}) links a framework: {hit}")
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 1
    print(f"no Apple framework linked by the {len(checked)} crates built for {' and '.join(TARGETS)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
