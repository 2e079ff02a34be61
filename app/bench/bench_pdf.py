"""The PDF fact sheet of a project with many open conflicts (issue 16: 330 claims took 44 s).

Forty articles of one story (the sample and dev-set articles, figures varied)
are imported through the real pipeline; every pair of articles that gives a
figure for the same fact differently is an open conflict, so the number of
conflicts grows with the square of the articles. The PDF used to draw one Qt
table per conflict (about 5 ms each, and ``setHtml`` grows faster than linearly
with the number of tables); it now draws them as blocks. Median of 3.
"""

from __future__ import annotations

import datetime as _dt
import random
import tempfile
from pathlib import Path

from claimdesk.bench import Result, median_time

NOW = _dt.datetime(2024, 3, 1, 12, 0, tzinfo=_dt.timezone.utc)


def run(quick: bool) -> list[Result]:
    from claimdesk.bench.bench_suggest import _source_texts, _vary
    from claimdesk.services.pipeline import import_paths
    from claimdesk.export import render
    from claimdesk.storage.project import Project

    n_articles = 16 if quick else 40
    rng = random.Random(3)
    texts = _source_texts()
    results = []
    with tempfile.TemporaryDirectory(prefix="claimdesk-bench-pdf-") as tmp:
        folder = Path(tmp)
        paths = []
        for i in range(n_articles):
            path = folder / f"a{i}.txt"
            path.write_text(texts[i] if i < len(texts) else _vary(texts[i % len(texts)], rng), encoding="utf-8")
            paths.append(path)
        with Project(folder / "p.claimdesk") as project:
            import_paths(project, paths)
            counts = project.counts()
            render(project, "pdf", now=NOW)  # Qt's start-up is not part of the figure
            html = median_time(lambda: render(project, "html", now=NOW), repeat=3, warmup=0)
            pdf = median_time(lambda: render(project, "pdf", now=NOW), repeat=3, warmup=0)
    note = (f"{n_articles} articles of one story, {counts['claims']} claims, {counts['open_conflicts']:,} open "
            f"conflicts; the HTML sheet of the same project: {html:.2f} s; median of 3")
    results.append(Result(f"export pdf, {counts['open_conflicts']:,} open conflicts", pdf, "s", "", note))
    return results
