"""Two programs writing decisions to one file at the same time: every decision lands, the file is intact.

``BEGIN IMMEDIATE`` plus SQLite's busy timeout make the writers take turns;
none of them fails, none loses a decision, nothing is interleaved. (A writer
kept waiting longer than the timeout gets a clear "in use by another program"
message instead: tests/storage/test_transactions.py.)
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from durability_helpers import DRIVER, ROOT, KillLog, copy_project, env, make_sample_project, verify

from claimdesk.storage.project import Project


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    path = tmp_path_factory.mktemp("concurrency") / "sample.claimdesk"
    return path, make_sample_project(path)


def _start(mode, db, total, claims, tag):
    return subprocess.Popen(
        [sys.executable, str(DRIVER), mode, str(db), "0", str(total), "--claims", ",".join(map(str, claims)),
         "--tag", tag],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env(),
    )


def _finish(proc, total) -> KillLog:
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err
    assert "Traceback" not in err and "in use" not in err, err
    log = KillLog(reported={int(line.split()[1]) for line in out.splitlines() if line.startswith("done ")})
    log.attempted = total
    assert log.reported == set(range(total))
    return log


@pytest.mark.slow
def test_writers_on_separate_claims_all_land(sample, tmp_path):
    src, claims = sample
    db = copy_project(src, tmp_path / "shared.claimdesk")
    groups = [claims[0::3], claims[1::3], claims[2::3]]
    runs = [("service", 150, "a"), ("service", 150, "b"), ("cli", 60, "c")]
    procs = [_start(mode, db, n, group, tag) for (mode, n, tag), group in zip(runs, groups)]
    logs = [_finish(p, n) for p, (_, n, _) in zip(procs, runs)]
    for log, group, (_, _, tag) in zip(logs, groups, runs):
        verify(db, log, group, tag=tag)
    with Project(db, create=False) as project:
        assert project.integrity_check() == ["ok"]
        assert project.conn.execute("SELECT count(DISTINCT op) FROM events WHERE actor GLOB '[abc][0-9]*'"
                                    ).fetchone()[0] == 360


def test_writers_on_the_same_claims_all_land(sample, tmp_path):
    src, claims = sample
    db = copy_project(src, tmp_path / "same.claimdesk")
    procs = [_start("service", db, 120, claims, tag) for tag in ("x", "y")]
    logs = [_finish(p, 120) for p in procs]
    for log, tag in zip(logs, ("x", "y")):
        verify(db, log, claims, tag=tag, states=False)
    with Project(db, create=False) as project:
        assert project.integrity_check() == ["ok"]
        ops = [r[0] for r in project.conn.execute("SELECT op FROM events ORDER BY id")]
        assert ops == sorted(ops)  # operations never interleave: each one's events are contiguous
