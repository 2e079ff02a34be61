"""A file that is not a healthy Claimdesk project is refused with one clear message and left untouched.

Untouched means: the same bytes (sha256) before and after, and no ``-wal``,
``-shm`` or ``-journal`` file created beside it by the refusal.
"""

from __future__ import annotations

import random
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from storage_helpers import ROOT, copy_fixture, header_int, sha256, sidecars

import claimdesk.storage.safety as project_mod
from claimdesk.storage.project import APPLICATION_ID, SCHEMA_VERSION, Project, ProjectError


def _truncated_half(tmp_path: Path) -> Path:
    p = copy_fixture(tmp_path)
    data = p.read_bytes()
    p.write_bytes(data[: len(data) // 2])
    return p


def _truncated_to_one_page(tmp_path: Path) -> Path:
    p = copy_fixture(tmp_path)
    p.write_bytes(p.read_bytes()[:4096])
    return p


def _truncated_inside_header(tmp_path: Path) -> Path:
    p = copy_fixture(tmp_path)
    p.write_bytes(p.read_bytes()[:60])
    return p


def _random_bytes_over_the_middle(seed: int):
    def make(tmp_path: Path) -> Path:
        p = copy_fixture(tmp_path)
        data = bytearray(p.read_bytes())
        rng = random.Random(seed)
        middle = len(data) // 2
        start = middle - rng.randrange(4096)  # two pages' worth: at least one page header is hit
        data[start:start + 8192] = rng.randbytes(8192)
        p.write_bytes(bytes(data))
        return p
    return make


def _plain_sqlite_from_elsewhere(tmp_path: Path) -> Path:
    p = tmp_path / "contacts.claimdesk"
    conn = sqlite3.connect(p)
    conn.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
    conn.execute("INSERT INTO contacts VALUES ('Ana', '555-0100')")
    conn.commit()
    conn.close()
    return p


def _empty_sqlite_database(tmp_path: Path) -> Path:
    p = tmp_path / "blank.claimdesk"
    conn = sqlite3.connect(p)
    conn.execute("PRAGMA user_version = 0")
    conn.execute("VACUUM")  # writes the header: a valid, empty SQLite file
    conn.close()
    return p


def _newer_schema(tmp_path: Path) -> Path:
    p = copy_fixture(tmp_path)
    data = bytearray(p.read_bytes())
    data[60:64] = (SCHEMA_VERSION + 1).to_bytes(4, "big")  # PRAGMA user_version lives at offset 60
    p.write_bytes(bytes(data))
    return p


def _empty_file(tmp_path: Path) -> Path:
    p = tmp_path / "empty.claimdesk"
    p.write_bytes(b"")
    return p


def _directory(tmp_path: Path) -> Path:
    p = tmp_path / "folder.claimdesk"
    p.mkdir()
    (p / "inside.txt").write_text("a file in the folder")
    return p


def _text_file(tmp_path: Path) -> Path:
    p = tmp_path / "notes.claimdesk"
    p.write_text("Call the ministry about the €84 million figure.\n")
    return p


def _foreign_trigger(tmp_path: Path) -> Path:
    """A project someone sends, with a trigger that would quietly delete the reviewer's notes."""
    p = copy_fixture(tmp_path)
    conn = sqlite3.connect(p)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("CREATE TRIGGER tidy AFTER UPDATE ON claims BEGIN DELETE FROM notes; END")
    conn.commit()
    conn.close()
    return p


def _foreign_view(tmp_path: Path) -> Path:
    p = copy_fixture(tmp_path)
    conn = sqlite3.connect(p)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("CREATE VIEW claims_view AS SELECT * FROM claims")
    conn.commit()
    conn.close()
    return p


def _missing_table(tmp_path: Path) -> Path:
    p = copy_fixture(tmp_path)
    conn = sqlite3.connect(p)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("DROP TABLE settings")
    conn.commit()
    conn.close()
    return p


def _append_only_trigger_removed(tmp_path: Path) -> Path:
    p = copy_fixture(tmp_path)
    conn = sqlite3.connect(p)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("DROP TRIGGER events_append_only_delete")
    conn.commit()
    conn.close()
    return p


def _claimdesk_id_without_schema(tmp_path: Path) -> Path:
    p = tmp_path / "odd.claimdesk"
    conn = sqlite3.connect(p)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    return p


def _index_out_of_step(tmp_path: Path) -> Path:
    """A table row changed behind its index's back: only the full integrity_check sees it."""
    p = copy_fixture(tmp_path)
    conn = sqlite3.connect(p, isolation_level=None)
    conn.execute("PRAGMA journal_mode = DELETE")
    row = conn.execute("SELECT type, name, tbl_name, rootpage, sql FROM sqlite_master "
                       "WHERE name = 'idx_claims_status'").fetchone()
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("DELETE FROM sqlite_master WHERE name = 'idx_claims_status'")
    conn.close()
    conn = sqlite3.connect(p, isolation_level=None)
    conn.execute("UPDATE claims SET status = 'rejected' WHERE id = 1")
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("INSERT INTO sqlite_master VALUES (?, ?, ?, ?, ?)", row)
    conn.close()
    check = sqlite3.connect(p)
    assert check.execute("PRAGMA quick_check").fetchall() == [("ok",)]
    check.close()
    return p


CASES = {
    "index out of step with its table": (_index_out_of_step, "missing from index idx_claims_status"),
    "truncated to half": (_truncated_half, "cut short"),
    "truncated to one page": (_truncated_to_one_page, "cut short"),
    "truncated inside the header": (_truncated_inside_header, "cut short"),
    "random bytes over the middle (seed 1)": (_random_bytes_over_the_middle(1), "damaged"),
    "random bytes over the middle (seed 2)": (_random_bytes_over_the_middle(2), "damaged"),
    "random bytes over the middle (seed 3)": (_random_bytes_over_the_middle(3), "damaged"),
    "plain SQLite database from elsewhere": (_plain_sqlite_from_elsewhere, "not a Claimdesk project"),
    "empty SQLite database": (_empty_sqlite_database, "not a Claimdesk project"),
    "newer schema": (_newer_schema, "newer Claimdesk"),
    "empty file": (_empty_file, "empty"),
    "directory": (_directory, "folder"),
    "text file named .claimdesk": (_text_file, "not an SQLite database"),
    "foreign trigger": (_foreign_trigger, "trigger 'tidy'"),
    "foreign view": (_foreign_view, "view 'claims_view'"),
    "missing table": (_missing_table, "table 'settings' is missing"),
    "append-only guard removed": (_append_only_trigger_removed, "events_append_only_delete"),
    "Claimdesk id without a schema": (_claimdesk_id_without_schema, "damaged"),
}


def _fingerprint(path: Path):
    if path.is_dir():
        return sorted((p.name, p.read_bytes()) for p in path.iterdir())
    return sha256(path)


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_refused_with_a_clear_message_and_left_untouched(tmp_path, case):
    make, words = CASES[case]
    path = make(tmp_path)
    assert not sidecars(path)
    before = _fingerprint(path)
    listing = sorted(p.name for p in path.parent.iterdir())
    with pytest.raises(ProjectError) as err:
        Project(path)
    message = str(err.value)
    assert words in message
    assert str(path) in message
    assert "\n" not in message and "Traceback" not in message
    assert _fingerprint(path) == before
    assert not sidecars(path)
    assert sorted(p.name for p in path.parent.iterdir()) == listing  # no backup, no temporary file


def test_the_healthy_fixture_opens(tmp_path):
    """The control: the same file, unharmed, opens (so the refusals above are about the harm)."""
    path = copy_fixture(tmp_path)
    with Project(path) as project:
        assert project.counts()["claims"] > 10
        assert project.integrity_check() == ["ok"]


@pytest.mark.parametrize("command", [
    ["import", "--db", "{db}", "{article}"],
    ["review", "--db", "{db}", "--claim", "1", "confirm"],
    ["export", "--db", "{db}", "--format", "json", "-o", "{out}"],
])
def test_the_command_line_says_one_line_and_exits_non_zero(tmp_path, command):
    db = _random_bytes_over_the_middle(1)(tmp_path)
    article = tmp_path / "x.txt"
    article.write_text("The council spent £12m on roads in 2023, officials said.\n")
    before = sha256(db)
    args = [a.format(db=db, article=article, out=tmp_path / "out.json") for a in command]
    proc = subprocess.run([sys.executable, "-m", "claimdesk", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("claimdesk: ") and "damaged" in lines[0] and str(db) in lines[0]
    assert sha256(db) == before and not sidecars(db)
    assert not (tmp_path / "out.json").exists()


def test_newer_schema_message_names_both_versions(tmp_path):
    path = _newer_schema(tmp_path)
    assert header_int(path, 60) == SCHEMA_VERSION + 1
    with pytest.raises(ProjectError, match=rf"schema {SCHEMA_VERSION + 1}.*up to {SCHEMA_VERSION}"):
        Project(path)


def test_a_missing_file_is_not_created_when_asked_not_to(tmp_path):
    path = tmp_path / "nope.claimdesk"
    with pytest.raises(ProjectError, match="does not exist"):
        Project(path, create=False)
    assert list(tmp_path.iterdir()) == []


def test_big_files_get_the_quick_check(tmp_path, monkeypatch):
    """Above FULL_CHECK_MAX_BYTES only quick_check runs on open (it cannot see an index out of step)."""
    path = _index_out_of_step(tmp_path)
    monkeypatch.setattr(project_mod, "FULL_CHECK_MAX_BYTES", 1000)
    with Project(path) as project:
        assert project.integrity_check() == ["row 1 missing from index idx_claims_status"]
