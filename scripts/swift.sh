#!/usr/bin/env bash
# Run the Swift toolchain for this repository: scripts/swift.sh <swift args...>
#   e.g. scripts/swift.sh test --package-path swift      (run from the repo root)
#
# If a working `swift` is on PATH it is used directly. Otherwise (Debian 12 has no
# Swift package) a Debian 13 (trixie) root with Debian's `swiftlang` is provisioned
# once, cached outside the repo, and swift runs chrooted inside it with /proc, /dev
# and the repo bind-mounted at the same absolute paths, so absolute paths
# (-L /work/main/target/debug, LD_LIBRARY_PATH) mean the same inside and outside.
# Needs root for that path (CI runs as root).
#
# Environment:
#   CPAAS_SWIFT_ROOT          cached root (default /var/cache/cpaas-reseller/swift-trixie)
#   CPAAS_SWIFT_MIRROR        Debian mirror for the root (default: the host's apt mirror;
#                             required when the host's apt sources name none)
#   CPAAS_SWIFT_EXTRA_MOUNTS  space-separated absolute dirs also bound at the same path
#   CPAAS_*, LD_LIBRARY_PATH  passed through to swift inside the root
set -euo pipefail

# Bump ROOT_SPEC when the package set changes: a root whose marker differs is rebuilt.
readonly ROOT_PACKAGES=(swiftlang libc6-dev libstdc++-14-dev)
readonly ROOT_SPEC="cpaas-swift-root v1 trixie ${ROOT_PACKAGES[*]}"
readonly MARKER_NAME=.cpaas-swift-root-ready

log() { printf 'swift.sh: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# 1. A working swift on PATH wins.
if command -v swift >/dev/null 2>&1 && swift --version >/dev/null 2>&1; then
    exec swift "$@"
fi

SCRIPT_PATH="$(readlink -f "${BASH_SOURCE[0]}")"
REPO_ROOT="$(cd "$(dirname "$SCRIPT_PATH")/.." && pwd -P)"
ROOT="${CPAAS_SWIFT_ROOT:-/var/cache/cpaas-reseller/swift-trixie}"
ROOT="${ROOT%/}"
case "$ROOT" in /?*) ;; *) die "CPAAS_SWIFT_ROOT must be an absolute path: $ROOT" ;; esac
PARTIAL="${ROOT}.partial"
LOCK_FILE="${ROOT}.lock"

[[ ${EUID} -eq 0 ]] || die "no swift on PATH; provisioning/using the Swift root at $ROOT needs root"
export DEBIAN_FRONTEND=noninteractive

# Work in a private mount namespace when possible: every mount made below then
# disappears with this process, even on SIGKILL, and concurrent runs can't unmount
# each other's mounts. Without unshare, the trap-based cleanup below does the job.
if [[ -z ${CPAAS_SWIFT_IN_NS:-} ]] && command -v unshare >/dev/null 2>&1 \
    && unshare --mount --propagation private true 2>/dev/null; then
    CPAAS_SWIFT_IN_NS=1 exec unshare --mount --propagation private -- "$SCRIPT_PATH" "$@"
fi

# Mount helpers and host_debian_mirror (shared with scripts/dist/verify-python.sh).
# shellcheck source=lib/debian-root.sh
source "$(dirname "$SCRIPT_PATH")/lib/debian-root.sh"
trap cleanup_mounts EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# ------------------------------------------------------------- provisioning
root_ready() {
    # /usr/bin/swift is an absolute symlink (valid only inside the root): test -L, not -x.
    [[ -f $1/$MARKER_NAME && "$(cat "$1/$MARKER_NAME")" == "$ROOT_SPEC" && -L $1/usr/bin/swift ]]
}

