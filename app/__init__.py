"""Claimdesk: check a story against its sources.

The package is layered; a module imports only from the layers below it (the
import-linter contracts in ``pyproject.toml``, checked by ``tests/test_architecture.py``):

- :mod:`app.cli`, :mod:`app.selftest`, :mod:`app.bench`   the command line, self-test, benchmarks
- :mod:`app.gui`       the PySide6 window, the only package that imports Qt
- :mod:`app.export`    fact sheet writers
- :mod:`app.services`  review with undo, import pipeline, merge, agreement, the analysis report
- :mod:`app.storage`   the project file (SQLite through sqlite-utils); the only place SQL lives
  :mod:`app.nlp`       spaCy components and ``suggest()``, which returns plain dataclasses
- :mod:`app.core`      dataclasses, status sets, comparison, import, the Repository interface
- :mod:`app.paths`     where the shipped files are
"""

from importlib.metadata import PackageNotFoundError, version as _version

try:
    __version__ = _version("claimdesk")
except PackageNotFoundError:  # running from a source tree or a frozen bundle
    __version__ = "0.1.0"
