"""Tags in the catalog: the ``tags`` rows (built-in categories and a person's own phrases) and
``photo_tags``, the photos each applies to with their scores (see ``core.tagging``).

Callers own the transaction, as in ``core.catalog.queries``.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from typing import NamedTuple

import numpy as np
import sqlalchemy as sa

from core.catalog.schema import embeddings, meta, photo_tags, tags

# What the last tagging run saw (model, vocabulary, vectors, own tags): when nothing of it
# changed, the next run has nothing to do.
TAGS_STATE = "tags_state"


class TagRow(NamedTuple):
    name: str
    phrase: str | None  # the phrase typed, for a person's own tag
    custom: bool
    photos: int  # how many carry it


# -- reading ---------------------------------------------------------------------------------


def vector_state(conn: sa.Connection, model_id: int) -> tuple[int, int]:
    """(how many vectors this model has, the newest one's id): a vector added, replaced or
    removed changes one of them (ids are never reused)."""
    count, newest = conn.execute(
        sa.select(sa.func.count(), sa.func.coalesce(sa.func.max(embeddings.c.id), 0)).where(
            embeddings.c.model_id == model_id
        )
    ).one()
    return int(count), int(newest)


def stored_state(conn: sa.Connection) -> str | None:
    return conn.execute(sa.select(meta.c.value).where(meta.c.key == TAGS_STATE)).scalar()


def model_vectors(conn: sa.Connection, model_id: int) -> tuple[np.ndarray, list[bytes]]:
    """(photo ids, stored vectors) of every photo with a vector of this model."""
    rows = conn.exec_driver_sql(
        "SELECT photo_id, vector FROM embeddings WHERE model_id = ?", (model_id,)
    ).fetchall()
    ids = np.fromiter((r[0] for r in rows), np.int64, len(rows))
    return ids, [r[1] for r in rows]


def custom_tags(conn: sa.Connection) -> list[tuple[str, str]]:
    """(name, phrase) of a person's own tags, oldest first."""
    rows = conn.execute(
        sa.select(tags.c.name, tags.c.phrase).where(tags.c.custom).order_by(tags.c.id)
    )
    return [(name, phrase or name) for name, phrase in rows]


def find_tag(conn: sa.Connection, name: str) -> TagRow | None:
    row = conn.execute(
        sa.select(tags.c.id, tags.c.name, tags.c.phrase, tags.c.custom).where(tags.c.name == name)
    ).first()
    if row is None:
        return None
    count = conn.execute(
        sa.select(sa.func.count()).where(photo_tags.c.tag_id == row[0])
    ).scalar_one()
    return TagRow(row[1], row[2], bool(row[3]), int(count))


def tag_counts(conn: sa.Connection) -> list[TagRow]:
    """Every tag with the number of photos it applies to, most used first."""
    used = (
        sa.select(photo_tags.c.tag_id, sa.func.count().label("n"))
        .group_by(photo_tags.c.tag_id)
        .subquery()
    )
    count = sa.func.coalesce(used.c.n, 0)
    rows = conn.execute(
        sa.select(tags.c.name, tags.c.phrase, tags.c.custom, count)
        .select_from(tags.outerjoin(used, used.c.tag_id == tags.c.id))
        .order_by(count.desc(), tags.c.name)
    )
    return [TagRow(name, phrase, bool(custom), int(n)) for name, phrase, custom, n in rows]


def tags_of_photo(conn: sa.Connection, photo_id: int) -> list[tuple[str, float]]:
    """(tag name, score) of one photo, best first."""
    rows = conn.execute(
        sa.select(tags.c.name, photo_tags.c.score)
        .select_from(photo_tags.join(tags))
        .where(photo_tags.c.photo_id == photo_id)
        .order_by(photo_tags.c.score.desc())
    )
    return [(name, float(score)) for name, score in rows]


def photos_with_tags(conn: sa.Connection, names: Sequence[str]) -> np.ndarray:
    """Ids of the photos that carry every one of ``names`` (none when a name is unknown)."""
    wanted = sorted(set(names))
    if not wanted:
        return np.empty(0, np.int64)
    query = (
        sa.select(photo_tags.c.photo_id)
        .select_from(photo_tags.join(tags))
        .where(tags.c.name.in_(wanted))
        .group_by(photo_tags.c.photo_id)
        .having(sa.func.count(sa.distinct(photo_tags.c.tag_id)) == len(wanted))
    )
    return np.fromiter(conn.execute(query).scalars(), np.int64)


# -- writing ---------------------------------------------------------------------------------


def add_custom_tag(conn: sa.Connection, name: str, phrase: str) -> None:
    conn.execute(tags.insert().values(name=name, phrase=phrase, custom=True,
                                      created_at=time.time()))


def remove_tag(conn: sa.Connection, name: str) -> None:
    """Remove a tag and its photos' rows (the foreign key cascades)."""
    conn.execute(tags.delete().where(tags.c.name == name))


def tag_ids(conn: sa.Connection, built_in: Iterable[str]) -> dict[str, int]:
    """The id of every tag, the rows of the ``built_in`` names added where missing and those
    of built-in tags no longer in the vocabulary removed (with their photos' rows)."""
    wanted = set(built_in)
    known = {
        name: (int(tag_id), bool(custom))
        for tag_id, name, custom in conn.execute(sa.select(tags.c.id, tags.c.name, tags.c.custom))
    }
    gone = [name for name, (_id, custom) in known.items() if not custom and name not in wanted]
    if gone:
        conn.execute(tags.delete().where(tags.c.name.in_(gone)))
    new = sorted(wanted - set(known))
    if new:
        now = time.time()
        conn.execute(tags.insert(), [{"name": n, "phrase": None, "custom": False,
                                      "created_at": now} for n in new])
    return {
        name: int(tag_id)
        for tag_id, name in conn.execute(sa.select(tags.c.id, tags.c.name))
    }


def replace_photo_tags(
    conn: sa.Connection, rows: Iterable[tuple[int, int, float]], state: str
) -> int:
    """Every photo's tags at once: (photo id, tag id, score) rows, those of photos deleted since
    they were read left out; remembers ``state``. Returns how many rows were written."""
    existing = np.fromiter(conn.exec_driver_sql("SELECT id FROM photos").scalars(), np.int64)
    rows = list(rows)
    if rows:
        ids = np.fromiter((r[0] for r in rows), np.int64, len(rows))
        alive = np.isin(ids, existing)
        rows = [row for row, ok in zip(rows, alive.tolist(), strict=True) if ok]
    conn.exec_driver_sql("DELETE FROM photo_tags")
    if rows:
        # The driver's executemany: SQLAlchemy's per-row parameter handling costs seconds
        # for the few hundred thousand rows of a large library.
        conn.exec_driver_sql(
            "INSERT INTO photo_tags (photo_id, tag_id, score) VALUES (?, ?, ?)", rows
        )
    forget_state(conn)
    conn.execute(meta.insert().values(key=TAGS_STATE, value=state))
    return len(rows)


def forget_state(conn: sa.Connection) -> None:
    """The next tagging run does the whole work again (a tag was added or removed)."""
    conn.execute(meta.delete().where(meta.c.key == TAGS_STATE))

