"""The photo in words, in the window: the preview shows a photo's tags, the descriptions the
model finds closest and the text read in it, each a click away from a search; a photo lifted
among the results because its printed text holds the words typed is marked on its tile, in its
tooltip, in the preview's Match row and in the status bar's count.

The library (tests/gui/test_tags_panel.py): shapes sketches and a receipt, indexed by core with
``library.index()``, which tags the photos and reads their text (OCR) after embedding.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
from PySide6.QtWidgets import QLabel, QStyleOptionViewItem, QToolButton

from tests.gui.conftest import TIMEOUT_MS, shown_paths
from tests.gui.test_tags_panel import (
    RECEIPT,
    WordsLibrary,
    carrying,
    copy_words_library,
    names,
    wait_chips,
)

pytestmark = [pytest.mark.gui, pytest.mark.understanding]  # tagging and OCR run


@pytest.fixture
def words_library(
    tmp_path_factory: pytest.TempPathFactory,
    shapes_model_path: Path,
    isolated_home: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> WordsLibrary:
    """The library of test_tags_panel.py (indexed once per session), in this test's folder."""
    return copy_words_library(tmp_path_factory, shapes_model_path, isolated_home, monkeypatch)


def row_of(window, name: str) -> int:
    return [path.name for path in shown_paths(window)].index(name)


def open_preview(qtbot, window, name: str):
    view = window.view
    view.setFocus()
    view.setCurrentIndex(window.model.index(row_of(window, name), 0))
    qtbot.keyClick(view, Qt.Key.Key_Space)
    preview = window.preview
    qtbot.waitUntil(lambda: preview is not None and preview.isVisible(), timeout=TIMEOUT_MS)
    assert preview.photo.path.name == name
    return preview


def search(qtbot, window, text: str) -> None:
    field = window.search_bar.field
    field.setFocus()
    qtbot.keyClicks(field, text)
    before = window.controller.last
    qtbot.keyClick(field, Qt.Key.Key_Return)
    wait_answer(qtbot, window, text, before)


def wait_answer(qtbot, window, text: str, before: object) -> None:
    """Until the exact answer to ``text`` is shown (``before``: the answer shown until then)."""
    controller = window.controller
    qtbot.waitUntil(lambda: controller.draft.text == text and controller.last is not before
                    and controller.last.exact, timeout=TIMEOUT_MS)


