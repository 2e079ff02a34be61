"""The repository: the project's records as the core's dataclasses, over the safe file of
:mod:`claimdesk.storage.safety`.

:class:`Project` implements :class:`claimdesk.core.ports.Repository`, the interface the
services use. Each table has one row <-> dataclass mapping (:class:`RowMap`
below) used for every read and write of it; a value's row goes through
:meth:`Value.to_dict` / :meth:`Value.from_dict`. No SQL lives outside
``claimdesk.storage``.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from claimdesk.core.model import (
    CONFLICT,
    LINK_OPEN,
    OPEN_LINK_STATUSES,
    ORIGIN_SUGGESTED,
    REVIEWED_STATUSES,
    SUGGESTED,
    Article,
    Claim,
    Event,
    Link,
    Note,
    Value,
    now_iso,
)
from claimdesk.core.ports import ProjectError
from claimdesk.storage import safety
from claimdesk.storage.safety import APPLICATION_ID, SCHEMA_VERSION, ProjectFile, harden

if TYPE_CHECKING:
    from claimdesk.core.facts import Fact, Version

__all__ = ["APPLICATION_ID", "SCHEMA_VERSION", "Project", "ProjectError", "harden"]


def _is_row_id(n: object) -> bool:
    """Whether ``n`` can be an SQLite row id (a 64-bit integer): anything else names no record."""
    return isinstance(n, int) and not isinstance(n, bool) and -(2**63) <= n < 2**63


class RowMap:
    """One table's row <-> dataclass mapping, used for every read and write of that table.

    A field and a column of the same name carry the same datum; ``defaults``
    replace a NULL in a column whose field is never None; ``load`` and ``dump``
    adapt what is stored differently (a span in two columns, JSON text);
    ``make``/``take`` build and take apart the dataclass when it has its own
    dict form (:meth:`Value.from_dict` / :meth:`Value.to_dict`).
    """

    def __init__(self, cls: type, *, defaults: dict[str, Any] | None = None, load=None, dump=None,
                 make=None, take=None, skip: tuple[str, ...] = ()):
        self.fields = tuple(f.name for f in dataclasses.fields(cls) if f.name not in skip)
        self.defaults = defaults or {}
        self._load, self._dump = load, dump
        self._make = make or (lambda d: cls(**d))
        self._take = take or (lambda obj: {f: getattr(obj, f) for f in self.fields})
        self._readers: dict[tuple[str, ...], Any] = {}

    def from_row(self, row: Any, **extra: Any) -> Any:
        """The dataclass of a row (an ``sqlite3.Row`` or a dict); ``extra`` gives fields from other tables."""
        keys = tuple(row.keys())
        read = self._readers.get(keys)
        if read is None:
            read = self._readers[keys] = self._reader(keys)
        return read(row, extra)

    def _reader(self, keys: tuple[str, ...]):
        """A row reader for one set of columns (worked out once per query shape: the hot read path)."""
        cols = tuple(f for f in self.fields if f in keys)
        defaults = tuple((f, v) for f, v in self.defaults.items() if f in cols)
        load, make = self._load, self._make

        def read(row: Any, extra: dict[str, Any]) -> Any:
            d = {f: row[f] for f in cols}
            for f, default in defaults:
                if d[f] is None:
                    d[f] = default
            if load is not None:
                load(d, row)
            if extra:
                d.update(extra)
            return make(d)

        return read

    def to_row(self, obj: Any, **extra: Any) -> dict[str, Any]:
        """The columns of a dataclass; ``extra`` sets or overrides columns (a parent's id)."""
        d = {f: v for f, v in self._take(obj).items() if f in self.fields}
        if self._dump is not None:
            self._dump(d)
        d.update(extra)
        return d


def _load_value(d: dict[str, Any], row: Any) -> None:
    # The "equivalents" column holds a JSON list of [amount, unit]; for a range it is an object that also
    # carries the high end: {"equivalents": [...], "high": 5.0} (older rows are all lists).
    extra = json.loads(d.get("equivalents") or "[]")
    if isinstance(extra, dict):
        d["equivalents"], d["high"] = extra.get("equivalents", []), extra.get("high")
    else:
        d["equivalents"], d["high"] = extra, None


def _dump_value(d: dict[str, Any]) -> None:
    high = d.pop("high", None)
    d.pop("id", None)
    d["equivalents"] = json.dumps(d["equivalents"] if high is None
                                  else {"equivalents": d["equivalents"], "high": high})
    d["changing"] = int(d["changing"])


def _load_link(d: dict[str, Any], row: Any) -> None:
    d["a_span"] = (row["a_start"], row["a_end"]) if row["a_start"] is not None else None
    d["b_span"] = (row["b_start"], row["b_end"]) if row["b_start"] is not None else None


def _dump_link(d: dict[str, Any]) -> None:
    d["a_start"], d["a_end"] = d.pop("a_span", None) or (None, None)
    d["b_start"], d["b_end"] = d.pop("b_span", None) or (None, None)


def _load_event(d: dict[str, Any], row: Any) -> None:
    d["before"] = json.loads(d["before"]) if d.get("before") else None
    d["after"] = json.loads(d["after"]) if d.get("after") else None


def _dump_event(d: dict[str, Any]) -> None:
    for k in ("before", "after"):
        d[k] = json.dumps(d[k]) if d[k] is not None else None


@functools.lru_cache(maxsize=1)
def _fact_maps() -> tuple[RowMap, RowMap, RowMap]:
    from claimdesk.core.facts import Fact, Mention, Version

    return (RowMap(Fact, defaults={"label": "", "attribute": "", "kind": ""}, skip=("versions", "mentions")),
            RowMap(Version, defaults={"text": "", "bound": "exact"}),
            RowMap(Mention, defaults={"text": ""}, skip=("conversion",)))


ARTICLES = RowMap(Article)
CLAIMS = RowMap(Claim, defaults={"score": 0.0}, skip=("values",))
VALUES = RowMap(Value, load=_load_value, dump=_dump_value, make=Value.from_dict, take=Value.to_dict)
LINKS = RowMap(Link, defaults={"reason": "", "confidence": 0.0}, load=_load_link, dump=_dump_link)
NOTES = RowMap(Note)
EVENTS = RowMap(Event, load=_load_event, dump=_dump_event)


class Project(ProjectFile):
    """A Claimdesk project: articles, claims and their values, links, notes, facts and the history.

    ``Project(path)`` opens an existing project or creates a new one (see
    :class:`~claimdesk.storage.safety.ProjectFile`); ``create=False`` refuses a path
    that does not exist yet.
    """

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
        return [ARTICLES.from_row(r) for r in self.db.query("SELECT * FROM articles ORDER BY id")]

    def article(self, article_id: int) -> Article:
        if not _is_row_id(article_id):
            raise KeyError(f"no article {article_id}")
        rows = list(self.db.query("SELECT * FROM articles WHERE id = ?", [article_id]))
        if not rows:
            raise KeyError(f"no article {article_id}")
        return ARTICLES.from_row(rows[0])

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
            row = ARTICLES.to_row(article, imported_at=article.imported_at or now_iso())
            del row["id"]  # a new article gets a new id
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
            "SELECT c.article_id, count(DISTINCT l.id) FROM links l JOIN claims c "
            "ON c.id = l.claim_a OR c.id = l.claim_b "
            f"WHERE l.kind = ? AND l.status IN ({', '.join('?' * len(OPEN_LINK_STATUSES))}) GROUP BY c.article_id",
            [CONFLICT, *OPEN_LINK_STATUSES],
        ):
            stats[aid]["conflicts"] = n
        return dict(stats)

    # -- claims ----------------------------------------------------------------

    def _rows(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[sqlite3.Row]:
        """Rows addressable by column name, made in C (the hot read path)."""
        cursor = self.conn.cursor()
        cursor.row_factory = sqlite3.Row
        return cursor.execute(sql, params).fetchall()

    def _values_for(self, claim_ids: Sequence[int] | None, *, article_id: int | None = None) -> dict[int, list[Value]]:
        out: dict[int, list[Value]] = defaultdict(list)
        if article_id is not None:
            rows = self._rows(
                "SELECT v.* FROM claim_values v JOIN claims c ON c.id = v.claim_id "
                "WHERE c.article_id = ? ORDER BY v.claim_id, v.start",
                [article_id],
            )
        elif claim_ids is None:
            rows = self._rows("SELECT * FROM claim_values ORDER BY claim_id, start")
        else:
            if not claim_ids:
                return out
            rows = self._rows(
                "SELECT v.* FROM claim_values v JOIN json_each(?) j ON v.claim_id = j.value "
                "ORDER BY v.claim_id, v.start",
                [json.dumps(list(claim_ids))],
            )
        for row in rows:
            out[row["claim_id"]].append(VALUES.from_row(row))
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
        rows = self._rows(sql, params)
        values: dict[int, list[Value]] = {}
        if with_values:
            if status is None:
                values = self._values_for(None, article_id=article_id)
            else:
                values = self._values_for([r["id"] for r in rows])
        return [CLAIMS.from_row(r, values=values.get(r["id"], [])) for r in rows]

    def claim(self, claim_id: int) -> Claim:
        if not _is_row_id(claim_id):
            raise KeyError(f"no claim {claim_id}")
        rows = list(self.db.query("SELECT * FROM claims WHERE id = ?", [claim_id]))
        if not rows:
            raise KeyError(f"no claim {claim_id}")
        return CLAIMS.from_row(rows[0], values=self._values_for([claim_id]).get(claim_id, []))

    def has_claim(self, claim_id: int) -> bool:
        if not _is_row_id(claim_id):
            return False
        return self.conn.execute("SELECT 1 FROM claims WHERE id = ?", [claim_id]).fetchone() is not None

    #: Tables whose ids the reviewer sees: an id once used is never given to another record.
    _NEVER_REUSED = ("claims", "links", "notes")

    def _new_id(self, table: str) -> int:
        """An id above every id ``table`` has ever had (inside the caller's transaction).

        SQLite gives a new row the largest id plus one, so deleting the newest
        suggestions would hand their ids to other records: the window could
        show claim 4 <-> 12 as link 3 while link 3 already names another pair.
        The high-water mark lives in ``settings`` (``next_id.TABLE``).
        """
        key = f"next_id.{table}"
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        mark = int(row[0]) if row and isinstance(row[0], str) and row[0].isdigit() and len(row[0]) < 19 else 0
        top = self.conn.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}").fetchone()[0]
        new = max(mark, top)
        self.conn.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, str(new + 1)],
        )
        return new

    def add_claim(self, claim: Claim) -> int:
        with self.transaction():
            row = CLAIMS.to_row(claim, id=self._new_id("claims"))
            del row["disputed"]  # a new claim is disputed only by a merge, which sets it after
            cursor = self.conn.execute(
                f'INSERT INTO claims ({", ".join(f"[{k}]" for k in row)}) '
                f"VALUES ({', '.join('?' * len(row))})",
                list(row.values()),
            )
            claim_id = int(cursor.lastrowid)
            self._insert_values(claim_id, claim.values)
            return claim_id

    def _insert(self, table: str, row: dict[str, Any]) -> int:
        """Insert one row (column names from a :class:`RowMap`, never from a file); its id."""
        return int(self.conn.execute(
            f"INSERT INTO {table} ({', '.join(f'[{k}]' for k in row)}) VALUES ({', '.join('?' * len(row))})",
            list(row.values())).lastrowid)

    def _insert_values(self, claim_id: int, values: Iterable[Value]) -> None:
        rows = [VALUES.to_row(v, claim_id=claim_id) for v in values]
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
                " OR id IN (SELECT claim_id FROM notes WHERE claim_id IS NOT NULL) OR disputed IS NOT NULL)",
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
        return [LINKS.from_row(r) for r in self.db.query(sql, params)]

    def link(self, link_id: int) -> Link:
        if not _is_row_id(link_id):
            raise KeyError(f"no link {link_id}")
        rows = list(self.db.query("SELECT * FROM links WHERE id = ?", [link_id]))
        if not rows:
            raise KeyError(f"no link {link_id}")
        return LINKS.from_row(rows[0])

    def add_link(self, link: Link) -> int:
        with self.transaction():
            return self._insert("links", LINKS.to_row(link, id=self._new_id("links")))

    def replace_suggested_links(self, links: Iterable[Link]) -> int:
        """Swap the open suggested links for a fresh set; reviewed links stay.

        Two claims may share several links (one sentence can state a sum
        raised and a valuation); a link is the same one when its claims and
        value spans are. A new suggestion equal to a reviewed link is dropped.
        An open suggestion that comes again (same claims, spans and kind)
        keeps its row and id, so the id a reviewer sees still names the same
        pair after another import; the others are deleted, and new ones get
        ids never used before. Returns the number of links stored or kept.
        """

        def key(a, b, a_span, b_span):
            ends = sorted([(a, tuple(a_span or ())), (b, tuple(b_span or ()))])
            return tuple(ends)

        def span(s, e):
            return (s, e) if s is not None else None

        with self.transaction():
            open_rows: dict[tuple, tuple[int, str]] = {}
            taken = set()
            for lid, a, b, a0, a1, b0, b1, kind, origin, status, noted in self.conn.execute(
                "SELECT id, claim_a, claim_b, a_start, a_end, b_start, b_end, kind, origin, status, "
                "id IN (SELECT link_id FROM notes WHERE link_id IS NOT NULL) FROM links ORDER BY id"
            ):
                k = key(a, b, span(a0, a1), span(b0, b1))
                if origin == ORIGIN_SUGGESTED and status == LINK_OPEN and not noted and k not in open_rows:
                    open_rows[k] = (lid, kind)
                else:
                    taken.add(k)
            stale = {lid for lid, _ in open_rows.values()}
            n = 0
            for link in links:
                k = key(link.claim_a, link.claim_b, link.a_span, link.b_span)
                if k in taken:
                    continue
                taken.add(k)
                n += 1
                kept = open_rows.get(k)
                if kept is not None and kept[1] == link.kind:
                    stale.discard(kept[0])
                    self.conn.execute("UPDATE links SET reason = ?, confidence = ? WHERE id = ?",
                                      [link.reason, link.confidence, kept[0]])
                    continue
                self.add_link(link)
            self.conn.execute("DELETE FROM links WHERE id IN (SELECT value FROM json_each(?))",
                              [json.dumps(sorted(stale))])
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
        return [NOTES.from_row(r) for r in self._rows(sql, params)]

    def add_note(self, note: Note) -> int:
        with self.transaction():
            # never a deleted note's id: the history of that note (and a merge that maps it) names it
            return self._insert("notes", NOTES.to_row(note, id=self._new_id("notes"),
                                                      created_at=note.created_at or now_iso()))

    # -- facts (claims' values grouped: claimdesk.core.facts) -----------------------------

    def facts(self, ids: Sequence[int] | None = None) -> list["Fact"]:
        """Stored facts with their versions and mentions, in id order (only ``ids`` when given)."""
        from claimdesk.core.facts import Mention, Version

        where, params = "", []
        if ids is not None:
            wanted = sorted(set(ids))
            if not wanted:
                return []
            if len(wanted) > 500:  # a long list: one pass over all facts is cheaper than many parameters
                keep = set(wanted)
                return [f for f in self.facts() if f.id in keep]
            where, params = f" WHERE {{col}} IN ({', '.join('?' * len(wanted))})", wanted
        facts_map, versions_map, mentions_map = _fact_maps()
        versions: dict[int, list[Version]] = {}
        for r in self._rows(
            "SELECT fact_id, k, text, amount, unit, bound FROM fact_versions"
            + where.format(col="fact_id") + " ORDER BY fact_id, k", params
        ):
            versions.setdefault(r["fact_id"], []).append(versions_map.from_row(r))
        mentions: dict[int, list[Mention]] = {}
        # the quote is cut in SQL (substr counts characters, as Python does), not by reading each article whole
        for r in self._rows(
            "SELECT m.fact_id, m.claim_id, c.article_id, m.start, m.end, m.version, m.origin, "
            "substr(a.text, m.start + 1, m.end - m.start) AS text "
            "FROM fact_mentions m JOIN claims c ON c.id = m.claim_id JOIN articles a ON a.id = c.article_id"
            + where.format(col="m.fact_id") + " ORDER BY m.fact_id, c.article_id, m.start", params
        ):
            mentions.setdefault(r["fact_id"], []).append(mentions_map.from_row(r))
        return [facts_map.from_row(r, versions=versions.get(r["id"], []), mentions=mentions.get(r["id"], []))
                for r in self._rows("SELECT * FROM facts" + where.format(col="id") + " ORDER BY id", params)]

    def fact(self, fact_id: int) -> "Fact":
        for f in self.facts([fact_id]):
            return f
        raise KeyError(fact_id)

    def _insert_fact(self, f: "Fact") -> int:
        facts_map, versions_map, mentions_map = _fact_maps()
        row = facts_map.to_row(f)
        del row["id"]  # a new fact gets a new id
        fact_id = self._insert("facts", row)
        self.conn.executemany(
            "INSERT INTO fact_versions (fact_id, k, text, amount, unit, bound) VALUES (?, ?, ?, ?, ?, ?)",
            [(fact_id, r["k"], r["text"], r["amount"], r["unit"], r["bound"])
             for r in map(versions_map.to_row, f.versions)],
        )
        self.conn.executemany(
            "INSERT INTO fact_mentions (fact_id, claim_id, start, end, version, origin) VALUES (?, ?, ?, ?, ?, ?)",
            [(fact_id, r["claim_id"], r["start"], r["end"], r["version"], r["origin"])
             for r in map(mentions_map.to_row, f.mentions)],
        )
        return fact_id

    def replace_suggested_facts(self, facts: Iterable["Fact"]) -> int:
        """Swap the open suggested facts for a fresh set; facts a reviewer decided stay.

        A fresh fact that shares a mention with a decided fact is not stored
        again: its other mentions join the decided fact (a new figure becomes a
        new version and reopens a fact the reviewer had confirmed as agreed).
        Returns the number of facts stored.
        """
        with self.transaction():
            self.conn.execute(
                "DELETE FROM fact_mentions WHERE fact_id IN "
                "(SELECT id FROM facts WHERE origin = 'suggested' AND review = 'open' AND disputed IS NULL)"
            )
            self.conn.execute(
                "DELETE FROM fact_versions WHERE fact_id IN "
                "(SELECT id FROM facts WHERE origin = 'suggested' AND review = 'open' AND disputed IS NULL)"
            )
            # a disputed fact (reviewers' decisions differ, after a merge) is kept like a decided one
            self.conn.execute("DELETE FROM facts WHERE origin = 'suggested' AND review = 'open' AND disputed IS NULL")
            kept: dict[tuple[int, int, int], int] = {
                (r[0], r[1], r[2]): r[3]
                for r in self.conn.execute("SELECT claim_id, start, end, fact_id FROM fact_mentions")
            }
            n = 0
            for f in facts:
                decided = {kept[m.key] for m in f.mentions if m.key in kept}
                if not decided:
                    fact_id = self._insert_fact(f)
                    for m in f.mentions:
                        kept[m.key] = fact_id
                    n += 1
                    continue
                target = min(decided)
                have = {r[0]: (r[1], r[2]) for r in self.conn.execute(
                    "SELECT k, amount, unit FROM fact_versions WHERE fact_id = ?", [target])}
                for m in f.mentions:
                    if m.key in kept:
                        continue
                    v = f.versions[m.version] if m.version < len(f.versions) else None
                    k = next((k for k, (amount, unit) in have.items()
                              if v is not None and amount == v.amount and unit == v.unit), None)
                    if k is None:
                        k = max(have, default=-1) + 1
                        have[k] = (v.amount if v else None, v.unit if v else None)
                        self.conn.execute(
                            "INSERT INTO fact_versions (fact_id, k, text, amount, unit, bound) VALUES (?, ?, ?, ?, ?, ?)",
                            [target, k, v.text if v else m.text, v.amount if v else None, v.unit if v else None,
                             v.bound if v else None],
                        )
                        # a figure the reviewer has not seen: the fact is open again
                        self.conn.execute(
                            "UPDATE facts SET status = 'conflicting', review = 'open' "
                            "WHERE id = ? AND review = 'confirmed' AND status = 'agreed'", [target])
                    self.conn.execute(
                        "INSERT INTO fact_mentions (fact_id, claim_id, start, end, version, origin) "
                        "VALUES (?, ?, ?, ?, ?, ?)", [target, m.claim_id, m.start, m.end, k, "suggested"])
                    kept[m.key] = target
            return n

    def update_fact(self, fact_id: int, **fields: Any) -> None:
        allowed = {"label", "status", "origin", "review", "preferred_version", "resolution", "decided_at", "decided_by",
                   "disputed"}
        bad = set(fields) - allowed
        if bad:
            raise ValueError(f"not a fact field: {', '.join(sorted(bad))}")
        with self.transaction():
            sets = ", ".join(f"[{k}] = ?" for k in fields)
            self.conn.execute(f"UPDATE facts SET {sets} WHERE id = ?", [*fields.values(), fact_id])

    def move_mention(self, key: tuple[int, int, int], to_fact: int, version: int) -> None:
        """Put one mention (claim, start, end) into another fact, under one of its versions."""
        with self.transaction():
            self.conn.execute(
                "UPDATE fact_mentions SET fact_id = ?, version = ?, origin = 'manual' "
                "WHERE claim_id = ? AND start = ? AND end = ?", [to_fact, version, *key])

    def new_fact(self, fact: "Fact") -> int:
        with self.transaction():
            return self._insert_fact(fact)

    def remove_mention(self, fact_id: int, key: tuple[int, int, int]) -> None:
        """Take one mention (claim, start, end) out of a fact."""
        with self.transaction():
            self.conn.execute(
                "DELETE FROM fact_mentions WHERE fact_id = ? AND claim_id = ? AND start = ? AND end = ?",
                [fact_id, *key])

    def fact_of_mention(self, key: tuple[int, int, int]) -> int | None:
        """The fact holding the mention (claim, start, end), or None."""
        row = self.conn.execute(
            "SELECT fact_id FROM fact_mentions WHERE claim_id = ? AND start = ? AND end = ?", list(key)).fetchone()
        return None if row is None else int(row[0])

    def add_fact_version(self, fact_id: int, version: "Version") -> None:
        row = _fact_maps()[1].to_row(version, fact_id=fact_id)
        del row["date"]  # not stored
        with self.transaction():
            self._insert("fact_versions", row)

    def fact_spread(self, fact_id: int) -> tuple[str, set[int], set[int]]:
        """A fact's stored status, the articles of its mentions and the versions they name."""
        rows = self.conn.execute(
            "SELECT c.article_id, m.version FROM fact_mentions m JOIN claims c ON c.id = m.claim_id "
            "WHERE m.fact_id = ?", [fact_id]).fetchall()
        status = self.conn.execute("SELECT status FROM facts WHERE id = ?", [fact_id]).fetchone()[0]
        return status, {r[0] for r in rows}, {r[1] for r in rows}

    # -- snapshots, for the history and undo -------------------------------------

    _ENTITY_TABLES = {"claim": "claims", "link": "links", "note": "notes", "fact": "facts"}

    def snapshot(self, entity: str, entity_id: int) -> dict[str, Any] | None:
        """The whole stored state of one record (a claim with its values), or None."""
        table = self._ENTITY_TABLES[entity]
        rows = list(self.db.query(f"SELECT * FROM {table} WHERE id = ?", [entity_id]))
        if not rows:
            return None
        snap = dict(rows[0])
        if entity == "fact":  # a fact with its versions and mentions: split and merge move mentions
            snap["versions"] = [
                {k: v for k, v in r.items() if k not in ("id", "fact_id")}
                for r in self.db.query("SELECT * FROM fact_versions WHERE fact_id = ? ORDER BY k", [entity_id])
            ]
            snap["mentions"] = [
                {k: v for k, v in r.items() if k not in ("id", "fact_id")}
                for r in self.db.query(
                    "SELECT * FROM fact_mentions WHERE fact_id = ? ORDER BY claim_id, start, end", [entity_id])
            ]
        if entity == "claim":
            snap["values"] = [
                {k: v for k, v in r.items() if k not in ("id", "claim_id")}
                for r in self.db.query(
                    "SELECT * FROM claim_values WHERE claim_id = ? ORDER BY start, id", [entity_id]
                )
            ]
        return snap

    @staticmethod
    def _columns(table: str) -> frozenset[str]:
        """The columns Claimdesk's own schema gives ``table``: never names read from a file."""
        return safety._expected_schema(safety.SCHEMA_VERSION)[0][table]

    def _check_snapshot(self, entity: str, entity_id: int, snap: Any) -> None:
        """A snapshot from the history is untrusted: known columns only, plain values only."""
        def bad(why: str) -> ProjectError:
            return ProjectError(
                f"{self.path}: the history entry of {entity} {entity_id} is damaged ({why}); nothing was changed"
            )

        if not isinstance(snap, dict):
            raise bad("not a record")
        columns = self._columns(self._ENTITY_TABLES[entity])
        scalar = (str, int, float, type(None))
        # the rows a snapshot carries with its record: a claim's values, a fact's versions and mentions
        nested = {("claim", "values"): ("claim_values", "claim_id", "value"),
                  ("fact", "versions"): ("fact_versions", "fact_id", "version"),
                  ("fact", "mentions"): ("fact_mentions", "fact_id", "mention")}
        for key, value in snap.items():
            if (entity, key) in nested:
                sub_table, parent, what = nested[(entity, key)]
                if not isinstance(value, list):
                    raise bad(f"its {key} are not a list")
                value_columns = self._columns(sub_table) - {"id", parent}
                for v in value:
                    if not isinstance(v, dict):
                        raise bad(f"a {what} is not a record")
                    unknown = sorted(set(v) - value_columns)
                    if unknown:
                        raise bad(f"unknown {what} field {unknown[0]!r}")
                    if not all(isinstance(x, scalar) and not isinstance(x, bool) for x in v.values()):
                        raise bad(f"a {what} field is not plain data")
            elif key not in columns:
                raise bad(f"unknown field {key!r}")
            elif not isinstance(value, scalar) or isinstance(value, bool):
                raise bad(f"the field {key!r} is not plain data")

    def restore(self, entity: str, entity_id: int, snap: dict[str, Any] | None) -> None:
        """Put one record back to a snapshot; None removes it.

        Column names come from Claimdesk's own schema, never from the
        snapshot: a history entry naming anything else is refused.
        """
        table = self._ENTITY_TABLES[entity]
        if snap is not None:
            self._check_snapshot(entity, entity_id, snap)
        with self.transaction():
            if entity == "claim":
                self.conn.execute("DELETE FROM claim_values WHERE claim_id = ?", [entity_id])
            if entity == "fact":
                self.conn.execute("DELETE FROM fact_mentions WHERE fact_id = ?", [entity_id])
                self.conn.execute("DELETE FROM fact_versions WHERE fact_id = ?", [entity_id])
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
            row = {k: v for k, v in snap.items() if k not in ("values", "versions", "mentions")}
            row["id"] = entity_id
            self._upsert_row(table, row)
            if entity == "fact":
                for sub, rows_ in (("fact_versions", snap.get("versions", [])), ("fact_mentions", snap.get("mentions", []))):
                    if rows_:
                        # a mention moved back here leaves the fact it had been moved to
                        if sub == "fact_mentions":
                            for r in rows_:
                                self.conn.execute(
                                    "DELETE FROM fact_mentions WHERE claim_id = ? AND start = ? AND end = ?",
                                    [r["claim_id"], r["start"], r["end"]])
                        self.db[sub].insert_all([dict(r, fact_id=entity_id) for r in rows_])
            if entity == "claim":
                known = self._columns("claim_values")
                for v in snap.get("values", []):
                    row = {k: x for k, x in v.items() if k in known and k != "id"}
                    row["claim_id"] = entity_id
                    self.conn.execute(
                        f"INSERT INTO claim_values ({', '.join(f'[{k}]' for k in row)}) "
                        f"VALUES ({', '.join('?' * len(row))})", list(row.values()))

    def _upsert_row(self, table: str, row: dict[str, Any]) -> None:
        # INSERT OR REPLACE would delete and re-insert the row, which foreign
        # keys pointing at it forbid; update in place when it exists.
        known = self._columns(table)
        row = {k: v for k, v in row.items() if k in known}
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

    def local_operations(self) -> list[tuple[int, str, str]]:
        """(op, action, actor) of each operation made in this file, oldest first; events brought in by a
        merge (``origin`` set) are another file's history and left out."""
        return self.conn.execute(
            "SELECT op, min(action), min(actor) FROM events WHERE origin IS NULL GROUP BY op ORDER BY op"
        ).fetchall()

    def next_op(self) -> int:
        row = self.conn.execute("SELECT coalesce(max(op), 0) FROM events").fetchone()
        return int(row[0]) + 1

    def add_event(self, event: Event) -> int:
        with self.transaction():
            row = EVENTS.to_row(event)
            del row["id"]
            return self._insert("events", row)

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
        return [EVENTS.from_row(r) for r in self._rows(sql, params)]

    def event_rows(self) -> list[tuple]:
        """Every event as stored: (id, op, at, actor, action, entity, entity_id, before, after, origin)."""
        return self.conn.execute(
            "SELECT id, op, at, actor, action, entity, entity_id, before, [after], origin FROM events ORDER BY id"
        ).fetchall()

    def add_event_rows(self, rows: Sequence[tuple]) -> None:
        """Append events brought in from another file: (op, at, actor, action, entity, entity_id, before, after,
        origin)."""
        with self.transaction():
            self.conn.executemany(
                "INSERT INTO events (op, at, actor, action, entity, entity_id, before, [after], origin) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)

    # -- reviewers: merging and disputes ----------------------------------------------

    def article_hashes(self) -> dict[str, int]:
        return dict(self.conn.execute("SELECT content_hash, id FROM articles"))

    def disputed_claim_ids(self) -> set[int]:
        """Claims whose reviewers' decisions differ (after a merge), across the whole project."""
        return {r[0] for r in self.conn.execute("SELECT id FROM claims WHERE disputed IS NOT NULL")}

    def claim_decision_rows(self) -> list[sqlite3.Row]:
        """Per claim what a merge compares: id, article_id, start, end, text, status, decided_at, decided_by,
        disputed (JSON list or NULL)."""
        return self._rows(
            "SELECT id, article_id, start, [end], text, status, decided_at, decided_by, disputed FROM claims"
        )

    def set_claim_decisions(self, rows: Sequence[tuple]) -> None:
        """(status, text, decided_at, decided_by, disputed, id) for many claims at once."""
        with self.transaction():
            self.conn.executemany(
                "UPDATE claims SET status = ?, text = ?, decided_at = ?, decided_by = ?, disputed = ? WHERE id = ?",
                rows)

    def fact_decision_rows(self) -> list[sqlite3.Row]:
        return self._rows(
            "SELECT id, review, preferred_version, resolution, decided_at, decided_by, disputed FROM facts")

    def set_fact_decisions(self, rows: Sequence[tuple]) -> None:
        """(review, preferred_version, resolution, decided_at, decided_by, disputed, id) for many facts."""
        with self.transaction():
            self.conn.executemany(
                "UPDATE facts SET review = ?, preferred_version = ?, resolution = ?, decided_at = ?, "
                "decided_by = ?, disputed = ? WHERE id = ?", rows)

    def note_rows(self) -> list[tuple]:
        """(id, claim_id, link_id, text, author, created_at) of every note."""
        return self.conn.execute(
            "SELECT id, claim_id, link_id, text, author, created_at FROM notes ORDER BY id").fetchall()

    def counts(self) -> dict[str, int]:
        q = lambda sql, *params: self.conn.execute(sql, params).fetchone()[0]  # noqa: E731
        return {
            "articles": q("SELECT count(*) FROM articles"),
            "claims": q("SELECT count(*) FROM claims"),
            "reviewed": q("SELECT count(*) FROM claims WHERE status != 'suggested'"),
            "links": q("SELECT count(*) FROM links"),
            "open_conflicts": q(f"SELECT count(*) FROM links WHERE kind = ? AND status IN "
                                f"({', '.join('?' * len(OPEN_LINK_STATUSES))})", CONFLICT, *OPEN_LINK_STATUSES),
        }
