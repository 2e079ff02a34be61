"""Creating a project from nothing, and upgrading every released schema with its data intact.

``db/fixtures/schema-N.claimdesk`` is a project as a release of schema N left it
on disk. Opening it must give the current schema and every row it had; when a
migration runs, a checked backup copy is written first, and a migration that
fails leaves the file as it was.
"""

from __future__ import annotations

import subprocess
import sys
import types

import pytest
from sqlite_utils import Migrations
from storage_helpers import FIXTURES, ROOT, all_rows, copy_fixture, read_only, sha256, sidecars

import claimdesk.storage.safety as project_mod
from claimdesk.services.review import ReviewService
from claimdesk.storage.project import APPLICATION_ID, SCHEMA_VERSION, Project, ProjectError


def test_there_is_a_fixture_for_every_released_schema():
    versions = sorted(int(p.stem.split("-")[1]) for p in FIXTURES)
    assert versions == list(range(1, SCHEMA_VERSION + 1))


def test_a_new_project_from_nothing(tmp_path):
    path = tmp_path / "new" / "folders" / "story.claimdesk"
    with Project(path) as project:
        assert project.schema_version == SCHEMA_VERSION
        assert project.conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert project.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert project.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert project.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert project.integrity_check() == ["ok"]
        assert project.backup_path is None
    # nothing else left in the folder: no temporary file, no backup, no WAL after closing
    assert [p.name for p in path.parent.iterdir()] == ["story.claimdesk"]
    with Project(path, create=False) as again:
        assert again.counts() == {"articles": 0, "claims": 0, "reviewed": 0, "links": 0, "open_conflicts": 0}


@pytest.mark.parametrize("fixture", FIXTURES, ids=[p.name for p in FIXTURES])
def test_every_fixture_opens_at_the_current_schema_with_its_data(tmp_path, fixture):
    path = tmp_path / fixture.name
    path.write_bytes(fixture.read_bytes())
    version = int(fixture.stem.split("-")[1])
    before = all_rows(path)
    assert len(before["claims"]) > 10 and len(before["events"]) > 10  # the fixture has real content
    with Project(path) as project:
        assert project.schema_version == SCHEMA_VERSION
        assert project.integrity_check() == ["ok"]
        if version < SCHEMA_VERSION:
            assert project.backup_path is not None and all_rows(project.backup_path) == before
        else:
            assert project.backup_path is None
        assert ReviewService(project).can_undo  # the undo stack is rebuilt from the upgraded history
    after = all_rows(path)
    for table, rows in before.items():
        if table == "_sqlite_migrations":
            assert [r["name"] for r in after[table][: len(rows)]] == [r["name"] for r in rows]
            continue
        if table == "settings":  # Claimdesk's own bookkeeping rows (journal tokens, id marks) may be added
            assert {r["key"]: r["value"] for r in rows}.items() <= {r["key"]: r["value"] for r in after[table]}.items()
            continue
        assert len(after[table]) == len(rows), table
        for old, new in zip(rows, after[table]):
            assert {k: new[k] for k in old if k in new} == old, table
    # and the reviewer carries on: a new decision, then undo of it
    with Project(path) as project:
        svc = ReviewService(project, actor="upgrade-test")
        claim = project.claims(status="suggested")[0]
        svc.reject(claim.id)
        svc.undo()
        assert project.claim(claim.id).status == "suggested"


