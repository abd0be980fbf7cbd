"""Plain records passed between core and its callers (the CLI, the GUI)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Folder:
    id: int
    path: Path
    online: bool
    watch_mode: str
    photos: int = 0
    indexed: int = 0
    failed: int = 0


@dataclass(frozen=True)
class Photo:
    id: int
    path: Path
    size: int
    width: int | None = None
    height: int | None = None
    taken_at: str | None = None
    camera_make: str | None = None
    camera_model: str | None = None
    gps_lat: float | None = None
    gps_lon: float | None = None
    state: str = "pending"
    fail_reason: str | None = None


@dataclass(frozen=True)
class Failure:
    path: Path
    reason: str


@dataclass(frozen=True)
class LibraryStatus:
    photos: int
    indexed: int
    failed: int
    pending: int
    model: str
    folders: list[Folder] = field(default_factory=list)


@dataclass(frozen=True)
class IndexProgress:
    """A snapshot of an indexing run, given to progress callbacks."""

    phase: str  # "scanning" | "embedding" | "done"
    done: int
    total: int
    failed: int
    photos_per_second: float
    seconds_left: float | None


@dataclass(frozen=True)
class IndexSummary:
    scanned: int
    added: int
    changed: int
    moved: int
    removed: int
    embedded: int
    failed: int
    seconds: float  # the whole run: scanning, loading the model, embedding
    cancelled: bool = False
    embed_seconds: float = 0.0  # embedding alone: the span the progress rate is measured over

    def line(self) -> str:
        # The rate is over embedding time only, as progress reports it: over the whole run a
        # model that takes seconds to load would make a fast run look slow.
        rate = self.embedded / self.embed_seconds if self.embed_seconds > 0 else 0.0
        state = "cancelled" if self.cancelled else "done"
        return (
            f"{state}: {self.scanned} files seen, {self.added} new, {self.changed} changed, "
            f"{self.moved} moved, {self.removed} removed; {self.embedded} embedded "
            f"({rate:.1f} photos/s), {self.failed} failed, in {self.seconds:.1f} s"
        )


@dataclass(frozen=True)
class SearchHit:
    photo: Photo
    score: float


@dataclass(frozen=True)
class SearchResults:
    """One answer to a query; ``exact`` is False for the fast first answer."""

    hits: list[SearchHit]
    exact: bool
    seconds: float
    total_photos: int
