"""The File menu's work: open, new, recent, import and export (in the background), merge, settings.

Mixed into :class:`claimdesk.gui.main_window.MainWindow`. Needs: ``self.state``, ``self.project``,
``self.controller``, ``self.jobs`` (:class:`~claimdesk.gui.jobs.JobRunner`), ``self.recent_menu``,
``open_project``, ``open_article``, ``show_problem`` and ``_reload_after_job``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from claimdesk.gui.agreement_panel import refresh_agreement_panel, show_agreement_panel
from claimdesk.gui.project_dialogs import ExportDialog, ProjectSettingsDialog, ReviewerDialog
from claimdesk.gui.settings import (
    gui_settings,
    last_export_dir,
    recent_projects,
    remember_export_dir,
    remember_reviewer,
    reviewer_initials,
    reviewer_name,
)
from claimdesk.gui.worker import BackgroundJob, export_job, import_job

IMPORT_FILTER = "Articles (*.txt *.text *.md *.markdown *.html *.htm *.xhtml *.docx);;All files (*)"
PROJECT_FILTER = "Claimdesk projects (*.claimdesk);;All files (*)"
ARTICLE_SUFFIXES = (".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml", ".docx")


class ProjectFilesMixin:
    # -- folders --------------------------------------------------------------------------------

    def _start_dir(self) -> str:
        """The project's folder, unless it is Claimdesk's own (hidden) data folder: then Documents."""
        if self.project is not None:
            from claimdesk.paths import user_data_dir

            folder = self.project.path.resolve().parent
            try:
                hidden = folder == user_data_dir().resolve()
            except OSError:
                hidden = False
            if not hidden:
                return str(folder)
        docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        return docs if docs and Path(docs).is_dir() else str(Path.home())

    def _export_dir(self) -> str:
        return last_export_dir() or self._start_dir()

    # -- open and new ---------------------------------------------------------------------------

    def choose_project(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open project", self._start_dir(), PROJECT_FILTER)
        if path:
            self.open_or_import(path)

    def open_or_import(self, path: str) -> bool:
        """Open a project file; an article file chosen by mistake is offered for import instead."""
        if Path(path).suffix.lower() in ARTICLE_SUFFIXES:
            if self.state is None:
                self.show_problem(f"{Path(path).name} is an article, not a project: create a project "
                                  f"(Ctrl+N), then import it (Ctrl+I).", title="Open project")
                return False
            answer = QMessageBox.question(
                self, "Import the article?",
                f"{Path(path).name} is an article, not a Claimdesk project.\n\n"
                f"Import it into {self.project.path.name}?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes)
            if answer == QMessageBox.StandardButton.Yes:
                return self.import_files([path]) is not None
            return False
        return self.open_project(path)

    def _fill_recent_menu(self) -> None:
        menu = self.recent_menu
        menu.clear()
        current = str(self.project.path.resolve()) if self.project is not None else None
        paths = [p for p in recent_projects() if p != current]
        for n, path in enumerate(paths, 1):
            act = menu.addAction(f"&{n} {Path(path).name}" if n < 10 else Path(path).name)
            act.setToolTip(path)
            act.setStatusTip(path)
            act.setData(path)
            act.triggered.connect(lambda _=False, p=path: self.open_project(p))
        if not paths:
            empty = menu.addAction("No other recent projects")
            empty.setEnabled(False)

    def new_project(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "New project", str(Path(self._start_dir()) / "story.claimdesk"),
                                              PROJECT_FILTER)
        if path:
            if not Path(path).suffix:
                path += ".claimdesk"
            self.open_project(path, create=True)

    # -- import and export (background jobs) ----------------------------------------------------

    @property
    def job(self) -> BackgroundJob | None:
        """The last background job (running or not)."""
        return self.jobs.job

    def choose_import(self) -> None:
        if self.state is None:
            self.show_problem("Open or create a project first (Ctrl+O, Ctrl+N).")
            return
        paths, _ = QFileDialog.getOpenFileNames(self, "Import articles", self._start_dir(), IMPORT_FILTER)
        if paths:
            self.import_files(paths)

    def import_files(self, paths: list[str]) -> BackgroundJob | None:
        """Import in the background; the window stays usable and shows progress with Cancel."""
        return self._start_job("Importing", import_job([str(p) for p in paths]), self._import_done)

    def _import_done(self, results) -> None:
        self.last_import_results = results
        self._reload_after_job()
        ok = [r for r in results if r.error is None]
        new = [r for r in ok if r.created]
        bad = [r for r in results if r.error is not None]
        summary = f"Imported {len(new)} new article{'s' if len(new) != 1 else ''}"
        if len(ok) > len(new):
            summary += f" ({len(ok) - len(new)} already in the project)"
        self.statusBar().showMessage(summary, 8000)
        if bad:
            lines = "\n".join(f"• {Path(r.path).name}: {r.error}" for r in bad)
            self.show_problem(f"{summary}.\n\n{len(bad)} file{'s' if len(bad) != 1 else ''} could not be "
                              f"imported:\n{lines}", title="Import")
        if new and (self.view_article is None or not self.article_pane.claims):
            self.open_article(new[0].article_id)

    def choose_export(self) -> None:
        if self.state is None:
            self.show_problem("Open a project first (Ctrl+O).")
            return
        try:
            import claimdesk.export as export
        except ImportError as exc:
            self.show_problem(f"Export is not available in this installation ({exc}).", title="Export")
            return
        choices = [(f, export.DESCRIPTIONS[f], export.SUFFIXES[f]) for f in export.FORMATS]
        story = (self.project.setting("story") or "").strip()
        stem = "-".join("".join(ch if ch.isalnum() else " " for ch in story).split()).lower()[:60] \
            if story else self.project.path.stem
        dialog = ExportDialog(self, self._export_dir(), f"{stem}-fact-sheet", choices,
                              selected=gui_settings().value("lastExportFormat"))
        self.export_dialog = dialog
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            chosen = dialog.chosen()
        finally:
            self.export_dialog = None
            dialog.deleteLater()
        if chosen is None:
            return
        fmt, path = chosen
        settings = gui_settings()
        settings.setValue("lastExportFormat", fmt)
        remember_export_dir(Path(path).parent)
        self.export_to(fmt, path)

    def export_to(self, fmt: str, path: str) -> BackgroundJob | None:
        missing = [what for key, what in (("story", "story title"), ("reviewer", "reviewer name"))
                   if not (self.project.setting(key) or "").strip()]
        hint = (f"; the sheet has no {' or '.join(missing)} of its own: set them in File → Project settings"
                if missing else "")
        return self._start_job("Exporting", export_job(fmt, path),
                               lambda out: self.statusBar().showMessage(f"Exported {fmt} to {out}{hint}", 15000))

    def _start_job(self, title: str, fn, on_done: Callable) -> BackgroundJob | None:
        if self.state is None:
            return None
        if self.jobs.running:
            self.show_problem(f"{self.job.title} is still running; wait for it or cancel it first.")
            return None
        return self.jobs.start(self.project.path, title, fn, on_done)

    def _job_failed(self, title: str, message: str) -> None:
        self._reload_after_job()
        self.show_problem(f"{title} failed: {message}", title=title)

    def _job_cancelled(self, title: str) -> None:
        self._reload_after_job()
        self.statusBar().showMessage(f"{title} cancelled; what was finished is kept", 8000)

    def cancel_job(self) -> None:
        self.jobs.cancel()

    # -- settings, reviewer, merge, agreement ---------------------------------------------------

    def edit_project_settings(self) -> None:
        """File → Project settings: story title, reviewer name, web address (the project's settings table)."""
        if self.state is None:
            self.show_problem("Open a project first (Ctrl+O).")
            return
        project = self.project
        current = {key: project.setting(key) for key, _, _ in ProjectSettingsDialog.FIELDS}
        if not current.get("reviewer"):
            current["reviewer"] = self.controller.actor if self.actor is None else self.actor
        dialog = ProjectSettingsDialog(self, current)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        values = dialog.values()
        if not self.controller.save_settings(values):
            return
        if self.actor is None and values.get("reviewer"):
            self.controller.set_actor(values["reviewer"])  # decisions from now on carry the name
        self._update_title()
        self.statusBar().showMessage("Project settings saved", 4000)

    def ask_reviewer(self, *, wait: bool = True) -> bool:
        """Ask for the user's reviewer name (first start, or File -> Your reviewer name).

        With ``wait`` False the dialog opens without blocking (first start) and the name is taken when
        it is accepted; returns whether a name was given (False while it is still open).
        """
        dialog = ReviewerDialog(self, reviewer_name() or self.actor, reviewer_initials())
        if not wait:
            dialog.accepted.connect(lambda: self._take_reviewer(dialog))
            dialog.open()
            return False
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        self._take_reviewer(dialog)
        return True

    def _take_reviewer(self, dialog: ReviewerDialog) -> None:
        name, initials = dialog.values()
        try:
            remember_reviewer(name, initials)
        except OSError:
            pass
        self.actor = name
        self.controller.set_actor(name)
        if self.state is not None:
            self.state.keep_user_initials()  # the initials go into the file beside the name
        self.statusBar().showMessage(f"Decisions are now recorded as {name}", 4000)

    def choose_merge(self) -> None:
        if self.state is None:
            self.show_problem("Open a project first (Ctrl+O).")
            return
        path, _ = QFileDialog.getOpenFileName(self, "Merge a colleague's project", str(self.project.path.parent),
                                              PROJECT_FILTER)
        if path:
            self.merge_from(path)

    def merge_from(self, path: str | Path) -> bool:
        """Merge another project file into the open one (the other file is only read)."""
        if self.state is None:
            return False
        if self.jobs.running:
            self.show_problem("Wait for the import to finish before merging.")
            return False
        report = self.controller.merge(path)
        if report is None:
            return False
        self._reload_after_job()
        self._update_undo_actions()
        self.last_merge = report
        refresh_agreement_panel(self, self.controller.agreement)
        self.statusBar().showMessage(f"Merged {Path(path).name}: {report.summary()}", 8000)
        return True

    def show_agreement(self) -> None:
        if self.state is None:
            self.show_problem("Open a project first (Ctrl+O).")
            return
        self.agreement_panel = show_agreement_panel(self, self.controller.agreement)
