"""The item roles the window's table models answer (shared by the claim and the article models)."""

from __future__ import annotations

from PySide6.QtCore import Qt

ClaimIdRole = Qt.ItemDataRole.UserRole + 1
SortKeyRole = Qt.ItemDataRole.UserRole + 2
StatusRole = Qt.ItemDataRole.UserRole + 3
ArticleIdRole = Qt.ItemDataRole.UserRole + 4

# Plain ints for the roles data() answers (comparing ints is much cheaper than comparing enums).
DISPLAY = Qt.ItemDataRole.DisplayRole.value
DECORATION = Qt.ItemDataRole.DecorationRole.value
ALIGNMENT = Qt.ItemDataRole.TextAlignmentRole.value
TOOLTIP = Qt.ItemDataRole.ToolTipRole.value
ACCESSIBLE = Qt.ItemDataRole.AccessibleTextRole.value
FOREGROUND = Qt.ItemDataRole.ForegroundRole.value
RIGHT = int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value)
CUSTOM = {int(r) for r in (ClaimIdRole, SortKeyRole, StatusRole, ArticleIdRole)}
