# shellcheck shell=bash
# Helpers for scripts that run tools in a Debian root (chroot) cached outside the repo: bind mounts
# that are cleaned up on exit, safe removal of a root, and the host's Debian mirror. Sourced, not run;
# the caller defines log() and die() and installs `trap cleanup_mounts EXIT`.

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

# in_private_mount_ns SCRIPT ARGS...: re-runs SCRIPT once in a private mount namespace
# (CPAAS_VERIFY_IN_NS marks the second run), so every mount it makes goes away with it, even on
# SIGKILL. Where unshare is refused, the caller's EXIT trap does the cleanup instead.
in_private_mount_ns() {
    [[ -z ${CPAAS_VERIFY_IN_NS:-} ]] || return 0
    unshare --mount --propagation private true 2>/dev/null || return 0
    CPAAS_VERIFY_IN_NS=1 exec unshare --mount --propagation private -- "$@"
}

# exit_on_signals: HUP, INT and TERM end the script with the shell's usual codes, so the EXIT
# trap (mount cleanup) runs.
exit_on_signals() {
    trap 'exit 129' HUP
    trap 'exit 130' INT
    trap 'exit 143' TERM
}

MOUNTED=()  # mount points set up (or adopted) by this run, for cleanup
cleanup_mounts() {
    local i
    for ((i = ${#MOUNTED[@]} - 1; i >= 0; i--)); do
        unmount_under "${MOUNTED[i]}"
    done
    MOUNTED=()
}

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

# ------------------------------------------------------- the host's mirror
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
