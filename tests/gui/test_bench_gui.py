"""The GUI benchmark runs end to end (its figures are reported by `python -m claimdesk.bench`, not asserted here)."""

import pytest


@pytest.mark.slow
def test_gui_benchmark_runs_on_small_inputs(qapp):
    from claimdesk.bench import bench_gui

    results = bench_gui.run(quick=True)
    names = [r.name for r in results]
    assert any(n.startswith("open a 5,000-word article") for n in names)
    assert "decision key (A) to stored and repainted" in names
    assert {"decision key under CPU load (wall)", "decision key under CPU load (CPU time)"} <= set(names)
    assert any(n.startswith("open a project of 200 articles") for n in names)
    assert {"compare view (V) on 10 articles", "fact decision (L) to stored and redrawn"} <= set(names)
    assert all(r.value > 0 for r in results)


def test_synthetic_project_has_what_it_says(tmp_path):
    from claimdesk.bench.bench_gui import build_project
    from claimdesk.storage.project import Project

    info = build_project(tmp_path / "p.claimdesk", 3, 40, 12)
    with Project(tmp_path / "p.claimdesk") as project:
        assert project.counts()["articles"] == 3
        assert project.counts()["claims"] == info["claims"] == 120
        for claim in project.claims(info["articles"][0]):
            article = project.article(claim.article_id)
            assert article.text[claim.start:claim.end] == claim.text
            v = claim.values[0]
            assert article.text[v.start:v.end] == v.text and v.text.startswith("$")
        assert project.counts()["links"] > 0