@pytest.fixture
def future_schema(monkeypatch):
    """The migrations of this release plus one more step, as the next release will have."""
    def install(step):
        migrations = Migrations("claimdesk")
        for m in project_mod._MIGRATIONS.migrations._migrations:
            migrations(name=m.name)(m.fn)
        migrations(name="m999_future_step")(step)
        fake = types.SimpleNamespace(
            migrations=migrations, APPLICATION_ID=APPLICATION_ID, SCHEMA_VERSION=SCHEMA_VERSION + 1
        )
        monkeypatch.setattr(project_mod, "_MIGRATIONS", fake)
        monkeypatch.setattr(project_mod, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
        project_mod._expected_schema.cache_clear()
    yield install
    project_mod._expected_schema.cache_clear()


def test_a_migration_keeps_a_checked_backup_and_all_the_data(tmp_path, future_schema):
    def add_column(db):
        db["claims"].add_column("checked_by_desk", str)
        db.execute("UPDATE claims SET checked_by_desk = 'no'")

    future_schema(add_column)
    path = copy_fixture(tmp_path)
    before_bytes = path.read_bytes()
    before = all_rows(path)
    with Project(path) as project:
        assert project.schema_version == SCHEMA_VERSION + 1
        backup = project.backup_path
        assert backup is not None and backup.name.startswith(f"{path.name}.schema{SCHEMA_VERSION}-")
        assert {r[0] for r in project.conn.execute("SELECT DISTINCT checked_by_desk FROM claims")} == {"no"}
        assert project.integrity_check() == ["ok"]
    # the backup is the project as it was, and opens on its own
    assert all_rows(backup) == before
    conn = read_only(backup)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.close()
    assert not sidecars(backup)
    after = all_rows(path)
    for table, rows in before.items():
        if table == "settings":  # the journal's tokens change with every write
            rows = [r for r in rows if r["key"] != "journal.tokens"]
            after[table] = [r for r in after[table] if r["key"] != "journal.tokens"]
        if table != "_sqlite_migrations":
            assert [{k: r[k] for k in old} for r, old in zip(after[table], rows)] == rows
    assert path.read_bytes() != before_bytes
    # a second upgrade in the same second gets its own backup name
    path2 = tmp_path / "second.claimdesk"
    path2.write_bytes(before_bytes)
    with Project(path2) as p2:
        assert p2.backup_path != backup and p2.backup_path.exists()


def test_a_failing_migration_changes_nothing(tmp_path, future_schema):
    def broken(db):
        db["claims"].add_column("half_done", str)
        raise RuntimeError("step failed half-way")

    future_schema(broken)
    path = copy_fixture(tmp_path)
    before = all_rows(path)
    with pytest.raises(ProjectError) as err:
        Project(path)
    message = str(err.value)
    assert "could not be upgraded" in message and "unchanged" in message and "step failed" in message
    assert ".bak" in message
    assert all_rows(path) == before
    assert not sidecars(path)
    conn = read_only(path)
    assert "half_done" not in {r[1] for r in conn.execute("PRAGMA table_info(claims)")}
    conn.close()


def test_no_migration_without_its_backup(tmp_path, future_schema, monkeypatch):
    """If the backup cannot be written (here: the disk fills up on fsync), the file is not upgraded."""
    ran = []
    future_schema(lambda db: ran.append(True))
    path = copy_fixture(tmp_path)
    before = sha256(path)

    def no_space(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(project_mod.os, "fsync", no_space)
    with pytest.raises(ProjectError, match="backup copy could not be written.*nothing was changed"):
        Project(path)
    assert ran == []
    assert sha256(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


CREATE_AND_DIE = """
import os, sys
import claimdesk.storage.safety as pm
real = pm._MIGRATIONS.migrations.apply
def apply_then_die(db, **kw):
    real(db, **kw)
    os._exit(9)  # killed after the schema was written, before it was committed
pm._MIGRATIONS.migrations.apply = apply_then_die
pm.ProjectFile(sys.argv[1])
"""


def test_a_creation_cut_off_half_way_leaves_no_half_project(tmp_path):
    path = tmp_path / "new.claimdesk"
    proc = subprocess.run([sys.executable, "-c", CREATE_AND_DIE, str(path)], cwd=ROOT, timeout=60)
    assert proc.returncode == 9
    assert not path.exists()
    # the next start creates it properly (the interrupted attempt left only a hidden scrap file)
    with Project(path) as project:
        assert project.schema_version == SCHEMA_VERSION


def test_two_programs_creating_the_same_project_at_once(tmp_path):
    path = tmp_path / "shared.claimdesk"
    script = "import sys; from claimdesk.storage.project import Project; p = Project(sys.argv[1]); print(p.schema_version)"
    procs = [subprocess.Popen([sys.executable, "-c", script, str(path)], cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(3)]
    outs = [p.communicate(timeout=60) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], outs
    assert [o.strip() for o, _ in outs] == [str(SCHEMA_VERSION)] * 3
    assert [p.name for p in tmp_path.iterdir()] == ["shared.claimdesk"]
    with Project(path) as project:
        assert project.integrity_check() == ["ok"]


def test_a_dangling_link_in_the_way_is_a_clear_error(tmp_path):
    path = tmp_path / "story.claimdesk"
    path.symlink_to(tmp_path / "gone" / "elsewhere.claimdesk")
    with pytest.raises(ProjectError, match="cannot create"):
        Project(path)
    assert path.is_symlink() and sorted(p.name for p in tmp_path.iterdir()) == ["story.claimdesk"]
