"""Export a project: the verified fact sheet for people, and data for other tools.

``export_project(project, fmt, out_path)`` writes one format to one file:

- ``md``, ``html``, ``pdf``: the fact sheet for people (see :mod:`claimdesk.export.sheet`);
- ``json``: the ``claimdesk analyze --json`` document plus the reviewer's work;
- ``csv``: one row per claim, for spreadsheets;
- ``claimreview``: schema.org ClaimReview JSON-LD, one per reviewed claim or fact;
- ``annotations``: W3C Web Annotation JSON-LD, one per highlight.

Every file is written atomically: the bytes go to a temporary file in the
output folder, are flushed to disk, and only then replace ``out_path``. On any
failure the temporary file is removed, an existing ``out_path`` is left as it
was, and :class:`ExportError` carries one message for a person.

Nothing here imports Qt except the PDF writer, which imports PySide6 inside
its function, so the rest of the package works where Qt is missing.
"""

from __future__ import annotations

import datetime as _dt
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

from claimdesk.core.files import fsync_dir

FORMATS: tuple[str, ...] = ("md", "html", "pdf", "json", "csv", "claimreview", "annotations")

#: The file name suffix each format is usually saved with (for save dialogs).
SUFFIXES: dict[str, str] = {
    "md": ".md",
    "html": ".html",
    "pdf": ".pdf",
    "json": ".json",
    "csv": ".csv",
    "claimreview": ".claimreview.jsonld",
    "annotations": ".annotations.jsonld",
}

#: Short descriptions, for menus and ``--help``.
DESCRIPTIONS: dict[str, str] = {
    "md": "Fact sheet (Markdown)",
    "html": "Fact sheet (HTML, one file)",
    "pdf": "Fact sheet (PDF)",
    "json": "Everything (JSON)",
    "csv": "Claims table (CSV)",
    "claimreview": "ClaimReview (schema.org JSON-LD)",
    "annotations": "Highlights (W3C Web Annotation JSON-LD)",
}


class ExportError(Exception):
    """An export that could not be written; the message is for a person."""


def _writer(fmt: str) -> Callable[..., bytes]:
    if fmt == "md":
        from claimdesk.export.markdown import render_markdown as fn
    elif fmt == "html":
        from claimdesk.export.html import render_html as fn
    elif fmt == "pdf":
        from claimdesk.export.pdf import render_pdf as fn
    elif fmt == "json":
        from claimdesk.export.jsonout import render_json as fn
    elif fmt == "csv":
        from claimdesk.export.csvout import render_csv as fn
    elif fmt == "claimreview":
        from claimdesk.export.claimreview import render_claimreview as fn
    elif fmt == "annotations":
        from claimdesk.export.annotations import render_annotations as fn
    else:
        raise ExportError(f"unknown format '{fmt}' (one of: {', '.join(FORMATS)})")
    return fn


def render(project, fmt: str, *, now: _dt.datetime | None = None) -> bytes:
    """The bytes of one export, without writing a file (for previews and tests).

    ``now`` is the time the export is stamped with (default: the current time,
    in UTC); pass a fixed time to get byte-identical output.
    """
    fn = _writer(fmt)
    now = _utc(now)
    try:
        return fn(project, now=now)
    except ExportError:
        raise
    except Exception as exc:  # a bug or bad data must not surface as a traceback
        raise ExportError(f"could not build the {fmt} export: {_describe(exc)}") from exc


