"""The packaging files agree with pyproject.toml and with each other.

The bundle build itself (packaging/build.sh) is too slow for CI; these checks
catch the drift that would make it wrong: a version bumped in one place only, a
.desktop file that does not validate, a MIME magic that no longer matches what
a project file starts with.
"""

from __future__ import annotations

import ast
import configparser
import importlib.util
import shutil
import struct
import subprocess
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from claimdesk.paths import APP_NAME, PROJECT_SUFFIX

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
SPEC = PACKAGING / "claimdesk.spec"
LINUX = PACKAGING / "linux"
APP_ID = "org.claimdesk.Claimdesk"
DESKTOP = LINUX / "applications" / f"{APP_ID}.desktop"
METAINFO = LINUX / "metainfo" / f"{APP_ID}.metainfo.xml"
MIME = LINUX / "mime" / "packages" / f"{APP_ID}.xml"
MIME_TYPE = "application/x-claimdesk"
MIME_NS = {"m": "http://www.freedesktop.org/standards/shared-mime-info"}


@pytest.fixture(scope="module")
def pyproject() -> dict:
    with open(ROOT / "pyproject.toml", "rb") as fh:
        return tomllib.load(fh)


@pytest.fixture(scope="module")
def spec_tree() -> ast.Module:
    return ast.parse(SPEC.read_text(encoding="utf-8"), filename=str(SPEC))


def spec_function(tree: ast.Module, name: str):
    """Compile one top-level function of the spec on its own (the spec needs PyInstaller to run whole)."""
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            module = ast.Module(body=[ast.Import(names=[ast.alias("tomllib")]),
                                      ast.ImportFrom("pathlib", [ast.alias("Path")], 0), node],
                                type_ignores=[])
            namespace: dict = {}
            exec(compile(ast.fix_missing_locations(module), str(SPEC), "exec"), namespace)
            return namespace[name]
    raise AssertionError(f"{SPEC.name} has no function {name}")


# -- the PyInstaller spec ------------------------------------------------------------------------


def test_spec_reads_name_and_version_from_pyproject(spec_tree, pyproject, tmp_path):
    read_project = spec_function(spec_tree, "read_project")
    assert read_project(ROOT / "pyproject.toml") == (pyproject["project"]["name"], pyproject["project"]["version"])
    # and really reads the file: a bumped version comes through
    bumped = tmp_path / "pyproject.toml"
    bumped.write_text((ROOT / "pyproject.toml").read_text(encoding="utf-8").replace(
        f'version = "{pyproject["project"]["version"]}"', 'version = "9.8.7"', 1), encoding="utf-8")
    assert read_project(bumped) == (pyproject["project"]["name"], "9.8.7")


def test_spec_reads_the_import_package_from_pyproject(spec_tree, pyproject):
    read_package = spec_function(spec_tree, "read_package")
    import claimdesk.cli

    assert read_package(ROOT / "pyproject.toml") == claimdesk.cli.__name__.split(".")[0]
    assert pyproject["project"]["scripts"]["claimdesk"] == f"{claimdesk.cli.__name__}:main"


