"""The search as a user drives it: scroll then type, Ctrl+V, drops on the field, keys."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QImage, QWheelEvent
from PySide6.QtWidgets import QApplication

from tests.gui.conftest import TIMEOUT_MS, drag_events, shown_paths
from tests.gui.test_search_window import drop_files

pytestmark = pytest.mark.gui


def _exact(results: object) -> bool:
    return bool(getattr(results, "exact", False))


def test_a_new_query_starts_at_the_top(make_window, indexed_photos: Path, qtbot) -> None:
    window = make_window()
    qtbot.waitUntil(lambda: window.model.rowCount() == 16, timeout=TIMEOUT_MS)
    window.view.set_thumbnail_size(400)  # a few per row: the grid scrolls
    bar = window.view.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0, timeout=TIMEOUT_MS)
    bar.setValue(bar.maximum())
    assert bar.value() > 0
    with qtbot.waitSignal(window.controller.shown, timeout=TIMEOUT_MS, check_params_cb=_exact):
        qtbot.keyClicks(window.search_bar.field, "a red circle")
    assert bar.value() == 0
    # The refinement of the same query keeps where the user is.
    bar.setValue(bar.maximum())
    kept = bar.value()
    window.controller.apply_new()  # nothing pending: nothing moves
    results = window.controller.last
    window.model.replace(list(reversed(results.hits)), ranked=True)  # an in-place update
    assert bar.value() == kept


def test_ctrl_v_in_the_focused_search_field_pastes_an_image(
    make_window, indexed_photos: Path, isolated_home: Path, qtbot
) -> None:
    window = make_window()
    field = window.search_bar.field
    window.activateWindow()
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    QApplication.clipboard().setImage(QImage(str(indexed_photos / "img_02.jpg")))
    with qtbot.waitSignal(window.controller.shown, timeout=TIMEOUT_MS, check_params_cb=_exact):
        qtbot.keyClick(field, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    (pasted,) = window.controller.draft.images
    assert Path(pasted).parent == isolated_home / "pasted"
    assert field.text() == ""
    QApplication.clipboard().setText("beach")  # words still paste as words
    qtbot.keyClick(field, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert field.text() == "beach"


def test_a_file_dropped_on_the_search_field_becomes_a_chip(
    make_window, indexed_photos: Path, qtbot
) -> None:
    window = make_window()
    field = window.search_bar.field
    first, second = indexed_photos / "img_05.jpg", indexed_photos / "img_06.jpg"
    with qtbot.waitSignal(window.controller.shown, timeout=TIMEOUT_MS, check_params_cb=_exact):
        assert drop_files(field, [first])
    assert field.text() == ""  # no file:// URL typed into it
    assert window.controller.draft.images == (str(first),)
    with qtbot.waitSignal(window.controller.shown, timeout=TIMEOUT_MS, check_params_cb=_exact):
        assert drop_files(window.view.viewport(), [second])  # a second photo adds a chip
    assert window.controller.draft.images == (str(first), str(second))
    assert window.search_bar.chip_count() == 2


def assert_likeness_answer(window, example: Path) -> None:
    """The answer to an example photo of the library: never the example itself; the photos
    that really match it, or, when none does, the nearest ones (all 15 others here)."""
    results = window.controller.last
    assert example not in shown_paths(window) and results.ranked
    if results.matches:
        assert all(h.match for h in window.model.hits())
        assert window.model.rowCount() == results.matches
    else:
        assert window.model.rowCount() == 15


def test_a_result_dragged_onto_the_window_finds_similar(
    make_window, indexed_photos: Path, qtbot
) -> None:
    window = make_window()
    qtbot.waitUntil(lambda: window.model.rowCount() == 16, timeout=TIMEOUT_MS)
    mime = window.model.mimeData([window.model.index(3, 0)])  # what dragging a result carries
    dragged = window.model.photo(3).path
    enter, drop = drag_events(QPoint(10, 10), mime)
    QApplication.sendEvent(window.view.viewport(), enter)  # the grid passes it to the window
    assert enter.isAccepted()
    with qtbot.waitSignal(window.controller.shown, timeout=TIMEOUT_MS, check_params_cb=_exact):
        QApplication.sendEvent(window.view.viewport(), drop)
    assert window.controller.draft.images == (str(dragged),)
    assert_likeness_answer(window, dragged)


def test_a_photo_dropped_before_the_model_is_ready_says_it_is_loading(
    make_window, indexed_photos: Path, qtbot
) -> None:
    window = make_window(model="test-tiny:/nowhere/missing.safetensors", wait_model=False)
    with qtbot.waitSignal(window.controller.shown, timeout=TIMEOUT_MS):
        assert drop_files(window.view.viewport(), [indexed_photos / "img_01.jpg"])
    assert window.model.rowCount() == 0
    assert "still loading" in window.view.empty_text


def test_ctrl_f_and_ctrl_l_focus_the_search(make_window, indexed_photos: Path, qtbot) -> None:
    window = make_window()
    qtbot.waitUntil(lambda: window.model.rowCount() == 16, timeout=TIMEOUT_MS)
    window.activateWindow()
    for key in (Qt.Key.Key_F, Qt.Key.Key_L):
        window.view.setFocus()
        qtbot.waitUntil(window.view.hasFocus)
        qtbot.keyClick(window.view, key, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(window.search_bar.field.hasFocus)


def test_enter_opens_the_current_result(
    make_window, indexed_photos: Path, qtbot, opened_urls: list[QUrl]
) -> None:
    opened = opened_urls
    window = make_window()
    qtbot.waitUntil(lambda: window.model.rowCount() == 16, timeout=TIMEOUT_MS)
    window.view.setFocus()
    window.view.setCurrentIndex(window.model.index(2, 0))
    qtbot.keyClick(window.view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(opened), timeout=TIMEOUT_MS)  # checked to exist off the GUI
    assert [Path(u.toLocalFile()) for u in opened] == [window.model.photo(2).path]


def test_ctrl_scroll_and_the_slider_change_the_thumbnail_size(
    make_window, indexed_photos: Path, qtbot
) -> None:
    window = make_window()
    view, slider = window.view, window.status.size_slider
    start = view.thumbnail_size
    pos = QPointF(view.viewport().rect().center())
    wheel = QWheelEvent(pos, view.viewport().mapToGlobal(pos), QPoint(0, 0), QPoint(0, 240),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.ControlModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(view.viewport(), wheel)
    assert view.thumbnail_size == start + 32
    assert slider.value() == view.thumbnail_size
    slider.setValue(300)
    assert view.thumbnail_size == 300
    assert window.model.thumb_pixels == round(300 * view.devicePixelRatioF())


def test_not_menu_item_adds_a_negative_term(make_window, indexed_photos: Path, qtbot) -> None:
    window = make_window()
    assert not window.acts.not_term.isEnabled()
    qtbot.keyClicks(window.search_bar.field, "dog")
    assert window.acts.not_term.isEnabled()
    with qtbot.waitSignal(window.controller.shown, timeout=TIMEOUT_MS):
        window.acts.not_term.trigger()
    assert window.controller.draft.negatives == ("dog",)
    assert window.search_bar.field.text() == ""


def test_drop_mime_without_files_is_ignored_by_the_field(make_window, qtbot) -> None:
    window = make_window()
    mime = QMimeData()
    mime.setText("just words")
    assert not window.examples.drop(mime)
