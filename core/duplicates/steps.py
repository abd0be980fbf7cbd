"""Cancellation and progress for one search for duplicates: several passes, one count."""

from __future__ import annotations

import threading
from collections.abc import Callable

from core.errors import Cancelled

# Called with (done so far, total known so far): the total grows as each pass learns its size.
Progress = Callable[[int, int], None]


class Steps:
    def __init__(self, cancel: threading.Event | None, progress: Progress | None) -> None:
        self._cancel = cancel
        self._progress = progress
        self.done = 0
        self.total = 0

    def check(self) -> None:
        """Raise Cancelled once the caller asked to stop (between batches: never mid-write)."""
        if self._cancel is not None and self._cancel.is_set():
            raise Cancelled("Looking for duplicates was cancelled.")

    def expect(self, count: int) -> None:
        self.total += count
        self._report()

    def advance(self, count: int) -> None:
        self.done += count
        self._report()
        self.check()

    def _report(self) -> None:
        if self._progress is not None:
            self._progress(self.done, self.total)
