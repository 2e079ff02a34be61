"""Makes reviewer decisions on a project, one committed transaction each, and says so.

Run by ``test_kill.py`` / ``test_concurrency.py`` as a separate process, which
they SIGKILL at random moments::

    python kill_driver.py MODE DB FIRST LAST [--claims 1,2,3] [--tag T]

Decision ``i`` (FIRST <= i < LAST) is ``schedule(i, claims)``; it is made with
the reviewer name ``"{tag}{i}"`` so that its events can be found afterwards.
After a decision has returned (it is committed, with ``synchronous=FULL``),
the driver prints ``done i`` and flushes; a decision it has not reported may or
may not be in the file, one it has reported must be.

MODE:
  service  the core path every front end uses: ReviewService on one open Project
  cli      ``claimdesk.cli.main(["review", ...])`` in-process: the command's own code
           path (open, decide, commit, close) without a new Python per decision
  gui      the real review window (claimdesk.gui.main_window.MainWindow, offscreen
           under the tests): its own actions make the decisions, from a timer
           in Qt's event loop
"""

from __future__ import annotations

import sys

ACTIONS = ("confirm", "reject", "reset", "note")
EXPECTED_STATUS = {"confirm": "confirmed", "reject": "rejected", "reset": "suggested"}


def schedule(i: int, claims: list[int]) -> tuple[int, str]:
    """Decision i: cycles over the claims, and for each claim over confirm, reject, reset, note.

    Every decision changes the file (so leaves an event): a claim goes
    confirm -> reject -> reset -> note -> confirm ...
    """
    n = len(claims)
    return claims[i % n], ACTIONS[(i // n) % len(ACTIONS)]


def note_text(tag: str, i: int) -> str:
    return f"decision {tag}{i}: checked against the filing"


def _decide(svc, tag: str, i: int, claims: list[int]) -> None:
    claim, action = schedule(i, claims)
    svc.actor = f"{tag}{i}"
    if action == "note":
        svc.note(note_text(tag, i), claim_id=claim)
    else:
        getattr(svc, action)(claim)


def _say(i: int) -> None:
    sys.stdout.write(f"done {i}\n")
    sys.stdout.flush()


def run_service(db: str, first: int, last: int, claims: list[int], tag: str) -> int:
    from claimdesk.services.review import ReviewService
    from claimdesk.storage.project import Project

    with Project(db, create=False) as project:
        svc = ReviewService(project)
        for i in range(first, last):
            _decide(svc, tag, i, claims)
            _say(i)
    return 0


def run_cli(db: str, first: int, last: int, claims: list[int], tag: str) -> int:
    from claimdesk.cli import main

    for i in range(first, last):
        claim, action = schedule(i, claims)
        args = ["review", "--db", db, "--claim", str(claim), action, "--reviewer", f"{tag}{i}", "-q"]
        if action == "note":
            args += ["--note", note_text(tag, i)]
        status = main(args)
        if status != 0:
            return status
        _say(i)
    return 0


def run_gui(db: str, first: int, last: int, claims: list[int], tag: str) -> int:
    """The real review window (offscreen under the tests), decisions made by its own actions.

    Each decision selects the claim in the window and triggers the action its
    key is bound to (A confirm, X reject, U back to suggested); a note goes
    through the window's ``decide`` with the text its note dialog would
    return. All of it from a timer in Qt's event loop, as key presses arrive.
    """
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QMessageBox

    from claimdesk.gui.app import make_app
    from claimdesk.gui.main_window import MainWindow

    app = make_app()
    window = MainWindow(db, actor=f"{tag}{first}")
    window.show()

    def problem() -> str | None:
        """The message the window shows the user, if any."""
        box = window.findChild(QMessageBox, "problemMessage")
        return box.text() if box is not None else None

    if window.project is None:
        sys.stderr.write(f"the window did not open the project: {problem()}\n")
        return 3
    actions = {name: window.findChild(QAction, object_name)
               for name, object_name in (("confirm", "actConfirm"), ("reject", "actReject"), ("reset", "actReset"))}
    missing = [name for name, act in actions.items() if act is None]
    if missing:
        sys.stderr.write(f"the window has no action for {', '.join(missing)}\n")
        return 3
    state = {"i": first, "status": 0}

    def step() -> None:
        i = state["i"]
        if i >= last:
            timer.stop()
            window.close()
            app.quit()
            return
        claim, action = schedule(i, claims)
        window.service.actor = f"{tag}{i}"
        if not window.select_claim(claim):
            sys.stderr.write(f"the window cannot select claim {claim}\n")
            state["status"] = 4
            app.quit()
            return
        if action == "note":
            window.decide("note", note_text(tag, i), claim_id=claim)
        else:
            actions[action].trigger()
        if problem():
            sys.stderr.write(f"decision {i} failed: {problem()}\n")
            state["status"] = 5
            app.quit()
            return
        _say(i)
        state["i"] = i + 1

    timer = QTimer()
    timer.timeout.connect(step)
    timer.start(0)
    app.exec()
    return state["status"]


def main(argv: list[str]) -> int:
    mode, db, first, last = argv[0], argv[1], int(argv[2]), int(argv[3])
    claims: list[int] = []
    tag = "d"
    rest = argv[4:]
    while rest:
        flag, value, *rest = rest
        if flag == "--claims":
            claims = [int(c) for c in value.split(",")]
        elif flag == "--tag":
            tag = value
    runner = {"service": run_service, "cli": run_cli, "gui": run_gui}[mode]
    return runner(db, first, last, claims, tag)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
