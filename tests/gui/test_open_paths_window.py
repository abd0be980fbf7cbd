"""The window carries the app icon; photos and folders handed in from outside (`photoseek PATH`,
"Open with PhotoSeek", a later start) become a search, or a question before a folder is added."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication, QMessageBox

from core.cli.open_paths import OpenRequest
from tests.conftest import make_photo
from tests.gui.conftest import TIMEOUT_MS

pytestmark = pytest.mark.gui


def _folders(window) -> list[Path]:
    return [Path(f.path) for f in window.engine.library.status().folders]


def test_the_window_and_the_app_carry_the_icon(make_window) -> None:
    window = make_window(wait_model=False)
    icon = window.windowIcon()
    assert not icon.isNull() and not QApplication.windowIcon().isNull()
    # Drawn for the small sizes of a task bar as for a dock, not one bitmap scaled.
    assert {QSize(16, 16), QSize(512, 512)} <= set(icon.availableSizes())
    assert not icon.pixmap(32, 32).toImage().isNull()


def test_a_photo_from_outside_becomes_a_search_for_photos_like_it(
    make_window, indexed_photos: Path, qtbot
) -> None:
    from desktop_app.app import on_instance_message
    from desktop_app.open_requests import to_message

    window = make_window()
    qtbot.waitUntil(lambda: window.model.rowCount() == 16, timeout=TIMEOUT_MS)  # browsing
    photo = indexed_photos / "img_05.jpg"
    with qtbot.waitSignal(window.controller.shown, timeout=TIMEOUT_MS,
                          check_params_cb=lambda r: r.exact and r.ranked):
        # What a second `photoseek img_05.jpg` hands to the running window.
        on_instance_message(window, to_message(OpenRequest(photos=(photo,))))
    assert window.controller.draft.images == (str(photo),)
    assert window.findChild(QMessageBox, "offer_folders") is None  # nothing to ask
    from tests.gui.test_search_input import assert_likeness_answer

    assert_likeness_answer(window, photo)


def test_a_folder_from_outside_is_offered_and_added_only_when_accepted(
    make_window, tmp_path: Path, qtbot
) -> None:
    from desktop_app.open_requests import open_request

    kept, trip = tmp_path / "kept", tmp_path / "trip"
    for n, folder in enumerate((kept, trip)):
        make_photo(folder / "a.jpg", n)
    window = make_window(wait_model=False)
    box = open_request(window, OpenRequest(folders=(kept,)))
    assert box is not None and box.isVisible() and str(kept) in box.informativeText()
    box.button(QMessageBox.StandardButton.Cancel).click()  # declined: nothing is added
    qtbot.wait(200)
    assert _folders(window) == []

    from desktop_app.app import on_instance_message
    from desktop_app.open_requests import to_message

    on_instance_message(window, to_message(OpenRequest(folders=(trip,))))
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "offer_folders") is not None,
                    timeout=TIMEOUT_MS)
    offer = window.findChild(QMessageBox, "offer_folders")
    assert str(trip) in offer.informativeText() and _folders(window) == []  # it asks first
    assert offer.defaultButton().text() == "Add to Library"
    offer.defaultButton().click()
    qtbot.waitUntil(lambda: [p.resolve() for p in _folders(window)] == [trip.resolve()],
                    timeout=TIMEOUT_MS)


def test_photoseek_photo_hands_its_request_to_the_running_instance(
    qtbot, qapp, isolated_home: Path, tmp_path: Path
) -> None:
    """`photoseek PHOTO FOLDER` while PhotoSeek runs: the running one gets both, classified."""
    import os
    import subprocess
    import sys

    from desktop_app.open_requests import from_message
    from desktop_app.single_instance import InstanceServer

    photo = make_photo(tmp_path / "cat.jpg", 3)
    folder = tmp_path / "trip"
    folder.mkdir()
    server = InstanceServer(isolated_home)  # stands for the running app's listener
    try:
        with qtbot.waitSignal(server.message, timeout=TIMEOUT_MS) as got:
            child = subprocess.Popen(
                [sys.executable, "-m", "desktop_app", "cat.jpg", "trip"], cwd=tmp_path,
                env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            qtbot.waitUntil(lambda: child.poll() is not None, timeout=TIMEOUT_MS)
        _out, err = child.communicate()
        assert child.returncode == 0 and "already running" in err, err
        assert from_message(got.args[0]) == OpenRequest(photos=(photo,), folders=(folder,))
    finally:
        server.close()


def test_a_photo_given_at_start_is_searched_once_the_library_opens(
    qtbot, qapp, indexed_photos: Path
) -> None:
    """`photoseek PHOTO` with no app running: the request is opened right after the engine
    starts (run_app), before the catalog and the model are ready."""
    from desktop_app.app import application, create_window
    from desktop_app.open_requests import open_request

    application()
    window = create_window(model="test-tiny")
    qtbot.addWidget(window)
    window.show()
    photo = indexed_photos / "img_07.jpg"
    try:
        with qtbot.waitSignal(window.controller.shown, timeout=TIMEOUT_MS,
                              check_params_cb=lambda r: r.exact and r.ranked and r.hits):
            window.engine.start()
            open_request(window, OpenRequest(photos=(photo,)))
        qtbot.waitUntil(lambda: window.engine.model_ready, timeout=TIMEOUT_MS)
        assert window.controller.draft.images == (str(photo),)
    finally:
        window.engine.shutdown()
