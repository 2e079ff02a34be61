"""The project file: one SQLite database, reached only through :class:`Project`.

Opening is defensive. Before anything is written the file is probed through a
read-only connection that creates no files next to it, with SQLite's
integrity check (the quick one above 64 MB): a file that is not
SQLite, not a Claimdesk project, damaged, made by a newer Claimdesk, or whose
schema carries triggers or views Claimdesk did not create is refused with a
:class:`ProjectError` whose message names the problem, and the file is left
byte-for-byte as it was, with no ``-wal``/``-shm`` files beside it.

Every connection is hardened: ``trusted_schema`` off, extension loading off,
and SQLite's defensive mode on (see :func:`harden`). The file is kept in WAL
mode with ``synchronous=FULL``: a commit is on disk before the caller returns,
so a decision reported done survives a crash or a power cut.

Every write goes through :meth:`Project.transaction` (``BEGIN IMMEDIATE``), so a
reviewer action is one transaction, committed before the caller returns, and
two programs writing one file take turns. A new project file is built beside
its final name and linked into place only when complete, so an interrupted
``Project(path)`` never leaves a half-made project. Before a migration, a
backup copy of the file is written and checked.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import functools
import importlib.util
import json
import os
import re
import secrets
import sqlite3
import stat
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from glob import escape as glob_escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
    now_iso,
    parse_dispute,
)
from app.core.ports import ProjectError
from app.paths import db_dir

if TYPE_CHECKING:
    from app.core.facts import Fact, Version

BUSY_TIMEOUT_MS = 10_000
#: Files up to this size get SQLite's full integrity_check on open; bigger ones the quick_check.
FULL_CHECK_MAX_BYTES = 64 * 1024 * 1024
SQLITE_MAGIC = b"SQLite format 3\x00"

# sqlite3_db_config() verbs (sqlite3.h)
SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION = 1005
SQLITE_DBCONFIG_DEFENSIVE = 1010

# Primary result codes (sqlite3.h) of problems a person can do something about.
_SQLITE_PERM, _SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY = 3, 5, 6, 8
_SQLITE_IOERR, _SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_CANTOPEN, _SQLITE_NOTADB = 10, 11, 13, 14, 26


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


# -- hardening ---------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _sqlite_api():
    """``(sqlite3_db_config, sqlite3_db_filename)`` of the SQLite library the sqlite3 module uses, or None.

    Python 3.12 added ``Connection.setconfig``; Python 3.11 has no way to set a
    connection's configuration, so on CPython 3.11 (and only there) the
    connection's ``sqlite3 *`` handle is read from the first field after the
    object header of the C struct (``pysqlite_Connection.db``, fixed for the
    whole 3.11 series) and the C function is called from the very library the
    ``_sqlite3`` module is linked to. Anything unexpected (another Python, a
    library that does not export the function, another library version)
    turns this off rather than risk a call into the wrong place.
    """
    if sys.implementation.name != "cpython" or sys.version_info[:2] != (3, 11):
        return None
    try:
        import ctypes

        import _sqlite3

        module_file = _sqlite3.__file__
        if sys.platform == "win32":
            lib = ctypes.CDLL(os.path.join(os.path.dirname(module_file), "sqlite3.dll"))
        else:
            lib = ctypes.CDLL(module_file)  # resolves through the module's own dependencies
        db_config = lib.sqlite3_db_config
        db_filename = lib.sqlite3_db_filename
        libversion = lib.sqlite3_libversion
    except (ImportError, OSError, AttributeError):
        return None
    libversion.restype = ctypes.c_char_p
    if libversion().decode() != sqlite3.sqlite_version:
        return None
    db_config.argtypes = [ctypes.c_void_p, ctypes.c_int]  # variadic after these two
    db_config.restype = ctypes.c_int
    db_filename.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
    db_filename.restype = ctypes.c_char_p
    return db_config, db_filename


def _db_config_311(conn: sqlite3.Connection, verb: int, on: bool) -> bool | None:
    """Set one boolean sqlite3_db_config() option; the value read back, or None if unreachable."""
    api = _sqlite_api()
    if api is None:
        return None
    import ctypes

    db_config, db_filename = api
    handle = ctypes.c_void_p.from_address(id(conn) + object.__basicsize__).value
    if not handle:
        return None
    # Make sure the handle is this connection's before changing anything through it.
    main_file = conn.execute("SELECT file FROM pragma_database_list WHERE name = 'main'").fetchone()[0]
    found = db_filename(handle, b"main")
    if found is None or os.fsdecode(found) != main_file:
        return None
    out = ctypes.c_int(-1)
    if db_config(handle, verb, ctypes.c_int(1 if on else 0), ctypes.byref(out)) != 0:
        return None
    return bool(out.value)


def harden(conn: sqlite3.Connection) -> bool:
    """Open a project file from elsewhere safely; returns whether SQLite's defensive mode is on.

    * ``trusted_schema`` off: the file's triggers, views and defaults cannot
      call functions with side effects;
    * extension loading off (the C API and the SQL ``load_extension()``);
    * defensive mode on: even SQL that tried could not deliberately corrupt the
      file (``writable_schema``, ``journal_mode=OFF``, ``sqlite_dbpage``).
      Through ``Connection.setconfig`` on Python 3.12+, through the C library
      on CPython 3.11; where neither is possible the first two still hold.
    """
    conn.execute("PRAGMA trusted_schema = OFF")
    if hasattr(conn, "enable_load_extension"):
        conn.enable_load_extension(False)
    setconfig = getattr(conn, "setconfig", None)
    if setconfig is not None:  # Python 3.12+
        setconfig(SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, False)
        setconfig(SQLITE_DBCONFIG_DEFENSIVE, True)
        return bool(conn.getconfig(SQLITE_DBCONFIG_DEFENSIVE))
    _db_config_311(conn, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, False)
    return bool(_db_config_311(conn, SQLITE_DBCONFIG_DEFENSIVE, True))


def _explain(path: Path, exc: sqlite3.Error, doing: str) -> ProjectError | None:
    """A person's message for an SQLite failure they can act on, or None for a program error."""
    code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
    text = str(exc)
    if code in (_SQLITE_BUSY, _SQLITE_LOCKED) or "locked" in text or "busy" in text:
        return ProjectError(f"{path} is in use by another program; {doing} was not done — try again")
    if code == _SQLITE_FULL or "disk is full" in text:
        return ProjectError(f"{path}: the disk is full; {doing} was not done")
    if code == _SQLITE_READONLY or "readonly" in text:
        return ProjectError(f"{path} is read-only; {doing} was not done")
    if code in (_SQLITE_IOERR, _SQLITE_PERM, _SQLITE_CANTOPEN) or "I/O error" in text:
        return ProjectError(f"{path} could not be written ({text}); {doing} was not done")
    if code in (_SQLITE_CORRUPT, _SQLITE_NOTADB) or "malformed" in text:
        return ProjectError(f"{path} is damaged ({text}); {doing} was not done")
    return None


