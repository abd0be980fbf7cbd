"""The engine's queries: ranked search, or file name and date before the model is ready.

A mixin of ``Engine``; every query runs on the "query" pool, never on the GUI thread.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.library import Library
    from core.records import SearchResults
    from desktop_app.engine import Engine
    from desktop_app.tasks import Task


class Searching:
    """Methods of ``Engine`` that run queries."""

    def search(
        self: Engine,
        text: str,
        images: Sequence[str],
        negatives: Sequence[str],
        on_item: Callable[[SearchResults], None],
        on_error: Callable[[BaseException], None],
        k: int = 1000,
        key: str = "search",
    ) -> Task[SearchResults] | None:
        """Fast answer then exact one, to ``on_item``; a newer search with the key drops this.

        Before the model is ready, words are matched against file names and dates instead.
        """
        library, ready = self.library, self.model_ready
        if library is None:
            return None
        images, negatives = list(images), list(negatives)

        def run(cancel: threading.Event) -> Iterator[SearchResults]:
            from core.search.query import build_query

            if ready:
                query = build_query(text, images, negatives)  # stats files: not on the GUI
                yield from library.search(query, k, cancel)
            elif text.strip() and not images:
                yield _by_name(library, text, k)
            else:
                yield _empty_results()

        return self.tasks.run("query", run, on_item=on_item, on_error=on_error, key=key)

    def browse(
        self: Engine,
        on_item: Callable[[SearchResults], None],
        limit: int = 50_000,
        key: str = "search",
    ) -> Task[SearchResults] | None:
        """Every photo, newest first: what the grid shows before anything is typed."""
        library = self.library
        if library is None:
            return None
        return self.tasks.run(
            "query", lambda _c: _by_name(library, "", limit), on_result=on_item,
            on_error=self._report, key=key,
        )


def _empty_results() -> SearchResults:
    from core.records import SearchResults

    return SearchResults([], True, 0.0, 0)


def _by_name(library: Library, text: str, limit: int) -> SearchResults:
    """File name and date search, for before the model is ready (score 0: no ranking)."""
    from core.records import SearchHit, SearchResults

    started = time.perf_counter()
    photos = library.search_by_name(text.strip(), limit)
    hits = [SearchHit(p, 0.0) for p in photos]
    return SearchResults(hits, True, time.perf_counter() - started, len(hits))
