"""Read-only lookups for search and status: vectors by model, the photos behind search hits,
counts and failures. (Writes and the indexing-side reads live in core.catalog.queries.)"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import sqlalchemy as sa

from core.catalog import schema
from core.catalog.queries import _chunks, rel_from_db, rel_to_db
from core.catalog.schema import embeddings, folders, models, photos
from core.records import Failure, Photo


def model_id(conn: sa.Connection, name: str, dim: int) -> int:
    row = conn.execute(sa.select(models.c.id, models.c.dim).where(models.c.name == name)).first()
    if row is not None:
        return int(row[0])
    return int(conn.execute(models.insert().values(name=name, dim=dim)).inserted_primary_key[0])


def find_model(conn: sa.Connection, name: str) -> int | None:
    return conn.execute(sa.select(models.c.id).where(models.c.name == name)).scalar()


def embedding_ids(conn: sa.Connection, model_id: int) -> list[int]:
    return list(
        conn.execute(sa.select(embeddings.c.id).where(embeddings.c.model_id == model_id)).scalars()
    )


def embedding_blobs(
    conn: sa.Connection, model_id: int, ids: Sequence[int] | None = None
) -> Iterator[tuple[int, bytes]]:
    if ids is None:
        query = sa.select(embeddings.c.id, embeddings.c.vector).where(
            embeddings.c.model_id == model_id
        )
        yield from ((r[0], r[1]) for r in conn.execute(query))
        return
    for chunk in _chunks(list(ids)):
        query = sa.select(embeddings.c.id, embeddings.c.vector).where(
            embeddings.c.id.in_(chunk)
        )
        yield from ((r[0], r[1]) for r in conn.execute(query))


_PHOTO_COLUMNS = (
    photos.c.id, folders.c.path, photos.c.rel_path, photos.c.size, photos.c.width,
    photos.c.height, photos.c.taken_at, photos.c.camera_make, photos.c.camera_model,
    photos.c.gps_lat, photos.c.gps_lon, photos.c.state, photos.c.fail_reason,
)


def _photo(row: sa.Row) -> Photo:
    return Photo(
        id=row[0], path=Path(row[1]) / rel_from_db(row[2]), size=row[3], width=row[4],
        height=row[5], taken_at=row[6], camera_make=row[7], camera_model=row[8],
        gps_lat=row[9], gps_lon=row[10], state=schema.STATE_NAMES[row[11]], fail_reason=row[12],
    )


def photos_for_embeddings(conn: sa.Connection, emb_ids: Sequence[int]) -> dict[int, Photo]:
    found: dict[int, Photo] = {}
    for chunk in _chunks(list(emb_ids)):
        rows = conn.execute(
            sa.select(embeddings.c.id, *_PHOTO_COLUMNS)
            .select_from(embeddings.join(photos).join(folders))
            .where(embeddings.c.id.in_(chunk))
        )
        for row in rows:
            found[row[0]] = _photo(row[1:])
    return found


def photo_at(conn: sa.Connection, path: Path) -> tuple[int, int] | None:
    """(photo id, folder id) of the library photo at this absolute path, if any."""
    for folder_id, folder_path in conn.execute(sa.select(folders.c.id, folders.c.path)):
        try:
            rel = path.relative_to(folder_path).as_posix()
        except ValueError:
            continue
        pid = conn.execute(
            sa.select(photos.c.id).where(
                photos.c.folder_id == folder_id, photos.c.rel_path == rel_to_db(rel)
            )
        ).scalar()
        if pid is not None:
            return int(pid), int(folder_id)
    return None


def embedding_of_photo(
    conn: sa.Connection, photo_id: int, model_id: int
) -> tuple[int, bytes] | None:
    row = conn.execute(
        sa.select(embeddings.c.id, embeddings.c.vector).where(
            embeddings.c.photo_id == photo_id, embeddings.c.model_id == model_id
        )
    ).first()
    return (int(row[0]), row[1]) if row else None


def counts(conn: sa.Connection, model_id: int | None) -> tuple[int, int, int]:
    """(photos, indexed for this model, failed)."""
    total = conn.execute(sa.select(sa.func.count()).select_from(photos)).scalar_one()
    failed = conn.execute(
        sa.select(sa.func.count()).where(photos.c.state == schema.FAILED)
    ).scalar_one()
    indexed = 0
    if model_id is not None:
        indexed = conn.execute(
            sa.select(sa.func.count()).where(embeddings.c.model_id == model_id)
        ).scalar_one()
    return int(total), int(indexed), int(failed)


def failures(conn: sa.Connection) -> list[Failure]:
    rows = conn.execute(
        sa.select(folders.c.path, photos.c.rel_path, photos.c.fail_reason)
        .select_from(photos.join(folders))
        .where(photos.c.state == schema.FAILED)
        .order_by(folders.c.path, photos.c.rel_path)
    )
    return [Failure(Path(r[0]) / rel_from_db(r[1]), r[2] or "unknown error") for r in rows]


def photos_by_name(conn: sa.Connection, text: str, limit: int) -> list[Photo]:
    """File-name search, for when no model is loaded yet."""
    pattern = f"%{text}%"
    rows = conn.execute(
        sa.select(*_PHOTO_COLUMNS)
        .select_from(photos.join(folders))
        .where(sa.or_(photos.c.rel_path.like(pattern), photos.c.taken_at.like(pattern)))
        .order_by(photos.c.taken_at.desc(), photos.c.id.desc())
        .limit(limit)
    )
    return [_photo(r) for r in rows]
