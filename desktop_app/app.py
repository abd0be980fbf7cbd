"""Start the desktop app: QApplication, the engine and the main window.

The window is shown before anything slow happens; ``Engine.start`` (catalog, then model) runs
from the event loop's first turn, on worker threads.
"""

from __future__ import annotations

import logging
import signal
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from core.cli.open_paths import OpenRequest
from desktop_app import i18n
from desktop_app.app_icon import ICON_NAME, app_icon
from desktop_app.diagnostics import ErrorNotices, connect_notices, install_log_file
from desktop_app.engine import Engine
from desktop_app.main_window import MainWindow
from desktop_app.open_requests import from_message, open_request, to_message
from desktop_app.single_instance import InstanceServer, hand_over
from desktop_app.tasks import TaskRunner

log = logging.getLogger(__name__)


def application() -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    app.setApplicationName("PhotoSeek")
    app.setOrganizationName("PhotoSeek")
    # Every window (and the task bar) shows it; on Wayland the compositor finds the icon
    # through the desktop entry of this name (packaging/photoseek.desktop.in).
    app.setWindowIcon(app_icon())
    app.setDesktopFileName(ICON_NAME)
    # Fusion follows the system's light or dark scheme (Qt >= 6.5) and looks the same
    # everywhere; every colour we paint comes from the palette, so both themes work.
    app.setStyle("Fusion")
    # When the system switches between light and dark while we run, take Fusion's palette for
    # the new scheme (platforms without a theme plugin report no change and keep theirs).
    app.styleHints().colorSchemeChanged.connect(
        lambda _scheme: app.setPalette(app.style().standardPalette())
    )
    return app


def create_window(
    home: str | Path | None = None,
    model: str | None = None,
    device: str | None = None,
    *,
    start_indexing: bool = True,
) -> MainWindow:
    """The window and its engine, not started (tests call ``window.engine.start()``)."""
    from core.config.paths import data_paths  # platformdirs only: cheap

    engine = Engine(TaskRunner(), home, model, device, start_indexing=start_indexing)
    return MainWindow(engine, data_paths(home).thumbnails_dir)


def on_instance_message(window: MainWindow, message: str) -> None:
    """A later start of PhotoSeek asked this one to come forward (and maybe to search by
    photos or to offer folders: desktop_app.open_requests)."""
    window.showNormal()
    window.raise_()
    window.activateWindow()
    request = from_message(message)
    if request is not None:
        open_request(window, request)


def run_app(
    home: str | Path | None = None,
    model: str | None = None,
    device: str | None = None,
    request: OpenRequest | None = None,
) -> int:
    from core.config.paths import data_paths
    from core.config.settings import Settings

    app = application()
    # Before the first widget: every string is translated as it is made.
    i18n.install(Settings.load(data_paths(home).settings).language)
    # Before anything listens for later starts: a SIGTERM from then on closes the window
    # (or, before there is one, ends the start) instead of killing the process mid-way.
    windows: list[MainWindow] = []
    quit_on_signals(app, windows)
    paths = data_paths(home)
    if hand_over(paths.home, to_message(request) if request is not None else "activate"):
        print("PhotoSeek is already running: its window was brought to the front"
              + (" with your request." if request is not None else "."), file=sys.stderr)
        return 0
    instance = InstanceServer(paths.home, app)
    notices = ErrorNotices(install_log_file(paths.logs_dir))
    notices.install()
    window = create_window(home, model, device)
    windows.append(window)
    connect_notices(notices, window.notice.show_message)
    instance.message.connect(lambda message: on_instance_message(window, message))
    # The moment the window closes, a new start must open a new window, not hand its request
    # to this process on its way out: stop listening first, then shut down.
    app.lastWindowClosed.connect(instance.close)
    app.aboutToQuit.connect(window.engine.shutdown)
    window.show()
    QTimer.singleShot(0, window.engine.start)
    if request is not None:  # after the start: a search waits for the catalog by itself
        QTimer.singleShot(0, lambda: open_request(window, request))
    try:
        return app.exec()
    finally:
        notices.uninstall()


def quit_on_signals(app: QApplication, windows: list[MainWindow]) -> None:
    """SIGTERM (a session logging out, ``kill``) and SIGINT close the window as Quit does
    (before the window exists, they end the event loop as soon as it runs).

    Python runs signal handlers only between bytecodes, and Qt's event loop runs in C++: a
    timer gives the interpreter a moment four times a second to notice a signal.
    """
    def close(_signum: int, _frame: object) -> None:
        QTimer.singleShot(0, windows[0].close if windows else app.quit)

    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, close)
    ticker = QTimer(app)
    ticker.timeout.connect(lambda: None)
    ticker.start(250)
