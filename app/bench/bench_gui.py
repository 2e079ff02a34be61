"""Speed of the review window, on synthetic projects (no spaCy needed), offscreen.

* opening a 20,000-word article with 1,000 claims (target: under 50 ms),
* a decision key: A pressed in the real window, stored in the project file and
  repainted (target: median under 16 ms),
* the same key while a second process keeps a CPU busy (the machines are shared):
  median under 16 ms of CPU time and 50 ms of wall time,
* opening a project of 2,000 articles and 50,000 claims, up to the first claim
  selected and painted (target: under 1 s).

Projects are written through ``Project.add_article`` / ``add_claim`` /
``add_link`` inside one transaction, into a temporary folder.
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from claimdesk.bench import Result

WORDS = ("the company said its new plan would cut costs across the region while officials expected "
         "further talks with partners and investors over the coming months in several markets").split()
UNITS = ("million", "billion")


def _sentence(rng: random.Random, n_words: int) -> tuple[str, tuple[int, int], float]:
    """A sentence with one money figure; returns it, the figure's span in it, and its amount."""
    amount = rng.randint(2, 900)
    unit = rng.choice(UNITS)
    figure = f"${amount} {unit}"
    words = [rng.choice(WORDS) for _ in range(max(n_words - 3, 3))]
    at = rng.randint(1, len(words) - 1)
    head = " ".join(words[:at]).capitalize() + " "
    tail = " " + " ".join(words[at:]) + "."
    scale = 1e6 if unit == "million" else 1e9
    return head + figure + tail, (len(head), len(head) + len(figure)), amount * scale


def build_project(path: Path, n_articles: int, claims_per_article: int, words_per_claim: int,
                  *, seed: int = 7, link_every: int = 10) -> dict:
    """A synthetic project: every claim one sentence with one money value; some cross-article links."""
    from claimdesk.core.importer import content_hash
    from claimdesk.core.model import CONFLICT, CORROBORATION, Article, Claim, Link, Value
    from claimdesk.storage.project import Project

    rng = random.Random(seed)
    info = {"articles": [], "claims": 0}
    with Project(path) as project:
        with project.transaction():
            previous: list[tuple[int, int, tuple[int, int]]] = []
            for a in range(n_articles):
                parts: list[str] = []
                spans = []
                pos = 0
                for c in range(claims_per_article):
                    if c % 5 == 0 and c:
                        parts.append("\n")
                        pos += 1
                        if c % 25 == 0:  # an emoji now and then: offsets are not UTF-16 positions
                            parts.append("💶 ")
                            pos += 2
                    text, (vs, ve), amount = _sentence(rng, words_per_claim)
                    spans.append((pos, pos + len(text), pos + vs, pos + ve, amount, text))
                    parts.append(text + " ")
                    pos += len(text) + 1
                body = "".join(parts)
                article = Article(text=body, title=f"Synthetic article {a + 1}", outlet=f"Outlet {a % 17}",
                                  published=f"2024-{1 + a % 12:02d}-{1 + a % 28:02d}",
                                  content_hash=content_hash(body), source_path=f"synthetic/{a}.txt")
                aid, _ = project.add_article(article)
                info["articles"].append(aid)
                current = []
                for n, (s, e, vs, ve, amount, text) in enumerate(spans):
                    value = Value(start=vs, end=ve, text=body[vs:ve], type="money", amount=amount, unit="USD",
                                  attribute="investment")
                    cid = project.add_claim(Claim(article_id=aid, start=s, end=e, text=text, kind="money",
                                                  score=round(rng.random(), 2), values=[value]))
                    current.append((cid, n, (vs, ve)))
                info["claims"] += len(spans)
                for (ca, n, sa), (cb, _, sb) in zip(previous, current):
                    if n % link_every == 0:
                        project.add_link(Link(claim_a=ca, claim_b=cb, kind=CONFLICT if n % 20 == 0
                                              else CORROBORATION, a_span=sa, b_span=sb,
                                              reason="Investment: synthetic", confidence=0.8))
                previous = current
    return info


def _app():
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # The bench's windows remember nothing in the user's own settings (layout, recent projects).
    os.environ.setdefault("CLAIMDESK_GUI_SETTINGS",
                          os.path.join(tempfile.mkdtemp(prefix="claimdesk-bench-settings-"), "gui.ini"))
    from claimdesk.gui.app import make_app

    return make_app()


def _settle(app) -> None:
    """Deliver pending events, including the paint of every widget marked for update."""
    app.sendPostedEvents()
    app.processEvents()


