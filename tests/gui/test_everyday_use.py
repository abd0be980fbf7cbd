"""What a new user met in the window: quitting, pasting a copied photo, file names after the
model loads, what a search says while the model loads, a narrow library panel, a broken photo
in the preview, honest counts, the devices offered, and failures that were silent."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, Qt, QUrl
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QLabel

from tests.conftest import make_photo
from tests.gui.conftest import TIMEOUT_MS, shown_paths

pytestmark = pytest.mark.gui
ROOT = Path(__file__).resolve().parents[2]


def test_ctrl_q_quits_and_no_two_commands_share_a_key(make_window, qtbot) -> None:
    window = make_window(wait_model=False)
    seen: dict[str, str] = {}
    for action in window.findChildren(type(window.acts.quit)):
        if action.shortcutContext() != Qt.ShortcutContext.WindowShortcut:
            continue  # widget shortcuts (Enter, Space on the grid) only act there
        keys = [k.toString() for k in action.shortcuts()]
        assert len(keys) == len(set(keys)), f"{action.text()} lists a key twice: {keys}"
        for key in keys:
            assert key not in seen, f"{key}: {seen[key]} and {action.text()}"
            seen[key] = action.text()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=TIMEOUT_MS)
    # An ambiguous shortcut (Ctrl+Q bound twice) triggers nothing: the window would stay.
    qtbot.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=TIMEOUT_MS)


def _instance_ready(home: Path, env: dict[str, str]) -> bool:
    probe = subprocess.run(
        [sys.executable, "-c", "import sys; from pathlib import Path;"
         "from PySide6.QtCore import QCoreApplication; app = QCoreApplication([]);"
         "from desktop_app.single_instance import hand_over;"
         "sys.exit(0 if hand_over(Path(sys.argv[1]), 'probe') else 1)", str(home)],
        env=env, capture_output=True, timeout=60,
    )
    return probe.returncode == 0


def test_a_start_right_after_quitting_opens_a_window(isolated_home) -> None:
    """The first process stops listening the moment its window closes, and exits promptly;
    a start meanwhile is a new app, not a request handed to a dying one."""
    import signal

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PHOTOSEEK_MODEL": "test-tiny"}
    first = subprocess.Popen([sys.executable, "-m", "desktop_app"], env=env, cwd=ROOT,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    second = None
    try:
        deadline = time.monotonic() + 300
        while not _instance_ready(isolated_home, env):
            assert first.poll() is None and time.monotonic() < deadline
            time.sleep(0.2)
        first.send_signal(signal.SIGTERM)  # as a desktop logging out: the window closes
        second = subprocess.Popen([sys.executable, "-m", "desktop_app"], env=env, cwd=ROOT,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        first.wait(60)  # a hang guard, not a speed test
        assert first.returncode == 0
        while not _instance_ready(isolated_home, env):
            assert second.poll() is None, second.stderr.read() if second.stderr else ""
            assert time.monotonic() < deadline + 60
            time.sleep(0.2)
        assert second.poll() is None, "the second start must be the running app now"
    finally:
        for proc in (first, second):
            if proc is not None and proc.poll() is None:
                proc.terminate()
                proc.wait(30)


def test_ctrl_v_of_a_photo_copied_in_a_file_manager_searches_by_it(
    make_window, indexed_photos: Path, qtbot
) -> None:
    window = make_window()
    photo = indexed_photos / "img_05.jpg"
    mime = QMimeData()  # what Nautilus, Dolphin and Finder put on the clipboard
    mime.setUrls([QUrl.fromLocalFile(str(photo))])
    mime.setText(str(photo))
    QApplication.clipboard().setMimeData(mime)
    field = window.search_bar.field
    field.setFocus()
    qtbot.waitUntil(field.hasFocus, timeout=TIMEOUT_MS)
    with qtbot.waitSignal(window.controller.shown, timeout=TIMEOUT_MS,
                          check_params_cb=lambda r: r.exact):
        qtbot.keySequence(field, QKeySequence.StandardKey.Paste)
    assert field.text() == ""  # not the path as words
    assert window.controller.draft.images == (str(photo),)
    QApplication.clipboard().setText("a red circle")  # words still paste as words
    qtbot.keySequence(field, QKeySequence.StandardKey.Paste)
    assert field.text() == "a red circle"


def test_file_and_folder_names_still_come_first_once_the_model_has_loaded(
    make_window, indexed_photos: Path, qtbot
) -> None:
    window = make_window()
    with qtbot.waitSignal(window.controller.shown, timeout=TIMEOUT_MS,
                          check_params_cb=lambda r: r.exact and r.ranked):
        window.search_bar.set_text("img_07")
    assert shown_paths(window)[0] == indexed_photos / "img_07.jpg"
    assert window.model.hits()[0].name_match
    assert "by file or folder name first" in window.status.results_label.text()
    with qtbot.waitSignal(window.controller.shown, timeout=TIMEOUT_MS,
                          check_params_cb=lambda r: r.exact and r.ranked):
        window.search_bar.set_text("sub")  # a folder's name
    firsts = shown_paths(window)[:4]
    assert {p.parent.name for p in firsts} == {"sub"}


def test_a_query_while_the_model_loads_says_so(
    make_window, indexed_photos: Path, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from core.library import Library

    release = threading.Event()
    real_prepare = Library.prepare
    monkeypatch.setattr(Library, "prepare", lambda self: (release.wait(60), real_prepare(self)))
    window = make_window(wait_model=False)
    try:
        with qtbot.waitSignal(window.controller.shown, timeout=TIMEOUT_MS):
            window.search_bar.set_text("grandma on the beach")
        assert window.model.rowCount() == 0
        assert "still loading" in window.view.empty_text
        assert "No matching photos" not in window.view.empty_text
        window.search_bar.set_text("img_1")  # names answer meanwhile
        qtbot.waitUntil(lambda: window.model.rowCount() == 2, timeout=TIMEOUT_MS)
        assert "by file name and date" in window.status.results_label.text()
    finally:
        release.set()
    qtbot.waitUntil(lambda: window.engine.model_ready, timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: window.controller.ranked, timeout=TIMEOUT_MS)  # the real answer


def test_the_library_panel_reads_well_at_the_default_width(
    make_window, indexed_photos: Path, qtbot
) -> None:
    window = make_window()
    panel = window.folders
    tree = panel.tree
    qtbot.waitUntil(lambda: tree.topLevelItemCount() == 1, timeout=TIMEOUT_MS)
    item = tree.topLevelItem(0)
    metrics = tree.fontMetrics()
    needed = metrics.horizontalAdvance(item.text(0))
    assert item.text(0) == indexed_photos.name
    assert tree.columnWidth(0) - tree.indentation() >= needed, "the folder's name is cut"
    assert not window.view.horizontalScrollBar().isVisible()
    window.engine.forget_folder(indexed_photos)
    qtbot.waitUntil(panel.hint.isVisible, timeout=TIMEOUT_MS)
    assert panel.hint.wordWrap() and panel.hint.text().startswith("No folders yet")
    assert panel.hint.heightForWidth(panel.hint.width()) <= panel.hint.height() + 1


def test_a_photo_that_cannot_be_read_says_why_in_the_grid_and_the_preview(
    make_window, indexed_photos: Path, qtbot
) -> None:
    from desktop_app.results_model import FailedRole

    broken = indexed_photos / "img_00.jpg"
    window = make_window()
    qtbot.waitUntil(lambda: window.model.rowCount() == 16, timeout=TIMEOUT_MS)
    broken.write_bytes(broken.read_bytes()[:200])  # damaged after it was indexed
    window.loader.memory = type(window.loader.memory)(window.loader.memory.max_bytes)
    window.model.refresh_thumbnails()
    row = shown_paths(window).index(broken)
    index = window.model.index(row, 0)
    window.view.scrollTo(index)
    qtbot.waitUntil(lambda: bool(index.data(FailedRole)), timeout=TIMEOUT_MS)
    assert "Cannot be shown" in index.data(Qt.ItemDataRole.ToolTipRole)
    window.view.setCurrentIndex(index)
    window.show_preview()
    canvas = window.preview.canvas
    qtbot.waitUntil(lambda: canvas.problem is not None, timeout=TIMEOUT_MS)
    assert "cannot be shown" in canvas.message() and canvas.message() != "Loading…"


def test_the_preview_shows_a_long_path_whole(make_window, tmp_path: Path, qtbot) -> None:
    deep = tmp_path / "a_very_long_folder_name_from_a_camera_import_2023-07-14" / "DCIM_100"
    photo = make_photo(deep / "IMG_20230714_183055_with_a_long_descriptive_name.jpg", 3)
    window = make_window()
    window.add_folder(str(tmp_path))
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=TIMEOUT_MS)
    window.view.setCurrentIndex(window.model.index(0, 0))
    window.show_preview()
    preview = window.preview
    qtbot.waitExposed(preview)
    labels = [w for w in preview.findChildren(QLabel)
              if w.text().replace("\u200b", "") == str(photo)]
    assert len(labels) == 1
    label = labels[0]
    assert label.height() >= label.heightForWidth(label.width()), "the path is cut"
    assert label.width() <= preview.width()


def test_new_matches_count_only_photos_near_the_top(make_window, qtbot) -> None:
    from core.records import Photo, SearchHit, SearchResults
    from desktop_app.search_bar import QueryDraft
    from desktop_app.search_controller import NEW_MATCH_RANKS

    window = make_window(wait_model=False)
    controller = window.controller
    shown = [SearchHit(Photo(n, Path(f"/p/{n}.jpg"), 1), 1 - n / 1000) for n in range(200)]
    controller.draft = QueryDraft(text="dogs")
    window.model.reset(shown)
    # The refreshed answer: 3 new photos rank in the top 100, 40 more far below.
    fresh = [SearchHit(Photo(1000 + n, Path(f"/p/new{n}.jpg"), 1), 0.9) for n in range(43)]
    ranked = fresh[:3] + shown[: NEW_MATCH_RANKS - 3] + fresh[3:] + shown[NEW_MATCH_RANKS - 3:]
    controller._refreshed(SearchResults(ranked, True, 0.01, 243))
    assert controller._bar.isVisible()
    assert "3 new matches" in controller._bar.label.text()


def test_the_count_of_shown_photos_never_goes_stale(make_window, indexed_photos, qtbot) -> None:
    window = make_window()
    qtbot.waitUntil(lambda: window.model.rowCount() == 16, timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: "16 photos in the library" in window.status.results_label.text(),
                    timeout=TIMEOUT_MS)
    for n in range(40, 45):
        make_photo(indexed_photos / "later" / f"l{n}.jpg", n)
    window.engine.session.service.request_scan()
    qtbot.waitUntil(lambda: window.new_matches.isVisible(), timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: "16 of 21 photos shown" in window.status.results_label.text(),
                    timeout=TIMEOUT_MS)


def test_settings_offer_only_the_devices_this_computer_has(make_window, qtbot) -> None:
    import torch

    from desktop_app.settings_dialog import SettingsDialog

    window = make_window()
    dialog = SettingsDialog(window.engine, window)
    devices = [dialog.device_box.itemData(i) for i in range(dialog.device_box.count())]
    assert devices[:2] == ["auto", "cpu"]
    assert ("cuda" in devices) == torch.cuda.is_available()
    assert "mps" not in devices or torch.backends.mps.is_available()


def test_random_weights_are_announced_in_the_window(make_window, qtbot) -> None:
    window = make_window(model="random:test-tiny")
    qtbot.waitUntil(lambda: "random weights" in window.notice.label.text(), timeout=TIMEOUT_MS)
    assert window.notice.isVisible()


def test_open_and_show_in_folder_say_what_went_wrong(
    make_window, indexed_photos: Path, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtGui import QDesktopServices

    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: False)  # no app for it
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    window = make_window()
    qtbot.waitUntil(lambda: window.model.rowCount() == 16, timeout=TIMEOUT_MS)
    window.view.setCurrentIndex(window.model.index(0, 0))
    window.acts.open.trigger()
    qtbot.waitUntil(lambda: "No application" in window.notice.label.text(), timeout=TIMEOUT_MS)
    assert window.acts.reveal.isEnabled()
    window.acts.reveal.trigger()
    qtbot.waitUntil(lambda: "No file manager" in window.notice.label.text(),
                    timeout=TIMEOUT_MS)
    gone = window.model.photo(1).path
    shutil.move(gone, gone.with_suffix(".moved"))
    window.view.clearSelection()
    window.view.setCurrentIndex(window.model.index(1, 0))
    assert window.selected_paths() == [gone]
    window.acts.open.trigger()
    qtbot.waitUntil(lambda: "no longer there" in window.notice.label.text(), timeout=TIMEOUT_MS)
    assert gone.name in window.notice.label.text()


def test_an_unexpected_error_is_logged_with_its_traceback_and_noticed(
    make_window, isolated_home: Path, qtbot
) -> None:
    from desktop_app.diagnostics import ErrorNotices, connect_notices, install_log_file

    window = make_window(wait_model=False)
    root = logging.getLogger()
    before = list(root.handlers)
    log_file = install_log_file(isolated_home / "logs")
    notices = ErrorNotices(log_file)
    notices.install()
    connect_notices(notices, window.notice.show_message)
    try:
        def broken_slot() -> None:
            raise RuntimeError("a bug in a slot")

        sys.excepthook(RuntimeError, RuntimeError("a bug in a slot"), None)
        qtbot.waitUntil(lambda: "a bug in a slot" in window.notice.label.text(),
                        timeout=TIMEOUT_MS)
        assert str(log_file) in window.notice.label.text()
        import threading

        threading.Thread(target=broken_slot, name="worker-x").start()
        qtbot.waitUntil(lambda: "worker-x" in window.notice.label.text(), timeout=TIMEOUT_MS)
        for handler in root.handlers:
            handler.flush()
        written = log_file.read_text()
        assert "Traceback" in written and "a bug in a slot" in written
    finally:
        notices.uninstall()
        for handler in list(root.handlers):
            if handler not in before:
                root.removeHandler(handler)
                handler.close()
