"""The first start asks which model to use: the offered models as cards in plain words, the
recommended one preselected and marked, speeds measured off the GUI thread, and the choice
saved as the settings' model through the usual switch. No network is touched."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402

from core.models.names import DEFAULT_MODEL, KNOWN_MODELS, MULTILINGUAL_MODEL  # noqa: E402

pytestmark = pytest.mark.gui
TIMEOUT_MS = 120_000
HIGH_QUALITY = "ViT-B-16-SigLIP2:webli"


def test_the_choice_is_asked_while_nobody_named_a_model_and_the_default_is_not_here(
    tmp_path: Path,
) -> None:
    from core.models.download import _hf_candidates, model_choice_needed
    from core.models.names import parse_model_name
    from tests.hf_assets import _snapshot

    assert model_choice_needed("", DEFAULT_MODEL, tmp_path)
    assert not model_choice_needed(DEFAULT_MODEL, DEFAULT_MODEL, tmp_path)  # chosen
    assert not model_choice_needed("", "test-tiny", tmp_path)  # --model named one
    repo_id, names = _hf_candidates(parse_model_name(DEFAULT_MODEL))
    (_snapshot(tmp_path, repo_id) / names[0]).write_bytes(b"weights")
    assert not model_choice_needed("", DEFAULT_MODEL, tmp_path)  # already downloaded


@pytest.fixture
def speeds_off_the_gui_thread(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """model_speed answers 12 photos/s and records the thread that asked."""
    from core.models import speed

    threads: list[str] = []

    def model_speed(info, cache_dir, run=True):
        threads.append(threading.current_thread().name)
        return speed.Speed(12.0 if info.name == DEFAULT_MODEL else 4.0, measured=False)

    monkeypatch.setattr(speed, "model_speed", model_speed)
    return threads


def test_the_page_offers_every_model_in_plain_words_with_the_recommended_one_chosen(
    qtbot, tmp_path: Path, speeds_off_the_gui_thread: list[str]
) -> None:
    from desktop_app.first_run import ModelChoicePage
    from desktop_app.tasks import TaskRunner

    tasks = TaskRunner()
    page = ModelChoicePage(tasks, tmp_path)
    qtbot.addWidget(page)
    page.show()
    assert [c.info.name for c in page.cards] == [m.name for m in KNOWN_MODELS]
    assert page.selected_model() == DEFAULT_MODEL
    marked = [c for c in page.cards if c.badge is not None]
    assert len(marked) == 1 and marked[0].info.name == DEFAULT_MODEL
    assert marked[0].radio.isChecked() and marked[0].badge.text() == "Recommended"
    default = page.cards[0]
    text = " ".join(w.text() for w in default.findChildren(type(default.speed_label)))
    assert "1.5 GB" in text and "English" in text and "Very good" in text
    multilingual = next(c for c in page.cards if c.info.name == MULTILINGUAL_MODEL)
    words = " ".join(w.text() for w in multilingual.findChildren(type(default.speed_label)))
    assert "Chinese" in words
    qtbot.waitUntil(lambda: "photos a second" in default.speed_label.text(), timeout=TIMEOUT_MS)
    assert default.speed_label.text() == "About 12 photos a second (estimated)"
    assert speeds_off_the_gui_thread
    assert threading.main_thread().name not in speeds_off_the_gui_thread
    qtbot.mouseClick(multilingual, Qt.MouseButton.LeftButton)  # anywhere on the card
    assert page.selected_model() == MULTILINGUAL_MODEL and not default.radio.isChecked()
    with qtbot.waitSignal(page.chosen, timeout=TIMEOUT_MS) as chosen:
        qtbot.mouseClick(page.continue_button, Qt.MouseButton.LeftButton)
    assert chosen.args == [MULTILINGUAL_MODEL]
    # This page has a task runner of its own (the app's lives as long as the app): nothing of
    # it may still be on its way to the GUI thread when the test's widgets are torn down.
    qtbot.waitUntil(lambda: not tasks.busy(), timeout=TIMEOUT_MS)
    page.close()
    tasks.shutdown(wait=True)


@pytest.fixture
def first_start(
    qtbot, qapp, caplog: pytest.LogCaptureFixture, no_network: None,
    speeds_off_the_gui_thread: list[str],
) -> Iterator[Callable[[], object]]:
    """A window on an empty data folder with no model named: what a new user starts. A
    download, once chosen, fails at once (no network), as it would offline."""
    from desktop_app.app import application, create_window

    application()
    windows = []

    def start(model: str | None = None):
        window = create_window(model=model)
        qtbot.addWidget(window)
        windows.append(window)
        window.show()
        with qtbot.waitSignal(window.engine.opened, timeout=TIMEOUT_MS):
            window.engine.start()
        return window

    with caplog.at_level(logging.WARNING):
        yield start
    for window in windows:
        window.engine.shutdown()
    errors = [r for r in caplog.records
              if r.levelno >= logging.ERROR and r.name.startswith(("desktop_app", "core"))]
    assert not errors, f"unexpected errors logged: {[r.getMessage() for r in errors]}"


def test_a_first_start_asks_and_the_choice_becomes_the_settings_model(
    first_start, qtbot
) -> None:
    from core.config.settings import SettingsStore
    from core.lifecycle.states import ModelState

    window = first_start()
    welcome = window.welcome
    qtbot.waitUntil(lambda: welcome.model_choice is not None and welcome.model_choice.isVisible(),
                    timeout=TIMEOUT_MS)
    page = welcome.model_choice
    assert window.stack.currentWidget() is welcome
    assert page.selected_model() == DEFAULT_MODEL
    # Nothing is downloaded before the choice: the session waits, the banner stays hidden.
    assert window.engine.session.model_state is ModelState.CHOOSING
    assert not window.banner.isVisible()
    page.select(HIGH_QUALITY)
    with qtbot.waitSignal(welcome.model_chosen, timeout=TIMEOUT_MS):
        qtbot.mouseClick(page.continue_button, Qt.MouseButton.LeftButton)
    assert welcome.steps.currentWidget() is welcome.folders_step  # then: where are the photos
    store = SettingsStore(window.engine.paths.settings)
    qtbot.waitUntil(lambda: store.reload().model == HIGH_QUALITY, timeout=TIMEOUT_MS)
    # The library reopens with the chosen model and tries to download it (no network here).
    qtbot.waitUntil(lambda: window.engine.library is not None
                    and window.engine.library.model_name == HIGH_QUALITY, timeout=TIMEOUT_MS)


def test_keeping_the_recommended_model_saves_it_and_starts_its_download(
    first_start, qtbot
) -> None:
    from core.config.settings import SettingsStore
    from core.lifecycle.states import ModelState

    window = first_start()
    welcome = window.welcome
    qtbot.waitUntil(lambda: welcome.model_choice is not None and welcome.model_choice.isVisible(),
                    timeout=TIMEOUT_MS)
    with qtbot.waitSignal(window.engine.model_state, timeout=TIMEOUT_MS) as tried:
        qtbot.mouseClick(welcome.model_choice.continue_button, Qt.MouseButton.LeftButton)
    assert tried.args[0] is ModelState.LOADING  # the download begins only now
    store = SettingsStore(window.engine.paths.settings)
    qtbot.waitUntil(lambda: store.reload().model == DEFAULT_MODEL, timeout=TIMEOUT_MS)
    # Offline here: the banner says the download failed, with Retry and a weights file.
    qtbot.waitUntil(lambda: window.banner.state == "failed", timeout=TIMEOUT_MS)


def test_a_library_opened_with_a_named_model_is_not_asked(first_start, qtbot) -> None:
    window = first_start("test-tiny")  # as with --model or PHOTOSEEK_MODEL
    assert window.welcome.model_choice is None
    assert window.welcome.steps.currentWidget() is window.welcome.folders_step


def test_no_choice_is_asked_when_the_default_is_already_downloaded(
    first_start, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from core.lifecycle.states import ModelState
    from core.models import download

    asked = threading.Event()

    def on_disk(*_args: object) -> bool:  # core's disk check (tested above), answering "there"
        asked.set()
        return False

    monkeypatch.setattr(download, "model_choice_needed", on_disk)
    window = first_start()
    qtbot.waitUntil(asked.is_set, timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: window.banner.state != "hidden", timeout=TIMEOUT_MS)  # loading
    assert window.engine.session.model_state is not ModelState.CHOOSING
    assert window.welcome.model_choice is None


def test_the_banner_says_when_a_download_resumes(qtbot) -> None:
    from core.lifecycle.states import ModelState
    from desktop_app.model_download import ModelBanner

    banner = ModelBanner()
    qtbot.addWidget(banner)
    banner.show_state(ModelState.DOWNLOADING, "")
    banner.show_download(600_000_000, 1_524_000_000)  # an earlier try left 600 MB
    assert banner.label.text().startswith("Resuming the search model download: 600 MB of ")
    banner.show_download(700_000_000, 1_524_000_000)
    assert banner.label.text().startswith("Resuming")  # the whole of this download
    banner.show_state(ModelState.DOWNLOADING, "")  # a new download from nothing
    banner.show_download(0, 1_524_000_000)
    assert banner.label.text().startswith("Downloading the search model: 0 MB of ")


def test_leaving_the_choice_for_the_folders_keeps_the_question_in_the_banner(
    first_start, qtbot, photo_dir: Path
) -> None:
    from core.lifecycle.states import ModelState

    window = first_start()
    welcome = window.welcome
    qtbot.waitUntil(lambda: welcome.model_choice is not None and welcome.model_choice.isVisible(),
                    timeout=TIMEOUT_MS)
    assert not window.banner.isVisible()
    window.add_folder(str(photo_dir))  # the library panel's Add Folder, without choosing
    assert window.stack.currentWidget() is window.view
    assert window.engine.session.model_state is ModelState.CHOOSING  # nothing downloads
    assert window.banner.isVisible() and window.banner.choose_button.isVisible()
    qtbot.mouseClick(window.banner.choose_button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is welcome and welcome.model_choice.isVisible()
    assert not window.banner.isVisible()
    with qtbot.waitSignal(window.engine.model_state, timeout=TIMEOUT_MS) as tried:
        qtbot.mouseClick(welcome.model_choice.continue_button, Qt.MouseButton.LeftButton)
    assert tried.args[0] is ModelState.LOADING
    assert window.stack.currentWidget() is window.view  # back to the photos, not the welcome
