"""``claimdesk analyze --json`` on small hostile inputs: valid JSON, every offset inside its article.

Runs the command in-process (``claimdesk.cli.main``) so that the spaCy pipeline is
loaded once (``claimdesk.services.pipeline.default_suggester`` keeps it per process).
"""

from __future__ import annotations

import contextlib
import io
import json
import uuid

import pytest
from hostile_strategies import hostile_text, symbol_run_text
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from claimdesk.cli import main
from claimdesk.core.importer import read_article

SENTENCES = [
    "The council spent {x}£12m on roads in 2023, officials said.",
    "More than 2,000 homes{x} were evacuated on Saturday night.",
    "Microsoft will invest 15 million euros{x}—about $16 million—in Mistral AI.",
    "The river peaked at 5.2 metres{x} in Skelby, the agency said.",
    "{x}",
]

article_text = st.one_of(
    hostile_text,
    symbol_run_text,  # long runs of one symbol or emoji, unbroken stretches (issue 16)
    st.lists(st.tuples(st.sampled_from(SENTENCES), hostile_text), min_size=1, max_size=4).map(
        lambda parts: "\n\n".join(s.format(x=x) for s, x in parts)
    ),
)


def _analyze(paths):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(["analyze", "--json", *map(str, paths)])
    return status, out.getvalue(), err.getvalue()


@pytest.mark.slow
@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(texts=st.lists(article_text, min_size=1, max_size=3), suffix=st.sampled_from([".txt", ".md", ".html"]))
@example(texts=["The council spent \u202e£12m\u202c on roads in 2023.\x00\n\nMore than 2,000 homes 👨\u200d👩\u200d👧 "
                "were evacuated.", "The council spent £15m on roads in 2023, officials said."], suffix=".txt")
def test_analyze_json_offsets_are_inside_the_texts(tmp_path, texts, suffix):
    paths = []
    for text in texts:
        path = tmp_path / f"{uuid.uuid4().hex}{suffix}"
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        paths.append(path)
    status, out, err = _analyze(paths)
    assert "Traceback" not in err
    report = json.loads(out)
    failed = [line for line in err.splitlines() if line.startswith("claimdesk: ") and "check-worthiness" not in line]
    assert status == (1 if failed else 0), err
    # every file became an article or was named in one line on stderr
    assert len(report["articles"]) <= len(paths)
    imported = {a["path"] for a in report["articles"]}
    for p in paths:
        if str(p) not in imported and str(p) not in err:
            # a second file with the text of one already imported is the same article
            assert read_article(p).text in {a["text"] for a in report["articles"]}, (p, err)
    texts_by_id = {a["id"]: a["text"] for a in report["articles"]}
    claims = {c["id"]: c for c in report["claims"]}
    for c in report["claims"]:
        text = texts_by_id[c["article"]]
        assert 0 <= c["start"] < c["end"] <= len(text)
        assert text[c["start"]:c["end"]] == c["text"]
        for v in c["values"]:
            assert c["start"] <= v["start"] < v["end"] <= c["end"]
            assert text[v["start"]:v["end"]] == v["text"]
    for link in report["links"]:
        for side in ("a", "b"):
            claim = claims[link[side]["claim"]]
            if link[side]["value"] is not None:
                start, end = link[side]["value"]
                assert claim["start"] <= start < end <= claim["end"]
        assert claims[link["a"]["claim"]]["article"] != claims[link["b"]["claim"]]["article"]
