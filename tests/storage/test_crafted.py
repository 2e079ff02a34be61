"""Issue 16, finding 8: crafted project files are refused at open or at use, in one line, never run.

Each file is made from the released fixture with a plain (not hardened)
sqlite3 connection, as an attacker would.
"""

from __future__ import annotations

import contextlib
import io
import json
import sqlite3

import pytest
from storage_helpers import copy_fixture, sha256

from claimdesk.cli import main
from claimdesk.services.review import ReviewError, ReviewService
from claimdesk.storage.project import Project, ProjectError


def _craft(path, *sql, params=()):
    conn = sqlite3.connect(path)
    for n, statement in enumerate(sql):
        conn.execute(statement, params if n == len(sql) - 1 else ())
    conn.commit()
    conn.close()


def _cli(*args):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(list(map(str, args)))
    return status, out.getvalue(), err.getvalue()


def _one_line_refusal(path, *commands):
    for command in commands:
        status, out, err = _cli(*command)
        assert status != 0, (command, out)
        lines = err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("claimdesk: ") and "Traceback" not in err, err


def _claim_text(path, claim_id):
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        return conn.execute("SELECT text FROM claims WHERE id = ?", [claim_id]).fetchone()[0]
    finally:
        conn.close()


def test_undo_never_runs_column_names_from_the_history(tmp_path):
    path = copy_fixture(tmp_path)
    with Project(path) as project:
        current = project.snapshot("claim", 3)
    before = dict(current)
    injected = "text] = (SELECT group_concat(name) FROM sqlite_master), [kind"
    before[injected] = "x"
    _craft(path, "INSERT INTO events (op, at, actor, action, entity, entity_id, before, after) "
                 "VALUES ((SELECT max(op) + 1 FROM events), '2024-01-01', 'mallory', 'confirm', 'claim', 3, ?, ?)",
           params=[json.dumps(before), json.dumps(current)])
    text = _claim_text(path, 3)
    with Project(path) as project:
        service = ReviewService(project)
        with pytest.raises((ProjectError, ReviewError), match="history entry of claim 3 is damaged"):
            service.undo()
    assert _claim_text(path, 3) == text
    _one_line_refusal(path, ["review", "--db", path, "undo"])
    assert _claim_text(path, 3) == text


@pytest.mark.parametrize("problem, sql", [
    ("equivalents are not a JSON list", "UPDATE claim_values SET equivalents = '[1, 2' WHERE id = 1"),
    ("equivalents are not a JSON list", "UPDATE claim_values SET equivalents = '{\"high\": 5}' WHERE id = 1"),
    ("equivalents are not a JSON list", "UPDATE claim_values SET equivalents = '{\"equivalents\": [], \"high\": \"x\"}' "
                                        "WHERE id = 1"),
    ("not a finite number", "UPDATE claim_values SET amount = 9e999 WHERE id = 1"),
    ("outside its article", "UPDATE claims SET [end] = 10000000 WHERE id = 2"),
    ("offsets that are not whole numbers", "UPDATE claims SET start = 'abc' WHERE id = 2"),
    ("not a JSON record", "INSERT INTO events (op, at, action, entity, entity_id, before) "
                          "VALUES (99, 'now', 'confirm', 'claim', 1, '{bad json')"),
    ("not a JSON record", "INSERT INTO events (op, at, action, entity, entity_id) "
                          "VALUES (99, 'now', 'undo:abc', 'claim', 1)"),
    ("unknown status", "UPDATE claims SET status = 'approved' WHERE id = 2"),
    ("column 'evil'", "ALTER TABLE claims ADD COLUMN evil TEXT"),
    ("index 'claims_text'", "CREATE UNIQUE INDEX claims_text ON claims (article_id, start, [end], id)"),
])
def test_altered_content_is_refused_in_one_line(tmp_path, problem, sql):
    path = copy_fixture(tmp_path)
    _craft(path, sql)
    digest = sha256(path)
    with pytest.raises(ProjectError, match=problem):
        Project(path)
    _one_line_refusal(path, ["review", "--db", path, "--claim", "2", "confirm"],
                      ["export", "--db", path, "--format", "json", "-o", tmp_path / "o.json"],
                      ["import", "--db", path, tmp_path / "missing.txt"])
    assert sha256(path) == digest


def test_an_added_check_constraint_is_refused(tmp_path):
    path = copy_fixture(tmp_path)
    conn = sqlite3.connect(path)
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'notes'").fetchone()[0]
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("UPDATE sqlite_master SET sql = ? WHERE name = 'notes'",
                 [sql.rstrip(")") + ", CHECK (length(text) < 3))"])
    version = conn.execute("PRAGMA schema_version").fetchone()[0]
    conn.execute(f"PRAGMA schema_version = {version + 1}")
    conn.commit()
    conn.close()
    with pytest.raises(ProjectError, match="constraints Claimdesk does not create"):
        Project(path)
    _one_line_refusal(path, ["review", "--db", path, "--claim", "2", "note", "--note", "long enough"])


def test_the_model_setting_names_only_installed_spacy_pipelines(tmp_path, monkeypatch, request):
    import spacy

    from claimdesk.services import pipeline
    from claimdesk.nlp.models import allowed_model

    from claimdesk.nlp.checkworthy import load_default

    loaded = []
    # spaCy fails to load anything here, the shipped classifier included: the process keeps its model cached
    # (loaded once), so a failed load must not stay behind for the tests after this one
    load_default.cache_clear()
    request.addfinalizer(load_default.cache_clear)
    monkeypatch.setattr(spacy, "load", lambda name, **kw: loaded.append(name) or (_ for _ in ()).throw(OSError()))
    monkeypatch.setattr(pipeline, "_suggesters", {})
    assert allowed_model("numpy") is None
    assert allowed_model("../../tmp/evil") is None
    installed = spacy.util.get_installed_models()
    if installed:
        assert allowed_model(installed[0]) == installed[0]
    pipeline.default_suggester("numpy")
    assert "numpy" not in loaded


def test_a_range_claimdesk_wrote_opens_again(tmp_path):
    # a range keeps its high end beside the equivalents ({"equivalents": [...], "high": 5.0}): the check at open
    # must take what Claimdesk itself writes (it refused every project with a range, "2-3" or "3 to 5 million")
    from claimdesk.core.model import Article, Claim, Value

    path = tmp_path / "range.claimdesk"
    text = "Between 3 and 5 million people were affected, officials said."
    with Project(path, create=True) as project:
        aid, _ = project.add_article(Article(text=text, title="t", content_hash="h1"))
        claim = Claim(article_id=aid, start=0, end=len(text), text=text, kind="count", score=0.9)
        claim.values.append(Value(start=0, end=23, text=text[:23], type="count", amount=3e6, high=5e6))
        project.add_claim(claim)
    with Project(path) as project:
        (value,) = project.claims()[0].values
        assert (value.amount, value.high) == (3e6, 5e6)
