"""The project file's safety: probing, hardening, creation, backups and migrations.

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

Every write goes through :meth:`ProjectFile.transaction` (``BEGIN IMMEDIATE``), so a
reviewer action is one transaction, committed before the caller returns, and
two programs writing one file take turns. A new project file is built beside
its final name and linked into place only when complete, so an interrupted
``Project(path)`` never leaves a half-made project. Before a migration, a
backup copy of the file is written and checked.

What is stored in the file, and how rows become dataclasses, is
:mod:`claimdesk.storage.project` (the repository).
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import functools
import importlib
import json
import os
import re
import secrets
import sqlite3
import stat
import sys
import time
from collections.abc import Iterable, Iterator
from glob import escape as glob_escape
from pathlib import Path

from sqlite_utils import Database

from claimdesk.core.files import fsync_dir
from claimdesk.core.ports import ProjectError
from claimdesk.paths import PACKAGE

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
    """The schema steps: ``db/migrations.py``, shipped as the module ``db.migrations`` of the package."""
    return importlib.import_module(f"{PACKAGE}.db.migrations")


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
    "    THEN CASE json_type(v.equivalents) WHEN 'array' THEN 0 "
    # a range keeps its high end beside the list: {"equivalents": [...], "high": 5.0}
    "         WHEN 'object' THEN coalesce(json_type(v.equivalents, '$.equivalents'), '') != 'array' "
    "              OR coalesce(json_type(v.equivalents, '$.high'), 'null') NOT IN ('integer', 'real', 'null') "
    "         ELSE 1 END "
    "    ELSE 1 END) "
    "FROM claim_values v JOIN claims c ON c.id = v.claim_id GROUP BY c.article_id"
)
_VALUES_PROBLEMS = (
    "a value has offsets that are not whole numbers or not in order",
    "a value's amount is not a finite number",
    "a value's equivalents are not a JSON list (or a range's list and high end)",
)


def _sql_list(items: Iterable[str]) -> str:
    return ", ".join("'" + i.replace("'", "''") + "'" for i in items)


def _check_content(conn: sqlite3.Connection, path: Path, version: int = SCHEMA_VERSION) -> None:
    """Refuse a file whose records Claimdesk could not have written: everything in it is untrusted.

    Offsets must lie inside their article's text (lengths in characters, as
    Python counts them), JSON must be JSON of the right shape, enumerations
    known values, amounts finite, and every reference must point at a record.
    """
    from claimdesk.core.model import CLAIM_STATUSES, LINK_KINDS, LINK_STATUSES, ORIGIN_CONFIRMED, ORIGIN_MANUAL, ORIGIN_SUGGESTED

    names = {
        "statuses": _sql_list(CLAIM_STATUSES),
        "origins": _sql_list((ORIGIN_SUGGESTED, ORIGIN_MANUAL, ORIGIN_CONFIRMED)),
        "kinds": _sql_list(LINK_KINDS),
        "link_statuses": _sql_list(LINK_STATUSES),
    }

    def refuse(problem: str, n: int | None = None) -> ProjectError:
        count = f" ({n:,} record{'s' if n != 1 else ''})" if n else ""
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
        fsync_dir(folder)
    except sqlite3.Error as exc:
        err = _explain(folder, exc, "creating the project")
        raise err or ProjectError(f"cannot create {path}: {exc}") from None
    except OSError as exc:
        raise ProjectError(f"cannot create {path}: {exc.strerror or exc}") from None
    finally:
        for leftover in (tmp, *_sidecars(tmp)):
            with contextlib.suppress(OSError):
                leftover.unlink()


class ProjectFile:
    """An open, safe connection to a Claimdesk project file (the repository is its subclass
    :class:`claimdesk.storage.project.Project`).

    ``ProjectFile(path)`` opens an existing project or creates a new one;
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
            fsync_dir(target.parent)
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

    def __enter__(self) -> "ProjectFile":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator["ProjectFile"]:
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
