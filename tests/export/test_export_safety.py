"""Untrusted article text stays inert; exports are written whole or not at all; no Qt outside the PDF."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import stat
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from export_fixture import NOW, add_claim, add_link, new_project

import claimdesk.export.markdown
from claimdesk.core.model import CONFLICT
from claimdesk.services.review import ReviewService
from claimdesk.export import FORMATS, ExportError, export_project, render, write_atomic
from claimdesk.export.csvout import neutralise

ROOT = Path(__file__).resolve().parents[2]
EVIL_SCRIPT = "<script>alert('owned')</script>"
EVIL_IMG = '<img src=x onerror="alert(1)">'
EVIL_TEXT = (
    f"The board paid $5 million {EVIL_SCRIPT} to the firm. "
    f'Payments of $7 million went out {EVIL_IMG} in May. '
    "=HYPERLINK(\"http://evil.example\",\"$9 million\") was the total. "
    "+1 in 3 bought $2 million of shares. "
    "-2 percent fell 4% on Monday. "
    "@SUM(A1:A9) cost $8 million in fees. "
)


@pytest.fixture
def evil(tmp_path):
    """A project whose every text field carries markup, script, formulas and a javascript: URL."""
    project, (a, b) = new_project(
        tmp_path / "evil.claimdesk", EVIL_TEXT, "Another article said $6 million </td></tr></table> for it.",
        titles=[f"Title {EVIL_IMG}", "=cmd|' /C calc'!A0"],
        story=f"Story {EVIL_SCRIPT}", reviewer=f"Rev {EVIL_IMG}", url="javascript:alert(2)",
    )
    project.conn.execute("UPDATE articles SET outlet = ?, url = ? WHERE id = ?",
                         ["<b onmouseover=alert(3)>Outlet</b>", "javascript:alert(4)", a])
    project.conn.commit()
    review = ReviewService(project, actor=f"-{EVIL_SCRIPT}")
    ids = []
    for phrase, value in [
        (f"The board paid $5 million {EVIL_SCRIPT} to the firm.", "$5 million"),
        (f"Payments of $7 million went out {EVIL_IMG} in May.", "$7 million"),
        ("=HYPERLINK(\"http://evil.example\",\"$9 million\") was the total.", "$9 million"),
        ("+1 in 3 bought $2 million of shares.", "$2 million"),
        ("-2 percent fell 4% on Monday.", "4%"),
        ("@SUM(A1:A9) cost $8 million in fees.", "$8 million"),
    ]:
        cid = add_claim(project, a, phrase, subject="<i>the board</i>", attribution=f"@{EVIL_IMG}",
                        values=[dict(phrase=value, type="money", amount=1.0, unit="<u>USD</u>",
                                     attribute="pay<script>")])
        review.confirm(cid)
        ids.append(cid)
    other = add_claim(project, b, "Another article said $6 million </td></tr></table> for it.",
                      values=[dict(phrase="$6 million", type="money", amount=6e6, unit="USD", attribute="pay")])
    link = add_link(project, ids[0], other, CONFLICT)
    review.mark_conflict(ids[0], other, f"=2+3 {EVIL_SCRIPT}")
    review.note(f"@note {EVIL_IMG}", claim_id=ids[1])
    review.resolve_link(link, other, f"-resolved {EVIL_IMG}")
    yield project, ids
    project.close()


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def test_html_keeps_article_markup_inert(evil):
    project, _ = evil
    html = render(project, "html", now=NOW).decode("utf-8")
    parser = _Collector()
    parser.feed(html)
    tags = [t for t, _ in parser.tags]
    assert "script" not in tags and "img" not in tags and "u" not in tags and "i" not in tags
    for tag, attrs in parser.tags:
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        for name in ("href", "src"):
            assert not (attrs.get(name) or "").lower().startswith("javascript:"), (tag, attrs)
    text = "".join(parser.text)
    assert EVIL_SCRIPT in text and EVIL_IMG in text  # shown to the reader as text
    assert "&lt;script&gt;alert(&#39;owned&#39;)&lt;/script&gt;" in html
    assert "default-src 'none'" in html  # and a CSP as a second line of defence
    # The stray </table> in the second article did not break the layout: all tables are balanced.
    assert html.count("<table") == html.count("</table>")


def test_markdown_escapes_markup(evil):
    project, _ = evil
    md = render(project, "md", now=NOW).decode("utf-8")
    raw = [m.start() for m in re.finditer(r"(?<!\\)<", md)]
    assert [md[i:i + 9] for i in raw if not md.startswith("<https://", i)] == []  # every other < is escaped
    assert r"\<script\>alert('owned')\</script\>" in md
    assert r'\<img src=x onerror="alert(1)"\>' in md
    assert "javascript:" not in md.replace("javascript:alert", "")  # shown as text only, never as a link
    assert "](javascript" not in md and "<javascript" not in md


def test_markdown_escape_rules():
    from claimdesk.export.templates import md_code, md_escape

    assert md_escape("# not a heading") == r"\# not a heading"
    assert md_escape("- not a list") == r"\- not a list"
    assert md_escape("1. not a list") == r"1\. not a list"
    assert md_escape("a | b *c* _d_ [e](f) `g`") == r"a \| b \*c\* \_d\_ \[e\](f) \`g\`"
    assert md_escape("two\nlines") == "two lines"
    assert md_code("a`b") == "``a`b``"


def test_csv_neutralises_formulas(evil):
    project, _ = evil
    text = render(project, "csv", now=NOW).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    header, body = rows[0], rows[1:]
    assert len(body) == 7 and all(len(r) == len(header) for r in body)
    cells = [cell for row in body for cell in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    texts = [r[header.index("claim_text")] for r in body]
    assert "'=HYPERLINK(\"http://evil.example\",\"$9 million\") was the total." in texts
    assert "'+1 in 3 bought $2 million of shares." in texts
    assert "'-2 percent fell 4% on Monday." in texts
    assert "'@SUM(A1:A9) cost $8 million in fees." in texts
    assert "'=cmd|' /C calc'!A0" in [r[header.index("article_title")] for r in body]
    assert f"'-{EVIL_SCRIPT}" in [r[header.index("decided_by")] for r in body]
    # numbers stay numbers
    assert all(r[header.index("claim_id")].isdigit() for r in body)


@pytest.mark.parametrize("cell, expected", [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@A1", "'@A1"), ("\t=1", "'\t=1"), ("\r=1", "'\r=1"),
    ("1+1", "1+1"), ("", ""), ("a=b", "a=b"), (-5, -5), (None, None),
])
def test_neutralise(cell, expected):
    assert neutralise(cell) == expected


def test_json_ld_outputs_do_not_link_javascript(evil):
    project, _ = evil
    for fmt in ("claimreview", "annotations"):
        assert "javascript:" not in json.dumps([v for v in _strings(json.loads(render(project, fmt, now=NOW)))
                                                if v.startswith("javascript")])


def _strings(doc):
    if isinstance(doc, dict):
        for v in doc.values():
            yield from _strings(v)
    elif isinstance(doc, list):
        for v in doc:
            yield from _strings(v)
    elif isinstance(doc, str):
        yield doc


# -- atomic writes ----------------------------------------------------------------------------------------


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


def test_a_failing_writer_leaves_the_old_file_and_no_temp(golden, tmp_path, monkeypatch):
    project, _ = golden
    out = tmp_path / "sheet.md"
    out.write_text("the previous export\n")

    def broken(sheet):
        raise RuntimeError("template exploded")

    monkeypatch.setattr(claimdesk.export.markdown, "markdown_text", broken)
    with pytest.raises(ExportError, match="could not build the md export: template exploded"):
        export_project(project, "md", out, now=NOW)
    assert out.read_text() == "the previous export\n"
    assert _leftovers(tmp_path) == []


def test_a_failure_while_writing_removes_the_temp(tmp_path, monkeypatch):
    out = tmp_path / "sheet.html"
    out.write_bytes(b"old")

    def no_space(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", no_space)
    with pytest.raises(ExportError, match=r"cannot write .*sheet.html: No space left on device"):
        write_atomic(out, b"new" * 1000)
    assert out.read_bytes() == b"old" and _leftovers(tmp_path) == []


def test_write_atomic_replaces_and_keeps_a_normal_mode(tmp_path):
    out = tmp_path / "new.csv"
    write_atomic(out, b"a,b\r\n")
    assert out.read_bytes() == b"a,b\r\n"
    mode = stat.S_IMODE(out.stat().st_mode)
    assert mode & 0o444 == 0o444 & ~_umask()  # readable like any new file, not mkstemp's 0600
    os.chmod(out, 0o640)
    write_atomic(out, b"c\r\n")
    assert out.read_bytes() == b"c\r\n" and stat.S_IMODE(out.stat().st_mode) == 0o640


def _umask() -> int:
    old = os.umask(0)
    os.umask(old)
    return old


@pytest.mark.parametrize("target, message", [
    ("missing-folder/out.html", "the folder .*missing-folder does not exist"),
    ("a-file.txt/out.html", "a-file.txt is not a folder"),
    (".", "is a folder; give a file name"),
])
def test_bad_output_paths(golden, tmp_path, target, message):
    project, _ = golden
    (tmp_path / "a-file.txt").write_text("x")
    before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(ExportError, match=message):
        export_project(project, "html", tmp_path / target, now=NOW)
    assert sorted(p.name for p in tmp_path.iterdir()) == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to read-only folders")
def test_read_only_folder(golden, tmp_path):
    project, _ = golden
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(ExportError, match="cannot write .*Permission denied"):
            export_project(project, "md", folder / "out.md", now=NOW)
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


def test_unwritable_place(golden):
    """Even root cannot create files in /proc: the error is one message, not a traceback."""
    project, _ = golden
    with pytest.raises(ExportError, match="cannot write /proc/claimdesk-sheet.md"):
        export_project(project, "md", "/proc/claimdesk-sheet.md", now=NOW)


def test_the_project_file_is_never_overwritten(golden):
    project, _ = golden
    before = project.path.read_bytes()
    for target in (project.path, Path(f"{project.path}-wal")):
        with pytest.raises(ExportError, match="that is the project file itself"):
            export_project(project, "json", target, now=NOW)
    assert project.path.read_bytes() == before


def test_unknown_format(golden, tmp_path):
    project, _ = golden
    with pytest.raises(ExportError, match="unknown format 'docx'"):
        export_project(project, "docx", tmp_path / "x.docx")
    assert list(tmp_path.glob("x.*")) == []


# -- Qt only in the PDF writer ------------------------------------------------------------------------------

def test_every_format_but_pdf_works_without_qt(golden_file, tmp_path, qt_blocker):
    src, _ = golden_file
    code = qt_blocker + f"""
