"""``claimdesk --selftest``: prove that an installed (or bundled) Claimdesk works.

It runs the whole core path on the built-in sample story, in a temporary
project that is deleted afterwards:

    shipped files → import formats → project → spaCy → import → suggest → align
    → review → export

Each step prints one line, ``ok`` with what it found or ``FAILED: reason``; a
step whose prerequisite failed is reported as failed too (never skipped). The
exit status is 0 only when every step worked. The packaging script runs this
on the built bundle, so a missing data file, spaCy model or hidden import in
the bundle shows up here rather than on a journalist's machine.

No Qt here: the self-test must run on a machine without a display.
"""

from __future__ import annotations

import csv
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

# The formats a bundle must be able to write (the ones that need no external program).
EXPORT_FORMATS = ("md", "html", "json", "csv")
SAMPLE_ARTICLES = 2

# A small article for the import-formats step: HTML goes through trafilatura
# (its settings and justext's stop lists are data files), .docx through
# python-docx (its default template is one), a cp1252 text file through
# charset-normalizer, Markdown through markdown-it-py. Each is a data file or
# compiled module a bundle can miss.
FORMAT_TITLE = "Council approves budget"
FORMAT_KEY = "The regional council approved a budget of 48 million euros on Tuesday"
FORMAT_PARAGRAPHS = (
    FORMAT_KEY + ", according to its finance committee.",
    "The vote passed with 31 members in favour and 12 against, after a debate that lasted four hours.",
    "Opposition members said the figure leaves out 6 million euros of promised school repairs.",
)
FORMAT_BOILERPLATE = "Subscribe to our newsletter"


class StepFailed(Exception):
    """A self-test step did not do what it should; the message says why."""


class _Run:
    def __init__(self, verbose: bool, out=None):
        self.verbose = verbose
        self.out = out or sys.stdout
        self.failed: list[str] = []
        self.ran = 0

    def say(self, line: str) -> None:
        if self.verbose:
            print(line, file=self.out, flush=True)

    def step(self, name: str, fn: Callable[[], str], *, needs: tuple[str, ...] = ()) -> bool:
        """Run one step; True when it worked."""
        self.ran += 1
        missing = [n for n in needs if n in self.failed]
        if missing:
            self.failed.append(name)
            self.say(f"{name:<10} FAILED: not run, because {', '.join(missing)} failed")
            return False
        t0 = time.perf_counter()
        try:
            detail = fn()
        except StepFailed as exc:
            reason = str(exc)
        except Exception as exc:  # noqa: BLE001 - a self-test reports every kind of breakage
            reason = f"{type(exc).__name__}: {exc}"
        else:
            self.say(f"{name:<10} ok ({detail}; {time.perf_counter() - t0:.1f} s)")
            return True
        self.failed.append(name)
        self.say(f"{name:<10} FAILED: {reason}")
        return False


def _check_file(path: Path, fmt: str) -> str:
    if not path.exists():
        raise StepFailed(f"{fmt}: {path.name} was not written")
    size = path.stat().st_size
    if size == 0:
        raise StepFailed(f"{fmt}: {path.name} is empty")
    if fmt == "json":
        try:
            json.loads(path.read_text(encoding="utf-8"))
        except ValueError as exc:
            raise StepFailed(f"json: {path.name} is not valid JSON ({exc})") from None
    elif fmt == "csv":
        with open(path, newline="", encoding="utf-8-sig") as fh:
            rows = list(csv.reader(fh))
        if len(rows) < 2:
            raise StepFailed(f"csv: {path.name} has no data row under its header")
    elif fmt == "html":
        if "<" not in path.read_text(encoding="utf-8")[:2000]:
            raise StepFailed(f"html: {path.name} has no markup")
    return f"{fmt} {size} B"


