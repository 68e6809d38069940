#!/usr/bin/env bash
# Lints the GitHub Actions workflows (.github/workflows) with actionlint, installed once with
# `go install` from the Go module proxy at the pinned version below (into `go env GOPATH`/bin).
# actionlint also runs shellcheck on the `run:` scripts when shellcheck is on PATH.
# Run from anywhere; idempotent.
set -euo pipefail

cd "$(dirname "$0")/.."
version=v1.7.12
# Go from PATH, else where its official archive installs (/usr/local/go).
go=$(command -v go || echo /usr/local/go/bin/go)
[[ -x "$go" ]] || { echo "actionlint.sh: Go is required to install actionlint" >&2; exit 2; }
bin="$("$go" env GOPATH)/bin/actionlint"
if [[ ! -x "$bin" || "$("$bin" -version | head -n 1)" != "$version" ]]; then
    echo "actionlint.sh: go install github.com/rhysd/actionlint/cmd/actionlint@$version" >&2
    GOBIN="$(dirname "$bin")" "$go" install "github.com/rhysd/actionlint/cmd/actionlint@$version"
fi
"$bin" -version | head -n 1
set -- .github/workflows/*.yml
"$bin" "$@"
echo "actionlint: $# workflows clean"
