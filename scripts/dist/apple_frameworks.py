#!/usr/bin/env python3
"""Fail if a crate that the Python extension (or another package given) builds for macOS links an
Apple framework other than the ones stubbed in scripts/dist/macos-frameworks.

    apple_frameworks.py [-p PACKAGE]...      (default: cpaas-reseller-python)

The macOS artifacts are linked off a Mac by zig, which has libSystem's stubs but no SDK frameworks.
scripts/dist/macos-frameworks holds minimal `.tbd` stubs of the frameworks the SDK does use
(Security and CoreFoundation, for the Keychain's trust settings: rustls-native-certs through
security-framework), naming the real install names, so the link succeeds and macOS loads the real
framework at run time. Any other framework (SystemConfiguration for proxies, say) has no stub and
would break that link. This catches it in seconds, without a toolchain: it lists the crates in the
macOS dependency graph with their enabled features (`cargo tree --target -e features`) and searches
their sources for the two ways Rust links a framework, `kind = "framework"` in a `#[link]`
attribute and `rustc-link-lib=framework=` from a build script. A link behind a cargo feature that
no crate enables (security-framework's `job-bless`, which links ServiceManagement) is skipped.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from typing import Dict, List, Optional, Set

TARGETS = ("aarch64-apple-darwin", "x86_64-apple-darwin")
STUBS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "macos-frameworks")
FRAMEWORK_LINK = re.compile(r'kind\s*=\s*"framework"|rustc-link-lib=framework=')
LINK_NAME = re.compile(r'name\s*=\s*"([^"]+)"|rustc-link-lib=framework=([A-Za-z0-9_]+)')
FEATURE_GATE = re.compile(r'feature\s*=\s*"([^"]+)"')


def stubbed() -> Set[str]:
    """The frameworks with a stub: `NAME.framework/NAME.tbd` under STUBS."""
    return {
        entry[: -len(".framework")]
        for entry in os.listdir(STUBS)
        if entry.endswith(".framework") and os.path.isfile(os.path.join(STUBS, entry, entry[: -len(".framework")] + ".tbd"))
    }


def graph(package: str, target: str) -> Dict[str, Set[str]]:
    """Package id (`name vVERSION`) -> enabled features, for the normal and build dependencies of
    `package` on `target`."""
    out = subprocess.run(
        ["cargo", "tree", "--locked", "-p", package, "--target", target, "-e", "normal,build",
         "--prefix", "none", "--format", "{p}|{f}"],
        check=True, capture_output=True, text=True,
    ).stdout
    crates: Dict[str, Set[str]] = {}
    for line in out.splitlines():
        if "|" not in line:
            continue
        crate, features = line.removesuffix(" (*)").split("|", 1)
        crates.setdefault(" ".join(crate.split()[:2]), set()).update(f for f in features.strip().split(",") if f)
    return crates


def manifests() -> Dict[str, str]:
    """Package id (`name vVERSION`) -> directory of its sources, for the whole locked graph."""
    meta = json.loads(
        subprocess.run(
            ["cargo", "metadata", "--locked", "--format-version", "1"], check=True, capture_output=True, text=True
        ).stdout
    )
    return {f"{p['name']} v{p['version']}": os.path.dirname(p["manifest_path"]) for p in meta["packages"]}


def framework_links(directory: str, features: Set[str]) -> List[tuple[str, Optional[str]]]:
    """(`file:line: text`, framework name or None when unreadable) of every active framework link
    in a crate's Rust sources; a link whose attribute (or the three lines before it) names a
    feature that is not enabled is inactive."""
    found = []
    for root, dirs, files in os.walk(directory):
        dirs[:] = [d for d in dirs if d not in ("target", ".git")]
        for name in files:
            if not name.endswith(".rs"):
                continue
            path = os.path.join(root, name)
            with open(path, encoding="utf-8", errors="replace") as f:
                lines = f.readlines()
            for number, line in enumerate(lines, 1):
                if not FRAMEWORK_LINK.search(line):
                    continue
                context = "".join(lines[max(0, number - 4) : number])
                if any(gate not in features for gate in FEATURE_GATE.findall(context)):
                    continue
                match = LINK_NAME.search(line)
                framework = (match.group(1) or match.group(2)) if match else None
                found.append((f"{path}:{number}: {line.strip()}", framework))
    return found


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-p", "--package", action="append", dest="packages")
    args = parser.parse_args(argv)
    allowed = stubbed()
    dirs = manifests()
    problems = []
    linked: Set[str] = set()
    checked: Set[str] = set()
    for package in args.packages or ["cpaas-reseller-python"]:
        for target in TARGETS:
            for crate, features in sorted(graph(package, target).items()):
                if crate in checked:
                    continue
                checked.add(crate)
                for hit, framework in framework_links(dirs[crate], features):
                    if framework in allowed:
                        linked.add(framework)
                    else:
                        what = framework or "a framework whose name this check cannot read"
                        problems.append(f"{crate} (in {package}'s graph for {target}) links {what}, which has no "
                                        f"stub in {os.path.relpath(STUBS)}: {hit}")
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 1
    print(f"the {len(checked)} crates built for {' and '.join(TARGETS)} link only stubbed Apple frameworks: "
          f"{', '.join(sorted(linked)) or 'none'} (stubs: {', '.join(sorted(allowed))})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
