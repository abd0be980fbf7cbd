"""Typed exceptions. Messages are written for a person: they say what happened and what to do."""

from __future__ import annotations


class PhotoSeekError(Exception):
    """Base class of every error PhotoSeek raises on purpose."""


class UserFixableError(PhotoSeekError):
    """Something the user can fix (disk full, model missing, folder gone): show the message."""


class ModelUnavailableError(UserFixableError):
    """Model weights cannot be had (no network, bad file, unknown name)."""


class CatalogError(UserFixableError):
    """The catalog cannot be opened or written (locked, read-only, corrupt, disk full)."""


class ImageLoadError(PhotoSeekError):
    """A photo cannot be read; ``reason`` is a short sentence a person understands."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Cancelled(PhotoSeekError):
    """Raised inside cooperative work when its cancel token was set."""


class CatalogDamagedError(CatalogError):
    """The catalog file is not a healthy SQLite database."""
