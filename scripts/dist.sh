#!/usr/bin/env bash
# Release artifacts: scripts/dist.sh FAMILY...   e.g. scripts/dist.sh python
#
# Runs scripts/dist/<family>.sh for each family named, in order; each writes its artifacts to
# dist/<family>/ and installs the tools it needs (shared setup: scripts/dist/common.sh). Safe to
# rerun. Without arguments, lists the families.
set -euo pipefail
cd "$(dirname "$0")/.."

families() {
    local f name
    for f in scripts/dist/*.sh; do
        name="$(basename "$f" .sh)"
        # Family scripts are named by one word; common.sh and verify-*.sh are helpers.
        if [[ $name =~ ^[a-z0-9]+$ && $name != common ]]; then printf '%s\n' "$name"; fi
    done
}

if (($# == 0)); then
    printf 'usage: scripts/dist.sh FAMILY...\nfamilies: %s\n' "$(families | tr '\n' ' ')" >&2
    exit 2
fi
for family in "$@"; do
    grep -qx -- "$family" <<<"$(families)" || { printf 'dist.sh: unknown family %q (known: %s)\n' "$family" "$(families | tr '\n' ' ')" >&2; exit 2; }
done

for family in "$@"; do
    printf '\n==> dist %s\n' "$family"
    start=$SECONDS
    "scripts/dist/$family.sh"
    printf '\n==> dist %s: done in %d s; artifacts in dist/%s/:\n' "$family" "$((SECONDS - start))" "$family"
    find "dist/$family" -maxdepth 1 -type f ! -name '.*' -printf '  %p  (%s bytes)\n' | sort
done
