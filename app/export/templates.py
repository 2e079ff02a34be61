"""Jinja2 environments for the fact sheet templates in ``resources/templates``.

HTML templates are rendered with autoescape on: every piece of article text is
escaped, so markup in an article stays inert text. Markdown has no such
switch, so its template pipes every untrusted string through the ``md`` filter.
"""

from __future__ import annotations

import functools
import re

import jinja2

from claimdesk.paths import resource

# Characters that start Markdown (or inline HTML) syntax anywhere in a line; a
# backslash makes each literal (CommonMark: any ASCII punctuation can be escaped).
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")
# ... and those that only matter at the start of a line (headings, lists, quotes).
_MD_LINE_START = re.compile(r"^([#+=>-]|\d+(?=[.)]))")


def md_escape(value: object) -> str:
    """Untrusted text as literal Markdown on one line (CommonMark backslash escapes)."""
    if value is None:
        return ""
    text = " ".join(str(value).split())
    text = _MD_SPECIAL.sub(r"\\\1", text)
    m = _MD_LINE_START.match(text)
    if m and m.group(1)[0].isdigit():  # "1. x" would become a numbered list item
        text = text[: m.end()] + "\\" + text[m.end() :]
    elif m:  # "- x", "# x", "> x" would become a list item, a heading, a quote
        text = "\\" + text
    return text


def md_code(value: object) -> str:
    """Untrusted text inside an inline code span (paths), with a long-enough fence."""
    text = " ".join(str(value or "").split())
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


@functools.lru_cache(maxsize=None)
def environment(kind: str) -> jinja2.Environment:
    """``kind`` is "html" (autoescape on) or "text" (Markdown)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(resource("templates"))),
        autoescape=(kind == "html"),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = md_escape
    env.filters["mdcode"] = md_code
    env.filters["plural"] = plural
    return env


def render_template(kind: str, name: str, **context: object) -> str:
    try:
        template = environment(kind).get_template(name)
    except jinja2.TemplateNotFound:
        raise FileNotFoundError(f"the template {name} is missing from {resource('templates')}") from None
    return template.render(**context)
