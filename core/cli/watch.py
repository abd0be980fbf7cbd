"""``photoseek watch``: the watcher and the indexing service, headless, until interrupted.

This is command-line front end code, so it writes progress to stderr. SIGINT and SIGTERM end it
cleanly: the current batch is committed and the search index saved before it returns 0.
"""

from __future__ import annotations

import signal
import sys
import threading
import time
from types import FrameType

from core.library import Library
from core.lifecycle.indexing_service import IndexingService
from core.lifecycle.watcher import FolderWatcher
from core.records import IndexProgress

EXIT_OK, EXIT_USAGE = 0, 2


class _Reporter:
    """Progress and state lines on stderr; a line every few seconds at most."""

    def __init__(self, every_s: float = 5.0) -> None:
        self._every = every_s
        self._last = 0.0
        self.service: IndexingService | None = None

    def progress(self, p: IndexProgress) -> None:
        now = time.monotonic()
        if p.phase != "embedding" or now - self._last < self._every:
            return
        self._last = now
        left = f", {p.seconds_left:.0f} s left" if p.seconds_left is not None else ""
        _say(f"indexed {p.done}/{p.total} photos, {p.photos_per_second:.1f}/s{left}")

    def state(self, state: str) -> None:
        error = self.service.last_error if self.service is not None else None
        explained = state in ("error", "standby") and error
        _say(f"state: {state}" + (f" ({error})" if explained else ""))


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def run_watch(
    library: Library, paths: list[str], stop: threading.Event | None = None
) -> int:
    """Add ``paths``, then keep every library folder indexed until SIGINT/SIGTERM (or ``stop``)."""
    for path in paths:
        _say(f"folder: {library.add_folder(path).path}")
    if not library.folders():
        _say("no library folders: give one, e.g. photoseek watch ~/Pictures")
        return EXIT_USAGE
    stop = stop or threading.Event()
    reporter = _Reporter()
    service = IndexingService(library, on_progress=reporter.progress, on_state=reporter.state)
    reporter.service = service
    watcher = FolderWatcher(library, service)
    previous = _install_handlers(stop)
    try:
        service.start()
        watcher.start()
        for fid, mode in watcher.modes().items():
            if mode != "events":
                _say(f"folder {fid}: no change events here; rescanning periodically")
        _say(f"watching {len(library.folders())} folder(s); Ctrl+C to stop")
        while not stop.wait(0.5):  # a short wait so signal handlers run promptly
            pass
        _say("stopping…")
    finally:
        watcher.stop()
        finished = service.stop()
        _restore_handlers(previous)
    if not finished:  # a decode stuck on a stalled drive: committed work is safe regardless
        _say("the indexer did not finish its last step in time; it is abandoned")
    _say(f"stopped; {library.status().indexed} photos indexed")
    return EXIT_OK


def _install_handlers(stop: threading.Event) -> dict[int, object]:
    if threading.current_thread() is not threading.main_thread():
        return {}  # signals can only be handled on the main thread; the caller uses ``stop``

    def handler(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    return {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}


def _restore_handlers(previous: dict[int, object]) -> None:
    for sig, old in previous.items():
        signal.signal(sig, old)  # type: ignore[arg-type]
