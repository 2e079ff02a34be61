"""Render the sheet as a reader sees it and look at the pictures.

The HTML goes through headless Chromium (Debian's ``chromium``): a screenshot,
and a print to PDF that exercises the print style. The PDF export goes through
``pdftoppm`` (Debian's ``poppler-utils``). Each picture must not be blank, and
the open-conflict banner's red must be on it: the conflict is unmistakable.
These tests skip only when a binary is missing (./dev.sh test installs both).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from export_fixture import NOW

from claimdesk.export import export_project

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PDFTOPPM = shutil.which("pdftoppm")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
needs_pdftoppm = pytest.mark.skipif(PDFTOPPM is None,
                                    reason="pdftoppm is not installed (apt-get install poppler-utils)")
ALARM_RED = (0xCF, 0x22, 0x2E)  # the open-conflict banner
CORROBORATED_GREEN = (0x11, 0x63, 0x29)  # the "Corroborated" badge


def chromium(tmp_path: Path, *args: str) -> None:
    profile = tmp_path / "chromium-profile"
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={profile}", *args]
    subprocess.run(cmd, capture_output=True, timeout=120, check=True)


def picture(png: Path) -> dict[str, float]:
    """Share of pixels that are not near-white, and of pixels in the alarm red and badge green."""
    from PySide6.QtGui import QImage

    image = QImage(str(png))
    assert not image.isNull(), f"{png} is not an image"
    w, h = image.width(), image.height()
    total = ink = red = green = 0
    for y in range(0, h, 2):
        for x in range(0, w, 2):
            c = image.pixelColor(x, y)
            rgb = (c.red(), c.green(), c.blue())
            total += 1
            ink += min(rgb) < 235
            red += all(abs(a - b) < 24 for a, b in zip(rgb, ALARM_RED))
            green += all(abs(a - b) < 24 for a, b in zip(rgb, CORROBORATED_GREEN))
    return {"width": w, "height": h, "ink": ink / total, "red": red / total, "green": green / total}


def assert_sheet_picture(png: Path) -> dict[str, float]:
    stats = picture(png)
    assert stats["ink"] > 0.03, f"{png} looks blank: {stats}"
    assert stats["red"] > 0.001, f"no open-conflict banner on {png}: {stats}"
    return stats


@needs_chromium
@pytest.mark.slow
def test_html_renders_in_chromium(golden, tmp_path, qapp):
    project, _ = golden
    html = export_project(project, "html", tmp_path / "sheet.html", now=NOW)
    png = tmp_path / "sheet.png"
    chromium(tmp_path, f"--screenshot={png}", "--window-size=1280,2000", html.as_uri())
    stats = assert_sheet_picture(png)
    assert (stats["width"], stats["height"]) == (1280, 2000)
    assert stats["green"] > 0.0001  # the Corroborated badge


@needs_chromium
@needs_pdftoppm
def test_html_prints_from_chromium(golden, tmp_path, qapp):
    """The print style: A4 pages, colours kept, nothing lost."""
    project, _ = golden
    html = export_project(project, "html", tmp_path / "sheet.html", now=NOW)
    pdf = tmp_path / "printed.pdf"
    chromium(tmp_path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", html.as_uri())
    subprocess.run([PDFTOPPM, "-r", "50", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "printed")],
                   check=True, timeout=60)
    (png,) = tmp_path.glob("printed-*.png")
    stats = assert_sheet_picture(png)
    assert stats["height"] > stats["width"]  # a portrait page


@needs_pdftoppm
def test_pdf_renders_with_pdftoppm(golden, tmp_path, qapp):
    project, _ = golden
    pdf = export_project(project, "pdf", tmp_path / "sheet.pdf", now=NOW)
    subprocess.run([PDFTOPPM, "-r", "60", "-png", str(pdf), str(tmp_path / "page")], check=True, timeout=60)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 1
    first = assert_sheet_picture(pages[0])
    assert 480 < first["width"] < 520 and first["height"] > first["width"]  # A4 at 60 dpi
    for page in pages[1:]:
        assert picture(page)["ink"] > 0.005, f"{page} is blank"
