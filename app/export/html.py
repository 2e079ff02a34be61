"""The fact sheet as one self-contained HTML file: inline CSS, a print style, no scripts.

The template is rendered with Jinja2's autoescape on, so an article containing
``<script>`` or an ``onerror`` attribute appears as text; links are made only
from http(s) URLs, and a Content-Security-Policy forbids scripts and remote
loads in case anything slipped through.
"""

from __future__ import annotations

import datetime as _dt

from claimdesk.export.sheet import RATING_EXPLANATIONS, FactSheet, build_sheet
from claimdesk.export.templates import render_template


def html_text(sheet: FactSheet, *, qt: bool = False) -> str:
    """The sheet as HTML; ``qt=True`` leaves out what Qt's rich-text engine cannot use (for the PDF)."""
    return render_template("html", "fact-sheet.html.j2", sheet=sheet, explanations=RATING_EXPLANATIONS, qt=qt)


def render_html(project, *, now: _dt.datetime) -> bytes:
    return html_text(build_sheet(project, now=now)).encode("utf-8")
