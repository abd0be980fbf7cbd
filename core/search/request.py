"""A search as callers ask for it: what to look for, what to keep, in which order."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from core.search.filters import Filters
from core.search.query import Query


class Sort(enum.Enum):
    RELEVANCE = "relevance"  # best match first (browsing without a query: newest first)
    NEWEST = "newest"
    OLDEST = "oldest"


@dataclass(frozen=True)
class SearchRequest:
    """``query`` None (or empty) browses: every photo that passes ``filters``, by date.

    ``weaker`` adds the photos below the relevance cut-off after the real matches, ranked.
    ``names`` are the words as typed, matched against file and folder names ("IMG_1099",
    "Holidays 2021"); None takes the query's own words.
    """

    query: Query | None = None
    filters: Filters = field(default_factory=Filters)
    sort: Sort = Sort.RELEVANCE
    weaker: bool = False
    limit: int = 50
    names: str | None = None

    @property
    def browsing(self) -> bool:
        return self.query is None or self.query.is_empty


@dataclass(frozen=True)
class Asked:
    """What a person asked for, as typed and chosen, before it is understood: the words (which
    may hold dates, places and cameras: see ``core.search.understanding``), example photos and
    terms to avoid (each may carry a weight, "2:/path/photo.jpg"), and the filters, order and
    depth chosen beside them. ``core.library.asking`` turns it into a ``SearchRequest``."""

    text: str = ""
    images: tuple[str, ...] = ()
    negatives: tuple[str, ...] = ()
    filters: Filters = field(default_factory=Filters)
    sort: Sort = Sort.RELEVANCE
    weaker: bool = False

    @property
    def has_query(self) -> bool:
        """Words or photos to rank by; without them the answer is the timeline (filtered, and
        without the photos that match the terms to avoid, if any)."""
        return bool(self.text.strip() or self.images or self.negatives)
