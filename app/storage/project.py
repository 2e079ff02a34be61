"""The project file: one SQLite database, reached only through :class:`Project`.

Opening is defensive. Before anything is written the file is probed through a
read-only connection: a file that is not SQLite, not a Claimdesk project,
corrupt, or made by a newer Claimdesk is refused with a :class:`ProjectError`
whose message names the problem, and the file is left byte-for-byte as it was.

Every write goes through :meth:`Project.transaction` (``BEGIN IMMEDIATE``), so a
reviewer action is one transaction, committed before the caller returns.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import importlib.util
import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from app.core.model import (
    CONFLICT,
    LINK_OPEN,
    ORIGIN_SUGGESTED,
    REVIEWED_STATUSES,
    SUGGESTED,
    Article,
    Claim,
    Event,
    Link,
    Note,
    Value,
)
from app.paths import db_dir

BUSY_TIMEOUT_MS = 10_000
SQLITE_MAGIC = b"SQLite format 3\x00"


class ProjectError(Exception):
    """A project file cannot be opened or written; the message is for a person."""


def _load_migrations():
    path = db_dir() / "migrations.py"
    spec = importlib.util.spec_from_file_location("claimdesk_db_migrations", path)
    if spec is None or spec.loader is None:  # pragma: no cover - broken install
        raise ProjectError(f"Claimdesk is incomplete: {path} is missing")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_MIGRATIONS = _load_migrations()
APPLICATION_ID: int = _MIGRATIONS.APPLICATION_ID
SCHEMA_VERSION: int = _MIGRATIONS.SCHEMA_VERSION


def now_iso() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="milliseconds")


def _probe(path: Path) -> tuple[bool, int]:
    """Check an existing file without changing it. Returns (is_new, schema_version)."""
    if not path.exists():
        return True, 0
    if path.is_dir():
        raise ProjectError(f"{path} is a folder, not a Claimdesk project file")
    try:
        with open(path, "rb") as fh:
            head = fh.read(100)
    except OSError as exc:
        raise ProjectError(f"{path} cannot be read: {exc.strerror or exc}") from None
    if not head:
        raise ProjectError(f"{path} is empty: not a Claimdesk project")
    if not head.startswith(SQLITE_MAGIC):
        raise ProjectError(f"{path} is not a Claimdesk project (it is not an SQLite database)")
    uri = path.resolve().as_uri() + "?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        raise ProjectError(f"{path} cannot be opened: {exc}") from None
    try:
        conn.execute("PRAGMA trusted_schema = OFF")
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if app_id != APPLICATION_ID:
            raise ProjectError(f"{path} is an SQLite database but not a Claimdesk project")
        if version > SCHEMA_VERSION:
            raise ProjectError(
                f"{path} was written by a newer Claimdesk (schema {version}; "
                f"this version reads up to {SCHEMA_VERSION}). Update Claimdesk to open it."
            )
        problems = [row[0] for row in conn.execute("PRAGMA quick_check(5)")]
        if problems != ["ok"]:
            raise ProjectError(f"{path} is damaged: {'; '.join(problems)}")
    except sqlite3.DatabaseError as exc:
        raise ProjectError(f"{path} is damaged or not a Claimdesk project: {exc}") from None
    finally:
        conn.close()
    return False, version


def _value_from_row(row: dict[str, Any]) -> Value:
    return Value(
        id=row["id"],
        claim_id=row["claim_id"],
        start=row["start"],
        end=row["end"],
        text=row["text"] or "",
        type=row["type"],
        amount=row["amount"],
        unit=row["unit"],
        bound=row["bound"] or "exact",
        date=row["date"],
        attribute=row["attribute"],
        subject=row["subject"],
        role=row["role"] or "primary",
        equivalents=[tuple(e) for e in json.loads(row["equivalents"] or "[]")],
        changing=bool(row["changing"]),
        rule=row["rule"],
    )


def _claim_from_row(row: dict[str, Any], values: list[Value] | None = None) -> Claim:
    return Claim(
        id=row["id"],
        article_id=row["article_id"],
        start=row["start"],
        end=row["end"],
        text=row["text"],
        kind=row["kind"],
        score=row["score"] if row["score"] is not None else 0.0,
        status=row["status"],
        attribution=row["attribution"],
        origin=row["origin"],
        rule=row["rule"],
        subject=row["subject"],
        values=values or [],
        decided_at=row["decided_at"],
        decided_by=row["decided_by"],
    )


def _link_from_row(row: dict[str, Any]) -> Link:
    a = (row["a_start"], row["a_end"]) if row["a_start"] is not None else None
    b = (row["b_start"], row["b_end"]) if row["b_start"] is not None else None
    return Link(
        id=row["id"],
        claim_a=row["claim_a"],
        claim_b=row["claim_b"],
        kind=row["kind"],
        a_span=a,
        b_span=b,
        reason=row["reason"] or "",
        confidence=row["confidence"] if row["confidence"] is not None else 0.0,
        origin=row["origin"],
        status=row["status"],
        resolution=row["resolution"],
        preferred_claim=row["preferred_claim"],
        decided_at=row["decided_at"],
        decided_by=row["decided_by"],
    )


def _article_from_row(row: dict[str, Any]) -> Article:
    return Article(
        id=row["id"],
        text=row["text"],
        title=row["title"],
        outlet=row["outlet"],
        url=row["url"],
        published=row["published"],
        language=row["language"],
        content_hash=row["content_hash"],
        source_path=row["source_path"],
        imported_at=row["imported_at"],
    )


def _value_row(claim_id: int, v: Value) -> dict[str, Any]:
    return {
        "claim_id": claim_id,
        "start": v.start,
        "end": v.end,
        "text": v.text,
        "type": v.type,
        "amount": v.amount,
        "unit": v.unit,
        "bound": v.bound,
        "date": v.date,
        "attribute": v.attribute,
        "subject": v.subject,
        "role": v.role,
        "equivalents": json.dumps([list(e) for e in v.equivalents]),
        "changing": int(v.changing),
        "rule": v.rule,
    }


class Project:
    """A Claimdesk project file.

    ``Project(path)`` opens an existing project or creates a new one;
    ``create=False`` refuses a path that does not exist yet.
    """

    def __init__(self, path: str | Path, *, create: bool = True, backup: bool = True):
        self.path = Path(path)
        is_new, version = _probe(self.path)
        if is_new and not create:
            raise ProjectError(f"{self.path} does not exist")
        if is_new:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise ProjectError(f"cannot create {self.path.parent}: {exc.strerror or exc}") from None
        if not is_new and backup and version < SCHEMA_VERSION:
            self._backup(version)
        try:
            conn = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT_MS / 1000)
        except sqlite3.Error as exc:
            raise ProjectError(f"{self.path} cannot be opened: {exc}") from None
        self.conn = conn
        try:
            conn.execute("PRAGMA trusted_schema = OFF")
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA foreign_keys = ON")
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode.lower() != "wal":
                raise ProjectError(f"{self.path}: the file system does not support SQLite's WAL mode")
            conn.execute("PRAGMA synchronous = FULL")
            self.db = Database(conn, execute_plugins=False)
            if _MIGRATIONS.migrations.pending(self.db):
                with self._write_lock():
                    _MIGRATIONS.migrations.apply(self.db)
                    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except sqlite3.OperationalError as exc:
            conn.close()
            if "locked" in str(exc) or "busy" in str(exc):
                raise ProjectError(f"{self.path} is in use by another program; try again") from None
            raise ProjectError(f"{self.path} cannot be opened: {exc}") from None
        except BaseException:
            conn.close()
            raise
        self._op_counter: int | None = None

    # -- lifecycle -----------------------------------------------------------

    def _backup(self, version: int) -> Path:
        stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        target = self.path.with_name(f"{self.path.name}.schema{version}-{stamp}.bak")
        src = sqlite3.connect(self.path.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            dst = sqlite3.connect(str(target))
            with dst:
                src.backup(dst)
            dst.close()
        finally:
            src.close()
        return target

    @contextlib.contextmanager
    def _write_lock(self) -> Iterator[None]:
        """Hold SQLite's write lock for the block (used around migrations)."""
        with self.transaction():
            yield

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.conn.close()

    def __enter__(self) -> "Project":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator["Project"]:
        """One write transaction; nested calls become savepoints.

        ``BEGIN IMMEDIATE`` takes the write lock up front, so two programs
        writing one file wait for each other (up to the busy timeout) instead
        of failing half-way.
        """
        if self.conn.in_transaction:
            with self.db.atomic():
                yield self
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise ProjectError(f"{self.path} is in use by another program: {exc}") from None
        try:
            yield self
        except BaseException:
            self.conn.rollback()
            raise
        else:
            try:
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.rollback()
                raise

    def integrity_check(self) -> list[str]:
        return [row[0] for row in self.conn.execute("PRAGMA integrity_check")]

    @property
    def schema_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    # -- settings --------------------------------------------------------------

    def setting(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str | None) -> None:
        with self.transaction():
            if value is None:
                self.conn.execute("DELETE FROM settings WHERE key = ?", [key])
            else:
                self.db["settings"].upsert({"key": key, "value": value}, pk="key")

    # -- articles --------------------------------------------------------------

    def articles(self) -> list[Article]:
        return [_article_from_row(r) for r in self.db.query("SELECT * FROM articles ORDER BY id")]

    def article(self, article_id: int) -> Article:
        rows = list(self.db.query("SELECT * FROM articles WHERE id = ?", [article_id]))
        if not rows:
            raise KeyError(f"no article {article_id}")
        return _article_from_row(rows[0])

    def article_id_by_hash(self, content_hash: str) -> int | None:
        row = self.conn.execute(
            "SELECT id FROM articles WHERE content_hash = ?", [content_hash]
        ).fetchone()
        return row[0] if row else None

    def add_article(self, article: Article) -> tuple[int, bool]:
        """Store an article unless the same text is there already.

        Returns ``(id, created)``; ``created`` is False for a duplicate.
        """
        if not article.content_hash:
            raise ValueError("article.content_hash is required")
        with self.transaction():
            existing = self.article_id_by_hash(article.content_hash)
            if existing is not None:
                return existing, False
            row = {
                "title": article.title,
                "outlet": article.outlet,
                "url": article.url,
                "published": article.published,
                "language": article.language,
                "content_hash": article.content_hash,
                "source_path": article.source_path,
                "imported_at": article.imported_at or now_iso(),
                "text": article.text,
            }
            cursor = self.conn.execute(
                f"INSERT INTO articles ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                list(row.values()),
            )
            return int(cursor.lastrowid), True

    def article_stats(self) -> dict[int, dict[str, int]]:
        """Per article: total claims, reviewed claims, open conflicts, rejected."""
        stats: dict[int, dict[str, int]] = defaultdict(
            lambda: {"claims": 0, "reviewed": 0, "conflicts": 0, "rejected": 0}
        )
        placeholders = ", ".join("?" * len(REVIEWED_STATUSES))
        for aid, total, reviewed, rejected in self.conn.execute(
            f"SELECT article_id, count(*), sum(status IN ({placeholders})), sum(status = 'rejected') "
            "FROM claims GROUP BY article_id",
            list(REVIEWED_STATUSES),
        ):
            stats[aid].update(claims=total, reviewed=reviewed or 0, rejected=rejected or 0)
        for aid, n in self.conn.execute(
            "SELECT c.article_id, count(*) FROM links l JOIN claims c "
            "ON c.id = l.claim_a OR c.id = l.claim_b "
            "WHERE l.kind = ? AND l.status IN ('open', 'confirmed') GROUP BY c.article_id",
            [CONFLICT],
        ):
            stats[aid]["conflicts"] = n
        return dict(stats)

    # -- claims ----------------------------------------------------------------

    def _values_for(self, claim_ids: Sequence[int] | None) -> dict[int, list[Value]]:
        out: dict[int, list[Value]] = defaultdict(list)
        if claim_ids is None:
            rows = self.db.query("SELECT * FROM claim_values ORDER BY claim_id, start")
        else:
            if not claim_ids:
                return out
            rows = self.db.query(
                "SELECT v.* FROM claim_values v JOIN json_each(?) j ON v.claim_id = j.value "
                "ORDER BY v.claim_id, v.start",
                [json.dumps(list(claim_ids))],
            )
        for row in rows:
            out[row["claim_id"]].append(_value_from_row(row))
        return out

    def claims(
        self, article_id: int | None = None, *, status: str | None = None, with_values: bool = True
    ) -> list[Claim]:
        where, params = [], []
        if article_id is not None:
            where.append("article_id = ?")
            params.append(article_id)
        if status is not None:
            where.append("status = ?")
            params.append(status)
        sql = "SELECT * FROM claims"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY article_id, start, id"
        rows = list(self.db.query(sql, params))
        values: dict[int, list[Value]] = {}
        if with_values:
            ids = None if article_id is None and status is None else [r["id"] for r in rows]
            values = self._values_for(ids)
        return [_claim_from_row(r, values.get(r["id"], [])) for r in rows]

    def claim(self, claim_id: int) -> Claim:
        rows = list(self.db.query("SELECT * FROM claims WHERE id = ?", [claim_id]))
        if not rows:
            raise KeyError(f"no claim {claim_id}")
        return _claim_from_row(rows[0], self._values_for([claim_id]).get(claim_id, []))

    def has_claim(self, claim_id: int) -> bool:
        return self.conn.execute("SELECT 1 FROM claims WHERE id = ?", [claim_id]).fetchone() is not None

    def add_claim(self, claim: Claim) -> int:
        with self.transaction():
            row = {
                "article_id": claim.article_id,
                "start": claim.start,
                "end": claim.end,
                "text": claim.text,
                "kind": claim.kind,
                "score": claim.score,
                "status": claim.status,
                "attribution": claim.attribution,
                "origin": claim.origin,
                "rule": claim.rule,
                "subject": claim.subject,
                "decided_at": claim.decided_at,
                "decided_by": claim.decided_by,
            }
            cursor = self.conn.execute(
                f'INSERT INTO claims ({", ".join(f"[{k}]" for k in row)}) '
                f"VALUES ({', '.join('?' * len(row))})",
                list(row.values()),
            )
            claim_id = int(cursor.lastrowid)
            self._insert_values(claim_id, claim.values)
            return claim_id

    def _insert_values(self, claim_id: int, values: Iterable[Value]) -> None:
        rows = [_value_row(claim_id, v) for v in values]
        if rows:
            self.db["claim_values"].insert_all(rows)

    def _decided_claim_ids(self, article_id: int) -> set[int]:
        """Claims of an article that carry a reviewer's work and must never be replaced."""
        return {
            r[0]
            for r in self.conn.execute(
                "SELECT id FROM claims WHERE article_id = :a AND (status != :s OR origin != :o "
                " OR id IN (SELECT claim_a FROM links WHERE origin != :o OR status != 'open')"
                " OR id IN (SELECT claim_b FROM links WHERE origin != :o OR status != 'open')"
                " OR id IN (SELECT claim_id FROM notes WHERE claim_id IS NOT NULL))",
                {"a": article_id, "s": SUGGESTED, "o": ORIGIN_SUGGESTED},
            )
        }

    def replace_suggestions(self, article_id: int, claims: Sequence[Claim]) -> list[int]:
        """Store fresh suggestions for an article without touching any decision.

        Suggested claims nobody has decided on are replaced; a claim the
        reviewer confirmed, edited, rejected, linked or annotated stays as it
        is, and a new suggestion overlapping it is dropped.
        """
        with self.transaction():
            decided = self._decided_claim_ids(article_id)
            spans = {
                r[0]: (r[1], r[2])
                for r in self.conn.execute(
                    "SELECT id, start, [end] FROM claims WHERE article_id = ?", [article_id]
                )
            }
            kept = [spans[cid] for cid in decided]
            removable = json.dumps([cid for cid in spans if cid not in decided])
            self.conn.execute(
                "DELETE FROM links WHERE claim_a IN (SELECT value FROM json_each(:ids)) "
                "OR claim_b IN (SELECT value FROM json_each(:ids))",
                {"ids": removable},
            )
            self.conn.execute(
                "DELETE FROM claim_values WHERE claim_id IN (SELECT value FROM json_each(?))", [removable]
            )
            self.conn.execute("DELETE FROM claims WHERE id IN (SELECT value FROM json_each(?))", [removable])
            new_ids = []
            for claim in claims:
                if any(claim.start < e and s < claim.end for s, e in kept):
                    continue
                claim.article_id = article_id
                new_ids.append(self.add_claim(claim))
            return new_ids

    def update_claim(self, claim_id: int, **fields: Any) -> None:
        values = fields.pop("values", None)
        with self.transaction():
            if fields:
                sets = ", ".join(f"[{k}] = ?" for k in fields)
                self.conn.execute(f"UPDATE claims SET {sets} WHERE id = ?", [*fields.values(), claim_id])
            if values is not None:
                self.conn.execute("DELETE FROM claim_values WHERE claim_id = ?", [claim_id])
                self._insert_values(claim_id, values)

    # -- links -----------------------------------------------------------------

    def links(self, claim_id: int | None = None, *, kind: str | None = None) -> list[Link]:
        where, params = [], []
        if claim_id is not None:
            where.append("(claim_a = ? OR claim_b = ?)")
            params += [claim_id, claim_id]
        if kind is not None:
            where.append("kind = ?")
            params.append(kind)
        sql = "SELECT * FROM links" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY id"
        return [_link_from_row(r) for r in self.db.query(sql, params)]

    def link(self, link_id: int) -> Link:
        rows = list(self.db.query("SELECT * FROM links WHERE id = ?", [link_id]))
        if not rows:
            raise KeyError(f"no link {link_id}")
        return _link_from_row(rows[0])

    def add_link(self, link: Link) -> int:
        with self.transaction():
            return int(self.conn.execute(
                "INSERT INTO links (claim_a, claim_b, kind, a_start, a_end, b_start, b_end, reason, "
                "confidence, origin, status, resolution, preferred_claim, decided_at, decided_by) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    link.claim_a, link.claim_b, link.kind,
                    *(link.a_span or (None, None)), *(link.b_span or (None, None)),
                    link.reason, link.confidence, link.origin, link.status, link.resolution,
                    link.preferred_claim, link.decided_at, link.decided_by,
                ],
            ).lastrowid)

    def replace_suggested_links(self, links: Iterable[Link]) -> int:
        """Swap the open suggested links for a fresh set; reviewed links stay.

        Two claims may share several links (one sentence can state a sum
        raised and a valuation); a link is the same one when its claims and
        value spans are. A new suggestion equal to a reviewed link is dropped.
        Returns the number of links stored.
        """

        def key(a, b, a_span, b_span):
            ends = sorted([(a, tuple(a_span or ())), (b, tuple(b_span or ()))])
            return tuple(ends)

        with self.transaction():
            self.conn.execute(
                "DELETE FROM links WHERE origin = ? AND status = ? AND id NOT IN "
                "(SELECT link_id FROM notes WHERE link_id IS NOT NULL)",
                [ORIGIN_SUGGESTED, LINK_OPEN],
            )
            taken = {
                key(r[0], r[1], (r[2], r[3]) if r[2] is not None else None,
                    (r[4], r[5]) if r[4] is not None else None)
                for r in self.conn.execute(
                    "SELECT claim_a, claim_b, a_start, a_end, b_start, b_end FROM links"
                )
            }
            n = 0
            for link in links:
                k = key(link.claim_a, link.claim_b, link.a_span, link.b_span)
                if k in taken:
                    continue
                taken.add(k)
                self.add_link(link)
                n += 1
            return n

    def update_link(self, link_id: int, **fields: Any) -> None:
        if "a_span" in fields:
            fields["a_start"], fields["a_end"] = fields.pop("a_span") or (None, None)
        if "b_span" in fields:
            fields["b_start"], fields["b_end"] = fields.pop("b_span") or (None, None)
        with self.transaction():
            sets = ", ".join(f"[{k}] = ?" for k in fields)
            self.conn.execute(f"UPDATE links SET {sets} WHERE id = ?", [*fields.values(), link_id])

    # -- notes -----------------------------------------------------------------

    def notes(self, *, claim_id: int | None = None, link_id: int | None = None) -> list[Note]:
        where, params = [], []
        if claim_id is not None:
            where.append("claim_id = ?")
            params.append(claim_id)
        if link_id is not None:
            where.append("link_id = ?")
            params.append(link_id)
        sql = "SELECT * FROM notes" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY id"
        return [
            Note(id=r["id"], claim_id=r["claim_id"], link_id=r["link_id"], text=r["text"],
                 author=r["author"], created_at=r["created_at"])
            for r in self.db.query(sql, params)
        ]

    def add_note(self, note: Note) -> int:
        with self.transaction():
            return int(self.conn.execute(
                "INSERT INTO notes (claim_id, link_id, text, author, created_at) VALUES (?, ?, ?, ?, ?)",
                [note.claim_id, note.link_id, note.text, note.author, note.created_at or now_iso()],
            ).lastrowid)

    # -- snapshots, for the history and undo -------------------------------------

    _ENTITY_TABLES = {"claim": "claims", "link": "links", "note": "notes"}

    def snapshot(self, entity: str, entity_id: int) -> dict[str, Any] | None:
        """The whole stored state of one record (a claim with its values), or None."""
        table = self._ENTITY_TABLES[entity]
        rows = list(self.db.query(f"SELECT * FROM {table} WHERE id = ?", [entity_id]))
        if not rows:
            return None
        snap = dict(rows[0])
        if entity == "claim":
            snap["values"] = [
                {k: v for k, v in r.items() if k not in ("id", "claim_id")}
                for r in self.db.query(
                    "SELECT * FROM claim_values WHERE claim_id = ? ORDER BY start, id", [entity_id]
                )
            ]
        return snap

    def restore(self, entity: str, entity_id: int, snap: dict[str, Any] | None) -> None:
        """Put one record back to a snapshot; None removes it."""
        table = self._ENTITY_TABLES[entity]
        with self.transaction():
            if entity == "claim":
                self.conn.execute("DELETE FROM claim_values WHERE claim_id = ?", [entity_id])
            if snap is None:
                if entity == "claim":
                    self.conn.execute("DELETE FROM notes WHERE claim_id = ?", [entity_id])
                    self.conn.execute(
                        "DELETE FROM links WHERE claim_a = ? OR claim_b = ?", [entity_id, entity_id]
                    )
                if entity == "link":
                    self.conn.execute("DELETE FROM notes WHERE link_id = ?", [entity_id])
                self.conn.execute(f"DELETE FROM {table} WHERE id = ?", [entity_id])
                return
            row = {k: v for k, v in snap.items() if k != "values"}
            row["id"] = entity_id
            self._upsert_row(table, row)
            if entity == "claim":
                rows = [dict(v, claim_id=entity_id) for v in snap.get("values", [])]
                if rows:
                    self.db["claim_values"].insert_all(rows)

    def _upsert_row(self, table: str, row: dict[str, Any]) -> None:
        # INSERT OR REPLACE would delete and re-insert the row, which foreign
        # keys pointing at it forbid; update in place when it exists.
        exists = self.conn.execute(f"SELECT 1 FROM {table} WHERE id = ?", [row["id"]]).fetchone()
        if exists:
            sets = ", ".join(f"[{k}] = ?" for k in row if k != "id")
            self.conn.execute(
                f"UPDATE {table} SET {sets} WHERE id = ?",
                [v for k, v in row.items() if k != "id"] + [row["id"]],
            )
        else:
            cols = ", ".join(f"[{k}]" for k in row)
            self.conn.execute(
                f"INSERT INTO {table} ({cols}) VALUES ({', '.join('?' * len(row))})", list(row.values())
            )

    # -- events ----------------------------------------------------------------

    def next_op(self) -> int:
        row = self.conn.execute("SELECT coalesce(max(op), 0) FROM events").fetchone()
        return int(row[0]) + 1

    def add_event(self, event: Event) -> int:
        with self.transaction():
            return int(self.conn.execute(
                "INSERT INTO events (op, at, actor, action, entity, entity_id, before, after) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    event.op, event.at, event.actor, event.action, event.entity, event.entity_id,
                    json.dumps(event.before) if event.before is not None else None,
                    json.dumps(event.after) if event.after is not None else None,
                ],
            ).lastrowid)

    def events(
        self, *, entity: str | None = None, entity_id: int | None = None, op: int | None = None
    ) -> list[Event]:
        where, params = [], []
        if entity is not None:
            where.append("entity = ?")
            params.append(entity)
        if entity_id is not None:
            where.append("entity_id = ?")
            params.append(entity_id)
        if op is not None:
            where.append("op = ?")
            params.append(op)
        sql = "SELECT * FROM events" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY id"
        return [
            Event(
                id=r["id"], op=r["op"], at=r["at"], actor=r["actor"], action=r["action"],
                entity=r["entity"], entity_id=r["entity_id"],
                before=json.loads(r["before"]) if r["before"] else None,
                after=json.loads(r["after"]) if r["after"] else None,
            )
            for r in self.db.query(sql, params)
        ]

    def counts(self) -> dict[str, int]:
        q = lambda sql: self.conn.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "articles": q("SELECT count(*) FROM articles"),
            "claims": q("SELECT count(*) FROM claims"),
            "reviewed": q("SELECT count(*) FROM claims WHERE status != 'suggested'"),
            "links": q("SELECT count(*) FROM links"),
            "open_conflicts": q("SELECT count(*) FROM links WHERE kind = 'conflict' AND status = 'open'"),
        }
