"""The window's size and place: fit the screen it opens on, remember the reviewer's layout.

Mixed into :class:`claimdesk.gui.main_window.MainWindow`. Needs: ``self.splitter`` (articles and claims |
article or comparison | inspector), ``self.left_splitter``, ``self.tabs``, ``self.inspector`` and
``self._sizes_before_compare``.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QGuiApplication

from claimdesk.gui.settings import gui_settings

# The window's size when the screen has room for it; smaller screens get what they have.
PREFERRED_SIZE = QSize(1280, 800)


class WindowLayoutMixin:
    _sizes_before_compare: list[int] | None = None

    def available_geometry(self) -> QRect:
        screen = self.screen() or QGuiApplication.primaryScreen()
        return screen.availableGeometry() if screen is not None else QRect(0, 0, 1280, 800)

    def _restore_layout(self) -> None:
        """The size and splitters the reviewer left, if they still fit this screen; else fit the screen."""
        settings = gui_settings()
        geometry = settings.value("window/geometry")
        restored = bool(geometry) and self.restoreGeometry(geometry)
        for splitter, key in ((self.splitter, "window/mainSplitter"), (self.left_splitter, "window/leftSplitter")):
            state = settings.value(key)
            if state:
                splitter.restoreState(state)
        if not restored or not self.available_geometry().contains(self.geometry()):
            self.fit_to_screen(keep_splitters=restored)

    def fit_to_screen(self, available: QRect | None = None, *, keep_splitters: bool = False) -> None:
        """As large as the preferred 1280x800 where the screen has room, never larger than the screen
        (minus the window frame), centred; the panes shared out in proportion."""
        area = available or self.available_geometry()
        frame_w = max(self.frameGeometry().width() - self.geometry().width(), 0)
        frame_h = max(self.frameGeometry().height() - self.geometry().height(), 0)
        if frame_h == 0:
            frame_h, frame_w = 32, 8  # not shown yet: leave room for a typical title bar
        width = min(PREFERRED_SIZE.width(), area.width() - frame_w)
        height = min(PREFERRED_SIZE.height(), area.height() - frame_h)
        self.setMinimumSize(0, 0)
        self.resize(width, height)
        x = area.x() + max((area.width() - width - frame_w) // 2, 0)
        y = area.y() + max((area.height() - height - frame_h) // 2, 0)
        self.move(x, y)
        if not keep_splitters:
            self.share_panes(width)

    def share_panes(self, width: int) -> None:
        """Claim lists a third, the inspector a quarter, the article the rest (at 1280: 420/560/300)."""
        left = max(int(width * 0.33), 260)
        right = max(int(width * 0.23), 220)
        self.splitter.setSizes([left, max(width - left - right, 200), right])

    def save_layout(self) -> None:
        settings = gui_settings()
        if self.tabs.currentIndex() == 1 and self._sizes_before_compare:
            self.splitter.setSizes(self._sizes_before_compare)  # the inspector's width, not the compare view's
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/mainSplitter", self.splitter.saveState())
        settings.setValue("window/leftSplitter", self.left_splitter.saveState())
        settings.sync()

    def _tab_changed(self, index: int) -> None:
        # Two articles side by side need the width: the inspector makes room while comparing.
        if index == 1:
            if self.inspector.isVisible():
                self._sizes_before_compare = self.splitter.sizes()
                self.inspector.hide()
            if self.state is not None and self.compare.fact is None and not self._switching_tab:
                self._compare_current(quiet=True)
        elif not self.inspector.isVisible():
            self.inspector.show()
            if self._sizes_before_compare:
                self.splitter.setSizes(self._sizes_before_compare)
