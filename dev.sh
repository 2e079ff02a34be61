#!/usr/bin/env bash
# Claimdesk set-up and tasks on a Debian machine with Python 3.11.
#
#   ./dev.sh run     install what is missing, then start the app on the sample project
#   ./dev.sh test    install what is missing (with test tools), then run the whole test suite
#   ./dev.sh bench   install, then run every benchmark and print the README table
#
# Each task creates .venv, installs the pinned Python packages from
# requirements.lock (hash-checked), and the Debian packages Qt needs when they
# are missing (with apt-get as root, or sudo).
set -euo pipefail
cd "$(dirname "$0")"

QT_DEBS=(libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1
         libxcb-shape0 libxcb-randr0 libxcb-render-util0 libxcb-image0 libxcb-xinerama0 libfontconfig1
         libdbus-1-3 libglib2.0-0 fonts-dejavu-core)
# The tests also render exports (Chromium, pdftoppm), screenshot real windows (Xvfb, ImageMagick,
# xdotool) and validate the desktop metadata (desktop-file-utils, appstream, shared-mime-info, shellcheck).
TEST_DEBS=(xvfb xauth xdotool imagemagick poppler-utils chromium
           desktop-file-utils appstream shared-mime-info libglib2.0-bin shellcheck)

install_debs() {
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "Installing Debian packages: ${missing[*]}" >&2
    local SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null || PYTHON=python3

install_python() {
    local stamp=.venv/.installed
    local want
    want=$(cat requirements.lock pyproject.toml | sha256sum | cut -d' ' -f1)
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
        return 0
    fi
    [ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
    .venv/bin/python -m pip install -q --upgrade pip
    .venv/bin/python -m pip install -q --require-hashes -r requirements.lock
    .venv/bin/python -m pip install -q --no-deps --no-build-isolation -e .
    echo "$want" > "$stamp"
}

task=${1:-run}
shift || true
case "$task" in
    run)
        install_debs "${QT_DEBS[@]}"
        install_python
        exec .venv/bin/claimdesk "$@"
        ;;
    test)
        install_debs "${QT_DEBS[@]}" "${TEST_DEBS[@]}"
        install_python
        export QT_QPA_PLATFORM=offscreen
        exec .venv/bin/python -m pytest "$@"
        ;;
    bench)
        install_debs "${QT_DEBS[@]}"
        install_python
        export QT_QPA_PLATFORM=offscreen
        exec .venv/bin/python -m claimdesk.bench "$@"
        ;;
    *)
        echo "usage: ./dev.sh run|test|bench [args]" >&2
        exit 2
        ;;
esac
