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
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from desktop_app.engine_model import ModelHandling
from desktop_app.engine_search import Searching
from desktop_app.tasks import Task, TaskRunner, start_in_background
from desktop_app.torch_loading import FullCollections

if TYPE_CHECKING:
    from core.library import Library
    from core.records import IndexProgress, LibraryStatus

log = logging.getLogger(__name__)

POLL_MS = 100
STATUS_REFRESH_S = 1.0  # folder counts are re-read at most this often while indexing
STANDBY_REFRESH_S = 5.0  # while another process indexes, look at what it did this often


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
    download_started: bool = False  # a new download: the banner resets its speed meter
    after_download: tuple[str, str] | None = None  # the banner's state once the bytes are in
    scan_ended: bool = False  # a scan finished (states between two polls are coalesced)


class Engine(ModelHandling, Searching, QObject):
    opened = Signal(object)  # LibraryStatus, once the catalog is open (browsable by name)
    status_changed = Signal(object)  # LibraryStatus
    model_state = Signal(str, str)  # loading|downloading|switching|ready|error|cancelled, text
    download_progress = Signal(int, int)  # bytes done, bytes total
    download_started = Signal()  # a new download (or a retry): speed is measured afresh
    index_progress = Signal(object)  # IndexProgress, at most every POLL_MS
    indexing_state = Signal(str)  # the service's state name ("indexing", "idle", "paused", ...)
    folder_added = Signal(int)  # folder id
    folder_removed = Signal()  # its photos are gone from the catalog: the grid must follow
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
        self._notices_shown = 0  # of library.notices: more may come after open
        self._last_state: str | None = None
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
        self._notices_shown = 0
        self._show_new_notices()
        self.opened.emit(status)
        self.load_model()
        # Find new photos while the model loads (or downloads): they are browsable by name at
        # once. The service and the watcher start right after, without scanning again, so
        # files added during a long download (or offline, forever) are still found.
        self._with_library("io", lambda lib: lib.scan(), on_result=self._first_scan_done)

    def _first_scan_done(self, _counts: object) -> None:
        self._scanned = True
        self.refresh_status()
        self.photos_found.emit()
        self._start_service()

    def _service_model_ready(self) -> None:
        """The model is in: the service (started paused for embedding) may embed now."""
        if self._service is None:
            self._start_service()
        elif not self.paused:
            self._service.resume()

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

    def set_excluded(self, excluded: list[str]) -> None:
        """Skip these folders from now on; a rescan drops photos already found in them."""
        self.save_settings(excluded=list(excluded))
        if self._service is not None:
            self._service.request_scan()

    # -- indexing ----------------------------------------------------------------------------

    def _start_service(self) -> None:
        ready = self._scanned and self._start_indexing
        if self._service is not None or self.library is None or not ready:
            return
        from core.lifecycle.indexing_service import IndexingService

        shared = self._shared

        def on_progress(progress: IndexProgress) -> None:
            with shared.lock:
                shared.progress, shared.progress_dirty = progress, True

        def on_state(state: object) -> None:
            with shared.lock:
                name = str(getattr(state, "value", state))
                shared.scan_ended |= shared.state == "scanning" and name != "scanning"
                shared.state = name
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
        if self.paused or not self.model_ready:
            # Until the model is ready the service only scans (the model pool owns loading,
            # with download progress); _service_model_ready lets it embed.
            self._service.pause()
        # Its thread and the decode pool it creates inherit a lower CPU priority.
        self._service_starter = start_in_background(self._service.start)
        self._start_watcher(self.library, self._service)

    def _start_watcher(self, library: Library, service: Any) -> None:
        def start(_cancel: threading.Event) -> Any:
            from core.lifecycle.watcher import FolderWatcher

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

    def prioritise_folder(self, folder_id: int | None) -> None:
        """Embed this folder's photos first (the user selected it in the library panel)."""
        if self._service is not None:
            self._service.prioritise_folder(folder_id)

    def pause(self) -> None:
        self.paused = True
        if self._service is not None:
            self._service.pause()
        self.indexing_state.emit("paused")

    def resume(self) -> None:
        self.paused = False
        if self._service is not None and self.model_ready:
            self._service.resume()
        self.indexing_state.emit("resumed")

    def _poll(self) -> None:
        shared = self._shared
        with shared.lock:
            progress = shared.progress if shared.progress_dirty else None
            state = shared.state if shared.state_dirty else None
            shared.progress_dirty = shared.state_dirty = False
            indexed, download = shared.indexed, shared.download
            started, after = shared.download_started, shared.after_download
            shared.download_started, shared.after_download = False, None
            scan_ended, shared.scan_ended = shared.scan_ended, False
        if started:
            self.download_started.emit()
        if download is not None:
            self.model_state.emit("downloading", "")
            self.download_progress.emit(*download)
        elif after is not None:
            self.model_state.emit(*after)  # bytes are in: loading now, nothing to cancel
        if progress is not None:
            self.index_progress.emit(progress)
        if state is not None:
            self._show_service_state(state)
        if scan_ended:
            self.library_grew.emit(indexed)  # a scan may have found photos: browse shows them
        if state is not None:
            self._last_state = state
        now = time.monotonic()
        if self._last_state == "standby" and now - self._last_status >= STANDBY_REFRESH_S:
            # The other process adds vectors (the service takes them in): show what it found.
            self._last_status = now
            self.refresh_status()
            self.library_grew.emit(indexed)
        if indexed != self._last_indexed or (state is not None and state != "indexing"):
            if indexed != self._last_indexed:
                self._last_indexed = indexed
                self.library_grew.emit(indexed)
            if now - self._last_status >= STATUS_REFRESH_S or state is not None:
                self._last_status = now
                self.refresh_status()

    def _show_service_state(self, state: str) -> None:
        if state == "paused" and not self.model_ready and not self.paused:
            state = "waiting"  # paused by us until the model is ready, not by the user
        self.indexing_state.emit(state)
        if state == "error" and self._service is not None and self._service.last_error:
            self.message.emit(self._service.last_error)

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
            self.folder_removed.emit()
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
