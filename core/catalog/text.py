"""The words read in photos (``photo_text``, see core.ocr): what is left to read, storing what
was read, and finding photos by it through the trigram index ``photo_text_index``.

A row means the photo was read by the engine it names; "" when it shows no text (or could not
be decoded). The schema's trigger removes a photo's row when its file changes. Callers own the
transaction, as in ``core.catalog.queries``.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from core.catalog import schema
from core.catalog.queries import rel_from_db
from core.catalog.schema import folders, photo_text, photos

TRIGRAM_MIN_CHARS = 3  # a trigram index finds words of three characters or more


class ToRead(NamedTuple):
    """A photo whose text is to be read, as the catalog knows its file."""

    photo_id: int
    folder_id: int
    folder: Path  # its library folder
    path: Path
    size: int
    mtime_ns: int


class Read(NamedTuple):
    """What was read in a photo's file, as it was (size and mtime) when it was chosen."""

    photo_id: int
    size: int
    mtime_ns: int
    text: str


def _to_read(engine: str, skip_folders: Sequence[int]) -> Any:
    """Indexed photos in online folders that have no text, or text of another engine."""
    return (
        photos.join(folders).outerjoin(photo_text, photo_text.c.photo_id == photos.c.id),
        sa.and_(
            photos.c.state == schema.INDEXED,
            folders.c.online == sa.true(),
            folders.c.id.not_in(list(skip_folders)),
            sa.or_(photo_text.c.photo_id.is_(None), photo_text.c.engine != engine),
        ),
    )


def photos_to_read(
    conn: sa.Connection, engine: str, limit: int, skip_folders: Sequence[int] = ()
) -> list[ToRead]:
    """Up to ``limit`` photos to read: those never read first, then those another engine read;
    each newest first (by date taken, then the most recently added). ``skip_folders`` leaves
    out folders found gone during a run."""
    source, where = _to_read(engine, skip_folders)
    rows = conn.execute(
        sa.select(photos.c.id, folders.c.id, folders.c.path, photos.c.rel_path, photos.c.size,
                  photos.c.mtime_ns)
        .select_from(source).where(where)
        .order_by(photo_text.c.photo_id.is_not(None), photos.c.taken_at.desc().nulls_last(),
                  photos.c.id.desc())
        .limit(limit)
    )
    return [
        ToRead(int(r[0]), int(r[1]), Path(r[2]), Path(r[2]) / rel_from_db(r[3]), int(r[4]),
               int(r[5]))
        for r in rows
    ]


def count_to_read(conn: sa.Connection, engine: str) -> int:
    source, where = _to_read(engine, ())
    return int(conn.execute(sa.select(sa.func.count()).select_from(source).where(where))
               .scalar_one())


def store_text(conn: sa.Connection, read: Sequence[Read], engine: str) -> int:
    """Store what was read; returns how many rows were written. A photo whose file changed
    since it was chosen (its size or mtime differ now) or that is gone is left alone: its new
    file is read at the next run."""
    now = time.time()
    written = 0
    for item in read:
        unchanged = sa.exists().where(
            photos.c.id == item.photo_id, photos.c.size == item.size,
            photos.c.mtime_ns == item.mtime_ns,
        )
        values = sa.select(
            sa.literal(item.photo_id), sa.literal(item.text), sa.literal(engine),
            sa.literal(now),
        ).where(unchanged)
        insert = sqlite_insert(photo_text).from_select(
            ["photo_id", "text", "engine", "read_at"], values
        )
        result = conn.execute(insert.on_conflict_do_update(
            index_elements=[photo_text.c.photo_id],
            set_={"text": insert.excluded.text, "engine": insert.excluded.engine,
                  "read_at": insert.excluded.read_at},
        ))
        written += max(0, result.rowcount)
    return written


def text_of(conn: sa.Connection, photo_id: int) -> str | None:
    """The text read in a photo ("" for none), None when it has not been read."""
    return conn.execute(
        sa.select(photo_text.c.text).where(photo_text.c.photo_id == photo_id)
    ).scalar()


def _like(word: str) -> str:
    """A LIKE pattern for ``word`` anywhere; its own % and _ match only themselves."""
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def photos_with_text(conn: sa.Connection, words: Sequence[str], limit: int) -> list[int]:
    """Ids of up to ``limit`` photos whose text contains every one of ``words`` (case
    ignored; a word may hold spaces: "TOTAL 42.50" is found as it is), newest first (by id).

    Words of three characters or more go through the trigram index, each quoted (the text
    itself, not FTS syntax); shorter ones ("TV", "北京") and a SQLite without the index scan the
    stored text with LIKE, among the photos the index found when it found any. A photo without
    text ("") never matches: it has no trigrams, and LIKE finds nothing in it.
    """
    words = [w for w in dict.fromkeys(w.strip() for w in words) if w]
    if not words:
        return []
    indexed = schema.has_text_index(conn)
    long = [w for w in words if len(w) >= TRIGRAM_MIN_CHARS] if indexed else []
    short = [w for w in words if w not in long]
    if long:
        # The index alone answers long words: its rowids are the photos' ids, read newest
        # first and only as far as ``limit`` (the stored text is not touched).
        phrase = " ".join('"' + w.replace('"', '""') + '"' for w in long)  # all must appear
        found = sa.table(schema.TEXT_INDEX, sa.column("rowid"))
        query: sa.Select[Any] = sa.select(found.c.rowid).where(
            sa.text(f"{schema.TEXT_INDEX} MATCH :phrase").bindparams(phrase=phrase)
        ).order_by(found.c.rowid.desc())
        if short:
            query = query.join(photo_text, photo_text.c.photo_id == found.c.rowid)
    else:
        query = sa.select(photo_text.c.photo_id).order_by(photo_text.c.photo_id.desc())
    for word in short:
        query = query.where(photo_text.c.text.like(_like(word), escape="\\"))
    return [int(pid) for pid in conn.execute(query.limit(limit)).scalars()]
