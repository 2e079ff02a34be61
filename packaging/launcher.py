"""Entry point of the PyInstaller bundle: the ``claimdesk`` command.

Beyond ``claimdesk.cli.main`` it accepts one bare project file, ``claimdesk
story.claimdesk``, and opens it in the window: that is how a file manager
starts the app for a project file (the ``.desktop`` file's ``%f``). The desktop
also recognises a project by its content, so the file may have lost its suffix.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys

from claimdesk.cli import build_parser, main

PROJECT_SUFFIX = ".claimdesk"


def commands() -> set[str]:
    """The subcommand names of ``claimdesk`` (gui, import, ...)."""
    return {name for action in build_parser()._actions if isinstance(action, argparse._SubParsersAction)
            for name in action.choices}


def bundle_argv(argv: list[str]) -> list[str]:
    """The arguments for ``claimdesk.cli.main``: a lone project file means ``gui --db PATH``."""
    if len(argv) == 1 and not argv[0].startswith("-") and argv[0] not in commands():
        path = argv[0]
        if path.lower().endswith(PROJECT_SUFFIX) or os.path.isfile(path):
            return ["gui", "--db", os.path.abspath(path)]
    return argv


if __name__ == "__main__":
    multiprocessing.freeze_support()
    sys.exit(main(bundle_argv(sys.argv[1:])))
