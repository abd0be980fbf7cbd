"""Tag the library from its stored vectors: no photo is decoded, one matrix product does it.

Every photo's vector (as the catalog stores it: int8 and a scale) is scored against every
tag's vector in blocks; each tag's bulk is placed from an evenly spaced sample of the library,
and ``core.tagging.thresholds`` chooses each photo's tags. The ``photo_tags`` rows are then
replaced whole in one short write transaction: no bookkeeping per photo, and a run that is
cancelled or killed has written nothing.

A run remembers what it saw (``TAGS_STATE`` in ``meta``): the model identity, the vocabulary's
digest, the number of vectors and the newest vector's id, and the person's own tags. When none
of it changed, a run returns at once, so the job is cheap to call after every indexing round;
after a restart the same rule says whether work is left.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from core.catalog import tags as catalog_tags
from core.catalog.database import Catalog
from core.tagging.prompts import EmbedTexts, PromptCache
from core.tagging.thresholds import (
    SMALL_LIBRARY,
    Bulk,
    Calibration,
    choose,
    library_bulk,
    sample_rows,
    top_scores,
)
from core.tagging.vocabulary import Category, Vocabulary, custom_category
from core.vectors import codec

BLOCK = 4096  # photos scored at a time: a few MB of float32, and a cancel seen between blocks


@dataclass(frozen=True)
class TaggingModel:
    """What tagging needs of the loaded model."""

    identity: str
    embed_texts: EmbedTexts
    calibration: Calibration
    cache: PromptCache


@dataclass(frozen=True)
class StoredVectors:
    """A model's vectors as stored: int8 rows and 1 / each row's length."""

    photo_ids: np.ndarray
    rows: np.ndarray
    factors: np.ndarray

    def __len__(self) -> int:
        return len(self.photo_ids)

    def scores(self, picked: slice | np.ndarray, tag_vectors: np.ndarray) -> np.ndarray:
        """Cosines of these rows against every tag: (rows, K). The rows' lengths are divided
        out of the (smaller) product rather than out of the rows."""
        product = self.rows[picked].astype(np.float32) @ tag_vectors.T
        product *= self.factors[picked, None]
        return product


def read_vectors(catalog: Catalog, model_id: int, dim: int) -> StoredVectors:
    """Every photo's vector of this model; damaged ones are left out (indexing embeds them
    again)."""
    with catalog.read() as conn:
        photo_ids, blobs = catalog_tags.model_vectors(conn, model_id)
    width = codec.SCALE_BYTES + dim
    sized = np.fromiter((len(b) == width for b in blobs), bool, len(blobs))
    raw = np.frombuffer(b"".join(b for b, ok in zip(blobs, sized, strict=True) if ok), np.uint8)
    raw = raw.reshape(-1, width)
    scales = raw[:, : codec.SCALE_BYTES].copy().view(np.float32).ravel()
    rows = raw[:, codec.SCALE_BYTES :].view(np.int8)
    norms = np.linalg.norm(rows.astype(np.float32), axis=1)
    usable = np.isfinite(scales) & (scales > 0) & (norms > 0)
    return StoredVectors(
        photo_ids[sized][usable], rows[usable], (1.0 / norms[usable]).astype(np.float32)
    )


def categories_with(vocabulary: Vocabulary, customs: list[tuple[str, str]]) -> list[Category]:
    """The vocabulary's categories and a person's own tags ((name, phrase) pairs)."""
    own = [replace(custom_category(phrase, vocabulary.custom_templates), name=name)
           for name, phrase in customs]
    known = set(vocabulary.names)
    return list(vocabulary.categories) + [c for c in own if c.name not in known]


def bulk_of(
    vectors: StoredVectors, tag_vectors: np.ndarray, cancel: threading.Event | None = None
) -> Bulk | None:
    """Each tag's bulk, from an evenly spaced sample of the library, and its bar, from the
    best scores over the whole library (None: too small a library)."""
    sample = vectors.scores(sample_rows(len(vectors)), tag_vectors)
    if len(sample) < SMALL_LIBRARY:
        return None
    best = None
    if len(vectors) <= len(sample):  # the sample is the library
        best = top_scores(sample)
    else:
        for start in range(0, len(vectors), BLOCK):
            if cancel is not None and cancel.is_set():
                break  # the caller sees the cancel and keeps nothing
            block = slice(start, min(len(vectors), start + BLOCK))
            best = top_scores(vectors.scores(block, tag_vectors), best)
    return library_bulk(sample, best)


@dataclass(frozen=True)
class TagSpace:
    """The tags of a library as the model sees them: categories, their vectors, and where each
    tag's unrelated photos score (None: a small library)."""

    state: str
    categories: list[Category]
    vectors: np.ndarray
    bulk: Bulk | None

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.categories]


