"""Helpers shared by the window tests (imported as a top-level module, like the other test helpers)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path


def copy_project(src: Path, dst: Path) -> Path:
    """A consistent copy of a project file (SQLite's backup API: WAL content included)."""
    s = sqlite3.connect(src)
    d = sqlite3.connect(dst)
    try:
        s.backup(d)
    finally:
        d.close()
        s.close()
    return dst


class Stored:
    """What is in a project file, read through a separate plain sqlite3 connection."""

    def __init__(self, path: Path):
        self.path = path

    def _rows(self, sql: str, params=()) -> list[sqlite3.Row]:
        conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
        conn.row_factory = sqlite3.Row
        try:
            return conn.execute(sql, params).fetchall()
        finally:
            conn.close()

    def claim(self, claim_id: int) -> sqlite3.Row:
        rows = self._rows("SELECT * FROM claims WHERE id = ?", [claim_id])
        return rows[0] if rows else None

    def status(self, claim_id: int) -> str:
        return self.claim(claim_id)["status"]

    def values(self, claim_id: int) -> list[sqlite3.Row]:
        return self._rows("SELECT * FROM claim_values WHERE claim_id = ? ORDER BY start", [claim_id])

    def link(self, link_id: int) -> sqlite3.Row:
        rows = self._rows("SELECT * FROM links WHERE id = ?", [link_id])
        return rows[0] if rows else None

    def links_between(self, a: int, b: int) -> list[sqlite3.Row]:
        return self._rows("SELECT * FROM links WHERE (claim_a = ? AND claim_b = ?) OR (claim_a = ? AND claim_b = ?)",
                          [a, b, b, a])

    def notes(self, **where) -> list[sqlite3.Row]:
        (col, val), = where.items()
        return self._rows(f"SELECT * FROM notes WHERE {col} = ? ORDER BY id", [val])

    def events(self) -> list[dict]:
        out = []
        for r in self._rows("SELECT * FROM events ORDER BY id"):
            d = dict(r)
            d["before"] = json.loads(d["before"]) if d["before"] else None
            d["after"] = json.loads(d["after"]) if d["after"] else None
            out.append(d)
        return out

    def claims(self, article_id: int | None = None) -> list[sqlite3.Row]:
        if article_id is None:
            return self._rows("SELECT * FROM claims ORDER BY id")
        return self._rows("SELECT * FROM claims WHERE article_id = ? ORDER BY start", [article_id])

    def count(self, table: str) -> int:
        return self._rows(f"SELECT count(*) AS n FROM {table}")[0]["n"]
