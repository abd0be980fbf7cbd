"""What a search keeps: dates, folders, cameras, places, file types and tags.

A ``Filters`` is a plain value. The CLI builds one from its options, the app from its filter bar
and chips, and ``core.search.understanding`` from the words typed ("beach 2023"). Filters given
together all apply (``merged`` intersects them); an empty ``Filters`` keeps every photo.

Dates compare as the photo's local wall-clock time: the date taken from its EXIF, or, where it
has none, its file's modification time (each hit says which: see ``PhotoFacts.dated_by_file``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

# (month, day): a day of any year. A yearly span may wrap the year end (winter: Dec 1 to Feb 28).
MonthDay = tuple[int, int]


@dataclass(frozen=True)
class YearlySpan:
    """The same days in every year: a month, a season, a holiday. Both ends inclusive."""

    first: MonthDay
    last: MonthDay

    def contains(self, month: int, day: int) -> bool:
        if self.first <= self.last:
            return self.first <= (month, day) <= self.last
        return (month, day) >= self.first or (month, day) <= self.last  # wraps the year end


@dataclass(frozen=True)
class Filters:
    taken_from: datetime | None = None  # inclusive
    taken_until: datetime | None = None  # exclusive
    yearly: YearlySpan | None = None
    folders: tuple[Path, ...] = ()  # any of these folders, with everything inside them
    camera: str | None = None  # part of the camera's make or model, case-insensitive
    place: str | None = None  # a city, region or country name, or a country's ISO code
    types: tuple[str, ...] = ()  # any of these file extensions, lower-case, without the dot
    has_place: bool | None = None  # True: with a GPS position; False: without one
    tags: tuple[str, ...] = ()  # tag names (core.tagging): photos carrying all of them

    @property
    def is_empty(self) -> bool:
        return self == Filters()

    @property
    def has_dates(self) -> bool:
        return self.taken_from is not None or self.taken_until is not None or bool(self.yearly)

    def merged(self, other: Filters) -> Filters:
        """Both filters at once: dates intersect, other fields take ``other``'s where set."""
        starts = [d for d in (self.taken_from, other.taken_from) if d is not None]
        ends = [d for d in (self.taken_until, other.taken_until) if d is not None]
        return replace(
            self,
            taken_from=max(starts) if starts else None,
            taken_until=min(ends) if ends else None,
            yearly=other.yearly or self.yearly,
            folders=other.folders or self.folders,
            camera=other.camera or self.camera,
            place=other.place or self.place,
            types=other.types or self.types,
            has_place=other.has_place if other.has_place is not None else self.has_place,
            tags=tuple(dict.fromkeys((*self.tags, *other.tags))),  # both sets apply
        )
