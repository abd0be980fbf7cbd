"""The photos' metadata in memory, as columns: filters and the timeline in a millisecond.

Asking SQLite which of 100,000 photos were taken in 2023 in Paris costs 30 to 50 ms a query; a
numpy mask over columns held in memory costs well under one. ``Facets`` keeps one row per photo
(its id, its vector's label for the current model, folder, directory, effective date, camera,
place, file type, whether it has a GPS position) and stays fresh cheaply:

- photos added since the last look are read by id (ids only grow: ``id > newest seen``),
- so are photos that received a vector since (embedding ids only grow, AUTOINCREMENT): their
  date and camera were read with it,
- anything else that changes metadata a row holds (a move, a place named, a photo deleted or
  changed) moves the catalog's ``photos_generation`` counter (triggers, schema v6), and then the
  whole table is read again (about 0.3 s for 100,000 photos, off the GUI thread).

A photo's effective date is the date it was taken (EXIF), or, where it has none, its file's
modification time in local time; ``dated_by_file`` says which.
"""

from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import sqlalchemy as sa

from core.catalog.queries import rel_from_db
from core.catalog.schema import PHOTOS_GENERATION
from core.records import camera_name
from core.search.filters import Filters

_NO_DATE = np.datetime64("NaT", "s")

# The effective date in local time is computed by SQLite, row by row.
_COLUMNS = (
    "SELECT p.id, p.folder_id, p.rel_path, p.taken_at,"
    " datetime(p.mtime_ns / 1000000000, 'unixepoch', 'localtime'),"
    " p.camera_make, p.camera_model, p.place_id, p.gps_lat IS NOT NULL, e.id"
)
_ALL = _COLUMNS + (
    " FROM photos p LEFT JOIN embeddings e ON e.photo_id = p.id AND e.model_id = :model"
)
# Two range reads on primary keys (an OR of both would scan every photo).
_NEW_PHOTOS = _ALL + " WHERE p.id > :photo"
_NEW_VECTORS = _COLUMNS + (
    " FROM embeddings e JOIN photos p ON p.id = e.photo_id"
    " WHERE e.id > :label AND e.model_id = :model"
)


@dataclass(frozen=True)
class Selection:
    """Photos that pass a filter: their ids and labels (-1: no vector yet), newest first."""

    photo_ids: np.ndarray
    labels: np.ndarray
    dated_by_file: int  # how many of them are dated by their file's time (no date taken)


class _Codes:
    """Strings as small integers: a column holds codes, the table holds each string once."""

    def __init__(self) -> None:
        self.values: list[Any] = []
        self._code: dict[Any, int] = {}

    def code(self, value: Any) -> int:
        found = self._code.get(value)
        if found is None:
            found = self._code[value] = len(self.values)
            self.values.append(value)
        return found


