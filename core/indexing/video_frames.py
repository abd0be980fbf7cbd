"""Videos in the embedding pipeline: several frames per file, one model call, stored together.

A video is decoded into a few frames (``core.imaging.video``), each preprocessed for the
model like a photo. In a batch, a photo brings one input and a video one per frame; all go
through the model in one call. Afterwards a video's row in ``embeddings`` gets the normalised
mean of its frames' vectors (what tags, duplicates and "similar to this video" read) and each
frame's vector is stored beside it, in the same transaction (``core.catalog.frames``). The
search index receives the frames, under labels that name their video
(``core.vectors.labels``), and not the mean: a video matches when any frame does.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import sqlalchemy as sa

from core.catalog import frames as frame_rows
from core.catalog import lookups
from core.imaging.loading import PhotoMetadata
from core.imaging.video import read_video
from core.vectors import codec as vector_codec
from core.vectors import labels as vector_labels

if TYPE_CHECKING:
    from core.models.embedder import Embedder


@dataclass
class DecodedVideo:
    """A video ready for the model: its frames' moments and preprocessed pixels."""

    times: list[float]  # seconds from the start, one per input
    inputs: list[Any]  # what Embedder.preprocess returned for each frame
    meta: PhotoMetadata


def decode_video(path: Path, embedder: Embedder) -> DecodedVideo:
    """Read a few frames of ``path`` and preprocess them (ImageLoadError with a reason)."""
    read = read_video(path, embedder.image_size)
    return DecodedVideo(
        [frame.at for frame in read.frames],
        [embedder.preprocess(frame.image) for frame in read.frames],
        read.meta,
    )


def input_count(item: Any) -> int:
    """How many model inputs an item of a batch brings: a video's frames, else one."""
    return len(item.inputs) if isinstance(item, DecodedVideo) else 1


def model_inputs(items: Sequence[Any]) -> tuple[list[Any], list[int]]:
    """The model's inputs in order (a photo's preprocessed pixels, or a video's frames) and
    how many each item brought."""
    inputs: list[Any] = []
    counts: list[int] = []
    for item in items:
        if isinstance(item, DecodedVideo):
            inputs.extend(item.inputs)
            counts.append(len(item.inputs))
        else:
            inputs.append(item)
            counts.append(1)
    return inputs, counts


def per_item(
    vectors: np.ndarray, items: Sequence[Any], counts: Sequence[int]
) -> tuple[np.ndarray, list[np.ndarray | None]]:
    """Each item's vector (a video's: the normalised mean of its frames' vectors) and each
    video's frame vectors (None for a photo)."""
    rows: list[np.ndarray] = []
    frames: list[np.ndarray | None] = []
    start = 0
    for item, count in zip(items, counts, strict=True):
        own = vectors[start : start + count]
        start += count
        if isinstance(item, DecodedVideo):
            mean = own.mean(axis=0)
            rows.append(mean / (np.linalg.norm(mean) or 1.0))
            frames.append(own)
        else:
            rows.append(own[0])
            frames.append(None)
    dim = vectors.shape[1] if vectors.ndim == 2 else 0
    stacked = np.stack(rows).astype(np.float32) if rows else np.empty((0, dim), np.float32)
    return stacked, frames


def save_frames(
    conn: sa.Connection,
    labels: Sequence[int | None],
    items: Sequence[Any],
    frames: Sequence[np.ndarray | None],
) -> None:
    """Store each stored video's frames with its new embedding row (same transaction)."""
    for label, item, vectors in zip(labels, items, frames, strict=True):
        if label is None or vectors is None or not isinstance(item, DecodedVideo):
            continue
        frame_rows.save_frames(conn, label, [
            (n, round(at * 1000), vector_codec.encode(vector))
            for n, (at, vector) in enumerate(zip(item.times, vectors, strict=True))
        ])


def index_entries(
    stored: Sequence[tuple[int, int]], vectors: np.ndarray, frames: Sequence[np.ndarray | None]
) -> tuple[list[int], np.ndarray]:
    """What the search index receives for the stored items ((position, embedding id) pairs):
    a photo's vector under its embedding id, a video's frames under their frame labels."""
    labels: list[int] = []
    rows: list[np.ndarray] = []
    for position, label in stored:
        own = frames[position]
        if own is None:
            labels.append(label)
            rows.append(vectors[position])
            continue
        for n, vector in enumerate(own):
            labels.append(vector_labels.frame_label(label, n))
            rows.append(vector)
    dim = vectors.shape[1] if vectors.ndim == 2 else 0
    return labels, np.stack(rows) if rows else np.empty((0, dim), np.float32)


# --- the index from the catalog (core.library.index_sync) ---------------------------------


def catalog_labels(conn: sa.Connection, model_id: int) -> list[int]:
    """Every label the model's index should hold: photos' embedding ids, videos' frames."""
    found = frame_rows.photo_embedding_ids(conn, model_id)
    found += [vector_labels.frame_label(owner, n)
              for owner, n in frame_rows.frame_keys(conn, model_id)]
    return found


def catalog_blobs(
    conn: sa.Connection, model_id: int, labels: Sequence[int]
) -> Iterator[tuple[int, bytes]]:
    """The stored vectors of these labels, as the catalog stores them."""
    photos = [label for label in labels if not vector_labels.is_frame(label)]
    yield from lookups.embedding_blobs(conn, model_id, photos)
    keys = [vector_labels.split(label) for label in labels if vector_labels.is_frame(label)]
    for (owner, n), blob in frame_rows.frame_blobs(conn, keys):
        yield vector_labels.frame_label(owner, n), blob


def owners(labels: Sequence[int]) -> list[int]:
    """The embedding ids behind these labels (a frame's video's), each once."""
    return sorted({vector_labels.item_of(label) for label in labels})
