"""Every SQL statement the library runs, as small functions over a connection.

Callers own the transaction (``Catalog.read()`` / ``Catalog.write()``); nothing here commits.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from core.catalog import schema
from core.catalog.schema import embeddings, folders, models, mounts, photos
from core.records import Folder

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


def new_row_id(result: sa.CursorResult[Any]) -> int:
    """The primary key of the row an INSERT just added."""
    key = result.inserted_primary_key
    assert key is not None, "not an INSERT"
    return int(key[0])


def _chunks(items: Sequence, size: int = _CHUNK) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# -- folders ---------------------------------------------------------------------------------


def add_folder(conn: sa.Connection, path: Path) -> int:
    existing = conn.execute(sa.select(folders.c.id).where(folders.c.path == str(path))).scalar()
    if existing is not None:
        return int(existing)
    return new_row_id(conn.execute(folders.insert().values(path=str(path), added_at=time.time())))


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
            total, indexed, failed, folders.c.last_scan,
        ).order_by(folders.c.path)
    ).all()
    unmounted: dict[int, list[str]] = {}
    for folder_id, rel in conn.execute(
        sa.select(mounts.c.folder_id, mounts.c.rel_path).where(~mounts.c.online)
    ):
        unmounted.setdefault(folder_id, []).append(rel_from_db(rel))
    return [
        Folder(r[0], Path(r[1]), bool(r[2]), r[3], int(r[4]), int(r[5]), int(r[6]),
               tuple(sorted(unmounted.get(r[0], ()))), r[7])
        for r in rows
    ]


def set_folder_scanned(conn: sa.Connection, folder_id: int, when: float) -> None:
    """A scan of the whole folder finished at ``when`` (time.time())."""
    conn.execute(folders.update().where(folders.c.id == folder_id).values(last_scan=when))


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


def rename_model(conn: sa.Connection, pattern: str, name: str) -> None:
    """Give the first model row whose name matches the LIKE ``pattern`` the name ``name``."""
    row = conn.execute(
        sa.select(models.c.id).where(models.c.name.like(pattern)).order_by(models.c.id)
    ).first()
    if row is not None:
        conn.execute(models.update().where(models.c.id == row[0]).values(name=name))


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
    """New pending photos. A row another process inserted meanwhile is left as it is."""
    if not rows:
        return
    conn.execute(
        sqlite_insert(photos).on_conflict_do_nothing(),
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


def retry_transient(
    conn: sa.Connection, folder_id: int, reasons: Sequence[str], prefix: str
) -> int:
    """Failures whose cause may have passed (one of ``reasons``, or a reason starting with
    ``prefix``: a permission, I/O, memory) go back to pending."""
    result = conn.execute(
        photos.update()
        .where(
            photos.c.folder_id == folder_id,
            photos.c.state == schema.FAILED,
            sa.or_(
                photos.c.fail_reason.in_(list(reasons)),
                photos.c.fail_reason.startswith(prefix),
            ),
        )
        .values(state=schema.PENDING, fail_reason=None)
    )
    return int(result.rowcount or 0)


def photos_with_hashes(
    conn: sa.Connection, digests: Sequence[bytes]
) -> list[tuple[int, Path, Path, bytes]]:
    """(photo id, folder root, absolute path, content hash) of every photo in an online folder
    with one of these fingerprints."""
    found: list[tuple[int, Path, Path, bytes]] = []
    for chunk in _chunks(list(digests)):
        rows = conn.execute(
            sa.select(photos.c.id, folders.c.path, photos.c.rel_path, photos.c.content_hash)
            .select_from(photos.join(folders))
            .where(photos.c.content_hash.in_(chunk), folders.c.online)
        )
        found += [(r[0], Path(r[1]), Path(r[1]) / rel_from_db(r[2]), r[3]) for r in rows]
    return found


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
    conn: sa.Connection,
    model_id: int,
    limit: int,
    folder_ids: Iterable[int] | None = None,
    below_id: int | None = None,
) -> list[EmbedWork]:
    """Photos not failed and without a vector of this model: newest rows first, and only rows
    older than ``below_id`` when given (a run pages through the table, so photos it could not
    embed this time never hide the ones after them)."""
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
    if below_id is not None:
        query = query.where(photos.c.id < below_id)
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


def _place_if_same_position(meta_columns: dict) -> sa.ColumnElement:
    """The photo's place, kept while its position stays; a new position (the file was edited)
    is named again (core.places names photos whose place is NULL)."""
    same = sa.and_(
        photos.c.gps_lat.is_not_distinct_from(meta_columns.get("gps_lat")),
        photos.c.gps_lon.is_not_distinct_from(meta_columns.get("gps_lon")),
    )
    return sa.case((same, photos.c.place_id), else_=sa.null())


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
            .values(
                state=schema.INDEXED, fail_reason=None, **meta_columns,
                place_id=_place_if_same_position(meta_columns),
            )
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
        new_ids.append(new_row_id(result))
    return new_ids


def mark_failed(conn: sa.Connection, rows: Sequence[tuple[int, str]]) -> None:
    if rows:
        conn.execute(
            photos.update().where(photos.c.id == sa.bindparam("pid")).values(
                state=schema.FAILED, fail_reason=sa.bindparam("why")
            ),
            [{"pid": pid, "why": why} for pid, why in rows],
        )


def drop_embeddings(conn: sa.Connection, labels: Sequence[int]) -> int:
    """Delete these vectors (damaged ones) and put their photos back to pending, so that they are
    embedded again. Returns how many photos went back."""
    pids: list[int] = []
    for chunk in _chunks(list(labels)):
        pids += list(
            conn.execute(sa.select(embeddings.c.photo_id).where(embeddings.c.id.in_(chunk)))
            .scalars()
        )
        conn.execute(embeddings.delete().where(embeddings.c.id.in_(chunk)))
    for chunk in _chunks(pids):
        conn.execute(
            photos.update().where(photos.c.id.in_(chunk)).values(state=schema.PENDING)
        )
    return len(pids)
