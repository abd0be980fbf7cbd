"""Getting a model ready: its weights downloaded (with progress, cancellable, resumable) and
loaded; for a model switch, a second library prepared and indexed while the first answers."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from core.config.settings import SettingsStore
from core.errors import Cancelled, PhotoSeekError
from core.models.names import ModelSpec
from core.records import IndexProgress

if TYPE_CHECKING:
    from core.library import Library

PROGRESS_EVERY_S = 0.1  # download progress reaches listeners at most ten times a second

log = logging.getLogger(__name__)


def switch_failure(exc: BaseException, model: str, current: str) -> str:
    """What to tell the user when a switch to ``model`` did not finish."""
    if isinstance(exc, Cancelled):
        why = "it was cancelled."
    elif isinstance(exc, PhotoSeekError):
        why = str(exc)
    else:
        log.error("model switch failed", exc_info=exc)
        why = f"something went wrong ({exc})."
    return f"Switching to {model} did not finish: {why} {current} still answers your searches."


class ModelSetup:
    """One download-and-load (or switch) that ``cancel`` stops at its next step."""

    def __init__(self, progress: Callable[[int, int], None]) -> None:
        self._progress = progress
        self._cancel = threading.Event()
        self._last_report = 0.0

    def cancel(self) -> None:
        self._cancel.set()

    def load(self, library: Library, downloaded: Callable[[], None]) -> bool:
        """Download (if needed) and load ``library``'s model; True if its weights are random.
        ``downloaded`` is called when a download has just finished and loading begins."""
        from core.models.names import parse_model_name
        from core.models.resumable import forget_stale_partials

        spec = parse_model_name(library.model_name)
        if self._download(spec, library.paths.models_dir):
            downloaded()
        library.prepare()
        forget_stale_partials(library.paths.models_dir)  # downloads given up for this model
        return spec.random

    def switch(
        self,
        home: Path,
        model: str,
        device: str,
        settings: SettingsStore,
        progress: Callable[[IndexProgress], None],
    ) -> Library:
        """A library with ``model``, loaded, its photos embedded (not scanned: the current
        library's service keeps scanning meanwhile). The caller swaps it in."""
        from core.library import Library
        from core.models.names import parse_model_name

        library = Library(home, model, device, settings=settings)
        try:
            self._download(parse_model_name(library.model_name), library.paths.models_dir)
            library.prepare()
            library.embed_pending(progress, self._cancel)
            if self._cancel.is_set():
                raise Cancelled("The model switch was cancelled.")
        except BaseException:
            library.close()
            raise
        return library

    def _download(self, spec: ModelSpec, cache: Path) -> bool:
        """Fetch the weights unless they are cached; True if a download happened."""
        from core.models.download import cached_weights, download_weights

        if spec.pretrained is None or cached_weights(spec, cache) is not None:
            return False
        self._report(0, 0, force=True)
        download_weights(spec, cache, self._report, self._cancel)
        return True

    def _report(self, done: int, total: int, force: bool = False) -> None:
        now = time.monotonic()
        if force or done >= total > 0 or now - self._last_report >= PROGRESS_EVERY_S:
            self._last_report = now
            self._progress(done, total)
