"""Where Claimdesk finds its shipped files and keeps the user's default project."""

from __future__ import annotations

import importlib.resources
import os
from pathlib import Path

import platformdirs

APP_NAME = "Claimdesk"
PROJECT_SUFFIX = ".claimdesk"


#: The import package of Claimdesk, read from this module's own name so that nothing spells it out.
PACKAGE = __name__.rpartition(".")[0]


def package_folder(subpackage: str) -> Path:
    """The folder of a data subpackage of Claimdesk (``resources``, ``db``), found by ``importlib.resources``.

    Installed (wheel or editable), the build configuration maps the checkout's top-level
    ``resources/`` and ``db/`` to ``PACKAGE.resources`` and ``PACKAGE.db``; in a PyInstaller bundle
    they are unpacked beside the package's modules. spaCy, Jinja2 and the sample list need real
    files, so an install that gives none (a zip) is refused with a clear message.
    """
    found = importlib.resources.files(f"{PACKAGE}.{subpackage}")
    if not isinstance(found, Path):
        raise RuntimeError(f"Claimdesk's {subpackage} are not on disk ({found!r}): install it unzipped")
    return found


def resources_dir() -> Path:
    return package_folder("resources")


def install_root() -> Path:
    """The folder holding ``resources/``: the checkout's root in an editable install, else the package."""
    return resources_dir().parent


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def db_dir() -> Path:
    return package_folder("db")


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
