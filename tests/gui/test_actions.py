"""The table of actions against README's key table and against the real window's menus, toolbar and F1."""

from __future__ import annotations

import re
from pathlib import Path

from test_window import press, when_dialog
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMenu, QTableWidget, QToolBar

from claimdesk.gui.actions import ACTIONS, MENUS, VIEW_KEYS, key_rows

README = Path(__file__).resolve().parents[2] / "README.md"
# How README writes a key for people -> the keys of the table it stands for.
ALIASES = {
    "Esc": {"Escape"},
    "Enter": {"Return", "Enter"},  # the Return key and the keypad's Enter
    "Ctrl+±": {"Ctrl++", "Ctrl+=", "Ctrl+-"},
    "1–9": {keys for _, keys in VIEW_KEYS},
}


def readme_keys() -> set[str]:
    lines = README.read_text(encoding="utf-8").splitlines()
    start = lines.index("| Keys | Action |")
    keys: set[str] = set()
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        cell = line.split("|")[1].strip()
        for token in re.split(r",\s+|\s+/\s+|\s+or\s+", cell):
            keys |= ALIASES.get(token, {token})
    return keys


def table_keys() -> set[str]:
    return {k for spec in ACTIONS for k in spec.keys} | {keys for _, keys in VIEW_KEYS}


def test_every_key_in_readme_is_in_the_table_and_every_key_of_the_table_in_readme():
    readme, table = readme_keys(), table_keys()
    assert readme - table == set(), "README names keys no action has"
    assert table - readme == set(), "actions with keys README does not list"


def test_the_table_is_consistent():
    attrs = [s.attr for s in ACTIONS]
    names = [s.name for s in ACTIONS]
    assert len(set(attrs)) == len(attrs) and len(set(names)) == len(names)
    keys = [QKeySequence(k).toString() for s in ACTIONS if s.scope == "window" for k in s.keys]
    assert len(set(keys)) == len(keys), "two window actions share a key"
    for spec in ACTIONS:
        assert not spec.menu or spec.menu_title in MENUS
        for k in spec.keys:
            assert not QKeySequence(k).isEmpty(), k


def test_menus_toolbar_and_context_menu_come_from_the_table(window):
    w = window
    for spec in ACTIONS:
        act = getattr(w, spec.attr)
        assert act.objectName() == spec.name and act.text() == spec.text
        assert [s.toString() for s in act.shortcuts()] == [QKeySequence(k).toString() for k in spec.keys]
    menus = {m.title(): m for m in w.menuBar().findChildren(QMenu) if m.title() in MENUS}
    for title in MENUS:
        in_menu = [a.objectName() for a in menus[title].actions() if not a.isSeparator() and a.objectName()]
        assert in_menu == [s.name for s in ACTIONS if s.menu_title == title]
    # Bug fixed on the way: the File menu once showed the mention's M action instead of the project merge.
    assert "actMergeProject" in [a.objectName() for a in menus["&File"].actions()]
    assert "actMerge" not in [a.objectName() for a in menus["&File"].actions()]
    toolbar = w.findChild(QToolBar, "reviewToolbar")
    shown = [a.iconText() for a in toolbar.actions() if not a.isSeparator()]
    assert shown == [s.toolbar[1] for s in sorted((s for s in ACTIONS if s.toolbar), key=lambda s: s.toolbar[0])]
    assert [a.objectName() for a in w.claim_list.actions()] == [s.name for s in ACTIONS if s.context]
    assert w.act_confirm.toolTip().endswith("(A)")


def test_f1_lists_what_the_table_has(qtbot, window):
    from claimdesk.gui.project_dialogs import KeysDialog

    seen = []

    def handle(dialog: KeysDialog):
        t = dialog.findChild(QTableWidget, "keysTable")
        seen.extend((t.item(r, 0).text(), t.item(r, 1).text()) for r in range(t.rowCount()))
        dialog.reject()

    window.claim_list.setFocus()
    state = when_dialog(qtbot, KeysDialog, handle)
    press(qtbot, window, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: state["done"])
    assert state["error"] is None, state["error"]
    assert seen == key_rows()
    assert ("Confirm claim", "A") in seen and ("Redo", "Ctrl+Shift+Z, Ctrl+Y") in seen
