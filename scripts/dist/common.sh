# shellcheck shell=bash
# Shared setup for the release builds in scripts/dist/<family>.sh; sourced, not run.
#
# Cross-building from this Linux machine takes: rustup's std for each target, zig (from PyPI's
# `ziglang`) as the C compiler and linker for Linux (any glibc/musl) and macOS, cargo-zigbuild,
# maturin and auditwheel (PyPI), and Debian's mingw-w64 for Windows. Every helper installs only what
# is missing, so reruns are cheap; the PyPI tools live in one venv cached outside the repo and
# shared by every family and worktree.
#
# Environment:
#   CPAAS_DIST_CACHE   cache for the tool venv and the Debian roots
#                      (default /var/cache/cpaas-reseller, or ~/.cache/cpaas-reseller if not root)

# Pinned so that a rerun builds with the same linker; bump DIST_TOOLS_SPEC's packages together.
readonly DIST_TOOL_PACKAGES=("maturin==1.16.0" "ziglang==0.15.2" "cargo-zigbuild==0.24.1" "auditwheel==6.8.2")

DIST_REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
readonly DIST_REPO_ROOT

# zig has no Apple SDK: the frameworks the SDK links on macOS (Security and CoreFoundation, for the
# Keychain's trust settings) resolve against the minimal stubs in scripts/dist/macos-frameworks,
# which name the real install names; macOS loads the real frameworks at run time. A RUSTFLAGS set
# by the caller would replace these (Cargo's precedence), so the check scripts would then fail.
export CARGO_TARGET_X86_64_APPLE_DARWIN_RUSTFLAGS="-Lframework=$DIST_REPO_ROOT/scripts/dist/macos-frameworks"
export CARGO_TARGET_AARCH64_APPLE_DARWIN_RUSTFLAGS="-Lframework=$DIST_REPO_ROOT/scripts/dist/macos-frameworks"

# DIST_FAMILY (set by the sourcing script) prefixes every message.
dist_log() { printf '%s: %s\n' "${DIST_FAMILY:-dist}" "$*" >&2; }
dist_die() { dist_log "error: $*"; exit 1; }
dist_step() { printf '\n==> %s\n' "$*" >&2; }

# The cache directory (created): CPAAS_DIST_CACHE, else a system cache as root, else the user's.
dist_cache_dir() {
    local dir="${CPAAS_DIST_CACHE:-}"
    if [[ -z $dir ]]; then
        if [[ ${EUID} -eq 0 ]]; then dir=/var/cache/cpaas-reseller; else dir="${XDG_CACHE_HOME:-$HOME/.cache}/cpaas-reseller"; fi
    fi
    mkdir -p "$dir"
    printf '%s\n' "$dir"
}

# dist_with_lock NAME CMD...: run CMD holding an exclusive lock NAME in the cache directory, so
# parallel runs (other worktrees, other families) do not provision the same thing twice.
dist_with_lock() {
    local name=$1 lock
    shift
    lock="$(dist_cache_dir)/$name.lock"
    (
        flock 9
        "$@"
    ) 9>"$lock"
}

# dist_apt_install PKG...: install the Debian packages that are not installed yet.
dist_apt_install() {
    local missing=() pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
    done
    ((${#missing[@]})) || return 0
    [[ ${EUID} -eq 0 ]] || dist_die "missing Debian packages (install them as root): ${missing[*]}"
    dist_log "installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    # Another apt run (a parallel build) holds dpkg's lock for a while: wait for it.
    apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
    apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# dist_rust_targets TRIPLE...: add the rustup targets that are missing.
dist_rust_targets() {
    local installed missing=() t
    installed="$(rustup target list --installed)"
    for t in "$@"; do
        grep -qx "$t" <<<"$installed" || missing+=("$t")
    done
    ((${#missing[@]})) || return 0
    dist_log "adding rustup targets: ${missing[*]}"
    rustup target add "${missing[@]}" >&2
}

_dist_make_venv() {
    local venv=$1 spec=$2
    if [[ -f $venv/.cpaas-dist-spec && "$(cat "$venv/.cpaas-dist-spec")" == "$spec" ]]; then return 0; fi
    dist_log "creating the build tool venv $venv: ${DIST_TOOL_PACKAGES[*]}"
    rm -rf -- "$venv"
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "${DIST_TOOL_PACKAGES[@]}"
    printf '%s\n' "$spec" >"$venv/.cpaas-dist-spec"
}

# dist_tools: make sure the tool venv exists and put its bin/ first on PATH (maturin, zig via
# `python -m ziglang`, cargo-zigbuild, auditwheel). Sets DIST_VENV.
dist_tools() {
    local spec
    spec="cpaas-dist-tools v1 $(python3 -c 'import sys; print(sys.version.split()[0])') ${DIST_TOOL_PACKAGES[*]}"
    DIST_VENV="$(dist_cache_dir)/dist-tools-venv"
    if ! [[ -f $DIST_VENV/.cpaas-dist-spec && "$(cat "$DIST_VENV/.cpaas-dist-spec")" == "$spec" ]]; then
        dist_with_lock dist-tools-venv _dist_make_venv "$DIST_VENV" "$spec"
    fi
    export PATH="$DIST_VENV/bin:$PATH"
}

# dist_inputs_hash PATH...: one digest of the contents of the given files and directories (git's
# view of them: tracked and untracked-but-not-ignored files, working-tree contents), plus the Rust
# toolchain and the pinned tools. Used to skip rebuilding an artifact whose inputs are unchanged.
dist_inputs_hash() {
    (
        cd "$DIST_REPO_ROOT" || exit
        rustc -vV
        printf '%s\n' "${DIST_TOOL_PACKAGES[@]}"
        git ls-files -z --cached --others --exclude-standard -- "$@" | sort -zu |
            while IFS= read -r -d '' f; do if [[ -f $f ]]; then sha256sum -- "$f"; fi; done
    ) | sha256sum | cut -d' ' -f1
}
