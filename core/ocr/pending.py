"""Read the text in every indexed photo that has none stored yet: the resumable "text" job.

Runs after embedding (``photoseek index``, the indexing service), below it in priority. Work goes
in batches: the photos to read are chosen in a read transaction, read with no transaction open,
and what was read is written in one short write transaction. A batch ends after ``BATCH``
photos or ``BATCH_SECONDS`` of reading, whichever comes first, so that a cancel, Ctrl+C or a
kill loses seconds of work at most; ``cancel`` is checked between photos.

The state is the catalog's own: a photo with a ``photo_text`` row was read (its text "" when it
shows none, or when its file could not be decoded: it is not tried again until it changes, and
the schema's trigger removes the row when it does). Newest photos first, so a large library
becomes searchable by text where people look first.

The engine: each row names the reader that wrote it (``core.ocr.reader.engine_name``: its models
and its revision). Rows of another engine are read again, after every photo never read: a new
engine is taken as a better one, and the library catches up in the background, at the cost of a
first reading. A run that is given no reader makes its own and frees it at the end (its
sessions hold hundreds of MB).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from core.catalog.database import Catalog
from core.catalog.text import Read, ToRead, count_to_read, photos_to_read, store_text
from core.errors import ImageLoadError
from core.ocr.reader import OcrUnavailableError, TextReader, engine_name

log = logging.getLogger(__name__)

BATCH = 32
BATCH_SECONDS = 5.0


def read_pending(
    catalog: Catalog,
    cancel: threading.Event | None = None,
    progress: Callable[[int, int], None] | None = None,
    reader: TextReader | None = None,
    batch: int = BATCH,
    batch_seconds: float = BATCH_SECONDS,
) -> int:
    """Read every indexed photo in an online folder that has no text of this engine; returns
    how many were read (those without text and those that could not be decoded included).
    ``progress`` gets (done, total) after each batch. OcrUnavailableError when rapidocr or its
    models are missing."""
    engine = reader.name if reader is not None else engine_name()
    with catalog.read() as conn:
        total = count_to_read(conn, engine)
    if total == 0:
        return 0  # nothing to read: rapidocr is not even imported
    own = reader is None
    active = reader if reader is not None else TextReader()
    done = 0
    gone: set[int] = set()  # folders found unplugged during this run
    tried: set[int] = set()  # never twice in a run (a file that changed while being read)
    try:
        while not _set(cancel):
            with catalog.read() as conn:
                chosen = photos_to_read(conn, engine, batch, sorted(gone))
            chosen = [photo for photo in chosen if photo.photo_id not in tried]
            if not chosen:
                break
            read = _read_batch(active, chosen, cancel, batch_seconds, tried, gone)
            if read:
                with catalog.write() as conn:
                    store_text(conn, read, engine)
                done += len(read)
            if progress is not None:
                progress(done, max(total, done))
    finally:
        if own:
            active.close()
    return done


def _set(event: threading.Event | None) -> bool:
    return event is not None and event.is_set()


def _read_batch(
    reader: TextReader,
    chosen: list[ToRead],
    cancel: threading.Event | None,
    seconds: float,
    tried: set[int],
    gone: set[int],
) -> list[Read]:
    """Read photos in order until they are all read, ``seconds`` have passed (one photo at
    least) or ``cancel`` is set."""
    started = time.monotonic()
    read: list[Read] = []
    for photo in chosen:
        if _set(cancel):
            break
        if photo.folder_id in gone:
            continue
        tried.add(photo.photo_id)
        text = _read_one(reader, photo)
        if text is None:  # its library folder is gone: the folder's photos wait for it
            gone.add(photo.folder_id)
        else:
            read.append(Read(photo.photo_id, photo.size, photo.mtime_ns, text))
        if time.monotonic() - started >= seconds:
            break
    return read


def _read_one(reader: TextReader, photo: ToRead) -> str | None:
    """The photo's text; "" when it cannot be read; None when its whole folder is gone (a
    drive unplugged during the run: those photos are not marked read)."""
    try:
        return reader.read(photo.path).text
    except ImageLoadError as exc:
        if not photo.folder.is_dir():
            return None
        log.info("text not read in %s: %s", photo.path, exc.reason)
        return ""
    except OcrUnavailableError:
        raise
    except Exception:  # a fault of the reader on this one image: the others go on
        log.exception("text not read in %s: the reader failed", photo.path)
        return ""
