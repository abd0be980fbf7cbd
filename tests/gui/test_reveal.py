"""Show in Folder on Linux: the file manager selects the photos over D-Bus (a private bus with a
stand-in file manager here); without QtDBus dbus-send does it; without a file manager the
photo's folder opens."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import ClassInfo, QObject, QUrl, Slot
from PySide6.QtDBus import QDBusConnection
from PySide6.QtGui import QDesktopServices

from desktop_app.reveal import FM_PATH, FM_SERVICE, file_uri
from tests.conftest import make_photo
from tests.gui.conftest import TIMEOUT_MS

pytestmark = [
    pytest.mark.gui,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="D-Bus reveal is Linux's"),
]


@ClassInfo({"D-Bus Interface": FM_SERVICE})
class FakeFileManager(QObject):
    """Answers ShowItems as Nautilus or Dolphin would, recording what it was asked to show."""

    def __init__(self) -> None:
        super().__init__()
        self.shown: list[list[str]] = []

    @Slot("QStringList", str)
    def ShowItems(self, uris: list[str], _startup_id: str) -> None:  # noqa: N802 - D-Bus name
        self.shown.append(list(uris))


@pytest.fixture
def private_bus(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A session bus of the test's own, made the app's session bus."""
    daemon = shutil.which("dbus-daemon")
    if daemon is None:
        pytest.skip("dbus-daemon is not installed")
    process = subprocess.Popen(
        [daemon, "--session", "--nofork", "--nopidfile", "--print-address=1"],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert process.stdout is not None
        address = process.stdout.readline().strip()
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", address)
        yield address
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture
def file_manager(private_bus: str) -> Iterator[FakeFileManager]:
    fm = FakeFileManager()
    bus = QDBusConnection.connectToBus(private_bus, "fake-file-manager")
    assert bus.registerObject(FM_PATH, fm, QDBusConnection.RegisterOption.ExportAllSlots)
    assert bus.registerService(FM_SERVICE)
    yield fm
    bus.unregisterService(FM_SERVICE)
    bus.unregisterObject(FM_PATH)
    QDBusConnection.disconnectFromBus("fake-file-manager")


@pytest.fixture
def opened_urls(monkeypatch: pytest.MonkeyPatch) -> list[QUrl]:
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    return opened


def _select_and_reveal(window, qtbot, rows: list[int]) -> list[Path]:
    qtbot.waitUntil(lambda: window.model.rowCount() == 16, timeout=TIMEOUT_MS)
    selection = window.view.selectionModel()
    for row in rows:
        selection.select(window.model.index(row, 0), selection.SelectionFlag.Select)
    assert window.acts.reveal.isEnabled()
    window.acts.reveal.trigger()  # Photo ▸ Show in Folder
    return [window.model.photo(r).path for r in sorted(rows)]


def test_show_in_folder_selects_the_photos_in_the_file_manager(
    make_window, indexed_photos: Path, file_manager: FakeFileManager, opened_urls, qtbot
) -> None:
    window = make_window()
    paths = _select_and_reveal(window, qtbot, [1, 4])
    qtbot.waitUntil(lambda: bool(file_manager.shown), timeout=TIMEOUT_MS)
    assert file_manager.shown == [[file_uri(p) for p in paths]]
    assert [Path(QUrl(u).toLocalFile()) for u in file_manager.shown[0]] == paths
    assert opened_urls == []  # the file manager did it: no folder window as well


def test_without_qtdbus_dbus_send_selects_the_photos(
    make_window, photo_dir: Path, file_manager: FakeFileManager, opened_urls, qtbot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if shutil.which("dbus-send") is None:
        pytest.skip("dbus-send is not installed")
    from core.library import Library

    odd = photo_dir / "-x, y.jpg"  # an option-like name with a comma (dbus-send's separator)
    make_photo(odd, 99)
    library = Library(model="test-tiny")
    try:
        library.add_folder(photo_dir)
        library.index()
    finally:
        library.close()
    monkeypatch.setitem(sys.modules, "PySide6.QtDBus", None)  # PySide6-Essentials without it
    window = make_window()
    qtbot.waitUntil(lambda: window.model.rowCount() == 17, timeout=TIMEOUT_MS)
    row = next(r for r in range(17) if window.model.photo(r).path == odd)
    window.view.selectionModel().select(
        window.model.index(row, 0), window.view.selectionModel().SelectionFlag.Select
    )
    window.acts.reveal.trigger()
    qtbot.waitUntil(lambda: bool(file_manager.shown), timeout=TIMEOUT_MS)
    assert file_manager.shown == [[file_uri(odd)]]
    assert opened_urls == []


def test_without_a_file_manager_the_folder_opens(
    make_window, indexed_photos: Path, private_bus: str, opened_urls, qtbot
) -> None:
    window = make_window()
    paths = _select_and_reveal(window, qtbot, [0])
    qtbot.waitUntil(lambda: bool(opened_urls), timeout=TIMEOUT_MS)  # after the call failed
    assert [Path(u.toLocalFile()) for u in opened_urls] == [paths[0].parent]


def test_without_a_session_bus_the_folder_opens_at_once(
    make_window, indexed_photos: Path, opened_urls, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    window = make_window()
    paths = _select_and_reveal(window, qtbot, [0, 1])
    qtbot.waitUntil(lambda: bool(opened_urls), timeout=TIMEOUT_MS)  # checked on the io pool
    assert [Path(u.toLocalFile()) for u in opened_urls] == [paths[0].parent]  # once per folder
