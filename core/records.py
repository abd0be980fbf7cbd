"""Plain records passed between core and its callers (the CLI, the GUI)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Folder:
    id: int
    path: Path
    online: bool
    watch_mode: str
    photos: int = 0
    indexed: int = 0
    failed: int = 0
    # Folders inside it that a drive or share is mounted on, now unmounted: their photos are
    # kept (offline) until it is back. Relative paths.
    unmounted: tuple[str, ...] = ()
    last_scan: float | None = None  # time.time() when a whole scan of it last finished


def camera_name(make: str | None, model: str | None) -> str:
    """"Apple iPhone 12", "Canon EOS R5": the make is not said twice when the model already
    names it ("Canon" + "Canon EOS R5"; "NIKON CORPORATION" + "NIKON D750"). "" for none."""
    make, model = (make or "").strip(), (model or "").strip()
    brand = make.split(" ")[0].casefold()
    if make and model.casefold().startswith(brand):
        return model
    return f"{make} {model}".strip()


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
    place: str | None = None  # "Paris, Île-de-France, France": named from its GPS position
    file_time: str | None = None  # its file's modification time, local, "YYYY-MM-DD HH:MM:SS"

    @property
    def date(self) -> str | None:
        """When it was taken, or (no date in the file) when its file was last changed."""
        return self.taken_at or self.file_time

    @property
    def dated_by_file(self) -> bool:
        return self.taken_at is None and self.file_time is not None

    @property
    def camera(self) -> str | None:
        return camera_name(self.camera_make, self.camera_model) or None


@dataclass(frozen=True)
class Failure:
    """A file that was not read: ``failed`` (a photo that could not be decoded) or ``unread``
    (a file PhotoSeek does not read, such as a RAW or a video, or a folder it could not list)."""

    path: Path
    reason: str
    kind: str = "failed"


@dataclass(frozen=True)
class LibraryStatus:
    photos: int
    indexed: int
    failed: int
    pending: int
    model: str
    folders: list[Folder] = field(default_factory=list)
    unread: int = 0  # files in the folders that are not read (RAW, video, ...), see Failure
    # Files kept with a photo of the same shot, by kind: "raw" (RAW+JPEG), "live" (Live Photo).
    companions: dict[str, int] = field(default_factory=dict)


# The phases of work on embedded photos (core.library.background), as a person reads them.
PHASE_WORDS = {
    "model": "Preparing the model for this computer",
    "places": "Naming places",
    "tags": "Tagging photos",
    "text": "Reading text in photos",
}


@dataclass(frozen=True)
class IndexProgress:
    """A snapshot of an indexing run, given to progress callbacks."""

    phase: str  # "scanning" | "embedding" | "done", or a PHASE_WORDS key
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
    unread: int = 0  # files not read (RAW, video, too long a path), listed by `failures`
    busy: int = 0  # photos that kept changing while being read: left for the next run
    by_other: bool = False  # another PhotoSeek process did the work while this one waited
    companions: int = 0  # RAW files and Live Photo videos kept with their photos, not indexed

    def line(self) -> str:
        # The rate is over embedding time only, as progress reports it: over the whole run a
        # model that takes seconds to load would make a fast run look slow.
        rate = self.embedded / self.embed_seconds if self.embed_seconds > 0 else 0.0
        state = "cancelled" if self.cancelled else "done"
        if self.by_other:
            return (
                f"{state}: the PhotoSeek process already indexing this library took in the "
                f"new photos ({self.scanned} photos, {self.failed} failed)"
            )
        line = (
            f"{state}: {self.scanned} photos seen, {self.added} new, {self.changed} changed, "
            f"{self.moved} moved, {self.removed} removed; {self.embedded} embedded "
            f"({rate:.1f} photos/s), {self.failed} failed, in {self.seconds:.1f} s"
        )
        if self.companions:
            line += (f"; {self.companions} files kept with their photos "
                     "(the RAW of a RAW+JPEG pair, a Live Photo's video)")
        if self.unread:
            line += f"; {self.unread} files not read (see photoseek failures)"
        if self.busy:
            line += f"; {self.busy} photos were changing while being read (run index again)"
        return line


def duration_text(seconds: float) -> str:
    """A time span in words, for time left: 45 s, 3 min 05 s, 2 h 10 min."""
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def moment_text(seconds: float) -> str:
    """A moment in a video as a player shows it: 0:07, 12:30, 1:02:03."""
    whole = max(0, int(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@dataclass(frozen=True)
class SearchHit:
    photo: Photo
    score: float
    name_match: bool = False  # its file or folder name contains the words typed
    # 0..1 for a bar on its tile: 0.5 at the cut-off between real matches and the rest (see
    # core.search.relevance); None where the answer is not ranked.
    relevance: float | None = None
    match: bool = True  # a real match: it stands out from the rest of the library
    text_match: bool = False  # the text read in it (core.ocr) contains the words typed
    # A video: the moment (seconds from its start) of the frame that matched best; None for a
    # photo, and for a video not ranked by its frames (browsing, a match by name alone).
    moment: float | None = None


@dataclass(frozen=True)
class SearchResults:
    """One answer to a query; ``exact`` is False for the fast first answer.

    ``ranked`` is False for answers found by file name and date alone (the model is not ready)
    and for browsing: their scores mean nothing then.

    ``matches`` counts the photos that really match (names included), among the ``candidates``
    that pass the filters; ``hits`` holds at most the number asked for. ``weaker`` hits (below
    the cut-off, ``match`` False) follow the matches only when asked for, or when nothing
    matches: then the nearest photos are offered instead of nothing. In the fast first answer
    both counts are estimates (None where unknown).
    """

    hits: list[SearchHit]
    exact: bool
    seconds: float
    total_photos: int
    ranked: bool = True
    matches: int | None = None
    candidates: int | None = None
    dated_by_file: int = 0  # of the candidates, how many are dated by their file's time
    browsed: bool = False  # the timeline: photos that pass the filters, by date, not ranked
    # What was understood in the words typed (core.search.understanding.Chip: a date, a place,
    # a camera, a file type), for an app to show and undo.
    understood: tuple[Any, ...] = ()


@dataclass(frozen=True)
class FilterChoices:
    """What a library's photos offer to filter by, for menus: each place as (what to show,
    the value of ``Filters.place``): countries first, then their cities."""

    cameras: list[str] = field(default_factory=list)
    places: list[tuple[str, str]] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)


# -- duplicates (core.duplicates) -----------------------------------------------------------


@dataclass(frozen=True)
class DuplicateMember:
    """One photo of a group of duplicates, compared with the group's suggested keeper."""

    photo: Photo  # path, size, width, height, dates
    keep: bool  # the suggested keeper: one per group (see core.duplicates.keeping)
    identical: bool  # the very same bytes as the keeper (True for the keeper itself)
    distance: int | None  # perceptual-hash bits (of 64) differing from the keeper's; None unknown

    @property
    def folder(self) -> Path:
        return self.photo.path.parent


