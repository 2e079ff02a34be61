"""``pip install .`` gives a working Claimdesk: the wheel carries the code, its data and its schema.

The wheel is built from a copy of the checkout's packaged files (so the build leaves nothing in
the checkout), installed into a fresh virtual environment that cannot see the checkout, and
``claimdesk --selftest`` runs there. The third-party packages come from this environment's
site-packages through a ``.pth`` line (no network); a path listed in a ``.pth`` file is added
to ``sys.path`` without running the ``.pth`` files it holds, so the editable install's finder
for the checkout stays out.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path

import pytest

import claimdesk

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = claimdesk.__name__
SOURCE_FOLDERS = {PACKAGE: ROOT / "app", f"{PACKAGE}.resources": ROOT / "resources", f"{PACKAGE}.db": ROOT / "db"}


def pyproject() -> dict:
    with open(ROOT / "pyproject.toml", "rb") as fh:
        return tomllib.load(fh)


def test_every_package_of_the_source_is_listed_for_the_wheel():
    """setuptools cannot discover packages whose import names differ from their folders: they are listed."""
    listed = set(pyproject()["tool"]["setuptools"]["packages"])
    found = {PACKAGE, f"{PACKAGE}.resources", f"{PACKAGE}.db"}
    for init in (ROOT / "app").rglob("__init__.py"):
        rel = init.parent.relative_to(ROOT / "app")
        if "__pycache__" not in rel.parts:
            found.add(".".join((PACKAGE, *rel.parts)) if rel.parts else PACKAGE)
    assert listed == found, "list these in [tool.setuptools] packages of pyproject.toml: " + ", ".join(
        sorted(found - listed)) + (" and drop: " + ", ".join(sorted(listed - found)) if listed - found else "")


def test_the_build_maps_the_data_folders_into_the_package():
    mapping = pyproject()["tool"]["setuptools"]["package-dir"]
    assert {name: ROOT / folder for name, folder in mapping.items()} == SOURCE_FOLDERS


def _stage(tmp: Path) -> Path:
    """The files a source distribution of Claimdesk holds, copied outside the checkout."""
    src = tmp / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".*")
    for folder in SOURCE_FOLDERS.values():
        shutil.copytree(folder, src / folder.name, ignore=ignore)
    return src


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("wheel")
    src = _stage(tmp)
    out = tmp / "dist"
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q",
         "-w", str(out), str(src)], capture_output=True, text=True, cwd=tmp)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (built,) = out.glob("claimdesk-*.whl")
    return built


@pytest.mark.slow  # builds the wheel (about 15 s)
def test_the_wheel_carries_the_data_and_the_schema_but_no_test_fixture(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {p.relative_to(ROOT / "resources").as_posix() for p in (ROOT / "resources").rglob("*")
               if p.is_file() and "__pycache__" not in p.parts and not p.name.startswith(".")}
    missing = sorted(f for f in shipped if f"{PACKAGE}/resources/{f}" not in names)
    assert not missing, f"not in the wheel: {missing[:10]}"
    assert f"{PACKAGE}/db/migrations.py" in names
    assert f"{PACKAGE}/cli.py" in names and f"{PACKAGE}/core/model.py" in names
    assert not [n for n in names if n.startswith(f"{PACKAGE}/db/fixtures") or n.startswith("tests/")]
    version = pyproject()["project"]["version"]
    assert {n.split("/")[0] for n in names} == {PACKAGE, f"claimdesk-{version}.dist-info"}


@pytest.mark.slow
def test_the_installed_wheel_passes_the_selftest_without_the_checkout(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    # this environment's third-party packages, after the new environment's own site-packages
    (site / "zz_dev_packages.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
                           "--no-index", "-q", str(wheel)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr

    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env["CLAIMDESK_DATA_DIR"] = str(tmp_path / "data")
    where = subprocess.run(
        [str(python), "-c", f"import sys, {PACKAGE}, {PACKAGE}.paths as p; print({PACKAGE}.__file__); print(p.resources_dir());"
                            f"print(any('__editable__' in getattr(f, '__module__', '') for f in sys.meta_path))"],
        capture_output=True, text=True, cwd=tmp_path, env=env)
    assert where.returncode == 0, where.stderr
    package_file, resources, editable = where.stdout.split("\n")[:3]
    assert Path(package_file).is_relative_to(site) and Path(resources) == site / PACKAGE / "resources", where.stdout
    assert editable == "False", "the checkout's editable finder is visible in the fresh environment"

    proc = subprocess.run([str(venv / "bin" / "claimdesk"), "--selftest"], capture_output=True, text=True,
                          cwd=tmp_path, env=env, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr[-3000:]
    assert f"files in {site / PACKAGE / 'resources'}" in proc.stdout
    assert proc.stdout.rstrip().endswith("selftest passed: 9 steps"), proc.stdout
