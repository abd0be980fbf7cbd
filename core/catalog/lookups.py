"""Read-only lookups for search and status: vectors by model, the photos behind search hits,
counts and failures. (Writes and the indexing-side reads live in core.catalog.queries.)"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from core.catalog import schema
from core.catalog.places import place_label
from core.catalog.queries import _chunks, new_row_id, rel_from_db, rel_to_db
from core.catalog.schema import embeddings, folders, models, photos, places, unread
from core.records import Failure, Photo


def model_id(conn: sa.Connection, name: str, dim: int) -> int:
    row = conn.execute(sa.select(models.c.id, models.c.dim).where(models.c.name == name)).first()
    if row is not None:
        return int(row[0])
    return new_row_id(conn.execute(models.insert().values(name=name, dim=dim)))


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
    places.c.city, places.c.region, places.c.country,
    sa.func.datetime(photos.c.mtime_ns / 1_000_000_000, "unixepoch", "localtime"),
)
# Where _PHOTO_COLUMNS come from (a photo without a place has NULLs for its place's columns).
_PHOTO_FROM = photos.join(folders).outerjoin(places, photos.c.place_id == places.c.id)


def _photo(row: Sequence[Any]) -> Photo:
    return Photo(
        id=row[0], path=Path(row[1]) / rel_from_db(row[2]), size=row[3], width=row[4],
        height=row[5], taken_at=row[6], camera_make=row[7], camera_model=row[8],
        gps_lat=row[9], gps_lon=row[10], state=schema.STATE_NAMES[row[11]], fail_reason=row[12],
        place=place_label(row[13] or "", row[14] or "", row[15] or "") or None,
        file_time=row[16],
    )


def photos_for_embeddings(conn: sa.Connection, emb_ids: Sequence[int]) -> dict[int, Photo]:
    found: dict[int, Photo] = {}
    for chunk in _chunks(list(emb_ids)):
        rows = conn.execute(
            sa.select(embeddings.c.id, *_PHOTO_COLUMNS)
            .select_from(
                embeddings.join(photos).join(folders)
                .outerjoin(places, photos.c.place_id == places.c.id)
            )
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


def counts(conn: sa.Connection, model_id: int | None) -> tuple[int, int, int, int]:
    """(photos, indexed for this model, failed, files not read)."""
    total = conn.execute(sa.select(sa.func.count()).select_from(photos)).scalar_one()
    failed = conn.execute(
        sa.select(sa.func.count()).where(photos.c.state == schema.FAILED)
    ).scalar_one()
    not_read = conn.execute(sa.select(sa.func.count()).select_from(unread)).scalar_one()
    indexed = 0
    if model_id is not None:
        indexed = conn.execute(
            sa.select(sa.func.count()).where(embeddings.c.model_id == model_id)
        ).scalar_one()
    return int(total), int(indexed), int(failed), int(not_read)


def vectors_by_model(conn: sa.Connection) -> dict[str, int]:
    """How many vectors each model identity has, for models that have any."""
    rows = conn.execute(
        sa.select(models.c.name, sa.func.count(embeddings.c.id))
        .select_from(models.join(embeddings))
        .group_by(models.c.name)
    )
    return {r[0]: int(r[1]) for r in rows}


def failures(conn: sa.Connection) -> list[Failure]:
    """Photos that failed, then files not read, each sorted by path."""
    rows = conn.execute(
        sa.select(folders.c.path, photos.c.rel_path, photos.c.fail_reason)
        .select_from(photos.join(folders))
        .where(photos.c.state == schema.FAILED)
        .order_by(folders.c.path, photos.c.rel_path)
    )
    found = [Failure(Path(r[0]) / rel_from_db(r[1]), r[2] or "unknown error") for r in rows]
    rows = conn.execute(
        sa.select(folders.c.path, unread.c.rel_path, unread.c.reason)
        .select_from(unread.join(folders))
        .order_by(folders.c.path, unread.c.rel_path)
    )
    found += [Failure(Path(r[0]) / rel_from_db(r[1]), r[2], "unread") for r in rows]
    return found


def _like_words(text: str) -> str:
    """A LIKE pattern matching ``text`` anywhere; its own % and _ match only themselves
    (``IMG_1099`` is a file name, not a pattern)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _has_name_index(conn: sa.Connection) -> bool:
    return conn.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE name = ?", (schema.NAME_INDEX,)
    ).first() is not None


def _named(conn: sa.Connection, text: str) -> sa.ColumnElement[bool]:
    """Photos whose path inside their library folder or whose date taken contains ``text``
    (case-insensitive), or whose library folder's own name does."""
    folder_ids = [
        folder_id for folder_id, path in conn.execute(sa.select(folders.c.id, folders.c.path))
        if text.casefold() in Path(path).name.casefold()
    ]
    if len(text) >= 3 and _has_name_index(conn):  # trigrams: three characters at least
        phrase = '"' + text.replace('"', '""') + '"'  # the text itself, not FTS syntax
        in_index: sa.Select[Any] = sa.select(sa.literal_column("rowid")).select_from(
            sa.table(schema.NAME_INDEX)
        ).where(sa.text(f"{schema.NAME_INDEX} MATCH :phrase").bindparams(phrase=phrase))
        found: sa.ColumnElement[bool] = photos.c.id.in_(in_index)
    else:
        pattern = _like_words(text)
        found = sa.or_(photos.c.rel_path.like(pattern, escape="\\"),
                       photos.c.taken_at.like(pattern, escape="\\"))
    return sa.or_(found, photos.c.folder_id.in_(folder_ids))


def photos_by_name(conn: sa.Connection, text: str, limit: int) -> list[Photo]:
    """Photos named by ``text`` (see _named), every photo when it is empty; newest first."""
    query = sa.select(*_PHOTO_COLUMNS).select_from(_PHOTO_FROM)
    text = text.strip()
    if text:
        query = query.where(_named(conn, text))
    rows = conn.execute(
        query.order_by(photos.c.taken_at.desc(), photos.c.id.desc()).limit(limit)
    )
    return [_photo(r) for r in rows]


def photos_named(conn: sa.Connection, text: str, limit: int) -> list[Photo]:
    """Up to ``limit`` photos named by ``text``, in no particular order (quick: no sort)."""
    rows = conn.execute(
        sa.select(*_PHOTO_COLUMNS).select_from(_PHOTO_FROM)
        .where(_named(conn, text.strip())).limit(limit)
    )
    return [_photo(r) for r in rows]


def photos_by_id(conn: sa.Connection, photo_ids: Sequence[int]) -> dict[int, Photo]:
    found: dict[int, Photo] = {}
    for chunk in _chunks(list(photo_ids)):
        rows = conn.execute(
            sa.select(*_PHOTO_COLUMNS).select_from(_PHOTO_FROM).where(photos.c.id.in_(chunk))
        )
        found.update((row[0], _photo(row)) for row in rows)
    return found


def embeddings_of_photos(
    conn: sa.Connection, photo_ids: Sequence[int], model_id: int
) -> dict[int, int]:
    """photo id -> embedding id (label) of this model, for those that have one."""
    found: dict[int, int] = {}
    for chunk in _chunks(list(photo_ids)):
        rows = conn.execute(
            sa.select(embeddings.c.photo_id, embeddings.c.id).where(
                embeddings.c.photo_id.in_(chunk), embeddings.c.model_id == model_id
            )
        )
        found.update({int(r[0]): int(r[1]) for r in rows})
    return found
