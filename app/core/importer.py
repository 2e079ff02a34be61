"""Read article files into :class:`~claimdesk.core.model.Article` values.

Supported: ``.txt``, ``.md`` (rendered to plain text through markdown-it-py),
``.html``/``.htm`` (main text through trafilatura) and ``.docx`` (python-docx).
Files that are not UTF-8 are decoded with the encoding charset-normalizer detects. The text returned is exactly what the
reviewer will see; every offset in the project refers to it.

Bad input raises :class:`ImportProblem` with a one-line reason; the caller
reports it and carries on with the rest of the batch. Hostile input is
bounded: a line longer than :data:`MAX_LINE` characters is broken at sentence
ends (the NLP reads one paragraph at a time), runs of combining marks are put
in Unicode's stream-safe form before normalising (which is otherwise
quadratic in the run's length), and HTML the parser cannot read whole (nested
deeper than it allows) is refused instead of being read in part.
"""

from __future__ import annotations

import datetime as _dt
import functools
import hashlib
import io
import os
import re
import stat
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from claimdesk.core.model import Article

MAX_BYTES = 20 * 1024 * 1024
#: Most a .docx may unpack to (all its parts together): a zip bomb is refused before it is read.
MAX_UNPACKED = 60 * 1024 * 1024
#: Most characters of text one article may have, whatever its format.
MAX_TEXT_CHARS = 20 * 1024 * 1024
#: Longest line (paragraph) kept as it is; longer ones are broken at a sentence end.
MAX_LINE = 10_000
#: Metadata header lines longer than this are text, not a header.
MAX_HEADER_LINE = 300
TEXT_SUFFIXES = {".txt", ".text", ""}
MARKDOWN_SUFFIXES = {".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
DOCX_SUFFIXES = {".docx"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | MARKDOWN_SUFFIXES | HTML_SUFFIXES | DOCX_SUFFIXES


class ImportProblem(Exception):
    """A file that cannot become an article; ``str()`` is the reason, for a person."""


@dataclass
class ImportResult:
    path: str
    article_id: int | None = None
    created: bool = False
    error: str | None = None
    title: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# -- decoding ------------------------------------------------------------------


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        # UTF-16/32 text has NULs too; let the BOM speak for it.
        return not sample.startswith((b"\xff\xfe", b"\xfe\xff"))
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls > len(sample) * 0.05


def _utf16_without_bom(data: bytes) -> str | None:
    """The codec of UTF-16 text that lacks its byte-order mark (every other byte NUL), or None."""
    sample = data[:8192]
    if len(sample) < 8 or len(sample) % 2:
        return None
    even, odd = sample[0::2], sample[1::2]
    share_even, share_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    if share_odd > 0.3 and share_even < 0.02:
        return "utf-16-le"
    if share_even > 0.3 and share_odd < 0.02:
        return "utf-16-be"
    return None


def decode_bytes(data: bytes, name: str = "file") -> str:
    """Decode text bytes: UTF-8 (with or without BOM) first, else detect the charset."""
    codec = _utf16_without_bom(data) if not data.startswith((b"\xff\xfe", b"\xfe\xff")) else None
    if codec is not None:
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            raise ImportProblem(f"looks like {codec} text without a byte-order mark, but is not valid {codec}") from None
    if _looks_binary(data):
        raise ImportProblem("binary file, not text")
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                raise ImportProblem(f"declares {codec} but is not valid {codec}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ImportProblem("unknown text encoding (not UTF-8, and no other encoding fits)")
    return str(best)


# Characters that end a line besides \n (vertical tab, form feed, file/group/record
# separators, NEL, line and paragraph separators): each becomes one \n.
_LINE_BREAKS = {c: "\n" for c in (0x0B, 0x0C, 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029)}
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_CGJ = "\u034f"  # combining grapheme joiner: Unicode's mark for the stream-safe text format
_STREAM_SAFE_RUN = 30


@functools.lru_cache(maxsize=1)
def _non_starters() -> re.Pattern:
    """Runs of more than 30 characters with a non-zero combining class (UAX #15 stream-safe format)."""
    ranges: list[tuple[int, int]] = []
    for cp in range(0x110000):
        if unicodedata.combining(chr(cp)):
            if ranges and ranges[-1][1] == cp - 1:
                ranges[-1] = (ranges[-1][0], cp)
            else:
                ranges.append((cp, cp))
    cls = "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)
    return re.compile(f"[{cls}]{{{_STREAM_SAFE_RUN + 1},}}")


def _stream_safe(text: str) -> str:
    """Put a CGJ after every 30 combining marks in a row, so that normalising stays linear."""
    def split(m: re.Match) -> str:
        run = m.group()
        return _CGJ.join(run[i:i + _STREAM_SAFE_RUN] for i in range(0, len(run), _STREAM_SAFE_RUN))

    return _non_starters().sub(split, text)


_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*[ \t]")


def break_long_lines(text: str, limit: int = MAX_LINE) -> str:
    """Break every line longer than ``limit`` at its last sentence end (else its last space) before the limit.

    The space at the break becomes the line break, so nothing else moves; a
    line without any space is cut at the limit.
    """
    if len(text) <= limit or all(len(line) <= limit for line in text.split("\n")):
        return text
    out: list[str] = []
    for line in text.split("\n"):
        while len(line) > limit:
            window = line[:limit + 1]
            cut = -1
            for m in _SENTENCE_END.finditer(window, limit // 4):
                cut = m.end() - 1
            if cut < 0:
                cut = max(window.rfind(" ", limit // 4), window.rfind("\t", limit // 4))
            if cut > 0:
                out.append(line[:cut])
                line = line[cut + 1:]
            else:
                out.append(line[:limit])
                line = line[limit:]
        out.append(line)
    return "\n".join(out)


def normalise_text(text: str) -> str:
    """Line endings to ``\\n``, NFC, no NUL or other control characters, no trailing blanks,
    no line longer than :data:`MAX_LINE`."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_LINE_BREAKS)
    text = _CONTROLS.sub("", text)
    text = unicodedata.normalize("NFC", _stream_safe(text))
    return break_long_lines(text.strip()).strip()


# -- metadata from plain text -----------------------------------------------------

_HEADER_KEYS = {
    "date": "published",
    "published": "published",
    "title": "title",
    "headline": "title",
    "outlet": "outlet",
    "source": "outlet",
    "publication": "outlet",
    "url": "url",
    "link": "url",
    "language": "language",
    "lang": "language",
}
# "date 2024-02-26 Text..." (the text may go on on the same line) or "Title: Something"
_INLINE_DATE = re.compile(r"^[ \t]*(?:date|published)[ \t]*:?[ \t]+(\d{4}-\d{2}-\d{2})\b[ \t]*\n?", re.I)
_HEADER_LINE = re.compile(r"^[ \t]*([A-Za-z]+)[ \t]*:[ \t]*(\S.*?)[ \t]*$")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.S)


def _valid_date(value: str) -> str | None:
    """An ISO date from a metadata value, or None when it is not a date."""
    value = value.strip()
    m = re.match(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})", value)
    if m:
        try:
            return _dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        except ValueError:
            return None
    for fmt in ("%d %B %Y", "%B %d, %Y", "%d %b %Y", "%b %d, %Y"):
        try:
            return _dt.datetime.strptime(value, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def _take_header(text: str, meta: dict[str, str]) -> str:
    """Strip a metadata header from the top of a text and fill ``meta``."""
    m = _FRONT_MATTER.match(text)
    if m:
        for line in m.group(1).splitlines():
            hm = _HEADER_LINE.match(line) if len(line) <= MAX_HEADER_LINE else None
            if hm and hm.group(1).lower() in _HEADER_KEYS:
                meta.setdefault(_HEADER_KEYS[hm.group(1).lower()], hm.group(2).strip("\"'"))
        text = text[m.end():]
    while True:
        m = _INLINE_DATE.match(text)
        if m:
            meta.setdefault("published", m.group(1))
            text = text[m.end():]
            continue
        line, sep, rest = text.partition("\n")
        # the length test first: on a long line the pattern backtracks quadratically
        hm = _HEADER_LINE.match(line) if len(line) <= MAX_HEADER_LINE else None
        if hm and hm.group(1).lower() in _HEADER_KEYS:
            meta.setdefault(_HEADER_KEYS[hm.group(1).lower()], hm.group(2))
            text = rest
            continue
        return text


def _headline(text: str) -> str | None:
    first, _, rest = text.lstrip().partition("\n")
    first = first.strip().lstrip("#").strip()
    if not first:
        return None
    if len(first) <= 150 and not first.endswith((".", "?", "!", ":", ";", ",")):
        return first
    # No headline line: use the opening words.
    words = first.split()
    short = " ".join(words[:14])
    return short + ("…" if len(words) > 14 else "")


_STOPWORDS = {
    "en": {"the", "and", "of", "to", "in", "is", "that", "for", "with", "was", "on", "said"},
    "fr": {"le", "la", "les", "et", "des", "est", "une", "dans", "pour", "que", "du", "sur"},
    "de": {"der", "die", "und", "das", "ist", "nicht", "mit", "sich", "auf", "für", "ein", "dem"},
    "es": {"el", "los", "las", "y", "que", "del", "una", "por", "con", "para", "es", "se"},
}


def guess_language(text: str) -> str | None:
    words = re.findall(r"[a-zà-ÿ]+", text[:20000].lower())
    if len(words) < 5:
        return None
    scores = {lang: sum(w in sw for w in words) for lang, sw in _STOPWORDS.items()}
    lang, best = max(scores.items(), key=lambda kv: kv[1])
    return lang if best >= max(2, len(words) * 0.03) else None


# -- formats ---------------------------------------------------------------------


def _check_html_limits(html: str) -> None:
    """Refuse HTML that lxml (under trafilatura) would read only in part.

    libxml2 stops at 256 levels of nesting and at 10 MB text nodes and goes on
    with what it has read: the rest of the article would vanish without a word.
    """
    from lxml import etree
    from lxml import html as lxml_html

    parser = lxml_html.HTMLParser(collect_ids=False, remove_comments=True, remove_pis=True, encoding="utf-8")
    try:
        lxml_html.document_fromstring(html.encode("utf-8", "surrogatepass"), parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return  # nothing readable: trafilatura says so
    for entry in parser.error_log:
        if entry.type_name == "ERR_RESOURCE_LIMIT" or "Excessive depth" in entry.message:
            if "depth" in entry.message:
                raise ImportProblem(
                    "the HTML is nested too deeply to read whole (more than 255 levels); "
                    "save the article as text and import that"
                )
            raise ImportProblem(f"the HTML is too large to read whole ({entry.message.strip()})")


def _from_html(data: bytes) -> tuple[str, dict[str, str]]:
    import trafilatura

    html = decode_bytes(data)
    _check_html_limits(html)
    doc = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=True, favor_precision=True
    )
    if doc is None or not (doc.text or "").strip():
        raise ImportProblem("no article text found in the HTML")
    paragraphs = [p.strip() for p in doc.text.split("\n") if p.strip()]
    meta = {
        "title": doc.title,
        "outlet": doc.sitename or doc.hostname,
        "published": doc.date,
        "url": doc.url,
        "language": doc.language,
    }
    return "\n\n".join(paragraphs), {k: v for k, v in meta.items() if v}


#: Deepest nesting of Markdown blocks read (each quote level counts one, each list level two).
MAX_MARKDOWN_NESTING = 40


@functools.lru_cache(maxsize=1)
def _markdown_parser():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"maxNesting": MAX_MARKDOWN_NESTING}).enable(["table", "strikethrough"])


_TAG = re.compile(r"<[^>]*>")
_SCRIPT = re.compile(r"\s*<(script|style)\b", re.I)


def markdown_to_text(source: str) -> str:
    """Markdown as the plain text a reader sees: no ``**``, ``#``, list markers, link targets or
    backticks; one paragraph per heading, paragraph (in a list item or a quote too), code block or
    table, separated by a blank line. A paragraph's own line wrapping becomes spaces.

    Images and raw HTML tags are left out (an HTML block keeps its text, a script or style block
    nothing); a table keeps one line per row, its cells separated by a tab.
    """
    tokens = _markdown_parser().parse(source)
    if tokens and max(t.level for t in tokens) >= MAX_MARKDOWN_NESTING - 1:
        # markdown-it drops whatever lies deeper than its nesting limit: refused, never read in part
        raise ImportProblem("Markdown nested too deep to be read whole (quotes within quotes or lists within "
                            "lists); it was not read")
    blocks: list[str] = []
    row: list[str] | None = None
    rows: list[str] = []
    for token in tokens:
        if token.type == "inline":
            text = _inline_text(token.children or [])
            if row is not None:
                row.append(text.strip())
            elif text.strip():
                blocks.append(text.strip())
        elif token.type in ("fence", "code_block"):
            if token.content.strip():
                blocks.append(token.content.strip("\n"))
        elif token.type == "html_block":
            text = "" if _SCRIPT.match(token.content) else _TAG.sub("", token.content).strip()
            if text:
                blocks.append(text)
        elif token.type == "tr_open":
            row = []
        elif token.type == "tr_close":
            rows.append("\t".join(row or []))
            row = None
        elif token.type == "table_close":
            blocks.append("\n".join(rows))
            rows = []
    return "\n\n".join(blocks)


def _inline_text(children) -> str:
    out = []
    for child in children:
        if child.type in ("text", "code_inline"):
            out.append(child.content)
        elif child.type == "softbreak":
            out.append(" ")
        elif child.type == "hardbreak":
            out.append("\n")
        # emphasis, link and strikethrough marks, images and inline HTML tags: left out
    return "".join(out)


def _check_zip_limits(data: bytes) -> None:
    """Refuse a .docx that would unpack to more than :data:`MAX_UNPACKED` bytes.

    The sizes are those the archive declares; Python's zipfile never returns
    more than the declared size of a member, so a lying header cannot get past.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise ImportProblem("damaged Word document (the zip archive cannot be read)") from None
    if len(members) > 10_000:
        raise ImportProblem(f"not a Word document as Word writes it ({len(members):,} parts in the archive)")
    unpacked = sum(max(m.file_size, 0) for m in members)
    if unpacked > MAX_UNPACKED:
        raise ImportProblem(
            f"the Word document unpacks to {unpacked / 1024 / 1024:,.0f} MB (the limit is "
            f"{MAX_UNPACKED // 1024 // 1024} MB); it was not read"
        )


def _from_docx(data: bytes) -> tuple[str, dict[str, str]]:
    import docx

    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ImportProblem("not a Word document (.docx files are zip archives)")
    _check_zip_limits(data)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds for broken packages
        raise ImportProblem(f"damaged Word document ({type(exc).__name__})") from None
    paragraphs, size = [], 0
    for p in document.paragraphs:
        text = p.text.strip()
        if text:
            size += len(text) + 2
            if size > MAX_TEXT_CHARS:
                raise ImportProblem(_too_much_text())
            paragraphs.append(text)
    props = document.core_properties
    # Not the publication date: core properties' "created" is when the file was made (often a
    # template's date, or the day someone pasted the article into Word), so it is not read as one.
    meta = {"title": props.title or None, "language": (props.language or None)}
    return "\n\n".join(paragraphs), {k: v for k, v in meta.items() if v}


def _too_much_text() -> str:
    return f"more than {MAX_TEXT_CHARS // 1024 // 1024} million characters of text; split the article"


def read_file_bytes(path: str | Path, limit: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, or ImportProblem.

    Devices (``/dev/zero``, ``/dev/urandom``), FIFOs and sockets are refused
    without reading them: they may never end. The file is opened without
    blocking (a FIFO with no writer would wait forever) and checked on the
    open descriptor, so it cannot be swapped for something else in between.
    """
    p = Path(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    try:
        if p.is_dir():
            raise ImportProblem("is a folder, not a file")
        fd = os.open(p, flags)
    except FileNotFoundError:
        raise ImportProblem("no such file") from None
    except PermissionError:
        raise ImportProblem("cannot be read (permission denied)") from None
    except OSError as exc:
        raise ImportProblem(f"cannot be read ({exc.strerror or exc})") from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise ImportProblem("is a folder, not a file")
        if not stat.S_ISREG(st.st_mode):
            kind = ("a FIFO (named pipe)" if stat.S_ISFIFO(st.st_mode) else "a socket" if stat.S_ISSOCK(st.st_mode)
                    else "a device" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode) else "not a file")
            raise ImportProblem(f"is {kind}, not a regular file; only files are read")
        if st.st_size > limit:
            raise ImportProblem(f"too large ({st.st_size / 1024 / 1024:.1f} MB; the limit is {limit // 1024 // 1024} MB)")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(limit + 1)
        if len(data) > limit:
            raise ImportProblem(f"too large (it grew past the limit of {limit // 1024 // 1024} MB while read)")
        return data
    except ImportProblem:
        raise
    except OSError as exc:
        raise ImportProblem(f"cannot be read ({exc.strerror or exc})") from None
    finally:
        os.close(fd)


def read_article(path: str | Path) -> Article:
    """Read one file into an unsaved Article, or raise ImportProblem."""
    p = Path(path)
    suffix = p.suffix.lower()
    data = read_file_bytes(p)
    if not data.strip():
        raise ImportProblem("empty file")
    if suffix not in SUPPORTED_SUFFIXES:
        raise ImportProblem(
            f"unsupported file type '{suffix}' (Claimdesk reads .txt, .md, .html and .docx)"
        )
    meta: dict[str, str] = {}
    if suffix in HTML_SUFFIXES:
        raw, meta = _from_html(data)
    elif suffix in DOCX_SUFFIXES:
        raw, meta = _from_docx(data)
    else:
        raw = decode_bytes(data)
        if suffix in TEXT_SUFFIXES and re.search(r"<(html|body|p|div)[\s>]", raw[:2000], re.I):
            raw, meta = _from_html(data)
    if len(raw) > MAX_TEXT_CHARS:
        raise ImportProblem(_too_much_text())
    text = normalise_text(raw)
    text = _take_header(text, meta).strip() if suffix not in HTML_SUFFIXES else text
    if suffix in MARKDOWN_SUFFIXES:
        text = markdown_to_text(text)
    text = normalise_text(text)
    if not text:
        raise ImportProblem("no text after removing the header")
    if suffix in MARKDOWN_SUFFIXES or suffix in TEXT_SUFFIXES:
        meta.setdefault("title", _headline(text) or p.stem)
    published = _valid_date(meta["published"]) if meta.get("published") else None
    return Article(
        text=text,
        title=(meta.get("title") or p.stem)[:300],
        outlet=meta.get("outlet"),
        url=meta.get("url"),
        published=published,
        language=meta.get("language") or guess_language(text),
        content_hash=content_hash(text),
        source_path=str(p),
    )


# -- datelines (issue 14) -------------------------------------------------------------------------
# A news dateline opening a paragraph: "WASHINGTON (AP) —", "Sept 9 (Reuters) -",
# "LONDON, Sept 9 (Reuters) -", "RABAT, September 9. /TASS/.", "KYIV, Ukraine (AP) —", "BERLIN —".
# The article text is kept as imported (claim offsets point into it); the suggester starts
# claims after the dateline, and place and agency are read from it when wanted.
_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
          r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_DL_DATE = rf"(?:{_MONTH}\s+\d{{1,2}}|\d{{1,2}}\s+{_MONTH})(?:,?\s+\d{{4}})?"
_DL_PLACE_CAPS = r"[A-Z][A-Z.'\-]+(?:\s+[A-Z][A-Z.'\-]+){0,3}"
_DL_PLACE = rf"{_DL_PLACE_CAPS}(?:,\s+[A-Z][A-Za-z.'\-]+(?:\s+[A-Z][A-Za-z.'\-]+){{0,2}})?"
_DL_AGENCY = r"\((?P<agency>[A-Z][A-Za-z.&' \-]{0,30}?)\)|/(?P<agency2>[A-Z][A-Za-z\-]{1,15})/\.?"
# Wire style with the place in title case, a date and an agency: "New Delhi [India], March 3 (ANI):"
_DL_PLACE_TC = r"[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2}(?:\s*\[[A-Z][A-Za-z ]{1,30}\])?"
_DL_DASH = r"\s*(?:[-\u2013\u2014]+|\.|:)\s*"
DATELINE = re.compile(
    rf"""^(?P<all>
      (?:(?P<place>{_DL_PLACE})(?:,\s*|\s+))?(?:(?P<date>{_DL_DATE})\.?\s*)?(?:{_DL_AGENCY})\s*(?:[-\u2013\u2014]+|\.|:)?\s*
    | (?P<place_only>{_DL_PLACE_CAPS})(?:,\s*(?P<date_only>{_DL_DATE}))?\s+[-\u2013\u2014]+\s+
    | (?P<place_tc>{_DL_PLACE_TC}),\s*(?P<date_tc>{_DL_DATE})\.?\s*\((?P<agency3>[A-Z][A-Za-z.&' \-]{{0,30}}?)\)\s*(?:[-\u2013\u2014]+|:)\s*
    )""",
    re.VERBOSE,
)


@dataclass(frozen=True)
class Dateline:
    place: str | None = None
    agency: str | None = None
    date: str | None = None
    start: int = 0
    end: int = 0  # offset in the article text where the story proper starts

    def __bool__(self) -> bool:
        return self.end > self.start

    def as_dict(self) -> dict | None:
        if not self:
            return None
        return {"place": self.place, "agency": self.agency, "date": self.date, "start": self.start, "end": self.end}


def split_dateline(text: str, paragraphs: int = 3) -> Dateline:
    """The dateline opening one of the first paragraphs of ``text``, or an empty Dateline."""
    offset = 0
    for line in (text or "").split("\n")[: paragraphs + 1]:
        lead = len(line) - len(line.lstrip())
        m = DATELINE.match(line[lead:])
        if m and len(m.group("all")) <= len(line) - lead:
            place = m.group("place") or m.group("place_only") or m.group("place_tc")
            agency = m.group("agency") or m.group("agency2") or m.group("agency3")
            date = m.group("date") or m.group("date_only") or m.group("date_tc")
            start = offset + lead
            return Dateline(place.strip() if place else None, agency.strip() if agency else None,
                            date, start, start + len(m.group("all")))
        offset += len(line) + 1
    return Dateline()
