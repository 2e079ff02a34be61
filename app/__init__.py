"""Claimdesk: check a story against its sources.

The package is layered; a module imports only from the layers below it (the
import-linter contracts in ``pyproject.toml``, checked by ``tests/test_architecture.py``):

- :mod:`claimdesk.cli`, :mod:`claimdesk.selftest`, :mod:`claimdesk.bench`   the command line, self-test, benchmarks
- :mod:`claimdesk.gui`       the PySide6 window, the only package that imports Qt
- :mod:`claimdesk.export`    fact sheet writers
- :mod:`claimdesk.services`  review with undo, import pipeline, merge, agreement, the analysis report
- :mod:`claimdesk.storage`   the project file (SQLite through sqlite-utils); the only place SQL lives
  :mod:`claimdesk.nlp`       spaCy components and ``suggest()``, which returns plain dataclasses
- :mod:`claimdesk.paths`     where the shipped files are
- :mod:`claimdesk.core`      dataclasses, status sets, comparison, import, the Repository interface;
  imports nothing else of the app
"""

from importlib.metadata import PackageNotFoundError, version as _version

try:
    __version__ = _version("claimdesk")
except PackageNotFoundError:  # running from a source tree or a frozen bundle
    __version__ = "0.1.0"
