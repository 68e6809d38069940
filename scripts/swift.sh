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
#   CPAAS_SWIFT_MIRROR        Debian mirror for the root (default: the host's apt mirror,
#                             else http://deb.debian.org/debian)
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

# ---------------------------------------------------------------- mount helpers
# Mount points currently under (or at) $1, deepest first. /proc/mounts escapes
# blanks as octal (\040); printf %b decodes them.
mounts_under() {
    local dir=$1 mp
    while read -r _ mp _; do
        mp="$(printf '%b' "$mp")"
        if [[ $mp == "$dir" || $mp == "$dir"/* ]]; then printf '%s\n' "$mp"; fi
    done </proc/mounts | sort -r
}

is_mounted() {
    local dir=$1 mp
    while read -r _ mp _; do
        if [[ "$(printf '%b' "$mp")" == "$dir" ]]; then return 0; fi
    done </proc/mounts
    return 1
}

# Unmount everything at or below $1 (deepest first); lazy unmount as a last resort.
unmount_under() {
    local mp
    while IFS= read -r mp; do
        [[ -n $mp ]] || continue
        umount "$mp" 2>/dev/null || umount -l "$mp" 2>/dev/null || log "warning: could not unmount $mp"
    done < <(mounts_under "$1")
}

MOUNTED=()  # mount points set up (or adopted) by this run, for cleanup
cleanup_mounts() {
    local i
    for ((i = ${#MOUNTED[@]} - 1; i >= 0; i--)); do
        unmount_under "${MOUNTED[i]}"
    done
    MOUNTED=()
}
trap cleanup_mounts EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# bind_at SRC DEST: bind SRC at DEST (recursively for /dev), unless DEST is already a
# mount point, e.g. left by a killed run; either way it is unmounted on exit.
bind_at() {
    local src=$1 dest=$2
    MOUNTED+=("$dest")
    if is_mounted "$dest"; then
        log "reusing existing mount at $dest"
        return 0
    fi
    mkdir -p "$dest"
    if [[ $src == /dev ]]; then
        mount --rbind "$src" "$dest"
        mount --make-rslave "$dest"
    else
        mount --bind "$src" "$dest"
        mount --make-private "$dest"
    fi
}

# rm -rf a root directory, but only once nothing is mounted below it.
safe_remove() {
    local dir=$1
    [[ -e $dir ]] || return 0
    unmount_under "$dir"
    if [[ -n "$(mounts_under "$dir")" ]]; then
        die "refusing to delete $dir: still has mounts: $(mounts_under "$dir" | tr '\n' ' ')"
    fi
    rm -rf --one-file-system -- "$dir"
}

# ------------------------------------------------------------- provisioning
# The main Debian archive URI from the host's apt sources (one-line and deb822
# formats), skipping security and third-party repositories.
host_debian_mirror() {
    local codename="" files=() f uri
    if [[ -r /etc/os-release ]]; then
        codename="$(. /etc/os-release && printf '%s' "${VERSION_CODENAME:-}")"
    fi
    shopt -s nullglob
    files=(/etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources)
    shopt -u nullglob
    for f in "${files[@]}"; do
        [[ -r $f ]] || continue
        awk -v codename="$codename" '
            function consider(uris, suites,   n, i, u, s, m, ok) {
                ok = 0
                m = split(suites, s, /[ \t]+/)
                for (i = 1; i <= m; i++) {
                    if (s[i] ~ /-security$/) return
                    if (s[i] == codename || s[i] == codename "-updates" || (codename == "" && s[i] != "")) ok = 1
                }
                if (!ok) return
                n = split(uris, u, /[ \t]+/)
                for (i = 1; i <= n; i++)
                    if (u[i] ~ /^(https?|ftp):\/\// && u[i] !~ /security/ && u[i] ~ /\/debian\/?$/) print u[i]
            }
            FILENAME ~ /\.sources$/ {
                if ($0 ~ /^[ \t]*$/) { if (uris != "" && types ~ /(^|[ \t])deb([ \t]|$)/ && enabled !~ /^[ \t]*no/) consider(uris, suites); uris = suites = types = enabled = ""; next }
                if ($0 ~ /^#/) next
                if (tolower($1) == "uris:")    { sub(/^[^:]*:[ \t]*/, ""); uris = $0 }
                if (tolower($1) == "suites:")  { sub(/^[^:]*:[ \t]*/, ""); suites = $0 }
                if (tolower($1) == "types:")   { sub(/^[^:]*:[ \t]*/, ""); types = $0 }
                if (tolower($1) == "enabled:") { sub(/^[^:]*:[ \t]*/, ""); enabled = tolower($0) }
                next
            }
            /^[ \t]*deb[ \t]/ {
                line = $0
                sub(/^[ \t]*deb[ \t]+/, "", line)
                if (line ~ /^\[/) sub(/^\[[^]]*\][ \t]*/, "", line)
                split(line, w, /[ \t]+/)
                consider(w[1], w[2])
            }
            END { if (uris != "" && types ~ /(^|[ \t])deb([ \t]|$)/ && enabled !~ /^[ \t]*no/) consider(uris, suites) }
        ' "$f"
    done | head -n 1 | while read -r uri; do printf '%s\n' "${uri%/}"; done
}

root_ready() {
    # /usr/bin/swift is an absolute symlink (valid only inside the root): test -L, not -x.
    [[ -f $1/$MARKER_NAME && "$(cat "$1/$MARKER_NAME")" == "$ROOT_SPEC" && -L $1/usr/bin/swift ]]
}

provision_root() {
    local mirror start include=()
    start=$SECONDS
    mirror="${CPAAS_SWIFT_MIRROR:-$(host_debian_mirror || true)}"
    mirror="${mirror:-http://deb.debian.org/debian}"
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
