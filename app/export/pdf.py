"""The fact sheet as a PDF, drawn by Qt's rich-text engine (QTextDocument on a QPdfWriter).

PySide6 is imported inside :func:`render_pdf` only, so the rest of
:mod:`claimdesk.export` works where Qt is missing; without Qt a PDF export fails with
one clear :class:`~claimdesk.export.ExportError`. The document is the HTML sheet
(``html_text(sheet, qt=True)``), laid out on A4 pages with page numbers.

Outside the window there is no QGuiApplication; one is created on Qt's
``offscreen`` platform, which needs no display, and kept for the process.
"""

from __future__ import annotations

import datetime as _dt

from claimdesk.export.html import html_text
from claimdesk.export.sheet import build_sheet

_app = None  # the QGuiApplication made for exports outside the window, kept alive


def _gui_application():
    """The running Qt application, or a new one on the offscreen platform.

    A widgets ``QApplication`` when QtWidgets is there, so that a program that
    opens windows later in the same process (a test run, say) still can.
    """
    global _app
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance()
    if app is None:
        args = ["claimdesk-export", "-platform", "offscreen"]
        try:
            from PySide6.QtWidgets import QApplication
        except ImportError:
            app = _app = QGuiApplication(args)
        else:
            app = _app = QApplication(args)
    if not isinstance(app, QGuiApplication):
        from claimdesk.export import ExportError

        raise ExportError("PDF export needs a Qt GUI application, but this program runs a console-only one")
    return app


def render_pdf(project, *, now: _dt.datetime) -> bytes:
    from claimdesk.export import ExportError

    try:
        from PySide6.QtCore import QBuffer, QIODevice, QMarginsF
        from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument
    except ImportError as exc:
        raise ExportError(
            f"PDF export needs Qt (PySide6), which cannot be loaded here ({exc}); "
            "export html and print it to PDF from a browser instead"
        ) from None
    sheet = build_sheet(project, now=now)
    _gui_application()
    buffer = QBuffer()
    if not buffer.open(QIODevice.OpenModeFlag.WriteOnly):
        raise ExportError("PDF export: Qt could not open a memory buffer")
    writer = QPdfWriter(buffer)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    # QTextDocument.print_() adds its own 2 cm margin and puts the page number in it.
    writer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)
    writer.setResolution(300)
    writer.setTitle(f"Fact sheet: {sheet.story}")
    writer.setCreator("Claimdesk")
    document = QTextDocument()
    document.setDocumentMargin(0)
    document.setHtml(html_text(sheet, qt=True))
    document.print_(writer)
    del writer  # finishes the PDF into the buffer
    buffer.close()
    data = bytes(buffer.data())
    if not data.startswith(b"%PDF-"):
        raise ExportError("PDF export: Qt produced no PDF (is a font installed?)")
    return data
