"""The window's background jobs: one at a time, shown in the status bar with progress and Cancel.

:class:`JobRunner` starts a :class:`~claimdesk.gui.worker.BackgroundJob` (the worker thread with its
own project connection), names each stage as it comes (reading files, loading the language model,
finding claims, comparing articles) and tells the window through signals what it has to do:
``busy(bool)`` while a job runs (the window keeps Open and New from switching files under it),
``failed(title, message)`` and ``cancelled(title)`` (the window re-reads the project and says so).
The job's result goes to the ``on_done`` callback given to :meth:`JobRunner.start`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton, QStatusBar, QWidget

from claimdesk.gui.worker import BackgroundJob, JobFunction

# What each stage of a background job is called in the status bar.
JOB_STAGES = {
    "import": "Reading files",
    "model": "Loading the language model",
    "suggest": "Finding claims",
    "align": "Comparing articles",
    "export": "Exporting",
}
# The stages of an import, in order: "step 2 of 4".
IMPORT_PHASES = ("import", "model", "suggest", "align")


class JobRunner(QObject):
    busy = Signal(bool)
    failed = Signal(str, str)  # title, message
    cancelled = Signal(str)  # title

    def __init__(self, owner: QWidget, bar: QStatusBar):
        super().__init__(owner)
        self.owner = owner
        self.job: BackgroundJob | None = None
        self.stage: str | None = None
        self.label = QLabel(owner)
        self.label.setObjectName("jobLabel")
        self.label.setAccessibleName("Background work: stage and progress")
        self.bar = QProgressBar(owner)
        self.bar.setObjectName("jobProgress")
        self.bar.setAccessibleName("Background work")
        self.bar.setMaximumWidth(220)
        self.cancel_button = QPushButton("Cancel", owner)
        self.cancel_button.setObjectName("cancelJob")
        self.cancel_button.setAccessibleName("Cancel the background work")
        self.cancel_button.clicked.connect(self.cancel)
        for w in self._widgets():
            w.hide()
            bar.addPermanentWidget(w)

    def _widgets(self) -> tuple[QWidget, ...]:
        return self.label, self.bar, self.cancel_button

    @property
    def running(self) -> bool:
        return self.job is not None and self.job.running

    def start(self, db_path: str | Path, title: str, fn: JobFunction, on_done: Callable) -> BackgroundJob:
        """Start ``fn`` on a worker thread (the caller checked that no other job runs)."""
        job = BackgroundJob(db_path, fn, title, self.owner)
        self.job = job
        self.label.setText(f"{title}…")
        self.bar.setRange(0, 0)
        for w in self._widgets():
            w.show()
        self.cancel_button.setEnabled(True)
        self.busy.emit(True)
        job.progress.connect(self._progress)
        job.finished.connect(on_done)
        job.failed.connect(lambda msg: self.failed.emit(title, msg))
        job.cancelled.connect(lambda: self.cancelled.emit(title))
        job.ended.connect(self._ended)
        job.start()
        return job

    def _progress(self, stage: str, done: int, total: int) -> None:
        """One phase at a time, each with its own progress: reading files, loading the language model,
        finding claims, comparing articles. A phase whose length is unknown shows a busy bar."""
        phases = [k for k in IMPORT_PHASES if k in JOB_STAGES]
        name = JOB_STAGES.get(stage, stage.capitalize())
        step = f" (step {phases.index(stage) + 1} of {len(phases)})" if stage in phases else ""
        count = f" {done}/{total}" if total > 1 else ""
        self.label.setText(f"{name}{count}{step}…" if done < total else f"{name}{count}{step}")
        self.stage = stage
        if total <= 1 and done < total:
            self.bar.setRange(0, 0)  # busy: no way to say how far it is
        else:
            self.bar.setRange(0, max(total, 1))
            self.bar.setValue(done)
        self.bar.setAccessibleDescription(self.label.text())

    def _ended(self) -> None:
        for w in self._widgets():
            w.hide()
        self.busy.emit(False)

    def cancel(self) -> None:
        if self.running:
            self.job.cancel()
            self.cancel_button.setEnabled(False)
            self.label.setText("Cancelling…")

    def stop(self, wait_ms: int = 15_000) -> None:
        """Cancel and wait (the window is closing)."""
        if self.running:
            self.job.cancel()
            self.job.wait(wait_ms)