# -- the schema a file must have --------------------------------------------------------


def _squeeze(sql: str | None) -> str:
    return re.sub(r"\s+", " ", sql or "").strip()


@functools.lru_cache(maxsize=None)
def _expected_schema(version: int) -> tuple[dict[str, frozenset[str]], frozenset[tuple[str, str, str]], tuple[str, ...]]:
    """What the first ``version`` migrations make: ({table: columns}, {(type, name, sql) of triggers/views},
    migration names)."""
    steps = _MIGRATIONS.migrations._migrations
    conn = sqlite3.connect(":memory:")
    try:
        db = Database(conn, execute_plugins=False)
        stop = steps[version].name if version < len(steps) else None
        _MIGRATIONS.migrations.apply(db, stop_before=stop)
        return _schema_of(conn) + (tuple(m.name for m in steps[:version]),)
    finally:
        conn.close()


def _schema_of(conn: sqlite3.Connection) -> tuple[dict[str, frozenset[str]], frozenset[tuple[str, str, str]]]:
    tables = {
        name: frozenset(r[0] for r in conn.execute("SELECT name FROM pragma_table_info(?)", [name]))
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    }
    code = frozenset(
        (kind, name, _squeeze(sql))
        for kind, name, sql in conn.execute("SELECT type, name, sql FROM sqlite_master WHERE type IN ('trigger', 'view')")
    )
    return tables, code


def _check_schema(conn: sqlite3.Connection, path: Path, version: int) -> None:
    """Refuse a file whose schema is not what Claimdesk made at its version."""
    want_tables, want_code, want_steps = _expected_schema(version)
    tables, code = _schema_of(conn)
    for name, columns in sorted(want_tables.items()):
        if name == "sqlite_sequence":
            continue
        if name not in tables:
            raise ProjectError(f"{path} is damaged: the table '{name}' is missing")
        if name == "_sqlite_migrations":  # sqlite-utils' own table; its layout varies by version
            columns = frozenset({"migration_set", "name"})
        missing = sorted(columns - tables[name])
        if missing:
            raise ProjectError(f"{path} is damaged: the table '{name}' lacks {', '.join(missing)}")
    _check_schema_details(conn, path, version, tables, want_tables)
    for kind, name, _ in sorted(code - want_code):
        raise ProjectError(
            f"{path} was not made by Claimdesk as it is: it contains a {kind} '{name}' that Claimdesk "
            "does not create, so it is not opened"
        )
    for kind, name, _ in sorted(want_code - code):
        raise ProjectError(f"{path} is damaged: the {kind} '{name}' is missing")
    if "_sqlite_migrations" in tables:
        steps = tuple(r[0] for r in conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY rowid",
            [_MIGRATIONS.migrations.name],
        ))
    else:
        steps = ()
    if steps != want_steps:
        raise ProjectError(f"{path} is damaged: its record of schema upgrades does not match schema {version}")


_CONSTRAINT_WORDS = re.compile(r"\b(CHECK|GENERATED|UNIQUE|COLLATE|REFERENCES|AS)\b", re.I)


@functools.lru_cache(maxsize=None)
def _expected_sql(version: int) -> tuple[dict[str, str], dict[str, str]]:
    """({table: CREATE TABLE sql}, {index: CREATE INDEX sql}) of what the first ``version`` migrations make."""
    steps = _MIGRATIONS.migrations._migrations
    conn = sqlite3.connect(":memory:")
    try:
        db = Database(conn, execute_plugins=False)
        stop = steps[version].name if version < len(steps) else None
        _MIGRATIONS.migrations.apply(db, stop_before=stop)
        return _sql_of(conn)
    finally:
        conn.close()


