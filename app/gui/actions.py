"""Every command of the window in one table: name, text, keys, handler, where it appears.

:data:`ACTIONS` builds the ``QAction``s (:func:`build_actions`), the menu bar and the
toolbar (:func:`build_menus`) and the keys dialog (F1, :func:`key_rows`);
``tests/gui/test_actions.py`` checks it against README's key table both ways.

Where a row appears:

* ``menu`` — ``"Review:2"``: the Review menu, section 2 (a separator between sections);
  rows come in the menu in the order of the table.
* ``toolbar`` — ``(position, short text)``: the review toolbar, sorted by position, a
  separator where the tens digit changes.
* ``context`` — the claim list's right-click menu.
* ``scope`` — ``"window"`` (the key works anywhere in the window) or ``"article"`` (only while
  the article text has the focus: Enter adds the selected text as a claim).

``handler`` names a method of :class:`~claimdesk.gui.main_window.MainWindow` (a checkable row's
method gets the new state); ``args`` are passed to it.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QToolBar

from claimdesk.gui.compare import FactCompareView

MENUS = ("&File", "&Edit", "&Review", "&View", "&Help")
RECENT_AFTER = "actOpen"  # File → Open recent (filled when opened) follows Open
# Keys of one view rather than window actions, listed in the keys dialog too.
VIEW_KEYS = tuple(FactCompareView.KEYS)  # keys of the compare view, not window actions


@dataclass(frozen=True)
class ActionSpec:
    attr: str  # the window attribute, e.g. act_confirm
    name: str  # the object name (tests and accessibility tools find it by this)
    text: str
    handler: str
    keys: tuple[str, ...] = ()
    tip: str = ""
    menu: str = ""  # "&Review:2"
    toolbar: tuple[int, str] | None = None
    context: bool = False
    checkable: bool = False
    checked: bool = False
    args: tuple = ()
    needs: str = "project"  # "claim": enabled with a claim selected; "article": with an article open; "" always
    scope: str = "window"

    @property
    def menu_title(self) -> str:
        return self.menu.split(":")[0]

    @property
    def section(self) -> int:
        return int(self.menu.split(":")[1]) if ":" in self.menu else 0


A = ActionSpec
ACTIONS: tuple[ActionSpec, ...] = (
    # File
    A("act_new", "actNew", "&New project…", "new_project", ("Ctrl+N",), "Create an empty project file",
      menu="&File:1", needs=""),
    A("act_open", "actOpen", "&Open project…", "choose_project", ("Ctrl+O",), "Open another project file",
      menu="&File:1", needs=""),
    A("act_import", "actImport", "&Import articles…", "choose_import", ("Ctrl+I",),
      "Import .txt, .md, .html or .docx articles; claims are suggested in the background",
      menu="&File:1", toolbar=(50, "Import")),
    A("act_merge_project", "actMergeProject", "&Merge a colleague's project…", "choose_merge", (),
      "Bring another reviewer's file of the same story into this one; differing decisions become disputed",
      menu="&File:1", needs=""),
    A("act_export", "actExport", "&Export fact sheet…", "choose_export", ("Ctrl+E",),
      "Export the verified fact sheet", menu="&File:1", toolbar=(51, "Export")),
    A("act_settings", "actProjectSettings", "Project &settings…", "edit_project_settings", (),
      "Story title and reviewer name, as the fact sheet prints them", menu="&File:2"),
    A("act_reviewer", "actReviewer", "Your reviewer &name…", "ask_reviewer", (),
      "The name recorded with your decisions (kept on this computer)", menu="&File:2", needs=""),
    A("act_quit", "actQuit", "&Quit", "close", ("Ctrl+Q",), menu="&File:3", needs=""),
    # Edit
    A("act_undo", "actUndo", "&Undo", "undo", ("Ctrl+Z",), "Undo the last decision", menu="&Edit:1",
      toolbar=(40, "Undo"), needs=""),
    A("act_redo", "actRedo", "&Redo", "redo", ("Ctrl+Shift+Z", "Ctrl+Y"), "Redo the decision undone last",
      menu="&Edit:1", toolbar=(41, "Redo"), needs=""),
    A("act_find", "actFind", "&Find claims…", "focus_search", ("Ctrl+F",), "Search the claims of every article",
      menu="&Edit:2"),
    # Review
    A("act_next", "actNext", "&Next claim", "next_claim", ("J",), "Next claim (on to the next article at the end)",
      menu="&Review:1", toolbar=(11, "Next")),
    A("act_prev", "actPrevious", "&Previous claim", "previous_claim", ("K",), "Previous claim",
      menu="&Review:1", toolbar=(10, "Previous")),
    A("act_next_disputed", "actNextDisputed", "Next &disputed item", "next_disputed", ("D",),
      "The next claim or fact the reviewers decided differently, in this article or the next one that has one",
      menu="&Review:1"),
    A("act_confirm", "actConfirm", "&Confirm claim", "confirm", ("A",),
      "The claim is check-worthy and right as suggested", menu="&Review:2", toolbar=(20, "Confirm"),
      context=True, needs="claim"),
    A("act_reject", "actReject", "&Reject claim", "reject", ("X",), "Not a claim worth checking",
      menu="&Review:2", toolbar=(21, "Reject"), context=True, needs="claim"),
    A("act_edit", "actEdit", "&Edit claim…", "edit", ("E",),
      "Change the span (select it in the article first), the text or the values", menu="&Review:2",
      toolbar=(22, "Edit"), context=True, needs="claim"),
    A("act_conflict", "actConflict", "Mark c&onflicting…", "mark_conflict", ("C",),
      "Pick the claim it conflicts with and add a note", menu="&Review:2", toolbar=(23, "Conflict"),
      context=True, needs="claim"),
    A("act_note", "actNote", "Add a &note…", "add_note", ("N",), "Note on the claim (or link)", menu="&Review:2",
      toolbar=(24, "Note"), context=True, needs="claim"),
    A("act_reset", "actReset", "Back to &suggested", "reset_claim", ("U",),
      "Undecide the claim (the history keeps the decision)", menu="&Review:2", context=True, needs="claim"),
    A("act_add", "actAddClaim", "&Add selection as a claim", "add_claim_from_selection", ("Return", "Enter"),
      "Select text in the article, then press Enter: a claim the suggester missed", menu="&Review:2",
      needs="article", scope="article"),
    A("act_link", "actConfirmLink", "Confirm the &fact", "confirm_link", ("L",),
      "The articles that give this claim's figure state one fact, as grouped", menu="&Review:3",
      toolbar=(31, "Confirm fact"), needs="claim"),
    A("act_reject_link", "actRejectLink", "Reject the fact (not one fact)", "reject_link", ("Shift+L",),
      "The grouped figures are not about the same fact", menu="&Review:3", needs="claim"),
    A("act_resolve", "actResolve", "Record which version is &right…", "resolve", ("R",),
      "In the comparison: choose the version (1-9), say why, Enter", menu="&Review:3", needs="claim"),
    A("act_split", "actSplit", "Move the mention &out of the fact", "split_mention", ("S",),
      "In the comparison: the chosen mention is about something else", menu="&Review:3", needs="claim"),
    A("act_merge", "actMerge", "Move the mention into another fact…", "merge_mention", ("M",),
      "In the comparison: the chosen mention belongs to the fact chosen beside it", menu="&Review:3",
      needs="claim"),
    A("act_agreement", "actAgreement", "A&greement between reviewers…", "show_agreement", (),
      "Percent agreement and Cohen's kappa per pair of reviewers", menu="&Review:4", needs=""),
    # View
    A("act_article", "actShowArticle", "&Article", "show_article", ("Ctrl+1",), menu="&View:1", needs=""),
    A("act_compare", "actCompare", "&Compare the articles of the fact", "show_compare", ("V", "Ctrl+2"),
      "Every article that gives the claim's figure, side by side", menu="&View:1", toolbar=(30, "Compare"),
      context=True),
    A("act_escape", "actEscape", "Back", "escape", ("Escape",), needs=""),
    A("act_doc_order", "actDocOrder", "&Document order", "set_document_order", ("Ctrl+D",),
      "Claims in the order of the text instead of conflicts first", menu="&View:2", checkable=True),
    A("act_advance", "actAdvance", "Move on after a &decision", "", (),
      "After A, X or C select the next claim", menu="&View:2", checkable=True, checked=True, needs=""),
    A("act_zoom_in", "actZoomIn", "Zoom &in", "zoom", ("Ctrl++", "Ctrl+="), menu="&View:3", args=(1,), needs=""),
    A("act_zoom_out", "actZoomOut", "Zoom &out", "zoom", ("Ctrl+-",), menu="&View:3", args=(-1,), needs=""),
    A("act_next_pane", "actNextPane", "Next pane", "cycle_pane", ("F6",), menu="&View:4", args=(1,), needs=""),
    A("act_prev_pane", "actPrevPane", "Previous pane", "cycle_pane", ("Shift+F6",), menu="&View:4", args=(-1,),
      needs=""),
    # Help
    A("act_keys", "actKeys", "&Keyboard…", "show_keys", ("F1",), menu="&Help:1", needs=""),
    A("act_about", "actAbout", "&About Claimdesk", "about", (), menu="&Help:1", needs=""),
)
del A

BY_ATTR = {spec.attr: spec for spec in ACTIONS}


def _slot(window, spec: ActionSpec):
    method = getattr(window, spec.handler)
    if spec.checkable:
        return lambda on: method(on, *spec.args)
    return lambda _checked=False: method(*spec.args)


def build_actions(window: QMainWindow, article_widget) -> dict[str, QAction]:
    """One QAction per row, set as ``window.<attr>``; returns them by attribute name."""
    made: dict[str, QAction] = {}
    for spec in ACTIONS:
        action = QAction(spec.text, window)
        action.setObjectName(spec.name)
        if spec.keys:
            action.setShortcuts([QKeySequence(k) for k in spec.keys])
        if spec.tip:
            action.setToolTip(spec.tip)
            action.setStatusTip(spec.tip)
        action.setCheckable(spec.checkable)
        if spec.checkable:
            action.setChecked(spec.checked)
            if spec.handler:  # else the window reads isChecked() when it needs to
                action.toggled.connect(_slot(window, spec))
        else:
            action.triggered.connect(_slot(window, spec))
        if spec.scope == "article":
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            article_widget.addAction(action)
        else:
            window.addAction(action)
        setattr(window, spec.attr, action)
        made[spec.attr] = action
    group = QActionGroup(window)  # the review keys, enabled together
    group.setExclusive(False)
    for spec in ACTIONS:
        if spec.needs == "claim":
            group.addAction(made[spec.attr])
    return made


def actions_needing(actions: dict[str, QAction], needs: str) -> list[QAction]:
    return [actions[s.attr] for s in ACTIONS if s.needs == needs]


def build_menus(window: QMainWindow, actions: dict[str, QAction], context_widget) -> QMenu:
    """The menu bar, the toolbar and the claim list's context menu from the table; returns the
    (empty) File → Open recent menu for the window to fill."""
    bar = window.menuBar()
    recent = None
    for title in MENUS:
        menu = bar.addMenu(title)
        section = None
        for spec in ACTIONS:
            if spec.menu_title != title:
                continue
            if section is not None and spec.section != section:
                menu.addSeparator()
            section = spec.section
            menu.addAction(actions[spec.attr])
            if spec.name == RECENT_AFTER:
                recent = menu.addMenu("Open &recent")
                recent.setObjectName("recentMenu")

    tb = QToolBar("Review", window)
    tb.setObjectName("reviewToolbar")
    tb.setAccessibleName("Review actions")
    tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    tb.setMovable(False)
    tb.setIconSize(QSize(16, 16))
    group = None
    for spec in sorted((s for s in ACTIONS if s.toolbar), key=lambda s: s.toolbar[0]):
        if group is not None and spec.toolbar[0] // 10 != group:
            tb.addSeparator()
        group = spec.toolbar[0] // 10
        actions[spec.attr].setIconText(spec.toolbar[1])
        tb.addAction(actions[spec.attr])
    window.addToolBar(tb)

    context_widget.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
    for spec in ACTIONS:
        if spec.context:
            context_widget.addAction(actions[spec.attr])

    # Tooltips name the keys: "Confirm claim (A)".
    for spec in ACTIONS:
        act = actions[spec.attr]
        keys = act.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        if not keys:
            continue
        tip = act.toolTip() if act.toolTip() != act.iconText() else act.text().replace("&", "").rstrip("…")
        if f"({keys})" not in tip:
            act.setToolTip(f"{tip} ({keys})")
    return recent


def key_rows() -> list[tuple[str, str]]:
    """What the keys dialog (F1) lists: every row with keys, then the view's own keys."""
    rows = [(spec.text.replace("&", ""),
             ", ".join(QKeySequence(k).toString(QKeySequence.SequenceFormat.NativeText) for k in spec.keys))
            for spec in ACTIONS if spec.keys]
    return rows + list(VIEW_KEYS)
