"""Moving photos to the system trash, and the library forgetting them at once.

Only the files asked for move, each with send2trash (recoverable from the trash; nothing is
ever deleted here), and only while each is still the file the catalog describes: a photo
replaced or edited since it was indexed is left alone, since it may no longer be what the
person reviewed. Whatever cannot move (gone, a read-only folder, a drive without a trash) is
reported with its reason and the others go on. The photos that moved then leave the catalog
(their rows, vectors, hashes, tags and text) and the loaded index, in one transaction.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Sequence

from core.catalog import queries
from core.catalog.database import Catalog
from core.catalog.duplicates import StoredPhoto, stored_photos
from core.records import Photo, TrashFailure, TrashReport
from core.vectors.index import VectorIndex

REASON_UNKNOWN = "not in the library (already removed?)"
REASON_GONE = "the file is no longer there"
REASON_CHANGED = "the file changed since it was indexed: index again, then review it"
REASON_READ_ONLY = "the file or its folder is read-only, so it cannot be moved to the trash"
REASON_NO_TRASH = "the drive it is on has no trash that can be used"


def trash_reason(exc: OSError) -> str:
    """Why a file could not be moved to the trash, in words a person reads."""
    from send2trash.exceptions import TrashPermissionError

    if isinstance(exc, TrashPermissionError):  # no trash folder on that drive, none creatable
        return REASON_NO_TRASH
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        return REASON_GONE
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return REASON_READ_ONLY
    if exc.errno is None:  # send2trash found no trash for the drive ("Couldn't find mount point")
        return REASON_NO_TRASH
    return f"it could not be moved to the trash: {exc.strerror or exc}"


def _changed(stored: StoredPhoto) -> str | None:
    """Why the file at the photo's path is not (or no longer) the one the catalog describes."""
    try:
        info = os.stat(stored.photo.path)
    except OSError as exc:
        return trash_reason(exc)
    if info.st_size != stored.photo.size or info.st_mtime_ns != stored.mtime_ns:
        return REASON_CHANGED
    return None


def trash_photos(
    catalog: Catalog, index: VectorIndex | None, photo_ids: Sequence[int]
) -> TrashReport:
    """Move these photos' files to the system trash and forget them; see the module text."""
    from send2trash import send2trash  # not needed to open a library

    wanted = list(dict.fromkeys(int(pid) for pid in photo_ids))
    with catalog.read() as conn:
        known = stored_photos(conn, wanted)
    trashed: list[Photo] = []
    failed: list[TrashFailure] = []
    for photo_id in wanted:
        stored = known.get(photo_id)
        if stored is None:
            failed.append(TrashFailure(photo_id, None, REASON_UNKNOWN))
            continue
        photo = stored.photo
        reason = _changed(stored)
        if reason is None:
            try:
                send2trash(photo.path)
            except OSError as exc:
                reason = trash_reason(exc)
        if reason is None:
            trashed.append(photo)
        else:
            failed.append(TrashFailure(photo_id, photo.path, reason))
    if trashed:
        with catalog.write() as conn:
            labels = queries.delete_photos(conn, [photo.id for photo in trashed])
        if index is not None:
            index.remove(labels)
    return TrashReport(tuple(trashed), tuple(failed))
