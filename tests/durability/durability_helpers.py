"""Shared by the durability tests: a sample project, a killer loop, and the check of what survived."""

from __future__ import annotations

import json
import os
import queue
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from kill_driver import EXPECTED_STATUS, note_text, schedule

ROOT = Path(__file__).resolve().parents[2]
DRIVER = Path(__file__).resolve().parent / "kill_driver.py"
SAMPLES = sorted((ROOT / "resources" / "samples" / "mistral-2024").glob("*.txt"))


def claimdesk_command() -> list[str]:
    """The installed ``claimdesk`` command (as a user runs it), or the module when not installed."""
    exe = Path(sys.executable).parent / ("claimdesk.exe" if os.name == "nt" else "claimdesk")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "claimdesk"]


def env() -> dict[str, str]:
    e = dict(os.environ)
    e.setdefault("QT_QPA_PLATFORM", "offscreen")
    e["PYTHONUNBUFFERED"] = "1"
    return e


def make_sample_project(path: Path) -> list[int]:
    """Import the two sample articles through ``claimdesk import``; returns the claim ids."""
    proc = subprocess.run([*claimdesk_command(), "import", "--db", str(path), *map(str, SAMPLES)],
                          capture_output=True, text=True, cwd=ROOT, env=env(), timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    with sqlite3.connect(path) as conn:
        claims = [r[0] for r in conn.execute("SELECT id FROM claims ORDER BY id")]
    assert len(claims) >= 10
    return claims


@dataclass
class KillLog:
    reported: set[int] = field(default_factory=set)
    kills: int = 0
    runs: int = 0
    attempted: int = 0  # decisions 0 .. attempted-1 may have been started


def _reader(stream, sink: queue.Queue) -> None:
    for line in stream:
        sink.put(line)
    sink.put(None)


def run_driver_with_kills(mode: str, db: Path, total: int, claims: list[int], *, tag: str, seed: int,
                          kills: int = 25, budget_s: float = 600) -> KillLog:
    """Run the driver from decision 0 to ``total``; SIGKILL it at a random moment, restart it where it
    got to, until every decision is reported done.

    The moment is random in terms of the work, not the clock, so it does not
    depend on the machine's speed: wait for a random number of reported
    decisions (0 means: during start-up and opening the file), then a random
    fraction of a decision more."""
    rng = random.Random(seed)
    log = KillLog()
    nxt = 0
    batch = max(2, 2 * total // kills)
    deadline = time.monotonic() + budget_s
    per_decision = 0.01
    while nxt < total:
        assert time.monotonic() < deadline, f"{mode}: only {nxt} of {total} decisions within {budget_s}s"
        cmd = [sys.executable, str(DRIVER), mode, str(db), str(nxt), str(total),
               "--claims", ",".join(map(str, claims)), "--tag", tag]
        started = time.monotonic()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                                env=env())
        lines: queue.Queue = queue.Queue()
        reader = threading.Thread(target=_reader, args=(proc.stdout, lines), daemon=True)
        reader.start()
        log.runs += 1
        wait_for = rng.randrange(batch)
        out: list[str] = []
        ended = False
        while len(out) < wait_for:
            line = lines.get(timeout=120)
            if line is None:
                ended = True
                break
            out.append(line)
        killed = False
        if not ended:
            time.sleep(rng.uniform(0, 0.4) if wait_for == 0 else rng.uniform(0, 1.5 * per_decision))
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                killed = True
        proc.wait(timeout=120)
        reader.join(timeout=120)
        err = proc.stderr.read()
        proc.stderr.close()
        while True:
            line = lines.get_nowait() if not lines.empty() else None
            if line is None:
                break
            out.append(line)
        done = [int(line.split()[1]) for line in out if line.startswith("done ")]
        if killed and proc.returncode == -signal.SIGKILL:
            log.kills += 1
        else:
            assert proc.returncode == 0, err
            assert "Traceback" not in err, err
        if done:
            assert done == list(range(nxt, done[-1] + 1))  # in order, none skipped
            log.reported.update(done)
            per_decision = max(0.001, (time.monotonic() - started) / (len(done) + 20))
            nxt = done[-1] + 1
        log.attempted = max(log.attempted, nxt + 1)
    return log


def run_cli_processes_with_kills(db: Path, total: int, claims: list[int], *, tag: str, seed: int,
                                 kill_share: float, budget_s: float = 600) -> KillLog:
    """Each decision is a real ``claimdesk review`` process; some are SIGKILLed at a random moment.

    A decision counts as done only when its process exited 0 (and then it
    must be in the file); a killed one is run again, as a reviewer would. The
    kill moment is random over the life of such a process (measured from the
    runs that were not killed), so it falls in start-up, in opening the file,
    in the decision and in closing alike."""
    rng = random.Random(seed)
    log = KillLog()
    base = claimdesk_command()
    lifetimes: list[float] = []
    i = 0
    deadline = time.monotonic() + budget_s
    while i < total:
        assert time.monotonic() < deadline, f"cli: only {i} of {total} decisions within {budget_s}s"
        claim, action = schedule(i, claims)
        args = ["review", "--db", str(db), "--claim", str(claim), action, "--reviewer", f"{tag}{i}"]
        if action == "note":
            args += ["--note", note_text(tag, i)]
        started = time.monotonic()
        proc = subprocess.Popen([*base, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                cwd=ROOT, env=env())
        log.runs += 1
        log.attempted = max(log.attempted, i + 1)
        killed = False
        if lifetimes and rng.random() < kill_share:
            typical = sorted(lifetimes)[len(lifetimes) // 2]
            try:
                proc.wait(timeout=rng.uniform(0, 1.05 * typical))
            except subprocess.TimeoutExpired:
                proc.send_signal(signal.SIGKILL)
                killed = True
        out, err = proc.communicate(timeout=120)
        if killed and proc.returncode == -signal.SIGKILL:
            log.kills += 1
            continue  # not reported: try this decision again
        assert proc.returncode == 0 and out.strip() == "ok", (proc.returncode, out, err)
        assert "Traceback" not in err
        if not killed:
            lifetimes.append(time.monotonic() - started)
        log.reported.add(i)
        i += 1
    return log


def verify(db: Path, log: KillLog, claims: list[int], *, tag: str, states: bool = True) -> dict[str, int]:
    """Every decision reported done is in the file; the file is intact; claims are in the state
    their last decision left them in."""
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        events: dict[str, set[str]] = {}
        for actor, action in conn.execute("SELECT actor, action FROM events WHERE actor LIKE ?", [f"{tag}%"]):
            events.setdefault(actor, set()).add(action)
        notes = {r[0] for r in conn.execute("SELECT text FROM notes")}
        reached: dict[int, set[str]] = {}  # the statuses some event gave each claim
        for entity_id, after in conn.execute("SELECT entity_id, after FROM events WHERE entity = 'claim'"):
            if after:
                reached.setdefault(entity_id, set()).add(json.loads(after).get("status"))
        missing = []
        for i in sorted(log.reported):
            claim, action = schedule(i, claims)
            if action not in events.get(f"{tag}{i}", set()):
                if not states and action in EXPECTED_STATUS and (
                        action == "reset" or EXPECTED_STATUS[action] in reached.get(claim, set())):
                    # Another writer had made that decision on the claim already: a decision that
                    # changes nothing is no event (issue 15); some writer's event did set that status.
                    continue
                missing.append((i, claim, action))
            if action == "note" and note_text(tag, i) not in notes:
                missing.append((i, claim, "note text"))
        assert not missing, f"{len(missing)} decisions reported done are not in the file: {missing[:10]}"
        # nothing that was never attempted
        present = {int(a[len(tag):]) for a in events}
        assert max(present) < log.attempted
        if not states:  # other writers decided on the same claims too
            return {"events": len(present), "reported": len(log.reported)}
        # each claim is as the last decision that reached the file left it
        last: dict[int, str] = {}
        for i in sorted(present):
            claim, action = schedule(i, claims)
            if action in EXPECTED_STATUS:
                last[claim] = EXPECTED_STATUS[action]
        status = dict(conn.execute("SELECT id, status FROM claims"))
        wrong = {c: (status[c], s) for c, s in last.items() if status[c] != s}
        assert not wrong, f"claims not in the state of their last decision: {wrong}"
        return {"events": len(present), "reported": len(log.reported)}
    finally:
        conn.close()


def copy_project(src: Path, dst: Path) -> Path:
    shutil.copyfile(src, dst)
    return dst


def summary(name: str, log: KillLog, result: dict) -> str:
    return json.dumps({"test": name, "runs": log.runs, "kills": log.kills, **result})
