#!/usr/bin/env bash
# Writes the Swift package a release tag carries, into OUT_DIR:
#   OUT_DIR/Package.swift                 a binaryTarget for the released XCFramework zip (URL and
#                                         SwiftPM checksum) and the generated Swift as a regular target
#   OUT_DIR/Sources/CpaasReseller/...     swift/Sources/CpaasReseller, generated sources included
# SwiftPM resolves a package by tag only with Package.swift at the repository root, and the generated
# Swift is a build output that main does not commit, so the release workflow commits OUT_DIR's files
# on a detached commit and tags that commit X.Y.Z; main keeps swift/Package.swift, which links the
# library from a local build for the tests.
#
# Usage: scripts/swift-release-package.sh --url URL --checksum HEX [--native-libs "FLAGS"] OUT_DIR
#   --native-libs  what `rustc --print native-static-libs` printed for the Apple static library
#                  (`-liconv -lSystem -framework Security ...`), turned into linker settings
# Run from anywhere, after scripts/prepare-swift.sh.
set -euo pipefail

cd "$(dirname "$0")/.."
die() { printf 'swift-release-package: error: %s\n' "$*" >&2; exit 2; }

url="" checksum="" native_libs="" out=""
while (($#)); do
    case "$1" in
        --url) url="${2-}"; shift 2 ;;
        --checksum) checksum="${2-}"; shift 2 ;;
        --native-libs) native_libs="${2-}"; shift 2 ;;
        -*) die "unknown option $1" ;;
        *) [[ -z $out ]] || die "one OUT_DIR only"; out="$1"; shift ;;
    esac
done
[[ -n $out ]] || die "usage: $0 --url URL --checksum HEX [--native-libs FLAGS] OUT_DIR"
[[ $url == https://*.zip ]] || die "--url must be an https URL of a .zip: ${url:-none}"
[[ $checksum =~ ^[0-9a-f]{64}$ ]] || die "--checksum must be SwiftPM's 64 hex digits: ${checksum:-none}"
[[ $url != *'"'* && $url != *'\'* ]] || die "--url must not contain quotes or backslashes"
sources=swift/Sources/CpaasReseller
[[ -f $sources/Generated/CpaasReseller.swift ]] || die "no generated Swift in $sources: run scripts/prepare-swift.sh"

# -lfoo -> .linkedLibrary("foo"), -framework Foo -> .linkedFramework("Foo"); anything else is refused
# rather than dropped, so a new kind of flag is noticed.
settings=()
read -r -a flags <<<"$native_libs"
for ((i = 0; i < ${#flags[@]}; i++)); do
    flag="${flags[i]}"
    case "$flag" in
        -l?*) settings+=(".linkedLibrary(\"${flag#-l}\")") ;;
        -framework)
            ((i + 1 < ${#flags[@]})) || die "-framework without a name in --native-libs"
            i=$((i + 1)); settings+=(".linkedFramework(\"${flags[i]}\")") ;;
        *) die "--native-libs: cannot express $flag in Package.swift" ;;
    esac
done
for setting in ${settings[@]+"${settings[@]}"}; do
    [[ $setting =~ ^\.linked(Library|Framework)\(\"[A-Za-z0-9_.+-]+\"\)$ ]] || die "unexpected name in $setting"
done
linker=""
if ((${#settings[@]})); then
    joined="$(IFS=,; printf '%s' "${settings[*]}")"
    linker=", linkerSettings: [${joined//,/, }]"
fi

mkdir -p "$out/Sources"
rm -rf "$out/Sources/CpaasReseller"
cp -R "$sources" "$out/Sources/CpaasReseller"
cat >"$out/Package.swift" <<EOF
// swift-tools-version:6.0
// The cpaas-reseller Swift package of this release, written by scripts/swift-release-package.sh: the
// Rust library as a prebuilt XCFramework (iOS, iOS simulator, macOS) and its generated Swift bindings.
import PackageDescription

let package = Package(
    name: "CpaasReseller",
    platforms: [.macOS(.v12), .iOS(.v15)],
    products: [
        .library(name: "CpaasReseller", targets: ["CpaasReseller"])
    ],
    targets: [
        .binaryTarget(
            name: "CpaasResellerFFI",
            url: "$url",
            checksum: "$checksum"
        ),
        .target(name: "CpaasReseller", dependencies: ["CpaasResellerFFI"], path: "Sources/CpaasReseller"$linker),
    ],
    swiftLanguageModes: [.v6]
)
EOF
printf 'swift-release-package: wrote %s/Package.swift and %s/Sources/CpaasReseller\n' "$out" "$out" >&2
