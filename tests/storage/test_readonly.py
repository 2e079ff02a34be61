"""Issue 16, finding 11: a project on a read-only file, folder or mount can be read and exported."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from storage_helpers import ROOT, copy_fixture, sha256

from claimdesk.services.review import ReviewService
from claimdesk.storage.project import Project, ProjectError


def _unshare_works() -> bool:
    if not shutil.which("unshare"):
        return False
    try:
        return subprocess.run(["unshare", "-rm", "true"], capture_output=True, timeout=20).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


@pytest.mark.skipif(not _unshare_works(), reason="needs user namespaces (unshare -rm) to mount a folder read-only")
@pytest.mark.parametrize("fmt", ["md", "json", "csv"])
def test_export_from_a_read_only_mount(tmp_path, fmt):
    folder = tmp_path / "ro"
    folder.mkdir()
    path = copy_fixture(folder)
    digest = sha256(path)
    out = tmp_path / f"sheet.{fmt}"
    script = (f"mount --bind {folder} {folder} && mount -o remount,bind,ro {folder} && "
              f"{sys.executable} -m claimdesk.cli export --db {path} --format {fmt} -o {out}")
    done = subprocess.run(["unshare", "-rm", "sh", "-c", script], capture_output=True, text=True, timeout=120,
                          cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert done.returncode == 0, done.stderr
    assert out.stat().st_size > 0
    assert sorted(p.name for p in folder.iterdir()) == [path.name] and sha256(path) == digest


def test_read_only_open_reads_and_refuses_writes_in_one_line(tmp_path):
    path = copy_fixture(tmp_path)
    digest = sha256(path)
    with Project(path, readonly=True) as project:
        suggested = project.claims(status="suggested")
        assert project.counts()["claims"] > len(suggested) > 0
        with pytest.raises(ProjectError, match="reading only"):
            ReviewService(project, actor="alice").confirm(suggested[0].id)
    assert sha256(path) == digest


def test_read_only_open_of_a_missing_file_creates_nothing(tmp_path):
    with pytest.raises(ProjectError, match="does not exist"):
        Project(tmp_path / "none.claimdesk", readonly=True)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads and writes whatever the mode says")
def test_export_of_a_read_only_file_in_a_read_only_folder(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    path = copy_fixture(folder)
    path.chmod(0o444)
    folder.chmod(0o555)
    try:
        from claimdesk.export import export_project

        with Project(path, readonly=True) as project:
            export_project(project, "md", tmp_path / "sheet.md")
    finally:
        folder.chmod(0o755)
    assert (tmp_path / "sheet.md").stat().st_size > 0
