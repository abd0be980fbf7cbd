"""Searches that narrow: filters, date order and browsing, over the photos' metadata in memory.

The searcher ranks vectors; this module decides which vectors it may rank (``Scope``) and in
which order, from a ``SearchRequest``, and answers requests with no query (browsing: the
timeline) without the model at all.
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import sqlalchemy as sa

from core.catalog import lookups
from core.catalog.database import Catalog
from core.catalog.places import known_places, place_ids_matching
from core.catalog.text import photos_with_text
from core.records import FilterChoices, LibraryStatus, Photo, SearchHit, SearchResults
from core.search.facets import Facets, Selection
from core.search.filters import Filters
from core.search.request import SearchRequest, Sort
from core.search.searcher import Scope

if TYPE_CHECKING:
    from core.search.understanding import Vocabulary

NAME_MATCH_MIN_CHARS = 3  # "a" names half the files on a disk; "IMG" is already meant
NAME_MATCH_MAX = 1000  # more photos than this share the words: they name none in particular
TEXT_MATCH_MIN_CHARS = 2  # "TV", "北京"; one character is in too many photos' text
# Words read in more photos than this are too common to lift any (and reading that many photos'
# rows would cost every keystroke 30 ms at 100k); a query in quotes keeps up to EXACT_TEXT_MAX.
TEXT_MATCH_MAX = 200
EXACT_TEXT_MAX = 1000
NO_MODEL = -1  # facets read before the model is known: no photo has a vector of it


class Finder:
    """Thread-safe: searches from several threads share one facets table, refreshed on use."""

    def __init__(self, catalog: Catalog) -> None:
        self._catalog = catalog
        self._lock = threading.Lock()
        self._facets: Facets | None = None
        self._vocabulary: tuple[object, Vocabulary] | None = None

    def facets(self, model_id: int | None) -> Facets:
        """The metadata table for this model's labels, brought up to date (milliseconds;
        the first call reads every photo: about 0.3 s for 100,000)."""
        model_id = NO_MODEL if model_id is None else model_id
        with self._lock:
            if self._facets is None or self._facets.model_id != model_id:
                self._facets = Facets(model_id)
            facets = self._facets
        with self._catalog.read() as conn:
            facets.refresh(conn)
        return facets

    def select(
        self, facets: Facets, filters: Filters, newest_first: bool | None = True
    ) -> Selection:
        with self._catalog.read() as conn:
            roots = {
                int(folder_id): Path(path)  # not list_folders: its counts cost 20 ms at 20k
                for folder_id, path in conn.exec_driver_sql("SELECT id, path FROM folders")
            }
            places = place_ids_matching(conn, filters.place) if filters.place else None
            tagged = _tagged(conn, filters.tags) if filters.tags else None
        folders = tuple(Path(f).expanduser().absolute() for f in filters.folders)
        return facets.select(
            replace(filters, folders=folders), roots, places, newest_first, tagged
        )

    def scope(self, request: SearchRequest, model_id: int) -> tuple[Scope, Selection | None]:
        """What the searcher may answer with; the selection behind it when filters apply."""
        if request.filters.is_empty and request.sort is Sort.RELEVANCE:
            return Scope(weaker=request.weaker), None
        facets = self.facets(model_id)
        selection = None
        allowed = None
        if not request.filters.is_empty:
            selection = self.select(facets, request.filters, newest_first=None)
            allowed = selection.labels[selection.labels >= 0]
        order = None
        newest = None if request.sort is Sort.RELEVANCE else request.sort is Sort.NEWEST
        if newest is not None:
            by_newest = newest

            def order(labels: np.ndarray) -> np.ndarray:
                return facets.date_order(labels, by_newest)

        scope = Scope(allowed=allowed, order=order, weaker=request.weaker, newest_first=newest)
        return scope, selection

    def vocabulary(self, model_id: int | None) -> Vocabulary:
        """The places and cameras of this library, for understanding what is typed; built
        again only when the photos' metadata changed."""
        from core.search.understanding import build_vocabulary

        facets = self.facets(model_id)
        key = facets.version  # a place named or a camera read moves it (see facets)
        with self._lock:
            if self._vocabulary is not None and self._vocabulary[0] == key:
                return self._vocabulary[1]
        with self._catalog.read() as conn:  # not on every keystroke: it reads every photo
            places = known_places(conn)
        vocabulary = build_vocabulary([p[:3] for p in places], facets.camera_pairs())
        with self._lock:
            self._vocabulary = (key, vocabulary)
        return vocabulary

    def choices(self, model_id: int | None) -> FilterChoices:
        facets = self.facets(model_id)
        with self._catalog.read() as conn:
            places = known_places(conn)
        countries = sorted({country for _city, _region, country, _code in places if country})
        cities = sorted({(city, country) for city, _region, country, _code in places if city})
        return FilterChoices(
            cameras=facets.cameras(),
            places=[(c, c) for c in countries] + [(f"{c}, {k}", c) for c, k in cities],
            types=facets.types(),
            years=facets.years(),
        )

    def named(self, words: str, model_id: int) -> list[tuple[Photo, int | None]]:
        """Photos named by the words typed, each with its vector's label (None: not yet).
        Words in more than ``NAME_MATCH_MAX`` names ("IMG", "2023") name no photo in
        particular: then none come first."""
        if len(words.strip()) < NAME_MATCH_MIN_CHARS:
            return []
        with self._catalog.read() as conn:
            photos = lookups.photos_named(conn, words, NAME_MATCH_MAX + 1)
            if len(photos) > NAME_MATCH_MAX:
                return []
            labels = lookups.embeddings_of_photos(conn, [p.id for p in photos], model_id)
        return [(p, labels.get(p.id)) for p in photos]  # the searcher keeps the best k

    def with_text(
        self, words: list[str], model_id: int, exact: bool = False
    ) -> list[tuple[Photo, int | None]]:
        """Photos whose text (read by core.ocr) contains every one of ``words``, each with its
        vector's label (None: not yet), newest first. Words in the text of more than
        ``TEXT_MATCH_MAX`` photos lift none, as for names; an ``exact`` text keeps the newest
        ``EXACT_TEXT_MAX``."""
        if len("".join(words)) < TEXT_MATCH_MIN_CHARS:
            return []
        most = EXACT_TEXT_MAX if exact else TEXT_MATCH_MAX
        with self._catalog.read() as conn:
            ids = photos_with_text(conn, words, most + 1)
            if len(ids) > most and not exact:
                return []
            ids = ids[:most]
            photos = lookups.photos_by_id(conn, ids)
            labels = lookups.embeddings_of_photos(conn, ids, model_id)
        return [(photos[i], labels.get(i)) for i in ids if i in photos]

    def browse(
        self, request: SearchRequest, model_id: int | None, without: set[int] | None = None
    ) -> SearchResults:
        """Every photo that passes the filters, newest (or oldest) first: the timeline;
        ``without`` leaves out these photo ids."""
        started = time.perf_counter()
        facets = self.facets(model_id)
        selection = self.select(facets, request.filters, request.sort is not Sort.OLDEST)
        if without:
            kept = ~np.isin(selection.photo_ids, list(without))
            selection = Selection(selection.photo_ids[kept], selection.labels[kept],
                                  selection.dated_by_file)
        wanted = selection.photo_ids[: request.limit].tolist()
        with self._catalog.read() as conn:
            photos = lookups.photos_by_id(conn, wanted)
            total = _photo_count(conn)
        hits = [SearchHit(photos[i], 0.0) for i in wanted if i in photos]
        return SearchResults(
            hits, True, time.perf_counter() - started, total, ranked=False, browsed=True,
            matches=len(selection.photo_ids), candidates=len(selection.photo_ids),
            dated_by_file=selection.dated_by_file,
        )


