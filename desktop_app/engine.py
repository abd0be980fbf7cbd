"""The bridge between core's session and the widgets: session callbacks become Qt signals.

All the app's lifecycle (opening the library, first scan, indexing, model download, load and
switch, settings, standing by) lives in ``core.lifecycle.session.LibrarySession``, tested
without Qt. This adapter only moves what the session reports onto the GUI thread, as signals,
and runs queries on the task pools, so that the GUI thread never waits on the library.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal, Slot

from core.config.paths import DataPaths
from core.config.settings import Settings
from core.lifecycle.session import LibrarySession
from core.lifecycle.states import Changes, IndexingState, ModelState, SessionCallbacks
from core.records import FilterChoices, LibraryStatus, SearchResults
from core.search.request import Asked
from desktop_app import core_sentences
from desktop_app.i18n import translate
from desktop_app.tasks import Task, TaskRunner
from desktop_app.torch_loading import FullCollections, preload_torch_libraries

if TYPE_CHECKING:
    from core.library import Library

log = logging.getLogger(__name__)

_LOADING_STATES = (ModelState.LOADING, ModelState.DOWNLOADING, ModelState.SWITCHING)


class Engine(QObject):
    opened = Signal(object)  # LibraryStatus, once the catalog is open (browsable by name)
    status_changed = Signal(object)  # LibraryStatus
    changed = Signal(object)  # core.lifecycle.session.Changes
    model_state = Signal(object, str)  # ModelState, text
    download_progress = Signal(int, int)  # bytes done, bytes total
    index_progress = Signal(object)  # IndexProgress, at most ten a second
    indexing_state = Signal(object, object)  # IndexingState, its error (or None)
    photos_found = Signal()  # photos were found, moved or removed: browsing may change
    library_grew = Signal(int)  # photos made searchable (coalesced)
    folder_removed = Signal()  # its photos left the catalog: the grid must follow
    failures_loaded = Signal(list)  # list[Failure]
    message = Signal(str)  # something the user can fix, worded for them
    _post = Signal(object)  # a closure from a session thread, run on the GUI thread

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
        self._collections = FullCollections()
        self._post.connect(self._run_posted, Qt.ConnectionType.QueuedConnection)
        self.session = LibrarySession(
            home, model, device, self._callbacks(), start_indexing=start_indexing,
            before_model_load=preload_torch_libraries, ask_model_choice=True,
        )

    def _callbacks(self) -> SessionCallbacks:
        def on_gui(handler: Callable[..., None]) -> Callable[..., None]:
            return lambda *args: self._post.emit(partial(handler, *args))

        return SessionCallbacks(
            opened=on_gui(self.opened.emit), open_failed=on_gui(self._notice),
            changed=on_gui(self._changed), model=on_gui(self._model_changed),
            download=on_gui(self.download_progress.emit),
            progress=on_gui(self.index_progress.emit),
            indexing=on_gui(self.indexing_state.emit), notice=on_gui(self._notice),
        )

    @Slot(object)
    def _run_posted(self, closure: Callable[[], None]) -> None:
        closure()

    # -- what the session reports ------------------------------------------------------------

    def _changed(self, changes: Changes) -> None:
        self.changed.emit(changes)
        self.status_changed.emit(changes.status)
        if changes.removed:
            self.folder_removed.emit()
        if changes.photos:
            self.photos_found.emit()
        if changes.photos or changes.searchable:
            self.library_grew.emit(changes.searchable)

    def _model_changed(self, state: ModelState, message: str) -> None:
        if state in _LOADING_STATES:
            self._collections.begin()  # no full garbage collection while torch loads
        else:
            self._collections.end()
        self.model_state.emit(state, gui_wording(message))

    def _notice(self, text: str) -> None:
        self.message.emit(gui_wording(text))

    # -- state --------------------------------------------------------------------------------

    @property
    def library(self) -> Library | None:
        return self.session.library

    @property
    def model_ready(self) -> bool:
        return self.session.model_ready

    @property
    def paused(self) -> bool:
        return self.session.paused

    @property
    def settings(self) -> Settings | None:
        return self.session.settings

    @property
    def paths(self) -> DataPaths:
        return self.session.paths

    @property
    def devices(self) -> tuple[str, ...]:
        return self.session.devices

    @property
    def indexing(self) -> IndexingState | None:
        return self.session.indexing_state

    # -- commands (each returns at once) -------------------------------------------------------

    def start(self) -> None:
        self.session.start()

    def load_model(self) -> None:
        self.session.load_model()

    def choose_model(self, model: str) -> None:
        """The first start's model choice (after ModelState.CHOOSING)."""
        self.session.choose_model(model)

    def cancel_download(self) -> None:
        self.session.cancel_download()

    def use_weights_file(self, path: str) -> None:
        self.session.use_weights_file(path)

    def switch_model(self, model: str, device: str) -> None:
        self.session.switch_model(model, device)

    def set_excluded(self, excluded: list[str]) -> None:
        self.session.set_excluded(excluded)

    def save_settings(self, **changes: Any) -> None:
        self.session.update_settings(**changes)

    def add_folder(self, path: str | Path) -> None:
        self.session.add_folder(path)

    def forget_folder(self, path: str | Path) -> None:
        self.session.forget_folder(path)

    def prioritise_folder(self, folder_id: int | None) -> None:
        self.session.prioritise_folder(folder_id)

    def pause(self) -> None:
        self.session.pause()

    def resume(self) -> None:
        self.session.resume()

    def load_failures(self) -> None:
        self.tasks.run("io", lambda _c: self.session.failures(),
                       on_result=self.failures_loaded.emit, on_error=self._report,
                       key="failures")

    def refresh_status(self) -> None:
        def read(_cancel: threading.Event) -> LibraryStatus | None:
            return self.session.status()

        def show(status: LibraryStatus | None) -> None:
            if status is not None:
                self.status_changed.emit(status)

        self.tasks.run("io", read, on_result=show, on_error=self._report, key="status")

    # -- queries (on the query pool) -----------------------------------------------------------

    def search(
        self,
        asked: Asked,
        on_item: Callable[[SearchResults], None],
        on_error: Callable[[BaseException], None],
        k: int = 1000,
        key: str = "search",
    ) -> Task[SearchResults]:
        """Fast answer then exact one, to ``on_item``; a newer search with the key drops this.
        Until the model is ready, words find photos by file name, folder name and date. Nothing
        asked (filters or not): the timeline, one answer."""
        return self.tasks.run(
            "query", lambda cancel: self.session.search(asked, k, cancel),
            on_item=on_item, on_error=on_error, key=key,
        )

    def browse(
        self,
        on_item: Callable[[SearchResults], None],
        limit: int = 50_000,
        key: str = "search",
        asked: Asked | None = None,
    ) -> Task[SearchResults]:
        """Every photo (that passes ``asked``'s filters), newest first: what the grid shows
        before anything is typed."""
        return self.search(asked or Asked(), on_item, self._report, limit, key)

    def filter_choices(self, on_result: Callable[[FilterChoices], None]) -> None:
        """The cameras, places, types and years of the library, for the filter menus."""

        def read(_cancel: object) -> FilterChoices | None:
            return self.session.filter_choices()

        def show(choices: FilterChoices | None) -> None:
            if choices is not None:
                on_result(choices)

        self.tasks.run("io", read, on_result=show, on_error=self._report, key="filter-choices")

    # -- errors and shutdown -------------------------------------------------------------------

    def _report(self, exc: BaseException) -> None:
        from core.errors import PhotoSeekError

        if isinstance(exc, PhotoSeekError):
            self.message.emit(gui_wording(str(exc)))
        else:
            log.error("background task failed", exc_info=exc)

    def shutdown(self) -> None:
        """Stop indexing and close the library (bounded: the current batch is committed or
        abandoned within seconds), then stop the task pools without waiting for them."""
        self.session.close()
        self.tasks.shutdown(wait=False)
        self._collections.release()


def gui_wording(message: str) -> str:
    """Core's messages are written for the command line; GUI users have a button instead
    (model_download's "Use a weights file…", named as the button reads)."""
    button = translate("Engine", "“Use a weights file…”")
    return re.sub(r"'--model [^']*'", lambda _match: button, core_sentences.say(message))