def _sql_of(conn: sqlite3.Connection) -> tuple[dict[str, str], dict[str, str]]:
    tables = {n: _squeeze(q) for n, q in conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'")}
    indexes = {n: _squeeze(q) for n, q in conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")}
    return tables, indexes


def _check_schema_details(conn, path: Path, version: int, tables, want_tables) -> None:
    """No column, constraint or index Claimdesk does not make: each would break writes later, or change them."""
    want_sql, want_indexes = _expected_sql(version)
    have_sql, have_indexes = _sql_of(conn)
    for name, columns in sorted(want_tables.items()):
        if name in ("sqlite_sequence", "_sqlite_migrations"):
            continue
        extra = sorted(tables[name] - columns)
        if extra:
            raise ProjectError(
                f"{path} was not made by Claimdesk as it is: the table '{name}' has a column '{extra[0]}' "
                "that Claimdesk does not create, so it is not opened"
            )
        want_words = sorted(w.upper() for w in _CONSTRAINT_WORDS.findall(want_sql.get(name, "")))
        have_words = sorted(w.upper() for w in _CONSTRAINT_WORDS.findall(have_sql.get(name, "")))
        if have_words != want_words:
            raise ProjectError(
                f"{path} was not made by Claimdesk as it is: the table '{name}' has constraints Claimdesk "
                "does not create, so it is not opened"
            )
    for name, sql in sorted(have_indexes.items()):
        table = re.search(r"\bON\s+\[?\"?(\w+)", sql or "", re.I)
        if table and table.group(1) not in want_tables:
            continue  # an index on someone else's table
        if name not in want_indexes or ("UNIQUE" in sql.upper()) != ("UNIQUE" in want_indexes[name].upper()):
            raise ProjectError(
                f"{path} was not made by Claimdesk as it is: it contains an index '{name}' that Claimdesk "
                "does not create, so it is not opened"
            )


#: Checks of the content of a file, run when it is opened: (what is wrong, SQL counting the rows where it is).
#: Claims and values are checked in one pass each (in ``_check_content``); these are the smaller tables.
_CONTENT_CHECKS = (
    ("a link has an unknown kind or status, or bad offsets",
     "SELECT count(*) FROM links WHERE kind NOT IN ({kinds}) OR status NOT IN ({link_statuses}) "
     "OR origin NOT IN ({origins}) OR typeof(claim_a) != 'integer' OR typeof(claim_b) != 'integer' "
     "OR typeof(a_start) NOT IN ('integer', 'null') OR typeof(a_end) NOT IN ('integer', 'null') "
     "OR typeof(b_start) NOT IN ('integer', 'null') OR typeof(b_end) NOT IN ('integer', 'null')"),
    ("a note is not text", "SELECT count(*) FROM notes WHERE typeof(text) != 'text'"),
    ("an entry of the history is not a JSON record",
     "SELECT count(*) FROM events WHERE typeof(op) != 'integer' OR typeof(action) != 'text' "
     "OR entity NOT IN ('claim', 'link', 'note', 'fact') OR typeof(entity_id) != 'integer' "
     "OR (before IS NOT NULL AND CASE WHEN typeof(before) = 'text' AND json_valid(before) "
     "    THEN json_type(before) != 'object' ELSE 1 END) "
     "OR ([after] IS NOT NULL AND CASE WHEN typeof([after]) = 'text' AND json_valid([after]) "
     "    THEN json_type([after]) != 'object' ELSE 1 END) "
     "OR ((action LIKE 'undo:%' OR action LIKE 'redo:%') AND NOT (substr(action, 6) GLOB '[0-9]*' "
     "    AND NOT substr(action, 6) GLOB '*[^0-9]*'))"),
    ("a setting is not text", "SELECT count(*) FROM settings WHERE typeof(value) NOT IN ('text', 'null')"),
    ("a disputed claim's decisions are not a JSON list",
     "SELECT count(*) FROM claims WHERE disputed IS NOT NULL AND CASE WHEN typeof(disputed) = 'text' "
     "AND json_valid(disputed) THEN json_type(disputed) != 'array' ELSE 1 END"),
    ("a disputed fact's decisions are not a JSON list",
     "SELECT count(*) FROM facts WHERE disputed IS NOT NULL AND CASE WHEN typeof(disputed) = 'text' "
     "AND json_valid(disputed) THEN json_type(disputed) != 'array' ELSE 1 END"),
)

#: One pass over the claims: per article, the furthest end and the counts of each kind of bad row.
_CLAIMS_PASS = (
    "SELECT article_id, max([end]), "
    "sum(typeof(start) != 'integer' OR typeof([end]) != 'integer' OR start < 0 OR [end] <= start), "
    "sum(typeof(text) != 'text'), "
    "sum(status NOT IN ({statuses}) OR origin NOT IN ({origins})) "
    "FROM claims GROUP BY article_id"
)
_CLAIMS_PROBLEMS = (
    "a claim has offsets that are not whole numbers or not in order",
    "a claim's text is not text",
    "a claim has an unknown status or origin",
)
#: One pass over the values, with the article of each value's claim.
_VALUES_PASS = (
    "SELECT c.article_id, max(v.[end]), "
    "sum(typeof(v.start) != 'integer' OR typeof(v.[end]) != 'integer' OR v.start < 0 OR v.[end] < v.start), "
    "sum(typeof(v.amount) NOT IN ('integer', 'real', 'null') OR v.amount IN (9e999, -9e999)), "
    "sum(v.equivalents IS NOT NULL AND CASE WHEN typeof(v.equivalents) = 'text' AND json_valid(v.equivalents) "
    "    THEN json_type(v.equivalents) != 'array' ELSE 1 END) "
    "FROM claim_values v JOIN claims c ON c.id = v.claim_id GROUP BY c.article_id"
)
_VALUES_PROBLEMS = (
    "a value has offsets that are not whole numbers or not in order",
    "a value's amount is not a finite number",
    "a value's equivalents are not a JSON list",
)


def _sql_list(items: Iterable[str]) -> str:
    return ", ".join("'" + i.replace("'", "''") + "'" for i in items)


def _check_content(conn: sqlite3.Connection, path: Path, version: int = SCHEMA_VERSION) -> None:
    """Refuse a file whose records Claimdesk could not have written: everything in it is untrusted.

    Offsets must lie inside their article's text (lengths in characters, as
    Python counts them), JSON must be JSON of the right shape, enumerations
    known values, amounts finite, and every reference must point at a record.
    """
    from app.core.model import CLAIM_STATUSES, LINK_KINDS, LINK_STATUSES, ORIGIN_CONFIRMED, ORIGIN_MANUAL

    names = {
        "statuses": _sql_list(CLAIM_STATUSES),
        "origins": _sql_list((ORIGIN_SUGGESTED, ORIGIN_MANUAL, ORIGIN_CONFIRMED)),
        "kinds": _sql_list(LINK_KINDS),
        "link_statuses": _sql_list(LINK_STATUSES),
    }

    def refuse(problem: str, n: int | None = None) -> ProjectError:
        count = f" ({n:,} records)" if n else ""
        return ProjectError(f"{path} is damaged or was altered: {problem}{count}; it was not opened")

    lengths = {}
    for article_id, length, kind in conn.execute("SELECT id, length(text), typeof(text) FROM articles"):
        if kind != "text":
            raise refuse("an article's text is not text")
        lengths[article_id] = length
    for sql, problems, where in ((_CLAIMS_PASS, _CLAIMS_PROBLEMS, "a claim's offsets lie outside its article's text"),
                                 (_VALUES_PASS, _VALUES_PROBLEMS, "a value's offsets lie outside its article's text")):
        for article_id, end, *bad in conn.execute(sql.format(**names)):
            for problem, n in zip(problems, bad):
                if n:
                    raise refuse(problem, n)
            if article_id not in lengths or (end is not None and end > lengths[article_id]):
                raise refuse(where)
    for problem, sql in _CONTENT_CHECKS:
        if version < 3 and "disputed" in sql:  # the column came with schema 3
            continue
        n = conn.execute(sql.format(**names)).fetchone()[0]
        if n:
            raise refuse(problem, n)
    broken = conn.execute("PRAGMA foreign_key_check").fetchone()
    if broken:
        raise ProjectError(
            f"{path} is damaged or was altered: a record in '{broken[0]}' points at a missing "
            f"'{broken[2]}' record; it was not opened"
        )


# -- probing a file before anything is written ---------------------------------------------


def _sidecars(path: Path) -> list[Path]:
    return [Path(f"{path}{suffix}") for suffix in ("-wal", "-shm", "-journal")]


def _probe_connect(path: Path, immutable: bool) -> sqlite3.Connection:
    # immutable=1: no locks, no -shm/-wal created; only used when there is no WAL to read.
    uri = path.resolve().as_uri() + ("?mode=ro&immutable=1" if immutable else "?mode=ro")
    conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        harden(conn)
    except BaseException:
        conn.close()
        raise
    return conn


def _probe(path: Path) -> tuple[bool, int]:
    """Check an existing file without changing it. Returns (is_new, schema_version)."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return True, 0
    except OSError as exc:
        raise ProjectError(f"{path} cannot be read: {exc.strerror or exc}") from None
    if stat.S_ISDIR(st.st_mode):
        raise ProjectError(f"{path} is a folder, not a Claimdesk project file")
    if not stat.S_ISREG(st.st_mode):
        raise ProjectError(f"{path} is not a regular file, so not a Claimdesk project")
    try:
        with open(path, "rb") as fh:
            head = fh.read(100)
    except OSError as exc:
        raise ProjectError(f"{path} cannot be read: {exc.strerror or exc}") from None
    if not head:
        raise ProjectError(f"{path} is empty: not a Claimdesk project")
    if not head.startswith(SQLITE_MAGIC):
        raise ProjectError(f"{path} is not a Claimdesk project (it is not an SQLite database)")
    if len(head) < 100:
        raise ProjectError(f"{path} is damaged: it is cut short ({len(head)} bytes)")
    # Without a WAL beside it the file holds everything: read it as an immutable
    # file, which creates nothing next to it. With a WAL (another program has it
    # open, or the last one stopped abruptly) read through the WAL.
    has_wal = Path(f"{path}-wal").exists()
    if not has_wal:
        page_size = int.from_bytes(head[16:18], "big")
        page_size = 65536 if page_size == 1 else page_size
        pages = int.from_bytes(head[28:32], "big")
        if head[92:96] == head[24:28] and pages and st.st_size < pages * page_size:
            raise ProjectError(
                f"{path} is damaged: it is cut short ({st.st_size:,} of {pages * page_size:,} bytes); "
                "it was not opened"
            )
    try:
        return False, _probe_sqlite(path, immutable=not has_wal)
    except ProjectError:
        if has_wal or not Path(f"{path}-wal").exists():
            raise
        # Another program opened the file while it was read as immutable: read it again properly.
        return False, _probe_sqlite(path, immutable=False)


#: The settings row that ties a ``-wal`` journal to the file it was written on top of.
JOURNAL_KEY = "journal.tokens"
#: Most tokens kept while the journal cannot be emptied (another program reading for long).
JOURNAL_CHAIN = 200
#: How long a checkpoint after a commit waits for another program's reader before it does what it can.
CHECKPOINT_WAIT_MS = 200
#: How often the journal check looks again when another program may have just written.
WAL_CHECK_TRIES = 5


def _journal_tokens(conn: sqlite3.Connection) -> list[str] | None:
    try:
        row = conn.execute("SELECT value FROM settings WHERE key = ?", [JOURNAL_KEY]).fetchone()
    except sqlite3.Error:
        return None
    if row is None or not isinstance(row[0], str):
        return None
    try:
        tokens = json.loads(row[0])
    except ValueError:
        return None
    return [t for t in tokens if isinstance(t, str)] if isinstance(tokens, list) else None


def _check_wal_belongs(path: Path, conn: sqlite3.Connection) -> None:
    """Refuse a ``-wal`` journal written on top of another version of this file.

    Every write transaction records, in the file, a chain of tokens: the token
    the file itself held when the journal was last empty, then one per
    transaction since. The file without its journal (read as immutable, which
    ignores the journal) must hold one of the tokens the journal leads to;
    yesterday's copy restored beside today's journal holds none of them, and
    replaying that journal onto it would mix two histories. Nothing is applied
    and nothing is written: the probe's connections are read-only.
    """
    wal = Path(f"{path}-wal")
    # Another program may commit and copy its journal into the file between the two reads below (the
    # file then holds a token newer than the chain just read): look again before calling it foreign.
    # A journal that really belongs to another version of the file fails every time.
    for attempt in range(WAL_CHECK_TRIES):
        if attempt:
            time.sleep(0.05 * attempt)
        try:
            if wal.stat().st_size == 0:
                return
        except OSError:
            return
        chain = _journal_tokens(conn)
        if chain is None:
            return  # a journal written by a Claimdesk before this check: nothing to compare with
        try:
            bare = _probe_connect(path, immutable=True)
            try:
                own = _journal_tokens(bare)
            finally:
                bare.close()
        except sqlite3.Error:
            return  # the file is being written by another program right now: its journal is live
        if (own[-1] if own else "none") in chain:
            return
    raise ProjectError(
        f"{wal.name} beside {path} does not belong to it (it was written on top of another version "
        "of the file, e.g. before this one was restored from a copy), so it was not applied and "
        f"nothing was opened. Move {wal.name} away to open the file as it is."
    )


def _probe_sqlite(path: Path, immutable: bool) -> int:
    try:
        conn = _probe_connect(path, immutable)
    except sqlite3.DatabaseError as exc:
        if isinstance(exc, sqlite3.OperationalError) and not ("malformed" in str(exc) or "not a database" in str(exc)):
            raise _explain(path, exc, "opening it") or ProjectError(f"{path} cannot be opened: {exc}") from None
        raise ProjectError(f"{path} is damaged ({exc}); it was not opened") from None
    except sqlite3.Error as exc:
        raise ProjectError(f"{path} cannot be opened: {exc}") from None
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if app_id != APPLICATION_ID:
            raise ProjectError(f"{path} is an SQLite database but not a Claimdesk project")
        if version > SCHEMA_VERSION:
            raise ProjectError(
                f"{path} was written by a newer Claimdesk (schema {version}; "
                f"this version reads up to {SCHEMA_VERSION}). Update Claimdesk to open it."
            )
        if version < 1:
            raise ProjectError(f"{path} is damaged: it is marked as a Claimdesk project but has no schema version")
        # The full check also proves every index matches its table; past a size it would slow
        # opening down noticeably (about 6 ms per MB), so big files get the quick one (3 ms per MB).
        check = "integrity_check" if path.stat().st_size <= FULL_CHECK_MAX_BYTES else "quick_check"
        problems = [row[0] for row in conn.execute(f"PRAGMA {check}(5)")]
        if problems != ["ok"]:
            found = "; ".join(" ".join(p.split()) for p in problems).replace("*** in database main *** ", "")
            raise ProjectError(f"{path} is damaged ({found}); it was not opened")
        _check_schema(conn, path, version)
        _check_content(conn, path, version)
        if not immutable:
            _check_wal_belongs(path, conn)
    except sqlite3.Error as exc:
        if isinstance(exc, sqlite3.OperationalError) and ("locked" in str(exc) or "busy" in str(exc)):
            raise ProjectError(f"{path} is in use by another program; try again") from None
        raise ProjectError(f"{path} is damaged or not a Claimdesk project ({exc}); it was not opened") from None
    finally:
        conn.close()
    return version


def _fsync_dir(folder: Path) -> None:
    """Make a new or renamed directory entry durable (POSIX; a no-op elsewhere)."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _remove_old_scraps(folder: Path, name: str) -> None:
    """Delete what creations of ``name`` interrupted over an hour ago left behind."""
    cutoff = _dt.datetime.now().timestamp() - 3600
    for scrap in folder.glob(f".{glob_escape(name)}.*.new*"):
        with contextlib.suppress(OSError):
            if scrap.stat().st_mtime < cutoff:
                scrap.unlink()


def _create(path: Path) -> None:
    """Build a new, complete project beside ``path`` and link it into place.

    An interrupted creation leaves at most a hidden ``.*.new`` file, never a
    half-made project under the real name. If another program created the
    file meanwhile, its file is kept.
    """
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ProjectError(f"cannot create {folder}: {exc.strerror or exc}") from None
    tmp = folder / f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.new"
    _remove_old_scraps(folder, path.name)
    try:
        conn = sqlite3.connect(str(tmp), isolation_level=None)
        try:
            harden(conn)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            db = Database(conn, execute_plugins=False)
            conn.execute("BEGIN IMMEDIATE")
            _MIGRATIONS.migrations.apply(db)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.execute("COMMIT")
        finally:
            conn.close()  # the last connection: checkpoints the WAL into the file
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        try:
            os.link(tmp, path)  # fails if the name exists: never replaces someone's file
        except FileExistsError:
            pass
        except OSError:  # no hard links on this file system
            if not path.exists():
                os.replace(tmp, path)
        _fsync_dir(folder)
    except sqlite3.Error as exc:
        err = _explain(folder, exc, "creating the project")
        raise err or ProjectError(f"cannot create {path}: {exc}") from None
    except OSError as exc:
        raise ProjectError(f"cannot create {path}: {exc.strerror or exc}") from None
    finally:
        for leftover in (tmp, *_sidecars(tmp)):
            with contextlib.suppress(OSError):
                leftover.unlink()


def _is_row_id(n: object) -> bool:
    """Whether ``n`` can be an SQLite row id (a 64-bit integer): anything else names no record."""
    return isinstance(n, int) and not isinstance(n, bool) and -(2**63) <= n < 2**63


def _value_from_row(row: Any) -> Value:
    # The "equivalents" column holds a JSON list of [amount, unit]; for a range it is an object that also
    # carries the high end: {"equivalents": [...], "high": 5.0} (older rows are all lists).
    d = {k: row[k] for k in row.keys()}
    extra = json.loads(d["equivalents"] or "[]")
    if isinstance(extra, dict):
        d["equivalents"], d["high"] = extra.get("equivalents", []), extra.get("high")
    else:
        d["equivalents"], d["high"] = extra, None
    return Value.from_dict(d)


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
        disputed=row["disputed"] if "disputed" in row.keys() else None,
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
    row = v.to_dict()
    del row["id"]
    row["claim_id"] = claim_id
    high = row.pop("high")
    row["equivalents"] = json.dumps(row["equivalents"] if high is None
                                    else {"equivalents": row["equivalents"], "high": high})
    row["changing"] = int(row["changing"])
    return row


class Project:
    """A Claimdesk project file.

    ``Project(path)`` opens an existing project or creates a new one;
    ``create=False`` refuses a path that does not exist yet.
    """

    def __init__(self, path: str | Path, *, create: bool = True, backup: bool = True, readonly: bool = False):
        self.path = Path(path)
        self.readonly = readonly
        is_new, version = _probe(self.path)
        if is_new and (not create or readonly):
            raise ProjectError(f"{self.path} does not exist")
        self._op_counter: int | None = None
        if readonly:
            self._open_readonly(version)
            return
        if is_new:
            _create(self.path)
            is_new, version = _probe(self.path)
            if is_new:  # e.g. a dangling symbolic link by that name
                raise ProjectError(f"cannot create {self.path}: something else is in the way")
        self.backup_path: Path | None = None
        if backup and version < SCHEMA_VERSION:
            self.backup_path = self._backup(version)
        try:
            # mode=rw: never create a file here (creating is _create's job).
            conn = sqlite3.connect(
                self.path.resolve().as_uri() + "?mode=rw", uri=True, timeout=BUSY_TIMEOUT_MS / 1000
            )
        except sqlite3.Error as exc:
            raise ProjectError(f"{self.path} cannot be opened: {exc}") from None
        self.conn = conn
        try:
            self.defensive = harden(conn)
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA foreign_keys = ON")
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode.lower() != "wal":
                raise ProjectError(f"{self.path}: the file system does not support SQLite's WAL mode")
            conn.execute("PRAGMA synchronous = FULL")
            self.db = Database(conn, execute_plugins=False)
            if _MIGRATIONS.migrations.pending(self.db):
                self._migrate(version)
        except sqlite3.Error as exc:
            conn.close()
            raise _explain(self.path, exc, "opening it") or ProjectError(
                f"{self.path} cannot be opened: {exc}"
            ) from None
        except BaseException:
            conn.close()
            raise

    # -- lifecycle -----------------------------------------------------------

    def _open_readonly(self, version: int) -> None:
        """Open for reading only (export, a look): works on a read-only file, folder or mount.

        A WAL file is read through its journal where SQLite can (it needs to
        create ``-shm`` beside the file); on a read-only folder with no journal
        to read, the file alone holds everything and is read as immutable.
        """
        if version < SCHEMA_VERSION:
            raise ProjectError(
                f"{self.path} was made by an older Claimdesk (schema {version}) and must be upgraded first: "
                "open it once where it can be written"
            )
        wal = Path(f"{self.path}-wal")
        wal_empty = not wal.exists() or wal.stat().st_size == 0
        uri = self.path.resolve().as_uri()
        attempts = [uri + "?mode=ro"] + ([uri + "?mode=ro&immutable=1"] if wal_empty else [])
        last: sqlite3.Error | None = None
        for target in attempts:
            conn = None
            try:
                conn = sqlite3.connect(target, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
                self.defensive = harden(conn)
                conn.execute("PRAGMA query_only = ON")
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            except sqlite3.Error as exc:
                last = exc
                if conn is not None:
                    conn.close()
                continue
            self.conn = conn
            self.db = Database(conn, execute_plugins=False)
            return
        raise _explain(self.path, last, "reading it") or ProjectError(
            f"{self.path} cannot be read: {last}"
        )

    def _migrate(self, version: int) -> None:
        """Upgrade the schema in one transaction: all steps or none."""
        try:
            with self._write_lock():
                _MIGRATIONS.migrations.apply(self.db)
                self.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except ProjectError:
            raise
        except Exception as exc:  # a failing step: nothing was changed
            kept = f"; a copy from before is at {self.backup_path}" if self.backup_path else ""
            raise ProjectError(
                f"{self.path} could not be upgraded from schema {version} to {SCHEMA_VERSION} ({exc}); "
                f"the file is unchanged{kept}"
            ) from None

    def _backup(self, version: int) -> Path:
        """A checked copy of the file as it is, next to it, before a migration changes it."""
        stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        target = self.path.with_name(f"{self.path.name}.schema{version}-{stamp}.bak")
        n = 1
        while target.exists():
            n += 1
            target = self.path.with_name(f"{self.path.name}.schema{version}-{stamp}-{n}.bak")
        try:
            src = _probe_connect(self.path, immutable=not Path(f"{self.path}-wal").exists())
            try:
                dst = sqlite3.connect(str(target))
                try:
                    src.backup(dst)
                    dst.execute("PRAGMA journal_mode = DELETE")
                    ok = [r[0] for r in dst.execute("PRAGMA quick_check(1)")] == ["ok"]
                finally:
                    dst.close()
            finally:
                src.close()
            if not ok:
                raise ProjectError("the copy does not read back correctly")
            with open(target, "rb+") as fh:
                os.fsync(fh.fileno())
            _fsync_dir(target.parent)
        except (sqlite3.Error, OSError, ProjectError) as exc:
            for leftover in (target, *_sidecars(target)):
                with contextlib.suppress(OSError):
                    leftover.unlink()
            raise ProjectError(
                f"{self.path} needs an upgrade, but a backup copy could not be written ({exc}); "
                "nothing was changed"
            ) from None
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
        of failing half-way. If the change cannot be saved (the file is in use
        for too long, the disk is full or read-only, an I/O error) nothing of
        it is kept and a :class:`ProjectError` says why.
        """
        if self.readonly:
            raise ProjectError(f"{self.path} is open for reading only; the change was not done")
        if self.conn.in_transaction:
            with self.db.atomic():
                yield self
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise _explain(self.path, exc, "the change") or ProjectError(
                f"{self.path} cannot be written: {exc}"
            ) from None
        wal_was_empty = self._wal_is_empty()  # under the write lock: no other writer adds to it now
        changes = self.conn.total_changes
        try:
            yield self
            if self.conn.total_changes != changes:
                self._stamp_journal(wal_was_empty)
        except BaseException as exc:
            with contextlib.suppress(sqlite3.Error):
                self.conn.rollback()
            if isinstance(exc, sqlite3.Error):
                friendly = _explain(self.path, exc, "the change")
                if friendly is not None:
                    raise friendly from None
            raise
        else:
            try:
                self.conn.execute("COMMIT")
            except BaseException as exc:
                with contextlib.suppress(sqlite3.Error):
                    self.conn.rollback()
                if isinstance(exc, sqlite3.Error):
                    raise _explain(self.path, exc, "the change") or ProjectError(
                        f"{self.path}: the change could not be saved ({exc})"
                    ) from None
                raise
            if self.conn.total_changes != changes:
                self._checkpoint()

    def _wal_is_empty(self) -> bool:
        try:
            return Path(f"{self.path}-wal").stat().st_size == 0
        except FileNotFoundError:
            return True
        except OSError:
            return False

    def _stamp_journal(self, wal_was_empty: bool) -> None:
        """Extend the chain of tokens that ties the ``-wal`` journal to this file (see ``_check_wal_belongs``)."""
        chain = _journal_tokens(self.conn) or ["none"]
        if wal_was_empty:
            chain = chain[-1:]  # the file itself holds everything up to here
        chain = (chain + [secrets.token_hex(8)])[-JOURNAL_CHAIN:]
        self.conn.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [JOURNAL_KEY, json.dumps(chain)],
        )

    def _checkpoint(self) -> None:
        """Copy the committed change from the ``-wal`` journal into the file and empty the journal.

        So a copy of the ``.claimdesk`` file taken between decisions (mailed,
        backed up) holds every decision reported done. Waits at most
        :data:`CHECKPOINT_WAIT_MS` for another program's reader, then does
        what it can; the next commit catches up. The change is committed
        whatever happens here.
        """
        try:
            self.conn.execute(f"PRAGMA busy_timeout = {CHECKPOINT_WAIT_MS}")
            try:
                self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            finally:
                self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        except sqlite3.Error:
            pass

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
        if not _is_row_id(article_id):
            raise KeyError(f"no article {article_id}")
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
            "SELECT c.article_id, count(DISTINCT l.id) FROM links l JOIN claims c "
            "ON c.id = l.claim_a OR c.id = l.claim_b "
            "WHERE l.kind = ? AND l.status IN ('open', 'confirmed') GROUP BY c.article_id",
            [CONFLICT],
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
        rows = self._rows(sql, params)
        values: dict[int, list[Value]] = {}
        if with_values:
            if status is None:
                values = self._values_for(None, article_id=article_id)
            else:
                values = self._values_for([r["id"] for r in rows])
        return [_claim_from_row(r, values.get(r["id"], [])) for r in rows]

    def claim(self, claim_id: int) -> Claim:
        if not _is_row_id(claim_id):
            raise KeyError(f"no claim {claim_id}")
        rows = list(self.db.query("SELECT * FROM claims WHERE id = ?", [claim_id]))
        if not rows:
            raise KeyError(f"no claim {claim_id}")
        return _claim_from_row(rows[0], self._values_for([claim_id]).get(claim_id, []))

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
            row = {
                "id": self._new_id("claims"),
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
        if not _is_row_id(link_id):
            raise KeyError(f"no link {link_id}")
        rows = list(self.db.query("SELECT * FROM links WHERE id = ?", [link_id]))
        if not rows:
            raise KeyError(f"no link {link_id}")
        return _link_from_row(rows[0])

    def add_link(self, link: Link) -> int:
        with self.transaction():
            return int(self.conn.execute(
                "INSERT INTO links (id, claim_a, claim_b, kind, a_start, a_end, b_start, b_end, reason, "
                "confidence, origin, status, resolution, preferred_claim, decided_at, decided_by) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    self._new_id("links"), link.claim_a, link.claim_b, link.kind,
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
        return [
            Note(id=r["id"], claim_id=r["claim_id"], link_id=r["link_id"], text=r["text"],
                 author=r["author"], created_at=r["created_at"])
            for r in self.db.query(sql, params)
        ]

    def add_note(self, note: Note) -> int:
        with self.transaction():
            # never a deleted note's id: the history of that note (and a merge that maps it) names it
            return int(self.conn.execute(
                "INSERT INTO notes (id, claim_id, link_id, text, author, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                [self._new_id("notes"), note.claim_id, note.link_id, note.text, note.author,
                 note.created_at or now_iso()],
            ).lastrowid)

    # -- facts (claims' values grouped: app.core.facts) -----------------------------

    def facts(self, ids: Sequence[int] | None = None) -> list["Fact"]:
        """Stored facts with their versions and mentions, in id order (only ``ids`` when given)."""
        from app.core.facts import Fact, Mention, Version

        where, params = "", []
        if ids is not None:
            wanted = sorted(set(ids))
            if not wanted:
                return []
            if len(wanted) > 500:  # a long list: one pass over all facts is cheaper than many parameters
                keep = set(wanted)
                return [f for f in self.facts() if f.id in keep]
            where, params = f" WHERE {{col}} IN ({', '.join('?' * len(wanted))})", wanted
        versions: dict[int, list[Version]] = {}
        for r in self.conn.execute(
            "SELECT fact_id, k, text, amount, unit, bound FROM fact_versions"
            + where.format(col="fact_id") + " ORDER BY fact_id, k", params
        ):
            versions.setdefault(r[0], []).append(Version(r[1], r[2] or "", r[3], r[4], r[5] or "exact"))
        mentions: dict[int, list[Mention]] = {}
        # the quote is cut in SQL (substr counts characters, as Python does), not by reading each article whole
        for r in self.conn.execute(
            "SELECT m.fact_id, m.claim_id, c.article_id, m.start, m.end, m.version, m.origin, "
            "substr(a.text, m.start + 1, m.end - m.start) "
            "FROM fact_mentions m JOIN claims c ON c.id = m.claim_id JOIN articles a ON a.id = c.article_id"
            + where.format(col="m.fact_id") + " ORDER BY m.fact_id, c.article_id, m.start", params
        ):
            mentions.setdefault(r[0], []).append(Mention(r[1], r[2], r[3], r[4], r[5], r[7] or "", origin=r[6]))
        out = []
        for r in self.db.query("SELECT * FROM facts" + where.format(col="id") + " ORDER BY id", params):
            out.append(Fact(
                r["id"], r["label"] or "", r["subject"], r["attribute"] or "", r["status"], r["kind"] or "",
                versions.get(r["id"], []), mentions.get(r["id"], []), origin=r["origin"], review=r["review"],
                preferred_version=r["preferred_version"], resolution=r["resolution"],
                decided_at=r["decided_at"], decided_by=r["decided_by"],
            ))
        return out

    def fact(self, fact_id: int) -> "Fact":
        for f in self.facts([fact_id]):
            return f
        raise KeyError(fact_id)

    def facts_by_id(self, ids: Sequence[int]) -> list["Fact"]:
        return self.facts(ids)

    def _insert_fact(self, f: "Fact") -> int:
        fact_id = int(self.conn.execute(
            "INSERT INTO facts (key, label, subject, attribute, kind, status, origin, review, preferred_version, "
            "resolution, decided_at, decided_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [None, f.label, f.subject, f.attribute, f.kind, f.status, f.origin, f.review, f.preferred_version,
             f.resolution, f.decided_at, f.decided_by],
        ).lastrowid)
        self.conn.executemany(
            "INSERT INTO fact_versions (fact_id, k, text, amount, unit, bound) VALUES (?, ?, ?, ?, ?, ?)",
            [(fact_id, v.k, v.text, v.amount, v.unit, v.bound) for v in f.versions],
        )
        self.conn.executemany(
            "INSERT INTO fact_mentions (fact_id, claim_id, start, end, version, origin) VALUES (?, ?, ?, ?, ?, ?)",
            [(fact_id, m.claim_id, m.start, m.end, m.version, m.origin) for m in f.mentions],
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
                "(SELECT id FROM facts WHERE origin = 'suggested' AND review = 'open')"
            )
            self.conn.execute(
                "DELETE FROM fact_versions WHERE fact_id IN "
                "(SELECT id FROM facts WHERE origin = 'suggested' AND review = 'open')"
            )
            self.conn.execute("DELETE FROM facts WHERE origin = 'suggested' AND review = 'open'")
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
        with self.transaction():
            self.conn.execute(
                "INSERT INTO fact_versions (fact_id, k, text, amount, unit, bound) VALUES (?, ?, ?, ?, ?, ?)",
                [fact_id, version.k, version.text, version.amount, version.unit, version.bound])

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
        return _expected_schema(SCHEMA_VERSION)[0][table]

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

    def disputed_claim_ids(self) -> set[int]:
        return {r[0] for r in self.conn.execute("SELECT id FROM claims WHERE disputed IS NOT NULL")}

    def disputed_fact_ids(self) -> set[int]:
        return {r[0] for r in self.conn.execute("SELECT id FROM facts WHERE disputed IS NOT NULL")}

    def dispute(self, entity: str, entity_id: int) -> list[dict[str, Any]]:
        """Each reviewer's decision on a disputed claim or fact (empty when there is no dispute)."""
        table = {"claim": "claims", "fact": "facts"}[entity]
        row = self.conn.execute(f"SELECT disputed FROM {table} WHERE id = ?", [entity_id]).fetchone()
        return parse_dispute(row[0] if row else None)

    def counts(self) -> dict[str, int]:
        q = lambda sql: self.conn.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "articles": q("SELECT count(*) FROM articles"),
            "claims": q("SELECT count(*) FROM claims"),
            "reviewed": q("SELECT count(*) FROM claims WHERE status != 'suggested'"),
            "links": q("SELECT count(*) FROM links"),
            "open_conflicts": q("SELECT count(*) FROM links WHERE kind = 'conflict' AND status = 'open'"),
        }
