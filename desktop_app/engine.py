"""The bridge between core and the widgets: owns the Library and the IndexingService.

Everything that touches the library runs on a worker (through ``TaskRunner``) or on the indexing
service's own thread; results come back as Qt signals on the GUI thread. The service's callbacks
only store the latest value under a lock, and a 100 ms timer turns what changed into signals, so
the GUI gets at most ten progress updates a second however fast photos are indexed.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from desktop_app.tasks import Task, TaskRunner, start_in_background
from desktop_app.torch_loading import FullCollections, preload_torch_libraries

if TYPE_CHECKING:
    from core.library import Library
    from core.records import IndexProgress, LibraryStatus, SearchResults

log = logging.getLogger(__name__)

POLL_MS = 100
STATUS_REFRESH_S = 1.0  # folder counts are re-read at most this often while indexing


@dataclass
class _Shared:
    """Written by the service and download threads, read by the GUI timer (under ``lock``)."""

    lock: threading.Lock
    progress: IndexProgress | None = None
    progress_dirty: bool = False
    state: str | None = None
    state_dirty: bool = False
    indexed: int = 0  # photos embedded since start, for "new matches"
    download: tuple[int, int] | None = None


class Engine(QObject):
    opened = Signal(object)  # LibraryStatus, once the catalog is open (browsable by name)
    status_changed = Signal(object)  # LibraryStatus
    model_state = Signal(str, str)  # "loading" | "downloading" | "ready" | "error", message
    download_progress = Signal(int, int)  # bytes done, bytes total
    index_progress = Signal(object)  # IndexProgress, at most every POLL_MS
    indexing_state = Signal(str)  # the service's state name ("indexing", "idle", "paused", ...)
    folder_added = Signal(int)  # folder id
    photos_found = Signal()  # the first scan finished: browsing shows every photo now
    library_grew = Signal(int)  # photos indexed since start (coalesced)
    failures_loaded = Signal(list)  # list[Failure]
    message = Signal(str)  # something the user can fix, worded for them

    def __init__(
        self,
        tasks: TaskRunner,
        home: str | Path | None = None,
        model: str | None = None,
        device: str | None = None,
        start_indexing: bool = True,
    ) -> None:
        super().__init__()
        self.tasks = tasks
        self._home, self._model, self._device = home, model, device
        self._start_indexing = start_indexing
        self.library: Library | None = None
        self.model_ready = False
        self.paused = False
        self._service: Any = None
        self._watcher: Any = None
        self._service_starter: threading.Thread | None = None
        self._scanned = False
        self._download_cancel = threading.Event()
        self._shared = _Shared(threading.Lock())
        self._collections = FullCollections()
        self._last_indexed = 0
        self._last_status = 0.0
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)

    # -- opening -----------------------------------------------------------------------------

    def start(self) -> None:
        """Open the catalog on the io pool; the model loads after, on the model pool."""

        def open_library(_cancel: threading.Event) -> tuple[Library, LibraryStatus]:
            from core.library import Library  # sqlalchemy & co: not on the GUI thread

            library = Library(home=self._home, model=self._model, device=self._device)
            return library, library.status()

        self.tasks.run("io", open_library, on_result=self._opened, on_error=self._report)
        self._timer.start()

    def _opened(self, outcome: tuple[Library, LibraryStatus]) -> None:
        self.library, status = outcome
        self._scanned = False
        for notice in self.library.notices:
            self.message.emit(notice)
        self.opened.emit(status)
        self.load_model()
        # Find new photos while the model loads (or downloads): they are browsable by name at
        # once. The service starts when both are done, without scanning again.
        self._with_library("io", lambda lib: lib.scan(), on_result=self._first_scan_done)

    def _first_scan_done(self, _counts: object) -> None:
        self._scanned = True
        self.refresh_status()
        self.photos_found.emit()
        self._start_service()

    def load_model(self) -> None:
        """Download the weights if needed (with progress, cancellable), then load the model."""
        library = self.library
        if library is None:
            return
        self._download_cancel = cancel = threading.Event()
        shared = self._shared
        self.model_state.emit("loading", f"Loading the model {library.model_name}…")

        def progress(done: int, total: int) -> None:
            with shared.lock:
                shared.download = (done, total)

        def prepare(_cancel: threading.Event) -> None:
            preload_torch_libraries()
            from core.models import cached_weights, download_weights, parse_model_name

            spec = parse_model_name(library.model_name)
            cache = library.paths.models_dir
            if spec.pretrained is not None and cached_weights(spec, cache) is None:
                with shared.lock:
                    shared.download = (0, 0)
                download_weights(spec, library.paths.models_dir, progress, cancel)
                with shared.lock:
                    shared.download = None
            library.prepare()

        self._collections.begin()  # ended by _model_loaded or _model_failed
        self.tasks.run("model", prepare, on_result=self._model_loaded, on_error=self._model_failed)

    def cancel_download(self) -> None:
        self._download_cancel.set()

    def _model_loaded(self, _none: None) -> None:
        self._collections.end()
        self.model_ready = True
        self.model_state.emit("ready", "")
        self._start_service()

    def _model_failed(self, exc: BaseException) -> None:
        from core.errors import Cancelled, PhotoSeekError

        self._collections.end()
        with self._shared.lock:
            self._shared.download = None
        if isinstance(exc, Cancelled):
            self.model_state.emit("cancelled", "The model download was cancelled.")
        elif isinstance(exc, PhotoSeekError):
            self.model_state.emit("error", str(exc))
        else:
            log.error("model failed to load", exc_info=exc)
            self.model_state.emit("error", f"The model could not be loaded: {exc}")

    def reopen(self, model: str | None = None, device: str | None = None) -> None:
        """Open the library again with another model or device (the old one is closed)."""
        self._model = model or self._model
        self._device = device or self._device
        self.model_ready = False
        self._stop_service()
        old = self.library
        self.library = None

        def close(_cancel: threading.Event) -> None:
            if old is not None:
                old.close()

        self.tasks.run("io", close)
        self.start()

    def use_weights_file(self, path: str) -> None:
        """Load the current architecture from a local weights file (offline installs)."""
        name = self.library.model_name if self.library is not None else (self._model or "")
        arch = name.split(":", 1)[1] if name.startswith("random:") else name.split(":", 1)[0]
        model = f"{arch}:{path}"
        self.save_settings(model=model)
        self.reopen(model=model)

    def set_excluded(self, excluded: list[str]) -> None:
        """Skip these folders from now on; a rescan drops photos already found in them."""
        self.save_settings(excluded=list(excluded))
        if self._service is not None:
            self._service.request_scan()

    def switch_model(self, model: str, device: str) -> None:
        """Save the choice; prepare and index the new model in a second Library while the old
        one keeps answering searches, then swap (the old service pauses meanwhile, so one
        indexer writes at a time)."""
        self.save_settings(model=model, device=device)
        if not self.model_ready or self._service is None:
            self.reopen(model, device)
            return
        self._service.pause()
        shared, home = self._shared, self._home
        self.model_state.emit("switching", f"Preparing {model}; searches use the old model "
                              "until it has indexed your photos.")

        def progress(p: IndexProgress) -> None:
            with shared.lock:
                shared.progress, shared.progress_dirty = p, True

        def prepare_and_index(cancel: threading.Event) -> Library:
            from core.library import Library
            from core.models import download_weights, parse_model_name

            library = Library(home=home, model=model, device=device)
            spec = parse_model_name(model)
            if spec.pretrained is not None:
                download_weights(spec, library.paths.models_dir, None, cancel)
            library.index(progress, cancel)
            return library

        def swap(library: Library) -> None:
            self._collections.end()
            self._model, self._device = model, device
            self._stop_service()
            old, self.library = self.library, library
            if old is not None:
                self.tasks.run("io", lambda _c: old.close())
            self._scanned = True
            self.model_ready = True
            self.model_state.emit("ready", "")
            self._start_service()
            self.refresh_status()
            self.photos_found.emit()

        def failed(exc: BaseException) -> None:
            if self._service is not None and not self.paused:
                self._service.resume()
            self._model_failed(exc)

        self._collections.begin()  # ended by swap or failed (through _model_failed)
        self.tasks.run("model", prepare_and_index, on_result=swap, on_error=failed,
                       key="switch")

    # -- indexing ----------------------------------------------------------------------------

    def _start_service(self) -> None:
        ready = self.model_ready and self._scanned and self._start_indexing
        if self._service is not None or self.library is None or not ready:
            return
        from core.indexing_service import IndexingService

        shared = self._shared

        def on_progress(progress: IndexProgress) -> None:
            with shared.lock:
                shared.progress, shared.progress_dirty = progress, True

        def on_state(state: object) -> None:
            with shared.lock:
                shared.state = str(getattr(state, "value", state))
                shared.state_dirty = True

        def on_indexed(*args: object) -> None:
            count = args[0] if args and isinstance(args[0], int) else 1
            if args and isinstance(args[0], list | tuple | set):
                count = len(args[0])
            with shared.lock:
                shared.indexed += count

        self._service = IndexingService(
            self.library, on_progress, on_state, on_indexed, scan_at_start=False
        )
        if self.paused:
            self._service.pause()
        # Its thread and the decode pool it creates inherit a lower CPU priority.
        self._service_starter = start_in_background(self._service.start)
        self._start_watcher(self.library, self._service)

    def _start_watcher(self, library: Library, service: Any) -> None:
        def start(_cancel: threading.Event) -> Any:
            from core.watcher import FolderWatcher

            watcher = FolderWatcher(library, service)
            watcher.start()  # may fail (inotify limit): folders are then only scanned at start
            return watcher

        def started(watcher: Any) -> None:
            if self._service is service:
                self._watcher = watcher
            else:  # stopped meanwhile
                self.tasks.run("io", lambda _c: watcher.stop())

        self.tasks.run("io", start, on_result=started, on_error=self._report)

    def _refresh_watcher(self) -> None:
        watcher = self._watcher
        if watcher is not None:
            self.tasks.run("io", lambda _c: watcher.refresh(), on_error=self._report)

    def _stop_service(self) -> None:
        service, self._service = self._service, None
        watcher, self._watcher = self._watcher, None
        starter, self._service_starter = self._service_starter, None

        def stop(_cancel: threading.Event) -> None:
            if starter is not None:
                starter.join()  # stop() must not run before start()
            if watcher is not None:
                watcher.stop()
            if service is not None:
                service.stop()  # joins the service thread: on a worker, never here

        self.tasks.run("io", stop)

    def pause(self) -> None:
        self.paused = True
        if self._service is not None:
            self._service.pause()
        self.indexing_state.emit("paused")

    def resume(self) -> None:
        self.paused = False
        if self._service is not None:
            self._service.resume()
        self.indexing_state.emit("resumed")

    def _poll(self) -> None:
        shared = self._shared
        with shared.lock:
            progress = shared.progress if shared.progress_dirty else None
            state = shared.state if shared.state_dirty else None
            shared.progress_dirty = shared.state_dirty = False
            indexed, download = shared.indexed, shared.download
        if download is not None:
            self.model_state.emit("downloading", "")
            self.download_progress.emit(*download)
        if progress is not None:
            self.index_progress.emit(progress)
        if state is not None:
            self.indexing_state.emit(state)
            if state == "error" and self._service is not None and self._service.last_error:
                self.message.emit(self._service.last_error)
        now = time.monotonic()
        if indexed != self._last_indexed or (state is not None and state != "indexing"):
            if indexed != self._last_indexed:
                self._last_indexed = indexed
                self.library_grew.emit(indexed)
            if now - self._last_status >= STATUS_REFRESH_S or state is not None:
                self._last_status = now
                self.refresh_status()

    # -- folders and status ------------------------------------------------------------------

    def _with_library(
        self,
        pool: str,
        fn: Callable[[Library], Any],
        on_result: Callable[[Any], None] | None = None,
        key: str | None = None,
    ) -> Task[Any] | None:
        library = self.library
        if library is None:
            return None
        return self.tasks.run(
            pool, lambda _cancel: fn(library), on_result=on_result, on_error=self._report, key=key
        )

    def refresh_status(self) -> None:
        self._with_library(
            "io", lambda lib: lib.status(), on_result=self.status_changed.emit, key="status"
        )

    def add_folder(self, path: str | Path) -> None:
        def add(library: Library) -> int:
            return library.add_folder(path).id

        def added(folder_id: int) -> None:
            self.refresh_status()
            self.folder_added.emit(folder_id)
            if self._service is not None:
                self._service.request_scan(folder_id)
                self._service.prioritise_folder(folder_id)
                self._refresh_watcher()
            else:  # no service yet (model loading): find its photos now, browsable by name
                self._with_library(
                    "io", lambda lib: lib.scan([f for f in lib.folders() if f.id == folder_id]),
                    on_result=lambda _c: (self.refresh_status(), self.photos_found.emit()),
                )

        self._with_library("io", add, on_result=added)

    def forget_folder(self, path: str | Path) -> None:
        def forgotten(_count: int) -> None:
            self.refresh_status()
            self.photos_found.emit()
            self._refresh_watcher()

        self._with_library("io", lambda lib: lib.forget_folder(path), on_result=forgotten)

    def load_failures(self) -> None:
        self._with_library("io", lambda lib: lib.failures(), on_result=self.failures_loaded.emit,
                           key="failures")

    def save_settings(self, **changes: Any) -> None:
        """Persist setting changes through core's Settings (on the io pool: it writes a file)."""

        def save(library: Library) -> None:
            for name, value in changes.items():
                setattr(library.settings, name, value)
            library.settings.save(library.paths.settings)

        self._with_library("io", save)

    # -- searching ---------------------------------------------------------------------------

    def search(
        self,
        text: str,
        images: Sequence[str],
        negatives: Sequence[str],
        on_item: Callable[[SearchResults], None],
        on_error: Callable[[BaseException], None],
        k: int = 1000,
        key: str = "search",
    ) -> Task[SearchResults] | None:
        """Fast answer then exact one, to ``on_item``; a newer search with the key drops this.

        Before the model is ready, words are matched against file names and dates instead.
        """
        library, ready = self.library, self.model_ready
        if library is None:
            return None
        images, negatives = list(images), list(negatives)

        def run(cancel: threading.Event) -> Iterator[SearchResults]:
            from core.search import build_query

            if ready:
                query = build_query(text, images, negatives)  # stats files: not on the GUI
                yield from library.search(query, k, cancel)
            elif text.strip():
                yield _by_name(library, text, k)
            else:
                yield _empty_results()

        return self.tasks.run("query", run, on_item=on_item, on_error=on_error, key=key)

    def browse(
        self, on_item: Callable[[SearchResults], None], limit: int = 50_000, key: str = "search"
    ) -> Task[SearchResults] | None:
        """Every photo, newest first: what the grid shows before anything is typed."""
        library = self.library
        if library is None:
            return None
        return self.tasks.run(
            "query", lambda _c: _by_name(library, "", limit), on_result=on_item,
            on_error=self._report, key=key,
        )

    # -- errors and shutdown -----------------------------------------------------------------

    def _report(self, exc: BaseException) -> None:
        from core.errors import PhotoSeekError

        if isinstance(exc, PhotoSeekError):
            self.message.emit(str(exc))
        else:
            log.error("background task failed", exc_info=exc)
            self.message.emit(f"Something went wrong: {exc}")

    def shutdown(self) -> None:
        """Stop indexing, the pools and the library (blocks briefly: only at exit)."""
        self._timer.stop()
        self._start_indexing = False  # a scan finishing now must not start a service
        self._download_cancel.set()
        service, self._service = self._service, None
        watcher, self._watcher = self._watcher, None
        if self._service_starter is not None:
            self._service_starter.join()
        if watcher is not None:
            watcher.stop()
        if service is not None:
            service.stop()
        self.tasks.shutdown(wait=True)
        if self.library is not None:
            self.library.close()
            self.library = None
        self._collections.release()


def _empty_results() -> SearchResults:
    from core.records import SearchResults

    return SearchResults([], True, 0.0, 0)


def _by_name(library: Library, text: str, limit: int) -> SearchResults:
    """File name and date search, for before the model is ready (score 0: no ranking)."""
    from core.records import SearchHit, SearchResults

    started = time.perf_counter()
    photos = library.search_by_name(text.strip(), limit)
    hits = [SearchHit(p, 0.0) for p in photos]
    return SearchResults(hits, True, time.perf_counter() - started, len(hits))
