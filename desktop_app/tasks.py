"""One small task API: run a function on a named pool, get its outcome back on the GUI thread.

Modelled on Picard's ``picard/util/thread.py`` and Anki's ``aqt/operations``: a worker runs the
function, and a queued signal carries a closure back to the GUI thread, which calls the caller's
callbacks there. Pools are split by purpose so that typing never waits behind indexing:

- ``query``  (1 thread)  interactive searches only
- ``thumbs`` (2 threads) thumbnail and preview decoding
- ``io``     (1 thread)  catalog reads and writes asked for by the GUI, settings files
- ``model``  (1 thread)  downloading and loading the model (minutes, so never on ``query``)

A task submitted with a ``key`` supersedes the previous unfinished task with the same key: the
older one's cancel event is set and whatever it still delivers is dropped (napari's slicer and
Picard's ``file.py`` do the same for work the user has moved on from).
"""

from __future__ import annotations

import inspect
import logging
import os
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, Qt, Signal, Slot

log = logging.getLogger(__name__)

T = TypeVar("T")

POOL_SIZES: dict[str, int] = {"query": 1, "thumbs": 2, "io": 1, "model": 1}
# Background-only pools run at a lower CPU priority: on a busy two-core laptop the GUI thread
# (and the interactive pools) then win the CPU, and the window stays responsive.
POOL_NICE: dict[str, int] = {"model": 10}
BACKGROUND_NICE = 10


def lower_thread_priority(nice: int = BACKGROUND_NICE) -> None:
    """Lower the calling thread's CPU priority; threads it creates later inherit it.

    Linux schedules threads individually, so this touches only the calling thread. Elsewhere
    (and where it is refused) it does nothing: priority is an optimisation, not a need.
    """
    if not sys.platform.startswith("linux") or nice <= 0:
        return
    try:
        tid = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, tid, min(19, os.getpriority(os.PRIO_PROCESS, tid) + nice))
    except (OSError, AttributeError) as exc:
        log.debug("could not lower thread priority: %s", exc)


def start_in_background(
    start: Callable[[], object], nice: int = BACKGROUND_NICE
) -> threading.Thread:
    """Call ``start`` (which creates threads) from a short-lived lower-priority thread, so the
    threads it creates inherit the lower priority. Not joined here: a low-priority thread may
    wait for the CPU, and the GUI thread must not wait with it. Join it before stopping."""
    thread = threading.Thread(
        target=lambda: (lower_thread_priority(nice), start()), name="photoseek-start",
        daemon=True,
    )
    thread.start()
    return thread


class Task(Generic[T]):
    """A handle on submitted work: cancel it, or ask whether it was superseded or finished."""

    def __init__(self, pool: str, key: str | None) -> None:
        self.pool = pool
        self.key = key
        self.cancel_event = threading.Event()
        self.done = False
        self._dropped = False

    def cancel(self) -> None:
        """Ask the function to stop (cooperatively) and drop anything it still delivers."""
        self._dropped = True
        self.cancel_event.set()

    @property
    def dropped(self) -> bool:
        return self._dropped


class _Bridge(QObject):
    """Lives on the GUI thread; a queued signal moves closures from workers onto it."""

    deliver = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.deliver.connect(self._run, Qt.ConnectionType.QueuedConnection)

    @Slot(object)
    def _run(self, closure: Callable[[], None]) -> None:
        try:
            closure()
        except Exception:  # a bug in a callback must not kill the event loop
            log.exception("error in a task callback")


class TaskRunner(QObject):
    """Create one on the GUI thread (the app has exactly one) and pass it to whoever needs it."""

    def __init__(self, sizes: dict[str, int] | None = None) -> None:
        super().__init__()
        self._bridge = _Bridge()
        self._pools = {
            name: ThreadPoolExecutor(
                max_workers=n, thread_name_prefix=f"photoseek-{name}",
                initializer=lower_thread_priority, initargs=(POOL_NICE.get(name, 0),),
            )
            for name, n in (sizes or POOL_SIZES).items()
        }
        self._latest: dict[str, Task[Any]] = {}
        self._live: set[Task[Any]] = set()
        self._closed = False

    def run(
        self,
        pool: str,
        fn: Callable[[threading.Event], T | Iterator[T]],
        *,
        on_result: Callable[[T], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        on_item: Callable[[T], None] | None = None,
        key: str | None = None,
    ) -> Task[T]:
        """Run ``fn(cancel_event)`` on ``pool``; callbacks are called on the GUI thread.

        If ``fn`` returns a generator it is consumed on the worker: ``on_item`` gets every
        yielded value as it comes, and ``on_result`` the last one. Errors go to ``on_error``
        (or the log when there is none); a cancelled or superseded task calls nothing.
        """
        task: Task[T] = Task(pool, key)
        if self._closed:
            task.cancel()
            return task
        if key is not None:
            older = self._latest.get(key)
            if older is not None and not older.done:
                older.cancel()
            self._latest[key] = task
        self._live.add(task)

        def post(callback: Callable[..., None] | None, *args: Any) -> None:
            def closure() -> None:
                if not task.dropped and callback is not None:
                    callback(*args)

            if not task.dropped:
                self._bridge.deliver.emit(closure)

        def finish() -> None:
            task.done = True
            self._live.discard(task)

        def work() -> None:
            last: Any = None
            try:
                if task.dropped:
                    return
                outcome = fn(task.cancel_event)
                if inspect.isgenerator(outcome):
                    for item in outcome:
                        if task.dropped:
                            outcome.close()
                            return
                        last = item
                        post(on_item, item)
                else:
                    last = outcome
                post(on_result, last)
            except BaseException as exc:
                if on_error is None:
                    if not task.dropped:
                        log.error("task on %s failed", pool, exc_info=exc)
                else:
                    post(on_error, exc)
            finally:
                self._bridge.deliver.emit(finish)

        self._pools[pool].submit(work)
        return task

    def cancel_key(self, key: str) -> None:
        task = self._latest.get(key)
        if task is not None:
            task.cancel()

    def busy(self, pool: str | None = None) -> bool:
        """True while a task (of ``pool``, or any) has not come back to the GUI thread."""
        return any(pool is None or t.pool == pool for t in self._live)

    def shutdown(self, wait: bool = True) -> None:
        """Cancel everything and stop the pools (blocking up to the running tasks' next check)."""
        self._closed = True
        for task in list(self._live):
            task.cancel()
        for pool in self._pools.values():
            pool.shutdown(wait=wait, cancel_futures=True)
