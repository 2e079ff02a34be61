"""packaging/linux/install.sh puts the bundle and its desktop files in place, and takes them away."""

from __future__ import annotations

import configparser
import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINUX = ROOT / "packaging" / "linux"
APP_ID = "org.claimdesk.Claimdesk"


@pytest.fixture
def bundle(tmp_path) -> Path:
    """A bundle folder laid out as packaging/build.sh leaves it, with a stand-in program."""
    b = tmp_path / "Downloads" / "claimdesk"
    (b / "_internal").mkdir(parents=True)
    exe = b / "claimdesk"
    exe.write_text('#!/bin/sh\necho "claimdesk stand-in $*"\n')
    exe.chmod(exe.stat().st_mode | stat.S_IXUSR)
    shutil.copytree(LINUX, b / "share", ignore=shutil.ignore_patterns("install.sh"))
    (b / "share" / "icons").mkdir()
    for icon in ("claimdesk.svg", "claimdesk.png"):
        shutil.copy(ROOT / "resources" / "icons" / icon, b / "share" / "icons" / icon)
    shutil.copy(LINUX / "install.sh", b / "install.sh")
    return b


def run(script: Path, home: Path, *args: str) -> subprocess.CompletedProcess:
    env = {"HOME": str(home), "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    return subprocess.run(["sh", str(script), *args], capture_output=True, text=True, env=env)


def test_install_for_one_user_then_uninstall(bundle, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    proc = run(bundle / "install.sh", home)
    assert proc.returncode == 0, proc.stderr
    opt = home / ".local" / "opt" / "claimdesk"
    share = home / ".local" / "share"
    assert (opt / "claimdesk").is_file() and (opt / "_internal").is_dir()
    link = home / ".local" / "bin" / "claimdesk"
    assert link.is_symlink() and link.resolve() == (opt / "claimdesk").resolve()
    out = subprocess.run([str(link), "--version"], capture_output=True, text=True).stdout
    assert out.strip() == "claimdesk stand-in --version"

    desktop = share / "applications" / f"{APP_ID}.desktop"
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str
    parser.read(desktop)
    assert parser["Desktop Entry"]["Exec"] == f'"{opt}/claimdesk" %f'
    if shutil.which("desktop-file-validate"):
        v = subprocess.run(["desktop-file-validate", str(desktop)], capture_output=True, text=True)
        assert v.returncode == 0 and not v.stdout.strip(), v.stdout
    for path in (share / "metainfo" / f"{APP_ID}.metainfo.xml",
                 share / "mime" / "packages" / f"{APP_ID}.xml",
                 share / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg",
                 share / "icons" / "hicolor" / "256x256" / "apps" / f"{APP_ID}.png"):
        assert path.is_file(), path
    if shutil.which("update-mime-database"):
        assert "application/x-claimdesk" in (share / "mime" / "globs2").read_text()

    # the downloaded folder can go; the installed copy stays and uninstalls itself
    shutil.rmtree(bundle)
    proc = run(opt / "install.sh", home, "--uninstall")
    assert proc.returncode == 0, proc.stderr
    assert not opt.exists() and not link.exists() and not desktop.exists()
    assert not (share / "mime" / "packages" / f"{APP_ID}.xml").exists()


def test_install_refuses_a_folder_that_is_not_a_bundle(tmp_path):
    script = tmp_path / "install.sh"
    shutil.copy(LINUX / "install.sh", script)
    home = tmp_path / "home"
    home.mkdir()
    proc = run(script, home)
    assert proc.returncode != 0
    assert "unpacked Claimdesk folder" in proc.stderr
    assert not (home / ".local" / "opt").exists()
