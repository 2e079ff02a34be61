"""The PySide6 window: the only package that imports Qt."""

from __future__ import annotations


def run(db_path: str) -> int:
    """Open the review window on a project file; returns the exit status."""
    from claimdesk.gui.app import run_app

    return run_app(db_path)
