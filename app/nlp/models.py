"""Which spaCy pipeline a project may name."""

from __future__ import annotations

import logging

import spacy.util

log = logging.getLogger(__name__)


def allowed_model(model: str | None) -> str | None:
    """``model`` if it names an installed spaCy pipeline package, else None (the default).

    The ``model`` setting is read from the project file, which may come from
    anyone: ``spacy.load`` would import any installed package of that name
    (``numpy``, ``os``…) or read a folder, so only the pipelines spaCy lists as
    installed (its ``spacy_models`` entry points) pass.
    """
    if model is None:
        return None
    if model in spacy.util.get_installed_models():
        return model
    log.warning("the project's model setting %r is not an installed spaCy pipeline; using the default", model[:80])
    return None