@dataclass(frozen=True)
class DuplicateGroup:
    """Photos that show the same picture. ``kind``: "exact" (the same bytes), "copy" (the same
    picture re-encoded, resized or lightly edited) or "burst" (near-identical shots); a group
    joined by links of several kinds takes the loosest. Members: the keeper first."""

    kind: str
    members: tuple[DuplicateMember, ...]

    @property
    def keeper(self) -> DuplicateMember:
        return self.members[0]

    @property
    def others(self) -> tuple[DuplicateMember, ...]:
        """The members suggested for the trash."""
        return self.members[1:]

    @property
    def reclaimable(self) -> int:
        """Bytes freed by moving the others to the trash."""
        return sum(member.photo.size for member in self.others)


@dataclass(frozen=True)
class TrashFailure:
    photo_id: int
    path: Path | None  # None for an id the library does not know
    reason: str


@dataclass(frozen=True)
class TrashReport:
    """What ``Library.trash`` did: the photos moved to the system trash (and forgotten by the
    library), and those left where they are, each with its reason."""

    trashed: tuple[Photo, ...]
    failed: tuple[TrashFailure, ...]

    @property
    def freed(self) -> int:
        return sum(photo.size for photo in self.trashed)


# -- tags (core.tagging) ------------------------------------------------------------------


@dataclass(frozen=True)
class TagCount:
    """A tag and how many photos carry it (core.tagging): a built-in category ("beach", its
    Chinese name "海滩") or a person's own phrase (``custom``, ``phrase`` as typed)."""

    name: str
    zh: str | None
    count: int
    custom: bool = False
    phrase: str | None = None


@dataclass(frozen=True)
class Description:
    """What a photo shows: its tags and the short descriptions the model finds closest, each
    with its score (a cosine, as a search's), best first. ``photo_id`` is None for a photo
    outside the library (it was embedded from its file)."""

    path: Path | None
    photo_id: int | None
    tags: list[tuple[str, float]] = field(default_factory=list)
    descriptions: list[tuple[str, float]] = field(default_factory=list)
