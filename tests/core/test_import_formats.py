"""Every import format, metadata from what the file carries, and bad input."""

from pathlib import Path

import docx
import pytest

from app.core.importer import ImportProblem, read_article

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples" / "mistral-2024"


def test_txt_with_date_header_on_the_first_line():
    a = read_article(SAMPLES / "001_96fc289b3be4e5e8.txt")
    assert a.published == "2024-02-26"
    assert a.text.startswith("Microsoft now has a multi-year partnership")
    assert "date 2024" not in a.text
    assert a.language == "en"


def test_txt_headline_becomes_the_title(tmp_path):
    p = tmp_path / "flood.txt"
    p.write_text("River bursts its banks\n\nThe river rose 2 metres overnight, police said.\n")
    a = read_article(p)
    assert a.title == "River bursts its banks"
    assert a.text.startswith("River bursts its banks\n\nThe river rose")


def test_header_lines_and_windows_line_endings(tmp_path):
    p = tmp_path / "a.txt"
    p.write_bytes(b"Title: Budget approved\r\nOutlet: The Courier\r\nDate: 2023-05-04\r\n\r\nThe budget is \xe2\x82\xac5m.\r\n")
    a = read_article(p)
    assert (a.title, a.outlet, a.published) == ("Budget approved", "The Courier", "2023-05-04")
    assert a.text == "The budget is €5m."


def test_latin1_text_is_detected(tmp_path):
    p = tmp_path / "fr.txt"
    p.write_bytes("Le conseil a voté un budget de 12 millions d'euros pour la rénovation du théâtre municipal, "
                  "a précisé la mairie. Les travaux débuteront en été.".encode("latin-1"))
    a = read_article(p)
    assert "rénovation" in a.text and "théâtre" in a.text
    assert a.language == "fr"


def test_markdown_front_matter(tmp_path):
    p = tmp_path / "a.md"
    p.write_text("---\ntitle: Port strike ends\ndate: 2022-11-02\nurl: https://example.org/port\n---\n"
                 "# Port strike ends\n\nDockers returned after 9 days.\n")
    a = read_article(p)
    assert (a.title, a.published, a.url) == ("Port strike ends", "2022-11-02", "https://example.org/port")
    assert a.text.startswith("# Port strike ends")


def test_html_main_text_without_scripts_or_navigation(tmp_path):
    p = tmp_path / "a.html"
    p.write_text(
        "<html><head><title>Dam plans - The Herald</title>"
        '<meta property="og:site_name" content="The Herald">'
        '<meta property="article:published_time" content="2021-03-09T10:00:00Z"></head>'
        "<body><nav><a href='/'>Home</a> | <a href='/news'>News</a></nav>"
        "<script>var tracking = 'secret';</script>"
        "<article><h1>Dam plans approved</h1>"
        "<p>The regional council approved a €230 million dam on Tuesday, its president said.</p>"
        "<p>Construction will take four years and employ about 600 people, the council added.</p>"
        "</article><footer>© The Herald</footer></body></html>",
        encoding="utf-8",
    )
    a = read_article(p)
    assert "€230 million dam" in a.text and "about 600 people" in a.text
    assert "tracking" not in a.text and "Home" not in a.text
    assert a.outlet == "The Herald"
    assert a.published == "2021-03-09"


def test_docx(tmp_path):
    d = docx.Document()
    d.core_properties.title = "Factory to close"
    d.add_paragraph("The factory will close in June, cutting 350 jobs.")
    d.add_paragraph("The owner said demand fell 30% last year.")
    p = tmp_path / "a.docx"
    d.save(p)
    a = read_article(p)
    assert a.title == "Factory to close"
    assert a.text == "The factory will close in June, cutting 350 jobs.\n\nThe owner said demand fell 30% last year."


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\n ", "empty"),
        ("photo.txt", bytes(range(256)) * 20, "binary"),
        ("fake.docx", b"this is not a zip", "not a Word document"),
        ("sheet.xlsx", b"PK\x03\x04....", "unsupported file type"),
    ],
)
def test_bad_input_names_the_reason(tmp_path, name, content, reason):
    p = tmp_path / name
    p.write_bytes(content)
    with pytest.raises(ImportProblem, match=reason):
        read_article(p)


def test_missing_and_oversized_files(tmp_path):
    with pytest.raises(ImportProblem, match="no such file"):
        read_article(tmp_path / "nope.txt")
    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:
        fh.truncate(21 * 1024 * 1024)
    with pytest.raises(ImportProblem, match="too large"):
        read_article(big)
