"""What changed in a library between two reports, gathered from several threads and reported
with fresh counts at most once a tick (see ``Changes``)."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from core.lifecycle.states import Changes
from core.records import LibraryStatus


@dataclass
class _Pending:
    photos: bool = False
    folders: bool = False
    searchable: int = 0
    removed: bool = False
    dirty: bool = False


class ChangeTracker:
    """``mark`` from any thread; ``report`` from one (the session's control thread)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending = _Pending()
        self._last: LibraryStatus | None = None

    def mark(
        self,
        *,
        photos: bool = False,
        folders: bool = False,
        searchable: int = 0,
        removed: bool = False,
    ) -> None:
        with self._lock:
            self._pending.photos |= photos
            self._pending.folders |= folders
            self._pending.removed |= removed
            self._pending.searchable += searchable
            self._pending.dirty = True

    def reset(self, status: LibraryStatus) -> None:
        """A library was (re)opened with these counts: later reports compare with them."""
        self._last = status

    @property
    def due(self) -> bool:
        return self._pending.dirty

    def report(self, status: LibraryStatus) -> Changes | None:
        """The changes since the last report, with ``status``; None when nothing changed."""
        with self._lock:
            pending, self._pending = self._pending, _Pending()
        last, self._last = self._last, status
        if last is not None and status == last and not pending.dirty:
            return None
        failures = last is None or (status.failed, status.unread) != (last.failed, last.unread)
        return Changes(
            status,
            photos=pending.photos or last is None or status.photos != last.photos,
            folders=pending.folders or last is None or _shape(status) != _shape(last),
            searchable=pending.searchable,
            failures=failures,
            removed=pending.removed,
        )


def _shape(status: LibraryStatus) -> list[tuple[object, ...]]:
    """What a folder list shows apart from its counts."""
    return [(f.path, f.online, f.watch_mode, f.unmounted) for f in status.folders]
