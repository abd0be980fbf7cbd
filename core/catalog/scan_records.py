"""What a scan records besides photos: files it does not read (with why) and the folders inside
a library folder that drives are mounted on. Callers own the transaction."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import sqlalchemy as sa
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from core.catalog.queries import _chunks, rel_from_db, rel_to_db
from core.catalog.schema import mounts, unread


def _under(column: sa.ColumnElement[str], prefixes: Sequence[str]) -> sa.ColumnElement[bool]:
    """``column`` equals one of the relative ``prefixes`` or lies below one."""
    clauses: list[sa.ColumnElement[bool]] = []
    for prefix in prefixes:
        prefix = prefix.strip("/")
        if not prefix:
            return sa.true()
        stored = rel_to_db(prefix)
        clauses.append(column == stored)
        clauses.append(column.startswith(stored + "/", autoescape=True))
    return sa.or_(*clauses) if clauses else sa.false()


def replace_unread(
    conn: sa.Connection,
    folder_id: int,
    prefixes: Sequence[str] | None,
    rows: Sequence[tuple[str, str]],
) -> None:
    """What a scan of ``prefixes`` of the folder (None: all of it) found it could not read."""
    where = unread.c.folder_id == folder_id
    if prefixes is not None:
        where = sa.and_(where, _under(unread.c.rel_path, prefixes))
    conn.execute(unread.delete().where(where))
    if rows:
        conn.execute(
            sqlite_insert(unread).on_conflict_do_nothing(),
            [{"folder_id": folder_id, "rel_path": rel_to_db(rel), "reason": reason}
             for rel, reason in rows],
        )


def known_mounts(conn: sa.Connection, folder_id: int) -> set[str]:
    rows = conn.execute(sa.select(mounts.c.rel_path).where(mounts.c.folder_id == folder_id))
    return {rel_from_db(r[0]) for r in rows}


def record_mounts(conn: sa.Connection, folder_id: int, online: dict[str, bool]) -> None:
    """Mount points inside the folder and whether each is mounted now."""
    for rel, is_online in online.items():
        conn.execute(
            sqlite_insert(mounts)
            .values(folder_id=folder_id, rel_path=rel_to_db(rel), online=is_online)
            .on_conflict_do_update(
                index_elements=[mounts.c.folder_id, mounts.c.rel_path],
                set_={"online": is_online},
            )
        )


def forget_mounts(conn: sa.Connection, folder_id: int, rels: Iterable[str]) -> None:
    stored = [rel_to_db(r) for r in rels]
    for chunk in _chunks(stored):
        conn.execute(
            mounts.delete().where(mounts.c.folder_id == folder_id, mounts.c.rel_path.in_(chunk))
        )
