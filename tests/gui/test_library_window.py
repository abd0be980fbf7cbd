"""Library management through the window: welcome, add a folder, index, pause, model trouble."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from tests.conftest import make_photo
from tests.gui.conftest import TIMEOUT_MS, shown_paths
from tests.gui.test_search_window import drop_files

pytestmark = pytest.mark.gui


def test_first_run_welcome_then_dropped_folder_is_indexed(
    make_window, photo_dir: Path, qtbot
) -> None:
    window = make_window()
    assert window.stack.currentWidget() is window.welcome
    assert drop_files(window.welcome, [photo_dir])  # a folder dropped on the window
    assert window.stack.currentWidget() is window.view
    qtbot.waitUntil(lambda: "16 of 16 photos indexed" in window.status.index_label.text(),
                    timeout=TIMEOUT_MS)
    top = window.folders.tree.topLevelItem(0)
    assert top.text(0) == photo_dir.name and top.text(1) == "16"  # its name, in a narrow panel
    assert top.toolTip(0).startswith(str(photo_dir.resolve()))
    qtbot.waitUntil(lambda: window.model.rowCount() == 16, timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: window.engine.settings.welcomed, timeout=TIMEOUT_MS)


def test_pause_and_resume_indexing(make_window, tmp_path: Path, qtbot) -> None:
    many = tmp_path / "many"
    for n in range(300):
        make_photo(many / f"p{n:03d}.jpg", n, size=(640, 480))
    window = make_window()
    window.add_folder(str(many))
    qtbot.waitUntil(lambda: window.status.pause_button.isVisible(), timeout=TIMEOUT_MS)
    window.acts.pause.trigger()
    assert window.engine.paused and window.acts.pause.isChecked()
    service = window.engine.session.service
    assert service is not None and service.paused
    assert window.status.pause_button.text() == "Resume"
    qtbot.wait(500)
    status = window.engine.library.status()
    assert status.indexed < 300  # it did stop
    qtbot.mouseClick(window.status.pause_button, Qt.MouseButton.LeftButton)
    assert not window.engine.paused
    qtbot.waitUntil(lambda: "300 of 300 photos indexed" in window.status.index_label.text(),
                    timeout=60_000)


def test_missing_weights_offer_retry_and_a_file_and_name_search_still_works(
    make_window, indexed_photos: Path, tiny_weights_path: Path, qtbot
) -> None:
    window = make_window(model="test-tiny:/nowhere/missing.safetensors", wait_model=False)
    qtbot.waitUntil(lambda: window.banner.state == "failed", timeout=TIMEOUT_MS)
    assert window.banner.retry_button.isVisible()
    assert window.banner.weights_button.isVisible()
    assert "file name and date" in window.banner.label.text()
    qtbot.waitUntil(lambda: window.model.rowCount() == 16, timeout=TIMEOUT_MS)  # browsable
    window.search_bar.set_text("img_0")
    qtbot.waitUntil(lambda: window.model.rowCount() == 10, timeout=TIMEOUT_MS)
    assert all(p.name.startswith("img_0") for p in shown_paths(window))
    assert "by file name and date" in window.status.results_label.text()
    window.banner.weights_chosen.emit(str(tiny_weights_path))  # "Use a weights file…"
    # Settings opens, finds the file's architecture and checks it; OK makes it the model.
    from desktop_app.settings_dialog import SettingsDialog

    dialog = window.findChild(SettingsDialog)
    model = f"test-tiny:{tiny_weights_path}"
    qtbot.waitUntil(lambda: dialog.model_box.currentData() == model, timeout=TIMEOUT_MS)
    dialog.accept()
    qtbot.waitUntil(lambda: window.engine.model_ready, timeout=TIMEOUT_MS)
    # The ready state crosses threads to reach the banner: wait for it, as for any signal.
    qtbot.waitUntil(lambda: not window.banner.isVisible(), timeout=TIMEOUT_MS)
    assert window.engine.library.model_name == f"test-tiny:{tiny_weights_path}"


def test_pasted_image_is_saved_in_the_data_folder_and_searched(
    make_window, indexed_photos: Path, isolated_home: Path, qtbot
) -> None:
    window = make_window()
    QApplication.clipboard().setImage(QImage(str(indexed_photos / "img_02.jpg")))
    window.view.setFocus()
    with qtbot.waitSignal(window.controller.shown, timeout=TIMEOUT_MS,
                          check_params_cb=lambda r: r.exact):
        window.acts.paste_image.trigger()
    (pasted,) = window.controller.draft.images
    assert Path(pasted).parent == isolated_home / "pasted"
    assert not list(indexed_photos.glob("pasted*"))
    # Its twin in the library first, and the photos that really match it (not the library).
    assert shown_paths(window)[0] == indexed_photos / "img_02.jpg"
    assert all(h.match for h in window.model.hits()) and window.model.rowCount() < 16


def test_new_matches_wait_in_a_bar_while_indexing(
    make_window, indexed_photos: Path, tmp_path: Path, qtbot
) -> None:
    window = make_window()
    qtbot.waitUntil(lambda: window.model.rowCount() == 16, timeout=TIMEOUT_MS)  # browsing
    with qtbot.waitSignal(window.controller.shown, timeout=TIMEOUT_MS,
                          check_params_cb=lambda r: r.exact):
        window.search_bar.set_text("a blue square")
    before = shown_paths(window)
    for n in range(40, 52):
        make_photo(indexed_photos / "new" / f"n{n}.jpg", n)
    window.engine.session.service.request_scan()  # what the watcher does on file events
    qtbot.waitUntil(lambda: window.new_matches.isVisible(), timeout=TIMEOUT_MS)
    assert "12 new matches" in window.new_matches.label.text()
    assert shown_paths(window) == before  # nothing moved under the user
    window.new_matches.button("Show").click()
    assert window.model.rowCount() == 28
