"""The one service that keeps a library indexed: scans on request, embeds in the background.

A single thread owns all indexing work, so catalog writes from indexing never race each other:
it serves merged scan requests (see ``core.scan_queue``) and, between them, embeds photos that
lack a vector, newest first and the folder the user is looking at first. Embedding yields to
pending scans after each committed batch (at most every ``embed_slice_s``), so a rename or a
deletion shows in search within seconds even during a long first indexing run.

One process indexes a library at a time (a lock file in the data folder): a second one, the app
beside a running ``photoseek watch`` say, stands by and takes over when the first stops.
A failure the user can fix (disk full, catalog locked) is retried every ``retry_after_s``.

Embedding can be held (``hold_embedding``) apart from the user's pause: the app's session holds
it until the model has been downloaded and loaded, while scans go on finding photos. Whenever
embedding is allowed or resumed, pending photos are looked for again, so indexing picks up where
the last run stopped.

Once nothing is left to embed, the work on embedded photos runs (``Library.background_jobs``:
naming places, tagging, reading text), the lowest priority of all: each job yields after a
batch to a due scan or to new photos to embed, waits while the user has paused indexing (and,
when it needs the model, while the model is held), and a failure there is logged, never shown
as an indexing error (photos are searchable without their places, tags or text).

Callbacks (``on_progress``, ``on_state``, ``on_indexed``) are called from the service thread;
a GUI must hop to its own thread before touching widgets. They should return quickly (some run
while the service holds its lock); exceptions they raise are logged, not propagated.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping

from core.errors import UserFixableError
from core.indexing.embed_pipeline import RateMeter
from core.library import Library
from core.lifecycle.scan_queue import ScanQueue
from core.lifecycle.states import IndexingState
from core.lifecycle.worker import lower_thread_priority
from core.records import IndexProgress

log = logging.getLogger(__name__)

PROGRESS_INTERVAL_S = 0.1  # at most ten progress callbacks a second
STANDBY_MESSAGE = "another PhotoSeek process is indexing this library"


class IndexingService:
    """Control methods are safe from any thread; the work runs on the service's own thread."""

    def __init__(
        self,
        library: Library,
        on_progress: Callable[[IndexProgress], None] | None = None,
        on_state: Callable[[IndexingState], None] | None = None,
        on_indexed: Callable[[int], None] | None = None,
        *,
        debounce_s: float = 0.5,
        max_delay_s: float = 2.0,
        embed_slice_s: float = 3.0,
        save_every_s: float = 30.0,
        retry_after_s: float = 60.0,
        standby_poll_s: float = 5.0,
        scan_at_start: bool = True,
        hold_embedding: bool = False,
    ) -> None:
        self.library = library
        self._on_progress, self._on_state, self._on_indexed = on_progress, on_state, on_indexed
        self._embed_slice_s, self._save_every_s = embed_slice_s, save_every_s
        self._retry_after_s, self._standby_poll_s = retry_after_s, standby_poll_s
        self._retry_at: float | None = None  # when to try again after a user-fixable failure
        self._lock = library.indexer_lock
        self._stop_event = threading.Event()  # ends a scan part way when the service stops
        self._cond = threading.Condition()  # guards the queue and the flags below
        self._queue = ScanQueue(debounce_s, max_delay_s)
        self._embed_wanted = False  # photos may lack vectors: try embedding when nothing is due
        self._after_wanted = False  # embedded photos may wait for places, tags or text
        self._working = self._paused = self._stopping = self._model_failed = False
        self._held = hold_embedding  # embedding waits for allow_embedding (the model loads)
        self._preempt = threading.Event()  # ends the current embedding pass after its batch
        self._priority: int | None = None
        self._thread: threading.Thread | None = None
        self._state = IndexingState.STARTING
        self.last_error: str | None = None
        self._meter = RateMeter()
        self._session_done = self._session_failed = 0  # embedded/failed since last idle
        self._last_progress, self._last_save = 0.0, time.monotonic()
        if scan_at_start:  # catch whatever changed while PhotoSeek was closed
            self._queue.add({None: None})

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="indexing-service", daemon=True)
        self._thread.start()

    def stop(self, timeout: float | None = 30.0) -> bool:
        """Finish the current batch, save the index and end the thread; False if it overran."""
        with self._cond:
            self._stopping = True
            self._stop_event.set()
            self._preempt.set()
            self._cond.notify_all()
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                return False
        self.library.save_index()
        return True

    def pause(self) -> None:
        """Stop embedding after the current batch. Scans go on (cheap) so search stays truthful."""
        with self._cond:
            self._paused = True
            self._preempt.set()
            self._cond.notify_all()

    def resume(self) -> None:
        """Embed again, starting with whatever is pending now."""
        with self._cond:
            self._paused = False
            self._embed_wanted = True  # cheap to check when nothing is pending
            self._cond.notify_all()

    def hold_embedding(self) -> None:
        """Stop embedding after the current batch until ``allow_embedding`` (not a pause the
        user asked for: a model switch or load is under way). Scans go on."""
        with self._cond:
            self._held = True
            self._preempt.set()
            self._cond.notify_all()

    def allow_embedding(self) -> None:
        """The model is ready: embed every pending photo, those left by earlier runs too."""
        with self._cond:
            self._held = False
            self._embed_wanted = True
            self._cond.notify_all()

    @property
    def paused(self) -> bool:
        return self._paused

    def cancel(self) -> None:
        """Drop queued scans and end the current embedding pass; photos stay pending."""
        with self._cond:
            self._queue.take()
            self._embed_wanted = self._after_wanted = False
            self._preempt.set()
            self._cond.notify_all()

    def request_scan(self, folder_id: int | None = None, subpaths: list[str] | None = None) -> None:
        """Reconcile a folder (None: every folder), or only ``subpaths`` (relative) of it."""
        self.request_scans({folder_id: subpaths})

    def request_scans(self, requests: Mapping[int | None, Iterable[str] | None]) -> None:
        """Several folders at once: a move between two folders must be seen by one reconcile."""
        with self._cond:
            self._queue.add(requests)
            self._cond.notify_all()

    def prioritise_folder(self, folder_id: int | None) -> None:
        """Embed this folder's photos before the others (None: no preference)."""
        with self._cond:
            self._priority = folder_id
            self._preempt.set()  # restart the pass so the new order applies now

    def wait_idle(self, timeout: float | None = None) -> bool:
        """True once nothing is queued or running (paused and error count as idle)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            while self._queue or self._working or self._embed_ready() or self._after_ready():
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    return False
                self._cond.wait(left)
            return True

    @property
    def state(self) -> IndexingState:
        return self._state

    def _embed_ready(self) -> bool:  # the methods below run on the service thread
        return self._embed_wanted and not self._paused and not self._held

    def _after_ready(self) -> bool:  # a held model holds only the jobs that need it
        return self._after_wanted and not self._paused

    def _run(self) -> None:
        # Below the GUI and its queries: on a two-core laptop the window stays responsive. The
        # decoding threads this thread starts inherit the priority.
        lower_thread_priority()
        while True:
            with self._cond:
                job = self._next_job()
                if job is None:
                    break
                self._working = True
                self._preempt.clear()
            if not self._lock.acquire():
                self._stand_by()
                continue
            try:
                {"scan": self._scan, "embed": self._embed, "after": self._after_embedding}[job]()
            except Exception as exc:  # a bug: log it with its traceback, keep the service alive
                log.exception("indexing service: %s failed", job)
                self._fail(f"{job} failed: {exc}")
            finally:
                with self._cond:
                    self._working = False
                    if not self._queue and not self._embed_ready():
                        self._go_quiet()  # the state says idle (or paused) once wait_idle does
                    self._cond.notify_all()
        self._lock.release()
        self._set_state(IndexingState.IDLE)

    def _stand_by(self) -> None:
        """Another process holds the indexer lock: keep the work queued and look again soon."""
        self.last_error = STANDBY_MESSAGE
        self._set_state(IndexingState.STANDBY)
        with self._cond:
            self._working = False
            self._cond.notify_all()
            if not self._stopping:
                self._cond.wait(self._standby_poll_s)
        try:  # the other process adds vectors to the catalog: search them here too
            added = self.library.resync_index()
        except Exception:  # a busy catalog, say: the next look will do
            log.warning("could not take in the other indexer's vectors", exc_info=True)
            return
        if added:
            self._call(self._on_indexed, added)

    def _next_job(self) -> str | None:
        """Wait (holding the condition) until there is something to do; None when stopping."""
        while not self._stopping:
            if self._retry_at is not None and time.monotonic() >= self._retry_at:
                self._retry_at = None
                self._queue.add({None: None})  # rescan everything, then embed what is pending
            if self._queue and self._queue.due_in() == 0:
                return "scan"
            if self._embed_ready():
                return "embed"
            if self._after_ready():
                return "after"
            if not self._queue:
                self._go_quiet()
            waits = [self._queue.due_in() if self._queue else None]
            if self._retry_at is not None:
                waits.append(max(0.0, self._retry_at - time.monotonic()))
            self._cond.wait(min((w for w in waits if w is not None), default=None))
        return None

    def _go_quiet(self) -> None:
        if self._state is IndexingState.ERROR:
            return  # keep the error visible until work succeeds again
        if self._paused and self._embed_wanted:
            self._set_state(IndexingState.PAUSED)
        elif self._held and self._embed_wanted:
            self._set_state(IndexingState.WAITING_FOR_MODEL)
        else:
            self._set_state(IndexingState.IDLE)
        if self._session_done and self._state is IndexingState.IDLE:
            self._session_done = self._session_failed = 0
            self._meter = RateMeter()

    def _scan(self) -> None:
        with self._cond:
            everything, wanted = self._queue.take()
        self._set_state(IndexingState.SCANNING)
        self._progress(IndexProgress("scanning", 0, 0, 0, 0.0, None), force=True)
        try:
            folders = self.library.folders()
            if not everything:
                folders = [f for f in folders if f.id in wanted]
            subpaths = {i: p for i, p in wanted.items() if p is not None and not everything}
            counts = self.library.scan(folders, self._stop_event, subpaths=subpaths)
        except UserFixableError as exc:  # the requests are dropped; the retry rescans all
            self._fail(str(exc), retry=True)
            return
        if self._model_failed and not (counts.added or counts.changed):
            self._set_state(IndexingState.ERROR)  # the model is still missing: nothing to retry
            return
        with self._cond:
            self._embed_wanted = True  # cheap to check when nothing is pending

    def _embed(self) -> None:
        if self.library.status().pending == 0:
            with self._cond:
                self._embed_wanted = False
                self._after_wanted = True
            self._save()  # a scan may have removed vectors
            return
        if not self.library.model_loaded:
            self._set_state(IndexingState.LOADING_MODEL)
            try:
                self.library.prepare()
            except UserFixableError as exc:  # ModelUnavailableError included
                with self._cond:
                    self._embed_wanted = False
                self._model_failed = True
                self._fail(str(exc))
                return
        self._model_failed = False
        self._set_state(IndexingState.INDEXING)
        self.last_error = None
        started = time.monotonic()
        priority = self._priority
        for folder_ids in ([priority], None) if priority is not None else (None,):
            try:
                cancelled = self._embed_pass(folder_ids, started)
            except UserFixableError as exc:  # disk full, catalog locked: say so and wait
                with self._cond:
                    self._embed_wanted = False
                self._fail(str(exc), retry=True)
                return
            if cancelled:
                return  # preempted: _embed_wanted stays set, so the loop comes back here
        with self._cond:
            self._embed_wanted = False
            self._after_wanted = True
        done = self._session_done
        self._progress(IndexProgress("done", done, done, self._session_failed, 0.0, 0.0), True)
        self._save()

    def _embed_pass(self, folder_ids: list[int] | None, started: float) -> bool:
        """One embed_pending run, its progress folded into the session's; True if preempted."""
        base_done, base_failed = self._session_done, self._session_failed
        searchable = 0  # photos made searchable so far in this pass

        def hook(p: IndexProgress) -> None:
            nonlocal searchable
            self._session_done = base_done + p.done
            self._session_failed = base_failed + p.failed
            rate = self._meter.add(self._session_done)
            total = base_done + p.total
            left = (total - self._session_done) / rate if rate > 0 else None
            self._progress(IndexProgress(
                "embedding", self._session_done, total, self._session_failed, rate, left
            ))
            if p.done - p.failed > searchable:
                self._call(self._on_indexed, p.done - p.failed - searchable)
                searchable = p.done - p.failed
            self._maybe_yield(started)

        return self.library.embed_pending(hook, self._preempt, folder_ids).cancelled

    def _maybe_yield(self, started: float) -> None:
        """Called after each committed batch: save now and then, let due scans run."""
        now = time.monotonic()
        if now - self._last_save >= self._save_every_s:
            self._save()
        with self._cond:
            scan_due = self._queue and self._queue.due_in() == 0
            if scan_due and now - started >= self._embed_slice_s:
                self._preempt.set()

    def _after_embedding(self) -> None:
        """Run the jobs on embedded photos in order; each yields after any batch once a scan is
        due or photos wait to be embedded (the service comes back to it when they are done)."""

        reported = False

        def yielding(phase: str) -> Callable[[int, int], None]:
            def hook(done: int, total: int) -> None:
                nonlocal reported
                reported = True
                self._progress(IndexProgress(phase, done, total, 0, 0.0, None))
                with self._cond:
                    if (self._queue and self._queue.due_in() == 0) or self._embed_ready():
                        self._preempt.set()

            return hook

        for job in self.library.background_jobs():
            if self._preempt.is_set():
                return  # _after_wanted stays set: the rest runs next time
            if job.needs_model and (self._held or not self.library.model_loaded):
                continue  # tags wait for the model; the next round after embedding runs them
            try:
                job.run(self._preempt, yielding(job.name))
            except UserFixableError as exc:  # the catalog busy, say: the next round retries
                log.warning("%s: %s", job.name, exc)
            except Exception:  # a bug: log it with its traceback; indexing goes on
                log.exception("%s failed", job.name)
        with self._cond:
            if not self._preempt.is_set():  # done, or failed: the next embedding round retries
                self._after_wanted = False
        if reported:  # the progress shown ends as embedding's did
            done = self._session_done
            self._progress(IndexProgress("done", done, done, self._session_failed, 0.0, 0.0), True)

    def _save(self) -> None:
        try:
            self.library.save_index()
        except OSError as exc:  # disk full: the catalog still has every vector
            # Say so; the next save tries again, and a restart would rebuild the file anyway.
            said = isinstance(exc, UserFixableError)
            self._fail(str(exc) if said else f"The search index could not be saved: {exc}")
        self._last_save = time.monotonic()

    def _fail(self, message: str, retry: bool = False) -> None:
        log.warning("indexing: %s", message)
        self.last_error = message
        if retry:
            with self._cond:
                self._retry_at = time.monotonic() + self._retry_after_s
        self._set_state(IndexingState.ERROR)

    def _set_state(self, state: IndexingState) -> None:
        if state != self._state:
            self._state = state
            self._call(self._on_state, state)

    def _progress(self, progress: IndexProgress, force: bool = False) -> None:
        now = time.monotonic()
        if force or now - self._last_progress >= PROGRESS_INTERVAL_S:
            self._last_progress = now
            self._call(self._on_progress, progress)

    def _call(self, callback: Callable[..., None] | None, *args: object) -> None:
        if callback is None:
            return
        try:
            callback(*args)
        except Exception:  # a broken listener must not stop indexing
            log.exception("indexing service callback failed")