# The last space built for each catalog: describing photos one after another reuses it until
# the library's vectors, tags or model change.
_spaces: dict[str, TagSpace] = {}
_spaces_lock = threading.Lock()


def current_state(
    catalog: Catalog, model_id: int, identity: str, vocabulary: Vocabulary
) -> tuple[str, str | None, list[tuple[str, str]]]:
    """(the library's tagging state now, the state the last run saw, the person's own tags)."""
    with catalog.read() as conn:
        count, newest = catalog_tags.vector_state(conn, model_id)
        customs = catalog_tags.custom_tags(conn)
        stored = catalog_tags.stored_state(conn)
    return _state(identity, vocabulary, count, newest, customs), stored, customs


def tag_space(
    catalog: Catalog,
    model_id: int,
    dim: int,
    model: TaggingModel,
    vocabulary: Vocabulary,
    cancel: threading.Event | None = None,
) -> TagSpace | None:
    """The library's tag space now (reused while nothing changed); None if cancelled."""
    state, _stored, customs = current_state(catalog, model_id, model.identity, vocabulary)
    key = str(catalog.path)
    with _spaces_lock:
        found = _spaces.get(key)
    if found is not None and found.state == state:
        return found
    built = _build_space(catalog, model_id, dim, model, vocabulary, state, customs, cancel)
    return None if built is None else built[0]


def _build_space(
    catalog: Catalog,
    model_id: int,
    dim: int,
    model: TaggingModel,
    vocabulary: Vocabulary,
    state: str,
    customs: list[tuple[str, str]],
    cancel: threading.Event | None,
) -> tuple[TagSpace, StoredVectors] | None:
    categories = categories_with(vocabulary, customs)
    tag_vectors = model.cache.vectors(categories, model.embed_texts, cancel)
    if tag_vectors is None:
        return None
    vectors = read_vectors(catalog, model_id, dim)
    space = TagSpace(state, categories, tag_vectors, bulk_of(vectors, tag_vectors, cancel))
    if cancel is not None and cancel.is_set():
        return None
    with _spaces_lock:
        _spaces[str(catalog.path)] = space
    return space, vectors


def tag_library(
    catalog: Catalog,
    model_id: int,
    dim: int,
    model: TaggingModel,
    vocabulary: Vocabulary,
    cancel: threading.Event | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Tag every photo with a vector of this model; returns how many photos were looked at
    (0 when nothing changed since the last run, or when cancelled)."""
    state, stored, customs = current_state(catalog, model_id, model.identity, vocabulary)
    if stored == state:
        return 0
    built = _build_space(catalog, model_id, dim, model, vocabulary, state, customs, cancel)
    if built is None:
        return 0
    space, vectors = built
    rows: list[tuple[int, int, float]] = []
    for start in range(0, len(vectors), BLOCK):
        if cancel is not None and cancel.is_set():
            return 0
        block = slice(start, min(len(vectors), start + BLOCK))
        scores = vectors.scores(block, space.vectors)
        at, tag = choose(scores, space.bulk, model.calibration)
        photo_ids = vectors.photo_ids[block][at].tolist()
        rows.extend(zip(photo_ids, tag.tolist(), scores[at, tag].tolist(), strict=True))
        if progress is not None:
            progress(block.stop, len(vectors))
    if cancel is not None and cancel.is_set():
        return 0
    with catalog.write() as conn:
        ids = catalog_tags.tag_ids(conn, vocabulary.names)
        # A tag of one's own removed meanwhile has no id now: its rows are dropped.
        column_ids = [ids.get(c.name, -1) for c in space.categories]
        catalog_tags.replace_photo_tags(
            conn,
            ((p, column_ids[t], s) for p, t, s in rows if column_ids[t] >= 0),
            state,
        )
    return len(vectors)


def tags_for(
    vectors: np.ndarray,
    tag_vectors: np.ndarray,
    names: list[str],
    bulk: Bulk | None,
    calibration: Calibration,
) -> list[list[tuple[str, float]]]:
    """Each unit vector's tags (name, score), best first, by the library's rule."""
    scores = np.atleast_2d(np.asarray(vectors, np.float32)) @ tag_vectors.T
    found: list[list[tuple[str, float]]] = [[] for _ in range(len(scores))]
    for row, column in zip(*choose(scores, bulk, calibration), strict=True):
        found[row].append((names[column], float(scores[row, column])))
    return found


def _state(
    identity: str, vocabulary: Vocabulary, count: int, newest: int,
    customs: list[tuple[str, str]],
) -> str:
    own = hashlib.blake2b(json.dumps(customs).encode(), digest_size=8).hexdigest()
    return json.dumps({
        "model": identity, "vocabulary": vocabulary.digest, "vectors": count,
        "newest": newest, "own": own,
    }, sort_keys=True)
