"""Project files from elsewhere are opened defensively.

SQLite's defensive mode is on where Python can reach it (``Connection.setconfig``
on 3.12+, the C library on CPython 3.11), extension loading is off and
``trusted_schema`` is off, on every connection the project makes — the probe's
and the working one.
"""

from __future__ import annotations

import sqlite3
import sys

import pytest
from storage_helpers import copy_fixture

import claimdesk.storage.safety as project_mod
from claimdesk.storage.project import Project, harden


def _defensive_reachable() -> bool:
    return sys.version_info >= (3, 12) or project_mod._sqlite_api() is not None


@pytest.fixture
def project(tmp_path):
    p = Project(copy_fixture(tmp_path))
    yield p
    p.close()


def test_defensive_mode_is_on_where_python_can_reach_it(project):
    assert _defensive_reachable(), "defensive mode is not reachable on this Python: say why in README"
    assert project.defensive is True


def test_defensive_mode_stops_sql_from_rewriting_the_schema(project):
    conn = project.conn
    conn.execute("PRAGMA writable_schema = ON")
    with pytest.raises(sqlite3.OperationalError, match="may not be modified"):
        conn.execute("UPDATE sqlite_master SET sql = 'CREATE TABLE claims (x)' WHERE name = 'claims'")
    conn.rollback()
    # and the journal cannot be switched off to corrupt the file on a crash
    conn.execute("PRAGMA journal_mode = OFF")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert project.integrity_check() == ["ok"]


def test_a_plain_connection_would_have_allowed_it(tmp_path):
    """The control for the test above: without ``harden`` the same SQL goes through."""
    conn = sqlite3.connect(tmp_path / "plain.db")
    conn.execute("CREATE TABLE t (a)")
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("UPDATE sqlite_master SET sql = 'CREATE TABLE t (b)' WHERE name = 't'")
    conn.close()
    hardened = sqlite3.connect(tmp_path / "other.db")
    assert harden(hardened) is _defensive_reachable()
    hardened.close()


def test_extensions_cannot_be_loaded(project):
    with pytest.raises(sqlite3.OperationalError, match="not authorized"):
        project.conn.execute("SELECT load_extension('/tmp/evil.so')")


def test_trusted_schema_is_off_on_every_connection(project, monkeypatch):
    assert project.conn.execute("PRAGMA trusted_schema").fetchone()[0] == 0
    seen = []
    real = project_mod._probe_connect

    def spy(path, immutable):
        conn = real(path, immutable)
        seen.append(conn.execute("PRAGMA trusted_schema").fetchone()[0])
        return conn

    monkeypatch.setattr(project_mod, "_probe_connect", spy)
    Project(project.path).close()
    assert seen == [0]


def test_a_hostile_default_cannot_call_an_unsafe_function(tmp_path):
    """With trusted_schema off, schema SQL may not call functions with side effects."""
    conn = sqlite3.connect(tmp_path / "h.db")
    harden(conn)
    conn.create_function("leak", 1, lambda x: x)  # an application function: not innocuous
    conn.execute("CREATE TABLE t (a, b DEFAULT (leak('x')))")
    with pytest.raises(sqlite3.OperationalError, match="unsafe use of leak"):
        conn.execute("INSERT INTO t (a) VALUES (1)")
    conn.close()
