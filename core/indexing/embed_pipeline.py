"""Embedding pending photos: decode ahead on a thread pool, infer in batches, commit per batch.

Decoding (Pillow releases the GIL) overlaps inference, so the model never waits for a JPEG.
Every batch is committed in one transaction, then handed to the vector index; a cancelled or
killed run therefore resumes exactly after the last committed batch.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from core.catalog import queries
from core.catalog.database import Catalog
from core.catalog.queries import EmbedWork
from core.errors import ImageLoadError
from core.imaging.formats import is_video
from core.imaging.loading import PhotoMetadata, load_photo
from core.imaging.reasons import REASON_TIMEOUT
from core.indexing import video_frames
from core.indexing.decode_pool import DecodePool, Job
from core.records import IndexProgress
from core.vectors import codec as vector_codec
from core.vectors.index import VectorIndex

if TYPE_CHECKING:
    from core.models.embedder import Embedder

log = logging.getLogger(__name__)

DECODE_TIMEOUT_S = 60.0  # a decode running longer than this is recorded as failed


@dataclass
class EmbedCounts:
    embedded: int = 0
    failed: int = 0
    cancelled: bool = False
    busy: int = 0  # photos that changed while being read: left pending for the next scan


@dataclass
class _Decoded:
    work: EmbedWork
    tensor: np.ndarray | None = None  # the model's pixels (CHW float32)
    meta: PhotoMetadata | None = None
    reason: str | None = None  # set when the photo failed
    changed: bool = False  # the file changed under us: leave it for the next reconcile
    video: video_frames.DecodedVideo | None = None  # a video's frames (instead of ``tensor``)


def _meta_columns(meta: PhotoMetadata) -> dict:
    return {
        "width": meta.width, "height": meta.height, "orientation": meta.orientation,
        "taken_at": meta.taken_at.isoformat(sep=" ") if meta.taken_at else None,
        "camera_make": meta.camera_make, "camera_model": meta.camera_model,
        "gps_lat": meta.gps_lat, "gps_lon": meta.gps_lon,
    }


def _same_file(work: EmbedWork) -> bool:
    try:
        st = os.stat(work.path)
    except OSError:
        return False
    return st.st_size == work.size and st.st_mtime_ns == work.mtime_ns


def _decode(embedder: Embedder, work: EmbedWork) -> _Decoded:
    if not _same_file(work) and work.path.exists():
        return _Decoded(work, changed=True)
    video = None
    try:
        if is_video(work.path):  # video: several frames (core.indexing.video_frames)
            video = video_frames.decode_video(work.path, embedder)
            tensor, meta = None, video.meta
        else:
            image, meta = load_photo(work.path, embedder.image_size)
            tensor = embedder.preprocess(image)
    except ImageLoadError as exc:
        return _Decoded(work, reason=exc.reason)
    except Exception as exc:  # a bug or an exotic plugin error must not stop the run
        log.exception("unexpected error decoding %s", work.path)
        return _Decoded(work, reason=f"could not be read ({type(exc).__name__})")
    if not _same_file(work):  # rewritten while we decoded: the pixels may be half old, half new
        return _Decoded(work, changed=True)
    return _Decoded(work, tensor, meta, video=video)


def default_decode_workers(device: str) -> int:
    """On a CPU the model needs the cores too; on a GPU decoding is the bottleneck."""
    cores = os.cpu_count() or 2
    return max(1, min(4, cores)) if device == "cpu" else max(2, min(16, cores - 1))


class RateMeter:
    """Photos per second over a sliding window, for progress and time-left estimates."""

    def __init__(self, window_s: float = 20.0) -> None:
        self._window = window_s
        self._marks: deque[tuple[float, int]] = deque()

    def add(self, done: int) -> float:
        now = time.monotonic()
        self._marks.append((now, done))
        while len(self._marks) > 2 and now - self._marks[0][0] > self._window:
            self._marks.popleft()
        (t0, d0), (t1, d1) = self._marks[0], self._marks[-1]
        return (d1 - d0) / (t1 - t0) if t1 > t0 else 0.0


def embed_pending(
    catalog: Catalog,
    index: VectorIndex,
    embedder: Embedder,
    model_id: int,
    progress: Callable[[IndexProgress], None] | None = None,
    cancel: threading.Event | None = None,
    batch_size: int = 32,
    decode_workers: int | None = None,
    pause: threading.Event | None = None,
    folder_ids: list[int] | None = None,
) -> EmbedCounts:
    """Embed every photo that has no vector for this model yet (only in ``folder_ids`` if given)."""
    counts = EmbedCounts()
    with catalog.read() as conn:
        total = queries.count_to_embed(conn, model_id, folder_ids)
    meter = RateMeter()
    meter.add(0)
    below: int | None = None  # rows are paged newest first: each window starts below the last

    def report(phase: str) -> None:
        if progress is None:
            return
        done = counts.embedded + counts.failed
        rate = meter.add(done)
        left = (total - done) / rate if rate > 0 else None
        progress(IndexProgress(phase, done, total, counts.failed, rate, left))

    report("embedding")
    workers = decode_workers or default_decode_workers(embedder.device)
    with DecodePool(workers) as pool:
        while True:
            if cancel is not None and cancel.is_set():
                counts.cancelled = True
                break
            if pause is not None:
                while pause.is_set() and not (cancel is not None and cancel.is_set()):
                    time.sleep(0.1)
            with catalog.read() as conn:
                work = queries.photos_to_embed(
                    conn, model_id, batch_size * 8, folder_ids, below_id=below
                )
            if not work:
                break
            below = min(w.photo_id for w in work)
            if not _embed_rows(pool, work, catalog, index, embedder, model_id, counts, cancel,
                               batch_size, lambda: report("embedding")):
                counts.cancelled = True
                break
    report("done")
    return counts


def _embed_rows(
    pool: DecodePool,
    work: list[EmbedWork],
    catalog: Catalog,
    index: VectorIndex,
    embedder: Embedder,
    model_id: int,
    counts: EmbedCounts,
    cancel: threading.Event | None,
    batch_size: int,
    on_batch: Callable[[], None],
) -> bool:
    """Decode and embed one window of rows; False when cancelled part way."""
    pending: deque[tuple[EmbedWork, Job[_Decoded]]] = deque()
    rows = iter(work)
    lookahead = 2 * batch_size

    def refill() -> None:
        while len(pending) < lookahead:
            nxt = next(rows, None)
            if nxt is None:
                return
            pending.append((nxt, pool.submit(_decode, embedder, nxt)))

    refill()
    while pending:
        batch: list[_Decoded] = []
        # video: a video brings one model input per frame (core.indexing.video_frames)
        while pending and sum(video_frames.input_count(d.video) for d in batch) < batch_size:
            item, job = pending.popleft()
            try:
                batch.append(job.result(DECODE_TIMEOUT_S))
            except FutureTimeout:
                log.warning("%s: decoding took over %.0f s; skipped", item.path, DECODE_TIMEOUT_S)
                batch.append(_Decoded(item, reason=REASON_TIMEOUT))
                pool.replace_stuck_worker()
            refill()
        _commit_batch(batch, catalog, index, embedder, model_id, counts)
        on_batch()
        if cancel is not None and cancel.is_set():
            for _item, job in pending:
                job.cancel()
            return False
    return True


def _commit_batch(
    batch: list[_Decoded],
    catalog: Catalog,
    index: VectorIndex,
    embedder: Embedder,
    model_id: int,
    counts: EmbedCounts,
) -> None:
    # video: a video's item is its DecodedVideo, whose frames all go through the model
    good = [(d, d.video or d.tensor, d.meta) for d in batch
            if (d.tensor is not None or d.video is not None) and d.meta is not None]
    failed = [(d.work.photo_id, d.reason) for d in batch if d.reason is not None]
    counts.busy += sum(1 for d in batch if d.changed)
    items = [item for _d, item, _m in good]
    inputs, input_counts = video_frames.model_inputs(items)
    vectors = (
        embedder.embed_images(np.stack(inputs))  # preprocess gives numpy pixels (or tensors)
        if good
        else np.empty((0, embedder.dim), np.float32)
    )
    # video: a video's vector is the mean of its frames'; the frames are kept beside it
    vectors, frames = video_frames.per_item(vectors, items, input_counts)
    rows = [
        (d.work, _meta_columns(meta), vector_codec.encode(v))
        for (d, _tensor, meta), v in zip(good, vectors, strict=True)
    ]
    with catalog.write() as conn:
        labels = queries.save_embedded(conn, model_id, rows)
        video_frames.save_frames(conn, labels, items, frames)  # video
        queries.mark_failed(conn, failed)
    stored = [(n, label) for n, label in enumerate(labels) if label is not None]
    index.add(*video_frames.index_entries(stored, vectors, frames))  # video: frames, not means
    counts.embedded += len(stored)
    counts.busy += len(labels) - len(stored)  # changed between decoding and this commit
    counts.failed += len(failed)
