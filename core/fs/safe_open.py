"""Opening and writing files whose names may not mean what they promise.

A path listed a moment ago can be a FIFO now (reading it would block forever), a folder, a
device, or gone. Every read of such a path opens without blocking and checks the type of the
descriptor it opened (fstat: the file that will be read, not the name). Writes go to a temporary
file with a name no other process or thread uses, then replace the target in one rename.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

_READ_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_BINARY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    # Opening a FIFO for reading blocks until a writer appears; with O_NONBLOCK it returns at
    # once (and the type check below refuses it). No effect on regular files.
    | getattr(os, "O_NONBLOCK", 0)
)


class NotRegularFileError(OSError):
    """The path names a pipe, a socket or a device, not a file with contents."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        super().__init__(errno.EINVAL, "not a regular file (a device, pipe or socket)", str(path))


def open_regular_fd(path: str | os.PathLike[str]) -> int:
    """A read-only descriptor of ``path`` if it is a regular file; IsADirectoryError for a
    folder, NotRegularFileError for anything else, the OSError of ``open`` otherwise."""
    fd = os.open(path, _READ_FLAGS)
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        if not stat.S_ISREG(mode):
            raise NotRegularFileError(path)
    except BaseException:
        os.close(fd)
        raise
    return fd


@contextmanager
def open_regular(path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """``open(path, "rb")`` that never blocks on a FIFO and refuses what is not a file."""
    fd = open_regular_fd(path)
    try:
        handle = os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
    with handle:
        yield handle


def read_regular_bytes(path: str | os.PathLike[str], limit: int | None = None) -> bytes:
    """The contents of a regular file (at most ``limit`` bytes)."""
    with open_regular(path) as handle:
        return handle.read() if limit is None else handle.read(limit)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one rename: readers see the old file or the new one,
    never half of either. The temporary name is unique, so two writers never collide."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))
