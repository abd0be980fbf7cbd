"""Thumbnails: decoded on the "thumbs" pool, kept in a bounded LRU of pixmaps and on disk.

The disk cache lives in ``DataPaths.thumbnails_dir`` (never beside the photos), one JPEG per
(path, size bucket, mtime, file size), so an edited photo gets a new thumbnail. It is bounded:
a worker deletes the least recently written files beyond ``DISK_CACHE_BYTES`` soon after start
and again every ``PRUNE_EVERY`` thumbnails made. Requests are
served newest first and the queue is bounded: when the user scrolls fast, thumbnails for rows
that flew past are dropped instead of delaying the ones now on screen.

A video's thumbnail is one of its frames: the moment a search matched (a search hit's
``moment``), or the middle of the video; each moment is a thumbnail of its own.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections import OrderedDict
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QImage, QPixmap

from desktop_app.tasks import TaskRunner

if TYPE_CHECKING:
    from PIL import Image

log = logging.getLogger(__name__)

BUCKET = 64  # pixel sizes are rounded up to this step so nearby sizes share cache files
MAX_SIDE = 1024
IN_FLIGHT = 4  # jobs handed to the pool at once (2 threads, a little read-ahead)
MAX_QUEUED = 300  # more than a screenful of a large grid; older requests are dropped
FLUSH_MS = 30  # finished thumbnails reach the view in batches, not one signal each
DISK_CACHE_BYTES = 1024 * 1024 * 1024  # 1 GiB: ~100,000 thumbnails at the default size
PRUNE_DELAY_MS = 10_000  # after start, when the window has settled
PRUNE_EVERY = 2000  # thumbnails arrived between two prunes


def size_bucket(pixels: int) -> int:
    return max(BUCKET, min(MAX_SIDE, -(-pixels // BUCKET) * BUCKET))


# (path, size bucket), and for a video's frame the moment in milliseconds too.
ThumbKey = tuple[Path, int] | tuple[Path, int, int]


def thumb_key(path: Path, pixels: int, moment: float | None = None) -> ThumbKey:
    side = size_bucket(pixels)
    return (path, side) if moment is None else (path, side, round(moment * 1000))


def disk_cache_path(cache_dir: Path, path: Path, side: int, moment: float | None = None) -> Path:
    """Where the thumbnail of this version of the file is cached (raises OSError if gone)."""
    st = path.stat()
    at = "" if moment is None else f"\0{round(moment * 1000)}"  # a video's frame
    key = hashlib.sha1(
        f"{path}\0{side}\0{st.st_mtime_ns}\0{st.st_size}{at}".encode("utf-8", "surrogateescape")
    ).hexdigest()
    return cache_dir / key[:2] / f"{key}.jpg"


def make_picture(path: Path, side: int, moment: float | None = None) -> Image.Image:
    """Worker-side: a photo's picture, or a video's frame at ``moment`` (its middle without
    one), as a PIL image whose longest side is ``side`` at most."""
    from core.imaging.formats import is_video

    if is_video(path):
        from core.imaging.video import video_thumbnail

        return video_thumbnail(path, side, moment)
    from core.imaging.loading import make_thumbnail

    return make_thumbnail(path, side)


def load_thumbnail_image(
    path: Path, side: int, cache_dir: Path, moment: float | None = None
) -> QImage:
    """Worker-side: the thumbnail as a QImage (QPixmap may only be made on the GUI thread)."""
    cached = disk_cache_path(cache_dir, path, side, moment)
    if cached.is_file():
        image = QImage(str(cached))
        if not image.isNull():
            return image
    picture = make_picture(path, side, moment)
    tmp = cached.with_name(f"{cached.stem}.{threading.get_ident()}.tmp")
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        picture.save(tmp, "JPEG", quality=85)
        os.replace(tmp, cached)  # atomic: a reader never sees half a file
    except OSError as exc:  # a full disk costs speed next time, nothing more
        log.info("thumbnail cache write failed: %s", exc)
        tmp.unlink(missing_ok=True)  # no half-written file left to fill the disk further
    return pil_to_qimage(picture)


def prune_disk_cache(cache_dir: Path, max_bytes: int = DISK_CACHE_BYTES) -> int:
    """Delete the oldest cached thumbnails until the rest fit in ``max_bytes`` (a disk walk:
    worker side only). Returns how many files were deleted."""
    entries: list[tuple[float, int, Path]] = []
    try:
        for sub in os.scandir(cache_dir):
            if not sub.is_dir(follow_symlinks=False):
                continue
            for entry in os.scandir(sub.path):
                try:
                    st = entry.stat(follow_symlinks=False)
                except OSError:
                    continue
                entries.append((st.st_mtime, st.st_size, Path(entry.path)))
    except OSError:  # no cache yet, or unreadable: nothing to do
        return 0
    total = sum(size for _t, size, _p in entries)
    removed = 0
    for _mtime, size, path in sorted(entries):
        if total <= max_bytes:
            break
        try:
            path.unlink()
        except OSError:
            continue
        total -= size
        removed += 1
    return removed


def _load_for_task(key: ThumbKey, cache_dir: Path, _cancel: object) -> QImage:
    moment = key[2] / 1000 if len(key) > 2 else None
    return load_thumbnail_image(key[0], key[1], cache_dir, moment)


def pil_to_qimage(picture: object) -> QImage:
    from PIL import Image

    assert isinstance(picture, Image.Image)
    rgb = picture if picture.mode == "RGB" else picture.convert("RGB")
    data = rgb.tobytes()
    image = QImage(data, rgb.width, rgb.height, 3 * rgb.width, QImage.Format.Format_RGB888)
    return image.copy()  # own the pixels: ``data`` is freed when this function returns


class PixmapCache:
    """An LRU of pixmaps bounded by their size in bytes."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[ThumbKey, QPixmap] = OrderedDict()
        self._bytes = 0

    def get(self, key: ThumbKey) -> QPixmap | None:
        pixmap = self._items.get(key)
        if pixmap is not None:
            self._items.move_to_end(key)
        return pixmap

    def put(self, key: ThumbKey, pixmap: QPixmap) -> None:
        old = self._items.pop(key, None)
        if old is not None:
            self._bytes -= _cost(old)
        self._items[key] = pixmap
        self._bytes += _cost(pixmap)
        while self._bytes > self.max_bytes and len(self._items) > 1:
            _, dropped = self._items.popitem(last=False)
            self._bytes -= _cost(dropped)

    def __len__(self) -> int:
        return len(self._items)

    @property
    def bytes(self) -> int:
        return self._bytes


