"""Answers for a window before and during indexing: ranked by the model once it is ready, by
file name, folder name and date until then (or while nothing is indexed yet)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from core.records import SearchHit, SearchResults

if TYPE_CHECKING:
    from core.library import Library


def answers(
    library: Library,
    ranked: bool,
    text: str,
    images: Sequence[str],
    negatives: Sequence[str],
    k: int,
    cancel: threading.Event | None,
) -> Iterator[SearchResults]:
    """A fast answer, then the exact one, when ``ranked`` (the model is ready); else one
    answer by names and dates (scores mean nothing: ``ranked`` is False on it)."""
    from core.library import NothingIndexedError
    from core.search.query import build_query

    if ranked and library.model_loaded:
        query = build_query(text, images, negatives)  # stats files: never on a GUI thread
        try:
            yield from library.search(query, k, cancel)
            return
        except NothingIndexedError:
            pass  # the first photos are being indexed: names and dates answer meanwhile
    if text.strip() and not images:
        yield by_name(library, text, k)
    else:
        yield SearchResults([], True, 0.0, 0, ranked=False)


def by_name(library: Library, text: str, limit: int) -> SearchResults:
    """Photos whose file or folder name or date contains ``text`` (all, when it is empty),
    newest first."""
    started = time.perf_counter()
    photos = library.search_by_name(text.strip(), limit)
    hits = [SearchHit(p, 0.0, name_match=bool(text.strip())) for p in photos]
    return SearchResults(hits, True, time.perf_counter() - started, len(hits), ranked=False)
