"""Import and suggestion in the background: progress, cancel, bad files; the window never freezes."""

from __future__ import annotations

import threading
import time

from gui_helpers import Stored
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from claimdesk.core.model import CONFIRMED
from claimdesk.services.pipeline import Cancelled
from claimdesk.gui.worker import BackgroundJob, import_job

ARTICLE = """Acme Robotics raises $40 million

Acme Robotics said on Tuesday it has raised $40 million from investors led by Northwind Capital.
The company, founded in 2019, employs 120 people and expects revenue of $12 million this year.
"""


def _articles(folder, n: int) -> list[str]:
    paths = []
    for i in range(n):
        p = folder / f"article_{i:02d}.txt"
        p.write_text(ARTICLE.replace("$40 million", f"${40 + i} million").replace("Acme", f"Acme{i}"))
        paths.append(str(p))
    return paths


def test_import_job_reports_progress_and_commits_on_its_own_connection(qtbot, project_file, tmp_path):
    paths = _articles(tmp_path, 3)
    progress = []
    main_thread = threading.get_ident()
    seen_threads = []

    def spy(project, progress_cb, cancelled):
        seen_threads.append(threading.get_ident())
        return import_job(paths)(project, progress_cb, cancelled)

    job = BackgroundJob(project_file, spy, "Importing")
    job.progress.connect(lambda stage, done, total: progress.append((stage, done, total)))
    with qtbot.waitSignal(job.finished, timeout=60_000) as done:
        job.start()
    qtbot.waitUntil(lambda: not job.running)
    results = done.args[0]
    assert [r.error for r in results] == [None, None, None]
    assert seen_threads and seen_threads[0] != main_thread
    assert ("import", 3, 3) in progress
    assert any(stage == "suggest" for stage, _, _ in progress)
    stored = Stored(project_file)
    assert stored.count("articles") == 5
    new_ids = [r.article_id for r in results]
    assert all(stored.claims(aid) for aid in new_ids), "claims were suggested for every new article"


def test_cancel_stops_between_steps_and_keeps_what_was_committed(qtbot, project_file):
    started = threading.Event()

    def slow(project, progress, cancelled):
        started.set()
        for i in range(500):
            if cancelled():
                raise Cancelled()
            progress("import", i, 500)
            time.sleep(0.01)
        return "finished"

    job = BackgroundJob(project_file, slow, "Importing")
    finished = []
    job.finished.connect(finished.append)
    with qtbot.waitSignal(job.cancelled, timeout=10_000):
        job.start()
        assert started.wait(5)
        job.cancel()
    qtbot.waitUntil(lambda: not job.running)
    assert finished == []


def test_a_failing_job_reports_a_message(qtbot, project_file):
    def broken(project, progress, cancelled):
        raise RuntimeError("disk on fire")

    job = BackgroundJob(project_file, broken, "Importing")
    with qtbot.waitSignal(job.failed, timeout=10_000) as failed:
        job.start()
    assert failed.args == ["RuntimeError: disk on fire"]
    qtbot.waitUntil(lambda: not job.running)


def test_window_imports_in_the_background_with_progress_and_stays_usable(qtbot, window, stored, tmp_path,
                                                                       monkeypatch):
    w = window
    paths = _articles(tmp_path, 4)
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: (paths, ""))
    cid = w.current_claim_id
    qtbot.keyClick(QApplication.focusWidget() or w, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    job = w.job
    assert job is not None and job.running
    assert w.job_bar.isVisible() and w.job_cancel.isVisible()
    assert not w.act_open.isEnabled()
    # The reviewer keeps working while the worker imports.
    qtbot.keyClick(QApplication.focusWidget() or w, Qt.Key.Key_A)
    assert stored.status(cid) == CONFIRMED
    qtbot.waitUntil(lambda: not job.running, timeout=60_000)
    assert not w.job_bar.isVisible()
    assert stored.count("articles") == 6
    assert w.article_model.rowCount() == 6
    assert w.review_progress.maximum() == stored.count("claims")
    assert w.review_progress.value() == 1
    assert w.current_claim_id is not None
    assert "Imported 4 new articles" in w.statusBar().currentMessage()
    assert w.act_open.isEnabled()


def test_import_with_bad_files_names_them_and_the_window_still_works(qtbot, window, stored, tmp_path,
                                                                    monkeypatch):
    w = window
    good = _articles(tmp_path, 1)
    binary = tmp_path / "photo.txt"
    binary.write_bytes(bytes(range(256)) * 20)
    missing = tmp_path / "gone.txt"
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: (good + [str(binary), str(missing)], ""))
    w.act_import.trigger()
    qtbot.waitUntil(lambda: not w.job.running, timeout=60_000)
    box = w.findChild(QMessageBox, "problemMessage")
    assert box is not None and box.isVisible()
    text = box.text()
    assert "Imported 1 new article" in text
    assert "photo.txt" in text and "binary" in text
    assert "gone.txt" in text
    assert stored.count("articles") == 3
    qtbot.keyClick(box, Qt.Key.Key_Return)
    qtbot.waitUntil(w.isActiveWindow)
    cid = w.current_claim_id
    qtbot.keyClick(QApplication.focusWidget() or w, Qt.Key.Key_X)
    assert stored.status(cid) == "rejected"


def test_cancelling_an_import_from_the_window(qtbot, window, stored, tmp_path, monkeypatch):
    w = window
    paths = _articles(tmp_path, 40)
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: (paths, ""))
    w.act_import.trigger()
    job = w.job
    # Cancel as soon as the first progress report arrives.
    with qtbot.waitSignal(job.progress, timeout=30_000):
        pass
    qtbot.mouseClick(w.job_cancel, Qt.MouseButton.LeftButton)
    assert not w.job_cancel.isEnabled()
    with qtbot.waitSignal(job.ended, timeout=60_000):
        pass
    assert "cancelled" in w.statusBar().currentMessage()
    articles = stored.count("articles")
    assert 2 <= articles <= 42
    # Every article that made it in is whole, and the window shows what is in the file.
    assert w.article_model.rowCount() == articles
    assert w.review_progress.maximum() == max(stored.count("claims"), 1)
    cid = w.current_claim_id
    qtbot.keyClick(QApplication.focusWidget() or w, Qt.Key.Key_A)
    assert stored.status(cid) == CONFIRMED
