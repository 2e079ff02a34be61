"""Take README's screenshots of the real window on the sample story.

Run under an X server (Xvfb) with ImageMagick's ``import``::

    Xvfb :99 -screen 0 1366x768x24 &
    DISPLAY=:99 .venv/bin/python -m claimdesk.gui.screenshots docs/screenshots

It imports the two sample articles into a temporary project, records a few
decisions through the review service (so every status colour shows), opens
the window as a user would get it (fitted to the screen, no remembered layout),
and grabs the whole X screen: the main window on the first conflict, then the
compare view of that conflict. ``--prefix small-`` names the files
``small-main-window.png`` and ``small-compare-view.png`` (for checks at other
screen sizes; ``QT_SCALE_FACTOR=2`` for a high-DPI screen).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path


def prepare(path: Path) -> None:
    from claimdesk.services.pipeline import import_paths
    from claimdesk.services.review import ReviewService
    from claimdesk.paths import sample_articles
    from claimdesk.services.projects import open_project

    with open_project(path) as project:
        project.set_setting("story", "Microsoft's 2024 deal with Mistral AI (sample)")
        import_paths(project, sample_articles())
        service = ReviewService(project, actor="reviewer")
        fact = next(f for f in project.facts() if f.status == "conflicting")
        in_fact = {m.claim_id for m in fact.mentions}
        claims = [c for c in project.claims() if c.id not in in_fact]
        first_article = [c for c in claims if c.article_id == claims[0].article_id]
        if len(first_article) >= 3:
            service.confirm(first_article[-1].id)
            service.reject(first_article[-2].id)
            c = first_article[-3]
            service.edit(c.id, text=c.text.rstrip(".") + " (per Pitchbook).")
        service.note("Check against Microsoft's own blog post", claim_id=fact.mentions[0].claim_id)


def grab(out: Path) -> None:
    subprocess.run(["import", "-window", "root", str(out)], check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder for main-window.png and compare-view.png")
    parser.add_argument("--prefix", default="", help="put this before the file names")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    from PySide6.QtCore import QTimer

    from claimdesk.gui.app import make_app
    from claimdesk.gui.main_window import MainWindow

    import os

    with tempfile.TemporaryDirectory(prefix="claimdesk-shots-") as tmp:
        os.environ["CLAIMDESK_GUI_SETTINGS"] = str(Path(tmp) / "gui.ini")  # a first start: nothing remembered
        path = Path(tmp) / "sample.claimdesk"
        prepare(path)
        app = make_app()
        window = MainWindow(path)
        window.show()
        fact = next(f for f in window.state.facts.by_id.values() if f.status == "conflicting")

        def main_window() -> None:
            window.select_claim(fact.mentions[0].claim_id)
            window.claim_list.setFocus()
            QTimer.singleShot(700, lambda: (grab(args.out / f"{args.prefix}main-window.png"), compare()))

        def compare() -> None:
            window.show_compare()
            QTimer.singleShot(700, lambda: (grab(args.out / f"{args.prefix}compare-view.png"), app.quit()))

        QTimer.singleShot(1000, main_window)
        app.exec()
        window.close()
    print(f"wrote {args.out / (args.prefix + 'main-window.png')} and {args.out / (args.prefix + 'compare-view.png')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
