"""Every import format, metadata from what the file carries, and bad input."""

from pathlib import Path

import docx
import pytest

from claimdesk.core.importer import ImportProblem, read_article

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
    assert a.text == "Port strike ends\n\nDockers returned after 9 days."


MARKDOWN_ARTICLE = """\
# Microsoft **invests** in Mistral

Microsoft will invest **€15 million** in [Mistral AI](https://mistral.ai "Mistral"), the
*French* start-up said on Monday.

## What the deal covers

- Access to `Azure` supercomputers
- A stake worth __about $16 million__, sources said

1. First step
2. Second step

> "We are proud," said Arthur Mensch.

```
raw = 42 * 2
```

| Year | Revenue |
|------|---------|
| 2023 | $10m |

<script>var tracking = 1;</script>

<div class="credit">Photo: <b>Reuters</b></div>

![A photo of the office](office.jpg)
Read the [full statement][st].

[st]: https://example.org/statement
"""


def test_markdown_becomes_plain_text_with_its_paragraphs(tmp_path):
    p = tmp_path / "mistral.md"
    p.write_text(MARKDOWN_ARTICLE, encoding="utf-8")
    a = read_article(p)
    assert a.title == "Microsoft invests in Mistral"
    assert a.text.split("\n\n") == [
        "Microsoft invests in Mistral",
        "Microsoft will invest €15 million in Mistral AI, the French start-up said on Monday.",
        "What the deal covers",
        "Access to Azure supercomputers",
        "A stake worth about $16 million, sources said",
        "First step",
        "Second step",
        '"We are proud," said Arthur Mensch.',
        "raw = 42 * 2",
        "Year\tRevenue\n2023\t$10m",
        "Photo: Reuters",
        "Read the full statement.",
    ]
    for markup in ("**", "__", "`", "](", "https://", "# ", "- ", "> ", "|", "![", "office.jpg", "[st]", "<", "tracking"):
        assert markup not in a.text, markup


def test_markdown_claims_quote_the_plain_text_they_point_into(tmp_path):
    """Through the real pipeline and project file: the claim with the euro figure has no asterisks,
    and every claim's and value's offsets cut its own words out of the stored plain text."""
    from claimdesk.services.pipeline import import_paths
    from claimdesk.storage.project import Project

    p = tmp_path / "mistral.md"
    p.write_text(MARKDOWN_ARTICLE, encoding="utf-8")
    with Project(tmp_path / "p.claimdesk") as project:
        (result,) = import_paths(project, [p])
        assert result.error is None
        article = project.article(result.article_id)
        claims = project.claims()
        assert claims
        for c in claims:
            assert "**" not in c.text and "](" not in c.text
            assert article.text[c.start:c.end] == c.text
            for v in c.values:
                assert article.text[v.start:v.end] == v.text
        euro = [v for c in claims for v in c.values if v.type == "money" and v.unit == "EUR"]
        assert [(v.text, v.amount) for v in euro] == [("€15 million", 15_000_000)]


def test_markdown_escapes_and_entities_are_read_as_text(tmp_path):
    p = tmp_path / "a.md"
    p.write_text("Profits rose 5\\* &amp; costs fell 3%.\nSame paragraph,\nwrapped.\n", encoding="utf-8")
    assert read_article(p).text == "Profits rose 5* & costs fell 3%. Same paragraph, wrapped."


def test_a_txt_file_is_not_read_as_markdown(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("Sales hit **€15 million** in 2023.\n", encoding="utf-8")
    assert read_article(p).text == "Sales hit **€15 million** in 2023."


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


def test_a_docx_creation_date_is_not_its_publication_date(tmp_path):
    """Word stamps "created" when the file is made (or the template was): it says nothing of when the
    article was published. A date line the article itself carries is read as usual."""
    import datetime as dt

    d = docx.Document()
    d.core_properties.created = dt.datetime(2019, 4, 1, 9, 30)
    d.add_paragraph("The council approved a budget of €12 million.")
    p = tmp_path / "created.docx"
    d.save(p)
    assert docx.Document(p).core_properties.created.year == 2019  # the file really carries the date
    assert read_article(p).published is None

    d = docx.Document()
    d.core_properties.created = dt.datetime(2019, 4, 1, 9, 30)
    d.add_paragraph("Date: 2024-03-05")
    d.add_paragraph("The council approved a budget of €12 million.")
    p = tmp_path / "dated.docx"
    d.save(p)
    a = read_article(p)
    assert a.published == "2024-03-05"
    assert a.text == "The council approved a budget of €12 million."


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\n ", "empty"),
        ("photo.txt", bytes(range(256)) * 20, "binary"),
        ("fake.docx", b"this is not a zip", "not a Word document"),
        ("sheet.xlsx", b"PK\x03\x04....", "unsupported file type"),
        ("quotes.md", b"> " * 5000 + b"The toll rose to 12.", "Markdown nested too deep"),
        ("lists.md", "\n".join("  " * i + "- 12 people" for i in range(500)).encode(), "Markdown nested too deep"),
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
