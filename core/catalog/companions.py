"""Files kept with another photo of the same shot (the RAW of a RAW+JPEG pair, the MOV of a Live
Photo; see core.indexing.companions): what a scan records of them, and what is asked of them.
Callers own the transaction."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from core.catalog.queries import rel_from_db, rel_to_db
from core.catalog.scan_records import _under
from core.catalog.schema import companions, folders, photos


def replace_companions(
    conn: sa.Connection,
    folder_id: int,
    prefixes: Sequence[str] | None,
    rows: Sequence[tuple[str, str, str]],
) -> None:
    """What a scan of ``prefixes`` of the folder (None: all of it) found kept with a photo:
    (companion, the photo it belongs to, kind), paths relative to the folder."""
    where = companions.c.folder_id == folder_id
    if prefixes is not None:
        where = sa.and_(where, _under(companions.c.rel_path, prefixes))
    conn.execute(companions.delete().where(where))
    if rows:
        conn.execute(
            sqlite_insert(companions).on_conflict_do_update(
                index_elements=[companions.c.folder_id, companions.c.rel_path],
                set_={"item_path": sa.text("excluded.item_path"),
                      "kind": sa.text("excluded.kind")},
            ),
            [{"folder_id": folder_id, "rel_path": rel_to_db(rel), "item_path": rel_to_db(item),
              "kind": kind} for rel, item, kind in rows],
        )


def companions_of(conn: sa.Connection, photo_id: int) -> list[tuple[Path, str]]:
    """The files kept with this photo and the kind of each, by name."""
    rows = conn.execute(
        sa.select(folders.c.path, companions.c.rel_path, companions.c.kind)
        .select_from(
            photos.join(folders).join(
                companions,
                sa.and_(companions.c.folder_id == photos.c.folder_id,
                        companions.c.item_path == photos.c.rel_path),
            )
        )
        .where(photos.c.id == photo_id)
        .order_by(companions.c.rel_path)
    )
    return [(Path(r[0]) / rel_from_db(r[1]), r[2]) for r in rows]


def count_by_kind(conn: sa.Connection) -> dict[str, int]:
    """How many companions of each kind the library keeps with its photos."""
    rows = conn.execute(
        sa.select(companions.c.kind, sa.func.count()).group_by(companions.c.kind)
    )
    return {r[0]: int(r[1]) for r in rows}
