import os
import tempfile

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Windows opened by tests (and the processes they start) remember their layout and recent projects in a
# throw-away file, never in the user's own settings (tests/gui gives each test its own file as well).
os.environ.setdefault("CLAIMDESK_GUI_SETTINGS",
                      os.path.join(tempfile.mkdtemp(prefix="claimdesk-test-settings-"), "gui.ini"))

# Python code that makes any later import of Qt fail: the start of a subprocess
# that proves a piece of Claimdesk runs without PySide6.
QT_BLOCKER = """
import importlib, importlib.abc, sys
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "PySide6" or name.startswith(("PySide6.", "shiboken6")):
            raise ImportError(f"Qt is not allowed here: {name}")
sys.meta_path.insert(0, Block())
"""


@pytest.fixture
def qt_blocker() -> str:
    return QT_BLOCKER
