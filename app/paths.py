"""Where Claimdesk finds its shipped files and keeps the user's default project."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "Claimdesk"
PROJECT_SUFFIX = ".claimdesk"


def install_root() -> Path:
    """The folder holding ``resources/`` and ``db/``.

    In a PyInstaller bundle that is the unpacked bundle folder; from a source
    checkout (editable install) it is the repository root.
    """
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    return Path(__file__).resolve().parent.parent


def resources_dir() -> Path:
    return install_root() / "resources"


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def db_dir() -> Path:
    return install_root() / "db"


def sample_articles() -> list[Path]:
    """The built-in sample story, in a stable order."""
    return sorted(resource("samples", "mistral-2024").glob("*.txt"))


def user_data_dir() -> Path:
    override = os.environ.get("CLAIMDESK_DATA_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_project_path() -> Path:
    return user_data_dir() / f"sample{PROJECT_SUFFIX}"
