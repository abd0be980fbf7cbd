"""Nothing fails silently: a rotating log file in the data folder, and every unexpected error
(an uncaught exception on any thread, an error logged by any part of PhotoSeek) is written there
with its traceback and shown in the window as one short notice that says where the details are.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Qt, Signal

from desktop_app.i18n import translate

LOG_NAME = "photoseek.log"
LOG_BYTES = 1 << 20  # rotated at 1 MiB
LOG_BACKUPS = 3

log = logging.getLogger(__name__)


def install_log_file(logs_dir: Path) -> Path | None:
    """Log INFO and above to ``logs_dir/photoseek.log`` (rotating); None if it cannot be."""
    path = logs_dir / LOG_NAME
    try:
        logs_dir.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8"
        )
    except OSError as exc:
        log.warning("no log file at %s: %s", path, exc)
        return None
    handler.setFormatter(logging.Formatter(
        "%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"
    ))
    handler.setLevel(logging.INFO)
    root = logging.getLogger()
    root.addHandler(handler)
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)
    return path


class _Bridge(QObject):
    noticed = Signal(str)


class ErrorNotices(logging.Handler):
    """A logging handler for errors: each becomes ``noticed`` (a short text), on the GUI thread.

    It also takes over ``sys.excepthook`` and ``threading.excepthook``, so an exception nobody
    caught (in a Qt slot, on a worker thread) is logged with its traceback and noticed.
    """

    def __init__(self, log_file: Path | None) -> None:
        super().__init__(logging.ERROR)
        self._bridge = _Bridge()  # created on the GUI thread: its queued signal lands there
        self.noticed = self._bridge.noticed
        self._log_file = log_file
        self._previous = (sys.excepthook, threading.excepthook)

    def install(self) -> None:
        logging.getLogger().addHandler(self)
        sys.excepthook = self._uncaught
        threading.excepthook = self._uncaught_in_thread

    def uninstall(self) -> None:
        logging.getLogger().removeHandler(self)
        sys.excepthook, threading.excepthook = self._previous

    def emit(self, record: logging.LogRecord) -> None:  # logging.Handler's, any thread
        try:
            text = record.getMessage()
            if record.exc_info and record.exc_info[1] is not None:
                text = f"{text}: {record.exc_info[1]}"
            # A queued signal: safe from any thread, delivered on the GUI thread.
            self.noticed.emit(self._notice(text))
        except Exception:  # never let reporting an error raise another
            self.handleError(record)

    def _notice(self, what: str) -> str:
        # QCoreApplication.translate is thread-safe: this runs on whichever thread logged.
        if self._log_file is None:
            return translate("ErrorNotices", "Something went wrong ({0}).").format(what)
        return translate("ErrorNotices", "Something went wrong ({0}). Details are in {1}."
                         ).format(what, self._log_file)

    def _uncaught(
        self,
        kind: type[BaseException],
        value: BaseException,
        tb: TracebackType | None,
    ) -> None:
        logging.getLogger("photoseek").error("unexpected error", exc_info=(kind, value, tb))

    def _uncaught_in_thread(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit or args.exc_value is None:
            return
        name = args.thread.name if args.thread is not None else "a thread"
        logging.getLogger("photoseek").error(
            "unexpected error in %s", name,
            exc_info=(args.exc_type, args.exc_value, args.exc_traceback),
        )


def connect_notices(notices: ErrorNotices, show: Callable[[str], object]) -> None:
    """Deliver ``noticed`` to ``show`` on the GUI thread, however far the error came from."""
    notices.noticed.connect(show, Qt.ConnectionType.QueuedConnection)
