"""Pairs of photos that may be the same picture: neighbours among the stored vectors, and
photos whose files share a content fingerprint (then confirmed byte for byte).

Vectors: one k-nearest-neighbour pass over the loaded index (``VectorIndex.neighbours_of``, a
batch query of the hnswlib graph). Scoring every pair exactly in blocks was measured too: at
100,000 photos it costs minutes where the graph takes seconds (benchmarks/bench_duplicates.py).

Files: the catalog's ``content_hash`` is only a fingerprint (size plus the first and last
64 KiB, enough to follow a moved file), so photos that share one are read whole and hashed
before they count as exact copies.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from core.catalog.database import Catalog
from core.catalog.duplicates import shared_fingerprints, stored_photos
from core.duplicates.hashes import changed_reason, file_digest
from core.duplicates.steps import Steps
from core.imaging.reasons import os_reason
from core.records import Failure
from core.vectors.index import VectorIndex

NEIGHBOURS = 10  # per photo, itself included: union-find chains larger groups through them
_BATCH = 512  # queries per graph call: the index lock is held about 0.1 s, searches wait little


def similar_pairs(
    index: VectorIndex, photo_of: dict[int, int], threshold: float, steps: Steps
) -> dict[tuple[int, int], float]:
    """(photo id, photo id) -> cosine similarity, smaller id first, of every pair of neighbours
    at or above ``threshold``. ``photo_of`` maps the labels that take part to their photos."""
    labels = np.array(sorted(photo_of), np.int64)
    photos = np.array([photo_of[int(label)] for label in labels], np.int64)
    steps.expect(len(labels))
    pairs: dict[tuple[int, int], float] = {}
    for start in range(0, len(labels), _BATCH):
        found, scores = index.neighbours_of(labels[start : start + _BATCH].tolist(), NEIGHBOURS)
        # Neighbours' photos; -1 for a label that takes no part (an offline folder's photo).
        where = np.minimum(np.searchsorted(labels, found), len(labels) - 1)
        others = np.where(labels[where] == found, photos[where], -1)
        mine = np.repeat(photos[start : start + _BATCH, None], found.shape[1], axis=1)
        keep = (others >= 0) & (others != mine) & (scores >= threshold)
        for first, second, score in zip(mine[keep], others[keep], scores[keep], strict=True):
            key = (int(min(first, second)), int(max(first, second)))
            pairs[key] = max(pairs.get(key, -1.0), float(score))
        steps.advance(len(found))
    return pairs


def exact_copies(catalog: Catalog, steps: Steps, skipped: list[Failure]) -> dict[int, bytes]:
    """Photo id -> digest of all its bytes, for every photo that has a byte-identical copy in
    the library (photos sharing a fingerprint, each read whole to confirm)."""
    with catalog.read() as conn:
        groups = shared_fingerprints(conn)
        known = stored_photos(conn, [pid for ids in groups for pid in ids])
    steps.expect(sum(len(ids) for ids in groups))
    digests: dict[int, bytes] = {}
    for ids in groups:
        by_digest: dict[bytes, list[int]] = defaultdict(list)
        for photo_id in ids:
            stored = known.get(photo_id)
            if stored is None:  # removed since the fingerprints were read
                continue
            path = stored.photo.path
            reason = changed_reason(path, stored.photo.size, stored.mtime_ns)
            if reason is None:
                try:
                    by_digest[file_digest(path)].append(photo_id)
                except OSError as exc:
                    reason = os_reason(exc)
            if reason is not None:
                skipped.append(Failure(path, reason, "skipped"))
        for digest, same in by_digest.items():
            if len(same) > 1:
                digests.update((photo_id, digest) for photo_id in same)
        steps.advance(len(ids))
    return digests
