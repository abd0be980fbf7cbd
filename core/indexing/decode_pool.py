"""Decoding threads whose time limit counts from the moment a file's decode starts.

``concurrent.futures.ThreadPoolExecutor`` cannot serve here: a decode stuck on a stalled network
mount keeps its worker forever, the executor joins every worker at interpreter exit (so the
process could never quit), and a future's wait cannot tell "queued behind others" from "running
for a minute". This pool uses daemon threads, records when each job starts, and replaces a
worker that overran its limit so the rest of the run keeps its full width.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any, Generic, TypeVar

T = TypeVar("T")

_POLL_S = 0.5


class Job(Generic[T]):
    def __init__(self) -> None:
        self.future: Future[T] = Future()
        self.started: float | None = None  # time.monotonic() when a worker took it

    def result(self, limit_s: float) -> T:
        """The result; FutureTimeout once the job has *run* for more than ``limit_s``."""
        while True:
            started = self.started
            wait = _POLL_S if started is None else started + limit_s - time.monotonic()
            try:
                return self.future.result(timeout=max(0.0, wait))
            except FutureTimeout:
                if self.started is not None and time.monotonic() - self.started >= limit_s:
                    raise

    def cancel(self) -> None:
        self.future.cancel()  # only a job that has not started can be cancelled


class DecodePool:
    def __init__(self, workers: int, name: str = "decode") -> None:
        self._queue: queue.SimpleQueue[tuple[Job[Any], Callable[..., Any], tuple] | None] = (
            queue.SimpleQueue()
        )
        self._name = name
        self._threads = 0
        for _ in range(workers):
            self._spawn()

    def _spawn(self) -> None:
        self._threads += 1
        thread = threading.Thread(
            target=self._work, name=f"{self._name}-{self._threads}", daemon=True
        )
        thread.start()

    def _work(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            job, fn, args = item
            if not job.future.set_running_or_notify_cancel():
                continue
            job.started = time.monotonic()
            try:
                job.future.set_result(fn(*args))
            except BaseException as exc:  # handed to the waiting side, which decides
                job.future.set_exception(exc)

    def submit(self, fn: Callable[..., T], *args: Any) -> Job[T]:
        job: Job[T] = Job()
        self._queue.put((job, fn, args))
        return job

    def replace_stuck_worker(self) -> None:
        """A job overran its limit: its thread may never come back, so add one in its place."""
        self._spawn()

    def shutdown(self) -> None:
        """Let every worker finish its current job and exit; a stuck one is a daemon."""
        for _ in range(self._threads):
            self._queue.put(None)

    def __enter__(self) -> DecodePool:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.shutdown()
