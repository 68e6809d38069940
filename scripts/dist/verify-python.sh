#!/usr/bin/env bash
# Installs the manylinux2014 wheels from dist/python into Debian 11 (bullseye: glibc 2.31, Python
# 3.9) with `pip install --no-index` and runs scripts/dist/smoke_python.py there against an emulator
# on the host's loopback: the x86_64 wheel natively, the aarch64 wheel in an arm64 root under
# qemu-user. Run scripts/dist.sh python first. `musl`: no musl Python can be had here (Alpine's
# packages are not reachable), so the musllinux x86_64 module is loaded by musl's own dynamic loader
# (Debian's musl 1.2, `ld-musl --list`): it must resolve libc to musl and leave unresolved only
# the Python C API, which the interpreter provides.
#
#   scripts/dist/verify-python.sh [x86_64] [aarch64] [musl]      (default: all three)
#   scripts/dist/verify-python.sh --prepare [ARCH...]     only provision the roots (no wheels needed)
#
# The roots are made once with debootstrap (mirror: the host's apt sources) and cached in
# $CPAAS_DIST_CACHE (default /var/cache/cpaas-reseller) under a lock; each run makes a fresh venv in
# the root. The emulator is the x86_64 wheel's own (cpaas_reseller.testing), run by the host's
# Python in a cached venv. Needs root (chroot, mounts).
#
# Environment:
#   CPAAS_DEBIAN_MIRROR   Debian mirror for the roots (default: the host's apt mirror)
set -euo pipefail
# shellcheck disable=SC2034  # read by common.sh
DIST_FAMILY=verify-python
SCRIPT_PATH="$(readlink -f "${BASH_SOURCE[0]}")"
# shellcheck source=common.sh
source "$(dirname "$SCRIPT_PATH")/common.sh"
log() { dist_log "$@"; }
die() { dist_die "$@"; }
# shellcheck source=../lib/debian-root.sh
source "$DIST_REPO_ROOT/scripts/lib/debian-root.sh"

[[ ${EUID} -eq 0 ]] || die "needs root (debootstrap, chroot, bind mounts)"
in_private_mount_ns "$SCRIPT_PATH" "$@"
trap 'cleanup_mounts; [[ -z ${EMULATOR_PID:-} ]] || kill "$EMULATOR_PID" 2>/dev/null || true' EXIT
exit_on_signals

prepare_only=
if [[ ${1:-} == --prepare ]]; then prepare_only=1; shift; fi
run_musl=
arches=()
for arg in "$@"; do
    if [[ $arg == musl ]]; then run_musl=1; else arches+=("$arg"); fi
