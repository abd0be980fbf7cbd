"""The SQL behind duplicates (core.duplicates): the photos behind a model's vectors, photos that
share a cheap content fingerprint, and the perceptual-hash cache.

Only photos in online folders take part: a photo on an unplugged drive can be neither checked
nor moved to the trash.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa

from core.catalog.lookups import _PHOTO_COLUMNS, _PHOTO_FROM, _photo
from core.catalog.queries import _chunks
from core.catalog.schema import embeddings, folders, photo_hashes, photos
from core.records import Photo


@dataclass(frozen=True)
class StoredPhoto:
    """A photo as the catalog knows it, with what checking and choosing among copies needs."""

    photo: Photo
    mtime_ns: int
    content_hash: bytes | None  # size + first and last 64 KiB (core.indexing.scanner)


def photos_by_label(conn: sa.Connection, model_id: int) -> dict[int, int]:
    """Embedding label -> photo id, for this model's vectors of photos in online folders."""
    rows = conn.execute(
        sa.select(embeddings.c.id, embeddings.c.photo_id)
        .select_from(embeddings.join(photos).join(folders))
        .where(embeddings.c.model_id == model_id, folders.c.online)
    )
    return {int(label): int(photo_id) for label, photo_id in rows}


def shared_fingerprints(conn: sa.Connection) -> list[list[int]]:
    """Photo ids that share a content fingerprint, one list per fingerprint (online folders).

    There is no index on ``content_hash`` (see schema._v4): SQLite groups it in one pass.
    """
    shared = (
        sa.select(photos.c.content_hash)
        .where(photos.c.content_hash.is_not(None))
        .group_by(photos.c.content_hash)
        .having(sa.func.count() > 1)
    )
    rows = conn.execute(
        sa.select(photos.c.content_hash, photos.c.id)
        .select_from(photos.join(folders))
        .where(folders.c.online, photos.c.content_hash.in_(shared))
    )
    groups: dict[bytes, list[int]] = defaultdict(list)
    for digest, photo_id in rows:
        groups[bytes(digest)].append(int(photo_id))
    return [ids for ids in groups.values() if len(ids) > 1]


def stored_photos(conn: sa.Connection, ids: Sequence[int]) -> dict[int, StoredPhoto]:
    found: dict[int, StoredPhoto] = {}
    for chunk in _chunks(list(ids)):
        rows = conn.execute(
            sa.select(*_PHOTO_COLUMNS, photos.c.mtime_ns, photos.c.content_hash)
            .select_from(_PHOTO_FROM)
            .where(photos.c.id.in_(chunk))
        )
        for row in rows:
            photo = _photo(row[: len(_PHOTO_COLUMNS)])
            found[photo.id] = StoredPhoto(photo, int(row[-2]), row[-1])
    return found


def cached_hashes(conn: sa.Connection, ids: Sequence[int]) -> dict[int, int]:
    """Photo id -> perceptual hash (signed 64-bit), for the photos that have one."""
    found: dict[int, int] = {}
    for chunk in _chunks(list(ids)):
        rows = conn.execute(
            sa.select(photo_hashes.c.photo_id, photo_hashes.c.phash).where(
                photo_hashes.c.photo_id.in_(chunk)
            )
        )
        found.update((int(pid), int(phash)) for pid, phash in rows)
    return found


def save_hashes(conn: sa.Connection, rows: Sequence[tuple[int, int, int, int]]) -> int:
    """Keep (photo id, phash, size, mtime_ns) rows whose photo is still the file that was read:
    a photo that changed (or left) meanwhile keeps no hash of its old pixels. Returns how many
    were kept."""
    kept = 0
    for photo_id, phash, size, mtime_ns in rows:
        result = conn.exec_driver_sql(
            "INSERT OR REPLACE INTO photo_hashes (photo_id, phash)"
            " SELECT id, ? FROM photos WHERE id = ? AND size = ? AND mtime_ns = ?",
            (phash, photo_id, size, mtime_ns),
        )
        kept += int(result.rowcount or 0)
    return kept
