#!/usr/bin/env bash
# Installs what cunwu needs on a fresh Debian (12 or later) machine:
#   - Debian's python3-venv (when `python3 -m venv` is missing), chromium and
#     CJK fonts for the browser tests, through apt (waiting for its lock);
#   - a virtual environment in .venv/ with cunwu and its test tools
#     (pip install -e ".[test]"): Debian's own Python refuses pip (PEP 668).
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
fc-list 2>/dev/null | grep -qi "noto sans cjk" || need_apt+=(fonts-noto-cjk)
if [ ! -x .venv/bin/python ] && ! python3 -c "import ensurepip, venv" >/dev/null 2>&1; then
    need_apt+=(python3-venv)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    export DEBIAN_FRONTEND=noninteractive
    # Wait up to 10 minutes for another apt/dpkg run (unattended upgrades) to finish.
    lock="-o DPkg::Lock::Timeout=600"
    $SUDO apt-get $lock update -qq
    $SUDO apt-get $lock install -y -qq "${need_apt[@]}" >/dev/null
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[test]"
