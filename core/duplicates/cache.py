"""Perceptual hashes of candidate photos: read from the catalog's cache, computed (in threads)
for those without one, and kept until the file changes (a trigger forgets them)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor

from core.catalog.database import Catalog
from core.catalog.duplicates import StoredPhoto, cached_hashes, save_hashes, stored_photos
from core.duplicates.hashes import changed_reason, perceptual_hash
from core.duplicates.steps import Steps
from core.errors import ImageLoadError
from core.records import Failure

# Photos hashed between two cancellation checks and two catalog writes: about a second of
# work for 12 MP JPEGs on two cores.
_BATCH = 32
# Decoding releases the GIL; more threads than cores only queue on the decode budget.
_WORKERS = max(1, min(4, os.cpu_count() or 1))


def _hash_one(stored: StoredPhoto) -> int | str:
    """Its hash, or why it has none."""
    photo = stored.photo
    reason = changed_reason(photo.path, photo.size, stored.mtime_ns)
    if reason is not None:
        return reason
    try:
        return perceptual_hash(photo.path)
    except ImageLoadError as exc:
        return exc.reason


def perceptual_hashes(
    catalog: Catalog, photo_ids: Iterable[int], steps: Steps, skipped: list[Failure]
) -> dict[int, int]:
    """Photo id -> perceptual hash of each photo that has one or can be read now; each photo
    that cannot (gone, changed, damaged) is added to ``skipped`` with its reason."""
    ids = sorted(set(photo_ids))
    with catalog.read() as conn:
        found = cached_hashes(conn, ids)
        missing = stored_photos(conn, [i for i in ids if i not in found])
    steps.expect(len(missing))
    work = list(missing.values())
    with ThreadPoolExecutor(_WORKERS, thread_name_prefix="phash") as pool:
        for start in range(0, len(work), _BATCH):
            batch = work[start : start + _BATCH]
            rows: list[tuple[int, int, int, int]] = []
            for stored, outcome in zip(batch, pool.map(_hash_one, batch), strict=True):
                if isinstance(outcome, str):
                    skipped.append(Failure(stored.photo.path, outcome, "skipped"))
                    continue
                found[stored.photo.id] = outcome
                rows.append((stored.photo.id, outcome, stored.photo.size, stored.mtime_ns))
            if rows:
                with catalog.write() as conn:  # short: the hashing happened before it
                    save_hashes(conn, rows)
            steps.advance(len(batch))
    return found
