"""The project file at size: opening a 2,000-article / 50,000-claim project, and a decision's latency.

* open: ``Project(path)`` on the closed file, which probes it read-only first
  (header, application id, schema version, ``PRAGMA integrity_check`` — the
  quick_check above 64 MB —, the schema check), then opens it in WAL mode;
  and the two checks on their own;
* a decision: ``ReviewService.confirm``/``reject`` on random claims, each one
  transaction with its event rows, committed with ``synchronous=FULL`` (an
  fsync of the WAL) and copied into the file by a checkpoint before it
  returns; the same without the checkpoint, and with ``synchronous=NORMAL``,
  for the measured cost of each guarantee;
* ``claimdesk review`` as a new process: start, open, decide, commit, exit.

The project is written through the public ``Project`` methods into a
temporary folder.
"""

from __future__ import annotations

import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from claimdesk.bench import Result, median_time

N_ARTICLES = 2_000
CLAIMS_PER_ARTICLE = 25
DECISIONS = 200

_WORDS = ("the council said its new plan would cut costs across the region while officials expected further "
          "talks with partners and investors over the coming months in several markets").split()


def build_project(path: Path, n_articles: int, claims_per_article: int, *, seed: int = 3) -> int:
    """A project with one money value per claim; returns the number of claims."""
    from claimdesk.core.importer import content_hash
    from claimdesk.core.model import Article, Claim, Value
    from claimdesk.storage.project import Project

    rng = random.Random(seed)
    n = 0
    with Project(path) as project, project.transaction():
        for a in range(n_articles):
            sentences, spans = [], []
            offset = 0
            for _ in range(claims_per_article):
                words = [rng.choice(_WORDS) for _ in range(rng.randint(8, 20))]
                figure = f"${rng.randint(2, 900)} million"
                at = rng.randint(1, len(words) - 1)
                head = " ".join(words[:at]).capitalize() + " "
                sentence = head + figure + " " + " ".join(words[at:]) + "."
                spans.append((offset, offset + len(sentence), offset + len(head), figure))
                sentences.append(sentence)
                offset += len(sentence) + 1
            text = " ".join(sentences)
            article_id, _ = project.add_article(Article(
                text=text, title=f"Article {a + 1}", outlet="Bench Times", published="2024-02-26",
                content_hash=content_hash(text), language="en"))
            for (start, end, vstart, figure), sentence in zip(spans, sentences):
                amount = float(figure[1:].split()[0]) * 1e6
                project.add_claim(Claim(
                    article_id=article_id, start=start, end=end, text=sentence, kind="money", score=0.8,
                    values=[Value(start=vstart, end=vstart + len(figure), text=figure, type="money",
                                  amount=amount, unit="USD", attribute="cost", subject="the council")]))
                n += 1
    return n


def _decision_latencies(path: Path, claim_ids: list[int], n: int, synchronous: str | None = None,
                        checkpoint: bool = True) -> list[float]:
    from claimdesk.services.review import ReviewService
    from claimdesk.storage.project import Project

    rng = random.Random(5)
    times = []
    with Project(path) as project:
        if synchronous:
            project.conn.execute(f"PRAGMA synchronous = {synchronous}")
        if not checkpoint:
            project._checkpoint = lambda: None  # what the checkpoint after each commit costs
        svc = ReviewService(project, actor="bench")
        for i in range(n):
            claim = rng.choice(claim_ids)
            act = svc.confirm if i % 2 == 0 else svc.reject
            t = time.perf_counter()
            act(claim)
            times.append(time.perf_counter() - t)
    return times


def _p95(times: list[float]) -> float:
    return sorted(times)[int(0.95 * (len(times) - 1))]


def run(quick: bool) -> list[Result]:
    from claimdesk.storage.project import Project

    n_articles = 200 if quick else N_ARTICLES
    decisions = 40 if quick else DECISIONS
    repeat = 3 if quick else 7
    results = []
    with tempfile.TemporaryDirectory(prefix="claimdesk-bench-") as tmp:
        path = Path(tmp) / "big.claimdesk"
        t0 = time.perf_counter()
        n_claims = build_project(path, n_articles, CLAIMS_PER_ARTICLE)
        built = time.perf_counter() - t0
        size_mb = path.stat().st_size / 1e6

        def open_close():
            Project(path).close()

        t_open = median_time(open_close, repeat=repeat, warmup=1)
        results.append(Result(
            f"Project(path): open the file of {n_articles:,} articles / {n_claims:,} claims", 1000 * t_open, "ms",
            "< 1 s",
            f"{size_mb:,.0f} MB file; read-only probe with integrity and schema check, then WAL open; "
            f"median of {repeat} (built in {built:.0f} s)"))

        with Project(path) as project:
            t_full = median_time(lambda: project.integrity_check(), repeat=3, warmup=0)
            t_quick = median_time(lambda: project.conn.execute("PRAGMA quick_check").fetchall(), repeat=3,
                                  warmup=0)
            claim_ids = [c.id for c in project.claims(with_values=False)]
        results.append(Result(
            "full integrity_check on that file (part of open)", 1000 * t_full, "ms", "",
            f"quick_check, used instead above 64 MB: {1000 * t_quick:,.0f} ms; median of 3"))

        # The three variants take turns, so that the disk's load (shared with other jobs) falls on all of them.
        full, no_checkpoint, normal = [], [], []
        for _ in range(5):
            full += _decision_latencies(path, claim_ids, decisions // 5)
            no_checkpoint += _decision_latencies(path, claim_ids, decisions // 5, checkpoint=False)
            normal += _decision_latencies(path, claim_ids, decisions // 5, synchronous="NORMAL", checkpoint=False)
        results.append(Result(
            "decision latency (ReviewService, synchronous=FULL, checkpoint after each commit)",
            1000 * statistics.median(full), "ms", "< 16 ms",
            f"median of {decisions} confirm/reject on random claims, each committed with its events and "
            f"copied into the file (the -wal emptied); p95 {1000 * _p95(full):.1f} ms"))
        results.append(Result(
            "decision latency without the checkpoint (not used)", 1000 * statistics.median(no_checkpoint), "ms", "",
            f"what a .claimdesk file that holds every decision costs: "
            f"{1000 * (statistics.median(full) - statistics.median(no_checkpoint)):.1f} ms per decision"))
        results.append(Result(
            "decision latency with synchronous=NORMAL, no checkpoint (not used)", 1000 * statistics.median(normal),
            "ms", "",
            f"what FULL costs per decision: {1000 * (statistics.median(no_checkpoint) - statistics.median(normal)):.1f}"
            " ms for surviving a power cut"))

        cmd = [sys.executable, "-m", "claimdesk", "review", "-q", "--db", str(path), "--claim", "0", "confirm"]
        runs = []
        for i in range(3 if quick else 7):
            cmd[-2] = str(claim_ids[i])
            t = time.perf_counter()
            subprocess.run(cmd, check=True, capture_output=True)
            runs.append(time.perf_counter() - t)
        results.append(Result(
            "claimdesk review, one decision as a new process", 1000 * statistics.median(runs), "ms", "",
            f"start Python, open the {n_claims:,}-claim project, decide, commit, exit; median of {len(runs)}"))
    return results
