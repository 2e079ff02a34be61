"""Issue 15: what a working fact-checker ran into. Each test drives the real window and reads the file back."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLineEdit, QMessageBox, QToolBar, QToolButton
from test_window import close_problem, press, problem_text, save_in_export_dialog, select_text_with_keyboard, when_dialog

from claimdesk.core.model import CONFIRMED, REJECTED, SUGGESTED
from claimdesk.export.csvout import COLUMNS
from claimdesk.gui.project_dialogs import ExportDialog, ProjectSettingsDialog
from claimdesk.gui.main_window import MainWindow
from claimdesk.gui.style import status_label

REPO = Path(__file__).resolve().parents[2]


def events_of(stored, claim_id: int) -> list[dict]:
    return [e for e in stored.events() if e["entity"] == "claim" and e["entity_id"] == claim_id]


def assert_inspector_is_the_file(w: MainWindow, stored) -> None:
    """What the inspector shows is what the project file holds, for the claim selected in the list."""
    cid = w.current_claim_id
    assert w.inspector.claim_id == cid
    if cid is None:
        return
    status = stored.status(cid)
    # the heading's status badge reads the file's status, and no other
    badge = w.inspector.heading.text().split("</span>", 1)[0]
    assert badge.endswith(f"&nbsp;{status_label(status)}&nbsp;"), badge
    history = [w.inspector.history.item(i).text() for i in range(w.inspector.history.count())]
    n_events = len(events_of(stored, cid))
    assert (len(history) if n_events else 0) == n_events, history


# -- 1. export: the typed suffix decides the format; the dialog starts in a folder the user knows ----------


def test_typed_html_suffix_with_markdown_type_writes_html(qtbot, window, tmp_path, stored):
    out = tmp_path / "story-fact-sheet.html"
    seen = {}

    def handle(dialog: ExportDialog):
        seen["folder"] = Path(dialog.directory().absolutePath())
        seen["type"] = dialog.selected_format()
        edit = dialog.findChild(QLineEdit, "fileNameEdit")
        edit.selectAll()
        qtbot.keyClicks(edit, out.name)  # the type list is left at Markdown
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()

    answered = when_dialog(qtbot, ExportDialog, handle)
    press(qtbot, window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert answered["done"] and answered["error"] is None, answered
    assert seen == {"folder": stored.path.parent, "type": "md"}  # the project's folder, not a hidden one
    qtbot.waitUntil(lambda: not window.job.running, timeout=60_000)
    assert problem_text(window) is None
    # No reviewer name in the project yet: the status says where to set it (not the login name silently).
    assert "no reviewer name of its own" in window.statusBar().currentMessage()
    text = out.read_text(encoding="utf-8")
    assert text.lstrip().lower().startswith("<!doctype html")
    assert not (tmp_path / "story-fact-sheet.html.md").exists()

    # The next export starts in the folder of the last one.
    other = tmp_path / "exports"
    other.mkdir()
    answered = save_in_export_dialog(qtbot, other / "second", "csv")
    window.act_export.trigger()
    assert answered["done"] and answered["error"] is None, answered
    qtbot.waitUntil(lambda: not window.job.running, timeout=60_000)
    assert problem_text(window) is None
    with open(other / "second.csv", encoding="utf-8-sig", newline="") as fh:  # the CSV starts with a BOM
        rows = list(csv.reader(fh))
    assert rows[0] == list(COLUMNS) and len(rows) > 1

    def look(dialog):
        seen["again"] = Path(dialog.directory().absolutePath())
        seen["type_again"] = dialog.selected_format()
        dialog.reject()

    answered = when_dialog(qtbot, ExportDialog, look)
    window.act_export.trigger()
    assert answered["done"] and answered["error"] is None, answered
    assert seen["again"] == other and seen["type_again"] == "csv"


def test_choosing_a_type_changes_the_suffix_in_the_name(qtbot, window, tmp_path):
    from PySide6.QtWidgets import QComboBox

    names = []

    def handle(dialog: ExportDialog):
        combo = dialog.findChild(QComboBox, "fileTypeCombo")
        edit = dialog.findChild(QLineEdit, "fileNameEdit")
        for fmt in ("html", "pdf", "claimreview", "md"):
            i = next(n for n in range(combo.count()) if combo.itemText(n) == dialog.filters[
                [f for f, _, _ in dialog.formats].index(fmt)])
            combo.setCurrentIndex(i)
            combo.activated.emit(i)
            qtbot.wait(20)
            names.append(edit.text())
        dialog.reject()

    answered = when_dialog(qtbot, ExportDialog, handle)
    window.act_export.trigger()
    assert answered["done"] and answered["error"] is None, answered
    assert [n.rsplit("-fact-sheet", 1)[1] for n in names] == [".html", ".pdf", ".claimreview.jsonld", ".md"]
    assert all(n.startswith("microsoft-and-mistral-ai-sample") for n in names)  # the story title, not the file


def test_export_of_the_default_project_does_not_start_in_the_hidden_data_folder(qtbot, tmp_path, monkeypatch,
                                                                               sample_project_file):
    from gui_helpers import copy_project

    data = tmp_path / "data"
    data.mkdir()
    monkeypatch.setenv("CLAIMDESK_DATA_DIR", str(data))
    path = copy_project(sample_project_file, data / "sample.claimdesk")
    w = MainWindow(path, actor="t")
    qtbot.addWidget(w)
    assert Path(w._export_dir()) != data


# -- 2. the inspector is never stale -------------------------------------------------------------------------


def test_inspector_matches_the_file_after_every_key_including_at_the_end(qtbot, window, stored):
    w = window
    last_article = w.state.articles[-1].id
    w.open_article(last_article, select="last")
    w.claim_list.setFocus()
    keys = [Qt.Key.Key_X, Qt.Key.Key_A, Qt.Key.Key_X, Qt.Key.Key_U, Qt.Key.Key_A, Qt.Key.Key_A, Qt.Key.Key_J,
            Qt.Key.Key_X, Qt.Key.Key_K, Qt.Key.Key_A, Qt.Key.Key_J, Qt.Key.Key_J, Qt.Key.Key_X, Qt.Key.Key_U]
    for key in keys:
        press(qtbot, w, key)
        assert_inspector_is_the_file(w, stored)
    for key in (Qt.Key.Key_Z, Qt.Key.Key_Z):
        press(qtbot, w, key, Qt.KeyboardModifier.ControlModifier)
        assert_inspector_is_the_file(w, stored)
    # At the very end of the list, X then A: the row, the highlight and the inspector all follow the file.
    w.open_article(last_article, select="last")
    cid = w.current_claim_id
    for key, status in ((Qt.Key.Key_X, REJECTED), (Qt.Key.Key_A, CONFIRMED)):
        press(qtbot, w, key)
        assert w.current_claim_id == cid and stored.status(cid) == status
        assert w.claim_model.claim(cid).status == status
        assert w.article_view.highlights.get(cid).status == status
        assert_inspector_is_the_file(w, stored)


def test_a_burst_of_keys_never_leaves_the_inspector_behind(qtbot, window, stored):
    import random

    rng = random.Random(15)
    keys = [Qt.Key.Key_J, Qt.Key.Key_K, Qt.Key.Key_A, Qt.Key.Key_X, Qt.Key.Key_U, Qt.Key.Key_A, Qt.Key.Key_X]
    w = window
    for _ in range(60):
        key = rng.choice(keys)
        if rng.random() < 0.1:
            press(qtbot, w, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        else:
            press(qtbot, w, key)
        if problem_text(w):
            close_problem(qtbot, w)
        assert_inspector_is_the_file(w, stored)


# -- 3. a decision that changes nothing is not recorded ----------------------------------------------------


def test_confirming_a_confirmed_claim_records_nothing_and_undo_undoes_the_real_decision(qtbot, window, stored):
    w = window
    w.act_advance.setChecked(False)  # stay on the claim
    cid = w.current_claim_id
    assert stored.status(cid) == SUGGESTED
    press(qtbot, w, Qt.Key.Key_A)
    events = stored.events()
    decided_at = stored.claim(cid)["decided_at"]
    for _ in range(19):
        press(qtbot, w, Qt.Key.Key_A)
    assert stored.events() == events
    assert stored.claim(cid)["decided_at"] == decided_at
    assert w.inspector.history.count() == 1
    press(qtbot, w, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored.status(cid) == SUGGESTED  # one Ctrl+Z undoes the confirmation itself
    assert w.claim_model.claim(cid).status == SUGGESTED
    press(qtbot, w, Qt.Key.Key_U)  # already a suggestion: nothing recorded
    assert len(stored.events()) == len(events) + 1  # only the undo


# -- 4. small and high-DPI screens --------------------------------------------------------------------------

SCREEN_CHECK = r"""
import json, os, sys
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
from claimdesk.gui.main_window import MainWindow
w = MainWindow(sys.argv[1], actor="t")
w.show()
for _ in range(5):
    app.processEvents()
