"""The states and events a library session reports, in a module light enough to import before
the window shows (the session itself loads the library's modules only when it opens one)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from core.records import IndexProgress, LibraryStatus


class IndexingState(Enum):
    STARTING = "starting"
    SCANNING = "scanning"
    LOADING_MODEL = "loading model"
    WAITING_FOR_MODEL = "waiting for the model"  # photos are pending; embedding is held
    INDEXING = "indexing"
    PAUSED = "paused"
    IDLE = "idle"
    ERROR = "error"
    STANDBY = "standby"  # another process holds the indexer lock


class ModelState(Enum):
    LOADING = "loading"
    DOWNLOADING = "downloading"
    SWITCHING = "switching"  # another model is prepared while this one answers
    READY = "ready"
    FAILED = "failed"
    CANCELLED = "cancelled"
    # A first start waits for its owner to choose which model to download (ask_model_choice).
    CHOOSING = "choosing"


@dataclass(frozen=True)
class Changes:
    """What changed in the library since the last report, with fresh counts."""

    status: LibraryStatus
    photos: bool = False  # photos were found, moved or removed: lists must be read again
    folders: bool = False  # folders were added, removed, or went offline or online
    searchable: int = 0  # photos that became searchable
    removed: bool = False  # photos left the library (a folder was forgotten): lists drop them
    failures: bool = False  # the list of files that could not be read changed


@dataclass
class SessionCallbacks:
    """Each is optional and called from a session thread; none may block for long."""

    opened: Callable[[LibraryStatus], None] | None = None
    open_failed: Callable[[str], None] | None = None  # why the library could not be opened
    changed: Callable[[Changes], None] | None = None
    model: Callable[[ModelState, str], None] | None = None
    download: Callable[[int, int], None] | None = None  # bytes done, bytes total
    progress: Callable[[IndexProgress], None] | None = None
    indexing: Callable[[IndexingState, str | None], None] | None = None  # with its error
    notice: Callable[[str], None] | None = None  # something the user should read
