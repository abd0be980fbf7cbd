"""Drive the real window as a user: type, drop, preview."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtWidgets import QApplication

from tests.gui.conftest import TIMEOUT_MS, drag_events, shown_paths

pytestmark = pytest.mark.gui

STARTUP_SCRIPT = """
import sys
from desktop_app.app import application, create_window
app = application()
window = create_window(model="test-tiny")
window.show()
app.processEvents()
heavy = sorted(m for m in ("torch", "open_clip", "sqlalchemy", "hnswlib") if m in sys.modules)
print(f"{window.windowTitle()!r} {','.join(heavy) or '-'}")
"""


def test_the_window_appears_without_heavy_imports(isolated_home: Path) -> None:
    """How long it takes is measured by benchmarks/bench_startup.py, not asserted here."""
    out = subprocess.run(
        [sys.executable, "-c", STARTUP_SCRIPT], capture_output=True, text=True, timeout=60,
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert out.returncode == 0, out.stderr
    title, heavy = out.stdout.split()
    assert "PhotoSeek" in title
    assert heavy == "-", f"imported on the GUI thread before showing: {heavy}"


def test_typing_a_phrase_shows_ranked_results(make_window, indexed_photos: Path, qtbot) -> None:
    window = make_window()
    qtbot.waitUntil(lambda: window.model.rowCount() == 16, timeout=TIMEOUT_MS)  # browsing
    qtbot.keyClicks(window.search_bar.field, "a red circle")
    with qtbot.waitSignal(window.controller.shown, timeout=TIMEOUT_MS,
                          check_params_cb=lambda r: r.exact):
        pass
    assert window.controller.ranked
    results = window.controller.last
    status = window.status.results_label.text()
    if results.matches:  # random weights: a match, if any, is chance; the count says it
        assert window.model.rowCount() == results.matches
        assert f"{results.matches} match" in status and "ms" in status
    else:  # nothing stands out: the nearest photos, and the words say so
        assert window.model.rowCount() == 16
        assert "No photo matches well; the 16 nearest are shown" in status
    tooltip = window.model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert "Score " in tooltip and "match" in tooltip  # "Score 0.312 · a strong match"


def test_enter_searches_at_once_and_esc_clears(make_window, indexed_photos: Path, qtbot) -> None:
    window = make_window()
    window.search_bar.field.setText("img_03")
    with qtbot.waitSignal(window.controller.shown, timeout=TIMEOUT_MS):
        qtbot.keyClick(window.search_bar.field, Qt.Key.Key_Return)
    assert window.controller.draft.text == "img_03"
    window.acts.clear.trigger()
    assert window.search_bar.field.text() == ""
    assert not window.controller.draft.has_query


def drop_files(widget, paths: list[Path]) -> bool:
    """What a file manager does: drag enter (which must be accepted), then drop."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    point = QPoint(widget.width() // 2, widget.height() // 2)
    enter, drop = drag_events(point, mime)
    QApplication.sendEvent(widget, enter)
    if not enter.isAccepted():
        return False
    QApplication.sendEvent(widget, drop)
    return drop.isAccepted()


def test_dropping_a_photo_finds_similar(make_window, indexed_photos: Path, qtbot) -> None:
    window = make_window()
    dropped = indexed_photos / "img_05.jpg"
    with qtbot.waitSignal(window.controller.shown, timeout=TIMEOUT_MS,
                          check_params_cb=lambda r: r.exact):
        assert drop_files(window.view.viewport(), [dropped])  # onto the grid
    assert window.search_bar.chip_count() == 1
    assert window.controller.draft.images == (str(dropped),)
    paths = shown_paths(window)
    assert len(paths) == 15 and dropped not in paths  # the example itself is not a result
    window.search_bar.clear_step()  # Esc with no text: the chips go
    assert window.search_bar.chip_count() == 0


def test_preview_opens_moves_and_closes(make_window, indexed_photos: Path, qtbot) -> None:
    window = make_window()
    qtbot.waitUntil(lambda: window.model.rowCount() == 16, timeout=TIMEOUT_MS)
    view = window.view
    view.setFocus()
    view.setCurrentIndex(window.model.index(0, 0))
    qtbot.keyClick(view, Qt.Key.Key_Space)
    preview = window.preview
    assert preview is not None and preview.isVisible()
    first = preview.photo
    qtbot.waitUntil(lambda: preview.canvas.pixmap is not None
                    and preview.canvas.pixmap.width() >= 160, timeout=TIMEOUT_MS)
    preview.activateWindow()  # offscreen, activation can drift back to the main window
    qtbot.waitUntil(lambda: QApplication.activeWindow() is preview)
    qtbot.keyClick(preview.canvas, Qt.Key.Key_Right)
    assert preview.photo != first and view.currentIndex().row() == 1
    qtbot.keyClick(preview.canvas, Qt.Key.Key_Escape)
    assert not preview.isVisible()


def test_thumbnails_load_off_thread_into_the_data_folder(
    make_window, indexed_photos: Path, isolated_home: Path, qtbot
) -> None:
    window = make_window()
    qtbot.waitUntil(lambda: window.model.rowCount() == 16, timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: len(window.loader.memory) >= 16, timeout=TIMEOUT_MS)
    cached = list((isolated_home / "thumbnails").rglob("*.jpg"))
    assert len(cached) >= 16
    assert not any(p.suffix == ".jpg" and "thumb" in p.name for p in indexed_photos.rglob("*"))


def test_context_menu_actions_copy_paths(make_window, indexed_photos: Path, qtbot) -> None:
    window = make_window()
    qtbot.waitUntil(lambda: window.model.rowCount() == 16, timeout=TIMEOUT_MS)
    window.view.selectAll()
    assert window.acts.copy_path.isEnabled()
    window.acts.copy_path.trigger()
    copied = QApplication.clipboard().mimeData()
    assert len(copied.urls()) == 16
    mime = window.model.mimeData([window.model.index(0, 0)])  # dragging out: files
    assert mime.urls()[0].isLocalFile()
