"""The model's life in the window: download progress and Cancel, loading, switch, settings."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from tests.gui.conftest import TIMEOUT_MS

pytestmark = pytest.mark.gui

MB = 1_000_000


@pytest.fixture
def fake_download(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict]:
    """Names in ``control["names"]`` need a download (no network here): 5 MB every 100 ms of
    50 MB, then they wait for Cancel unless ``control["finish"]`` is set."""
    import core.models.download as download_module
    import core.models.names as names_module
    from core.errors import Cancelled

    control: dict = {"names": set(), "finish": False, "started": 0}
    real_parse = names_module.parse_model_name

    def parse(name: str):
        spec = real_parse(name)
        return dataclasses.replace(spec, pretrained="fake") if name in control["names"] else spec

    def download(spec, cache, progress, cancel):
        control["started"] += 1
        total = 50 * MB
        for step in range(6):
            progress(step * 5 * MB, total)
            if cancel.wait(0.1):
                raise Cancelled("cancelled")
        if not control["finish"]:
            cancel.wait(TIMEOUT_MS / 1000)
            raise Cancelled("cancelled")
        progress(total, total)
        return cache / "fake.safetensors"

    monkeypatch.setattr(names_module, "parse_model_name", parse)
    monkeypatch.setattr(download_module, "cached_weights", lambda spec, cache: None)
    monkeypatch.setattr(download_module, "download_weights", download)
    yield control


def test_download_shows_size_speed_time_left_and_cancel_works(
    make_window, indexed_photos: Path, fake_download: dict, qtbot
) -> None:
    fake_download["names"].add("test-tiny")
    window = make_window(wait_model=False)
    banner = window.banner
    qtbot.waitUntil(lambda: "MB/s" in banner.label.text() and "left" in banner.label.text(),
                    timeout=TIMEOUT_MS)
    assert "of 50 MB" in banner.label.text()
    assert banner.cancel_button.isVisible() and window.acts.cancel_download.isEnabled()
    qtbot.mouseClick(banner.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: banner.state == "cancelled", timeout=TIMEOUT_MS)
    assert banner.retry_button.isVisible() and not banner.cancel_button.isVisible()
    assert window.acts.retry_download.isEnabled()
    window.acts.retry_download.trigger()  # Retry from the menu: a new download, a new meter
    qtbot.waitUntil(lambda: fake_download["started"] == 2 and banner.state == "downloading",
                    timeout=TIMEOUT_MS)
    window.acts.cancel_download.trigger()
    qtbot.waitUntil(lambda: banner.state == "cancelled", timeout=TIMEOUT_MS)


def test_the_banner_says_loading_once_the_download_ends(
    make_window, indexed_photos: Path, fake_download: dict, qtbot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from core.library import Library

    fake_download["names"].add("test-tiny")
    fake_download["finish"] = True
    release = threading.Event()
    real_prepare = Library.prepare
    monkeypatch.setattr(Library, "prepare", lambda self: (release.wait(30), real_prepare(self)))
    window = make_window(wait_model=False)
    banner = window.banner
    try:
        qtbot.waitUntil(lambda: banner.state == "downloading", timeout=TIMEOUT_MS)
        qtbot.waitUntil(lambda: banner.state == "loading", timeout=TIMEOUT_MS)
        assert not banner.cancel_button.isVisible()
        assert "Downloading" not in banner.label.text() and "Loading" in banner.label.text()
        assert not window.acts.cancel_download.isEnabled()
    finally:
        fake_download["names"].clear()  # the weights are "in": load the real tiny model
        release.set()
    qtbot.waitUntil(lambda: window.engine.model_ready, timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: not banner.isVisible(), timeout=TIMEOUT_MS)  # READY reaches the GUI


def test_switching_to_a_model_to_download_shows_progress_and_cancels(
    make_window, indexed_photos: Path, tiny_weights_path: Path, fake_download: dict, qtbot
) -> None:
    window = make_window()
    new_model = f"test-tiny:{tiny_weights_path}"
    fake_download["names"].add(new_model)
    window.engine.switch_model(new_model, "cpu")
    banner = window.banner
    qtbot.waitUntil(lambda: "MB/s" in banner.label.text(), timeout=TIMEOUT_MS)
    assert banner.cancel_button.isVisible()
    qtbot.mouseClick(banner.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.notice.isVisible() and "still answers"
                    in window.notice.label.text(), timeout=TIMEOUT_MS)
    assert not banner.isVisible()
    assert window.engine.library.model_name == "test-tiny" and window.engine.model_ready
    assert not window.engine.session.service._held  # the old model indexes again


def test_a_model_switch_survives_later_settings_writes(
    make_window, indexed_photos: Path, tiny_weights_path: Path, isolated_home: Path, qtbot
) -> None:
    """The new library must not write back the model it read before the choice was saved."""
    from core.config.settings import Settings

    window = make_window()
    engine = window.engine
    io_free = threading.Event()
    engine.tasks.run("io", lambda _c: io_free.wait(30))  # the io pool is busy a while
    new_model = f"test-tiny:{tiny_weights_path}"
    try:
        engine.switch_model(new_model, "cpu")
        qtbot.waitUntil(lambda: engine.library.model_name == new_model, timeout=TIMEOUT_MS)
    finally:
        io_free.set()
    engine.save_settings(welcomed=True)  # any later write, e.g. the welcome page's
    saved = isolated_home / "settings.json"
    qtbot.waitUntil(lambda: Settings.load(saved).welcomed, timeout=TIMEOUT_MS)
    assert Settings.load(saved).model == new_model
    assert Settings.load(saved).device == "cpu"


def test_settings_wait_for_the_library_to_open(make_window, qtbot) -> None:
    from desktop_app.app import create_window

    early = create_window(model="test-tiny")
    qtbot.addWidget(early)
    assert not early.acts.settings.isEnabled()  # OK here would switch to another model
    early.open_settings()  # the shortcut may still fire: nothing opens
    from desktop_app.settings_dialog import SettingsDialog

    assert not early.findChildren(SettingsDialog)
    early.engine.shutdown()
    window = make_window(wait_model=False)
    assert window.acts.settings.isEnabled()


def test_notices_from_loading_the_model_are_shown(
    make_window, indexed_photos: Path, isolated_home: Path, qtbot
) -> None:
    for index in (isolated_home / "index").glob("*.hnsw"):
        index.write_bytes(b"not an index")  # damaged: rebuilt from the catalog on load
    window = make_window()
    qtbot.waitUntil(lambda: window.notice.isVisible() and "rebuilt"
                    in window.notice.label.text(), timeout=TIMEOUT_MS)