def _cost(pixmap: QPixmap) -> int:
    return pixmap.width() * pixmap.height() * 4


class ThumbnailLoader(QObject):
    """``get`` answers at once from memory, or returns None and emits ``ready`` later."""

    ready = Signal(list)  # list[Path] whose thumbnails just arrived

    def __init__(
        self, tasks: TaskRunner, cache_dir: Path, max_bytes: int = 256 * 1024 * 1024
    ) -> None:
        super().__init__()
        self._tasks = tasks
        self._cache_dir = cache_dir
        self.memory = PixmapCache(max_bytes)
        self._queued: OrderedDict[ThumbKey, None] = OrderedDict()
        self._in_flight: set[ThumbKey] = set()
        self._failed: dict[ThumbKey, str] = {}  # why each could not be made
        self._arrived: list[Path] = []
        self._flush = QTimer(self)
        self._flush.setSingleShot(True)
        self._flush.setInterval(FLUSH_MS)
        self._flush.timeout.connect(self._emit_ready)
        self.disk_max_bytes = DISK_CACHE_BYTES
        self._since_prune = 0
        QTimer.singleShot(PRUNE_DELAY_MS, self, self.prune_disk)

    def prune_disk(self) -> None:
        """Bound the disk cache, on the thumbs pool (it lists every cached file)."""
        self._since_prune = 0
        cache, limit = self._cache_dir, self.disk_max_bytes
        self._tasks.run("thumbs", lambda _c: prune_disk_cache(cache, limit), key="prune-thumbs")

    def get(self, path: Path, pixels: int, moment: float | None = None) -> QPixmap | None:
        """``moment``: a video's frame at that many seconds (see make_picture)."""
        key = thumb_key(path, pixels, moment)
        pixmap = self.memory.get(key)
        if pixmap is not None or key in self._failed or key in self._in_flight:
            return pixmap
        self._queued.pop(key, None)
        self._queued[key] = None  # newest last: served first
        while len(self._queued) > MAX_QUEUED:
            self._queued.popitem(last=False)
        self._pump()
        return None

    def failed(self, path: Path, pixels: int, moment: float | None = None) -> str | None:
        """Why this photo has no thumbnail (a sentence for a person), or None."""
        return self._failed.get(thumb_key(path, pixels, moment))

    def forget_queue(self) -> None:
        """Drop requests not started yet (the rows they were for are gone)."""
        self._queued.clear()

    def _pump(self) -> None:
        while self._queued and len(self._in_flight) < IN_FLIGHT:
            key, _ = self._queued.popitem(last=True)
            self._in_flight.add(key)
            self._tasks.run(
                "thumbs", partial(_load_for_task, key, self._cache_dir),
                on_result=partial(self._arrive, key), on_error=partial(self._fail, key),
            )

    def _arrive(self, key: ThumbKey, image: QImage) -> None:
        self._in_flight.discard(key)
        self._since_prune += 1
        if self._since_prune >= PRUNE_EVERY:
            self.prune_disk()
        self.memory.put(key, QPixmap.fromImage(image))
        self._arrived.append(key[0])
        if not self._flush.isActive():
            self._flush.start()
        self._pump()

    def _fail(self, key: ThumbKey, exc: BaseException) -> None:
        self._in_flight.discard(key)
        reason = str(getattr(exc, "reason", exc))
        self._failed[key] = reason
        log.info("no thumbnail for %s: %s", key[0], reason)
        self._arrived.append(key[0])
        if not self._flush.isActive():
            self._flush.start()
        self._pump()

    def _emit_ready(self) -> None:
        arrived, self._arrived = self._arrived, []
        if arrived:
            self.ready.emit(arrived)
