"""From what a person typed and chose (``Asked``) to the answers: understanding, then search.

The words typed are understood first ("beach 2023": the word "beach" for the model, the year
2023 as a filter); what was understood travels back with every answer, so an app can show it
and undo it. Terms to avoid alone ("not dog") browse the timeline without the photos that
match them.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from core.catalog import lookups
from core.records import SearchResults
from core.search.query import Query, build_query, parse_term
from core.search.request import Asked, SearchRequest

if TYPE_CHECKING:
    from core.library.library import Library


def ask(
    library: Library, asked: Asked, limit: int, cancel: threading.Event | None = None
) -> Iterator[SearchResults]:
    text, filters = asked.text, asked.filters
    chips: tuple[Any, ...] = ()
    if text.strip():
        understood = library.understand(text)
        text, chips = understood.text, understood.chips
        filters = asked.filters.merged(understood.filters)
    query = build_query(text, asked.images, asked.negatives)
    if query.is_empty and asked.negatives:
        avoided = Query(tuple(parse_term(term) for term in asked.negatives))  # as a query
        request = SearchRequest(None, filters, asked.sort, limit=limit)
        results = _browse_without(library, request, avoided, cancel)
    else:
        request = SearchRequest(
            None if query.is_empty else query, filters, asked.sort, asked.weaker, limit,
            names=asked.text,
        )
        results = library.find(request, cancel)
    for answer in results:
        yield replace(answer, understood=chips)


def _browse_without(
    library: Library, request: SearchRequest, avoided: Query, cancel: threading.Event | None
) -> Iterator[SearchResults]:
    """The timeline (``request`` has no query) without the photos that match ``avoided``."""
    _, model_id, index, searcher = library._ready()
    labels = searcher.matching_labels(avoided).tolist() if len(index) else []
    if cancel is not None and cancel.is_set():
        return
    with library.catalog.read() as conn:
        photos = lookups.photos_for_embeddings(conn, labels)
    yield library._finder.browse(request, model_id, without={p.id for p in photos.values()})
