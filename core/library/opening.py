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
        _restore(catalog, folders)
        notices.append(
            f"The catalog was damaged; it was kept as {kept} and a new one was started. "
            f"Your {len(folders)} folder(s) will be indexed again."
        )
        log.warning(notices[-1])
        return catalog
    if not existed and folders:
        _restore(catalog, folders)
        notices.append(
            f"The catalog {paths.catalog} was missing, so a new one was started. Your "
            f"{len(folders)} folder(s) will be indexed again."
        )
        log.warning(notices[-1])
    return catalog


def _restore(catalog: Catalog, folders: tuple[str, ...]) -> None:
    with catalog.write() as conn:
        for folder in folders:
            queries.add_folder(conn, Path(folder))
