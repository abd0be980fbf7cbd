"""Pending scan requests, merged so that an event storm becomes a few batched reconciles.

Each library folder is either due for a whole scan or for a set of relative subpaths. A subpath
subsumes its descendants, and a set that grows too large collapses to parent folders: copying
10,000 photos into one folder ends as one walk of that folder, not 10,000 single-file checks.
Requests are taken once they have been quiet for ``debounce_s`` (the storm has paused), or once
the oldest has waited ``max_delay_s`` (a storm that never pauses still gets served).
"""

from __future__ import annotations

import posixpath
import time
from collections.abc import Iterable, Mapping

MAX_SUBPATHS = 256  # past this, reconcile's prefix filter costs more than a walk of the parents
WHOLE = None  # a folder's entry when all of it must be scanned


def minimal_cover(paths: Iterable[str]) -> list[str]:
    """The given relative paths without those already covered by an ancestor in the set."""
    chosen = {p.strip("/") for p in paths}
    if "" in chosen:
        return [""]
    return sorted(p for p in chosen if not any(a in chosen for a in _ancestors(p)))


def _ancestors(path: str) -> Iterable[str]:
    parent = posixpath.dirname(path)
    while parent:
        yield parent
        parent = posixpath.dirname(parent)


def collapse(paths: list[str], limit: int = MAX_SUBPATHS) -> list[str]:
    """Replace paths by their parents until at most ``limit`` remain ([""] means everything)."""
    while len(paths) > limit:
        paths = minimal_cover(posixpath.dirname(p) for p in paths)
    return paths


class ScanQueue:
    """Thread-compatible (the caller holds a lock): per-folder pending work plus timing."""

    def __init__(self, debounce_s: float = 0.5, max_delay_s: float = 2.0) -> None:
        self.debounce_s = debounce_s
        self.max_delay_s = max_delay_s
        self._everything = False
        self._folders: dict[int, set[str] | None] = {}
        self._first = 0.0
        self._last = 0.0

    def __bool__(self) -> bool:
        return self._everything or bool(self._folders)

    def add(self, requests: Mapping[int | None, Iterable[str] | None]) -> None:
        """Merge ``{folder id or None (all folders): subpaths or None (whole folder)}``."""
        now = time.monotonic()
        if not self:
            self._first = now
        self._last = now
        for folder_id, subpaths in requests.items():
            if folder_id is None:
                self._everything = True
                continue
            wanted = None if subpaths is None else {p.strip("/") for p in subpaths}
            if wanted is not None and "" in wanted:
                wanted = None
            have = self._folders.get(folder_id, set())
            if have is None or wanted is None:
                self._folders[folder_id] = None
            else:
                have.update(wanted)
                self._folders[folder_id] = have

    def due_in(self) -> float:
        """Seconds until the pending requests should be served (0 when due now)."""
        now = time.monotonic()
        return max(0.0, min(self._last + self.debounce_s, self._first + self.max_delay_s) - now)

    def take(self) -> tuple[bool, dict[int, list[str] | None]]:
        """(scan every folder?, {folder id: merged subpaths or None}) and clear the queue."""
        everything, folders = self._everything, self._folders
        self._everything, self._folders = False, {}
        merged: dict[int, list[str] | None] = {}
        for folder_id, subpaths in folders.items():
            cover = None if subpaths is None else collapse(minimal_cover(subpaths))
            merged[folder_id] = None if cover == [""] else cover
        return everything, merged
