"""Advisory lock files shared by PhotoSeek processes (a GUI and `photoseek watch`, say).

``locked`` serialises short critical sections (saving the index, writing settings); ``HeldLock``
is taken without waiting and held for as long as a process indexes a library. A lock path that
is not a plain file (a folder or a pipe made there by mistake) is moved aside and replaced, so
a damaged data folder repairs itself instead of failing on every search.
"""

from __future__ import annotations

import errno
import logging
import os
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from core.errors import CatalogError

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]
    import msvcrt

log = logging.getLogger(__name__)

_FLAGS = os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NONBLOCK", 0)


class LockFileError(CatalogError):
    """A lock file in the data folder cannot be created or used; the message says why."""


def _open_once(path: Path) -> int:
    fd = os.open(path, _FLAGS, 0o644)
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise IsADirectoryError(f"{path} is not a plain file")
    return fd


def _move_aside(path: Path) -> None:
    target = path.with_name(f"{path.name}.in-the-way-{time.strftime('%Y%m%d-%H%M%S')}")
    os.replace(path, target)
    log.warning("%s was not a lock file; it was moved to %s", path, target)


def open_lock_file(path: Path) -> int:
    """A descriptor of the lock file at ``path``, created if needed. Whatever stands in its
    place (a folder, a pipe) is moved aside once; LockFileError if it still cannot be used."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            return _open_once(path)
        except (IsADirectoryError, NotADirectoryError, PermissionError):
            if path.is_symlink() or path.exists() and not path.is_file():
                _move_aside(path)
                return _open_once(path)
            raise
    except OSError as exc:
        if exc.errno == errno.EROFS:
            problem = f"{path.parent} is on a read-only disk"
        else:
            problem = f"the lock file {path} cannot be used ({exc.strerror or exc})"
        raise LockFileError(
            f"PhotoSeek cannot write in its data folder: {problem}. Make the folder writable, "
            "or choose another with --home or PHOTOSEEK_HOME."
        ) from exc


def _lock(fd: int, wait: bool) -> None:
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
    else:
        msvcrt.locking(fd, msvcrt.LK_LOCK if wait else msvcrt.LK_NBLCK, 1)


def _unlock(fd: int) -> None:
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_UN)
    else:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (created if needed) for the block's duration."""
    fd = open_lock_file(path)
    try:
        _lock(fd, wait=True)
        try:
            yield
        finally:
            _unlock(fd)
    finally:
        os.close(fd)


class HeldLock:
    """An exclusive lock taken without waiting and held until ``release`` (or process death).

    The OS drops it when the process dies, even by SIGKILL, so a crash never leaves it stale.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> bool:
        """Take the lock if no other holder has it; True if this object holds it now."""
        if self._fd is not None:
            return True
        fd = open_lock_file(self.path)
        try:
            _lock(fd, wait=False)
        except OSError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is None:
            return
        _unlock(self._fd)
        os.close(self._fd)
        self._fd = None
