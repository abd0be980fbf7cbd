"""Enter and Space: the menus show them for Open and Preview, they act in the grid, and the search
field keeps them for typing (a space) and searching (Enter)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QKeySequence

from tests.gui.conftest import TIMEOUT_MS

pytestmark = pytest.mark.gui


def _menu_action(window, menu_title: str, text: str):
    for top in window.menuBar().actions():
        if top.text().replace("&", "") == menu_title:
            for action in top.menu().actions():
                if action.text().replace("&", "") == text:
                    return action
    raise AssertionError(f"no {menu_title} ▸ {text}")


def test_open_and_preview_keys_are_shown_and_work_only_in_the_grid(
    make_window, indexed_photos: Path, qtbot, opened_urls: list[QUrl]
) -> None:
    opened = opened_urls
    window = make_window()
    qtbot.waitUntil(lambda: window.model.rowCount() == 16, timeout=TIMEOUT_MS)
    text = QKeySequence.SequenceFormat.NativeText
    assert _menu_action(window, "Photo", "Open").shortcut().toString(text) == "Return"
    assert _menu_action(window, "Photo", "Preview").shortcut().toString(text) == "Space"

    field = window.search_bar.field
    window.activateWindow()
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    window.view.selectionModel().select(  # a selected photo: Open and Preview are enabled
        window.model.index(0, 0), window.view.selectionModel().SelectionFlag.Select
    )
    qtbot.keyClicks(field, "red circle")
    assert field.text() == "red circle"  # Space typed a space, it did not preview
    with qtbot.waitSignal(window.controller.shown, timeout=TIMEOUT_MS):
        qtbot.keyClick(field, Qt.Key.Key_Return)  # Enter searches, it does not open
    assert window.controller.draft.text == "red circle"
    assert opened == [] and window.preview is None

    window.view.setFocus()
    qtbot.waitUntil(window.view.hasFocus)
    window.view.setCurrentIndex(window.model.index(3, 0))
    photo = window.model.photo(3).path
    qtbot.keyClick(window.view, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.preview is not None and window.preview.isVisible())
    window.preview.close()
    window.view.setFocus()
    qtbot.waitUntil(window.view.hasFocus)
    qtbot.keyClick(window.view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(opened), timeout=TIMEOUT_MS)  # checked to exist off the GUI
    assert [Path(u.toLocalFile()) for u in opened] == [photo]
