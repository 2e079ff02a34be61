#!/usr/bin/env bash
# Build the Claimdesk desktop bundle (PyInstaller, one folder) and check it.
#
#   packaging/build.sh [--out DIR] [--venv DIR] [--onefile] [--no-archive]
#                      [--no-gui-check] [--screenshot PNG]
#
# 1. creates a clean virtual environment (a temporary one, or --venv DIR, which
#    is created if missing and reused otherwise) with Python 3.11;
# 2. installs the hash-pinned requirements.lock, PyInstaller from
#    packaging/requirements-build.txt (hash-pinned too) and this checkout;
# 3. runs PyInstaller on packaging/claimdesk.spec: the bundle is
#    OUT/dist/claimdesk/ (OUT defaults to /tmp/claimdesk-build, outside the repo);
# 4. adds the Linux desktop files (packaging/linux/) and an install script;
# 5. runs the bundle's `claimdesk --selftest`;
# 6. measures: bundle size, `--version` and `--selftest` wall time, and the time
#    until the window appears under Xvfb (needs xvfb and xdotool, installed with
#    apt-get when missing and allowed); --screenshot saves a picture of that window;
# 7. packs OUT/claimdesk-VERSION-linux-x86_64.tar.gz (unless --no-archive).
#
# Exits non-zero when any step fails, the self-test included. The figures are
# printed and written to OUT/build-report.txt.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=/tmp/claimdesk-build
VENV=""
ONEFILE=0
ARCHIVE=1
GUI_CHECK=1
SCREENSHOT=""
PYTHON=${PYTHON:-python3.11}

usage() { sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; }

while [ $# -gt 0 ]; do
    case "$1" in
        --out|--dist) OUT=$2; shift 2 ;;
        --venv) VENV=$2; shift 2 ;;
        --onefile) ONEFILE=1; shift ;;
        --no-archive) ARCHIVE=0; shift ;;
        --no-gui-check) GUI_CHECK=0; shift ;;
        --screenshot) SCREENSHOT=$(realpath -m "$2"); shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "build.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
    esac
done