import datetime, pathlib
from claimdesk.export import FORMATS, ExportError, export_project
from claimdesk.storage.project import Project
now = datetime.datetime(2024, 2, 28, 12, tzinfo=datetime.timezone.utc)
out = pathlib.Path({str(tmp_path)!r})
with Project({str(src)!r}, create=False) as project:
    for fmt in FORMATS:
        if fmt != "pdf":
            export_project(project, fmt, out / ("sheet." + fmt), now=now)
    try:
        export_project(project, "pdf", out / "sheet.pdf", now=now)
    except ExportError as exc:
        print("PDF:", exc)
assert not [m for m in sys.modules if m.startswith(("PySide6", "shiboken6"))]
"""
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("PDF: PDF export needs Qt (PySide6), which cannot be loaded here")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"sheet.{f}" for f in FORMATS if f != "pdf")


def test_pdf_outside_the_window_leaves_a_usable_widgets_application(golden_file, tmp_path):
    """The PDF writer starts Qt itself when no window runs; windows opened later must still work."""
    src, _ = golden_file
    code = f"""
import datetime, os
os.environ.pop("QT_QPA_PLATFORM", None)
from claimdesk.export import export_project
from claimdesk.storage.project import Project
with Project({str(src)!r}, create=False) as project:
    export_project(project, "pdf", {str(tmp_path / "s.pdf")!r})
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication.instance()
assert isinstance(app, QApplication) and app.platformName() == "offscreen", app
label = QLabel("still fine")
label.show()
print("ok")
"""
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", proc.stderr


def test_pdf_from_a_worker_thread(golden_file, tmp_path, qapp):
    """The window exports in a background QThread, with its own connection to the project."""
    from PySide6.QtCore import QThread

    from claimdesk.storage.project import Project

    src, _ = golden_file
    result: dict[str, object] = {}

    class Job(QThread):
        def run(self):
            try:
                with Project(src, create=False) as project:
                    result["out"] = export_project(project, "pdf", tmp_path / "thread.pdf", now=NOW)
            except Exception as exc:  # reported below, in the test's thread
                result["error"] = exc

    job = Job()
    job.start()
    assert job.wait(120_000)
    assert "error" not in result, result
    assert (tmp_path / "thread.pdf").read_bytes().startswith(b"%PDF-")


# -- issue 16, finding 6: JSON that may be pasted into a <script> element -------------------------------


@pytest.mark.parametrize("fmt", ["claimreview", "annotations", "json"])
def test_json_outputs_are_safe_inside_a_script_element(tmp_path, fmt):
    hostile = "The firm paid $5 million </script><script>alert(1)</script> & <!-- more --> to it."
    project, (a, b) = new_project(tmp_path / "p.claimdesk", hostile, "Another said $6 million for it.",
                                  story="</script><script>alert(2)</script>")
    cid = add_claim(project, a, hostile, values=[dict(phrase="$5 million", type="money", amount=5e6, unit="USD",
                                                      attribute="pay")])
    ReviewService(project, actor="</script>").confirm(cid)
    raw = render(project, fmt, now=NOW).decode("utf-8")
    project.close()
    page = f'<script type="application/ld+json">{raw}</script>'
    # A browser ends the element at the first "</script" (any case): only ours may be there.
    assert page.lower().count("</script") == 1
    assert "<" not in raw and ">" not in raw and "&" not in raw
    doc = json.loads(raw)  # the same data to a JSON reader
    assert hostile in list(_strings(doc)) or any(hostile in s for s in _strings(doc))


# -- issue 16, finding 5: exports replace only regular files ----------------------------------------------


def test_export_never_replaces_a_fifo_or_a_device(golden, tmp_path):
    project, _ = golden
    fifo = tmp_path / "pipe.html"
    os.mkfifo(fifo)
    with pytest.raises(ExportError, match="FIFO"):
        export_project(project, "html", fifo, now=NOW)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    with pytest.raises(ExportError, match="device"):
        write_atomic(Path("/dev/null"), b"x")
    assert stat.S_ISCHR(os.lstat("/dev/null").st_mode)
    assert _leftovers(tmp_path) == [] and not list(Path("/dev").glob(".null.*.part"))


def test_export_never_replaces_a_link_to_a_stream(golden, tmp_path):
    project, _ = golden
    link = tmp_path / "out.md"
    os.symlink("/proc/self/fd/1", link)
    with pytest.raises(ExportError, match="cannot write"):
        export_project(project, "md", link, now=NOW)
    assert os.path.islink(link) and os.readlink(link) == "/proc/self/fd/1"
    assert _leftovers(tmp_path) == []


def test_export_through_a_link_to_a_regular_file_replaces_the_file(golden, tmp_path):
    project, _ = golden
    real = tmp_path / "real.md"
    real.write_text("old")
    link = tmp_path / "link.md"
    os.symlink(real, link)
    export_project(project, "md", link, now=NOW)
    assert os.path.islink(link) and real.read_text().startswith("#")


# -- issue 16, finding 11: the PDF of a project with many open conflicts ---------------------------------


def test_the_pdf_sheet_draws_open_conflicts_without_a_table_each(tmp_path):
    """Qt lays out each table in ~5 ms and setHtml grows faster than linearly with their number; a
    330-claim project with thousands of pairwise conflicts took 44 s. The PDF's HTML has a fixed number
    of tables, however many conflicts there are; the browser's HTML keeps its cards."""
    from claimdesk.export.html import html_text
    from claimdesk.export.sheet import build_sheet

    text = " ".join(f"Acme said it raised ${n} million in 2023." for n in range(1, 41))
    project, (a, b) = new_project(tmp_path / "p.claimdesk", text, text.replace("million", "billion"))
    claims = {}
    for art in (a, b):
        body = project.article(art).text
        for n in range(1, 41):
            unit = "million" if art == a else "billion"
            phrase = f"Acme said it raised ${n} {unit} in 2023."
            if phrase in body:
                claims[(art, n)] = add_claim(project, art, phrase, values=[dict(
                    phrase=f"${n} {unit}", type="money", amount=n * (1e6 if art == a else 1e9), unit="USD",
                    attribute="funds_raised")])
    counts = []
    for n_links in (10, 40):
        for n in range(1, n_links + 1):
            if (a, n) in claims and (b, n) in claims and not project.links(claims[(a, n)]):
                add_link(project, claims[(a, n)], claims[(b, n)], CONFLICT)
        sheet = build_sheet(project, now=NOW)
        qt_html, web_html = html_text(sheet, qt=True), html_text(sheet)
        assert qt_html.count("OPEN CONFLICT") == n_links
        counts.append(qt_html.count("<table"))
        assert web_html.count("<table") >= n_links  # the browser's sheet keeps one card per conflict
    assert counts[0] == counts[1]
    pdf = render(project, "pdf", now=NOW)
    assert pdf.startswith(b"%PDF-")
    project.close()