def _timed(fn) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) of one call."""
    w, c = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - w, time.process_time() - c


LOAD_LOOP = "import time\nend = time.time() + {seconds}\nwhile time.time() < end:\n    sum(i * i for i in range(10000))\n"


@contextmanager
def cpu_load(seconds: float = 120.0):
    """A second Python process spinning on one CPU for the duration of the block."""
    proc = subprocess.Popen([sys.executable, "-c", LOAD_LOOP.format(seconds=seconds)])
    try:
        time.sleep(0.3)  # let it get going
        yield proc
    finally:
        proc.kill()
        proc.wait()


def bench_open_article(tmp: Path, quick: bool) -> list[Result]:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from claimdesk.gui.main_window import MainWindow

    words, claims, n = (20_000, 1_000, 8) if not quick else (5_000, 250, 4)
    path = tmp / "long.claimdesk"
    info = build_project(path, n, claims, words // claims, link_every=7)
    app = _app()
    window = MainWindow(path, actor="bench")
    window.resize(1280, 800)
    window.show()
    _settle(app)

    # Each article is opened once (nothing cached): read from the file, text laid out,
    # highlights, claim list in review order, first claim selected, inspector, painted.
    opens = [_timed(lambda aid=aid: (window.open_article(aid), _settle(app))) for aid in info["articles"][1:]]
    wall = statistics.median(t[0] for t in opens)
    cpu = statistics.median(t[1] for t in opens)
    results = [Result(f"open a {words:,}-word article with {claims:,} claims", wall * 1000, "ms", "< 50 ms",
                      f"median of {len(opens)} articles, each opened once; CPU time {cpu * 1000:.0f} ms; "
                      f"load average {os.getloadavg()[0]:.1f}")]

    # A decision key: A on the claim list; stored (one committed transaction) and repainted.
    window.open_article(info["articles"][0])
    window.claim_list.setFocus()
    _settle(app)

    def key(k, mod=Qt.KeyboardModifier.NoModifier):
        QTest.keyClick(window.claim_list, k, mod)
        _settle(app)

    presses = [_timed(lambda: key(Qt.Key.Key_A)) for _ in range(40 if not quick else 10)]
    undos = [_timed(lambda: key(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier))
             for _ in range(10 if not quick else 4)]
    # The same key with another process keeping a CPU busy: X then A alternately, so every press
    # is a real decision (a repeated A changes nothing and is not recorded).
    window.open_article(info["articles"][-1])
    window.act_advance.setChecked(False)
    window.claim_list.setFocus()
    _settle(app)
    loaded = []
    with cpu_load():
        load_before = os.getloadavg()[0]
        for n in range(40 if not quick else 10):
            loaded.append(_timed(lambda n=n: key(Qt.Key.Key_X if n % 2 else Qt.Key.Key_A)))
    window.act_advance.setChecked(True)
    window.close()
    results.append(Result(
        "decision key (A) to stored and repainted", statistics.median(t[0] for t in presses) * 1000, "ms",
        "< 16 ms", f"median of {len(presses)} in a {claims:,}-claim article, moving on to the next claim; "
                   f"CPU time {statistics.median(t[1] for t in presses) * 1000:.1f} ms (the rest is the "
                   f"fsync of the commit and waiting for a CPU)"))
    results.append(Result(
        "decision key under CPU load (wall)", statistics.median(t[0] for t in loaded) * 1000, "ms", "< 50 ms",
        f"median of {len(loaded)} (A and X alternately, staying on the claim) while a second process spins on "
        f"a CPU; p90 {sorted(t[0] for t in loaded)[int(len(loaded) * 0.9) - 1] * 1000:.1f} ms; "
        f"load average {load_before:.1f}"))
    results.append(Result(
        "decision key under CPU load (CPU time)", statistics.median(t[1] for t in loaded) * 1000, "ms", "< 16 ms",
        "CPU time of the window's process per key, same presses"))
    results.append(Result(
        "undo (Ctrl+Z) to stored and repainted", statistics.median(t[0] for t in undos) * 1000, "ms", "",
        f"median of {len(undos)}; CPU time {statistics.median(t[1] for t in undos) * 1000:.1f} ms"))
    return results


def bench_open_project(tmp: Path, quick: bool) -> list[Result]:
    from claimdesk.gui.main_window import MainWindow

    n_articles, per = (2_000, 25) if not quick else (200, 25)
    path = tmp / "big.claimdesk"
    t = time.perf_counter()
    info = build_project(path, n_articles, per, 14)
    build = time.perf_counter() - t
    app = _app()
    size_mb = path.stat().st_size / 1e6

    def open_window():
        window = MainWindow(path, actor="bench")
        window.resize(1280, 800)
        window.show()
        _settle(app)
        assert window.current_claim_id is not None
        window.close()
        window.deleteLater()
        _settle(app)

    open_window()  # warm-up: imports, fonts, the file in the OS cache
    runs = [_timed(open_window) for _ in range(3)]
    return [Result(f"open a project of {n_articles:,} articles and {info['claims']:,} claims",
                   statistics.median(t[0] for t in runs), "s", "< 1 s",
                   f"window shown with the first claim selected; file {size_mb:.0f} MB (built in {build:.0f} s); "
                   f"median of 3; CPU time {statistics.median(t[1] for t in runs):.2f} s")]


def add_facts(path: Path, per_story: int) -> int:
    """Group the synthetic claims into facts: the n-th claim of every article of a story is one fact
    (every third one with a second version in a third of the articles). Returns the largest fact's size."""
    from claimdesk.core.facts import AGREED, CONFLICTING, Fact, Mention, Version
    from claimdesk.storage.project import Project

    with Project(path) as project, project.transaction():
        by_article: dict[int, list] = {}
        for c in project.claims(with_values=True):
            by_article.setdefault(c.article_id, []).append(c)
        articles = sorted(by_article)
        for first in range(0, len(articles), per_story):
            story = articles[first:first + per_story]
            for n in range(min(len(by_article[a]) for a in story)):
                split = n % 3 == 0
                mentions = []
                for i, aid in enumerate(story):
                    c = by_article[aid][n]
                    v = c.values[0]
                    mentions.append(Mention(c.id, aid, v.start, v.end, int(split and i % 3 == 2), v.text))
                versions = [Version(0, "version A", 1e6, "USD", "exact")]
                if split:
                    versions.append(Version(1, "version B", 2e6, "USD", "exact"))
                project.new_fact(Fact(0, "Investment", "Synthetic", "investment", CONFLICTING if split else AGREED,
                                      "money:USD", versions, mentions))
    return per_story


