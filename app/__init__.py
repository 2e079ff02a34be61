"""Claimdesk: check a story against its sources.

The package is split so that everything outside :mod:`app.gui` runs without Qt:

- :mod:`app.core`     domain dataclasses, the review service with undo, cross-article comparison
- :mod:`app.nlp`      spaCy components and ``suggest()``, which returns plain dataclasses
- :mod:`app.storage`  the project file (SQLite through sqlite-utils); the only place SQL lives
- :mod:`app.export`   fact sheet writers
- :mod:`app.gui`      the PySide6 window, the only package that imports Qt
"""

from importlib.metadata import PackageNotFoundError, version as _version

try:
    __version__ = _version("claimdesk")
except PackageNotFoundError:  # running from a source tree or a frozen bundle
    __version__ = "0.1.0"
