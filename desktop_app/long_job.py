"""A long job (looking for duplicates, an evaluation, moving photos to the trash) on a thread of
its own, reporting to the GUI thread through signals.

The task pools are for short work: a job of minutes on the "io" pool would hold back the
status and failure reads queued behind it. A ``LongJob`` runs ``fn(cancel, progress)`` on its
own daemon thread (never joined: a window closing never waits for it); ``progress`` may be
called as often as the work likes, and at most ``PROGRESS_EVERY_S`` apart reaches the GUI (the
last count always does). ``cancel()`` sets the event the work checks between batches, and
from then on nothing the job still delivers reaches the callbacks.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot

from core.errors import Cancelled

PROGRESS_EVERY_S = 0.1

Work = Callable[[threading.Event, Callable[..., None]], Any]


class LongJob(QObject):
    """One run of ``fn``. Signals arrive on the GUI thread; exactly one of ``finished``,
    ``failed`` or ``cancelled`` ends a run (none once ``cancel()`` was called by the GUI)."""

    progress = Signal(tuple)  # the arguments the work passed to progress(...)
    finished = Signal(object)  # what fn returned
    failed = Signal(object)  # the exception fn raised
    cancelled = Signal()  # fn raised core.errors.Cancelled on its own
    _post = Signal(object)

    def __init__(self, fn: Work, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._fn = fn
        self._name = name
        self._cancel = threading.Event()
        self._dropped = False
        self.running = False
        self.worker: threading.Thread | None = None
        self._post.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def start(self) -> None:
        self.running = True
        self.worker = threading.Thread(target=self._work, name=f"photoseek-{self._name}",
                                       daemon=True)
        self.worker.start()

    def cancel(self) -> None:
        """Ask the work to stop after its current batch; nothing it still sends is delivered."""
        self._dropped = True
        self.running = False
        self._cancel.set()

    @property
    def cancel_requested(self) -> bool:
        return self._cancel.is_set()

    def _work(self) -> None:
        last = 0.0
        latest: list[tuple[Any, ...]] = []

        def report(*args: Any) -> None:
            nonlocal last
            now = time.monotonic()
            latest[:] = [args]
            if now - last >= PROGRESS_EVERY_S:
                last = now
                self._send("progress", args)

        try:
            result = self._fn(self._cancel, report)
        except Cancelled:
            self._send("cancelled", None)
        except BaseException as exc:  # noqa: BLE001 - every failure goes to the window
            self._send("failed", exc)
        else:
            if latest:  # the final count, even if it came within the interval
                self._send("progress", latest[0])
            self._send("finished", result)

    def _send(self, kind: str, value: Any) -> None:
        """From the worker: hand ``value`` to the GUI thread, unless nobody is left to tell
        (the window that started the job was deleted while the work went on)."""
        if self._dropped:
            return
        try:
            self._post.emit((kind, value))
        except RuntimeError:  # "Signal source has been deleted"
            self._dropped = True

    @Slot(object)
    def _deliver(self, item: tuple[str, Any]) -> None:
        kind, value = item
        if self._dropped:
            return
        if kind == "progress":
            self.progress.emit(value)
            return
        self.running = False
        if kind == "cancelled":
            self.cancelled.emit()
        elif kind == "failed":
            self.failed.emit(value)
        else:
            self.finished.emit(value)
