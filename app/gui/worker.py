"""Long jobs (import + suggestion, export) in a worker thread.

A SQLite connection belongs to the thread that opened it, so the worker opens
its own project (:func:`claimdesk.services.projects.open_project`) on the same file (WAL mode lets
the window keep reading and writing meanwhile). Progress, the result, a
failure message or the cancellation come back to the window as queued
signals; the window then re-reads what it shows. Cancel is cooperative: the
pipeline checks the flag between articles, and what was committed stays.
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

log = logging.getLogger(__name__)

# fn(project, progress(stage, done, total), cancelled() -> bool) -> result
JobFunction = Callable[[Any, Callable[[str, int, int], None], Callable[[], bool]], Any]


class JobProblem(Exception):
    """A failure whose message is already meant for the reviewer."""


class _Worker(QObject):
    progress = Signal(str, int, int)
    done = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, db_path: Path, fn: JobFunction, cancel_flag: threading.Event):
        super().__init__()
        self.db_path = db_path
        self.fn = fn
        self.cancel_flag = cancel_flag

    @Slot()
    def run(self) -> None:
        from claimdesk.services.pipeline import Cancelled
        from claimdesk.services.projects import ProjectError, open_project

        try:
            with open_project(self.db_path, create=False) as project:
                result = self.fn(project, self.progress.emit, self.cancel_flag.is_set)
        except Cancelled:
            self.cancelled.emit()
        except (ProjectError, JobProblem) as exc:
            self.failed.emit(str(exc))
        except OSError as exc:
            where = f" ({exc.filename})" if exc.filename else ""
            self.failed.emit(f"{exc.strerror or exc}{where}")
        except Exception as exc:  # a bug or an unexpected library error: report, never kill the window
            log.error("background job failed:\n%s", traceback.format_exc())
            self.failed.emit(f"{type(exc).__name__}: {exc}")
        else:
            if self.cancel_flag.is_set():
                self.cancelled.emit()
            else:
                self.done.emit(result)


class BackgroundJob(QObject):
    """Run ``fn`` on a worker thread with its own project connection.

    Signals: ``progress(stage, done, total)``, ``finished(result)``,
    ``failed(message)``, ``cancelled()``; exactly one of the last three, then
    ``ended()`` once the thread has stopped.
    """

    progress = Signal(str, int, int)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    ended = Signal()

    def __init__(self, db_path: str | Path, fn: JobFunction, title: str = "Working", parent: QObject | None = None):
        super().__init__(parent)
        self.title = title
        self._cancel = threading.Event()
        self._thread = QThread()
        self._thread.setObjectName(f"claimdesk-{title.lower().replace(' ', '-')}")
        self._worker = _Worker(Path(db_path), fn, self._cancel)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.progress.connect(self.progress)
        self._worker.done.connect(self._on_done)
        self._worker.failed.connect(self._on_failed)
        self._worker.cancelled.connect(self._on_cancelled)
        self._thread.finished.connect(self._on_thread_finished)
        self._running = False

    def start(self) -> None:
        self._running = True
        self._thread.start()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def running(self) -> bool:
        return self._running

    def wait(self, ms: int = 30_000) -> bool:
        return self._thread.wait(ms)

    def _finish(self) -> None:
        self._thread.quit()

    def _on_done(self, result: object) -> None:
        self._finish()
        self.finished.emit(result)

    def _on_failed(self, message: str) -> None:
        self._finish()
        self.failed.emit(message)

    def _on_cancelled(self) -> None:
        self._finish()
        self.cancelled.emit()

    def _on_thread_finished(self) -> None:
        self._running = False
        self.ended.emit()


def import_job(paths: list[str]) -> JobFunction:
    """Import these files, suggest claims for the new articles and re-align the project."""

    def run(project, progress, cancelled):
        from claimdesk.services.pipeline import import_paths

        return import_paths(project, paths, progress=progress, cancelled=cancelled)

    return run


def export_job(fmt: str, out_path: str) -> JobFunction:
    """Export the project's fact sheet in one format."""

    def run(project, progress, cancelled):
        from claimdesk.export import ExportError, export_project

        progress("export", 0, 1)
        try:
            export_project(project, fmt, Path(out_path))
        except ExportError as exc:
            raise JobProblem(str(exc)) from None
        progress("export", 1, 1)
        return out_path

    return run
