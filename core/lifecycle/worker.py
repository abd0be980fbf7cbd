"""A daemon thread that runs submitted functions one at a time, in order.

The session does its lifecycle work on one (opening, adding folders, settings, swaps) and loads
models on another. Daemon threads: a model download or a decode stuck on a stalled drive never
keeps the process from exiting once its window is closed, and committed work is safe anyway
(SQLite transactions, atomic file replacement).
"""

from __future__ import annotations

import logging
import os
import queue
import sys
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)

BACKGROUND_NICE = 10


def lower_thread_priority(nice: int = BACKGROUND_NICE) -> None:
    """Lower the calling thread's CPU priority; threads it creates later inherit it.

    Linux schedules threads individually, so this touches only the calling thread: on a busy
    two-core laptop the GUI thread and interactive queries then win the CPU. Elsewhere (and
    where it is refused) it does nothing: priority is an optimisation, not a need.
    """
    if not sys.platform.startswith("linux") or nice <= 0:
        return
    try:
        tid = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, tid, min(19, os.getpriority(os.PRIO_PROCESS, tid) + nice))
    except (OSError, AttributeError) as exc:
        log.debug("could not lower thread priority: %s", exc)


class Worker:
    """``submit`` queues a function; ``on_error`` gets what one raises (the thread goes on).
    ``tick`` runs whenever ``tick_s`` passes without other work, for periodic duties."""

    def __init__(
        self,
        name: str,
        on_error: Callable[[BaseException], None],
        *,
        nice: int = 0,
        tick: Callable[[], None] | None = None,
        tick_s: float = 1.0,
    ) -> None:
        self._queue: queue.SimpleQueue[Callable[[], None] | None] = queue.SimpleQueue()
        self._on_error = on_error
        self._tick, self._tick_s = tick, tick_s
        self._nice = nice
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    @property
    def is_current(self) -> bool:
        """Whether the caller runs on this worker's thread."""
        return threading.current_thread() is self._thread

    def submit(self, fn: Callable[[], None]) -> None:
        self._queue.put(fn)

    def stop(self, timeout: float | None = None) -> bool:
        """Run what is queued, then end; False if that did not finish within ``timeout``."""
        self._queue.put(None)
        if self.is_current:
            return True
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _run(self) -> None:
        lower_thread_priority(self._nice)
        while True:
            try:
                fn = self._queue.get(timeout=self._tick_s if self._tick else None)
            except queue.Empty:
                fn = self._tick
            if fn is None:
                return
            try:
                fn()
            except BaseException as exc:  # reported; the worker keeps serving
                self._on_error(exc)
