"""Walking library folders: which files are photos, and a cheap fingerprint of each.

The walk never follows directory symlinks (so a symlink loop cannot trap it), skips hidden and
system folders and excluded ones (PhotoSeek's own data folder among them, recognised by device
and inode, so a bind mount of it inside a photo folder is skipped too), notices drives mounted
inside a library folder, and reports what it cannot read instead of stopping.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from core.fs.safe_open import open_regular
from core.imaging.loading import is_supported, not_read_reason
from core.indexing.companions import folder_companions

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


@dataclass
class WalkReport:
    """What a walk met besides photos. Paths are absolute."""

    unreadable: list[tuple[Path, str]]  # folders or files that could not be read, and why
    not_read: list[tuple[Path, str]]  # pictures PhotoSeek does not read (a PSD...), and why
    mounts: list[Path]  # folders another file system is mounted on
    # Files kept with another photo of the same shot (core.indexing.companions): (the file,
    # the photo it belongs to, RAW or LIVE). Not photos themselves, and not unread either.
    companions: list[tuple[Path, Path, str]] = field(default_factory=list)

    @classmethod
    def empty(cls) -> WalkReport:
        return cls([], [], [])


def _identities(folders: Iterable[Path]) -> set[tuple[int, int]]:
    found: set[tuple[int, int]] = set()
    for folder in folders:
        try:
            st = os.stat(folder)
        except OSError:
            continue
        found.add((st.st_dev, st.st_ino))
    return found


def _reason(exc: OSError, what: str) -> str:
    if exc.errno == errno.ENAMETOOLONG:
        return f"{what} path is too long for this system to open"
    return f"{what} cannot be read: {exc.strerror or exc}"


def walk_photos(
    root: Path,
    report: WalkReport | None = None,
    should_stop: Callable[[], bool] | None = None,
    excluded: Iterable[Path] = (),
) -> Iterator[FoundFile]:
    """Yield every supported photo under ``root`` with its size and mtime; ``report`` collects
    what else was met. ``excluded`` folders are not entered."""
    report = report if report is not None else WalkReport.empty()
    skip = _identities(excluded)
    try:
        root_dev = os.stat(root).st_dev
    except OSError as exc:
        if exc.errno not in _GONE_ERRNOS:
            report.unreadable.append((root, _reason(exc, "folder")))
        return
    stack = [(root, root_dev)]
    while stack:
        if should_stop is not None and should_stop():
            return
        folder, folder_dev = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError as exc:
            if exc.errno not in _GONE_ERRNOS:  # a folder that is gone has nothing to report
                report.unreadable.append((folder, _reason(exc, "folder")))
            continue
        paired = folder_companions(folder, _file_names(entries))
        for entry in entries:
            path = Path(entry.path)
            try:
                if entry.is_dir(follow_symlinks=False):
                    if is_skipped_dir(entry.name):
                        continue
                    st = entry.stat(follow_symlinks=False)
                    if (st.st_dev, st.st_ino) in skip:
                        continue
                    if st.st_dev != folder_dev:
                        report.mounts.append(path)
                    stack.append((path, st.st_dev))
                    continue
                if entry.name.startswith("."):
                    continue
                companion = paired.get(entry.name)
                if companion is not None:  # a RAW or a Live Photo's MOV beside its photo
                    report.companions.append((path, folder / companion.item, companion.kind))
                    continue
                if not is_supported(path):
                    why = not_read_reason(path)
                    if why is not None:
                        report.not_read.append((path, why))
                    continue
                st = entry.stat()  # follows a file symlink to the photo it names
                if not stat.S_ISREG(st.st_mode):
                    continue  # a pipe or a device named like a photo: nothing to index
            except OSError as exc:
                # Vanished, a broken link or a link loop: nothing to index. Any other error
                # (permission, I/O, a path too long) is reported, so the caller keeps what it
                # knew of the file and the user learns why it is not searchable.
                if exc.errno not in _GONE_ERRNOS:
                    report.unreadable.append((path, _reason(exc, "file")))
                continue
            yield FoundFile(path, path.relative_to(root).as_posix(), st.st_size, st.st_mtime_ns)


def _file_names(entries: list[os.DirEntry[str]]) -> list[str]:
    """Names of the files (and links to files) among ``entries``, for pairing companions."""
    names = []
    for entry in entries:
        try:
            if entry.is_file():
                names.append(entry.name)
        except OSError:
            continue  # a broken link or a vanished file is nobody's photo
    return names


def content_hash(path: Path, size: int) -> bytes:
    """Size plus the first and last 64 KiB: cheap, and enough to recognise a moved photo.

    The file is opened without blocking and must be a regular file: a photo that turned into a
    pipe since it was listed raises an OSError here instead of hanging the scan.
    """
    digest = hashlib.blake2b(digest_size=16)
    digest.update(size.to_bytes(8, "little"))
    with open_regular(path) as handle:
        digest.update(handle.read(_HASH_SPAN))
        if size > 2 * _HASH_SPAN:
            handle.seek(-_HASH_SPAN, os.SEEK_END)
            digest.update(handle.read(_HASH_SPAN))
        elif size > _HASH_SPAN:
            digest.update(handle.read())
    return digest.digest()