done
if (($# == 0)); then arches=(x86_64 aarch64); run_musl=1; fi
CACHE="$(dist_cache_dir)"
WHEELS="$DIST_REPO_ROOT/dist/python"
readonly ROOT_PACKAGES=(python3 python3-venv)

wheel_for() {
    local found=("$WHEELS"/cpaas_reseller-*-cp39-abi3-*manylinux_2_17_"$1"*.whl)
    [[ -f ${found[0]} && ${#found[@]} -eq 1 ]] || die "expected one manylinux2014 $1 wheel in dist/python (run scripts/dist.sh python)"
    printf '%s\n' "${found[0]}"
}

# qemu-user runs arm64 binaries through binfmt_misc; Debian's qemu-user-static registers its
# handlers with the F flag (the interpreter is opened at registration, so it works in a chroot).
ensure_binfmt_aarch64() {
    dist_apt_install qemu-user-static
    local dir=/proc/sys/fs/binfmt_misc
    [[ -e $dir/register ]] || mount -t binfmt_misc binfmt_misc "$dir"
    if [[ ! -e $dir/qemu-aarch64 ]]; then
        log "registering qemu-aarch64 with binfmt_misc"
        cat /usr/lib/binfmt.d/qemu-aarch64.conf >"$dir/register"
    fi
    grep -qx enabled "$dir/qemu-aarch64" || die "binfmt_misc handler qemu-aarch64 is disabled"
}

# in_root ROOT CMD...: run CMD in ROOT with a clean environment.
in_root() {
    local root=$1
    shift
    chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"
}

provision_root() {
    local root=$1 debarch=$2 spec=$3 mirror partial="$1.partial" start=$SECONDS foreign=()
    [[ -f $root/.cpaas-root-spec && "$(cat "$root/.cpaas-root-spec")" == "$spec" ]] && return 0
    mirror="${CPAAS_DEBIAN_MIRROR:-$(host_debian_mirror || true)}"
    [[ -n $mirror ]] || die "no Debian mirror in the host's apt sources; set CPAAS_DEBIAN_MIRROR"
    log "provisioning Debian 11 $debarch in $root (one-time; mirror from the host's apt sources)"
    dist_apt_install debootstrap
    safe_remove "$partial"
    [[ $debarch == amd64 ]] || foreign=(--foreign --arch "$debarch")
    local dlog="$partial.debootstrap.log"
    if ! debootstrap --variant=minbase "${foreign[@]}" bullseye "$partial" "$mirror" >"$dlog" 2>&1; then
        tail -n 30 "$dlog" >&2
        die "debootstrap failed (full log: $dlog)"
    fi
    if ((${#foreign[@]})); then
        if ! in_root "$partial" /debootstrap/debootstrap --second-stage >"$dlog" 2>&1; then
            tail -n 30 "$dlog" >&2
            die "debootstrap --second-stage failed (full log: $dlog)"
        fi
    fi
    rm -f "$dlog"
    unmount_under "$partial"
    bind_at /proc "$partial/proc"
    bind_at /dev "$partial/dev"
    cp -L /etc/resolv.conf "$partial/etc/resolv.conf" 2>/dev/null || true
    local ilog="$partial.apt.log"
    # shellcheck disable=SC2016  # "$@" is expanded by the inner bash
    if ! in_root "$partial" DEBIAN_FRONTEND=noninteractive bash -c \
        'apt-get update -q && apt-get install -y -q --no-install-recommends "$@" && apt-get clean' \
        bash "${ROOT_PACKAGES[@]}" >"$ilog" 2>&1; then
        tail -n 30 "$ilog" >&2
        die "installing ${ROOT_PACKAGES[*]} in the root failed (full log: $ilog)"
    fi
    rm -f "$ilog"
    cleanup_mounts
    printf '%s\n' "$spec" >"$partial/.cpaas-root-spec"
    safe_remove "$root"
    mv -- "$partial" "$root"
    log "Debian 11 $debarch root ready in $((SECONDS - start)) s"
}

# The emulator: the x86_64 wheel installed in a host venv, serving on a free loopback port.
start_emulator() {
    local venv="$CACHE/verify-python-host-venv" ready
    [[ -x $venv/bin/python ]] || python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-index --force-reinstall "$(wheel_for x86_64)"
    ready="$(mktemp)"
    "$venv/bin/python" -c '
import sys, time
from cpaas_reseller.testing import Emulator
with Emulator() as emulator:
    with open(sys.argv[1], "w") as f:
        f.write(emulator.control_url)
    while True:
        time.sleep(3600)
' "$ready" &
    EMULATOR_PID=$!
    for _ in $(seq 100); do
        [[ -s $ready ]] && break
        kill -0 "$EMULATOR_PID" 2>/dev/null || die "the emulator exited"
        sleep 0.1
    done
    CONTROL_URL="$(cat "$ready")"
    rm -f "$ready"
    [[ $CONTROL_URL == http://127.0.0.1:* ]] || die "the emulator did not start"
    log "emulator (host, $("$venv/bin/python" -V)) at $CONTROL_URL"
}

debian_arch() {
    case "$1" in
        x86_64) printf 'amd64\n' ;;
        aarch64) printf 'arm64\n' ;;
        *) die "unknown architecture $1 (x86_64 or aarch64)" ;;
    esac
}

prepare() {
    local debarch
    debarch="$(debian_arch "$1")"
    [[ $debarch == amd64 ]] || ensure_binfmt_aarch64
    dist_with_lock "debian11-$debarch" provision_root "$CACHE/debian11-$debarch" "$debarch" \
        "cpaas-debian11-root v1 bullseye $debarch ${ROOT_PACKAGES[*]}"
}

verify() {
    local arch=$1 root wheel start
    wheel="$(wheel_for "$arch")"
    root="$CACHE/debian11-$(debian_arch "$arch")"
    dist_step "Debian 11 $arch: pip install --no-index $(basename "$wheel"), smoke suite"
    start=$SECONDS
    bind_at /proc "$root/proc"
    bind_at /dev "$root/dev"
    bind_at "$DIST_REPO_ROOT" "$root$DIST_REPO_ROOT"
    # shellcheck disable=SC2016  # expanded by the root's sh
    in_root "$root" sh -c '. /etc/os-release && echo "$PRETTY_NAME, $(uname -m), $(ldd --version | head -n 1)"'
    in_root "$root" rm -rf /opt/cpaas-venv
    in_root "$root" python3 -m venv /opt/cpaas-venv
    in_root "$root" /opt/cpaas-venv/bin/pip --version
    in_root "$root" /opt/cpaas-venv/bin/pip install --no-index --disable-pip-version-check "$wheel"
    # shellcheck disable=SC2016  # expanded by the root's sh
    in_root "$root" sh -c 'cd / && exec /opt/cpaas-venv/bin/python "$0" "$1"' \
        "$DIST_REPO_ROOT/scripts/dist/smoke_python.py" "$CONTROL_URL"
    cleanup_mounts
    log "Debian 11 $arch: passed in $((SECONDS - start)) s"
}

if [[ -z $prepare_only ]]; then
    for arch in ${arches[@]:+x86_64} "${arches[@]}"; do wheel_for "$arch" >/dev/null; done
fi
for arch in "${arches[@]}"; do prepare "$arch"; done
[[ -z $prepare_only ]] || exit 0
# The musllinux x86_64 module under musl's loader (see the header).
verify_musl() {
    local found=("$WHEELS"/cpaas_reseller-*-cp39-abi3-musllinux_1_2_x86_64.whl) work out unresolved other
    [[ -f ${found[0]} && ${#found[@]} -eq 1 ]] || die "expected one musllinux_1_2_x86_64 wheel in dist/python"
    dist_apt_install musl
    dist_step "musl $(/lib/ld-musl-x86_64.so.1 2>&1 | sed -n 's/^Version //p'): ld-musl --list on $(basename "${found[0]}")"
    work="$(mktemp -d)"
    python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract("cpaas_reseller/_native.abi3.so", sys.argv[2])' "${found[0]}" "$work"
    out="$(/lib/ld-musl-x86_64.so.1 --list "$work/cpaas_reseller/_native.abi3.so" 2>&1 || true)"
    rm -rf -- "$work"
    grep -v '^Error relocating' <<<"$out"
    unresolved="$(grep -c 'symbol not found' <<<"$out" || true)"
    other="$(grep 'symbol not found' <<<"$out" | grep -Ev ': _?Py[A-Za-z0-9_]*: symbol not found$' || true)"
    grep -q 'libc.musl-x86_64.so.1 => /lib/ld-musl-x86_64.so.1' <<<"$out" || die "musl's loader does not map the module's libc to itself"
    [[ -z $other ]] || die "symbols musl does not provide: $other"
    log "musl: libc resolved; the $unresolved unresolved symbols are all Python's C API"
}

if ((${#arches[@]})); then
    start_emulator
    for arch in "${arches[@]}"; do verify "$arch"; done
fi
[[ -z $run_musl ]] || verify_musl
