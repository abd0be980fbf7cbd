"""The SQL behind videos' frames (schema ``video_frames``): writing them with their video's
vector, and reading them for the search index and for the moments results show.

A frame is named here by (embedding id, frame number); ``core.vectors.labels`` turns that pair
into the frame's label in the index. Callers own the transaction.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import sqlalchemy as sa

from core.catalog.queries import _chunks
from core.catalog.schema import embeddings, video_frames

FrameKey = tuple[int, int]  # (embedding id of the video, frame number)


def save_frames(
    conn: sa.Connection, embedding_id: int, frames: Sequence[tuple[int, int, bytes]]
) -> None:
    """Store a video's frames: (frame number, milliseconds from its start, vector blob)."""
    conn.execute(video_frames.delete().where(video_frames.c.embedding_id == embedding_id))
    if frames:
        conn.execute(
            video_frames.insert(),
            [{"embedding_id": embedding_id, "n": n, "at_ms": at_ms, "vector": blob}
             for n, at_ms, blob in frames],
        )


def has_frames() -> sa.Exists:
    """``EXISTS`` (correlated on ``embeddings.id``): the embedding row is a video's."""
    return sa.exists().where(video_frames.c.embedding_id == embeddings.c.id)


def photo_embedding_ids(conn: sa.Connection, model_id: int) -> list[int]:
    """This model's embedding ids that are not videos' (a photo's vector is searched itself)."""
    query = sa.select(embeddings.c.id).where(embeddings.c.model_id == model_id, ~has_frames())
    return [int(i) for i in conn.execute(query).scalars()]


def frame_keys(conn: sa.Connection, model_id: int) -> list[FrameKey]:
    """Every frame of this model's videos."""
    rows = conn.execute(
        sa.select(video_frames.c.embedding_id, video_frames.c.n)
        .select_from(video_frames.join(embeddings))
        .where(embeddings.c.model_id == model_id)
    )
    return [(int(e), int(n)) for e, n in rows]


def frame_blobs(conn: sa.Connection, keys: Sequence[FrameKey]) -> Iterator[tuple[FrameKey, bytes]]:
    """The stored vectors of these frames (those that exist)."""
    wanted = set(keys)
    for chunk in _chunks(sorted({owner for owner, _n in wanted})):
        rows = conn.execute(
            sa.select(video_frames.c.embedding_id, video_frames.c.n, video_frames.c.vector)
            .where(video_frames.c.embedding_id.in_(chunk))
        )
        for owner, n, blob in rows:
            if (owner, n) in wanted:
                yield (int(owner), int(n)), blob


def frame_moments(conn: sa.Connection, keys: Sequence[FrameKey]) -> dict[FrameKey, float]:
    """Seconds from its video's start of each of these frames (those that exist)."""
    wanted = set(keys)
    found: dict[FrameKey, float] = {}
    for chunk in _chunks(sorted({owner for owner, _n in wanted})):
        rows = conn.execute(
            sa.select(video_frames.c.embedding_id, video_frames.c.n, video_frames.c.at_ms)
            .where(video_frames.c.embedding_id.in_(chunk))
        )
        for owner, n, at_ms in rows:
            if (owner, n) in wanted:
                found[(int(owner), int(n))] = at_ms / 1000
    return found


def frames_of_photo(conn: sa.Connection, photo_id: int, model_id: int) -> list[tuple[int, float]]:
    """(frame number, seconds) of a video's frames for this model, in time order; [] for a
    photo."""
    rows = conn.execute(
        sa.select(video_frames.c.n, video_frames.c.at_ms)
        .select_from(video_frames.join(embeddings))
        .where(embeddings.c.photo_id == photo_id, embeddings.c.model_id == model_id)
        .order_by(video_frames.c.at_ms)
    )
    return [(int(n), at_ms / 1000) for n, at_ms in rows]
