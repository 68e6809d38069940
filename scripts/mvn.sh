#!/usr/bin/env bash
# Runs Maven on kotlin/pom.xml with what the POM does not restate: the version of the Cargo
# workspace (-Drevision, from `cargo pkgid`) and the bindings scripts/build-uniffi.sh generated
# (-Duniffi.dir). Arguments go to Maven, e.g. `scripts/mvn.sh test` or `scripts/mvn.sh install`.
# Run scripts/build-uniffi.sh first. Works from any directory.
set -euo pipefail

cd "$(dirname "$0")/.."
command -v mvn >/dev/null 2>&1 || { echo "mvn.sh: mvn (Apache Maven) is required" >&2; exit 2; }

# `path+file:///.../core#cpaas-reseller@0.1.0` (or `...#0.1.0`): the version ends the id.
pkgid="$(cargo pkgid --offline -p cpaas-reseller)"
revision="${pkgid##*[#@]}"
uniffi_dir="$(cd "${CARGO_TARGET_DIR:-target}/uniffi" && pwd)"
exec mvn -B -ntp -f kotlin/pom.xml -Drevision="$revision" -Duniffi.dir="$uniffi_dir" "$@"
