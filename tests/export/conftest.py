"""Fixtures of the export tests: the hand-built, reviewed sample project."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from export_fixture import build

from claimdesk.storage.project import Project


@pytest.fixture(scope="session")
def golden_file(tmp_path_factory) -> tuple[Path, dict[str, int]]:
    """The reviewed sample project, built once per session (do not change it: use `golden`)."""
    path = tmp_path_factory.mktemp("golden") / "sample.claimdesk"
    with pytest.MonkeyPatch.context() as mp:
        ids = build(path, mp)
    return path, ids


@pytest.fixture
def golden(golden_file, tmp_path):
    """A fresh copy of the reviewed sample project, open; yields (project, ids)."""
    src, ids = golden_file
    path = tmp_path / "sample.claimdesk"
    shutil.copyfile(src, path)
    project = Project(path, create=False)
    yield project, ids
    project.close()
