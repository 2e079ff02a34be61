"""Start the Qt application on a project."""

from __future__ import annotations

import logging
import sys
import traceback

from PySide6.QtWidgets import QApplication, QMessageBox

log = logging.getLogger(__name__)


def make_app() -> QApplication:
    """The QApplication, created once, with Claimdesk's name."""
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Claimdesk")
    app.setOrganizationName("Claimdesk")
    app.setApplicationDisplayName("Claimdesk")
    return app


def _install_excepthook(window) -> None:
    """An unexpected error becomes a message in the window, never a dead window."""

    def hook(exc_type, exc, tb):
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        log.error("unexpected error:\n%s", "".join(traceback.format_exception(exc_type, exc, tb)))
        try:
            window.show_problem(
                f"Something went wrong: {exc_type.__name__}: {exc}\n\n"
                "Your decisions so far are saved in the project file. "
                "Please report this with the steps that led to it.",
                title="Unexpected error",
            )
        except Exception:  # the window itself is broken: fall back to a plain box
            QMessageBox.critical(None, "Claimdesk", f"{exc_type.__name__}: {exc}")

    sys.excepthook = hook


def run_app(db_path: str) -> int:
    """The window on a project file; a file that does not exist yet is created (an empty project)."""
    from pathlib import Path

    from claimdesk.gui.main_window import MainWindow

    app = make_app()
    window = MainWindow(db_path, create=not Path(db_path).exists())
    _install_excepthook(window)
    window.show()
    window.raise_()
    window.activateWindow()
    ask_on_first_start(window)
    return app.exec()


def ask_on_first_start(window) -> bool:
    """First start: ask who reviews here (kept in the user's settings), without blocking; nothing when a
    name is known (the settings, or ``CLAIMDESK_REVIEWER``). Returns whether it asked."""
    from claimdesk.gui.settings import needs_reviewer_name

    if not needs_reviewer_name():
        return False
    window.ask_reviewer(wait=False)
    return True