def _tagged(conn: sa.Connection, names: tuple[str, ...]) -> np.ndarray:
    """Ids of the photos carrying every tag named (a name in any case, or a built-in tag's
    Chinese name)."""
    from core.catalog.tags import photos_with_tags
    from core.tagging.vocabulary import resolve

    return photos_with_tags(conn, [resolve(name) for name in names])


def _photo_count(conn: sa.Connection) -> int:
    return int(conn.exec_driver_sql("SELECT count(*) FROM photos").scalar_one())


def nothing_indexed(catalog: Catalog, status: LibraryStatus, model: str, identity: str) -> str:
    """Why a search cannot be answered yet, and what to do about it."""
    if status.photos == 0:
        return "The library has no photos yet: add a folder first (photoseek index FOLDER)."
    with catalog.read() as conn:
        others = {
            name: count for name, count in lookups.vectors_by_model(conn).items()
            if name != identity
        }
    if others:
        best = max(others, key=lambda name: others[name])
        return (
            f"No photo is indexed with {model} yet; {others[best]:,} are indexed with {best}. "
            f"Index them with this model (photoseek index), or search with the other "
            f"(--model {best})."
        )
    return (
        f"No photo is indexed yet ({status.pending:,} waiting): index them first "
        "(photoseek index)."
    )
