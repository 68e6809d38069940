#!/usr/bin/env bash
# Runs dist/jvm's jar in an arm64 JVM: Debian 11's openjdk-17-jre-headless in an arm64 Debian root
# under qemu-user loads the jar's linux-aarch64 library through JNA and runs Smoke.java (compiled
# here by the host's javac) against the library's own emulator, which listens on the loopback it
# shares with the host. Proves the cross-built aarch64 library loads and works; the x86-64 one is
# proven by the Kotlin tests that scripts/dist.sh jvm runs. Run scripts/dist.sh jvm first.
#
#   scripts/dist/verify-jvm.sh [JAR]        provision the root if needed, then run JAR
#                                           (default: the jar in dist/jvm)
#   scripts/dist/verify-jvm.sh --prepare    only provision the root
#
# The root is verify-python.sh's Debian 11 arm64 root (made by it, with binfmt_misc registered)
# copied once and given a JRE, cached in $CPAAS_DIST_CACHE under a lock. Needs root (chroot, mounts).
set -euo pipefail
DIST_FAMILY=verify-jvm
SCRIPT_PATH="$(readlink -f "${BASH_SOURCE[0]}")"
# shellcheck source=common.sh
source "$(dirname "$SCRIPT_PATH")/common.sh"
log() { dist_log "$@"; }
die() { dist_die "$@"; }
# shellcheck source=../lib/debian-root.sh
source "$DIST_REPO_ROOT/scripts/lib/debian-root.sh"

[[ ${EUID} -eq 0 ]] || die "needs root (chroot, bind mounts)"
in_private_mount_ns "$SCRIPT_PATH" "$@"
trap 'cleanup_mounts; [[ -z ${WORK:-} ]] || rm -rf -- "$WORK"' EXIT
exit_on_signals

CACHE="$(dist_cache_dir)"
ROOT="$CACHE/debian11-arm64-jvm"
readonly ROOT_PACKAGES=(openjdk-17-jre-headless)
readonly SPEC="cpaas-debian11-jvm-root v1 bullseye arm64 ${ROOT_PACKAGES[*]}"

# in_root ROOT CMD...: run CMD in ROOT with a clean environment.
in_root() {
    local root=$1
    shift
    chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"
}

copy_base_root() {
    local base="$CACHE/debian11-arm64"
    [[ -z "$(mounts_under "$base")" ]] || die "$base has mounts (a verify-python.sh run?): retry when it is done"
    safe_remove "$ROOT.partial"
    cp -a -- "$base" "$ROOT.partial"
}

provision_root() {
    [[ -f $ROOT/.cpaas-root-spec && "$(cat "$ROOT/.cpaas-root-spec")" == "$SPEC" ]] && return 0
    local start=$SECONDS ilog="$ROOT.partial.apt.log"
    log "provisioning $ROOT: a copy of the Debian 11 arm64 root with ${ROOT_PACKAGES[*]} (one-time)"
    dist_with_lock debian11-arm64 copy_base_root
    bind_at /proc "$ROOT.partial/proc"
    bind_at /dev "$ROOT.partial/dev"
    cp -L /etc/resolv.conf "$ROOT.partial/etc/resolv.conf" 2>/dev/null || true
    # shellcheck disable=SC2016  # "$@" is expanded by the inner bash
    if ! in_root "$ROOT.partial" DEBIAN_FRONTEND=noninteractive bash -c \
        'apt-get update -q && apt-get install -y -q --no-install-recommends "$@" && apt-get clean' \
        bash "${ROOT_PACKAGES[@]}" >"$ilog" 2>&1; then
        tail -n 30 "$ilog" >&2
        die "installing ${ROOT_PACKAGES[*]} in the root failed (full log: $ilog)"
    fi
    rm -f -- "$ilog"
    cleanup_mounts
    printf '%s\n' "$SPEC" >"$ROOT.partial/.cpaas-root-spec"
    safe_remove "$ROOT"
    mv -- "$ROOT.partial" "$ROOT"
    log "arm64 JVM root ready in $((SECONDS - start)) s"
}

# The base root and the qemu-aarch64 binfmt_misc handler, as verify-python.sh makes them.
"$DIST_REPO_ROOT/scripts/dist/verify-python.sh" --prepare aarch64
dist_with_lock debian11-arm64-jvm provision_root
[[ ${1:-} != --prepare ]] || exit 0

if [[ -n ${1:-} ]]; then
    JAR="$(readlink -f -- "$1")"
else
    shopt -s nullglob
    jars=()
    for j in "$DIST_REPO_ROOT"/dist/jvm/cpaas-reseller-*.jar; do
        [[ $j == *-sources.jar || $j == *-javadoc.jar ]] || jars+=("$j")
    done
    shopt -u nullglob
    ((${#jars[@]} == 1)) || die "expected one jar in dist/jvm (run scripts/dist.sh jvm)"
    JAR="${jars[0]}"
fi
[[ -f $JAR ]] || die "no jar at $JAR"
grep -qx 'linux-aarch64/libcpaas_reseller_uniffi.so' <<<"$(unzip -Z1 "$JAR")" || die "$JAR has no linux-aarch64 library"

dist_step "compiling Smoke.java against $(basename "$JAR") and its runtime dependencies"
WORK="$(mktemp -d)"
bash "$DIST_REPO_ROOT/scripts/mvn.sh" -q dependency:build-classpath \
    -Dmdep.includeScope=runtime -Dmdep.outputFile="$WORK/classpath.txt"
mkdir -p "$WORK/lib" "$WORK/classes"
cp -- "$JAR" "$WORK/lib/"
tr ':' '\n' <"$WORK/classpath.txt" | while IFS= read -r dep; do [[ -z $dep ]] || cp -- "$dep" "$WORK/lib/"; done
javac --release 17 -cp "$WORK/lib/*" -d "$WORK/classes" "$DIST_REPO_ROOT/scripts/dist/Smoke.java"

dist_step "arm64 JVM (qemu-user): java -cp $(basename "$JAR") Smoke"
start=$SECONDS
bind_at /proc "$ROOT/proc"
bind_at /dev "$ROOT/dev"
bind_at "$WORK" "$ROOT/opt/smoke"
in_root "$ROOT" sh -c '. /etc/os-release && echo "$PRETTY_NAME, $(uname -m)"; java -version 2>&1 | head -n 1'
# JNA unpacks the library for the JVM's os.arch (aarch64) from the jar: linux-aarch64/.
in_root "$ROOT" java -cp '/opt/smoke/classes:/opt/smoke/lib/*' Smoke
cleanup_mounts
log "arm64 JVM: passed in $((SECONDS - start)) s"
