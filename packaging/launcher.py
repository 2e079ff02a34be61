"""Entry point of the PyInstaller bundle: the ``claimdesk`` command.

Beyond ``app.cli.main`` it accepts one bare project file, ``claimdesk
story.claimdesk``, and opens it in the window: that is how a file manager
starts the app for a ``.claimdesk`` file (the ``.desktop`` file's ``%f``).
"""

from __future__ import annotations

import multiprocessing
import os
import sys

from app.cli import main

PROJECT_SUFFIX = ".claimdesk"


def bundle_argv(argv: list[str]) -> list[str]:
    """The arguments for ``app.cli.main``: a lone ``*.claimdesk`` path means ``gui --db PATH``."""
    if len(argv) == 1 and argv[0].lower().endswith(PROJECT_SUFFIX) and not argv[0].startswith("-"):
        return ["gui", "--db", os.path.abspath(argv[0])]
    return argv


if __name__ == "__main__":
    multiprocessing.freeze_support()
    sys.exit(main(bundle_argv(sys.argv[1:])))