def test_spec_names_the_bundle_after_the_project(spec_tree):
    assigned = [n for n in spec_tree.body if isinstance(n, ast.Assign)
                and isinstance(n.targets[0], ast.Tuple)
                and [e.id for e in n.targets[0].elts] == ["APP_NAME", "APP_VERSION"]]
    assert assigned, "the spec must set APP_NAME, APP_VERSION from read_project(...)"
    call = assigned[0].value
    assert isinstance(call, ast.Call) and call.func.id == "read_project"
    assert "pyproject.toml" in ast.unparse(call)
    names = {}
    for node in ast.walk(spec_tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("EXE", "COLLECT"):
            for kw in node.keywords:
                if kw.arg == "name":
                    names.setdefault(node.func.id, set()).add(ast.unparse(kw.value))
    assert names == {"EXE": {"APP_NAME"}, "COLLECT": {"APP_NAME"}}


def test_spec_bundles_what_the_app_loads_from_disk(spec_tree):
    text = ast.unparse(spec_tree)
    # resources/ goes where importlib.resources finds the package's data; the schema is a module of it
    assert "tree(ROOT / 'resources', f'{PACKAGE}/resources')" in text
    assert "f'{PACKAGE}.db.migrations'" in text
    assert "launcher.py" in text and (PACKAGING / "launcher.py").is_file()
    # the spaCy model is loaded by package name: its code, data and metadata must go in
    from claimdesk.nlp.suggest import DEFAULT_MODEL

    assert f"SPACY_MODEL = '{DEFAULT_MODEL}'" in text
    assert "collect_data_files(SPACY_MODEL)" in text and "copy_metadata(dist)" in text
    # claimdesk.__version__ comes from the installed distribution's metadata
    assert "copy_metadata(APP_NAME)" in text


def test_launcher_opens_a_project_file_in_the_window(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("claimdesk_launcher", PACKAGING / "launcher.py")
    launcher = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(launcher)
    opened = launcher.bundle_argv(["story" + PROJECT_SUFFIX])
    assert opened[:2] == ["gui", "--db"] and Path(opened[2]).is_absolute()
    assert Path(opened[2]).name == "story" + PROJECT_SUFFIX
    assert launcher.bundle_argv([]) == []
    assert launcher.bundle_argv(["--selftest"]) == ["--selftest"]
    assert launcher.bundle_argv(["import", "--db", "x" + PROJECT_SUFFIX, "a.txt"]) == [
        "import", "--db", "x" + PROJECT_SUFFIX, "a.txt"]
    # the desktop knows a project by its content too, so the file may have lost its suffix
    renamed = tmp_path / "from-a-colleague"
    renamed.write_bytes(b"SQLite format 3\x00")
    assert launcher.bundle_argv([str(renamed)]) == ["gui", "--db", str(renamed)]
    # a subcommand stays a subcommand, even with a file of that name in the folder
    monkeypatch.chdir(tmp_path)
    (tmp_path / "gui").write_text("")
    assert launcher.bundle_argv(["gui"]) == ["gui"]
    assert launcher.bundle_argv(["no-such-file"]) == ["no-such-file"]


def read_pins(text: str) -> dict[str, tuple[str, int]]:
    """name -> (version, number of hashes) from a `uv pip compile --generate-hashes` file."""
    pins: dict[str, tuple[str, int]] = {}
    current = None
    for line in text.splitlines():
        if line and not line.startswith((" ", "#")):
            name, version = line.rstrip(" \\").split("==")
            current = name.lower()
            pins[current] = (version, 0)
        elif line.strip().startswith("--hash=sha256:") and current:
            version, n = pins[current]
            pins[current] = (version, n + 1)
    return pins


def test_build_requirements_are_pinned_with_hashes():
    wanted = {}
    for line in (PACKAGING / "requirements-build.in").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, version = line.split("==")
            wanted[name.lower()] = version
    assert "pyinstaller" in wanted
    pins = read_pins((PACKAGING / "requirements-build.txt").read_text())
    for name, version in wanted.items():
        assert pins.get(name, (None,))[0] == version, f"{name}: the .txt pins {pins.get(name)}, the .in asks {version}"
    assert all(n > 0 for _, n in pins.values()), "pip install --require-hashes needs a hash for every pin"
    # the build tools must not fight the app's lock over the packages they share
    lock = read_pins((ROOT / "requirements.lock").read_text())
    for name, (version, _) in pins.items():
        if name in lock:
            assert lock[name][0] == version, f"{name}: {version} for the build, {lock[name][0]} in requirements.lock"


def test_build_script_is_valid_bash():
    proc = subprocess.run(["bash", "-n", str(PACKAGING / "build.sh")], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    script = (PACKAGING / "build.sh").read_text()
    for needed in ("requirements.lock", "packaging/requirements-build.txt", "packaging/claimdesk.spec",
                   "--require-hashes", "--selftest"):
        assert needed in script


@pytest.mark.skipif(shutil.which("shellcheck") is None, reason="shellcheck not installed")
def test_shell_scripts_pass_shellcheck():
    scripts = [PACKAGING / "build.sh", LINUX / "install.sh"]
    proc = subprocess.run(["shellcheck", *map(str, scripts)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout


# -- the .desktop file ------------------------------------------------------------------------------


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(DESKTOP, encoding="utf-8")
    return parser["Desktop Entry"]


def test_desktop_file_matches_the_project(pyproject):
    entry = desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Name"] == APP_NAME
    command = entry["Exec"].split()
    assert command[0] in pyproject["project"]["scripts"], "Exec must run the claimdesk command"
    assert command[1:] == ["%f"]
    assert entry["Icon"] == APP_ID
    assert MIME_TYPE in entry["MimeType"].split(";")
    assert entry["Terminal"] == "false"


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="desktop-file-utils not installed")
def test_desktop_file_validates():
    proc = subprocess.run(["desktop-file-validate", str(DESKTOP)], capture_output=True, text=True)
    assert proc.returncode == 0 and not proc.stdout.strip(), proc.stdout + proc.stderr


# -- AppStream ---------------------------------------------------------------------------------------


def test_appstream_metadata_matches_the_project(pyproject):
    root = ET.parse(METAINFO).getroot()
    assert root.tag == "component" and root.get("type") == "desktop-application"
    app_id = root.findtext("id")
    assert app_id == APP_ID
    assert app_id.rsplit(".", 1)[1].lower() == pyproject["project"]["name"]
    assert root.findtext("name") == APP_NAME
    assert root.findtext("launchable") == DESKTOP.name
    license = pyproject["project"]["license"]  # a table ({text = ...}) or an SPDX string
    assert root.findtext("project_license") == (license["text"] if isinstance(license, dict) else license)
    assert root.findtext("provides/binary") in pyproject["project"]["scripts"]
    assert root.findtext("provides/mediatype") == MIME_TYPE
    releases = root.findall("releases/release")
    assert releases, "AppStream metadata must list the releases"
    assert releases[0].get("version") == pyproject["project"]["version"], (
        "add a <release> for the pyproject.toml version at the top of the metainfo file")
    dates = [r.get("date") for r in releases]
    assert dates == sorted(dates, reverse=True), "releases go newest first"


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="appstream not installed")
def test_appstream_metadata_validates():
    proc = subprocess.run(["appstreamcli", "validate", "--no-net", str(METAINFO)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


# -- the .claimdesk file type ---------------------------------------------------------------------


def mime_magic() -> tuple[str, int, int]:
    root = ET.parse(MIME).getroot()
    mt = root.find("m:mime-type", MIME_NS)
    assert mt.get("type") == MIME_TYPE
    assert [g.get("pattern") for g in mt.findall("m:glob", MIME_NS)] == ["*" + PROJECT_SUFFIX]
    outer = mt.find("m:magic/m:match", MIME_NS)
    inner = outer.find("m:match", MIME_NS)
    assert inner.get("type") == "big32"
    return outer.get("value"), int(inner.get("offset")), int(inner.get("value"), 16)


def test_mime_magic_matches_a_real_project_file(tmp_path):
    from claimdesk.storage.project import APPLICATION_ID, Project

    prefix, offset, app_id = mime_magic()
    assert app_id == APPLICATION_ID
    path = tmp_path / ("story" + PROJECT_SUFFIX)
    Project(path).close()
    head = path.read_bytes()[:100]
    assert head.startswith(prefix.encode())
    assert struct.unpack(">I", head[offset:offset + 4])[0] == app_id


@pytest.mark.skipif(shutil.which("update-mime-database") is None or shutil.which("gio") is None,
                    reason="shared-mime-info or gio not installed")
def test_the_desktop_recognises_a_project_without_its_suffix(tmp_path):
    from claimdesk.storage.project import Project

    data = tmp_path / "share"
    (data / "mime" / "packages").mkdir(parents=True)
    shutil.copy(MIME, data / "mime" / "packages")
    subprocess.run(["update-mime-database", str(data / "mime")], check=True, capture_output=True)
    renamed = tmp_path / "sent-by-a-colleague"
    Project(tmp_path / "p.claimdesk").close()
    shutil.copy(tmp_path / "p.claimdesk", renamed)
    plain = tmp_path / "plain.sqlite-but-no-suffix"
    import sqlite3

    conn = sqlite3.connect(plain)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    env = {"XDG_DATA_HOME": str(data), "XDG_DATA_DIRS": "/usr/share", "PATH": "/usr/bin:/bin"}

    def content_type(path: Path) -> str:
        out = subprocess.run(["gio", "info", "-a", "standard::content-type", str(path)],
                             capture_output=True, text=True, env=env, check=True).stdout
        return out.split("standard::content-type:")[1].strip()

    assert content_type(renamed) == MIME_TYPE
    assert content_type(plain) != MIME_TYPE


# -- the icon -------------------------------------------------------------------------------------------


def test_icon_is_an_svg_and_a_256_px_png():
    svg = ROOT / "resources" / "icons" / "claimdesk.svg"
    root = ET.parse(svg).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox") == "0 0 256 256"
    png = (ROOT / "resources" / "icons" / "claimdesk.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png[12:16] == b"IHDR"
    assert struct.unpack(">II", png[16:24]) == (256, 256)
