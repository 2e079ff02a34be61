"""Who reviews: the initials each reviewer gave, kept in the project file beside their name.

A reviewer's name and optional initials live in the user's own settings (the
window asks on first start). Every event carries the name (``events.actor``);
the initials go into the project's ``settings`` table as one JSON object
``{"name": "initials"}`` under :data:`INITIALS_KEY`, so that they travel with
the file: a merged file lists each reviewer's decisions with the initials
that reviewer gave. Nothing here needs Qt.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from claimdesk.core.ports import Repository as Project  # any project store (storage implements it)

INITIALS_KEY = "reviewer_initials"
MAX_INITIALS = 8


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())[:MAX_INITIALS]
    return value or None


def parse_initials(text: str | None) -> dict[str, str]:
    """The stored map, or {} for nothing or anything malformed (a hand-edited file never breaks a listing)."""
    if not text:
        return {}
    try:
        data = json.loads(text)
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    out = {}
    for name, initials in data.items():
        short = _clean(initials)
        if isinstance(name, str) and name.strip() and short:
            out[name] = short
    return out


def initials(project: Project) -> dict[str, str]:
    """Each reviewer's initials, by name, as this project file knows them."""
    return parse_initials(project.setting(INITIALS_KEY))


def record_initials(project: Project, name: str | None, short: str | None) -> bool:
    """Keep ``name``'s initials in the project (None or empty: none given). Returns whether the file changed;
    nothing is written when it already says so."""
    if not name or not name.strip():
        return False
    known = initials(project)
    short = _clean(short)
    if known.get(name) == short:
        return False
    if short is None:
        known.pop(name, None)
    else:
        known[name] = short
    store_initials(project, known)
    return True


def store_initials(project: Project, known: Mapping[str, str]) -> None:
    project.set_setting(INITIALS_KEY, json.dumps(dict(sorted(known.items())), ensure_ascii=False) if known else None)


def merged_initials(mine: Mapping[str, str], theirs: Mapping[str, str]) -> dict[str, str]:
    """Both files' initials; where a name has two, the same choice whichever file is merged into which."""
    out = dict(mine)
    for name, short in theirs.items():
        out[name] = min(out[name], short) if name in out else short
    return dict(sorted(out.items()))


def label(name: str | None, known: Mapping[str, str] | None = None) -> str:
    """A reviewer as decisions are listed: the name, with their initials when they gave some."""
    name = name or "?"
    short = (known or {}).get(name)
    return f"{name} ({short})" if short and short != name else name