avail = w.available_geometry()
h = w.claim_list.horizontalHeader()
text_width = h.sectionSize(2)
ins = w.inspector
body = ins.widget()
cut = [lab.objectName() or lab.text()[:20] for lab in body.findChildren(QLabel)
       if lab.isVisible() and lab.mapTo(body, lab.rect().topRight()).x() > ins.viewport().width() + 1]
bar = w.statusBar()
w.statusBar().showMessage("A message the reviewer must see")
app.processEvents()
print(json.dumps({
    "avail": [avail.x(), avail.y(), avail.width(), avail.height()],
    "frame": [w.frameGeometry().x(), w.frameGeometry().y(), w.frameGeometry().width(), w.frameGeometry().height()],
    "bar_bottom": bar.mapTo(w, bar.rect().bottomLeft()).y(), "window_height": w.height(),
    "bar_visible": bar.isVisible(), "message": bar.currentMessage(),
    "claim_text_chars": text_width / w.claim_list.fontMetrics().horizontalAdvance("x"),
    "inspector_cut": cut, "dpr": w.screen().devicePixelRatio(),
}))
w.close()
"""


@pytest.mark.parametrize("width,height,dpr", [(1024, 768, 1), (1366, 768, 1), (1920, 1080, 1), (1280, 800, 2)])
def test_the_window_fits_the_screen(tmp_path, sample_project_file, width, height, dpr):
    """A real Qt process per screen (the offscreen platform told the screen's size and scale):
    the window fits, the status bar is on screen, the claim text is readable, nothing in the inspector is cut."""
    from gui_helpers import copy_project

    path = copy_project(sample_project_file, tmp_path / "p.claimdesk")
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [{"name": "s", "x": 0, "y": 0, "width": width, "height": height,
                                               "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": dpr}],
                                  "windowFrameMargins": True}))
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}",
               CLAIMDESK_GUI_SETTINGS=str(tmp_path / "gui.ini"))
    out = subprocess.run([sys.executable, "-c", SCREEN_CHECK, str(path)], capture_output=True, text=True, env=env,
                         cwd=REPO, timeout=120)
    assert out.returncode == 0, out.stderr
    r = json.loads(out.stdout.strip().splitlines()[-1])
    ax, ay, aw, ah = r["avail"]
    fx, fy, fw, fh = r["frame"]
    assert ax <= fx and ay <= fy and fx + fw <= ax + aw and fy + fh <= ay + ah, r
    assert r["bar_visible"] and r["bar_bottom"] < r["window_height"], r
    assert r["message"] == "A message the reviewer must see"
    assert r["claim_text_chars"] >= 20, r
    assert r["inspector_cut"] == [], r
    assert r["dpr"] == dpr


def test_geometry_and_splitters_are_remembered(qtbot, project_file, own_gui_settings):
    w = MainWindow(project_file, actor="t")
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.resize(780, 560)  # the offscreen test screen is 800x800
    w.splitter.setSizes([250, 330, 200])
    w.left_splitter.setSizes([120, 500])
    qtbot.wait(50)
    sizes, left = w.splitter.sizes(), w.left_splitter.sizes()
    w.close()
    assert own_gui_settings.exists()
    again = MainWindow(project_file, actor="t")
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    assert (again.width(), again.height()) == (780, 560)
    assert again.splitter.sizes() == sizes and again.left_splitter.sizes() == left
    # The claim lists and the inspector can be dragged shut; the article cannot.
    assert again.splitter.isCollapsible(0) and again.splitter.isCollapsible(2)
    assert not again.splitter.isCollapsible(1)
    again.close()


# -- 5. import progress: one phase at a time, each with its own progress --------------------------------------


def test_import_shows_each_phase_with_its_own_progress(qtbot, window, tmp_path, monkeypatch):
    import claimdesk.services.pipeline as pipeline

    monkeypatch.setattr(pipeline, "_suggesters", {})  # a fresh start: the language model loads
    paths = []
    for n in range(3):
        p = tmp_path / f"a{n}.txt"
        p.write_text(f"Acme Corp said on Monday it raised {n + 3} million euros from investors in 2024.\n\n"
                     f"The company employs {120 + n} people in Lyon.\n", encoding="utf-8")
        paths.append(str(p))
    seen = []

    def record(stage, done, total):
        seen.append((stage, done, total, window.job_label.text(), window.job_bar.maximum(), window.job_bar.value()))

    job = window.import_files(paths)
    job.progress.connect(record)  # after the window's own slot: shows what the window shows
    qtbot.waitUntil(lambda: not job.running, timeout=120_000)
    stages = [s[0] for s in seen]
    order = [s for n, s in enumerate(stages) if n == 0 or stages[n - 1] != s]
    assert order == ["import", "model", "suggest", "align"], order
    for stage, name in (("import", "Reading files"), ("model", "Loading the language model"),
                        ("suggest", "Finding claims"), ("align", "Comparing articles")):
        mine = [s for s in seen if s[0] == stage]
        assert mine[0][1] == 0 and mine[-1][1] == mine[-1][2]  # from 0 to done
        assert all(name in s[3] for s in mine)
    # While the model loads or claims are found, the bar does not say the job is done.
    for stage, done, total, label, maximum, value in seen:
        if done < total:
            assert maximum == 0 or value < maximum, (stage, done, total, maximum, value)
    suggest = [s for s in seen if s[0] == "suggest"]
    assert [s[1] for s in suggest] == [0, 1, 2, 3]  # per article
    assert "Imported 3 new articles" in window.statusBar().currentMessage()


# -- 6. one claim number everywhere; counts follow -----------------------------------------------------------


def test_one_number_per_claim_in_list_inspector_and_search(qtbot, window, stored):
    w = window
    for _ in range(3):
        cid = w.current_claim_id
        row = w.claim_list.currentIndex().row()
        assert w.claim_proxy.index(row, 0).data() == str(cid)
        assert f"Claim #{cid}" in w.inspector.heading.text()
        press(qtbot, w, Qt.Key.Key_J)
    target = w.current_claim_id
    word = stored.claim(target)["text"].split()[-1].strip(".,")
    press(qtbot, w, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(w.search, word)
    qtbot.keyClick(w.search, Qt.Key.Key_Return)
    assert w.search_mode
    for r in range(w.claim_proxy.rowCount()):
        index = w.claim_proxy.index(r, 0)
        assert index.data() == str(w.claim_proxy.claim_id_at(r))
    assert f"({w.claim_proxy.rowCount()}, all articles)" in w.claims_label.text()


def test_claim_count_follows_added_claims_filters_and_new_projects(qtbot, window, stored, tmp_path, monkeypatch):
    w = window
    aid = w.view_article
    n = len(stored.claims(aid))
    assert w.claims_label.text() == f"C&laims ({n})"
    text = w.project.article(aid).text
    start = text.find("\n") + 1 if "\n" in text[:-1] else 0
    select_text_with_keyboard(qtbot, w, start, 12)
    qtbot.keyClick(w.article_view, Qt.Key.Key_Return)
    assert len(stored.claims(aid)) == n + 1
    assert w.claims_label.text() == f"C&laims ({n + 1})"
    press(qtbot, w, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert w.claims_label.text() == f"C&laims ({n})"
    w.status_filter.setCurrentIndex(w.status_filter.findData(CONFIRMED))
    shown = w.claim_proxy.rowCount()
    assert w.claims_label.text() == f"C&laims ({shown} of {n})"
    w.status_filter.setCurrentIndex(0)

    from PySide6.QtWidgets import QFileDialog

    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "empty"), ""))
    w.act_new.trigger()
    assert w.claims_label.text() == "C&laims (0)"


# -- 7. the fact sheet quotes the source; open conflicts are not verified facts; settings the user sets ---------


def test_fact_sheet_quotes_the_source_and_keeps_open_conflicts_out_of_verified_facts(qtbot, tmp_path, project_file,
                                                                                     stored):
    from claimdesk.core.model import CONFLICT

    w = MainWindow(project_file)  # no actor given: the reviewer's name comes from the project settings
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)

    def settings(dialog: ProjectSettingsDialog):
        for key, value in (("story", "Microsoft invests in Mistral"), ("reviewer", "Dana Reyes")):
            edit = dialog.edits[key]
            edit.selectAll()
            qtbot.keyClicks(edit, value)
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()

    answered = when_dialog(qtbot, ProjectSettingsDialog, settings)
    w.act_settings.trigger()
    assert answered["done"] and answered["error"] is None, answered
    rows = {r["key"]: r["value"] for r in stored._rows("SELECT key, value FROM settings")}
    assert rows["story"] == "Microsoft invests in Mistral" and rows["reviewer"] == "Dana Reyes"
    assert w.windowTitle().startswith("Microsoft invests in Mistral")

    # A claim in an open conflict, confirmed and reworded by the reviewer.
    link = next(l for l in w.state.links.by_id.values() if l.kind == CONFLICT)
    claim = w.project.claim(link.claim_a)
    w.select_claim(claim.id)
    w.act_advance.setChecked(False)
    w.act_confirm.trigger()  # A (the settings dialog has just closed; offscreen, focus may not be back)
    assert stored.claim(claim.id)["decided_by"] == "Dana Reyes"
    reading = "Microsoft invests fifteen million euros in Mistral."
    w.decide("edit", claim.id, text=reading)
    out = tmp_path / "sheet.md"
    answered = save_in_export_dialog(qtbot, out)
    w.act_export.trigger()
    assert answered["done"] and answered["error"] is None, answered
    qtbot.waitUntil(lambda: not w.job.running, timeout=60_000)
    sheet = out.read_text(encoding="utf-8")
    source_words = " ".join(w.project.article(claim.article_id).text[claim.start:claim.end].split())
    assert sheet.startswith("# Fact sheet: Microsoft invests in Mistral")
    assert "**Reviewer:** Dana Reyes" in sheet
    open_part, verified = sheet.split("## Verified facts", 1)
    assert f"“{source_words[:40]}" in open_part.replace("\\", "")
    assert f"“{reading}”" not in sheet  # the reviewer's wording is never quoted as the source's
    assert f"reviewer's reading: {reading}" in open_part.replace("\\", "")
    verified = verified.split("## Resolved conflicts", 1)[0]
    assert source_words[:40] not in verified.replace("\\", "") and reading not in verified
    w.close()


# -- 8. smaller things ---------------------------------------------------------------------------------------


def test_gui_on_a_new_file_creates_the_project(qtbot, tmp_path, monkeypatch):
    from claimdesk import cli

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(QApplication, "exec", lambda *a: 0)
    new = tmp_path / "new.claimdesk"
    assert cli.main(["gui", "--db", str(new)]) == 0
    w = [x for x in QApplication.topLevelWidgets() if isinstance(x, MainWindow) and x.isVisible()][-1]
    qtbot.addWidget(w)
    assert new.exists() and w.state is not None and w.project.path == new
    assert problem_text(w) is None
    assert w.act_import.isEnabled() and not w.act_confirm.isEnabled()
    w.close()


def test_gui_on_a_file_in_a_missing_folder_says_so_and_disables_actions(qtbot, tmp_path):
    (tmp_path / "a-file").write_text("not a folder")
    w = MainWindow(tmp_path / "a-file" / "p.claimdesk", create=True)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: problem_text(w) is not None)  # said once the window shows
    assert w.state is None
    for act in (w.act_import, w.act_export, w.act_confirm, w.act_find, w.act_settings, w.act_next):
        assert not act.isEnabled(), act.objectName()
    assert w.act_open.isEnabled() and w.act_new.isEnabled()


def test_recent_projects_menu_reopens_a_project(qtbot, window, tmp_path, sample_project_file):
    from gui_helpers import copy_project

    first = window.project.path
    other = copy_project(sample_project_file, tmp_path / "other.claimdesk")
    assert window.open_project(other)
    window._fill_recent_menu()
    entries = [a for a in window.recent_menu.actions() if a.data()]
    assert [Path(a.data()) for a in entries] == [first.resolve()]
    entries[0].trigger()
    assert window.project.path.resolve() == first.resolve()


def test_open_on_an_article_file_offers_to_import_it(qtbot, window, stored, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    article = tmp_path / "extra.txt"
    article.write_text("Acme Corp said on Monday it raised 7 million euros from investors.\n", encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(article), ""))
    before = stored.count("articles")
    answered = when_dialog(qtbot, QMessageBox, lambda box: box.button(QMessageBox.StandardButton.Yes).click())
    press(qtbot, window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    assert answered["done"] and answered["error"] is None, answered
    qtbot.waitUntil(lambda: window.job is not None and not window.job.running, timeout=120_000)
    assert stored.count("articles") == before + 1
    assert window.project.path == stored.path  # still the same project


def test_toolbar_tooltips_name_the_keys(window):
    toolbar = window.findChild(QToolBar, "reviewToolbar")
    checked = 0
    for act in toolbar.actions():
        keys = act.shortcut().toString()
        if not keys:
            continue
        button = toolbar.widgetForAction(act)
        assert isinstance(button, QToolButton)
        assert f"({keys})" in button.toolTip(), (act.objectName(), button.toolTip())
        checked += 1
    assert checked >= 10


def test_each_value_shows_its_own_fate(qtbot, window):
    """One sentence, two figures: one in a conflict, the other agreed by the other article."""
    w = window
    by_claim: dict[int, set[str]] = {}
    for link in w.state.links.by_id.values():
        for cid in (link.claim_a, link.claim_b):
            by_claim.setdefault(cid, set()).add(link.kind)
    mixed = [cid for cid, kinds in by_claim.items() if len(kinds) == 2]
    assert mixed, "the sample story has a sentence with a conflicting and an agreeing figure"
    cid = mixed[0]
    w.select_claim(cid)
    claim = w.project.claim(cid)
    fates = {}
    for i in range(w.inspector.values.topLevelItemCount()):
        item = w.inspector.values.topLevelItem(i)
        fates[item.text(0)] = item.text(6)
    links = w.state.links.of_claim(cid)
    for link in links:
        start, end = link.a_span if link.claim_a == cid else link.b_span
        value_text = w.project.article(claim.article_id).text[start:end]
        expected = "conflict" if link.kind == "conflict" else "agreed"
        assert fates[value_text].startswith(expected), fates