def test_the_preview_shows_tags_descriptions_and_text_each_a_click_from_a_search(
    make_window, words_library, qtbot
):
    window = make_window(model=words_library.model)
    library = window.engine.library
    qtbot.waitUntil(lambda: window.model.rowCount() == 25, timeout=TIMEOUT_MS)

    # The receipt: the text read in it, selectable.
    preview = open_preview(qtbot, window, "receipt.png")
    qtbot.waitUntil(lambda: preview.text_label is not None
                    and preview.text_label.isVisibleTo(preview), timeout=TIMEOUT_MS)
    assert preview.text_label.text() == "\n".join(RECEIPT)
    assert preview.text_label.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse

    # A sketch: its tags and descriptions (as core gives them), and no text in it.
    shape = next(name for name in sorted(names(window)) if name.startswith("red_circle"))
    photo_id = window.model.photo(row_of(window, shape)).id
    tags = [name for name, _score in library.tags_of(photo_id)]
    described = [phrase for phrase, _score in library.describe(photo_id).descriptions]
    assert tags and described
    window.view.setFocus()
    preview = open_preview(qtbot, window, shape)
    qtbot.waitUntil(lambda: preview.tags_box is not None and bool(preview.phrases)
                    and preview.text_label is not None, timeout=TIMEOUT_MS)
    buttons = preview.tags_box.findChildren(QToolButton)
    assert [b.text() for b in buttons] == tags
    assert [p.phrase for p in preview.phrases] == described
    assert preview.text_label.text() == "No text found"

    def top_down() -> list[str]:
        labels = [label for label in preview.findChildren(QLabel) if label.isVisibleTo(preview)]
        labels.sort(key=lambda label: label.mapTo(preview, QPoint(0, 0)).y())
        return [label.text() for label in labels]

    sections = ["Tags", "Looks like", "Text in the photo"]
    qtbot.waitUntil(lambda: [t for t in top_down() if t in sections] == sections,
                    timeout=TIMEOUT_MS)

    # A description clicked: its words are searched.
    before = window.controller.last
    qtbot.mouseClick(preview.phrases[0], Qt.MouseButton.LeftButton)
    assert not preview.isVisible()
    assert window.search_bar.field.text() == described[0]
    wait_answer(qtbot, window, described[0], before)
    assert window.controller.last.ranked and window.model.rowCount() > 0

    # A tag clicked: the photos carrying it, as a chip in the filter bar, with the words.
    window.search_bar.clear_step()
    qtbot.waitUntil(lambda: window.model.rowCount() == 25 and not window.controller.draft.text,
                    timeout=TIMEOUT_MS)
    preview = open_preview(qtbot, window, shape)
    qtbot.waitUntil(lambda: preview.tags_box is not None, timeout=TIMEOUT_MS)
    button = preview.tags_box.findChildren(QToolButton)[0]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert not preview.isVisible()
    qtbot.waitUntil(lambda: names(window) == carrying(library, tags[0]), timeout=TIMEOUT_MS)
    assert window.filter_bar.filters.tags == (tags[0],)
    wait_chips(qtbot, window, [f"Remove tagged {tags[0]}"])


def test_a_photo_lifted_by_its_text_is_marked(make_window, words_library, qtbot):
    from desktop_app.preview import describe

    window = make_window(model=words_library.model)
    qtbot.waitUntil(lambda: window.model.rowCount() == 25, timeout=TIMEOUT_MS)
    search(qtbot, window, "grocery")  # in its text, not in its name
    model = window.model
    assert shown_paths(window)[0].name == "receipt.png"
    assert model.text_match(0) and not any(model.text_match(r) for r in
                                           range(1, model.rowCount()))
    assert "The text in the photo matches" in model.index(0, 0).data(
        Qt.ItemDataRole.ToolTipRole)
    assert "(1 by the text in it first)" in window.status.results_label.text()
    match = dict(describe(model.photo(0), model.hit(0)))["Match"]
    assert match.endswith("\nThe text in the photo matches the words.")
    preview = open_preview(qtbot, window, "receipt.png")
    shown = [label.text().replace("\u200b", "") for label in preview.findChildren(QLabel)
             if label.isVisibleTo(preview)]
    assert match in shown
    preview.close()

    # The tile carries the mark: a dark "Aa" pill on the picture's bottom-left corner, over
    # the receipt's white paper (its right corner stays white).
    index = model.index(0, 0)
    qtbot.waitUntil(lambda: isinstance(index.data(Qt.ItemDataRole.DecorationRole), QPixmap)
                    and not index.data(Qt.ItemDataRole.DecorationRole).isNull(),
                    timeout=TIMEOUT_MS)
    delegate = window.view.itemDelegate()
    option = QStyleOptionViewItem()
    option.rect = QRect(0, 0, 172, 172)
    option.palette = window.view.palette()
    tile = QImage(172, 172, QImage.Format.Format_RGB32)
    tile.fill(QColor("white"))
    painter = QPainter(tile)
    delegate.paint(painter, option, index)
    painter.end()
    picture = index.data(Qt.ItemDataRole.DecorationRole)
    height = round(160 * picture.height() / picture.width())
    bottom = 6 + (160 - height) // 2 + height - 1

    def darkest(left: int) -> int:
        return min(QColor(tile.pixel(x, y)).lightness()
                   for x in range(left, left + 16) for y in range(bottom - 14, bottom - 6))

    assert darkest(10) < 100 and darkest(140) > 200
