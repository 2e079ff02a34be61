"""What the window remembers per user between runs (QSettings): geometry, splitters, recent
projects, the last export folder.

``CLAIMDESK_GUI_SETTINGS`` names an INI file to use instead of the user's settings (the tests
give every test its own).
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings

RECENT_LIMIT = 8


def gui_settings() -> QSettings:
    path = os.environ.get("CLAIMDESK_GUI_SETTINGS")
    if path:
        return QSettings(path, QSettings.Format.IniFormat)
    return QSettings("Claimdesk", "Claimdesk")


def _list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value else []
    return [str(v) for v in value if v]


def recent_projects() -> list[str]:
    """Recently opened project files that still exist, newest first."""
    return [p for p in _list(gui_settings().value("recentProjects")) if Path(p).is_file()]


def remember_project(path: str | Path) -> None:
    path = str(Path(path).resolve())
    s = gui_settings()
    items = [p for p in _list(s.value("recentProjects")) if p != path]
    s.setValue("recentProjects", [path, *items][:RECENT_LIMIT])
    s.sync()


def last_export_dir() -> str | None:
    value = gui_settings().value("lastExportDir")
    return str(value) if value and Path(str(value)).is_dir() else None


def remember_export_dir(folder: str | Path) -> None:
    s = gui_settings()
    s.setValue("lastExportDir", str(folder))
    s.sync()


def reviewer_name() -> str | None:
    """The name this user reviews under (asked on first start), or None before it was given."""
    value = gui_settings().value("reviewer/name")
    return str(value).strip() or None if value else None


def reviewer_initials() -> str | None:
    value = gui_settings().value("reviewer/initials")
    return str(value).strip() or None if value else None


def remember_reviewer(name: str, initials: str | None = None) -> None:
    s = gui_settings()
    s.setValue("reviewer/name", name.strip())
    s.setValue("reviewer/initials", (initials or "").strip())
    s.sync()


def needs_reviewer_name() -> bool:
    """First start: no name in the user's settings and none in ``CLAIMDESK_REVIEWER`` (which tests and
    shared machines set), so the window asks who reviews."""
    return reviewer_name() is None and not (os.environ.get("CLAIMDESK_REVIEWER") or "").strip()