class Facets:
    """Thread-safe: ``refresh`` and the queries take one lock (queries hold it for microseconds
    to milliseconds)."""

    def __init__(self, model_id: int) -> None:
        self.model_id = model_id
        self._lock = threading.Lock()
        self._generation: str | None = None
        self._newest_photo = 0
        self._newest_label = 0
        self._reset()

    def _reset(self) -> None:
        self._row_of: dict[int, int] = {}
        self._size = 0
        capacity = 1024
        self._photo = np.zeros(capacity, np.int64)
        self._label = np.full(capacity, -1, np.int64)
        self._folder = np.zeros(capacity, np.int32)
        self._dir = np.zeros(capacity, np.int32)
        self._date = np.full(capacity, _NO_DATE, "datetime64[s]")
        self._by_file = np.zeros(capacity, bool)
        self._camera = np.full(capacity, -1, np.int32)
        self._place = np.full(capacity, -1, np.int64)
        self._type = np.zeros(capacity, np.int32)
        self._gps = np.zeros(capacity, bool)
        self._dirs = _Codes()  # (folder id, directory inside it, posix, "" at its top)
        self._cameras = _Codes()
        self._types = _Codes()

    @property
    def version(self) -> tuple[object, ...]:
        """Changes whenever what the table holds may have changed (new photos, new vectors, a
        full read after the catalog's counter moved): a key for what is derived from it."""
        with self._lock:
            return (self.model_id, self._generation, self._newest_photo, self._newest_label)

    def __len__(self) -> int:
        return self._size

    # -- keeping up with the catalog ---------------------------------------------------------

    def refresh(self, conn: sa.Connection) -> None:
        """Take in what changed in the catalog since the last call (see the module's text)."""
        generation = conn.exec_driver_sql(
            "SELECT value FROM meta WHERE key = ?", (PHOTOS_GENERATION,)
        ).scalar()
        with self._lock:
            if generation != self._generation or self._generation is None:
                self._reset()
                self._newest_photo = self._newest_label = 0
                rows = list(conn.execute(sa.text(_ALL), {"model": self.model_id}))
                self._generation = generation
            else:
                wanted = {"model": self.model_id, "photo": self._newest_photo,
                          "label": self._newest_label}
                rows = list(conn.execute(sa.text(_NEW_PHOTOS), wanted))
                rows += conn.execute(sa.text(_NEW_VECTORS), wanted)
            if rows:
                self._take(rows)

    def _take(self, rows: list[Any]) -> None:
        photo, folder, rel, taken, file_time, make, model, place, gps, label = zip(
            *rows, strict=True
        )
        rows_at = np.fromiter((self._row_for(photo_id) for photo_id in photo), np.int64,
                              len(photo))
        self._photo[rows_at] = photo
        self._folder[rows_at] = folder
        self._label[rows_at] = [-1 if x is None else x for x in label]
        self._place[rows_at] = [-1 if x is None else x for x in place]
        self._gps[rows_at] = gps
        self._by_file[rows_at] = [t is None for t in taken]
        self._date[rows_at] = _dates(
            [t if t is not None else f for t, f in zip(taken, file_time, strict=True)]
        )
        dirs, cameras, types = self._dirs.code, self._cameras.code, self._types.code
        # String splits, not PurePosixPath: 100,000 paths objects cost a second.
        split = [rel_from_db(r).rpartition("/") for r in rel]
        self._dir[rows_at] = [dirs((f, inside)) for f, (inside, _s, _n) in zip(folder, split,
                                                                               strict=True)]
        self._type[rows_at] = [types(_extension(name)) for _inside, _s, name in split]
        self._camera[rows_at] = [
            -1 if mk is None and md is None else cameras((mk, md)) if camera_name(mk, md)
            else -1
            for mk, md in zip(make, model, strict=True)
        ]
        self._newest_photo = max(self._newest_photo, max(photo))
        labels = [x for x in label if x is not None]
        if labels:
            self._newest_label = max(self._newest_label, max(labels))

    def _row_for(self, photo_id: int) -> int:
        at = self._row_of.get(photo_id)
        if at is None:
            at = self._row_of[photo_id] = self._size
            self._size += 1
            if self._size > len(self._photo):
                self._grow()
        return at

    def _grow(self) -> None:
        size = 2 * len(self._photo)

        def grown(column: np.ndarray, fill: Any) -> np.ndarray:
            bigger = np.full(size, fill, column.dtype)
            bigger[: len(column)] = column
            return bigger

        self._photo = grown(self._photo, 0)
        self._label = grown(self._label, -1)
        self._folder = grown(self._folder, 0)
        self._dir = grown(self._dir, 0)
        self._date = grown(self._date, _NO_DATE)
        self._by_file = grown(self._by_file, False)
        self._camera = grown(self._camera, -1)
        self._place = grown(self._place, -1)
        self._type = grown(self._type, 0)
        self._gps = grown(self._gps, False)

    # -- what the filters keep ---------------------------------------------------------------

    def camera_pairs(self) -> list[tuple[str | None, str | None]]:
        """(make, model) of every camera in the library."""
        with self._lock:
            used = set(self._camera[: self._size].tolist()) - {-1}
            return sorted((self._cameras.values[c] for c in used), key=lambda p: camera_name(*p))

    def cameras(self) -> list[str]:
        """Every camera named in the library ("Apple iPhone 12"), sorted."""
        return sorted({camera_name(*pair) for pair in self.camera_pairs()}, key=str.casefold)

    def types(self) -> list[str]:
        with self._lock:
            used = set(self._type[: self._size].tolist())
            return sorted(t for c in used if (t := self._types.values[c]))

    def years(self) -> list[int]:
        """The years photos were taken in (or dated by their files), newest first."""
        with self._lock:
            dates = self._date[: self._size]
            dates = dates[~np.isnat(dates)]
            years = np.unique(dates.astype("datetime64[Y]").astype(int) + 1970)
            return sorted(years.tolist(), reverse=True)

    def select(
        self,
        filters: Filters,
        folder_roots: dict[int, Path],
        place_ids: set[int] | None = None,
        newest_first: bool | None = True,
        tagged: np.ndarray | None = None,
    ) -> Selection:
        """The photos that pass ``filters``, sorted by date (``newest_first`` None: unsorted).
        ``folder_roots`` maps library
        folder ids to their paths (for ``filters.folders``); ``place_ids`` are the places that
        ``filters.place`` names (None: no place filter); ``tagged`` the ids of the photos that
        carry ``filters.tags`` (None: no tag filter)."""
        with self._lock:
            size = self._size
            keep = np.ones(size, bool)
            dates = self._date[:size]
            if filters.taken_from is not None:
                keep &= dates >= np.datetime64(_naive(filters.taken_from), "s")
            if filters.taken_until is not None:
                keep &= dates < np.datetime64(_naive(filters.taken_until), "s")
            if filters.yearly is not None:
                keep &= self._in_yearly(dates, filters)
            if filters.folders:
                keep &= np.isin(self._dir[:size], self._dirs_under(filters.folders, folder_roots))
            if filters.camera:
                wanted = filters.camera.casefold()
                codes = [c for c, pair in enumerate(self._cameras.values)
                         if wanted in camera_name(*pair).casefold()
                         or any(wanted in (part or "").casefold() for part in pair)]
                keep &= np.isin(self._camera[:size], codes)
            if place_ids is not None:
                keep &= np.isin(self._place[:size], list(place_ids))
            if filters.types:
                wanted_types = {t.lower().lstrip(".") for t in filters.types}
                codes = [c for c, t in enumerate(self._types.values) if t in wanted_types]
                keep &= np.isin(self._type[:size], codes)
            if filters.has_place is not None:
                keep &= self._gps[:size] == filters.has_place
            if tagged is not None:
                keep &= np.isin(self._photo[:size], tagged)
            rows = np.flatnonzero(keep)
            if newest_first is not None:  # None: in no particular order (a search's scope)
                # Undated photos (rare: no EXIF date and no file time) sort last either way.
                order = np.argsort(dates[rows], kind="stable")
                if newest_first:
                    dated = ~np.isnat(dates[rows][order])
                    order = np.concatenate([order[dated][::-1], order[~dated]])
                rows = rows[order]
            return Selection(
                self._photo[rows].copy(), self._label[rows].copy(),
                int(self._by_file[rows].sum()),
            )

    def date_order(self, labels: np.ndarray, newest_first: bool) -> np.ndarray:
        """A sort key per label: ascending puts the newest (or oldest) first; labels without a
        date, or unknown here, go last."""
        last = np.iinfo(np.int64).max
        with self._lock:
            size = self._size
            if size == 0:
                return np.full(len(labels), last, np.int64)
            order = np.argsort(self._label[:size], kind="stable")
            sorted_labels = self._label[:size][order]
            position = np.clip(np.searchsorted(sorted_labels, labels), 0, size - 1)
            found = sorted_labels[position] == labels
            dates = self._date[order[position]]
        seconds = dates.astype(np.int64)
        key = np.where(found & ~np.isnat(dates), -seconds if newest_first else seconds, last)
        return np.asarray(key, np.int64)

    def _in_yearly(self, dates: np.ndarray, filters: Filters) -> np.ndarray:
        assert filters.yearly is not None
        months = dates.astype("datetime64[M]")
        month = (months - dates.astype("datetime64[Y]")).astype(int) + 1
        day = (dates.astype("datetime64[D]") - months).astype(int) + 1
        key = month * 100 + day
        first = filters.yearly.first[0] * 100 + filters.yearly.first[1]
        last = filters.yearly.last[0] * 100 + filters.yearly.last[1]
        inside = (key >= first) & (key <= last) if first <= last else (key >= first) | (
            key <= last
        )
        return inside & ~np.isnat(dates)

    def _dirs_under(self, wanted: tuple[Path, ...], roots: dict[int, Path]) -> list[int]:
        """Codes of the directories inside any of ``wanted`` (each a library folder, a folder
        inside one, or a folder holding library folders)."""
        codes = []
        for code, (folder_id, inside) in enumerate(self._dirs.values):
            root = roots.get(folder_id)
            if root is None:
                continue
            where = root / inside if inside else root
            if any(where == w or where.is_relative_to(w) for w in wanted):
                codes.append(code)
        return codes


def _extension(name: str) -> str:
    """"IMG_1.JPG" -> "jpg"; a name with no dot (or only a leading one) has none."""
    stem, dot, suffix = name.rpartition(".")
    return suffix.lower() if dot and stem else ""


def _dates(texts: list[str | None]) -> np.ndarray:
    """"YYYY-MM-DD HH:MM:SS" texts as datetimes; one that does not parse (a catalog written
    by hand, or by an old version) is no date, and never stops the others."""
    try:
        return np.array([t if t is not None else "NaT" for t in texts], "datetime64[s]")
    except ValueError:
        parsed = np.full(len(texts), _NO_DATE, "datetime64[s]")
        for n, text in enumerate(texts):
            with contextlib.suppress(ValueError):
                parsed[n] = np.datetime64(text, "s") if text is not None else _NO_DATE
        return parsed


def _naive(moment: datetime) -> datetime:
    """Dates are compared as wall-clock times: an aware datetime loses its zone."""
    return moment.replace(tzinfo=None)
