"""Shared helpers of the storage tests: real project files, and looking at them without touching them."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = sorted((ROOT / "db" / "fixtures").glob("schema-*.claimdesk"))
SIDE_SUFFIXES = ("-wal", "-shm", "-journal")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sidecars(path: Path) -> list[Path]:
    return [p for p in (Path(f"{path}{s}") for s in SIDE_SUFFIXES) if p.exists()]


def copy_fixture(tmp_path: Path, name: str | None = None) -> Path:
    """A copy of a released schema's fixture; the newest one unless named."""
    target = tmp_path / "project.claimdesk"
    shutil.copyfile(ROOT / "db" / "fixtures" / name if name else FIXTURES[-1], target)
    return target


def read_only(path: Path) -> sqlite3.Connection:
    """Look at a file's committed content; without creating anything next to a closed file."""
    if Path(f"{path}-wal").exists():  # open elsewhere: read through its WAL
        return sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    return sqlite3.connect(path.resolve().as_uri() + "?mode=ro&immutable=1", uri=True)


def all_rows(path: Path) -> dict[str, list[dict]]:
    """Every row of every table, by table name (the whole content of a project)."""
    conn = read_only(path)
    conn.row_factory = sqlite3.Row
    try:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        return {t: [dict(r) for r in conn.execute(f"SELECT * FROM [{t}] ORDER BY rowid")] for t in tables}
    finally:
        conn.close()


def header_int(path: Path, offset: int) -> int:
    with open(path, "rb") as fh:
        fh.seek(offset)
        return int.from_bytes(fh.read(4), "big")
