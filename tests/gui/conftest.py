"""GUI fixtures: the real window over a real library with the tiny model, offscreen.

Each test gets its own data folder (PHOTOSEEK_HOME from tests/conftest.py). Libraries are
indexed by core before the window opens when a test needs search results at once; tests about
indexing add folders through the window instead.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt  # noqa: E402
from PySide6.QtGui import QDragEnterEvent, QDropEvent  # noqa: E402

TINY = "test-tiny"
TIMEOUT_MS = 120_000  # hang guards: generous, so that a busy machine never fails them


@pytest.fixture
def indexed_photos(photo_dir: Path, isolated_home: Path) -> Path:
    """photo_dir, added to the library and indexed by core (no GUI)."""
    from core.library import Library

    library = Library(model=TINY)
    try:
        library.add_folder(photo_dir)
        library.index()
    finally:
        library.close()
    return photo_dir


@pytest.fixture(autouse=True)
def _english_locale() -> Iterator[None]:
    """GUI tests read the English interface with en_US numbers and dates, whatever the machine's
    LANG (C writes 4800 where a reader of English expects 4,800); the Chinese tests install
    their language themselves."""
    from PySide6.QtCore import QLocale

    QLocale.setDefault(QLocale("en_US"))
    yield
    QLocale.setDefault(QLocale("en_US"))


@pytest.fixture
def make_window(
    qtbot, qapp, caplog: pytest.LogCaptureFixture
) -> Iterator[Callable[..., object]]:
    """Build, show and start a MainWindow; waits until the catalog is open."""
    from desktop_app.app import application, create_window

    application()
    windows = []

    def make(model: str = TINY, wait_model: bool = True):
        window = create_window(model=model)
        qtbot.addWidget(window)
        windows.append(window)
        window.show()
        with qtbot.waitSignal(window.engine.opened, timeout=TIMEOUT_MS):
            window.engine.start()
        if wait_model:
            qtbot.waitUntil(lambda: window.engine.model_ready, timeout=TIMEOUT_MS)
        return window

    with caplog.at_level(logging.WARNING):
        yield make
    for window in windows:
        window.engine.shutdown()
    errors = [r for r in caplog.records
              if r.levelno >= logging.ERROR and r.name.startswith(("desktop_app", "core"))]
    assert not errors, f"unexpected errors logged: {[r.getMessage() for r in errors]}"


def shown_paths(window) -> list[Path]:
    model = window.model
    return [model.photo(r).path for r in range(model.rowCount())]


@pytest.fixture(scope="session", autouse=True)
def _empty_offscreen_clipboard_at_exit() -> Iterator[None]:
    """Qt's offscreen platform frees clipboard QMimeData twice at exit (a segfault after every
    test passed); real platforms (xcb checked) do not. Emptying it at the end avoids that."""
    yield
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is not None:
        app.clipboard().clear()


def drag_events(point: QPoint, mime: QMimeData) -> tuple[QDragEnterEvent, QDropEvent]:
    """A drag-enter and a drop of ``mime`` at ``point``, as a file manager sends them."""
    rest = (Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier)
    try:
        enter = QDragEnterEvent(QPointF(point), *rest)
    except TypeError:  # PySide6 before 6.12 takes a QPoint here
        enter = QDragEnterEvent(point, *rest)
    return enter, QDropEvent(QPointF(point), *rest)


@pytest.fixture
def opened_urls(monkeypatch: pytest.MonkeyPatch) -> list:
    """What the app asked the desktop to open, instead of opening it."""
    from PySide6.QtGui import QDesktopServices

    opened: list = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    return opened
