"""The fact sheet as Markdown (CommonMark with a GitHub-style table)."""

from __future__ import annotations

import datetime as _dt
import re

from claimdesk.export.sheet import RATING_EXPLANATIONS, FactSheet, build_sheet
from claimdesk.export.templates import render_template


def markdown_text(sheet: FactSheet) -> str:
    text = render_template("text", "fact-sheet.md.j2", sheet=sheet, explanations=RATING_EXPLANATIONS)
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def render_markdown(project, *, now: _dt.datetime) -> bytes:
    return markdown_text(build_sheet(project, now=now)).encode("utf-8")
