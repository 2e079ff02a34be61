"""Issue 16, finding 7: the .claimdesk file alone holds every decision reported done; a stale -wal is never applied."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from claimdesk.services.review import ReviewService
from claimdesk.storage.project import Project, ProjectError

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "db" / "fixtures" / "schema-1.claimdesk"


def _statuses(path: Path) -> dict[int, str]:
    with Project(path) as p:
        return {c.id: c.status for c in p.claims(with_values=False)}


def test_a_copy_taken_while_the_window_is_open_holds_every_decision(tmp_path):
    path = tmp_path / "story.claimdesk"
    shutil.copyfile(FIXTURE, path)
    project = Project(path)  # stays open, as the window keeps it
    service = ReviewService(project, actor="alice")
    decided = {}
    for cid in (7, 8, 9, 10, 11):
        service.reject(cid)
        decided[cid] = "rejected"
        copy = tmp_path / f"mailed-{cid}.claimdesk"
        shutil.copyfile(path, copy)  # only the file: no -wal travels with it
        got = _statuses(copy)
        assert {c: got[c] for c in decided} == decided
    assert Path(f"{path}-wal").stat().st_size == 0  # nothing waits in the journal between decisions
    project.close()


_CRASH = textwrap.dedent("""
    import os, sys
    sys.path.insert(0, {root!r})
    from claimdesk.storage.project import Project
    from claimdesk.services.review import ReviewService
    Project._checkpoint = lambda self: None   # die before the journal is copied into the file
    p = Project({path!r})
    s = ReviewService(p, actor="bob")
    for cid in (12, 13, 14):
        s.reject(cid)
    os._exit(0)                                # no close: the -wal stays, full
""")


def _crash_with_full_wal(path: Path) -> None:
    subprocess.run([sys.executable, "-c", _CRASH.format(root=str(ROOT), path=str(path))], check=True, timeout=120)
    assert Path(f"{path}-wal").stat().st_size > 0


def test_the_journal_of_a_crash_is_applied_to_its_own_file(tmp_path):
    path = tmp_path / "story.claimdesk"
    shutil.copyfile(FIXTURE, path)
    with Project(path) as p:
        ReviewService(p, actor="alice").reject(7)
    _crash_with_full_wal(path)
    got = _statuses(path)
    assert [got[c] for c in (7, 12, 13, 14)] == ["rejected"] * 4


def test_a_stale_journal_beside_a_restored_copy_is_never_applied(tmp_path):
    path = tmp_path / "story.claimdesk"
    shutil.copyfile(FIXTURE, path)
    with Project(path) as p:
        ReviewService(p, actor="alice").reject(7)
    yesterday = tmp_path / "yesterday.claimdesk"
    shutil.copyfile(path, yesterday)
    with Project(path) as p:
        ReviewService(p, actor="alice").reject(8)  # today's work, then a crash
    _crash_with_full_wal(path)
    shutil.copyfile(yesterday, path)  # restore yesterday's copy; today's -wal is still beside it
    wal = Path(f"{path}-wal")
    before = path.read_bytes(), wal.read_bytes()
    with pytest.raises(ProjectError, match="does not belong to it"):
        Project(path)
    assert (path.read_bytes(), wal.read_bytes()) == before  # not applied, nothing written
    wal.unlink()
    Path(f"{path}-shm").unlink(missing_ok=True)
    got = _statuses(path)
    assert got[7] == "rejected" and got[8] != "rejected" and got[12] != "rejected"  # yesterday, as it was
