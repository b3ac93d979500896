# Shared by the scripts: install Debian packages only when missing, and say so.
# shellcheck shell=bash

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# apt_ensure PKG...: installs the packages that are not installed yet (idempotent).
apt_ensure() {
    local missing=()
    for package in "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    say "installing Debian packages: ${missing[*]}"
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        if ! command -v sudo >/dev/null 2>&1; then
            printf 'crumbs: these Debian packages are needed and you are not root (and there is no sudo):\n' >&2
            printf '  apt-get install --no-install-recommends %s\n' "${missing[*]}" >&2
            printf 'Run that as root, then run this script again.\n' >&2
            return 1
        fi
        sudo="sudo"
    fi
    if [ -z "${CRUMBS_APT_UPDATED:-}" ]; then
        $sudo apt-get update -qq
        export CRUMBS_APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

repo_root() { cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd; }

# How every script builds the release crumbs: the Swift runtime and Foundation linked in
# statically, so that the hot calls into them (swift_retain/release, thread-local access) skip the
# PLT and the dynamic TLS lookup: 6-7 % less CPU per proxied request than a dynamically linked
# build (scripts/bench-proxy; measured 2026-11-24). Only glibc, libstdc++ and SQLite stay shared.
CRUMBS_RELEASE_FLAGS=(-c release --static-swift-stdlib)

# build_release_crumbs SCRATCH [swift build options...]: builds crumbs in release mode into the
# scratch directory SCRATCH (the build's output goes to stderr) and prints the binary's path.
build_release_crumbs() {
    local scratch=$1
    shift
    swift build "${CRUMBS_RELEASE_FLAGS[@]}" --product crumbs --scratch-path "$scratch" "$@" >&2 || return 1
    printf '%s/crumbs\n' "$(swift build "${CRUMBS_RELEASE_FLAGS[@]}" --scratch-path "$scratch" --show-bin-path)"
}
