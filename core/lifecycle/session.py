"""The app's lifecycle, headless: open the library, find photos, load the model, keep indexing,
switch models, change settings, stand by while another process indexes, close.

The desktop app and ``photoseek watch`` drive this same object. Its commands return at once: they
run in order on the session's control thread, or (downloading and loading a model) on its model
thread. What happens is told through plain callbacks (``SessionCallbacks``), called from those
threads and from the indexing service's; a GUI hops to its own thread before touching widgets.
Queries (``search``, ``browse``, ``failures``) run on the caller's thread: a GUI calls them from
its query worker.

States are typed: ``ModelState`` for the model, ``IndexingState`` (core.lifecycle.
indexing_service) for indexing. Changes to the library are reported as ``Changes``: one record
that says what changed (photos, folders, failures) with fresh counts, at most once a second,
so every view can refresh what concerns it (Anki's OpChanges works this way).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.config.paths import DataPaths, data_paths
from core.config.settings import Settings, SettingsStore
from core.errors import Cancelled, PhotoSeekError
from core.lifecycle.announcer import Announcer
from core.lifecycle.answers import answers
from core.lifecycle.changes import ChangeTracker
from core.lifecycle.model_setup import switch_failure
from core.lifecycle.states import (
    IndexingState,
    ModelState,
    SessionCallbacks,
)
from core.lifecycle.worker import Worker
from core.models.names import with_weights_file
from core.records import (
    Failure,
    FilterChoices,
    IndexProgress,
    LibraryStatus,
    SearchResults,
)
from core.search.request import Asked

if TYPE_CHECKING:  # loaded when a library opens, not when the window is built
    from core.library import Library
    from core.lifecycle.indexing_service import IndexingService
    from core.lifecycle.live import LiveIndexing
    from core.lifecycle.model_setup import ModelSetup
    from core.lifecycle.watcher import FolderWatcher

log = logging.getLogger(__name__)

STATUS_EVERY_S = 1.0  # Changes (with fresh counts) are reported at most this often
STOP_TIMEOUT_S = 10.0  # how long closing waits for the current batch to be committed


class LibrarySession:
    def __init__(
        self,
        home: str | Path | None = None,
        model: str | None = None,
        device: str | None = None,
        callbacks: SessionCallbacks | None = None,
        *,
        start_indexing: bool = True,
        before_model_load: Callable[[], None] | None = None,
        service_options: dict[str, Any] | None = None,
        ask_model_choice: bool = False,
    ) -> None:
        self.paths: DataPaths = data_paths(home)
        # A window asks a first start which model to download (choose_model answers); a
        # headless `photoseek watch` has nobody to ask and downloads the default.
        self._ask_model_choice = ask_model_choice
        self._model_request, self._device_request = model, device
        self._tell = Announcer(callbacks or SessionCallbacks())
        self._start_indexing = start_indexing
        self._before_model_load = before_model_load
        self._service_options = service_options or {}
        self._store: SettingsStore | None = None
        self.library: Library | None = None
        self.model_ready = False
        self.paused = False
        self.devices: tuple[str, ...] = ("auto", "cpu")  # known once torch has loaded
        self._live: LiveIndexing | None = None  # the open library's service and watcher
        self._setup: ModelSetup | None = None  # the download or switch under way
        self._closed = False
        self._changes = ChangeTracker()
        self._control = Worker("photoseek-control", self._tell.failure, tick=self._tick,
                               tick_s=STATUS_EVERY_S)
        self._models = Worker("photoseek-model", self._tell.failure, nice=10)

    # -- state -------------------------------------------------------------------------------

    @property
    def model_state(self) -> ModelState:
        return self._tell.model_state

    @property
    def settings(self) -> Settings | None:
        return self._store.current if self._store is not None else None

    @property
    def indexing_state(self) -> IndexingState | None:
        return self._live.service.state if self._live is not None else None

    @property
    def service(self) -> IndexingService | None:
        return self._live.service if self._live is not None else None

    @property
    def watcher(self) -> FolderWatcher | None:
        return self._live.watcher if self._live is not None else None

    # -- commands (all return at once) -------------------------------------------------------

    def start(self) -> None:
        """Open the library, start finding photos and load the model, in the background."""
        self._control.submit(self._open)

    def add_folder(self, path: str | Path) -> None:
        self._control.submit(lambda: self._add_folder(path))

    def forget_folder(self, path: str | Path) -> None:
        self._control.submit(lambda: self._forget_folder(path))

    def set_excluded(self, excluded: Sequence[str]) -> None:
        """Skip these folders from now on; a rescan drops photos already found in them."""

        def apply() -> None:
            self._require_store().update(excluded=list(excluded))
            if self.service is not None:
                self.service.request_scan()

        self._control.submit(apply)

    def update_settings(self, **changes: Any) -> None:
        def apply() -> None:
            self._require_store().update(**changes)

        self._control.submit(apply)

    def load_model(self) -> None:
        """Download (if needed) and load the current model again, after a failure."""
        library = self.library
        if library is not None and not self.model_ready:
            self._models.submit(lambda: self._load_model(library))

    def choose_model(self, model: str) -> None:
        """The first start's answer (ModelState.CHOOSING): save it and load that model; the
        library opens again when it is not the one it opened with."""

        def apply() -> None:
            library = self._require_library()
            if model == library.model_name:
                self._require_store().update(model=model)
                self._models.submit(lambda: self._load_model(library))
            else:
                self._reopen(model, None)

        self._control.submit(apply)

    def cancel_download(self) -> None:
        """Stop the model download or the model switch under way."""
        setup = self._setup
        if setup is not None:
            setup.cancel()

    def use_weights_file(self, path: str) -> None:
        """Use the current architecture with the weights in this local file."""

        def apply() -> None:
            name = self.library.model_name if self.library is not None else ""
            self._reopen(with_weights_file(name, path), self._device_request)

        self._control.submit(apply)

    def switch_model(self, model: str, device: str) -> None:
        """Prepare and index ``model`` while the current one keeps answering, then swap."""
        self._control.submit(lambda: self._switch(model, device))

    def pause(self) -> None:
        self.paused = True
        if self.service is not None:
            self.service.pause()

    def resume(self) -> None:
        self.paused = False
        if self.service is not None:
            self.service.resume()

    def prioritise_folder(self, folder_id: int | None) -> None:
        if self.service is not None:
            self.service.prioritise_folder(folder_id)

    def close(self, timeout: float = STOP_TIMEOUT_S) -> LibraryStatus | None:
        """Stop watching and indexing (the current batch is committed, within ``timeout``),
        save the index and close the catalog; returns the final counts. Blocks: call it at
        exit only."""
        self._closed = True
        self.cancel_download()
        self._control.stop(timeout)
        self._stop_indexing(timeout)
        library, self.library = self.library, None
        if library is None:
            return None
        try:
            return library.status()
        finally:
            try:
                library.close()
            except OSError as exc:  # a full disk: the catalog has every vector anyway
                log.warning("the search index could not be saved at exit: %s", exc)

    # -- queries (on the caller's thread) ----------------------------------------------------

    def search(
        self, asked: Asked, k: int = 1000, cancel: threading.Event | None = None
    ) -> Iterator[SearchResults]:
        """A fast answer, then the exact one; nothing asked: the timeline. Until the model is
        ready, or while nothing is indexed yet, words find photos by file name, folder name and
        date instead (unranked)."""
        library = self.library
        if library is not None:
            yield from answers(library, self.model_ready, asked, k, cancel)

    def browse(self, limit: int = 50_000) -> SearchResults:
        """Every photo, newest first: what a grid shows before anything is typed."""
        library = self.library
        if library is None:
            return SearchResults([], True, 0.0, 0, ranked=False)
        return next(answers(library, False, Asked(), limit, None))

    def filter_choices(self) -> FilterChoices | None:
        """The cameras, places, file types and years of the library, for filter menus."""
        library = self.library
        return library.filter_choices() if library is not None else None

    def failures(self) -> list[Failure]:
        library = self.library
        return library.failures() if library is not None else []

    def status(self) -> LibraryStatus | None:
        library = self.library
        return library.status() if library is not None else None

    # -- the control thread ------------------------------------------------------------------

    def _require_store(self) -> SettingsStore:
        if self._store is None:
            raise PhotoSeekError("The library is not open yet.")
        return self._store

    def _open(self) -> None:
        from core.library import Library

        if self._closed:
            return
        try:
            self.paths.ensure()
            if self._store is None:
                self._store = SettingsStore(self.paths.settings)
            library = Library(self.paths.home, self._model_request, self._device_request,
                              settings=self._store)
        except PhotoSeekError as exc:
            self._tell.call(self._tell.callbacks.open_failed, str(exc))
            return
        self.library = library
        self._tell.library_opened()
        status = library.status()
        self._changes.reset(status)
        self._tell.call(self._tell.callbacks.opened, status)
        self._tell.new_notices(library)
        if self._start_indexing:
            self._start_service(library, hold=True)
        if self._awaits_model_choice(library):
            self._tell.model(ModelState.CHOOSING, "")  # photos are found meanwhile
            return
        self._models.submit(lambda: self._load_model(library))

    def _awaits_model_choice(self, library: Library) -> bool:
        """A start in a window with no model named anywhere and the default not on the disk
        (a first start): its download (over a gigabyte) waits until the owner has chosen."""
        from core.models.download import model_choice_needed

        settings = self._require_store().current
        return (self._ask_model_choice and self._model_request is None and model_choice_needed(
            settings.model, library.model_name, self.paths.models_dir))

    def _start_service(self, library: Library, hold: bool) -> None:
        from core.lifecycle.live import LiveIndexing

        self._live = LiveIndexing(
            library, self._on_progress, self._on_indexing, self._on_indexed, self._tell.notice,
            hold_embedding=hold, paused=self.paused, service_options=self._service_options,
        )

    def _stop_indexing(self, timeout: float = STOP_TIMEOUT_S) -> None:
        live, self._live = self._live, None
        if live is not None:
            live.stop(timeout)

    def _add_folder(self, path: str | Path) -> None:
        library = self._require_library()
        folder = library.add_folder(path)
        self._changes.mark(folders=True)
        if self._live is not None:
            self._live.folder_added(folder.id)
        elif not self._start_indexing:
            library.scan([folder])  # no service (tests): find its photos here
            self._changes.mark(photos=True)

    def _forget_folder(self, path: str | Path) -> None:
        library = self._require_library()
        library.forget_folder(path)
        self._changes.mark(folders=True, photos=True, removed=True)
        if self._live is not None:
            self._live.watcher.refresh()

    def _require_library(self) -> Library:
        if self.library is None:
            raise PhotoSeekError("The library is not open yet.")
        return self.library

    def _reopen(self, model: str | None, device: str | None) -> None:
        """Open the library again with another model or device; the choice is saved."""
        self.cancel_download()
        self._require_store().update(
            **{k: v for k, v in (("model", model), ("device", device)) if v}
        )
        self._model_request, self._device_request = model, device
        self.model_ready = False
        self._stop_indexing()
        old, self.library = self.library, None
        if old is not None:
            old.close()
        self._open()

    def _switch(self, model: str, device: str) -> None:
        library, service = self.library, self.service
        standby = service is not None and service.state is IndexingState.STANDBY
        if not self.model_ready or service is None or library is None or standby:
            # Nothing to keep answering meanwhile (or another process indexes): start over.
            self._reopen(model, device)
            return
        from core.lifecycle.model_setup import ModelSetup

        service.hold_embedding()  # one indexer writes vectors at a time
        setup = ModelSetup(self._tell.download)
        self._setup = setup
        self._tell.model(ModelState.SWITCHING, f"Preparing {model}; searches use the current "
                        "model until it has indexed your photos.")
        old_name = library.model_name
        store = self._require_store()

        def prepare() -> None:
            try:
                new = setup.switch(self.paths.home, model, device, store, self._on_progress)
            except BaseException as exc:
                error = exc  # `exc` is unbound once the except block ends
                self._control.submit(lambda: self._switch_failed(error, model, old_name))
                return
            self._control.submit(lambda: self._swap(new, model, device))

        self._models.submit(prepare)

    def _swap(self, new: Library, model: str, device: str) -> None:
        self._setup = None
        if self._closed:
            new.close()
            return
        self._stop_indexing()
        old, self.library = self.library, new
        self._model_request, self._device_request = model, device
        if old is not None:
            old.close()
        self._require_store().update(model=model, device=device)
        self._tell.library_opened()
        self._tell.model(ModelState.READY, "")
        self._tell.new_notices(new)
        if self._start_indexing:
            self._start_service(new, hold=False)
        self._changes.mark(photos=True, folders=True)

    def _switch_failed(self, exc: BaseException, model: str, old_name: str) -> None:
        self._setup = None
        if self.service is not None:
            self.service.allow_embedding()
        self._tell.model(ModelState.READY, "")  # the current model still answers
        self._tell.notice(switch_failure(exc, model, old_name))

    def _tick(self) -> None:
        """Report what changed since the last report, with fresh counts (once a second)."""
        library = self.library
        standby = self.indexing_state is IndexingState.STANDBY  # another process indexes
        if library is None or not (self._changes.due or standby):
            return
        changes = self._changes.report(library.status())
        if changes is not None:
            self._tell.call(self._tell.callbacks.changed, changes)

    # -- the model thread --------------------------------------------------------------------

    def _load_model(self, library: Library) -> None:
        from core.lifecycle.model_setup import ModelSetup
        from core.models.devices import available_devices

        if library is not self.library or self._closed:
            return
        setup = ModelSetup(self._tell.download)
        self._setup = setup
        self._tell.model(ModelState.LOADING, f"Loading the model {library.model_name}…")
        if self._before_model_load is not None:
            self._before_model_load()
        try:
            random_weights = setup.load(library, lambda: self._tell.model(
                ModelState.LOADING, f"Loading the model {library.model_name}…"))
        except Cancelled:
            self._tell.model(ModelState.CANCELLED, "The model download was cancelled.")
            return
        except PhotoSeekError as exc:
            self._tell.model(ModelState.FAILED, str(exc))
            return
        except Exception as exc:
            log.error("the model could not be loaded", exc_info=exc)
            self._tell.model(ModelState.FAILED, f"The model could not be loaded: {exc}")
            return
        finally:
            self._setup = None
        self.devices = available_devices()
        if library is not self.library:
            return  # reopened meanwhile: that library loads its own model
        self.model_ready = True
        self._tell.model(ModelState.READY, "")
        self._tell.new_notices(library)  # loading may have rebuilt a damaged index
        if random_weights:
            self._tell.notice(f"The model {library.model_name} has random weights: search results "
                         "mean nothing. Choose a real model in Settings.")
        if self.service is not None:
            self.service.allow_embedding()

    # -- the service's callbacks -------------------------------------------------------------

    def _on_progress(self, progress: IndexProgress) -> None:
        self._tell.call(self._tell.callbacks.progress, progress)

    def _on_indexing(self, state: IndexingState) -> None:
        service = self.service
        error = service.last_error if service is not None else None
        explained = error if state in (IndexingState.ERROR, IndexingState.STANDBY) else None
        self._tell.call(self._tell.callbacks.indexing, state, explained)
        # A scan may have found, moved or removed photos; standby means another process does.
        self._changes.mark(photos=state is not IndexingState.INDEXING)

    def _on_indexed(self, count: int) -> None:
        self._changes.mark(searchable=count)
