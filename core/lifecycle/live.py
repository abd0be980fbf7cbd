"""A library kept current: its indexing service and its folder watcher, started and stopped
together (the session runs one for the library it has open)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from core.lifecycle.indexing_service import IndexingService
from core.lifecycle.states import IndexingState
from core.lifecycle.watcher import FolderWatcher
from core.records import IndexProgress

if TYPE_CHECKING:
    from core.library import Library

log = logging.getLogger(__name__)


class LiveIndexing:
    def __init__(
        self,
        library: Library,
        on_progress: Callable[[IndexProgress], None],
        on_state: Callable[[IndexingState], None],
        on_indexed: Callable[[int], None],
        on_notice: Callable[[str], None],
        *,
        hold_embedding: bool,
        paused: bool,
        service_options: dict[str, Any],
    ) -> None:
        self.service = IndexingService(
            library, on_progress, on_state, on_indexed, hold_embedding=hold_embedding,
            **service_options,
        )
        if paused:
            self.service.pause()
        self.service.start()
        self.watcher = FolderWatcher(library, self.service)
        try:
            self.watcher.start()
        except OSError as exc:  # the inotify limit: folders are scanned at start only
            on_notice(f"Folders cannot be watched for changes ({exc}); new photos are found "
                      "when PhotoSeek starts.")

    def folder_added(self, folder_id: int) -> None:
        """Find its photos now, and embed them before the others."""
        self.service.request_scan(folder_id)
        self.service.prioritise_folder(folder_id)
        self.watcher.refresh()

    def stop(self, timeout: float) -> None:
        """Stop watching, commit the current batch (or abandon it after ``timeout``)."""
        self.watcher.stop()
        if not self.service.stop(timeout):
            log.warning("the indexer did not finish its last step in time; it is abandoned")