def bench_fact_review(tmp: Path, quick: bool) -> list[Result]:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from claimdesk.gui.main_window import MainWindow

    per_story, n_stories, claims = (30, 17, 30) if not quick else (10, 4, 10)
    path = tmp / "facts.claimdesk"
    build_project(path, per_story * n_stories, claims, 14, link_every=10**9)
    add_facts(path, per_story)
    app = _app()
    window = MainWindow(path, actor="bench")
    window.resize(1280, 800)
    window.show()
    _settle(app)
    n_facts = len(window.state.facts.by_id)
    fact = next(f for f in window.state.facts.by_id.values() if f.status == "conflicting")
    window.select_claim(fact.mentions[0].claim_id)
    _settle(app)

    def key(k, mod=Qt.KeyboardModifier.NoModifier):
        QTest.keyClick(QApplication.focusWidget() or window, k, mod)
        _settle(app)

    opens, decisions, undos = [], [], []
    for _ in range(10 if not quick else 3):
        key(Qt.Key.Key_Escape)
        opens.append(_timed(lambda: key(Qt.Key.Key_V)))
        decisions.append(_timed(lambda: key(Qt.Key.Key_L)))
        undos.append(_timed(lambda: key(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)))
    # Every L was a stored decision and every Ctrl+Z took it back (the bench measures real work).
    assert len(window.project.events(entity="fact", entity_id=fact.id)) == 2 * len(decisions)
    assert window.project.fact(fact.id).review == "open"
    window.close()
    where = f"a fact stated by {per_story} articles, in a project of {n_facts:,} facts"
    return [
        Result(f"compare view (V) on {per_story} articles", statistics.median(t[0] for t in opens) * 1000, "ms",
               "< 500 ms", f"{where}: one pane per article, each at its mention; median of {len(opens)}; "
                           f"CPU time {statistics.median(t[1] for t in opens) * 1000:.0f} ms"),
        Result("fact decision (L) to stored and redrawn", statistics.median(t[0] for t in decisions) * 1000, "ms",
               "< 100 ms", f"{where}; facts re-read, counts and comparison redrawn; median of {len(decisions)}"),
        Result("undo of a fact decision (Ctrl+Z)", statistics.median(t[0] for t in undos) * 1000, "ms", "",
               f"same fact; median of {len(undos)}"),
    ]


def run(quick: bool) -> list[Result]:
    with tempfile.TemporaryDirectory(prefix="claimdesk-bench-gui-") as tmp:
        return (bench_open_article(Path(tmp), quick) + bench_open_project(Path(tmp), quick)
                + bench_fact_review(Path(tmp), quick))