OUT=$(realpath -m "$OUT")
case "$OUT/" in
    "$ROOT"/*) echo "build.sh: --out must be outside the repository ($ROOT)" >&2; exit 2 ;;
esac
mkdir -p "$OUT"
LOG="$OUT/build.log"
REPORT="$OUT/build-report.txt"
: > "$LOG"
: > "$REPORT"

say() { echo "== $*" >&2; }
report() { echo "$*" | tee -a "$REPORT"; }
die() { echo "build.sh: $*" >&2; echo "(details in $LOG)" >&2; exit 1; }
now() { echo "$EPOCHREALTIME"; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

command -v "$PYTHON" >/dev/null || die "$PYTHON not found (Claimdesk is built with Python 3.11)"
"$PYTHON" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' \
    || die "$PYTHON is not Python 3.11"

read -r NAME VERSION < <("$PYTHON" - "$ROOT/pyproject.toml" <<'EOF'
import sys, tomllib
with open(sys.argv[1], "rb") as fh:
    p = tomllib.load(fh)["project"]
print(p["name"], p["version"])
EOF
)
report "Claimdesk bundle build: $NAME $VERSION, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
report "machine: $(nproc) cores, $(awk '/model name/ {sub(/.*: /, ""); print; exit}' /proc/cpuinfo), $(uname -sr)"
report "commit: $(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo 'not a git checkout')"

T_START=$(now)
TMP=$(mktemp -d /tmp/claimdesk-build-tmp.XXXXXX)
XVFB_PID=""
APP_PID=""
cleanup() {
    if [ -n "$APP_PID" ]; then kill "$APP_PID" 2>/dev/null || true; fi
    if [ -n "$XVFB_PID" ]; then kill "$XVFB_PID" 2>/dev/null || true; fi
    rm -rf "$TMP"
}
trap cleanup EXIT

# -- 1-2. a clean virtual environment ---------------------------------------------------------
if [ -z "$VENV" ]; then
    VENV="$TMP/venv"
fi
VENV=$(realpath -m "$VENV")
if [ ! -x "$VENV/bin/python" ]; then
    say "creating the virtual environment $VENV"
    "$PYTHON" -m venv "$VENV" >>"$LOG" 2>&1 || die "cannot create a venv in $VENV"
fi
PY="$VENV/bin/python"
say "installing the pinned requirements (requirements.lock, packaging/requirements-build.txt)"
T0=$(now)
"$PY" -m pip install -q --require-hashes -r "$ROOT/requirements.lock" >>"$LOG" 2>&1 \
    || die "pip install -r requirements.lock failed"
"$PY" -m pip install -q --require-hashes -r "$ROOT/packaging/requirements-build.txt" >>"$LOG" 2>&1 \
    || die "pip install -r packaging/requirements-build.txt failed"
# Install Claimdesk from a copy, so the build leaves no build/ or egg-info in the checkout.
STAGE="$TMP/src"
mkdir -p "$STAGE"
cp -a "$ROOT/pyproject.toml" "$ROOT/app" "$ROOT/resources" "$ROOT/db" "$STAGE/"
if [ -f "$ROOT/README.md" ]; then cp -a "$ROOT/README.md" "$STAGE/"; else touch "$STAGE/README.md"; fi
"$PY" -m pip install -q --no-deps --no-build-isolation --force-reinstall "$STAGE" >>"$LOG" 2>&1 \
    || die "pip install of Claimdesk failed"
T_ENV=$(elapsed "$T0" "$(now)")
report "environment: ${T_ENV} s to install (venv $VENV)"

if [ ! -f "$ROOT/resources/models/checkworthy/config.cfg" ]; then
    report "note: no trained model in resources/models/checkworthy/: this bundle scores claims by rules alone"
fi

# -- 3. PyInstaller ------------------------------------------------------------------------------
say "running PyInstaller (slow: several minutes)"
DIST="$OUT/dist"
rm -rf "$DIST" "$OUT/work"
T0=$(now)
# From outside the checkout: the package PyInstaller analyses is the one installed above (with its data
# subpackages), never the checkout's app/ folder found through the working directory.
(cd "$TMP" && CLAIMDESK_ONEFILE=$ONEFILE "$VENV/bin/pyinstaller" --noconfirm --clean --log-level WARN \
    --distpath "$DIST" --workpath "$OUT/work" "$ROOT/packaging/claimdesk.spec") >>"$LOG" 2>&1 \
    || die "PyInstaller failed"
T_BUILD=$(elapsed "$T0" "$(now)")
report "pyinstaller: ${T_BUILD} s"

if [ "$ONEFILE" = 1 ]; then
    BUNDLE="$DIST"
    EXE="$DIST/$NAME"
else
    BUNDLE="$DIST/$NAME"
    EXE="$BUNDLE/$NAME"
fi
[ -x "$EXE" ] || die "PyInstaller produced no $EXE"

# -- 4. desktop integration ------------------------------------------------------------------------
if [ "$ONEFILE" = 0 ]; then
    say "adding the desktop files"
    mkdir -p "$BUNDLE/share"
    cp -a "$ROOT/packaging/linux/." "$BUNDLE/share/"
    mv "$BUNDLE/share/install.sh" "$BUNDLE/install.sh"
    chmod +x "$BUNDLE/install.sh"
    mkdir -p "$BUNDLE/share/icons"
    cp "$ROOT/resources/icons/claimdesk.svg" "$ROOT/resources/icons/claimdesk.png" "$BUNDLE/share/icons/"
fi

# -- 5. self-test ---------------------------------------------------------------------------------------
say "running the bundle's self-test"
SELFTEST_OK=1
T0=$(now)
if ! "$EXE" --selftest 2>&1 | tee "$OUT/selftest.txt"; then
    SELFTEST_OK=0
fi
T_SELFTEST=$(elapsed "$T0" "$(now)")

# -- 6. figures -------------------------------------------------------------------------------------------
SIZE=$(du -sh "$BUNDLE" | cut -f1)
SIZE_MB=$(du -sm "$BUNDLE" | cut -f1)
FILES=$(find "$BUNDLE" -type f | wc -l)
report "bundle: $BUNDLE, $SIZE ($SIZE_MB MiB, $FILES files)"

version_times=()
for i in 1 2 3; do
    T0=$(now)
    "$EXE" --version >/dev/null
    version_times+=("$(elapsed "$T0" "$(now)")")
done
report "start (--version, 3 runs, first after build): ${version_times[*]} s"
report "selftest wall time: ${T_SELFTEST} s ($( [ $SELFTEST_OK = 1 ] && echo passed || echo FAILED ))"

install_debs() {
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    command -v apt-get >/dev/null || return 1
    local SUDO=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null && sudo -n true 2>/dev/null || return 1
        SUDO="sudo"
    fi
    say "installing Debian packages for the window check: ${missing[*]}"
    $SUDO apt-get update -qq >>"$LOG" 2>&1
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >>"$LOG" 2>&1
}

GUI_OK=1
if [ "$GUI_CHECK" = 1 ]; then
    # What a desktop already has and a bare container lacks: X, and the system libraries Qt's xcb plugin uses.
    GUI_DEBS=(xvfb xauth xdotool imagemagick libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0
              libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-randr0 libxcb-render-util0 libxcb-image0
              libxcb-xinerama0 libfontconfig1 libdbus-1-3 libglib2.0-0 fonts-dejavu-core)
    if ! install_debs "${GUI_DEBS[@]}"; then
        report "window check: skipped (needs ${GUI_DEBS[*]}; run as root or install them)"
        GUI_CHECK=0
    fi
fi
if [ "$GUI_CHECK" = 1 ]; then
    say "starting the window under Xvfb"
    PROJECT="$TMP/sample.claimdesk"
    "$EXE" import -q --db "$PROJECT" "$ROOT"/resources/samples/mistral-2024/*.txt >>"$LOG" 2>&1 \
        || die "the bundle could not import the samples into $PROJECT"
    DISPLAY_NUM=""
    for n in $(seq 90 140); do
        if [ ! -e "/tmp/.X11-unix/X$n" ] && [ ! -e "/tmp/.X$n-lock" ]; then DISPLAY_NUM=$n; break; fi
    done
    [ -n "$DISPLAY_NUM" ] || die "no free X display number"
    Xvfb ":$DISPLAY_NUM" -screen 0 1280x800x24 -nolisten tcp >>"$LOG" 2>&1 &
    XVFB_PID=$!
    for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X$DISPLAY_NUM" ] && break; sleep 0.1; done
    export DISPLAY=":$DISPLAY_NUM"
    window_times=()
    for i in 1 2 3; do
        T0=$(now)
        env -u QT_QPA_PLATFORM "$EXE" gui --db "$PROJECT" >>"$LOG" 2>&1 &
        APP_PID=$!
        if WID=$(timeout 90 xdotool search --sync --onlyvisible --name 'Claimdesk' 2>>"$LOG" | head -1) \
                && [ -n "$WID" ]; then
            window_times+=("$(elapsed "$T0" "$(now)")")
        else
            window_times+=("none")
            GUI_OK=0
        fi
        if [ "$i" = 3 ] && [ -n "$SCREENSHOT" ] && [ "$GUI_OK" = 1 ]; then
            sleep 3  # let the window finish loading its content
            mkdir -p "$(dirname "$SCREENSHOT")"
            import -window "$WID" "$SCREENSHOT" >>"$LOG" 2>&1 && report "screenshot: $SCREENSHOT"
        fi
        kill "$APP_PID" 2>/dev/null || true
        wait "$APP_PID" 2>/dev/null || true
        APP_PID=""
    done
    kill "$XVFB_PID" 2>/dev/null || true
    wait "$XVFB_PID" 2>/dev/null || true
    XVFB_PID=""
    unset DISPLAY
    report "time to window (gui --db on the sample project under Xvfb, 3 runs): ${window_times[*]} s"
fi

# -- 7. archive -------------------------------------------------------------------------------------------
if [ "$ARCHIVE" = 1 ] && [ "$ONEFILE" = 0 ]; then
    say "packing the archive"
    TARBALL="$OUT/$NAME-$VERSION-linux-$(uname -m).tar.gz"
    tar -C "$DIST" -czf "$TARBALL" "$NAME"
    report "archive: $TARBALL, $(du -sh "$TARBALL" | cut -f1)"
fi

report "total build time: $(elapsed "$T_START" "$(now)") s"
[ "$SELFTEST_OK" = 1 ] || die "the bundle's self-test FAILED (see $OUT/selftest.txt)"
[ "$GUI_OK" = 1 ] || die "the bundle's window did not appear under Xvfb"
say "done: $EXE"
