"""``photoseek watch``: the app's session, headless, until interrupted.

It runs the same ``LibrarySession`` as the desktop app (the watcher, the indexing service, the
model download and load, standing by while another process indexes), and tells what happens on
stderr. SIGINT and SIGTERM end it cleanly: the current batch is committed and the search index
saved before it returns 0.
"""

from __future__ import annotations

import signal
import threading
import time
from types import FrameType

from core.cli.output import note
from core.errors import PhotoSeekError
from core.lifecycle.session import LibrarySession
from core.lifecycle.states import Changes, IndexingState, ModelState, SessionCallbacks
from core.records import IndexProgress, LibraryStatus

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2
PROGRESS_EVERY_S = 5.0


class _Reporter:
    """What the session tells, as lines on stderr (progress every few seconds at most)."""

    def __init__(self) -> None:
        self.opened = threading.Event()
        self.failed_to_open: str | None = None
        self._last_progress = 0.0
        self._last_download = 0.0

    def callbacks(self) -> SessionCallbacks:
        return SessionCallbacks(
            opened=self.on_opened, open_failed=self.on_open_failed,
            changed=self.on_changed, model=self.on_model,
            download=self.on_download, progress=self.on_progress, indexing=self.on_indexing,
            notice=self.on_notice,
        )

    def on_opened(self, _status: LibraryStatus) -> None:
        self.opened.set()

    def on_open_failed(self, message: str) -> None:
        self.failed_to_open = message
        self.opened.set()

    def on_changed(self, _changes: Changes) -> None:
        pass  # progress lines say enough

    def on_model(self, state: ModelState, message: str) -> None:
        if state is ModelState.DOWNLOADING:
            note("downloading the model (once)…")
        elif state in (ModelState.FAILED, ModelState.CANCELLED):
            note(f"model: {message}")
        elif state is ModelState.READY:
            note("model: ready")

    def on_download(self, done: int, total: int) -> None:
        now = time.monotonic()
        if total > 0 and (now - self._last_download >= PROGRESS_EVERY_S or done >= total):
            self._last_download = now
            note(f"downloaded {done / 1e6:,.0f} of {total / 1e6:,.0f} MB")

    def on_progress(self, p: IndexProgress) -> None:
        now = time.monotonic()
        if p.phase != "embedding" or now - self._last_progress < PROGRESS_EVERY_S:
            return
        self._last_progress = now
        left = f", {p.seconds_left:.0f} s left" if p.seconds_left is not None else ""
        note(f"indexed {p.done}/{p.total} photos, {p.photos_per_second:.1f}/s{left}")

    def on_indexing(self, state: IndexingState, error: str | None) -> None:
        note(f"state: {state.value}" + (f" ({error})" if error else ""))

    def on_notice(self, text: str) -> None:
        note(f"note: {text}")


def run_watch(
    home: str | None,
    model: str | None,
    device: str | None,
    paths: list[str],
    stop: threading.Event | None = None,
) -> int:
    """Add ``paths``, then keep every library folder indexed until SIGINT/SIGTERM (or ``stop``)."""
    from core.library import Library

    if paths:  # added first, so that a mistyped folder is said before anything starts
        library = Library(home, model, device)
        try:
            for path in paths:
                note(f"folder: {library.add_folder(path).path}")
            if model or device:
                library.remember_model()
        finally:
            library.close()
    stop = stop or threading.Event()
    reporter = _Reporter()
    session = LibrarySession(home, model, device, reporter.callbacks())
    previous = _install_handlers(stop)
    try:
        session.start()
        while not reporter.opened.wait(0.5):
            if stop.is_set():
                break
        if reporter.failed_to_open is not None or session.library is None:
            note(f"photoseek: {reporter.failed_to_open or 'interrupted'}")
            return EXIT_ERROR
        folders = session.library.folders()
        if not folders:
            note("no library folders: give one, e.g. photoseek watch ~/Pictures")
            return EXIT_USAGE
        note(f"watching {len(folders)} folder(s); Ctrl+C to stop")
        while not stop.wait(0.5):  # a short wait so signal handlers run promptly
            pass
        note("stopping…")
    finally:
        status = None
        try:
            status = session.close()
        except PhotoSeekError as exc:
            note(f"photoseek: {exc}")
        _restore_handlers(previous)
    if status is not None:
        note(f"stopped; {status.indexed} photos indexed")
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
