"""The article view: highlights are ExtraSelections and never touch the document."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextFormat

from claimdesk.core.model import CONFIRMED, REJECTED, SUGGESTED, Claim, Value
from claimdesk.gui.article_view import ArticleView
from claimdesk.gui.style import status_colour

TEXT = ("Intro line.\n"
        "💶 Microsoft will invest 15 million euros in Mistral, 🇫🇷 reports say.\n"
        "Mistral has raised $563 million so far.\n")


def _claim(cid: int, needle: str, value: str | None = None, status: str = SUGGESTED) -> Claim:
    s = TEXT.index(needle)
    values = []
    if value:
        vs = TEXT.index(value)
        values = [Value(start=vs, end=vs + len(value), text=value, type="money", amount=1.0)]
    return Claim(id=cid, article_id=1, start=s, end=s + len(needle), text=needle, kind="money", score=0.9,
                 status=status, values=values)


def _view(qtbot) -> ArticleView:
    view = ArticleView()
    qtbot.addWidget(view)
    view.resize(700, 400)
    view.show()
    qtbot.waitExposed(view)
    return view


def _selected_texts(view: ArticleView, role: str) -> list[str]:
    return [s.cursor.selectedText() for s in view.extraSelections()
            if s.format.property(QTextFormat.Property.UserProperty) == role]


def test_claims_and_values_become_extra_selections_on_the_right_text(qtbot):
    view = _view(qtbot)
    view.show_text(TEXT)
    c1 = _claim(1, "Microsoft will invest 15 million euros in Mistral", "15 million euros")
    c2 = _claim(2, "Mistral has raised $563 million so far.", "$563 million", status=CONFIRMED)
    view.set_claims([c1, c2])
    assert _selected_texts(view, "claim") == [c1.text, c2.text]
    assert _selected_texts(view, "value") == ["15 million euros", "$563 million"]
    colours = {s.cursor.selectedText(): s.format.background().color() for s in view.extraSelections()
               if s.format.property(QTextFormat.Property.UserProperty) == "claim"}
    assert colours[c1.text] == status_colour(SUGGESTED)
    assert colours[c2.text] == status_colour(CONFIRMED)


def test_highlighting_never_modifies_the_document(qtbot):
    view = _view(qtbot)
    view.show_text(TEXT)
    doc = view.document()
    revision, undo_steps = doc.revision(), doc.availableUndoSteps()
    c1 = _claim(1, "Microsoft will invest 15 million euros in Mistral", "15 million euros")
    view.set_claims([c1])
    for status in (CONFIRMED, REJECTED, SUGGESTED):
        c1.status = status
        view.update_claim(c1)
    view.select_claim(1)
    view.remove_claim(1)
    assert doc.toPlainText() == TEXT
    assert doc.revision() == revision
    assert doc.availableUndoSteps() == undo_steps == 0
    assert not doc.isModified()


def test_update_replaces_only_that_claims_selection(qtbot):
    view = _view(qtbot)
    view.show_text(TEXT)
    c1 = _claim(1, "Microsoft will invest 15 million euros in Mistral", "15 million euros")
    c2 = _claim(2, "Mistral has raised $563 million so far.")
    view.set_claims([c1, c2])
    c2.status = REJECTED
    view.update_claim(c2)
    by_text = {s.cursor.selectedText(): (s.format.background().color(), s.format.fontStrikeOut())
               for s in view.extraSelections()
               if s.format.property(QTextFormat.Property.UserProperty) == "claim"}
    assert by_text[c2.text] == (status_colour(REJECTED), True)
    assert by_text[c1.text] == (status_colour(SUGGESTED), False)
    view.remove_claim(2)
    assert _selected_texts(view, "claim") == [c1.text]


def test_selection_span_is_in_python_offsets_after_emoji(qtbot):
    view = _view(qtbot)
    view.show_text(TEXT)
    s = TEXT.index("15 million euros")
    view.setTextCursor(view.document().find("15 million euros"))  # Qt's own offsets (UTF-16), not ours
    assert view.textCursor().selectedText() == "15 million euros"
    assert view.selection_span() == (s, s + len("15 million euros"))


def test_click_on_a_claim_selects_it(qtbot):
    view = _view(qtbot)
    view.show_text(TEXT)
    c2 = _claim(2, "Mistral has raised $563 million so far.")
    view.set_claims([c2])
    cursor = view.textCursor()
    cursor.setPosition(view.offsets.to_qt(TEXT.index("$563")))
    point = view.cursorRect(cursor).center() + QPoint(2, 0)
    with qtbot.waitSignal(view.claimClicked, timeout=2000) as blocker:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert blocker.args == [2]


def test_long_article_gets_selections_only_around_the_viewport(qtbot):
    view = _view(qtbot)
    sentence = "In 2023 the firm sold 1,200 units for $3 million.\n"
    text = sentence * 4000  # about 40,000 words, one paragraph per sentence
    view.show_text(text)
    claims = [Claim(id=i + 1, article_id=1, start=i * len(sentence), end=(i + 1) * len(sentence) - 1,
                    text=sentence.strip(), kind="count", score=0.5) for i in range(4000)]
    view.set_claims(claims)
    n_visible = len(_selected_texts(view, "claim"))
    assert 0 < n_visible < 400
    # Scrolling far down moves the window of highlighted claims with it.
    view.select_claim(3500)
    first_start = min(s.cursor.selectionStart() for s in view.extraSelections())
    assert first_start > 3000 * len(sentence)
    assert view.highlights.get(3500) is not None
    assert any(s.cursor.selectionStart() == view.offsets.to_qt(claims[3499].start) for s in view.extraSelections())


def test_one_giant_paragraph_still_gets_a_window_of_selections(qtbot):
    view = _view(qtbot)
    sentence = "The firm sold 1,200 units for $3 million. "
    view.show_text(sentence * 3000)
    claims = [Claim(id=i + 1, article_id=1, start=i * len(sentence), end=(i + 1) * len(sentence) - 1,
                    text=sentence.strip(), kind="count", score=0.5) for i in range(3000)]
    view.set_claims(claims)
    assert 0 < len(view.extraSelections()) < 400
    view.select_claim(2900)
    assert min(s.cursor.selectionStart() for s in view.extraSelections()) > 2000 * len(sentence)


def _outline_pixels(view: ArticleView, rect) -> int:
    from PySide6.QtGui import QColor

    from claimdesk.gui.style import SELECTED_OUTLINE

    image = view.viewport().grab().toImage()
    target = QColor(SELECTED_OUTLINE)
    n = 0
    for x in range(max(rect.left(), 0), min(rect.right(), image.width() - 1) + 1):
        for y in range(max(rect.top(), 0), min(rect.bottom(), image.height() - 1) + 1):
            c = image.pixelColor(x, y)
            if abs(c.red() - target.red()) + abs(c.green() - target.green()) + abs(c.blue() - target.blue()) < 60:
                n += 1
    return n


def test_the_selected_claim_is_outlined_and_the_outline_follows_the_selection(qtbot):
    view = _view(qtbot)
    view.show_text(TEXT)
    c1 = _claim(1, "Microsoft will invest 15 million euros in Mistral", "15 million euros")
    c2 = _claim(2, "Mistral has raised $563 million so far.", "$563 million")
    view.set_claims([c1, c2])
    # Where each outline goes, without the repaint margin (the two claims are on adjacent lines).
    r1, r2 = (view._outline_rect(i).adjusted(0, 6, 0, -6) for i in (1, 2))
    assert not r1.isNull() and not r2.isNull() and not r1.intersects(r2)
    assert _outline_pixels(view, r1) == 0
    view.select_claim(1)
    assert _outline_pixels(view, r1) > 10
    view.select_claim(2)
    assert _outline_pixels(view, r1) == 0
    assert _outline_pixels(view, r2) > 10
