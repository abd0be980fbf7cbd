"""One small task API: run a function on a named pool, get its outcome back on the GUI thread.

Modelled on Picard's ``picard/util/thread.py`` and Anki's ``aqt/operations``: a worker runs the
function, and a queued signal carries a closure back to the GUI thread, which calls the caller's
callbacks there. Pools are split by purpose so that typing never waits behind indexing:

- ``query``  (1 thread)  interactive searches only
- ``thumbs`` (2 threads) thumbnail and preview decoding
- ``io``     (1 thread)  catalog reads asked for by the GUI (failures, status), pasted images
- ``words``  (1 thread)  what a photo shows (its tags and descriptions): the first one may wait
                         for the tags' text vectors to be computed, minutes with a new model,
                         and must not hold up the reads above

The library's own lifecycle (opening, indexing, the model) runs on core's session threads.

A task submitted with a ``key`` supersedes the previous unfinished task with the same key: the
older one's cancel event is set and whatever it still delivers is dropped (napari's slicer and
Picard's ``file.py`` do the same for work the user has moved on from).
"""

from __future__ import annotations

import inspect
import logging
import queue
import threading
from collections.abc import Callable, Iterator
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, Qt, Signal, Slot

log = logging.getLogger(__name__)

T = TypeVar("T")

POOL_SIZES: dict[str, int] = {"query": 1, "thumbs": 2, "io": 1, "words": 1}


class _DaemonPool:
    """A few daemon threads serving one queue. Unlike ThreadPoolExecutor's, its threads are not
    joined at exit: a decode stuck on a stalled network drive never keeps the process alive
    after its window closed."""

    def __init__(self, name: str, size: int) -> None:
        self._queue: queue.SimpleQueue[Callable[[], None] | None] = queue.SimpleQueue()
        self._threads = [
            threading.Thread(target=self._serve, name=f"photoseek-{name}-{n}", daemon=True)
            for n in range(size)
        ]
        for thread in self._threads:
            thread.start()

    def submit(self, fn: Callable[[], None]) -> None:
        self._queue.put(fn)

    def _serve(self) -> None:
        while (fn := self._queue.get()) is not None:
            fn()

    def shutdown(self, wait: bool) -> None:
        for _ in self._threads:
            self._queue.put(None)
        if wait:
            for thread in self._threads:
                thread.join()


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
            name: _DaemonPool(name, n) for name, n in (sizes or POOL_SIZES).items()
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

            if not task.dropped and not self._closed:
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
                # After shutdown nothing goes back: at exit the bridge may be on its way out
                # with the application, and a daemon thread emitting on it crashes the process.
                if not self._closed:
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
            pool.shutdown(wait=wait)
