"""Opening a project file: the one place the services name the storage that implements
:class:`claimdesk.core.ports.Repository`.

The command line, the window and the exports open projects through
:func:`open_project` and catch :data:`STORAGE_ERRORS`; none of them imports
``sqlite3`` or ``claimdesk.storage``.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from claimdesk.core.ports import ProjectError, Repository
from claimdesk.storage.project import SCHEMA_VERSION, Project

#: An error of the file underneath that storage did not put in words (a disk error mid-way).
StorageError = sqlite3.Error
#: What opening, reading or writing a project may raise, besides a reviewer's refused decision.
STORAGE_ERRORS = (ProjectError, StorageError)

__all__ = ["SCHEMA_VERSION", "STORAGE_ERRORS", "Project", "ProjectError", "Repository", "StorageError",
           "open_project"]


def open_project(path: str | Path, *, create: bool = True, backup: bool = True, readonly: bool = False) -> Project:
    """Open (or create, unless ``create`` is False) a project file; :class:`ProjectError` says why not.

    ``readonly`` opens it for reading only (export, a look, the other file of a merge); an older
    schema is upgraded on opening, after a checked backup copy unless ``backup`` is False.
    """
    return Project(path, create=create, backup=backup, readonly=readonly)
