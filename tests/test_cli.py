"""The command line, run as a user runs it (a real process on a real project file)."""

import argparse
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "resources" / "samples" / "mistral-2024").glob("*.txt"))


def claimdesk(*args, check=False):
    proc = subprocess.run([sys.executable, "-m", "claimdesk", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT)
    assert "Traceback" not in proc.stderr, proc.stderr
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


def rows(db, sql):
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def test_version_and_help():
    assert claimdesk("--version", check=True).stdout.startswith("claimdesk ")
    for sub in ("import", "analyze", "review", "export", "checkworthy", "gui"):
        assert "usage: claimdesk " + sub in claimdesk(sub, "--help", check=True).stdout


@pytest.mark.slow
def test_import_twice_keeps_two_articles_and_reports_bad_files(tmp_path):
    db = tmp_path / "p.claimdesk"
    claimdesk("import", "--db", db, *SAMPLES, check=True)
    assert rows(db, "SELECT count(*) FROM articles") == [(2,)]
    assert rows(db, "SELECT count(*) FROM claims")[0][0] > 5
    assert rows(db, "SELECT count(*) FROM links")[0][0] >= 2
    again = claimdesk("import", "--db", db, *SAMPLES, check=True)
    assert "already in the project" in again.stdout
    assert rows(db, "SELECT count(*) FROM articles") == [(2,)]

    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "good.txt").write_text("Council approves budget\n\nThe council approved a £12m budget on Monday.")
    proc = claimdesk("import", "--db", db, tmp_path / "binary.txt", tmp_path / "empty.txt", tmp_path / "good.txt")
    assert proc.returncode == 1
    problems = [line for line in proc.stderr.strip().splitlines() if str(tmp_path) in line]
    assert len(problems) == 2
    assert "binary.txt" in problems[0] and "binary" in problems[0]
    assert "empty.txt" in problems[1] and "empty" in problems[1]
    assert rows(db, "SELECT count(*) FROM articles") == [(3,)]


def test_import_into_something_that_is_not_a_project(tmp_path):
    bogus = tmp_path / "notes.claimdesk"
    bogus.write_text("just some notes")
    before = bogus.read_bytes()
    proc = claimdesk("import", "--db", bogus, SAMPLES[0])
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1 and "not a Claimdesk project" in proc.stderr
    assert bogus.read_bytes() == before


def test_analyze_json_schema():
    proc = claimdesk("analyze", "--json", *SAMPLES, check=True)
    report = json.loads(proc.stdout)
    assert [a["path"] for a in report["articles"]] == [str(s) for s in SAMPLES]
    texts = {a["id"]: a["text"] for a in report["articles"]}
    for a in report["articles"]:
        assert set(a) >= {"id", "path", "title", "published", "text"}
    claim_ids = set()
    for c in report["claims"]:
        assert set(c) >= {"id", "article", "start", "end", "text", "kind", "score", "status", "attribution", "values"}
        assert texts[c["article"]][c["start"]:c["end"]] == c["text"]
        assert 0.0 <= c["score"] <= 1.0 and c["status"] == "suggested"
        for v in c["values"]:
            assert set(v) >= {"start", "end", "text", "type", "amount", "unit", "bound"}
            assert texts[c["article"]][v["start"]:v["end"]] == v["text"]
            assert c["start"] <= v["start"] < v["end"] <= c["end"]
        claim_ids.add(c["id"])
    by_claim = {c["id"]: c for c in report["claims"]}
    kinds = {}
    for link in report["links"]:
        assert link["kind"] in ("conflict", "corroboration")
        assert link["a"]["claim"] in claim_ids and link["b"]["claim"] in claim_ids
        assert by_claim[link["a"]["claim"]]["article"] != by_claim[link["b"]["claim"]]["article"]
        assert 0 <= link["confidence"] <= 1 and link["reason"]
        a = by_claim[link["a"]["claim"]]
        b = by_claim[link["b"]["claim"]]
        ta = texts[a["article"]][slice(*link["a"]["value"])]
        tb = texts[b["article"]][slice(*link["b"]["value"])]
        kinds[(ta, tb)] = link["kind"]
    assert kinds[("15 million euros", "two billion euros")] == "conflict"
    assert kinds[("$563 million", "$650 million")] == "conflict"
    assert kinds[("over $2 billion", "more than $2 billion")] == "corroboration"
    assert kinds[("$13 billion", "$13 billion")] == "corroboration"
    assert ("$13 billion", "two billion euros") not in kinds


