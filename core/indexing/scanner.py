"""Walking library folders: which files are photos, and a cheap fingerprint of each.

The walk never follows directory symlinks (so a symlink loop cannot trap it), skips hidden and
system folders, and reports unreadable folders instead of stopping.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from core.imaging.loading import is_supported

log = logging.getLogger(__name__)

# Folders that hold caches, previews or system data rather than a person's photos.
SKIPPED_DIR_NAMES = frozenset(
    {
        "@eaDir", "#recycle", "#snapshot", "$RECYCLE.BIN", "System Volume Information",
        "lost+found", "node_modules", "__pycache__", "site-packages",
    }
)

_HASH_SPAN = 64 * 1024
_GONE_ERRNOS = (errno.ENOENT, errno.ENOTDIR, errno.ELOOP)


def is_skipped_dir(name: str) -> bool:
    """Hidden (dot) folders and known system/cache folders are never indexed."""
    return name.startswith(".") or name in SKIPPED_DIR_NAMES


@dataclass(frozen=True)
class FoundFile:
    path: Path
    rel: str  # posix path relative to the library folder
    size: int
    mtime_ns: int


def walk_photos(
    root: Path,
    on_error: Callable[[Path, str], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    excluded: Iterable[Path] = (),
) -> Iterator[FoundFile]:
    """Yield every supported photo under ``root`` with its size and mtime.

    ``excluded`` folders (the user's exclusions, PhotoSeek's own data folder) are not entered.
    """
    skip = {str(p) for p in excluded}
    stack = [root]
    while stack:
        if should_stop is not None and should_stop():
            return
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError as exc:
            if on_error is not None and exc.errno not in _GONE_ERRNOS:
                on_error(folder, f"folder cannot be read: {exc.strerror or exc}")
            continue  # a folder that is gone has nothing left to report
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    if not is_skipped_dir(entry.name) and entry.path not in skip:
                        stack.append(Path(entry.path))
                    continue
                if entry.name.startswith(".") or not is_supported(Path(entry.name)):
                    continue
                st = entry.stat()  # follows a file symlink to the photo it names
                if not entry.is_file():
                    continue
            except OSError as exc:
                # Vanished, a broken link or a link loop: nothing to index. Any other error
                # (permission, I/O) is reported, so the caller keeps what it knew of the file.
                if on_error is not None and exc.errno not in _GONE_ERRNOS:
                    on_error(Path(entry.path), f"file cannot be read: {exc.strerror or exc}")
                continue
            path = Path(entry.path)
            yield FoundFile(path, path.relative_to(root).as_posix(), st.st_size, st.st_mtime_ns)


def content_hash(path: Path, size: int) -> bytes:
    """Size plus the first and last 64 KiB: cheap, and enough to recognise a moved photo."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(size.to_bytes(8, "little"))
    with open(path, "rb") as handle:
        digest.update(handle.read(_HASH_SPAN))
        if size > 2 * _HASH_SPAN:
            handle.seek(-_HASH_SPAN, os.SEEK_END)
            digest.update(handle.read(_HASH_SPAN))
        elif size > _HASH_SPAN:
            digest.update(handle.read())
    return digest.digest()
