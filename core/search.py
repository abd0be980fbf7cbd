"""Queries: parse terms, turn them into one vector, answer fast, then exactly.

A query is any mix of positive and negative texts and images, each with a weight. Its vector is
the weighted sum of the positive terms' embeddings minus the negative ones', normalised.
``Searcher.search`` yields twice: a fast answer from the hnswlib graph, then an exact answer
(exact cosine over a wider candidate set plus vectors not yet in the graph). Starting a newer
search makes an older one stop at its next step.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np

from core import lookups, vector_codec
from core.catalog import Catalog
from core.errors import PhotoSeekError
from core.imaging import is_supported, load_photo
from core.records import Photo, SearchHit, SearchResults
from core.vector_index import Neighbours, VectorIndex

if TYPE_CHECKING:
    from core.embedder import Embedder

_WEIGHTED = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*:\s*(.+)$")


@dataclass(frozen=True)
class QueryTerm:
    kind: Literal["text", "image"]
    value: str  # the text, or the image's path
    weight: float = 1.0
    negative: bool = False


@dataclass(frozen=True)
class Query:
    terms: tuple[QueryTerm, ...]

    @property
    def is_empty(self) -> bool:
        return not any(not t.negative for t in self.terms)


class QueryError(PhotoSeekError):
    """A query that cannot be answered (empty, unreadable image); the message says why."""


# Where a term begins like a file path. A "/" inside a term is not enough: "AC/DC" is text.
_PATH_STARTS = ("/", "~", "./", "../", ".\\", "..\\")
_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")


def _looks_like_path(value: str) -> bool:
    """True for a term meant as a file: it has a photo extension or begins like a path."""
    value = value.strip()
    return (
        is_supported(Path(value)) or value.startswith(_PATH_STARTS) or bool(_DRIVE.match(value))
    )


def _photo_path(value: str) -> Path:
    """The photo file a term names; QueryError when there is none, so that a mistyped path is
    never searched as words."""
    path = Path(value.strip()).expanduser()
    if not path.exists():
        raise QueryError(
            f"There is no photo at {path.absolute()}. Check the path, or leave it out."
        )
    if not path.is_file() or not is_supported(path):
        raise QueryError(f"{path} is not a photo PhotoSeek can read.")
    return path.resolve()


def parse_term(raw: str, *, negative: bool = False, image: bool | None = None) -> QueryTerm:
    """``"2:dog"`` weighs "dog" twice; a value naming an existing photo file is an image term.

    ``image=None`` decides by the value: a term that looks like a path must name a photo.
    """
    weight = 1.0
    match = _WEIGHTED.match(raw)
    if match and not Path(raw).exists():
        weight, raw = float(match.group(1)), match.group(2)
        if weight <= 0:
            raise QueryError(
                f"'{match.group(0).strip()}': a weight must be above zero. To steer away from "
                "something, add it as a 'not' term instead."
            )
    if image is None:
        image = _looks_like_path(raw)
    if image:
        return QueryTerm("image", str(_photo_path(raw)), weight, negative)
    return QueryTerm("text", raw.strip(), weight, negative)


def build_query(
    text: str | None = None,
    images: Sequence[str] = (),
    negatives: Sequence[str] = (),
) -> Query:
    """A query from the words typed, example photos, and terms (words or photos) to avoid.

    ``text`` is always words, even when it looks like a file name: a search box sends every
    keystroke here, and half a path typed so far must not be an error.
    """
    terms: list[QueryTerm] = []
    if text and text.strip():
        terms.append(parse_term(text, image=False))
    terms += [parse_term(path, image=True) for path in images]
    terms += [parse_term(value, negative=True) for value in negatives]
    return Query(tuple(terms))


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
            return (vector if vector is not None else vector_codec.decode(blob)), label
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
        self, query: Query, k: int = 50, cancel: threading.Event | None = None
    ) -> Iterator[SearchResults]:
        """Yield the fast answer, then the exact one; stop early if superseded or cancelled."""
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
        fast = self._index.ann(vector, k + len(excluded))
        if stale():
            return
        yield self._results(fast, excluded, k, exact=False, started=started, total=total)
        if stale():
            return
        exact = self._index.exact(vector, k + len(excluded))
        if stale():
            return
        yield self._results(exact, excluded, k, exact=True, started=started, total=total)

    def _results(
        self,
        found: Neighbours,
        excluded: set[int],
        k: int,
        *,
        exact: bool,
        started: float,
        total: int,
    ) -> SearchResults:
        pairs = [
            (int(i), float(s)) for i, s in zip(found.ids, found.scores, strict=True)
            if int(i) not in excluded
        ][:k]
        with self._catalog.read() as conn:
            photos: dict[int, Photo] = lookups.photos_for_embeddings(conn, [i for i, _ in pairs])
        hits = [SearchHit(photos[i], score) for i, score in pairs if i in photos]
        return SearchResults(hits, exact, time.perf_counter() - started, total)
