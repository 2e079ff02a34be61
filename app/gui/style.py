"""Colours, labels and fonts shared by the window's widgets.

Status colours are light backgrounds under black text, chosen so each pair
stays above a 7:1 contrast ratio; a status is never shown by colour alone
(the claim list spells it out, the inspector names it, rejected text is
struck through).
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QFontDatabase, QGuiApplication

from claimdesk.core.model import (
    CONFIRMED,
    CONFLICTING,
    EDITED,
    REJECTED,
    SUGGESTED,
)

STATUS_COLOURS = {
    SUGGESTED: "#fff0a6",
    CONFIRMED: "#c5edc5",
    EDITED: "#cde0ff",
    REJECTED: "#e3e3e3",
    CONFLICTING: "#ffc4c4",
}
# The darker tone of each status, for value underlines and the legend's border.
STATUS_ACCENTS = {
    SUGGESTED: "#8a6d00",
    CONFIRMED: "#1e6b1e",
    EDITED: "#1f4fa3",
    REJECTED: "#5c5c5c",
    CONFLICTING: "#a31515",
}
STATUS_LABELS = {
    SUGGESTED: "Suggested",
    CONFIRMED: "Confirmed",
    EDITED: "Edited",
    REJECTED: "Rejected",
    CONFLICTING: "Conflicting",
}
SELECTED_OUTLINE = "#0b3d91"
LINK_VALUE_BACKGROUND = "#ffd27a"


def status_colour(status: str) -> QColor:
    return QColor(STATUS_COLOURS.get(status, "#ffffff"))


def status_accent(status: str) -> QColor:
    return QColor(STATUS_ACCENTS.get(status, "#000000"))


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status.capitalize())


def reading_font() -> QFont:
    """The article text font: the system's general font, a little larger than the UI."""
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont)
    app = QGuiApplication.instance()
    base = app.font().pointSizeF() if app is not None else font.pointSizeF()
    font.setPointSizeF(max(base * 1.2, 11.0))
    return font
