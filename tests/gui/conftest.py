"""Fixtures for the window tests: a real project file built once from the sample story.

The sample articles go through the real pipeline (spaCy suggestions and
alignment) once per test session; every test gets its own copy of the file,
so tests can make decisions and then read the file back on their own.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from gui_helpers import Stored, copy_project

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def own_gui_settings(tmp_path, monkeypatch) -> Path:
    """Each test remembers geometry, recent projects and export folders in its own INI file."""
    path = tmp_path / "claimdesk-gui.ini"
    monkeypatch.setenv("CLAIMDESK_GUI_SETTINGS", str(path))
    return path


@pytest.fixture(scope="session")
def sample_project_file(tmp_path_factory) -> Path:
    from claimdesk.services.pipeline import import_paths
    from claimdesk.paths import sample_articles
    from claimdesk.storage.project import Project

    path = tmp_path_factory.mktemp("sample") / "sample.claimdesk"
    with Project(path) as project:
        project.set_setting("story", "Microsoft and Mistral AI (sample)")
        results = import_paths(project, sample_articles())
    assert all(r.error is None for r in results)
    return path


@pytest.fixture
def project_file(sample_project_file, tmp_path) -> Path:
    return copy_project(sample_project_file, tmp_path / "review.claimdesk")


@pytest.fixture
def stored(project_file) -> Stored:
    return Stored(project_file)


@pytest.fixture
def window(qtbot, project_file):
    from claimdesk.gui.main_window import MainWindow

    w = MainWindow(project_file, actor="tester")
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    yield w
    if w.job is not None and w.job.running:
        w.job.cancel()
        w.job.wait(20_000)
    w.close()
