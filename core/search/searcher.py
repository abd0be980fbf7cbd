"""Answering a query: one vector, a fast answer from the graph, then the exact one.

The query's vector is the weighted sum of the positive terms' embeddings minus the negative ones',
normalised. ``Searcher.search`` yields twice: a fast answer from the hnswlib graph, then an exact
answer that scores every photo. Both keep only the real matches (``core.search.relevance``): the
fast one with a cut-off estimated from a sample of scores, the exact one with the cut-off from
all of them. Starting a newer search makes an older one stop at its next step.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from core.catalog import frames as frame_rows
from core.catalog import lookups
from core.catalog.database import Catalog
from core.errors import PhotoSeekError
from core.imaging.formats import is_video
from core.imaging.loading import load_photo
from core.records import Photo, SearchHit, SearchResults
from core.search.query import Query, QueryError, QueryTerm
from core.search.relevance import (
    MATCH_LEVEL,
    SAMPLE_SIZE,
    Calibration,
    Cutoff,
    QueryKind,
    cutoff,
)
from core.vectors import codec as vector_codec
from core.vectors import labels as vector_labels
from core.vectors.index import VectorIndex

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
        calibration: Calibration | None = None,
    ) -> None:
        self._catalog = catalog
        self._calibration = calibration
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
            if is_video(path):  # as the library keeps a video: the mean of its frames
                from core.imaging.video import read_video

                frames = read_video(path, embedder.image_size).frames
                return embedder.embed_pil([frame.image for frame in frames]).mean(axis=0), None
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
        scope: Scope | None = None,
        texts: Sequence[tuple[Photo, int | None]] = (),
    ) -> Iterator[SearchResults]:
        """Yield the fast answer, then the exact one; stop early if superseded or cancelled.

        ``named`` photos (their file or folder name matches the words typed, each with its
        vector's label if it has one) come first in both answers, best match first, then the
        ``texts`` photos (the text read in them contains the words typed), likewise. ``scope``
        narrows and orders the answer; a narrowed or date-ordered search has only the exact
        answer (scoring every vector takes milliseconds; the graph cannot filter).
        """
        started = time.perf_counter()
        scope = scope or Scope()
        with self._generation_lock:
            self._generation += 1
            generation = self._generation

        def stale() -> bool:
            return generation != self._generation or (cancel is not None and cancel.is_set())

        vector, excluded = self.query_vector(query)
        kind = query_kind(query)
        total = len(self._index)
        if stale():
            return
        with_text = {photo.id for photo, _label in texts}
        first = self._named_hits(named, vector, excluded, with_text)
        named_ids = {photo.id for photo, _label in named}
        first += self._named_hits(
            [pair for pair in texts if pair[0].id not in named_ids], vector, excluded, with_text,
            name_match=False,
        )
        skip = excluded | {label for _photo, label in (*named, *texts) if label is not None}
        answer = _Answer(first, skip, k, scope.weaker, started, total, scope.newest_first)
        if scope.allowed is None and scope.order is None and not scope.only_first:
            # A video's frames may take several of the graph's places: ask for more.
            wanted = k + len(skip)
            fast = self._index.ann(vector, 2 * wanted if self._index.holds_frames else wanted)
            items, item_scores, best = vector_labels.best_per_item(fast.ids, fast.scores)
            ranked = np.argsort(-item_scores, kind="stable")
            estimate = cutoff(
                self._index.sample_scores(vector, SAMPLE_SIZE), kind, self._calibration
            )
            if stale():
                return
            yield self._results(answer, items[ranked], item_scores[ranked], estimate,
                                exact=False, best=best[ranked])
        if stale():
            return
        labels, scores, bulk = self._scores(vector, scope.allowed)
        # One score per photo or video (a video's best frame), and the frame that gave it.
        labels, scores, best = vector_labels.best_per_item(labels, scores)
        bar = cutoff(scores, kind, self._calibration, bulk)
        keep = np.isfinite(scores)
        if skip:
            keep &= ~np.isin(labels, list(skip))
        labels, scores, best = labels[keep], scores[keep], best[keep]
        if scope.only_first:  # the named and text photos alone; the cut-off still grades them
            labels, scores, best = labels[:0], scores[:0], best[:0]
        matched = scores >= bar.threshold
        answer.matches = int(matched.sum()) + len(first)
        answer.candidates = len(labels) + len(first)
        nothing = answer.matches == 0 and not scope.weaker  # then the nearest are offered
        if not scope.weaker and not nothing:
            labels, scores, best = labels[matched], scores[matched], best[matched]
        if scope.order is not None and not nothing:
            order = np.argsort(scope.order(labels), kind="stable")[:k]
        else:
            order = _best(scores, k)  # by score: the nearest, even when shown by date
        if stale():
            return
        yield self._results(answer, labels[order], scores[order], bar, exact=True,
                            best=best[order])

    def _scores(
        self, vector: np.ndarray, allowed: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """(labels, scores) of the photos a search may answer with, and scores that place the
        library's bulk when those photos are not the whole library."""
        if allowed is None:
            labels, scores = self._index.all_scores(vector)
            return labels, scores, None
        # Only the photos that pass: picking their rows costs less than scoring every row
        # even when half the library passes (10 ms against 13 at 100k, 50% kept).
        labels, scores = self._index.scores_of(vector, allowed)
        return labels, scores, self._index.sample_scores(vector, SAMPLE_SIZE)

    def matching_labels(self, query: Query) -> np.ndarray:
        """The labels of every photo that really matches ``query`` (exact scores)."""
        vector, _excluded = self.query_vector(query)
        labels, scores, _best = vector_labels.best_per_item(*self._index.all_scores(vector))
        return labels[scores >= cutoff(scores, query_kind(query), self._calibration).threshold]

    def _named_hits(
        self,
        named: Sequence[tuple[Photo, int | None]],
        vector: np.ndarray,
        excluded: set[int],
        with_text: set[int],
        name_match: bool = True,
    ) -> list[SearchHit]:
        wanted = np.array([label for _p, label in named if label is not None], np.int64)
        # A photo's own vector, or a video's best frame (scores_of scores an item's frames).
        items, scores, best = vector_labels.best_per_item(*self._index.scores_of(vector, wanted))
        score_of = dict(zip(items.tolist(), scores.tolist(), strict=True))
        best_of = dict(zip(items.tolist(), best.tolist(), strict=True))
        moments = self._moments(best_of.values())
        hits = []
        for photo, label in named:
            if label in excluded:
                continue  # the example photo itself
            score = score_of.get(label, 0.0) if label is not None else 0.0
            hits.append(SearchHit(
                photo, score if np.isfinite(score) else 0.0, name_match=name_match,
                text_match=photo.id in with_text,
                moment=moments.get(best_of[label]) if label in best_of else None,
            ))
        hits.sort(key=lambda h: -h.score)
        return hits

    def _moments(self, labels: Iterable[int]) -> dict[int, float]:
        """Seconds into its video of each frame label among ``labels``."""
        keys = {vector_labels.split(label): label for label in labels
                if vector_labels.is_frame(label)}
        if not keys:
            return {}
        with self._catalog.read() as conn:
            found = frame_rows.frame_moments(conn, list(keys))
        return {keys[key]: seconds for key, seconds in found.items()}

    def _results(
        self, answer: _Answer, labels: np.ndarray, scores: np.ndarray, bar: Cutoff, exact: bool,
        best: np.ndarray,
    ) -> SearchResults:
        """``labels`` are items (a photo's or a video's); ``best`` the label that scored for
        each (a video's frame, whose moment the hit shows)."""
        pairs = [
            (int(i), float(s)) for i, s in zip(labels, scores, strict=True)
            if int(i) not in answer.skip and np.isfinite(s)
        ]
        best_of = dict(zip(labels.tolist(), best.tolist(), strict=True))
        matched = [pair for pair in pairs if pair[1] >= bar.threshold]
        # A fast answer counts its own matches; nothing matching (names included) offers the
        # nearest instead.
        if (matched or answer.first) and not answer.weaker:
            pairs = matched
        pairs = pairs[: max(0, answer.k - len(answer.first))]
        with self._catalog.read() as conn:
            photos: dict[int, Photo] = lookups.photos_for_embeddings(conn, [i for i, _ in pairs])
        moments = self._moments(best_of[i] for i, _ in pairs)
        strength = bar.relevance(np.array([s for _, s in pairs], np.float64))
        # Photos named by the words, or showing them in print, are matches by that alone: their
        # bar reaches at least the cut-off's level, whatever the picture scores.
        hits = [
            replace(hit, relevance=max(MATCH_LEVEL, float(bar.relevance(np.array([hit.score]))[0])))
            for hit in answer.first[: answer.k]
        ] + [
            SearchHit(photos[i], score, relevance=float(level), match=score >= bar.threshold,
                      moment=moments.get(best_of[i]))
            for (i, score), level in zip(pairs, strength, strict=True) if i in photos
        ]
        if answer.newest_first is not None:  # by date: names take their place in time
            hits.sort(key=_when_key, reverse=answer.newest_first)
            dated = [h for h in hits if h.photo.date]
            hits = dated + [h for h in hits if not h.photo.date]
        matches = answer.matches if exact else len(matched) + len(answer.first)
        return SearchResults(
            hits, exact, time.perf_counter() - answer.started, answer.total,
            matches=matches, candidates=answer.candidates if exact else None,
        )


def query_kind(query: Query) -> QueryKind:
    kinds = {t.kind for t in query.terms if not t.negative}
    if kinds == {"text"}:
        return QueryKind.TEXT
    return QueryKind.IMAGE if kinds == {"image"} else QueryKind.MIXED


def _when_key(hit: SearchHit) -> str:
    return hit.photo.date or ""


def _best(scores: np.ndarray, k: int) -> np.ndarray:
    """Positions of the ``k`` highest scores, best first."""
    top = min(k, len(scores))
    if top <= 0:
        return np.empty(0, np.int64)
    order = np.argpartition(-scores, top - 1)[:top]
    return order[np.argsort(-scores[order], kind="stable")]


@dataclass(frozen=True)
class Scope:
    """Which photos a search may answer with, and in which order.

    ``allowed``: the labels that pass the filters (None: every photo). ``order``: for date
    sorts, a key per label (ascending is shown first); None ranks by score. ``weaker``: the
    photos below the cut-off follow the matches. ``only_first``: see below.
    """

    allowed: np.ndarray | None = None
    order: Callable[[np.ndarray], np.ndarray] | None = None
    weaker: bool = False
    newest_first: bool | None = None  # the direction of ``order`` (None: by score)
    # Only the photos given first (named, or with the text asked for): a query typed in quotes
    # answers with the photos whose text holds it, and no others.
    only_first: bool = False


@dataclass
class _Answer:
    """What both answers of one search share."""

    first: list[SearchHit]
    skip: set[int]
    k: int
    weaker: bool
    started: float
    total: int
    newest_first: bool | None = None
    matches: int | None = None
    candidates: int | None = None
