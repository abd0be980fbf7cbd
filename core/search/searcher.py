"""Answering a query: one vector, a fast answer from the graph, then the exact one.

The query's vector is the weighted sum of the positive terms' embeddings minus the negative ones',
normalised. ``Searcher.search`` yields twice: a fast answer from the hnswlib graph, then an exact
answer. Starting a newer search makes an older one stop at its next step.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from core.catalog import lookups
from core.catalog.database import Catalog
from core.errors import PhotoSeekError
from core.imaging.loading import load_photo
from core.records import Photo, SearchHit, SearchResults
from core.search.query import Query, QueryError, QueryTerm
from core.vectors import codec as vector_codec
from core.vectors.index import Neighbours, VectorIndex

if TYPE_CHECKING:
    from core.models.embedder import Embedder


class Searcher:
    """Answers queries for one model over the catalog and its vector index."""

    def __init__(
        self,
        catalog: Catalog,
        index: VectorIndex,
        model_id: int,
        embedder: Callable[[], Embedder],
    ) -> None:
        self._catalog = catalog
        self._index = index
        self._model_id = model_id
        self._embedder = embedder
        self._generation = 0
        self._generation_lock = threading.Lock()

    def _term_vector(self, term: QueryTerm) -> tuple[np.ndarray, int | None]:
        """The term's embedding, and the embedding id to exclude when it is a library photo."""
        if term.kind == "text":
            return self._embedder().embed_texts([term.value])[0], None
        path = Path(term.value)
        with self._catalog.read() as conn:
            found = lookups.photo_at(conn, path)
            stored = lookups.embedding_of_photo(conn, found[0], self._model_id) if found else None
        if stored is not None:
            label, blob = stored
            vector = self._index.vectors([label]).get(label)
            if vector is not None:
                return vector, label
            try:
                return vector_codec.decode(blob, self._index.dim), label
            except vector_codec.DamagedVectorError:
                pass  # its stored vector is damaged: embed the file itself below
        embedder = self._embedder()
        try:
            image, _meta = load_photo(path, embedder.image_size)
        except PhotoSeekError as exc:
            raise QueryError(f"{path.name}: {getattr(exc, 'reason', exc)}") from exc
        return embedder.embed_pil([image])[0], None

    def query_vector(self, query: Query) -> tuple[np.ndarray, set[int]]:
        if query.is_empty:
            raise QueryError("Type some words or drop a photo to search.")
        total: np.ndarray | None = None
        excluded: set[int] = set()
        for term in query.terms:
            vector, label = self._term_vector(term)
            vector = vector / (np.linalg.norm(vector) or 1.0)
            signed = (-term.weight if term.negative else term.weight) * vector
            total = signed if total is None else total + signed
            if label is not None and not term.negative:
                excluded.add(label)
        assert total is not None
        return (total / (np.linalg.norm(total) or 1.0)).astype(np.float32), excluded

    def search(
        self,
        query: Query,
        k: int = 50,
        cancel: threading.Event | None = None,
        named: Sequence[tuple[Photo, int | None]] = (),
    ) -> Iterator[SearchResults]:
        """Yield the fast answer, then the exact one; stop early if superseded or cancelled.

        ``named`` photos (their file or folder name matches the words typed, each with its
        vector's label if it has one) come first in both answers, best match first.
        """
        started = time.perf_counter()
        with self._generation_lock:
            self._generation += 1
            generation = self._generation

        def stale() -> bool:
            return generation != self._generation or (cancel is not None and cancel.is_set())

        vector, excluded = self.query_vector(query)
        total = len(self._index)
        if stale():
            return
        first = self._named_hits(named, vector, excluded)
        skip = excluded | {label for _photo, label in named if label is not None}
        wanted = k + len(skip)
        fast = self._index.ann(vector, wanted)
        if stale():
            return
        yield self._results(first, fast, skip, k, exact=False, started=started, total=total)
        if stale():
            return
        exact = self._index.exact(vector, wanted)
        if stale():
            return
        yield self._results(first, exact, skip, k, exact=True, started=started, total=total)

    def _named_hits(
        self,
        named: Sequence[tuple[Photo, int | None]],
        vector: np.ndarray,
        excluded: set[int],
    ) -> list[SearchHit]:
        stored = self._index.vectors([label for _p, label in named if label is not None])
        hits = []
        for photo, label in named:
            if label in excluded:
                continue  # the example photo itself
            own = stored.get(label) if label is not None else None
            score = float(own @ vector) if own is not None else 0.0
            hits.append(SearchHit(photo, score if np.isfinite(score) else 0.0, name_match=True))
        hits.sort(key=lambda h: -h.score)
        return hits

    def _results(
        self,
        first: list[SearchHit],
        found: Neighbours,
        skip: set[int],
        k: int,
        *,
        exact: bool,
        started: float,
        total: int,
    ) -> SearchResults:
        pairs = [
            (int(i), float(s)) for i, s in zip(found.ids, found.scores, strict=True)
            if int(i) not in skip and np.isfinite(s)
        ][: max(0, k - len(first))]
        with self._catalog.read() as conn:
            photos: dict[int, Photo] = lookups.photos_for_embeddings(conn, [i for i, _ in pairs])
        hits = first[:k] + [SearchHit(photos[i], score) for i, score in pairs if i in photos]
        return SearchResults(hits, exact, time.perf_counter() - started, total)