def run_selftest(verbose: bool = True, out=None) -> int:
    """Run every step on the sample story; 0 only if all of them worked."""
    from claimdesk import __version__
    from claimdesk.paths import resources_dir

    run = _Run(verbose, out)
    frozen = " (bundle)" if getattr(sys, "frozen", False) else ""
    try:
        where = resources_dir()
    except Exception as exc:  # noqa: BLE001 - the files step reports it
        where = f"nowhere ({exc})"
    run.say(f"claimdesk {__version__} selftest{frozen}, files in {where}")
    state: dict = {}

    with tempfile.TemporaryDirectory(prefix="claimdesk-selftest-") as tmp:
        tmpdir = Path(tmp)

        def files() -> str:
            import importlib

            from claimdesk.paths import PACKAGE, resource, sample_articles

            try:  # the schema is a module of the package (a .pyc inside a bundle's archive)
                importlib.import_module(f"{PACKAGE}.db.migrations")
            except ImportError as exc:
                raise StepFailed(f"the schema migrations do not load ({exc})") from None
            needed = [resource("patterns", "units.json"), resource("patterns", "cues.jsonl"),
                      resource("patterns", "attributes.jsonl"), resource("templates")]
            missing = [str(p) for p in needed if not p.exists()]
            if missing:
                raise StepFailed("missing " + ", ".join(missing))
            samples = sample_articles()
            if len(samples) != SAMPLE_ARTICLES:
                raise StepFailed(f"expected {SAMPLE_ARTICLES} sample articles, found {len(samples)}")
            state["samples"] = samples
            return f"{len(samples)} sample articles, patterns, migrations"

        def formats() -> str:
            import docx

            from claimdesk.core.importer import read_article

            folder = tmpdir / "formats"
            folder.mkdir()
            html = (
                "<!DOCTYPE html><html><head><meta charset='utf-8'>"
                f"<title>{FORMAT_TITLE}</title></head><body>"
                "<nav><a href='/'>Home</a> <a href='/news'>News</a> <a href='/sport'>Sport</a></nav>"
                f"<article><h1>{FORMAT_TITLE}</h1>" + "".join(f"<p>{p}</p>" for p in FORMAT_PARAGRAPHS)
                + f"</article><footer>{FORMAT_BOILERPLATE}. Copyright 2024 Example Gazette.</footer>"
                "</body></html>"
            )
            (folder / "article.html").write_text(html, encoding="utf-8")
            document = docx.Document()
            document.add_heading(FORMAT_TITLE, 1)
            for p in FORMAT_PARAGRAPHS:
                document.add_paragraph(p)
            document.save(folder / "article.docx")
            legacy = FORMAT_TITLE + "\n\n" + "\n\n".join(FORMAT_PARAGRAPHS) + "\n\nCost: 48 € per resident."
            (folder / "article.txt").write_bytes(legacy.encode("cp1252"))
            markdown = f"# {FORMAT_TITLE}\n\n" + "\n\n".join(FORMAT_PARAGRAPHS).replace(
                "48 million euros", "**48 million euros**")
            (folder / "article.md").write_text(markdown, encoding="utf-8")
            if "**" in read_article(folder / "article.md").text:
                raise StepFailed("article.md: Markdown was not rendered to plain text")
            for name in ("article.html", "article.docx", "article.txt", "article.md"):
                text = read_article(folder / name).text
                if FORMAT_KEY not in text:
                    raise StepFailed(f"{name}: the article's text did not come through")
            html_article = read_article(folder / "article.html")
            if FORMAT_BOILERPLATE in html_article.text or "Sport" in html_article.text:
                raise StepFailed("article.html: navigation and footer were kept (no main-text extraction)")
            if html_article.title != FORMAT_TITLE:
                raise StepFailed(f"article.html: title {html_article.title!r}, expected {FORMAT_TITLE!r}")
            if "48 € per resident" not in read_article(folder / "article.txt").text:
                raise StepFailed("article.txt: a cp1252 file was decoded wrongly")
            return "html, docx, cp1252 text, markdown"

        def project() -> str:
            from claimdesk.services.projects import SCHEMA_VERSION, open_project

            p = open_project(tmpdir / "selftest.claimdesk")
            state["project"] = p
            if p.schema_version != SCHEMA_VERSION:
                raise StepFailed(f"schema {p.schema_version}, expected {SCHEMA_VERSION}")
            check = p.integrity_check()
            if check != ["ok"]:
                raise StepFailed("integrity check: " + "; ".join(check))
            return f"schema {SCHEMA_VERSION}"

        def spacy_pipeline() -> str:
            from claimdesk.nlp.checkworthy import default_model_path
            from claimdesk.services.pipeline import default_suggester

            suggester = default_suggester()
            state["suggester"] = suggester
            if not suggester.mode.startswith("spaCy model"):
                raise StepFailed(suggester.mode)
            # A trained check-worthiness model that ships but does not load is a broken build.
            shipped = default_model_path()
            if (shipped / "config.cfg").is_file() and suggester.checkworthy is None:
                raise StepFailed(f"{shipped} is shipped but the classifier did not load ({suggester.mode})")
            if suggester.checkworthy is not None:
                return f"{suggester.mode}; check-worthiness classifier loaded"
            return suggester.mode

        def import_() -> str:
            from claimdesk.services.pipeline import import_paths

            p = state["project"]
            results = import_paths(p, state["samples"], suggester=state["suggester"])
            errors = [f"{r.path}: {r.error}" for r in results if r.error]
            if errors:
                raise StepFailed("; ".join(errors))
            n = len(p.articles())
            if n != SAMPLE_ARTICLES:
                raise StepFailed(f"{n} articles in the project, expected {SAMPLE_ARTICLES}")
            return f"{n} articles"

        def suggest() -> str:
            p = state["project"]
            claims = p.claims()
            if not claims:
                raise StepFailed("no claims suggested")
            per_article = {c.article_id for c in claims}
            if len(per_article) != SAMPLE_ARTICLES:
                raise StepFailed(f"claims in {len(per_article)} of {SAMPLE_ARTICLES} articles only")
            with_values = sum(1 for c in claims if c.values)
            return f"{len(claims)} claims, {with_values} with values"

        def align() -> str:
            p = state["project"]
            links = p.links()
            if not links:
                raise StepFailed("no links between the articles")
            kinds: dict[str, int] = {}
            for link in links:
                kinds[link.kind] = kinds.get(link.kind, 0) + 1
            return f"{len(links)} links: " + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))

        def review() -> str:
            from claimdesk.core.model import CONFIRMED
            from claimdesk.services.review import ReviewService

            p = state["project"]
            best = max(p.claims(), key=lambda c: c.score)
            service = ReviewService(p, actor="selftest")
            service.confirm(best.id)
            status = p.claim(best.id).status
            if status != CONFIRMED:
                raise StepFailed(f"claim {best.id} is '{status}' after confirming it")
            return f"confirmed claim {best.id}"

        def export() -> str:
            try:
                from claimdesk.export import FORMATS, export_project
            except ImportError as exc:
                raise StepFailed(f"the export module is missing or incomplete ({exc})") from None
            p = state["project"]
            lacking = [f for f in EXPORT_FORMATS if f not in FORMATS]
            if lacking:
                raise StepFailed(f"format(s) {', '.join(lacking)} not available (FORMATS: {', '.join(FORMATS)})")
            written = []
            for fmt in EXPORT_FORMATS:
                target = tmpdir / f"factsheet.{fmt}"
                export_project(p, fmt, target)
                written.append(_check_file(target, fmt))
            return ", ".join(written)

        try:
            run.step("files", files)
            run.step("formats", formats)
            run.step("project", project)
            run.step("spacy", spacy_pipeline)
            run.step("import", import_, needs=("files", "project", "spacy"))
            run.step("suggest", suggest, needs=("import",))
            run.step("align", align, needs=("import",))
            run.step("review", review, needs=("suggest",))
            run.step("export", export, needs=("import",))
        finally:
            if "project" in state:
                state["project"].close()

    if run.failed:
        run.say(f"selftest FAILED: {len(run.failed)} of {run.ran} steps ({', '.join(run.failed)})")
        return 1
    run.say(f"selftest passed: {run.ran} steps")
    return 0