provision_root() {
    local mirror start include=()
    start=$SECONDS
    mirror="${CPAAS_SWIFT_MIRROR:-$(host_debian_mirror || true)}"
    [[ -n $mirror ]] || die "no Debian mirror in the host's apt sources: set CPAAS_SWIFT_MIRROR"
    log "provisioning Swift toolchain in $ROOT (one-time, ~2 min; mirror $mirror)"

    if ! command -v debootstrap >/dev/null 2>&1; then
        log "installing debootstrap on the host"
        apt-get update -qq >&2
        apt-get install -y -qq debootstrap >/dev/null
    fi

    safe_remove "$PARTIAL"   # leftovers of an interrupted run
    mkdir -p "$(dirname "$ROOT")"
    if [[ $mirror == https:* ]]; then include=(--include=ca-certificates); fi
    log "debootstrap trixie into $PARTIAL"
    local dlog="${PARTIAL}.debootstrap.log"
    if ! debootstrap --variant=minbase "${include[@]}" trixie "$PARTIAL" "$mirror" >"$dlog" 2>&1; then
        tail -n 30 "$dlog" >&2
        if [[ -f $PARTIAL/debootstrap/debootstrap.log ]]; then tail -n 30 "$PARTIAL/debootstrap/debootstrap.log" >&2; fi
        die "debootstrap failed (full log: $dlog)"
    fi
    rm -f "$dlog"
    unmount_under "$PARTIAL"  # debootstrap normally cleans up its own mounts

    log "installing ${ROOT_PACKAGES[*]} in the root"
    bind_at /proc "$PARTIAL/proc"
    bind_at /dev "$PARTIAL/dev"
    cp -L /etc/resolv.conf "$PARTIAL/etc/resolv.conf" 2>/dev/null || true
    local ilog="${PARTIAL}.apt.log"
    # shellcheck disable=SC2016  # "$@" is expanded by the inner bash
    if ! chroot "$PARTIAL" /usr/bin/env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin \
        DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 \
        bash -c 'apt-get update -q && apt-get install -y -q --no-install-recommends "$@" && apt-get clean' \
        bash "${ROOT_PACKAGES[@]}" >"$ilog" 2>&1; then
        tail -n 30 "$ilog" >&2
        die "package installation in the root failed (full log: $ilog)"
    fi
    rm -f "$ilog"
    chroot "$PARTIAL" /usr/bin/swift --version >/dev/null 2>&1 || die "swift does not run in the new root"
    cleanup_mounts

    printf '%s\n' "$ROOT_SPEC" >"$PARTIAL/$MARKER_NAME"
    sync -f "$PARTIAL/$MARKER_NAME" 2>/dev/null || true
    if [[ -e $ROOT ]]; then
        safe_remove "${ROOT}.old"
        unmount_under "$ROOT"
        mv -- "$ROOT" "${ROOT}.old"
    fi
    mv -- "$PARTIAL" "$ROOT"
    safe_remove "${ROOT}.old"
    log "Swift root ready in $((SECONDS - start)) s"
}

if ! root_ready "$ROOT"; then
    mkdir -p "$(dirname "$LOCK_FILE")"
    exec 9>"$LOCK_FILE"
    flock 9   # one provisioner at a time; re-check once we hold the lock
    root_ready "$ROOT" || provision_root
    exec 9>&-
fi

# --------------------------------------------------------------------- run
# Outside a private namespace, serialize runs: mounts on the shared root are shared.
if [[ -z ${CPAAS_SWIFT_IN_NS:-} ]]; then
    exec 9>"$LOCK_FILE"
    flock 9
fi

binds=("$REPO_ROOT")
read -r -a extra <<<"${CPAAS_SWIFT_EXTRA_MOUNTS:-}"
for d in "${extra[@]}"; do
    [[ $d == /?* && -d $d ]] || die "CPAAS_SWIFT_EXTRA_MOUNTS: not an absolute directory: $d"
    binds+=("$(cd "$d" && pwd -P)")
done

workdir="$(pwd -P)"
inside=0
for d in "${binds[@]}"; do
    if [[ $workdir == "$d" || $workdir == "$d"/* ]]; then inside=1; fi
done
((inside)) || die "current directory $workdir is not visible in the Swift root; run from $REPO_ROOT or add it to CPAAS_SWIFT_EXTRA_MOUNTS"

bind_at /proc "$ROOT/proc"
bind_at /dev "$ROOT/dev"
for d in "${binds[@]}"; do
    bind_at "$d" "$ROOT$d"
done

envs=(HOME=/root PATH=/usr/bin:/bin LANG=C.UTF-8 "LD_LIBRARY_PATH=${LD_LIBRARY_PATH:-}")
while IFS= read -r name; do
    envs+=("$name=${!name}")
done < <(compgen -e | grep -E '^CPAAS_' | grep -vx CPAAS_SWIFT_IN_NS || true)

rc=0
# shellcheck disable=SC2016  # $1/$@ are expanded by the inner bash
chroot "$ROOT" /usr/bin/env -i "${envs[@]}" \
    bash -c 'cd "$1" && shift && exec swift "$@"' bash "$workdir" "$@" || rc=$?
exit "$rc"