def test_analyze_reports_a_bad_file_but_still_prints_json(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02" * 100)
    proc = claimdesk("analyze", "--json", SAMPLES[0], bad)
    assert proc.returncode == 1
    assert "bad.txt" in proc.stderr
    assert len(json.loads(proc.stdout)["articles"]) == 1


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    db = tmp_path_factory.mktemp("review") / "p.claimdesk"
    claimdesk("import", "--db", db, *SAMPLES, check=True)
    return db


@pytest.mark.slow
def test_review_decisions_are_committed(project):
    first, second = [r[0] for r in rows(project, "SELECT id FROM claims ORDER BY id LIMIT 2")]
    claimdesk("review", "--db", project, "--claim", first, "confirm", check=True)
    assert rows(project, f"SELECT status FROM claims WHERE id={first}") == [("confirmed",)]
    claimdesk("review", "--db", project, "--claim", second, "conflict", "--with", first, "--note", "check the filing",
              check=True)
    assert rows(project, f"SELECT status FROM claims WHERE id={second}") == [("conflicting",)]
    assert rows(project, "SELECT text FROM notes ORDER BY id DESC LIMIT 1") == [("check the filing",)]
    claimdesk("review", "--db", project, "undo", check=True)
    assert rows(project, f"SELECT status FROM claims WHERE id={second}") == [("suggested",)]
    claimdesk("review", "--db", project, "redo", check=True)
    assert rows(project, f"SELECT status FROM claims WHERE id={second}") == [("conflicting",)]
    claimdesk("review", "--db", project, "--claim", first, "edit", "--text", "Edited wording.",
              "--value", "15000000 EUR", check=True)
    assert rows(project, f"SELECT status, text FROM claims WHERE id={first}") == [("edited", "Edited wording.")]
    assert rows(project, f"SELECT amount, unit FROM claim_values WHERE claim_id={first}") == [(15e6, "EUR")]


def test_review_errors_are_one_line(project):
    proc = claimdesk("review", "--db", project, "--claim", 999999, "confirm")
    assert proc.returncode == 1 and proc.stderr.strip() == "claimdesk: there is no claim 999999 in this project"
    proc = claimdesk("review", "--db", project, "--claim", 1, "conflict")
    assert proc.returncode == 2 and "--with" in proc.stderr


def test_first_start_creates_the_sample_project_in_the_data_folder(tmp_path, monkeypatch):
    from claimdesk.cli import ensure_default_project

    monkeypatch.setenv("CLAIMDESK_DATA_DIR", str(tmp_path / "data"))
    path = ensure_default_project()
    assert path == tmp_path / "data" / "sample.claimdesk"
    assert rows(path, "SELECT count(*) FROM articles") == [(2,)]
    assert rows(path, "SELECT value FROM settings WHERE key = 'story'")[0][0].startswith("Microsoft")
    assert not list((tmp_path / "data").glob("*.part*"))
    mtime = path.stat().st_mtime_ns
    assert ensure_default_project() == path and path.stat().st_mtime_ns == mtime  # opened, not rebuilt


def test_a_project_path_alone_opens_the_window(monkeypatch, tmp_path):
    import claimdesk.cli as cli

    opened = []
    monkeypatch.setattr(cli, "cmd_gui", lambda args: opened.append(args.db) or 0)
    assert cli.main([str(tmp_path / "story.claimdesk")]) == 0
    assert opened == [str(tmp_path / "story.claimdesk")]


def test_importing_again_finishes_an_import_that_was_killed_before_suggesting(tmp_path):
    from claimdesk.services.pipeline import import_paths
    from claimdesk.storage.project import Project

    db = tmp_path / "p.claimdesk"
    with Project(db) as project:
        import_paths(project, SAMPLES, suggest=False)  # what a SIGKILL after the import step leaves
    assert rows(db, "SELECT count(*) FROM claims") == [(0,)]
    claimdesk("import", "--db", db, *SAMPLES, check=True)
    assert rows(db, "SELECT count(*) FROM articles") == [(2,)]
    assert rows(db, "SELECT count(*) FROM claims")[0][0] > 5


# -- -q anywhere, and one line for every error ---------------------------------------------------

REQUIRED = {  # the least each subcommand parses
    "gui": [], "import": ["--db", "p.claimdesk", "a.txt"], "analyze": ["a.txt"], "checkworthy": ["a.txt"],
    "review": ["--db", "p.claimdesk", "undo"], "merge": ["--db", "p.claimdesk", "b.claimdesk"],
    "agreement": ["--db", "p.claimdesk"], "export": ["--db", "p.claimdesk", "--format", "md", "-o", "x.md"],
}


def test_quiet_is_taken_before_and_after_every_subcommand():
    from claimdesk.cli import build_parser

    parser = build_parser()
    commands = {name for action in parser._actions if isinstance(action, argparse._SubParsersAction)
                for name in action.choices}
    assert commands == set(REQUIRED)
    for command, rest in REQUIRED.items():
        assert parser.parse_args([command, *rest]).quiet is False, command
        assert parser.parse_args(["-q", command, *rest]).quiet is True, command
        assert parser.parse_args([command, "-q", *rest]).quiet is True, command
        assert parser.parse_args(["--quiet", command, *rest, "--quiet"]).quiet is True, command


def test_quiet_before_the_subcommand_silences_it(project):
    claim = rows(project, "SELECT id FROM claims ORDER BY id LIMIT 1")[0][0]
    note = ["review", "--db", project, "--claim", claim, "note", "--text", "seen"]
    assert claimdesk(*note, check=True).stdout.strip() == "ok"
    assert claimdesk("-q", *note, check=True).stdout == ""
    assert claimdesk(*note, "-q", check=True).stdout == ""
    assert "already in the project" in claimdesk("import", "--db", project, SAMPLES[0], check=True).stdout
    assert claimdesk("-q", "import", "--db", project, SAMPLES[0], check=True).stdout == ""


def _one_line(proc) -> str:
    lines = proc.stderr.splitlines()
    assert "Traceback" not in proc.stderr and len(lines) == 1 and lines[0].startswith("claimdesk"), proc.stderr
    return lines[0]


def test_usage_errors_are_one_line(project):
    proc = claimdesk("review", "--db", project)
    assert proc.returncode == 2
    assert _one_line(proc) == ("claimdesk review: the following arguments are required: action "
                               "(see claimdesk review --help)")
    proc = claimdesk("--no-such-option")
    assert proc.returncode == 2 and "--no-such-option" in _one_line(proc)
    proc = claimdesk("export", "--db", project, "--format", "md")
    assert proc.returncode == 2 and "-o/--output" in _one_line(proc)


# A Claimdesk whose schema module is missing, as `pip install .` left it before the wheel carried db/.
WITHOUT_MIGRATIONS = """
import importlib.abc, sys
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "{package}.db.migrations":
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
sys.meta_path.insert(0, Block())
from {package}.cli import main
raise SystemExit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("args", [["import", "--db", "{tmp}/p.claimdesk", SAMPLES[0]], ["analyze", SAMPLES[0]]])
def test_a_damaged_install_is_one_line_from_import_and_analyze(tmp_path, args):
    import claimdesk

    code = WITHOUT_MIGRATIONS.format(package=claimdesk.__name__)
    argv = [str(a).format(tmp=tmp_path) for a in args]
    proc = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 1
    line = _one_line(proc)
    assert "incomplete or damaged" in line and "db.migrations" in line, line
    assert not (tmp_path / "p.claimdesk").exists()


def test_an_error_a_command_does_not_expect_is_one_line_and_debug_shows_it(tmp_path, monkeypatch, capsys):
    import claimdesk.cli as cli
    from claimdesk.services import pipeline
    from claimdesk.storage.project import ProjectError

    def broken(*args, **kwargs):
        raise TypeError("a bug\nover two lines")

    monkeypatch.setattr(pipeline, "import_paths", broken)
    monkeypatch.delenv("CLAIMDESK_DEBUG", raising=False)
    assert cli.main(["analyze", str(SAMPLES[0])]) == 1
    err = capsys.readouterr().err
    assert err == ("claimdesk: unexpected error (TypeError: a bug over two lines); "
                   "CLAIMDESK_DEBUG=1 shows where it happened\n")
    monkeypatch.setenv("CLAIMDESK_DEBUG", "1")
    with pytest.raises(TypeError, match="a bug"):
        cli.main(["analyze", str(SAMPLES[0])])

    # a ProjectError a command does not catch itself keeps its own message
    monkeypatch.delenv("CLAIMDESK_DEBUG")
    monkeypatch.setattr(cli, "cmd_agreement", lambda args: (_ for _ in ()).throw(ProjectError("p is locked")))
    assert cli.main(["agreement", "--db", str(tmp_path / "p.claimdesk")]) == 1
    assert capsys.readouterr().err == "claimdesk: p is locked\n"
