"""The library: one object that the CLI and the desktop app drive (see ``library.Library``)."""

from core.library.library import FolderError, Library, NothingIndexedError

__all__ = ["FolderError", "Library", "NothingIndexedError"]
