"""Kill test: decisions reported done survive SIGKILL at random moments, and the file stays intact.

Issue 7: "a process makes 1,000 decisions through ``claimdesk review`` while
another kills it with SIGKILL at random moments; afterwards every decision
whose command returned 0 is in the file and ``PRAGMA integrity_check`` says
ok. Same for the GUI process."

* ``test_kill_claimdesk_review_processes``: every decision is a real
  ``claimdesk review`` process (a new Python each time, 0.3-0.7 s); a share
  of them are SIGKILLed at a random moment. CLAIMDESK_KILL_CLI_DECISIONS sets
  how many (default 20 to keep CI short; set 1000 for the issue's full run).
* ``test_kill_claimdesk_review_code_path``: one process runs the
  ``claimdesk review`` command's own code (``claimdesk.cli.main``: open the file,
  decide, commit, close) decision after decision and is SIGKILLed at random
  moments and restarted: 1,000 decisions (CLAIMDESK_KILL_DECISIONS).
* ``test_kill_review_service``: the core path every front end uses, one
  project kept open: 200 decisions (CLAIMDESK_KILL_SERVICE_DECISIONS).
* ``test_kill_gui_process``: the real review window (offscreen), its own
  actions (A, X, U and a note) making the decisions from Qt's event loop;
  see kill_driver.run_gui. 200 decisions (CLAIMDESK_KILL_GUI_DECISIONS).

The driver prints ``done i`` only after decision i has returned, i.e. after
its transaction committed.
"""

from __future__ import annotations

import os

import pytest
from durability_helpers import (
    copy_project,
    make_sample_project,
    run_cli_processes_with_kills,
    run_driver_with_kills,
    summary,
    verify,
)

from claimdesk.storage.project import Project

DECISIONS = int(os.environ.get("CLAIMDESK_KILL_DECISIONS", "1000"))
CLI_DECISIONS = int(os.environ.get("CLAIMDESK_KILL_CLI_DECISIONS", "20"))
SERVICE_DECISIONS = int(os.environ.get("CLAIMDESK_KILL_SERVICE_DECISIONS", "200"))
GUI_DECISIONS = int(os.environ.get("CLAIMDESK_KILL_GUI_DECISIONS", "200"))


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    path = tmp_path_factory.mktemp("kill") / "sample.claimdesk"
    claims = make_sample_project(path)
    return path, claims


def _check_opens(db):
    with Project(db, create=False) as project:  # the probe: quick_check and schema check
        assert project.integrity_check() == ["ok"]


@pytest.mark.slow
def test_kill_claimdesk_review_processes(sample, tmp_path):
    src, claims = sample
    db = copy_project(src, tmp_path / "cli.claimdesk")
    log = run_cli_processes_with_kills(db, CLI_DECISIONS, claims, tag="c", seed=7, kill_share=0.5)
    assert log.kills >= min(10, CLI_DECISIONS // 5)
    print(summary("claimdesk review processes", log, verify(db, log, claims, tag="c")))
    _check_opens(db)


@pytest.mark.slow
def test_kill_claimdesk_review_code_path(sample, tmp_path):
    src, claims = sample
    db = copy_project(src, tmp_path / "cli-path.claimdesk")
    log = run_driver_with_kills("cli", db, DECISIONS, claims, tag="p", seed=11, kills=25)
    assert log.kills >= 10
    print(summary("claimdesk review code path", log, verify(db, log, claims, tag="p")))
    _check_opens(db)


@pytest.mark.slow
def test_kill_review_service(sample, tmp_path):
    src, claims = sample
    db = copy_project(src, tmp_path / "service.claimdesk")
    log = run_driver_with_kills("service", db, SERVICE_DECISIONS, claims, tag="s", seed=13, kills=15)
    assert log.kills >= 5
    print(summary("review service", log, verify(db, log, claims, tag="s")))
    _check_opens(db)


@pytest.mark.slow
def test_kill_gui_process(sample, tmp_path):
    pytest.importorskip("PySide6.QtWidgets")
    src, claims = sample
    db = copy_project(src, tmp_path / "gui.claimdesk")
    log = run_driver_with_kills("gui", db, GUI_DECISIONS, claims, tag="g", seed=17, kills=15)
    assert log.kills >= 5
    print(summary("gui process", log, verify(db, log, claims, tag="g")))
    _check_opens(db)
