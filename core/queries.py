"""Every SQL statement the library runs, as small functions over a connection.

Callers own the transaction (``Catalog.read()`` / ``Catalog.write()``); nothing here commits.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from core import schema
from core.records import Failure, Folder, Photo
from core.schema import embeddings, folders, models, photos

_CHUNK = 500  # stay well under SQLite's bound-parameter limit

# A relative path never starts with "/", so that prefix safely marks a name that is not UTF-8
# (Linux allows any bytes); it is stored as hex and turned back into the same bytes on the way out.
_RAW_PREFIX = "//hex:"


def rel_to_db(rel: str) -> str:
    try:
        rel.encode("utf-8")
        return rel
    except UnicodeEncodeError:
        return _RAW_PREFIX + os.fsencode(rel).hex()


def rel_from_db(stored: str) -> str:
    if stored.startswith(_RAW_PREFIX):
        return os.fsdecode(bytes.fromhex(stored[len(_RAW_PREFIX) :]))
    return stored


def _chunks(items: Sequence, size: int = _CHUNK) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# -- folders ---------------------------------------------------------------------------------


def add_folder(conn: sa.Connection, path: Path) -> int:
    existing = conn.execute(sa.select(folders.c.id).where(folders.c.path == str(path))).scalar()
    if existing is not None:
        return int(existing)
    result = conn.execute(folders.insert().values(path=str(path), added_at=time.time()))
    return int(result.inserted_primary_key[0])


def folder_by_path(conn: sa.Connection, path: Path) -> int | None:
    return conn.execute(sa.select(folders.c.id).where(folders.c.path == str(path))).scalar()


def list_folders(conn: sa.Connection, model_id: int | None = None) -> list[Folder]:
    indexed = (
        sa.select(sa.func.count())
        .select_from(embeddings.join(photos))
        .where(photos.c.folder_id == folders.c.id, embeddings.c.model_id == (model_id or -1))
        .scalar_subquery()
    )
    total = (
        sa.select(sa.func.count()).where(photos.c.folder_id == folders.c.id).scalar_subquery()
    )
    failed = (
        sa.select(sa.func.count())
        .where(photos.c.folder_id == folders.c.id, photos.c.state == schema.FAILED)
        .scalar_subquery()
    )
    rows = conn.execute(
        sa.select(
            folders.c.id, folders.c.path, folders.c.online, folders.c.watch_mode,
            total, indexed, failed,
        ).order_by(folders.c.path)
    )
    return [
        Folder(r[0], Path(r[1]), bool(r[2]), r[3], int(r[4]), int(r[5]), int(r[6])) for r in rows
    ]


def set_folder_state(
    conn: sa.Connection,
    folder_id: int,
    *,
    online: bool | None = None,
    watch_mode: str | None = None,
) -> None:
    values: dict[str, object] = {}
    if online is not None:
        values["online"] = online
    if watch_mode is not None:
        values["watch_mode"] = watch_mode
    if values:
        conn.execute(folders.update().where(folders.c.id == folder_id).values(**values))


def remove_folder(conn: sa.Connection, folder_id: int) -> list[int]:
    """Delete a folder and its photos; returns the embedding ids that went with them."""
    gone = list(
        conn.execute(
            sa.select(embeddings.c.id)
            .select_from(embeddings.join(photos))
            .where(photos.c.folder_id == folder_id)
        ).scalars()
    )
    conn.execute(folders.delete().where(folders.c.id == folder_id))
    return gone


def absorb_folder(conn: sa.Connection, child_id: int, parent_id: int, prefix: Path) -> None:
    """A new library folder contains an old one: its photos (and vectors) move under it."""
    rows = conn.execute(
        sa.select(photos.c.id, photos.c.rel_path).where(photos.c.folder_id == child_id)
    ).all()
    for photo_id, rel in rows:
        full = f"{prefix.as_posix()}/{rel_from_db(rel)}"
        conn.execute(
            photos.update().where(photos.c.id == photo_id).values(
                folder_id=parent_id, rel_path=rel_to_db(full)
            )
        )
    conn.execute(folders.delete().where(folders.c.id == child_id))


# -- photos ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class KnownFile:
    photo_id: int
    size: int
    mtime_ns: int
    content_hash: bytes | None


def files_in_folder(conn: sa.Connection, folder_id: int) -> dict[str, KnownFile]:
    rows = conn.execute(
        sa.select(
            photos.c.rel_path, photos.c.id, photos.c.size, photos.c.mtime_ns,
            photos.c.content_hash,
        ).where(photos.c.folder_id == folder_id)
    )
    return {rel_from_db(r[0]): KnownFile(r[1], r[2], r[3], r[4]) for r in rows}


def insert_photos(
    conn: sa.Connection, folder_id: int, rows: Sequence[tuple[str, int, int, bytes | None]]
) -> None:
    if not rows:
        return
    conn.execute(
        photos.insert(),
        [
            {"folder_id": folder_id, "rel_path": rel_to_db(rel), "size": size,
             "mtime_ns": mtime, "content_hash": digest, "state": schema.PENDING}
            for rel, size, mtime, digest in rows
        ],
    )


def reset_changed(
    conn: sa.Connection, rows: Sequence[tuple[int, int, int, bytes | None]]
) -> list[int]:
    """Files whose size or mtime changed: back to pending, old vectors dropped."""
    gone: list[int] = []
    for chunk in _chunks(rows):
        ids = [r[0] for r in chunk]
        gone += list(
            conn.execute(sa.select(embeddings.c.id).where(embeddings.c.photo_id.in_(ids))).scalars()
        )
        conn.execute(embeddings.delete().where(embeddings.c.photo_id.in_(ids)))
        conn.execute(
            photos.update().where(photos.c.id == sa.bindparam("pid")).values(
                size=sa.bindparam("s"), mtime_ns=sa.bindparam("m"),
                content_hash=sa.bindparam("h"), state=schema.PENDING, fail_reason=None,
            ),
            [{"pid": pid, "s": s, "m": m, "h": h} for pid, s, m, h in chunk],
        )
    return gone


def move_photo(
    conn: sa.Connection, photo_id: int, folder_id: int, rel: str, mtime_ns: int
) -> None:
    conn.execute(
        photos.update().where(photos.c.id == photo_id).values(
            folder_id=folder_id, rel_path=rel_to_db(rel), mtime_ns=mtime_ns
        )
    )


def delete_photos(conn: sa.Connection, ids: Sequence[int]) -> list[int]:
    gone: list[int] = []
    for chunk in _chunks(list(ids)):
        gone += list(
            conn.execute(
                sa.select(embeddings.c.id).where(embeddings.c.photo_id.in_(chunk))
            ).scalars()
        )
        conn.execute(photos.delete().where(photos.c.id.in_(chunk)))
    return gone


@dataclass(frozen=True)
class EmbedWork:
    photo_id: int
    path: Path
    size: int
    mtime_ns: int


def photos_to_embed(
    conn: sa.Connection, model_id: int, limit: int, folder_ids: Iterable[int] | None = None
) -> list[EmbedWork]:
    """Photos not failed and without a vector of this model: newest rows first."""
    has_vector = sa.exists().where(
        embeddings.c.photo_id == photos.c.id, embeddings.c.model_id == model_id
    )
    query = (
        sa.select(photos.c.id, folders.c.path, photos.c.rel_path, photos.c.size, photos.c.mtime_ns)
        .select_from(photos.join(folders))
        .where(photos.c.state != schema.FAILED, ~has_vector, folders.c.online)
        .order_by(photos.c.id.desc())
        .limit(limit)
    )
    if folder_ids is not None:
        query = query.where(photos.c.folder_id.in_(list(folder_ids)))
    return [
        EmbedWork(r[0], Path(r[1]) / rel_from_db(r[2]), r[3], r[4]) for r in conn.execute(query)
    ]


def count_to_embed(
    conn: sa.Connection, model_id: int, folder_ids: Iterable[int] | None = None
) -> int:
    has_vector = sa.exists().where(
        embeddings.c.photo_id == photos.c.id, embeddings.c.model_id == model_id
    )
    query = (
        sa.select(sa.func.count())
        .select_from(photos.join(folders))
        .where(photos.c.state != schema.FAILED, ~has_vector, folders.c.online)
    )
    if folder_ids is not None:
        query = query.where(photos.c.folder_id.in_(list(folder_ids)))
    return int(conn.execute(query).scalar_one())


def save_embedded(
    conn: sa.Connection, model_id: int, rows: Sequence[tuple[EmbedWork, dict, bytes]]
) -> list[int | None]:
    """Store vectors with the photo's metadata; returns each new embedding id.

    A photo that was changed, moved away or removed since it was decoded (its size or mtime no
    longer match) gets None: its vector would describe another picture, so it is not stored.
    """
    new_ids: list[int | None] = []
    for work, meta_columns, blob in rows:
        updated = conn.execute(
            photos.update()
            .where(
                photos.c.id == work.photo_id,
                photos.c.size == work.size,
                photos.c.mtime_ns == work.mtime_ns,
            )
            .values(state=schema.INDEXED, fail_reason=None, **meta_columns)
        )
        if updated.rowcount != 1:
            new_ids.append(None)
            continue
        conn.execute(
            embeddings.delete().where(
                embeddings.c.photo_id == work.photo_id, embeddings.c.model_id == model_id
            )
        )
        result = conn.execute(
            embeddings.insert().values(photo_id=work.photo_id, model_id=model_id, vector=blob)
        )
        new_ids.append(int(result.inserted_primary_key[0]))
    return new_ids


def mark_failed(conn: sa.Connection, rows: Sequence[tuple[int, str]]) -> None:
    if rows:
        conn.execute(
            photos.update().where(photos.c.id == sa.bindparam("pid")).values(
                state=schema.FAILED, fail_reason=sa.bindparam("why")
            ),
            [{"pid": pid, "why": why} for pid, why in rows],
        )


def photo_ids_with_hash(conn: sa.Connection, digest: bytes) -> list[int]:
    query = sa.select(photos.c.id).where(photos.c.content_hash == digest)
    return list(conn.execute(query).scalars())


# -- models and vectors ----------------------------------------------------------------------


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
