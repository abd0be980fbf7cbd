"""Opening a library's catalog without ever losing the user's folders.

A damaged catalog is moved to ``backups/`` and a new one started; a zero-length one counts as
damaged (SQLite would take it for a new database). Whether damaged or missing, a new catalog gets
the folders that the settings file mirrors, and a notice says so: the library is indexed again,
but the user never has to remember which folders they had.
"""

from __future__ import annotations

import logging
from pathlib import Path

from core.catalog import queries
from core.catalog.database import Catalog, quarantine_damaged
from core.config.paths import DataPaths
from core.errors import CatalogDamagedError

log = logging.getLogger(__name__)


def open_catalog(paths: DataPaths, folders: tuple[str, ...], notices: list[str]) -> Catalog:
    """The catalog of ``paths``; ``folders`` are the settings' mirror of the folder list."""
    existed = paths.catalog.exists()
    try:
        catalog = Catalog(paths.catalog, paths.backups_dir)
    except CatalogDamagedError:
        kept = quarantine_damaged(paths.catalog, paths.backups_dir)
        catalog = Catalog(paths.catalog, paths.backups_dir)
        _restore(catalog, folders, notices, f"The catalog was damaged; it was kept as {kept}")
        return catalog
    if not existed and folders:
        _restore(catalog, folders, notices, f"The catalog {paths.catalog} was missing")
    return catalog


def _restore(catalog: Catalog, folders: tuple[str, ...], notices: list[str], why: str) -> None:
    """Put the saved folders in a new catalog, and say so (``why`` it is new)."""
    with catalog.write() as conn:
        for folder in folders:
            queries.add_folder(conn, Path(folder))
    notices.append(
        f"{why}, so a new one was started. Your {len(folders)} folder(s) will be indexed again."
    )
    log.warning(notices[-1])
