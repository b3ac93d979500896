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
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    if [ -z "${CRUMBS_APT_UPDATED:-}" ]; then
        $sudo apt-get update -qq
        export CRUMBS_APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

repo_root() { cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd; }
