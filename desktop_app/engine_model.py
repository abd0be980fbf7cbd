"""The engine's model handling: download (with progress, cancellable), load, switch.

A mixin of ``Engine`` (split out to keep each file about one thing). Downloads report into the
engine's shared state under its lock; the engine's 100 ms timer turns that into signals. When a
download ends, the state the banner should show next ("loading", or "switching" for a model
switch) is posted too, so the banner never sticks on "Downloading … 100%" with a live Cancel.
"""

from __future__ import annotations

import logging
import re
import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from core.library import Library
    from core.records import IndexProgress
    from desktop_app.engine import Engine

log = logging.getLogger(__name__)

WEIGHTS_HINT = "“Choose weights file…”"


def gui_wording(message: str) -> str:
    """Core's messages are written for the command line; GUI users have a button instead."""
    return re.sub(r"'--model [^']*'", WEIGHTS_HINT, message)


class ModelHandling:
    """Methods of ``Engine`` that download, load and switch the model."""

    def load_model(self: Engine) -> None:
        """Download the weights if needed (with progress, cancellable), then load the model."""
        library = self.library
        if library is None:
            return
        self._download_cancel = cancel = threading.Event()
        loading = f"Loading the model {library.model_name}…"
        self.model_state.emit("loading", loading)
        download = self._download_reporter(("loading", loading))

        def prepare(_cancel: threading.Event) -> None:
            from desktop_app.torch_loading import preload_torch_libraries

            preload_torch_libraries()
            from core.models.names import parse_model_name

            download(parse_model_name(library.model_name), library, cancel)
            library.prepare()

        self._collections.begin()  # ended by _model_loaded or _model_failed
        self.tasks.run("model", prepare, on_result=self._model_loaded, on_error=self._model_failed)

    def _download_reporter(self: Engine, after: tuple[str, str]) -> Any:
        """A function that downloads a model's weights if they are not cached, reporting into
        the shared state; ``after`` is the banner state once the bytes are in."""
        shared = self._shared

        def progress(done: int, total: int) -> None:
            with shared.lock:
                shared.download = (done, total)

        def download(spec: Any, library: Library, cancel: threading.Event) -> None:
            from core.models.download import cached_weights, download_weights

            cache = library.paths.models_dir
            if spec.pretrained is None or cached_weights(spec, cache) is not None:
                return
            with shared.lock:
                shared.download, shared.download_started = (0, 0), True
            try:
                download_weights(spec, cache, progress, cancel)
            finally:
                with shared.lock:
                    shared.download, shared.after_download = None, after

        return download

    def cancel_download(self: Engine) -> None:
        self._download_cancel.set()

    def _model_loaded(self: Engine, _none: None) -> None:
        self._collections.end()
        self.model_ready = True
        self.model_state.emit("ready", "")
        self._show_new_notices()  # loading may have rebuilt a damaged index
        self._service_model_ready()

    def _model_failed(self: Engine, exc: BaseException) -> None:
        from core.errors import Cancelled, PhotoSeekError

        self._collections.end()
        with self._shared.lock:
            self._shared.download = None
            self._shared.after_download = None
        if isinstance(exc, Cancelled):
            self.model_state.emit("cancelled", "The model download was cancelled.")
        elif isinstance(exc, PhotoSeekError):
            self.model_state.emit("error", gui_wording(str(exc)))
        else:
            log.error("model failed to load", exc_info=exc)
            self.model_state.emit("error", f"The model could not be loaded: {exc}")

    def use_weights_file(self: Engine, path: str) -> None:
        """Load the current architecture from a local weights file (offline installs)."""
        name = self.library.model_name if self.library is not None else (self._model or "")
        arch = name.split(":", 1)[1] if name.startswith("random:") else name.split(":", 1)[0]
        model = f"{arch}:{path}"
        self.save_settings(model=model)
        self.reopen(model=model)

    def switch_model(self: Engine, model: str, device: str) -> None:
        """Prepare and index the new model in a second Library while the old one keeps
        answering searches, then swap (the old service pauses meanwhile, so one indexer writes
        at a time). The choice is saved only once the swap is done, on the io pool, which
        serialises every settings write: no other write can then put the old model back."""
        if not self.model_ready or self._service is None or self.library is None:
            self.save_settings(model=model, device=device)  # on io, before reopen's open
            self.reopen(model, device)
            return
        self._service.pause()
        self._download_cancel.set()  # a switch superseded by this one stops downloading
        self._download_cancel = cancel = threading.Event()
        shared, home, old_name = self._shared, self._home, self.library.model_name
        switching = (f"Preparing {model}; searches use the current model until it has "
                     "indexed your photos.")
        self.model_state.emit("switching", switching)
        download = self._download_reporter(("switching", switching))

        def progress(p: IndexProgress) -> None:
            with shared.lock:
                shared.progress, shared.progress_dirty = p, True

        def prepare_and_index(task_cancel: threading.Event) -> Library:
            from core.library import Library
            from core.models.names import parse_model_name

            library = Library(home=home, model=model, device=device)
            try:
                download(parse_model_name(model), library, cancel)
                stop = _EitherEvent(cancel, task_cancel)
                library.index(progress, stop)
                if stop.is_set():
                    from core.errors import Cancelled

                    raise Cancelled("The model switch was cancelled.")
            except BaseException:
                library.close()
                raise
            return library

        def swap(library: Library) -> None:
            self._collections.end()
            self._model, self._device = model, device
            self._stop_service()
            old, self.library = self.library, library
            self._notices_shown = 0
            self._adopt_settings(old, library, model, device)
            if old is not None:
                self.tasks.run("io", lambda _c: old.close())
            self._scanned = True
            self.model_ready = True
            self.model_state.emit("ready", "")
            self._show_new_notices()
            self._start_service()
            self.refresh_status()
            self.photos_found.emit()

        def failed(exc: BaseException) -> None:
            from core.errors import Cancelled

            self._collections.end()
            with shared.lock:
                shared.download = shared.after_download = None
            if self._service is not None and not self.paused:
                self._service.resume()
            self.model_state.emit("ready", "")  # the old model is ready: no banner
            if not isinstance(exc, Cancelled | _user_fixable()):
                log.error("model switch failed", exc_info=exc)
            why = "it was cancelled" if isinstance(exc, Cancelled) else gui_wording(str(exc))
            self.message.emit(f"Switching to {model} did not finish: {why} "
                              f"{old_name} still answers your searches.")

        self._collections.begin()  # ended by swap or failed
        self.tasks.run("model", prepare_and_index, on_result=swap, on_error=failed,
                       key="switch")

    def _adopt_settings(self: Engine, old: Library | None, new: Library, model: str,
                        device: str) -> None:
        """The new library takes the old one's settings object (so changes made during the
        switch are kept), with the new model, saved on the io pool after every earlier write."""

        def adopt(_cancel: threading.Event) -> None:
            settings = old.settings if old is not None else new.settings
            settings.model, settings.device = model, device
            new.settings = settings
            settings.save(new.paths.settings)

        self.tasks.run("io", adopt, on_error=self._report)

    def _show_new_notices(self: Engine) -> None:
        """Library.notices gains entries after open (a rebuilt index while the model loads)."""
        library = self.library
        if library is None:
            return
        notices = list(library.notices)
        for notice in notices[self._notices_shown:]:
            self.message.emit(notice)
        self._notices_shown = len(notices)


def _user_fixable() -> type[BaseException]:
    from core.errors import PhotoSeekError

    return PhotoSeekError


class _EitherEvent(threading.Event):
    """Set when either event is set (checked by core at every batch, never waited on)."""

    def __init__(self, a: threading.Event, b: threading.Event) -> None:
        super().__init__()
        self._a, self._b = a, b

    def is_set(self) -> bool:
        return super().is_set() or self._a.is_set() or self._b.is_set()