def export_project(project, fmt: str, out_path: str | os.PathLike, *, now: _dt.datetime | None = None) -> Path:
    """Write ``project`` as ``fmt`` to ``out_path`` atomically; returns the path written.

    Raises :class:`ExportError` (and leaves no partial file) when the format is
    unknown, the output cannot be written, or the export cannot be built.
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown format '{fmt}' (one of: {', '.join(FORMATS)})")
    out = Path(out_path)
    _check_target(project, out)
    data = render(project, fmt, now=now)
    write_atomic(out, data)
    return out


# -- writing -----------------------------------------------------------------------


def _describe(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    return str(exc) or type(exc).__name__


def _check_target(project, out: Path) -> None:
    """Refuse outputs that would fail late or destroy data (the project itself)."""
    if str(out).strip() == "":
        raise ExportError("no output file given")
    if out.is_dir():
        raise ExportError(f"{out} is a folder; give a file name to export to")
    parent = out.parent
    if not parent.exists():
        raise ExportError(f"cannot write {out}: the folder {parent} does not exist")
    if not parent.is_dir():
        raise ExportError(f"cannot write {out}: {parent} is not a folder")
    _check_replaceable(out)
    project_path = getattr(project, "path", None)
    if project_path is not None:
        try:
            target = out.resolve()
            own = Path(project_path).resolve()
        except OSError:
            return
        protected = {own, Path(str(own) + "-wal"), Path(str(own) + "-shm"), Path(str(own) + "-journal")}
        if target in protected:
            raise ExportError(f"cannot write {out}: that is the project file itself")


def _check_replaceable(out: Path) -> Path:
    """Where to write ``out``: a new path, or a regular file to replace; anything else is refused.

    A device node (``/dev/null``, a terminal), a FIFO, a socket, or a
    symbolic link to one of them (``/proc/self/fd/1``) is never replaced by a
    file. A symbolic link to a regular file is followed: the file it points to
    is replaced and the link stays.
    """
    try:
        st = os.lstat(out)
    except FileNotFoundError:
        return out
    except OSError as exc:
        raise ExportError(f"cannot write {out}: {_describe(exc)}") from None
    if stat.S_ISLNK(st.st_mode):
        try:
            real = Path(os.path.realpath(out, strict=True))
            st = os.lstat(real)
        except (OSError, RuntimeError):
            raise ExportError(f"cannot write {out}: it is a symbolic link to nothing that can be written") from None
        if not stat.S_ISREG(st.st_mode):
            raise ExportError(f"cannot write {out}: it is a link to {real}, which is not a regular file")
        return real
    if stat.S_ISREG(st.st_mode):
        return out
    kind = ("a folder" if stat.S_ISDIR(st.st_mode) else "a FIFO (named pipe)" if stat.S_ISFIFO(st.st_mode)
            else "a socket" if stat.S_ISSOCK(st.st_mode) else "a device")
    raise ExportError(f"cannot write {out}: it is {kind}, not a regular file; exports replace only files")


def _umask() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    return 0o022


def write_atomic(out: Path, data: bytes) -> None:
    """Write ``data`` to ``out`` so that ``out`` is either the old file or the whole new one.

    Writes a temporary file next to ``out``, fsyncs it, then ``os.replace``-s
    it over ``out``. Only a new path or a regular file is written (a link to a
    regular file is followed); a device, FIFO or socket is refused. On failure the temporary file is removed and
    :class:`ExportError` says what went wrong.
    """
    out = _check_replaceable(Path(out))
    tmp_name: str | None = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=out.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        try:  # keep the mode of a file we replace; a new file gets the usual mode
            mode = out.stat().st_mode & 0o777
        except OSError:
            mode = 0o666 & ~_umask()
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, out)
        tmp_name = None
        fsync_dir(out.parent)
    except OSError as exc:
        raise ExportError(f"cannot write {out}: {_describe(exc)}") from exc
    finally:
        if tmp_name is not None:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass


def _utc(now: _dt.datetime | None) -> _dt.datetime:
    if now is None:
        return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0)
    if now.tzinfo is None:
        return now.replace(tzinfo=_dt.timezone.utc)
    return now.astimezone(_dt.timezone.utc)


__all__ = [
    "DESCRIPTIONS",
    "ExportError",
    "FORMATS",
    "SUFFIXES",
    "export_project",
    "render",
    "write_atomic",
]
